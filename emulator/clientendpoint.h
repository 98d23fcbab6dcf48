#pragma once

#include "emulator/clientevents.h"
#include "emulator/clientsession.h"
#include "emulator/hostguard.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <functional>
#include <optional>

class QTcpSocket;

namespace wps::emulator {

class HubRegistry;
class LiveTraceHub;
struct EmulatorConfig;
struct HttpRequest;

/// The client WebSocket endpoint (`/client/hubs/{hub}`, `/client/?hub=`) on the REST port
/// (docs/protocol.md#client-tokens-and-urls, docs/protocol.md#client-websocket-protocols): the upgrade
/// handshake (token, audience, anonymous policy, subprotocol selection, raw-client mode, reliable recovery)
/// and the sessions it creates. Refusals are HTTP answers on the upgrade request, so a client sees why it was
/// not let in.
class ClientEndpoint : public QObject
{
    Q_OBJECT
public:
    /// \a keys returns the access keys tokens may be signed with; \a config must outlive the endpoint.
    ClientEndpoint(HubRegistry &hubs, std::function<QList<QByteArray>()> keys, const EmulatorConfig &config,
                   const ClientLimits &limits, QObject *parent = nullptr);
    ~ClientEndpoint() override;

    /// Takes ownership of \a socket; the upgrade request \a request has already been read from it.
    void takeOver(QTcpSocket *socket, const HttpRequest &request);

    /// Where user events and connected/disconnected go (not owned; may be null: no handlers).
    void setEventHandler(ClientEventHandler *events) { m_events = events; }
    /// Which `Host` values an upgrade may carry (DNS-rebinding guard); others get 403. Default: any.
    void setHostGuard(const HostGuard &guard) { m_hostGuard = guard; }
    /// Where connectivity and messaging events go for the live trace (not owned; may be null).
    void setLiveTrace(LiveTraceHub *trace) { m_liveTrace = trace; }

    /// Live and recoverable sessions (tests).
    int sessionCount() const { return static_cast<int>(m_sessions.size()); }
    /// Handshakes parked while their `connect` event is with the handler (tests).
    int pendingConnectCount() const { return static_cast<int>(m_parked.size()); }

    /// A random 31-character URL-safe ID, like the service's connection IDs.
    static QString newConnectionId();

    // Handshake helpers the MQTT endpoint shares with this one.
    /// The last value of a query parameter (name case-insensitive, value percent-decoded once).
    static std::optional<QString> queryParameter(const HttpRequest &request, const QString &name);
    /// The subprotocols a client offers in `Sec-WebSocket-Protocol`, in order.
    static QStringList offeredProtocols(const HttpRequest &request);
    /// A role or group claim (a string or an array of strings) as a list.
    static QStringList claimStrings(const QJsonValue &value);
    /// The `connect` event body for a client with token  claims and the upgrade  request.
    static cloudevents::ConnectRequest
    connectEventRequest(const QJsonObject &claims, const HttpRequest &request, const QStringList &offers);

private:
    /// A client past authentication whose connection is not open yet.
    struct PendingConnect
    {
        QString hubName;
        QString connectionId;
        RawMode rawMode;
        QStringList offers;
        cloudevents::ConnectIdentity token; ///< the token's identity, first supported offer as subprotocol
    };

    void refuse(QTcpSocket *socket, const HttpRequest &request, int status, const QString &message,
                const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {}, const QString &userId = {});
    /// Publishes the live trace's ConnectionRefused record for a refused upgrade (when someone listens).
    void traceRefusal(const HttpRequest &request, int status, const QString &reason, const QString &userId);
    /// Reliable recovery: reattaches the socket to the session \a recoverId when \a token is its
    /// reconnection token, else opens and at once closes it with PolicyViolation.
    void recover(QTcpSocket *socket, const HttpRequest &request, const QString &recoverId,
                 const QString &token, const QString &hubName, const QString &protocol,
                 const QStringList &offers);
    /// Sends the `connect` event; true when the socket is parked until the handler answers, false when no
    /// handler subscribes (the handshake goes on at once).
    bool askConnectHandler(QTcpSocket *socket, const HttpRequest &request, const PendingConnect &pending,
                           const QJsonObject &claims);
    /// Parks \a socket while its connect event is out: reads are capped, and a client that sends too much is
    /// refused with 400 and closed.
    void park(QTcpSocket *socket, const HttpRequest &request);
    /// Answers the upgrade with the connect handler's refusal (docs/protocol.md#connect-event): its 4xx and
    /// body, or 500.
    void refuseByHandler(QTcpSocket *socket, const HttpRequest &request, const PendingConnect &pending,
                         const ClientConnectDecision &decision);
    /// Creates the session with \a identity, answers 101 and sends `connected` upstream.
    void open(QTcpSocket *socket, const HttpRequest &request, const PendingConnect &pending,
              const cloudevents::ConnectIdentity &identity, const std::optional<QByteArray> &connectionState);
    /// Publishes the session's connection, received frames, group streams and invocations to the live trace.
    void traceSession(ClientSession *session);
    /// Answers 101 and wraps the socket (keepalive per the hub's setting, else ClientLimits).
    ws::Socket *accept(QTcpSocket *socket, const HttpRequest &request, const QString &protocol,
                       const QString &hubName);

    HubRegistry &m_hubs;
    std::function<QList<QByteArray>()> m_keys;
    const EmulatorConfig &m_config;
    ClientLimits m_limits;
    ClientEventHandler *m_events = nullptr;
    HostGuard m_hostGuard;
    LiveTraceHub *m_liveTrace = nullptr;
    QHash<QString, ClientSession *> m_sessions; ///< by connection ID
    QSet<QObject *> m_parked;                   ///< sockets waiting for their connect event
    QSet<QObject *> m_refused; ///< parked sockets refused for sending too much; their answer is dropped
};

} // namespace wps::emulator
