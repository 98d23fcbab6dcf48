#include "emulator/clientendpoint.h"

#include "emulator/clientevents.h"
#include "emulator/clienthandshake.h"
#include "emulator/config.h"
#include "emulator/httpserver.h"
#include "emulator/hubstate.h"
#include "emulator/livetrace.h"
#include "protocol/names.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <optional>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcClient, "wps.emulator.client")

namespace wps::emulator {

using namespace handshake;

namespace {

/// Bytes a client may send while its `connect` event is with the handler (docs/emulator.md "Limits").
constexpr qint64 kParkedReadBuffer = 64 * 1024;

/// The hub store's view of a session.
class SessionSink : public ConnectionSink
{
public:
    SessionSink(ClientSession *session, LiveTraceHub *trace)
        : m_session(session)
        , m_trace(trace)
    {
    }
    void deliver(const Delivery &message) override
    {
        if (!m_session)
            return;
        if (m_trace && m_trace->isActive()) {
            const auto &id = m_session->identity();
            m_trace->messageSent(id.hubName, id.connectionId, id.userId.value_or(QString()), message.group,
                                 message.stream            ? u"streamMessage"_s
                                 : message.group.isEmpty() ? u"serverMessage"_s
                                                           : u"groupMessage"_s,
                                 message.data.size());
        }
        m_session->deliver(message);
    }
    void close(const QString &reason) override
    {
        if (m_session)
            m_session->closeByService(reason);
    }
    void membershipChanged(const QString &group, bool joined) override
    {
        if (m_session)
            m_session->membershipChanged(group, joined);
    }

private:
    QPointer<ClientSession> m_session;
    QPointer<LiveTraceHub> m_trace;
};

} // namespace

ClientEndpoint::ClientEndpoint(HubRegistry &hubs, std::function<QList<QByteArray>()> keys,
                               const EmulatorConfig &config, const ClientLimits &limits, QObject *parent)
    : QObject(parent)
    , m_hubs(hubs)
    , m_keys(std::move(keys))
    , m_config(config)
    , m_limits(limits)
{
}

ClientEndpoint::~ClientEndpoint()
{
    // Sessions are children; they must not call back into the endpoint while it is being destroyed.
    for (ClientSession *session : std::as_const(m_sessions))
        disconnect(session, nullptr, this, nullptr);
}

QString ClientEndpoint::newConnectionId()
{
    QByteArray bytes(24, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding).left(31));
}

void ClientEndpoint::traceRefusal(const HttpRequest &request, int status, const QString &reason,
                                  const QString &userId)
{
    if (!m_liveTrace || !m_liveTrace->isActive())
        return;
    QString hub;
    if (request.path.startsWith("/client/hubs/"))
        hub = QUrl::fromPercentEncoding(request.path.mid(13));
    else
        hub = Query(request.query).last(u"hub"_s).value_or(QString());
    // The path only: the query carries the access token.
    m_liveTrace->connectionRefused(hub.left(128), status, reason, QString::fromUtf8(request.path.left(512)),
                                   userId, offeredSubprotocols(request).join(u", "_s));
}

void ClientEndpoint::refuse(QTcpSocket *socket, const HttpRequest &request, int status,
                            const QString &message, const QList<QPair<QByteArray, QByteArray>> &extraHeaders,
                            const QString &userId)
{
    traceRefusal(request, status, message, userId);
    const QString code = status == 401   ? u"Unauthorized"_s
                         : status == 403 ? u"Error.Forbidden"_s
                         : status == 404 ? u"Error.NotFound"_s
                                         : u"Error.BadRequest"_s;
    HttpResponse response =
        HttpResponse::json(status, QJsonObject{{u"code"_s, code}, {u"message"_s, message}});
    for (const auto &[name, value] : extraHeaders)
        response.setHeader(name, value);
    socket->write(serializeResponse(response, false, false));
    socket->disconnectFromHost();
    qCInfo(lcClient).noquote() << QString::fromLatin1(request.method) << QString::fromUtf8(request.path)
                               << "(upgrade)" << status << message;
}

ws::Socket *ClientEndpoint::accept(QTcpSocket *socket, const HttpRequest &request, const QString &protocol,
                                   const QString &hubName)
{
    QByteArray response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: " +
                          ws::acceptKey(request.header("sec-websocket-key").trimmed()) + "\r\n";
    if (!protocol.isEmpty())
        response += "Sec-WebSocket-Protocol: " + protocol.toLatin1() + "\r\n";
    response += "\r\n";
    socket->write(response);
    disconnect(socket, &QTcpSocket::disconnected, socket,
               &QObject::deleteLater); // the ws::Socket owns it now
    qCInfo(lcClient).noquote() << QString::fromLatin1(request.method) << QString::fromUtf8(request.path)
                               << "(upgrade) 101" << (protocol.isEmpty() ? u"raw"_s : protocol);
    ws::Limits limits = m_limits.socket;
    if (const std::optional<int> seconds = m_config.hubs.value(hubName).keepAliveSeconds)
        limits.keepAliveInterval = std::chrono::seconds(*seconds);
    return new ws::Socket(socket, limits);
}

