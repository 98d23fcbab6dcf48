#include "emulator/mqttendpoint.h"

#include "emulator/clientendpoint.h"
#include "emulator/config.h"
#include "emulator/httpserver.h"
#include "emulator/hubstate.h"
#include "emulator/livetrace.h"
#include "emulator/websocket.h"
#include "protocol/jwt.h"
#include "protocol/mqtt.h"
#include "protocol/names.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcMqtt, "wps.emulator.mqtt")

namespace wps::emulator {

namespace {

/// REST sends to all, a user or a connection reach MQTT clients on this topic (Microsoft's "REST API in the
/// MQTT context").
const QString kServerTopic = u"$webpubsub/server/messages"_s;
/// What REST close and a session takeover tell the old connection; the takeover text is also how the sink
/// tells the two apart.
const QString kTakenOver = u"The session was taken over by a new connection with the same client ID."_s;
/// The service's documented limits on CONNECT.
constexpr int kMaxKeepAlive311 = 180;
constexpr qsizetype kMaxWillTopicChars = 1024;
constexpr qsizetype kMaxWillPayloadBytes = 2000;
/// Packets a client may send before its CONNACK (they wait for the connect handler's answer).
constexpr int kMaxEarlyPackets = 100;
constexpr std::chrono::seconds kConnectTimeout{30};
constexpr quint8 kAdministrativeAction = 0x98;
constexpr quint8 kBadAuthenticationMethod = 0x8C;

QString randomId(int length)
{
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    QString id;
    id.reserve(length);
    for (int i = 0; i < length; ++i)
        id += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(62)]);
    return id;
}

bool isValidClientId(const QString &id)
{
    static const QRegularExpression re(u"^[0-9a-zA-Z]{1,128}$"_s);
    return re.match(id).hasMatch();
}

QJsonArray userPropertiesJson(const QList<mqtt::UserProperty> &properties)
{
    QJsonArray array;
    for (const auto &p : properties)
        array.append(QJsonObject{{u"name"_s, p.name}, {u"value"_s, p.value}});
    return array;
}

QList<mqtt::UserProperty> userPropertiesFrom(const QJsonValue &value)
{
    QList<mqtt::UserProperty> result;
    for (const QJsonValue &item : value.toArray()) {
        const QJsonObject o = item.toObject();
        if (o.value(u"name"_s).isString() && o.value(u"value"_s).isString())
            result.append({o.value(u"name"_s).toString(), o.value(u"value"_s).toString()});
    }
    return result;
}

} // namespace

/// One MQTT network connection and its session (the two are the same here: sessions are not kept after
/// the connection ends; docs/emulator.md says why).
class MqttSession : public QObject
{
public:
    MqttSession(MqttEndpoint &endpoint, ws::Socket *socket, const HttpRequest &request, QString hubName,
                QJsonObject claims, QString authError);
    ~MqttSession() override;

    /// Hub -> client (the ConnectionSink).
    void deliver(const Delivery &message);
    /// The service ends the connection (REST close, or a takeover when \a reason is kTakenOver).
    void closeByService(const QString &reason);
    /// The hub reports a change of this connection's groups: the group presence event, when a handler takes
    /// it (docs/emulator.md#group-presence-events).
    void membershipChanged(const QString &group, bool joined);

private:
    enum class State { AwaitConnect, Authorizing, Open, Closed };
    struct SubscriptionOptions
    {
        quint8 qos = 1;
        bool noLocal = false;
        quint32 identifier = 0; ///< 5.0 subscription identifier; 0 = none
    };

    void onMessage(const QByteArray &payload, bool text);
    void handle(const mqtt::Packet &packet);
    void onConnect(const mqtt::Connect &connect);
    /// Refuses the CONNECT with \a code (3.1.1 return code or 5.0 reason code) and closes.
    void refuseConnect(quint8 code311, quint8 code5, const QString &reason,
                       const QList<mqtt::UserProperty> &userProperties = {});
    void accept(const cloudevents::ConnectIdentity &identity,
                const std::optional<QByteArray> &connectionState);
    void onPublish(const mqtt::Publish &publish);
    void onSubscribe(const mqtt::Subscribe &subscribe);
    void onUnsubscribe(const mqtt::Unsubscribe &unsubscribe);
    /// Sends a group message from this client (PUBLISH or its will) to the group's members.
    void publishToGroup(const QString &topic, const QByteArray &payload, bool utf8);
    bool send(const mqtt::Packet &packet);
    /// A protocol violation: 5.0 DISCONNECT with \a code, then the end (the will is published).
    void fail(quint8 code, const QString &reason);
    /// Ends the session: forgets it in the hub, publishes the will when \a publishWill, sends
    /// `disconnected` (for sessions whose connect succeeded) and closes the WebSocket.
    void end(const QString &reason, bool publishWill, bool initiatedByClient);
    ClientEventContext eventContext();
    QString userIdText() const { return m_userId.value_or(QString()); }

