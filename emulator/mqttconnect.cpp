#include "emulator/clientendpoint.h"
#include "emulator/livetrace.h"
#include "emulator/mqttsession_p.h"
#include "protocol/names.h"

#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator {

using namespace mqttdetail;

namespace {

/// The service's documented limits on CONNECT.
constexpr int kMaxKeepAlive311 = 180;
constexpr qsizetype kMaxWillTopicChars = 1024;
constexpr qsizetype kMaxWillPayloadBytes = 2000;
constexpr quint8 kBadAuthenticationMethod = 0x8C;

bool isValidClientId(const QString &id)
{
    static const QRegularExpression re(u"^[0-9a-zA-Z]{1,128}$"_s);
    return re.match(id).hasMatch();
}

} // namespace

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
    // Sessions: 3.1.1 clean session 0 keeps one for the service's 30 s; 5.0 for its Session Expiry Interval,
    // capped at 30 s (the CONNACK says what was granted).
    m_cleanStart = connect.cleanStart;
    m_sessionExpirySeconds =
        v5 ? std::min(connect.properties.sessionExpiryInterval.value_or(0), kMaxSessionExpirySeconds)
           : (connect.cleanStart ? 0 : kMaxSessionExpirySeconds);
    m_sessionId = randomId(32);
    if (connect.keepAlive > 0)
        m_keepAlivePeriod = std::chrono::milliseconds(connect.keepAlive) * 1500;

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
    if (!m_cleanStart)
        if (MqttSession *old = sessionOf(m_endpoint.m_hubs.hub(m_hubName), m_id);
            old && old->resumableBy(m_userId))
            m_sessionId = old->sessionId(); // the same session on a new network connection

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
    if (identity.userId && !identity.userId->isEmpty())
        m_userId = identity.userId;
    else
        m_userId.reset();
    std::optional<SessionState> resumed;
    if (const Connection *existing = hub.connection(m_id)) {
        // A second connection with the same client ID takes the session over (MQTT 3.1.1 3.1.4, 5.0 3.1.4):
        // with clean start 0 it resumes a kept session of the same user, else the old session ends. A Web
        // PubSub connection with that ID (never alphanumeric-only in practice) refuses the new one.
        if (existing->protocol.value_or(QString()) != u"mqtt"_s)
            return refuseConnect(ConnectReturn311::IdentifierRejected, Reason::ClientIdentifierNotValid,
                                 u"The client ID is in use by another connection."_s);
        MqttSession *old = sessionOf(hub, m_id);
        if (!m_cleanStart && old && old->resumableBy(m_userId))
            resumed = old->handOver();
        else
            hub.closeConnection(m_id, kTakenOver);
    }
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
    if (resumed) {
        // The hub connection stays (groups, REST grants, user); it gets this network connection and the roles
        // of its token.
        hub.reattach(m_id, connection.sink, connection.roles);
        for (const QString &group : std::as_const(connection.groups))
            hub.addToGroup(m_id, group);
        m_subscriptions = resumed->subscriptions;
        m_sessionId = resumed->sessionId;
        m_connectedSent = resumed->connectedSent;
        if (!m_connectionState)
            m_connectionState = resumed->connectionState;
    } else if (!hub.addConnection(std::move(connection))) {
        return refuseConnect(ConnectReturn311::IdentifierRejected, Reason::ClientIdentifierNotValid,
                             u"The client ID is in use by another connection."_s);
    }
    m_registered = true;
    m_snapshot = *hub.connection(m_id);
    m_state = State::Open;

    Connack connack;
    connack.sessionPresent = resumed.has_value();
    connack.code = Reason::Success;
    if (v5) {
        connack.properties.retainAvailable = 0;
        connack.properties.wildcardSubscriptionAvailable = 0;
        connack.properties.sharedSubscriptionAvailable = 0;
        connack.properties.topicAliasMaximum = 0;
        connack.properties.sessionExpiryInterval = m_sessionExpirySeconds;
        connack.properties.maximumPacketSize =
            static_cast<quint32>(m_endpoint.m_limits.socket.maxMessageBytes);
        if (m_assignedId)
            connack.properties.assignedClientIdentifier = m_id;
    }
    send(connack);
    if (m_keepAlivePeriod.count() > 0) {
        m_lastPacket.start();
        m_keepAlive.start(m_keepAlivePeriod);
    }
    qCInfo(lcMqtt).noquote() << "MQTT" << (v5 ? "5.0" : "3.1.1") << "client" << m_id
                             << (resumed ? "resumed its session in hub" : "connected to hub") << m_hubName;
    if (m_endpoint.m_liveTrace && m_endpoint.m_liveTrace->isActive())
        m_endpoint.m_liveTrace->connectionConnected(m_hubName, m_id, userIdText());
    if (m_endpoint.m_events && !resumed) {
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
    if (resumed) {
        // What arrived while the client was away, in order.
        for (const Delivery &message : std::as_const(resumed->queued))
            if (m_state == State::Open)
                deliver(message);
    }
    const QList<Packet> early = std::exchange(m_early, {});
    for (const Packet &packet : early)
        if (m_state == State::Open)
            handle(packet);
}

} // namespace wps::emulator