void ClientEndpoint::takeOver(QTcpSocket *socket, const HttpRequest &request)
{
    socket->setParent(this);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    const Query query(request.query);
    auto refuseWith = [&](const Refusal &refusal) {
        refuse(socket, request, refusal.status, refusal.message, refusal.headers, refusal.userId);
    };

    if (!m_hostGuard.allows(request.header("host")))
        return refuse(socket, request, 403, m_hostGuard.refusal(request.header("host")));
    QString hubName;
    RawMode rawMode;
    std::optional<Refusal> refusal = routeToHub(request, query, &hubName);
    if (!refusal)
        refusal = checkUpgrade(request, hubName);
    if (!refusal)
        refusal = readRawMode(query, &rawMode);
    if (refusal)
        return refuseWith(*refusal);

    const QStringList offers = offeredSubprotocols(request);
    const QString protocol = chooseSubprotocol(offers);
    // Reliable recovery (docs/protocol.md#reliable-json): selected by a non-empty awps_connection_id; no
    // token check, no connect event.
    if (const QString recoverId = query.last(u"awps_connection_id"_s).value_or(QString());
        !recoverId.isEmpty())
        return recover(socket, request, recoverId,
                       query.last(u"awps_reconnection_token"_s).value_or(QString()), hubName, protocol,
                       offers);

    QJsonObject claims;
    refusal =
        verifyToken(request, query, hubName, m_config.hubs.value(hubName).anonymousConnect, m_keys, &claims);
    if (refusal)
        return refuseWith(*refusal);
    const PendingConnect pending{hubName, newConnectionId(), rawMode, offers,
                                 tokenIdentity(claims, protocol)};
    if (m_events && askConnectHandler(socket, request, pending, claims))
        return; // parked until the handler answers
    open(socket, request, pending, pending.token, std::nullopt);
}

void ClientEndpoint::recover(QTcpSocket *socket, const HttpRequest &request, const QString &recoverId,
                             const QString &token, const QString &hubName, const QString &protocol,
                             const QStringList &offers)
{
    ClientSession *session = m_sessions.value(recoverId);
    const bool ok = session && session->identity().hubName == hubName && session->identity().reliable &&
                    !token.isEmpty() && token == session->reconnectionToken();
    if (!ok) {
        ws::Socket *ws = accept(socket, request, protocol, hubName);
        ws->setParent(this);
        connect(ws, &ws::Socket::closed, ws, &QObject::deleteLater);
        ws->close(ws::CloseCode::PolicyViolation, u"The connection cannot be recovered."_s);
        ws->start();
        return;
    }
    // The original subprotocol stays; it is echoed when offered again.
    const QString original = session->identity().protocol;
    ws::Socket *ws = accept(socket, request, offers.contains(original) ? original : protocol, hubName);
    qCInfo(lcClient).noquote() << "recovered" << recoverId;
    const int expired = session->attach(ws);
    if (expired > 0)
        qCInfo(lcClient).noquote() << "dropped" << expired << "expired message(s) on recovery of"
                                   << recoverId;
    if (m_liveTrace && m_liveTrace->isActive())
        m_liveTrace->connectionRecovered(hubName, recoverId, session->identity().userId.value_or(QString()),
                                         expired);
}

bool ClientEndpoint::askConnectHandler(QTcpSocket *socket, const HttpRequest &request,
                                       const PendingConnect &pending, const QJsonObject &claims)
{
    ClientConnectRequest connectEvent;
    connectEvent.connection.hub = pending.hubName;
    connectEvent.connection.connectionId = pending.connectionId;
    connectEvent.connection.userId = pending.token.userId;
    connectEvent.connection.eventId = 0;
    connectEvent.request = connectRequest(claims, request, pending.offers);
    connectEvent.token = pending.token;
    // The socket is parked until the handler answers: it is the callback's context, so a client that
    // gives up (its socket is deleted on disconnect) simply drops the answer.
    const QPointer<QTcpSocket> guard(socket);
    const bool waiting = m_events->connecting(
        connectEvent, socket, [this, guard, request, pending](const ClientConnectDecision &decision) {
            m_parked.remove(guard.data());
            if (m_refused.remove(guard.data()))
                return; // refused while it waited (it sent too much)
            if (!guard || guard->state() != QAbstractSocket::ConnectedState) {
                qCInfo(lcClient).noquote()
                    << "connection" << pending.connectionId << "gave up while its connect event was pending";
                return;
            }
            if (!decision.accepted)
                return refuseByHandler(guard, request, pending, decision);
            open(guard, request, pending, decision.identity, decision.connectionState);
        });
    if (!waiting)
        return false;
    park(socket, request);
    qCDebug(lcClient).noquote() << "connection" << pending.connectionId << "waits for its connect event";
    return true;
}