    MqttEndpoint &m_endpoint;
    QPointer<ws::Socket> m_socket;
    HttpRequest m_request;
    QString m_hubName;
    QJsonObject m_claims;
    QString m_authError; ///< why the token (or its absence) is refused; empty when it is fine
    State m_state = State::AwaitConnect;
    mqtt::Decoder m_decoder;
    mqtt::Version m_version = mqtt::Version::V311;
    QString m_id;
    std::optional<QString> m_userId;
    QString m_physicalId;
    QString m_sessionId;
    bool m_registered = false;    ///< in the hub
    bool m_connectedSent = false; ///< `connected` went upstream, so `disconnected` follows
    std::optional<mqtt::Will> m_will;
    std::optional<mqtt::Disconnect> m_disconnectPacket;
    quint16 m_receiveMaximum = 65535; ///< the client's, for QoS 1 messages in flight
    quint16 m_nextPacketId = 1;
    QSet<quint16> m_unacked;      ///< our QoS 1 PUBLISHes the client has not acknowledged
    QSet<quint16> m_incomingQos2; ///< the client's QoS 2 PUBLISHes awaiting PUBREL
    QHash<QString, SubscriptionOptions> m_subscriptions;
    QList<mqtt::Packet> m_early; ///< packets received while the connect event is pending
    QTimer m_keepAlive;
    QTimer m_connectTimer;
    quint64 m_nextEventId = 1;
    std::optional<QByteArray> m_connectionState;
    bool m_assignedId = false;
    Connection m_snapshot; ///< roles and grants, for the will's permission after the hub forgot us
};

namespace {

class MqttSink : public ConnectionSink
{
public:
    explicit MqttSink(MqttSession *session)
        : m_session(session)
    {
    }
    void deliver(const Delivery &message) override
    {
        if (m_session)
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
    QPointer<MqttSession> m_session;
};

} // namespace

MqttSession::MqttSession(MqttEndpoint &endpoint, ws::Socket *socket, const HttpRequest &request,
                         QString hubName, QJsonObject claims, QString authError)
    : QObject(&endpoint)
    , m_endpoint(endpoint)
    , m_socket(socket)
    , m_request(request)
    , m_hubName(std::move(hubName))
    , m_claims(std::move(claims))
    , m_authError(std::move(authError))
    , m_decoder(mqtt::Version::V311, endpoint.m_limits.socket.maxMessageBytes)
    , m_physicalId(randomId(32))
{
    m_request.body.clear();
    socket->setParent(this);
    connect(socket, &ws::Socket::messageReceived, this, &MqttSession::onMessage);
    connect(socket, &ws::Socket::closed, this, [this](quint16, const QString &reason, bool byClient) {
        if (m_state != State::Closed)
            end(byClient ? u"The client closed the WebSocket without DISCONNECT."_s
                         : (reason.isEmpty() ? u"The connection was lost."_s : reason),
                true, byClient);
        m_endpoint.m_sessions.remove(this);
        deleteLater();
    });
    m_keepAlive.setSingleShot(true);
    connect(&m_keepAlive, &QTimer::timeout, this, [this] {
        fail(mqtt::Reason::KeepAliveTimeout, u"No packet within one and a half keep-alive periods."_s);
    });
    m_connectTimer.setSingleShot(true);
    m_connectTimer.setInterval(kConnectTimeout);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::AwaitConnect)
            end(u"No CONNECT packet arrived."_s, false, false);
    });
    m_connectTimer.start();
    socket->start();
}

MqttSession::~MqttSession()
{
    m_connectedSent = false; // no upstream events from a destructor
    if (m_registered)
        m_endpoint.m_hubs.hub(m_hubName).removeConnection(m_id);
}

void MqttSession::membershipChanged(const QString &group, bool joined)
{
    ClientEventHandler *events = m_endpoint.m_events;
    const auto kind = joined ? cloudevents::EventKind::GroupJoined : cloudevents::EventKind::GroupLeft;
    if (m_connectedSent && events && events->wantsGroupPresence(m_hubName, kind, group))
        events->groupPresence(eventContext(), kind, group);
}

ClientEventContext MqttSession::eventContext()
{
    ClientEventContext context;
    context.hub = m_hubName;
    context.connectionId = m_id;
    context.userId = m_userId;
    context.subprotocol = u"mqtt"_s;
    context.eventId = m_nextEventId++;
    context.connectionState = m_connectionState;
    context.mqtt = ClientEventContext::Mqtt{m_physicalId, m_sessionId, {}};
    return context;
}

void MqttSession::onMessage(const QByteArray &payload, bool text)
{
    if (m_state == State::Closed)
        return;
    if (text) {
        // MQTT over WebSocket is carried in binary frames only (MQTT 3.1.1 section 6, 5.0 section 6).
        end(u"MQTT packets must come in binary WebSocket frames."_s, true, false);
        return;
    }
    if (m_endpoint.m_liveTrace && m_endpoint.m_liveTrace->isActive())
        m_endpoint.m_liveTrace->messageReceived(m_hubName, m_id, userIdText(), payload, false);
    m_decoder.feed(payload);
    while (m_state != State::Closed) {
        auto next = m_decoder.next();
        if (!next) {
            const mqtt::DecodeError &error = next.error();
            qCInfo(lcMqtt).noquote() << "connection" << (m_id.isEmpty() ? m_physicalId : m_id)
                                     << "sent a bad packet:" << error.message;
            if (m_state == State::AwaitConnect) {
                if (error.reasonCode == mqtt::Reason::UnsupportedProtocolVersion) {
                    // Answered in the 3.1.1 form every client version can read (MQTT 5.0 section 3.1.2.2).
                    m_version = mqtt::Version::V311;
                    refuseConnect(mqtt::ConnectReturn311::UnacceptableProtocolVersion,
                                  mqtt::Reason::UnsupportedProtocolVersion, error.message);
                } else {
                    refuseConnect(mqtt::ConnectReturn311::ServerUnavailable, error.reasonCode, error.message);
                }
                return;
            }
            fail(error.reasonCode, error.message);
            return;
        }
        if (!*next)
            return;
        if (m_state == State::Open && m_keepAlive.interval() > 0)
            m_keepAlive.start();
        handle(**next);
    }
}

