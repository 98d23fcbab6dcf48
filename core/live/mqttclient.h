#pragma once

#include "protocol/mqtt.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <optional>

class QWebSocket;

namespace wps::live {

/// One MQTT packet a client sent or received, for traces: the packet's name, a readable one-line summary
/// ("PUBLISH room1 QoS1 12 B", "SUBACK refused: Not authorized", "CONNACK 0x87 Not authorized"), the topic
/// when it has one and a PUBLISH's payload byte for byte.
struct MqttPacketRecord
{
    bool outgoing = false;
    QString type; ///< CONNECT, PUBLISH, SUBACK, ...
    QString summary;
    QString topic;
    QByteArray payload; ///< PUBLISH only
    qint64 size = 0;    ///< the packet's bytes on the wire (0 when not known)
};

/// The summary of MqttPacketRecord for \a packet in \a version.
QString describePacket(const mqtt::Packet &packet, mqtt::Version version);

/// A console-side MQTT 3.1.1/5.0 client over QWebSocket (subprotocol `mqtt`), sharing the packet codec of
/// core/protocol/mqtt.h with the emulator: CONNECT with a client ID, keep-alive PINGREQs, SUBSCRIBE,
/// PUBLISH at QoS 0/1 with their acknowledgements, incoming PUBLISHes acknowledged (QoS 1) and reported.
/// One connection, no reconnect (`webpubsub listen --protocol mqtt` uses it). Errors are signals, never
/// dialogs; the URL's token is never logged.
class MqttLiveClient : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        mqtt::Version version = mqtt::Version::V311;
        QString clientId; ///< `[0-9a-zA-Z]{1,128}` for Web PubSub; empty: the server assigns one (5.0)
        quint16 keepAliveSeconds = 60;
        bool cleanStart = true;
        /// 5.0 Session Expiry Interval: how long the server keeps the session after the connection ends (0 =
        /// not at all; 3.1.1 has no field: clean start false alone asks for a kept session).
        quint32 sessionExpirySeconds = 0;
        std::optional<mqtt::Will> will;
    };

    /// \a url is the MQTT client URL with its access_token (`/clients/mqtt/hubs/{hub}`).
    MqttLiveClient(QUrl url, Settings settings, QObject *parent = nullptr);
    ~MqttLiveClient() override;

    const Settings &settings() const { return m_settings; }
    /// The client ID the server knows (the assigned one after a 5.0 CONNACK with Assigned Client Identifier).
    QString clientId() const { return m_clientId; }
    bool isConnected() const { return m_connected; }

    void start();
    /// Sends DISCONNECT and closes; disconnected() and stopped() follow.
    void stop();

    /// Returns the SUBSCRIBE's packet identifier (0 when not connected); subscribed() answers it.
    quint16 subscribe(const QString &topic, quint8 qos = 1);
    /// Returns the PUBLISH's packet identifier for QoS 1 (0 for QoS 0 or when not connected); published()
    /// answers QoS 1.
    quint16 publish(const QString &topic, const QByteArray &payload, quint8 qos = 1);
    /// As publish(); 5.0 only: \a contentType tells Web PubSub receivers the data type (text/plain: text,
    /// application/json: json, application/x-protobuf: protobuf, else binary).
    quint16 publish(const QString &topic, const QByteArray &payload, quint8 qos, const QString &contentType);

Q_SIGNALS:
    /// CONNACK accepted the connection.
    void connected(const QString &clientId);
    /// The connection ended (refused, closed by either side, lost), with a readable reason.
    void disconnected(const QString &message);
    void stopped();
    /// SUBACK: \a code is the granted QoS or a failure code (0x80 and up).
    void subscribed(quint16 packetId, const QString &topic, quint8 code);
    /// PUBACK: \a code 0 (or 0x10) is success; 5.0 servers say why they refused.
    void published(quint16 packetId, quint8 code, const QString &reason);
    /// A PUBLISH from the server (`$webpubsub/server/messages` for REST sends to all/user/connection).
    void message(const QString &topic, const QByteArray &payload, quint8 qos);
    /// Every packet in and out, as a short readable summary (for traces and logs).
    void packetObserved(bool outgoing, const QString &summary);
    /// The same packets with their topic and PUBLISH payload (core/trace feeds the trace from this).
    void packetTraced(const wps::live::MqttPacketRecord &record);
    /// CONNACK accepted with Session Present: the server resumed this client ID's session.
    void sessionResumed();

private:
    void onBinary(const QByteArray &bytes);
    void handle(const mqtt::Packet &packet);
    void observe(bool outgoing, const mqtt::Packet &packet, qint64 size);
    bool send(const mqtt::Packet &packet);
    void finish(const QString &message);
    quint16 nextPacketId();

    const QUrl m_url;
    Settings m_settings;
    QString m_clientId;
    QPointer<QWebSocket> m_socket;
    mqtt::Decoder m_decoder;
    bool m_connected = false;
    bool m_finished = false;
    QString m_closeReason;
    quint16 m_packetId = 0;
    QHash<quint16, QString> m_pendingSubscriptions;
    QTimer m_pingTimer;
};

} // namespace wps::live
