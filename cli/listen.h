#pragma once

#include "cli/linereader.h"
#include "live/liveclient.h"
#include "live/mqttclient.h"

#include <QObject>
#include <QStringList>

#include <chrono>

namespace wps::cli {

struct Context;

/// What `listen` does with any client: prints what arrives as JSON lines on stdout, sends stdin lines (one
/// LineReader; lines read before the connection is up wait for it), prints each line's ack, and stops on
/// stdin EOF once every sent line is acked, or at once on interrupt(). Ends the run with exit 0 after a clean
/// stop, 3 when the first connection is refused. The clients (LiveClient, MqttLiveClient) are subclasses.
class ListenSession : public QObject
{
    Q_OBJECT
public:
    /// \a sendGroup: the group (topic) stdin lines go to, or empty; \a event: else the event they are sent
    /// as.
    ListenSession(Context &context, QString sendGroup, QString event);
    ~ListenSession() override;

    void start();
    /// SIGINT/SIGTERM: stop at once (waiting acks are not waited for).
    void interrupt();

protected:
    virtual void startClient() = 0;
    virtual void stopClient() = 0;
    virtual bool isUp() const = 0;
    /// Whether stdin's end may stop a client that never connected (it has stopped by itself).
    virtual bool mayStopBeforeConnected() const = 0;
    virtual void sendLine(const QString &line) = 0;

    /// For the subclasses: the client's events.
    void onConnected(const QJsonObject &connectedLine);
    void onDisconnected(const QString &message, const QString &refusalDetail);
    void onStopped();
    void onLineSent() { ++m_pendingAcks; }
    void onAck(const QJsonObject &ackLine);
    /// A line's answer that is not a QJsonObject (compact JSON bytes, e.g. with JSON data kept as it came).
    void onAck(const QByteArray &compactLine);
    void writeLine(const QJsonObject &line) const;
    void writeError(const QString &text) const;

    Context &m_context;
    const QString m_sendGroup;
    const QString m_event;

private:
    void takeLine(const QString &line);
    void stopWhenIdle();

    LineReader m_reader;
    bool m_everConnected = false;
    bool m_stdinEnded = false;
    bool m_stopping = false;
    int m_pendingAcks = 0;
    QStringList m_queued; ///< lines read before the connection was up
    int m_exitCode = 0;
};

/// `listen` over the client WebSocket (every subprotocol, or raw).
class WebSocketListen final : public ListenSession
{
    Q_OBJECT
public:
    WebSocketListen(Context &context, const QUrl &url, live::Subprotocol protocol, QString sendGroup,
                    QString event);
    /// `--invoke EVENT`: stdin lines become invocations of \a event (cli/invokelines.h), each answer a line.
    void setInvoke(QString event, std::chrono::milliseconds timeout);

protected:
    void startClient() override { m_client.start(); }
    void stopClient() override { m_client.stop(); }
    bool isUp() const override { return m_client.state() == live::State::Connected; }
    bool mayStopBeforeConnected() const override { return m_client.state() == live::State::Stopped; }
    void sendLine(const QString &line) override;

private:
    void printData(const messages::DataMessage &message) const;

    live::LiveClient m_client;
    live::Subprotocol m_protocol;
    QString m_invoke;
    std::chrono::milliseconds m_invokeTimeout{60000};
};

/// `listen --protocol mqtt|mqtt5`: one MQTT client (client ID `listen` + 12 random characters). Topic
/// `$webpubsub/server/messages` prints as a server message, other topics as group messages (text when the
/// payload is UTF-8, else base64 binary); stdin lines are published to the send group at QoS 1, each PUBACK
/// printed as an ack line.
class MqttListen final : public ListenSession
{
    Q_OBJECT
public:
    MqttListen(Context &context, const QUrl &url, mqtt::Version version, QString sendGroup);

protected:
    void startClient() override { m_client.start(); }
    void stopClient() override { m_client.stop(); }
    bool isUp() const override { return m_client.isConnected(); }
    bool mayStopBeforeConnected() const override { return false; } // a refusal ends the client by itself
    void sendLine(const QString &line) override;

private:
    void printMessage(const QString &topic, const QByteArray &payload) const;

    live::MqttLiveClient m_client;
};

} // namespace wps::cli