void MqttSession::handle(const mqtt::Packet &packet)
{
    using namespace mqtt;
    if (m_state == State::AwaitConnect) {
        if (const auto *c = std::get_if<Connect>(&packet))
            return onConnect(*c);
        end(u"The first packet must be CONNECT."_s, false, false);
        return;
    }
    if (m_state == State::Authorizing) {
        if (m_early.size() >= kMaxEarlyPackets)
            return fail(Reason::QuotaExceeded, u"Too many packets before CONNACK."_s);
        m_early.append(packet);
        return;
    }
    switch (packetType(packet)) {
    case PacketType::Connect:
        return fail(Reason::ProtocolError, u"A second CONNECT."_s);
    case PacketType::Publish:
        return onPublish(std::get<Publish>(packet));
    case PacketType::Puback:
        m_unacked.remove(std::get<PubAck>(packet).packetId);
        return;
    case PacketType::Pubrel: {
        const quint16 id = std::get<PubAck>(packet).packetId;
        const bool known = m_incomingQos2.remove(id);
        send(PubAck{PacketType::Pubcomp, id, known ? Reason::Success : Reason::PacketIdentifierNotFound, {}});
        return;
    }
    case PacketType::Pubrec:
    case PacketType::Pubcomp:
        // The emulator never sends QoS 2 messages (they go out at QoS 1), so nothing waits for these.
        return fail(Reason::ProtocolError, u"PUBREC/PUBCOMP for a QoS 2 message the server never sent."_s);
    case PacketType::Subscribe:
        return onSubscribe(std::get<Subscribe>(packet));
    case PacketType::Unsubscribe:
        return onUnsubscribe(std::get<Unsubscribe>(packet));
    case PacketType::Pingreq:
        send(Pingresp{});
        return;
    case PacketType::Disconnect: {
        m_disconnectPacket = std::get<Disconnect>(packet);
        const bool withWill = m_disconnectPacket->reasonCode == Reason::DisconnectWithWill;
        end(u"The client sent DISCONNECT (%1)."_s.arg(reasonName(m_disconnectPacket->reasonCode)), withWill,
            true);
        return;
    }
    case PacketType::Auth:
        return fail(Reason::ProtocolError, u"Enhanced authentication (AUTH) is not supported."_s);
    case PacketType::Connack:
    case PacketType::Suback:
    case PacketType::Unsuback:
    case PacketType::Pingresp:
        return fail(Reason::ProtocolError,
                    u"A client must not send %1."_s.arg(packetTypeName(packetType(packet))));
    }
}

void MqttSession::refuseConnect(quint8 code311, quint8 code5, const QString &reason,
                                const QList<mqtt::UserProperty> &userProperties)
{
    qCInfo(lcMqtt).noquote() << "CONNECT of" << (m_id.isEmpty() ? m_physicalId : m_id)
                             << "refused:" << reason;
    mqtt::Connack connack;
    connack.code = m_version == mqtt::Version::V5 ? code5 : code311;
    if (m_version == mqtt::Version::V5) {
        connack.properties.reasonString = reason.left(1024);
        connack.properties.userProperties = userProperties;
    }
    send(connack);
    end(u"CONNECT refused: "_s + reason, false, false);
}