void ClientEndpoint::park(QTcpSocket *socket, const HttpRequest &request)
{
    m_parked.insert(socket);
    connect(socket, &QObject::destroyed, this, [this, socket] {
        m_parked.remove(socket);
        m_refused.remove(socket);
    });
    // Nothing reads a parked socket: Qt buffers at most kParkedReadBuffer bytes of what the client
    // sends early (the kernel holds the rest), and a client that fills it is refused and closed.
    socket->setReadBufferSize(kParkedReadBuffer);
    auto overflow = [this, socket, request] {
        if (!m_parked.contains(socket) || socket->bytesAvailable() < kParkedReadBuffer)
            return;
        m_parked.remove(socket);
        m_refused.insert(socket); // the handler's answer, when it comes, is dropped
        disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
        const QString message =
            u"The client sent more than %1 bytes before its connection was accepted."_s.arg(
                kParkedReadBuffer);
        qCInfo(lcClient).noquote() << QString::fromLatin1(request.method) << QString::fromUtf8(request.path)
                                   << "(upgrade) 400" << message;
        socket->write(serializeResponse(
            HttpResponse::json(400, QJsonObject{{u"code"_s, u"Error.BadRequest"_s}, {u"message"_s, message}}),
            false, false));
        // Discard what it still sends for a moment, so it can read the answer instead of seeing a
        // reset; then close. Bounded by the timer.
        auto drain = [socket] { socket->readAll(); };
        connect(socket, &QTcpSocket::readyRead, socket, drain);
        drain();
        QTimer::singleShot(1000, socket, [socket] { socket->disconnectFromHost(); });
    };
    connect(socket, &QTcpSocket::readyRead, this, overflow);
    overflow();
}

void ClientEndpoint::refuseByHandler(QTcpSocket *socket, const HttpRequest &request,
                                     const PendingConnect &pending, const ClientConnectDecision &decision)
{
    qCInfo(lcClient).noquote() << QString::fromLatin1(request.method) << QString::fromUtf8(request.path)
                               << "(upgrade)" << decision.status << "connect of" << pending.connectionId
                               << "refused:" << decision.error;
    HttpResponse response;
    response.status = decision.status;
    if (decision.status >= 400 && decision.status < 500 && !decision.body.isEmpty()) {
        // A handler's 4xx is relayed with its body (docs/protocol.md#connect-event).
        response.body = decision.body;
        if (!decision.contentType.isEmpty())
            response.setHeader("Content-Type", decision.contentType);
    } else {
        const bool failed = decision.status >= 500;
        const QString code = failed                   ? u"InternalServerError"_s
                             : decision.status == 401 ? u"Unauthorized"_s
                             : decision.status == 403 ? u"Forbidden"_s
                                                      : u"Error.BadRequest"_s;
        const QString message = failed ? u"The connect event handler failed or gave an unusable answer."_s
                                       : u"The connect event handler refused the connection."_s;
        response =
            HttpResponse::json(decision.status, QJsonObject{{u"code"_s, code}, {u"message"_s, message}});
    }
    QString reason = QString::fromUtf8(response.body.left(LiveTraceHub::maxBodyBytes));
    if (const QJsonObject object = QJsonDocument::fromJson(response.body).object();
        object.value(u"message"_s).isString() && decision.body.isEmpty())
        reason = object.value(u"message"_s).toString() +
                 (decision.error.isEmpty() ? QString() : u" ("_s + decision.error + u')');
    traceRefusal(request, decision.status, reason, pending.token.userId.value_or(QString()));
    socket->write(serializeResponse(response, false, false));
    socket->disconnectFromHost();
}

