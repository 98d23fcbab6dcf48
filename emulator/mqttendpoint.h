#pragma once

#include "emulator/clientevents.h"
#include "emulator/clientsession.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QObject>
#include <QSet>

#include <functional>

class QTcpSocket;

namespace wps::emulator {

class HubRegistry;
class LiveTraceHub;
class MqttSession;
struct EmulatorConfig;
struct HttpRequest;

/// The MQTT endpoint (`/clients/mqtt/hubs/{hub}`, WebSocket subprotocol `mqtt`): MQTT 3.1.1 and 5.0 clients
/// over the emulator's own WebSocket framing, with the codec of core/protocol/mqtt.h. Topics are groups, the
/// client ID is the connection ID, and MQTT and Web PubSub clients meet in the hub's groups
/// (docs/emulator.md, "MQTT"). The WebSocket is accepted first; every refusal (token, client ID, limits, a
/// connect handler's answer) is a CONNACK code the client can read, followed by the close.
class MqttEndpoint : public QObject
{
    Q_OBJECT
public:
    /// \a keys returns the access keys tokens may be signed with; \a config must outlive the endpoint.
    MqttEndpoint(HubRegistry &hubs, std::function<QList<QByteArray>()> keys, const EmulatorConfig &config,
                 const ClientLimits &limits, QObject *parent = nullptr);
    ~MqttEndpoint() override;

    /// True for paths under `/clients/mqtt/`.
    static bool handles(QByteArrayView path);
    /// Takes ownership of \a socket; the upgrade request \a request has already been read from it.
    void takeOver(QTcpSocket *socket, const HttpRequest &request);

    /// Where connect/connected/disconnected go (not owned; may be null: no handlers).
    void setEventHandler(ClientEventHandler *events) { m_events = events; }
    /// Where connectivity and messaging records go for the live trace (not owned; may be null).
    void setLiveTrace(LiveTraceHub *trace) { m_liveTrace = trace; }

    /// Live MQTT sessions, connecting ones included (tests).
    int sessionCount() const { return static_cast<int>(m_sessions.size()); }

private:
    friend class MqttSession;
    void refuse(QTcpSocket *socket, const HttpRequest &request, int status, const QString &message);

    HubRegistry &m_hubs;
    std::function<QList<QByteArray>()> m_keys;
    const EmulatorConfig &m_config;
    ClientLimits m_limits;
    ClientEventHandler *m_events = nullptr;
    LiveTraceHub *m_liveTrace = nullptr;
    QSet<MqttSession *> m_sessions;
};

} // namespace wps::emulator