void MqttSession::onConnect(const mqtt::Connect &connect)
{
    using namespace mqtt;
    m_connectTimer.stop();
    m_version = connect.version;
    const bool v5 = m_version == Version::V5;
    // Client ID: [0-9a-zA-Z]{1,128}; an empty one is assigned (5.0 always, 3.1.1 with a clean session).
    m_id = connect.clientId;
    if (m_id.isEmpty()) {
        if (!v5 && !connect.cleanStart)
            return refuseConnect(ConnectReturn311::IdentifierRejected, Reason::ClientIdentifierNotValid,
                                 u"An empty client ID needs a clean session."_s);
        m_id = randomId(32);
        m_assignedId = true;
    } else if (!isValidClientId(m_id)) {
        const QString shown = m_id.left(64);
        m_id.clear();
        return refuseConnect(ConnectReturn311::IdentifierRejected, Reason::ClientIdentifierNotValid,
                             u"The client ID '%1' is not 1 to 128 characters of 0-9, a-z, A-Z."_s.arg(shown));
    }
    if (!v5 && (connect.keepAlive < 1 || connect.keepAlive > kMaxKeepAlive311))
        return refuseConnect(
            ConnectReturn311::ServerUnavailable, Reason::UnspecifiedError,
            u"MQTT 3.1.1 keep-alive must be 1 to 180 seconds, not %1."_s.arg(connect.keepAlive));
    if (connect.will) {
        const Will &will = *connect.will;
        if (will.topic.trimmed().isEmpty() || will.topic.size() > kMaxWillTopicChars ||
            !isValidTopicName(will.topic))
            return refuseConnect(
                ConnectReturn311::ServerUnavailable, Reason::TopicNameInvalid,
                u"The will topic must be 1 to 1024 characters, not blank, without + or #."_s);
        if (will.payload.size() > kMaxWillPayloadBytes)
            return refuseConnect(ConnectReturn311::ServerUnavailable, Reason::PacketTooLarge,
                                 u"The will message is larger than 2,000 bytes."_s);
        if (v5 && will.retain)
            return refuseConnect(ConnectReturn311::ServerUnavailable, Reason::RetainNotSupported,
                                 u"Retained messages are not supported."_s);
        m_will = will;
    }
    if (v5 && connect.properties.authenticationMethod)
        return refuseConnect(ConnectReturn311::ServerUnavailable, kBadAuthenticationMethod,
                             u"Enhanced authentication is not supported."_s);
    if (!m_authError.isEmpty())
        return refuseConnect(ConnectReturn311::NotAuthorized, Reason::NotAuthorized, m_authError);
    if (connect.properties.receiveMaximum)
        m_receiveMaximum = *connect.properties.receiveMaximum;
    m_sessionId = randomId(32);
    if (connect.keepAlive > 0)
        m_keepAlive.setInterval(std::chrono::milliseconds(connect.keepAlive) * 1500);

    // The identity the token gives.
    cloudevents::ConnectIdentity identity;
    if (m_claims.value(u"sub"_s).isString() && !m_claims.value(u"sub"_s).toString().isEmpty())
        identity.userId = m_claims.value(u"sub"_s).toString();
    identity.roles = ClientEndpoint::claimStrings(m_claims.value(u"role"_s));
    for (const QString &group : ClientEndpoint::claimStrings(m_claims.value(u"webpubsub.group"_s)))
        if (names::checkGroup(group).isEmpty())
            identity.groups << group;
    identity.subprotocol = u"mqtt"_s;
    m_userId = identity.userId;
    m_state = State::Authorizing;

    ClientEventHandler *events = m_endpoint.m_events;
    if (events) {
        ClientConnectRequest request;
        request.connection.hub = m_hubName;
        request.connection.connectionId = m_id;
        request.connection.userId = identity.userId;
        request.connection.subprotocol = u"mqtt"_s;
        request.connection.eventId = 0;
        QJsonObject mqttBody{{u"protocolVersion"_s, static_cast<int>(connect.version)}};
        if (connect.username)
            mqttBody.insert(u"username"_s, *connect.username);
        if (connect.password)
            mqttBody.insert(u"password"_s, QString::fromLatin1(connect.password->toBase64()));
        if (!connect.properties.userProperties.isEmpty())
            mqttBody.insert(u"userProperties"_s, userPropertiesJson(connect.properties.userProperties));
        request.connection.mqtt = ClientEventContext::Mqtt{m_physicalId, m_sessionId, mqttBody};
        request.request = ClientEndpoint::connectEventRequest(m_claims, m_request, {u"mqtt"_s});
        request.token = identity;
        const bool waiting = events->connecting(request, this, [this](const ClientConnectDecision &decision) {
            if (m_state != State::Authorizing)
                return;
            if (decision.accepted) {
                accept(decision.identity, decision.connectionState);
                return;
            }
            // The handler's MQTT answer {"mqtt": {"code", "reason", "userProperties"}}, else its status
            // mapped as the express SDK maps it (400 bad user name or password, 401 not authorized,
            // anything else server unavailable / unspecified error).
            const QJsonObject body =
                QJsonDocument::fromJson(decision.body).object().value(u"mqtt"_s).toObject();
            const QString reason =
                body.value(u"reason"_s)
                    .toString(decision.status < 500 ? u"The connect event handler refused the connection."_s
                                                    : u"The connect event handler failed."_s);
            const auto props = userPropertiesFrom(body.value(u"userProperties"_s));
            quint8 code311 = decision.status == 400   ? ConnectReturn311::BadUserNameOrPassword
                             : decision.status == 401 ? ConnectReturn311::NotAuthorized
                                                      : ConnectReturn311::ServerUnavailable;
            quint8 code5 = decision.status == 400   ? Reason::BadUserNameOrPassword
                           : decision.status == 401 ? Reason::NotAuthorized
                                                    : Reason::UnspecifiedError;
            if (body.value(u"code"_s).isDouble()) {
                // A code invalid for the client's version becomes "unspecified error" (5.0) or "server
                // unavailable" (3.1.1).
                const int code = body.value(u"code"_s).toInt(-1);
                code311 =
                    code >= 1 && code <= 5 ? static_cast<quint8>(code) : ConnectReturn311::ServerUnavailable;
                code5 = code >= 0x80 && code <= 0xFF ? static_cast<quint8>(code) : Reason::UnspecifiedError;
            }
            refuseConnect(code311, code5, reason, props);
        });
        if (waiting)
            return;
    }
    accept(identity, std::nullopt);
}