void ClientEndpoint::open(QTcpSocket *socket, const HttpRequest &request, const PendingConnect &pending,
                          const cloudevents::ConnectIdentity &identityIn,
                          const std::optional<QByteArray> &connectionState)
{
    const QString &protocol = identityIn.subprotocol;
    ClientSession::Identity identity;
    identity.hubName = pending.hubName;
    identity.connectionId = pending.connectionId;
    // A handler's "" user ID replaces the token's, and means no user (as a token without `sub`).
    if (identityIn.userId && !identityIn.userId->isEmpty())
        identity.userId = identityIn.userId;
    identity.protocol = protocol;
    // A custom subprotocol a connect handler chose makes a raw client
    // (docs/protocol.md#subprotocol-negotiation).
    identity.kind = !isSupportedSubprotocol(protocol) ? ClientKind::Raw
                    : protocol.startsWith(u"json."_s) ? ClientKind::Json
                                                      : ClientKind::Protobuf;
    identity.reliable = identity.kind != ClientKind::Raw && protocol.contains(u".reliable."_s);
    identity.rawMode = pending.rawMode;

    auto *session = new ClientSession(m_hubs.hub(pending.hubName), identity, m_limits, m_events, this);
    session->setConnectionState(connectionState);
    Connection connection;
    connection.id = identity.connectionId;
    connection.userId = identity.userId;
    if (!protocol.isEmpty())
        connection.protocol = protocol;
    connection.roles = identityIn.roles;
    for (const QString &group : identityIn.groups) {
        if (connection.groups.size() >= HubState::kMaxGroupsPerConnection)
            break; // the same cap as joinGroup (docs/emulator.md "Limits")
        if (names::checkGroup(group).isEmpty())
            connection.groups.insert(group);
    }
    connection.sink = std::make_shared<SessionSink>(session, m_liveTrace);
    m_hubs.hub(pending.hubName).addConnection(std::move(connection));
    m_sessions.insert(identity.connectionId, session);
    const QString id = identity.connectionId;
    connect(session, &ClientSession::ended, this, [this, id, session] {
        m_sessions.remove(id);
        if (m_liveTrace && m_liveTrace->isActive())
            m_liveTrace->connectionDisconnected(session->identity().hubName, id,
                                                session->identity().userId.value_or(QString()), QString());
        session->deleteLater();
    });

    ws::Socket *ws = accept(socket, request, protocol, pending.hubName);
    if (m_liveTrace)
        traceSession(session);
    session->attach(ws); // the trace hook sees each frame before the session acts on it
    if (m_events) {
        m_events->connected(session->nextEvent());
        // The groups of the token or the connect answer: joined once the connection is open, after
        // `connected` (docs/emulator.md#group-presence-events).
        if (const Connection *joined = m_hubs.hub(pending.hubName).connection(id)) {
            QStringList groups(joined->groups.cbegin(), joined->groups.cend());
            std::sort(groups.begin(), groups.end());
            for (const QString &group : std::as_const(groups))
                session->membershipChanged(group, true);
        }
    }
}

void ClientEndpoint::traceSession(ClientSession *session)
{
    const QString hub = session->identity().hubName;
    const QString id = session->identity().connectionId;
    const QString user = session->identity().userId.value_or(QString());
    if (m_liveTrace->isActive())
        m_liveTrace->connectionConnected(hub, id, user);
    session->setMessageObserver([this, hub, id, user](QByteArrayView data, bool text) {
        if (m_liveTrace && m_liveTrace->isActive())
            m_liveTrace->messageReceived(hub, id, user, data, text);
    });
    connect(session->groupStreams(), &GroupStreams::traced, this,
            [this, hub, id, user](const QString &group, const QString &streamId, const QString &event,
                                  const QString &detail) {
                if (m_liveTrace && m_liveTrace->isActive())
                    m_liveTrace->groupStream(hub, id, user, group, streamId, event, detail);
            });
    connect(session, &ClientSession::invocationFinished, this,
            [this, hub, user](const QString &connectionId, const QString &invocationId, const QString &event,
                              const QString &outcome, qint64 elapsedMs) {
                if (m_liveTrace && m_liveTrace->isActive())
                    m_liveTrace->invocationFinished(hub, connectionId, user, invocationId, event, outcome,
                                                    elapsedMs);
            });
}

std::optional<QString> ClientEndpoint::queryParameter(const HttpRequest &request, const QString &name)
{
    return Query(request.query).last(name.toLower());
}

QStringList ClientEndpoint::offeredProtocols(const HttpRequest &request)
{
    return offeredSubprotocols(request);
}

QStringList ClientEndpoint::claimStrings(const QJsonValue &value)
{
    return stringList(value);
}

cloudevents::ConnectRequest ClientEndpoint::connectEventRequest(const QJsonObject &claims,
                                                                const HttpRequest &request,
                                                                const QStringList &offers)
{
    return connectRequest(claims, request, offers);
}

} // namespace wps::emulator