void MqttSession::accept(const cloudevents::ConnectIdentity &identity,
                         const std::optional<QByteArray> &connectionState)
{
    using namespace mqtt;
    const bool v5 = m_version == Version::V5;
    HubState &hub = m_endpoint.m_hubs.hub(m_hubName);
    if (const Connection *existing = hub.connection(m_id)) {
        // A second connection with the same client ID takes the session over (MQTT 3.1.1 3.1.4, 5.0 3.1.4);
        // a Web PubSub connection with that ID (never alphanumeric-only in practice) refuses the new one.
        if (existing->protocol.value_or(QString()) != u"mqtt"_s)
            return refuseConnect(ConnectReturn311::IdentifierRejected, Reason::ClientIdentifierNotValid,
                                 u"The client ID is in use by another connection."_s);
        hub.closeConnection(m_id, kTakenOver);
    }
    if (identity.userId && !identity.userId->isEmpty())
        m_userId = identity.userId;
    else
        m_userId.reset();
    m_connectionState = connectionState;
    Connection connection;
    connection.id = m_id;
    connection.userId = m_userId;
    connection.protocol = u"mqtt"_s;
    connection.roles = identity.roles;
    for (const QString &group : identity.groups) {
        if (connection.groups.size() >= HubState::kMaxGroupsPerConnection)
            break; // the same cap as joinGroup (docs/emulator.md "Limits")
        if (names::checkGroup(group).isEmpty())
            connection.groups.insert(group);
    }
    connection.sink = std::make_shared<MqttSink>(this);
    if (!hub.addConnection(std::move(connection)))
        return refuseConnect(ConnectReturn311::IdentifierRejected, Reason::ClientIdentifierNotValid,
                             u"The client ID is in use by another connection."_s);
    m_registered = true;
    m_snapshot = *hub.connection(m_id);
    m_state = State::Open;

    Connack connack;
    connack.sessionPresent = false; // sessions are not kept (docs/emulator.md)
    connack.code = Reason::Success;
    if (v5) {
        connack.properties.retainAvailable = 0;
        connack.properties.wildcardSubscriptionAvailable = 0;
        connack.properties.sharedSubscriptionAvailable = 0;
        connack.properties.topicAliasMaximum = 0;
        connack.properties.sessionExpiryInterval = 0;
        connack.properties.maximumPacketSize =
            static_cast<quint32>(m_endpoint.m_limits.socket.maxMessageBytes);
        if (m_assignedId)
            connack.properties.assignedClientIdentifier = m_id;
    }
    send(connack);
    if (m_keepAlive.interval() > 0)
        m_keepAlive.start();
    qCInfo(lcMqtt).noquote() << "MQTT" << (v5 ? "5.0" : "3.1.1") << "client" << m_id << "connected to hub"
                             << m_hubName;
    if (m_endpoint.m_liveTrace && m_endpoint.m_liveTrace->isActive())
        m_endpoint.m_liveTrace->connectionConnected(m_hubName, m_id, userIdText());
    if (m_endpoint.m_events) {
        m_connectedSent = true;
        m_endpoint.m_events->connected(eventContext());
        // Groups from the token or the connect answer: joined after `connected`.
        if (const Connection *self = hub.connection(m_id)) {
            QStringList groups(self->groups.cbegin(), self->groups.cend());
            std::sort(groups.begin(), groups.end());
            for (const QString &group : std::as_const(groups))
                membershipChanged(group, true);
        }
    }
    const QList<Packet> early = std::exchange(m_early, {});
    for (const Packet &packet : early)
        if (m_state == State::Open)
            handle(packet);
}

void MqttSession::onPublish(const mqtt::Publish &publish)
{
    using namespace mqtt;
    const bool v5 = m_version == Version::V5;
    if (v5 && publish.properties.topicAlias)
        return fail(Reason::TopicAliasInvalid, u"Topic aliases are not supported."_s);
    if (v5 && publish.retain)
        return fail(Reason::RetainNotSupported, u"Retained messages are not supported."_s);
    if (publish.qos == 2 && m_incomingQos2.contains(publish.packetId)) {
        send(PubAck{PacketType::Pubrec, publish.packetId, Reason::Success, {}}); // a resend: delivered once
        return;
    }
    quint8 code = Reason::Success;
    QString why;
    HubState &hub = m_endpoint.m_hubs.hub(m_hubName);
    if (const QString error = names::checkGroup(publish.topic); !error.isEmpty()) {
        code = Reason::TopicNameInvalid;
        why = error;
    } else if (!hub.hasPermission(m_id, u"sendToGroup"_s, publish.topic)) {
        code = Reason::NotAuthorized;
        why = u"The connection has no permission to publish to '%1' (webpubsub.sendToGroup)."_s.arg(
            publish.topic);
    }
    if (code == Reason::Success) {
        const bool utf8 = v5 && publish.properties.payloadFormatIndicator.value_or(0) == 1;
        publishToGroup(publish.topic, publish.payload, utf8);
    } else {
        qCInfo(lcMqtt).noquote() << "PUBLISH of" << m_id << "refused:" << why;
    }
    PubAck ack;
    ack.packetId = publish.packetId;
    ack.reasonCode = v5 ? code : Reason::Success; // 3.1.1 cannot refuse a PUBLISH: acknowledged, dropped
    if (v5 && code != Reason::Success)
        ack.properties.reasonString = why.left(1024);
    if (publish.qos == 1) {
        ack.type = PacketType::Puback;
        send(ack);
    } else if (publish.qos == 2) {
        ack.type = PacketType::Pubrec;
        if (code == Reason::Success)
            m_incomingQos2.insert(publish.packetId);
        send(ack);
    }
}

void MqttSession::publishToGroup(const QString &topic, const QByteArray &payload, bool utf8)
{
    HubState &hub = m_endpoint.m_hubs.hub(m_hubName);
    Delivery delivery;
    delivery.group = topic;
    delivery.data = payload;
    // MQTT payloads are bytes; a 5.0 "UTF-8" payload format indicator makes them text for Web PubSub clients.
    delivery.dataType = utf8 ? DataType::Text : DataType::Binary;
    delivery.fromUserId = m_userId;
    const bool noLocal = m_subscriptions.value(topic).noLocal;
    const QStringList members = hub.connectionsInGroup(topic);
    for (const QString &member : members) {
        if (noLocal && member == m_id)
            continue;
        hub.deliver(member, delivery);
    }
}

void MqttSession::onSubscribe(const mqtt::Subscribe &subscribe)
{
    using namespace mqtt;
    const bool v5 = m_version == Version::V5;
    HubState &hub = m_endpoint.m_hubs.hub(m_hubName);
    Suback suback;
    suback.packetId = subscribe.packetId;
    QStringList refusals;
    for (const Subscription &sub : subscribe.subscriptions) {
        quint8 code = sub.qos; // granted as asked; messages still go out at QoS 1 at most
        if (isSharedSubscription(sub.topicFilter))
            code = Reason::SharedSubscriptionsNotSupported;
        else if (hasWildcard(sub.topicFilter))
            code = Reason::WildcardSubscriptionsNotSupported;
        else if (!isValidTopicFilter(sub.topicFilter) || !names::checkGroup(sub.topicFilter).isEmpty())
            code = Reason::TopicFilterInvalid;
        else if (!hub.hasPermission(m_id, u"joinLeaveGroup"_s, sub.topicFilter))
            code = Reason::NotAuthorized;
        else if (hub.atGroupLimit(m_id, sub.topicFilter))
            code = Reason::QuotaExceeded; // the same cap as joinGroup (docs/emulator.md "Limits")
        if (code >= 0x80) {
            refusals << u"'%1': %2"_s.arg(sub.topicFilter.left(64), reasonName(code));
            suback.reasonCodes.append(v5 ? code : quint8(0x80));
            continue;
        }
        hub.addToGroup(m_id, sub.topicFilter);
        SubscriptionOptions options;
        options.qos = sub.qos;
        options.noLocal = sub.noLocal;
        options.identifier = subscribe.properties.subscriptionIdentifiers.value(0, 0);
        m_subscriptions.insert(sub.topicFilter, options);
        suback.reasonCodes.append(code);
    }
    if (!refusals.isEmpty()) {
        qCInfo(lcMqtt).noquote() << "SUBSCRIBE of" << m_id << "refused for" << refusals.join(u"; "_s);
        if (v5)
            suback.properties.reasonString = refusals.join(u"; "_s).left(1024);
    }
    send(suback);
}

void MqttSession::onUnsubscribe(const mqtt::Unsubscribe &unsubscribe)
{
    using namespace mqtt;
    HubState &hub = m_endpoint.m_hubs.hub(m_hubName);
    Unsuback unsuback;
    unsuback.packetId = unsubscribe.packetId;
    for (const QString &filter : unsubscribe.topicFilters) {
        const Connection *self = hub.connection(m_id);
        const bool member = self && self->groups.contains(filter);
        quint8 code = member ? Reason::Success : Reason::NoSubscriptionExisted;
        if (member && !hub.hasPermission(m_id, u"joinLeaveGroup"_s, filter))
            code = Reason::NotAuthorized;
        if (code == Reason::Success) {
            hub.removeFromGroup(m_id, filter);
            m_subscriptions.remove(filter);
        }
        unsuback.reasonCodes.append(code);
    }
    send(unsuback);
}

void MqttSession::deliver(const Delivery &message)
{
    using namespace mqtt;
    if (m_state != State::Open || !m_socket)
        return;
    Publish publish;
    publish.topic = message.group.isEmpty() ? kServerTopic : message.group;
    publish.payload = message.data;
    // Messages go out at QoS 1 (as the service publishes them), downgraded to the subscription's QoS.
    const auto sub = m_subscriptions.constFind(message.group);
    publish.qos =
        message.group.isEmpty() || sub == m_subscriptions.cend() ? 1 : std::min<quint8>(1, sub->qos);
    if (publish.qos == 1 && m_unacked.size() >= m_receiveMaximum)
        publish.qos = 0; // the client's receive maximum is reached: this one goes without an acknowledgement
    if (publish.qos == 1) {
        while (m_unacked.contains(m_nextPacketId) || m_nextPacketId == 0)
            ++m_nextPacketId;
        publish.packetId = m_nextPacketId++;
        m_unacked.insert(publish.packetId);
    }
    if (m_version == Version::V5 && sub != m_subscriptions.cend() && sub->identifier != 0)
        publish.properties.subscriptionIdentifiers = {sub->identifier};
    if (m_endpoint.m_liveTrace && m_endpoint.m_liveTrace->isActive())
        m_endpoint.m_liveTrace->messageSent(m_hubName, m_id, userIdText(), message.group,
                                            message.group.isEmpty() ? u"serverMessage"_s : u"groupMessage"_s,
                                            message.data.size());
    if (!send(publish)) {
        qCInfo(lcMqtt).noquote() << "MQTT client" << m_id << "does not keep up: closed";
        QTimer::singleShot(0, this, [this] {
            if (m_state != State::Closed)
                end(u"The client did not read its messages fast enough."_s, true, false);
        });
    }
}

void MqttSession::closeByService(const QString &reason)
{
    // The hub has already forgotten the connection.
    m_registered = false;
    if (m_state == State::Closed)
        return;
    if (m_version == mqtt::Version::V5) {
        mqtt::Disconnect disconnect;
        disconnect.reasonCode = reason == kTakenOver ? mqtt::Reason::SessionTakenOver : kAdministrativeAction;
        disconnect.properties.reasonString = reason.left(1024);
        send(disconnect);
    }
    // Ended from the event loop: this may be called inside a hub operation.
    QTimer::singleShot(0, this, [this, reason] {
        if (m_state != State::Closed)
            end(reason.isEmpty() ? u"Closed by the service."_s : reason, true, false);
    });
}

bool MqttSession::send(const mqtt::Packet &packet)
{
    if (!m_socket)
        return false;
    auto bytes = mqtt::encode(packet, m_version);
    if (!bytes) {
        qCWarning(lcMqtt).noquote() << "cannot encode" << mqtt::packetTypeName(mqtt::packetType(packet))
                                    << "for" << m_id << ":" << bytes.error();
        return false;
    }
    const bool capped = std::holds_alternative<mqtt::Publish>(packet);
    return m_socket->sendFrame(ws::frame(ws::Opcode::Binary, *bytes), capped);
}

void MqttSession::fail(quint8 code, const QString &reason)
{
    if (m_state == State::Closed)
        return;
    qCInfo(lcMqtt).noquote() << "MQTT client" << m_id << "closed:" << reason;
    if (m_version == mqtt::Version::V5 && m_state == State::Open) {
        mqtt::Disconnect disconnect;
        disconnect.reasonCode = code;
        disconnect.properties.reasonString = reason.left(1024);
        send(disconnect);
    }
    end(reason, true, false);
}

void MqttSession::end(const QString &reason, bool publishWill, bool initiatedByClient)
{
    if (m_state == State::Closed)
        return;
    const bool wasOpen = m_state == State::Open;
    m_state = State::Closed;
    m_keepAlive.stop();
    m_connectTimer.stop();
    HubState &hub = m_endpoint.m_hubs.hub(m_hubName);
    if (m_registered) {
        m_registered = false;
        if (const Connection *self = hub.connection(m_id))
            m_snapshot = *self;
        hub.removeConnection(m_id);
    }
    if (wasOpen && publishWill && m_will && names::checkGroup(m_will->topic).isEmpty()) {
        // The will is a message from this client: it needs the same permission as a PUBLISH, checked on a
        // stand-in of the connection (the hub no longer has it; REST grants are lost on a REST close).
        const mqtt::Will will = *std::exchange(m_will, std::nullopt);
        HubState probe;
        Connection self = m_snapshot;
        self.sink.reset();
        self.groups.clear();
        probe.addConnection(self);
        if (probe.hasPermission(m_id, u"sendToGroup"_s, will.topic)) {
            qCInfo(lcMqtt).noquote() << "will of" << m_id << "published to" << will.topic;
            publishToGroup(will.topic, will.payload, will.properties.payloadFormatIndicator.value_or(0) == 1);
        } else {
            qCInfo(lcMqtt).noquote() << "will of" << m_id << "dropped: no permission to publish to"
                                     << will.topic;
        }
    }
    if (wasOpen) {
        if (m_endpoint.m_liveTrace && m_endpoint.m_liveTrace->isActive())
            m_endpoint.m_liveTrace->connectionDisconnected(m_hubName, m_id, userIdText(), reason);
        if (m_connectedSent && m_endpoint.m_events) {
            ClientEventContext context = eventContext();
            QJsonObject mqttBody{{u"initiatedByClient"_s, initiatedByClient}};
            if (m_disconnectPacket) {
                QJsonObject packet{{u"code"_s, static_cast<int>(m_disconnectPacket->reasonCode)}};
                if (!m_disconnectPacket->properties.userProperties.isEmpty())
                    packet.insert(u"userProperties"_s,
                                  userPropertiesJson(m_disconnectPacket->properties.userProperties));
                mqttBody.insert(u"disconnectPacket"_s, packet);
            }
            context.mqtt->body = mqttBody;
            m_endpoint.m_events->disconnected(context, reason);
        }
    }
    if (m_socket && m_socket->isOpen())
        m_socket->close(ws::CloseCode::Normal, QString());
}

MqttEndpoint::MqttEndpoint(HubRegistry &hubs, std::function<QList<QByteArray>()> keys,
                           const EmulatorConfig &config, const ClientLimits &limits, QObject *parent)
    : QObject(parent)
    , m_hubs(hubs)
    , m_keys(std::move(keys))
    , m_config(config)
    , m_limits(limits)
{
}

MqttEndpoint::~MqttEndpoint()
{
    // Sessions are children; they must not reach back into the endpoint while it is destroyed.
    const QSet<MqttSession *> sessions = std::exchange(m_sessions, {});
    for (MqttSession *session : sessions)
        delete session;
}

bool MqttEndpoint::handles(QByteArrayView path)
{
    return path.startsWith("/clients/mqtt/") || path == "/clients/mqtt";
}

void MqttEndpoint::refuse(QTcpSocket *socket, const HttpRequest &request, int status, const QString &message)
{
    const QString code = status == 404 ? u"Error.NotFound"_s : u"Error.BadRequest"_s;
    socket->write(serializeResponse(
        HttpResponse::json(status, QJsonObject{{u"code"_s, code}, {u"message"_s, message}}), false, false));
    socket->disconnectFromHost();
    qCInfo(lcMqtt).noquote() << QString::fromLatin1(request.method) << QString::fromUtf8(request.path)
                             << "(upgrade)" << status << message;
}

void MqttEndpoint::takeOver(QTcpSocket *socket, const HttpRequest &request)
{
    socket->setParent(this);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    if (!request.path.startsWith("/clients/mqtt/hubs/"))
        return refuse(socket, request, 404, u"No WebSocket endpoint at this path."_s);
    const QByteArray segment = request.path.mid(19);
    if (segment.isEmpty() || segment.contains('/'))
        return refuse(socket, request, 404, u"No WebSocket endpoint at this path."_s);
    const QString hubName = QUrl::fromPercentEncoding(segment);
    if (request.method != "GET")
        return refuse(socket, request, 400, u"A WebSocket upgrade must be a GET request."_s);
    if (const QString error = names::checkHub(hubName); !error.isEmpty())
        return refuse(socket, request, 400, error);
    if (request.header("sec-websocket-version").trimmed() != "13")
        return refuse(socket, request, 426, u"Only WebSocket version 13 is supported."_s);
    if (QByteArray::fromBase64(request.header("sec-websocket-key").trimmed()).size() != 16)
        return refuse(socket, request, 400, u"Sec-WebSocket-Key is missing or invalid."_s);
    if (!ClientEndpoint::offeredProtocols(request).contains(u"mqtt"_s))
        return refuse(socket, request, 400, u"MQTT over WebSocket needs the subprotocol 'mqtt'."_s);

    // The token is checked now; a refusal is sent as the CONNACK code once the CONNECT says which MQTT
    // version the client reads.
    QByteArray token =
        ClientEndpoint::queryParameter(request, u"access_token"_s).value_or(QString()).toUtf8();
    const QByteArray authorization = request.header("authorization").trimmed();
    if (token.isEmpty() && authorization.toLower().startsWith("bearer "))
        token = authorization.mid(7).trimmed();
    QJsonObject claims;
    QString authError;
    if (token.isEmpty()) {
        if (!m_config.hubs.value(hubName).anonymousConnect)
            authError = u"An access token is required (anonymous connections are not allowed in this hub)."_s;
    } else if (auto verified = jwt::verifyHs256(token, m_keys()); !verified) {
        authError = verified.error().message;
    } else {
        claims = *verified;
        const QUrl expected(u"http://"_s + QString::fromLatin1(request.header("host").trimmed()) +
                            u"/clients/mqtt/hubs/"_s + QString::fromLatin1(QUrl::toPercentEncoding(hubName)));
        bool audienceOk = false;
        for (const QString &audience : jwt::audiences(claims))
            audienceOk = audienceOk || jwt::audienceMatches(audience, expected, false);
        if (!audienceOk) {
            authError = u"The token's audience does not match this hub's MQTT endpoint."_s;
            claims = {};
        }
    }

    QByteArray response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: " +
                          ws::acceptKey(request.header("sec-websocket-key").trimmed()) +
                          "\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n";
    socket->write(response);
    disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater); // the ws::Socket owns it
    qCInfo(lcMqtt).noquote() << "GET" << QString::fromUtf8(request.path) << "(upgrade) 101 mqtt";
    ws::Limits limits = m_limits.socket;
    if (const std::optional<int> seconds = m_config.hubs.value(hubName).keepAliveSeconds)
        limits.keepAliveInterval = std::chrono::seconds(*seconds);
    auto *ws = new ws::Socket(socket, limits);
    auto *session = new MqttSession(*this, ws, request, hubName, claims, authError);
    m_sessions.insert(session);
}

} // namespace wps::emulator
