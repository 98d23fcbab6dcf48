#include "emulator/clientendpoint.h"
#include "emulator/livetrace.h"
#include "emulator/mqttsession_p.h"
#include "protocol/names.h"

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

void MqttSession::refuseConnect(const ConnectRefusal &refusal)
{
    qCInfo(lcMqtt).noquote() << "CONNECT of" << (m_id.isEmpty() ? m_physicalId : m_id)
                             << "refused:" << refusal.reason;
    mqtt::Connack connack;
    connack.code = m_version == mqtt::Version::V5 ? refusal.code5 : refusal.code311;
    if (m_version == mqtt::Version::V5) {
        connack.properties.reasonString = refusal.reason.left(1024);
        connack.properties.userProperties = refusal.userProperties;
    }
    send(connack);
    end(u"CONNECT refused: "_s + refusal.reason, false, false);
}

void MqttSession::onConnect(const mqtt::Connect &connect)
{
    m_connectTimer.stop();
    m_version = connect.version;
    if (const auto refusal = takeClientId(connect))
        return refuseConnect(*refusal);
    if (const auto refusal = limitRefusal(connect))
        return refuseConnect(*refusal);
    if (connect.will)
        m_will = *connect.will;
    if (const auto refusal = authenticationRefusal(connect))
        return refuseConnect(*refusal);
    takeSessionOptions(connect);

    const cloudevents::ConnectIdentity identity = tokenIdentity();
    m_userId = identity.userId;
    m_state = State::Authorizing;
    if (!m_cleanStart)
        if (MqttSession *old = sessionOf(m_endpoint.m_hubs.hub(m_hubName), m_id);
            old && old->resumableBy(m_userId))
            m_sessionId = old->sessionId(); // the same session on a new network connection
    if (m_endpoint.m_events && sendConnectEvent(connect, identity))
        return; // the handler's answer accepts or refuses
    accept(identity, std::nullopt);
}

std::optional<MqttSession::ConnectRefusal> MqttSession::takeClientId(const mqtt::Connect &connect)
{
    using namespace mqtt;
    // Client ID: [0-9a-zA-Z]{1,128}; an empty one is assigned (5.0 always, 3.1.1 with a clean session).
    m_id = connect.clientId;
    if (m_id.isEmpty()) {
        if (m_version != Version::V5 && !connect.cleanStart)
            return ConnectRefusal{ConnectReturn311::IdentifierRejected, Reason::ClientIdentifierNotValid,
                                  u"An empty client ID needs a clean session."_s};
        m_id = randomId(32);
        m_assignedId = true;
    } else if (!isValidClientId(m_id)) {
        const QString shown = m_id.left(64);
        m_id.clear();
        return ConnectRefusal{
            ConnectReturn311::IdentifierRejected, Reason::ClientIdentifierNotValid,
            u"The client ID '%1' is not 1 to 128 characters of 0-9, a-z, A-Z."_s.arg(shown)};
    }
    return std::nullopt;
}

std::optional<MqttSession::ConnectRefusal> MqttSession::limitRefusal(const mqtt::Connect &connect) const
{
    using namespace mqtt;
    const bool v5 = m_version == Version::V5;
    if (!v5 && (connect.keepAlive < 1 || connect.keepAlive > kMaxKeepAlive311))
        return ConnectRefusal{
            ConnectReturn311::ServerUnavailable, Reason::UnspecifiedError,
            u"MQTT 3.1.1 keep-alive must be 1 to 180 seconds, not %1."_s.arg(connect.keepAlive)};
    if (!connect.will)
        return std::nullopt;
    const Will &will = *connect.will;
    if (will.topic.trimmed().isEmpty() || will.topic.size() > kMaxWillTopicChars ||
        !isValidTopicName(will.topic))
        return ConnectRefusal{ConnectReturn311::ServerUnavailable, Reason::TopicNameInvalid,
                              u"The will topic must be 1 to 1024 characters, not blank, without + or #."_s};
    if (will.payload.size() > kMaxWillPayloadBytes)
        return ConnectRefusal{ConnectReturn311::ServerUnavailable, Reason::PacketTooLarge,
                              u"The will message is larger than 2,000 bytes."_s};
    if (v5 && will.retain)
        return ConnectRefusal{ConnectReturn311::ServerUnavailable, Reason::RetainNotSupported,
                              u"Retained messages are not supported."_s};
    return std::nullopt;
}

std::optional<MqttSession::ConnectRefusal>
MqttSession::authenticationRefusal(const mqtt::Connect &connect) const
{
    using namespace mqtt;
    if (m_version == Version::V5 && connect.properties.authenticationMethod)
        return ConnectRefusal{ConnectReturn311::ServerUnavailable, kBadAuthenticationMethod,
                              u"Enhanced authentication is not supported."_s};
    if (!m_authError.isEmpty())
        return ConnectRefusal{ConnectReturn311::NotAuthorized, Reason::NotAuthorized, m_authError};
    return std::nullopt;
}

void MqttSession::takeSessionOptions(const mqtt::Connect &connect)
{
    if (connect.properties.receiveMaximum)
        m_receiveMaximum = *connect.properties.receiveMaximum;
    // Sessions: 3.1.1 clean session 0 keeps one for the service's 30 s; 5.0 for its Session Expiry Interval,
    // capped at 30 s (the CONNACK says what was granted).
    m_cleanStart = connect.cleanStart;
    m_sessionExpirySeconds =
        m_version == mqtt::Version::V5
            ? std::min(connect.properties.sessionExpiryInterval.value_or(0), kMaxSessionExpirySeconds)
            : (connect.cleanStart ? 0 : kMaxSessionExpirySeconds);
    m_sessionId = randomId(32);
    if (connect.keepAlive > 0)
        m_keepAlivePeriod = std::chrono::milliseconds(connect.keepAlive) * 1500;
}

cloudevents::ConnectIdentity MqttSession::tokenIdentity() const
{
    cloudevents::ConnectIdentity identity;
    if (m_claims.value(u"sub"_s).isString() && !m_claims.value(u"sub"_s).toString().isEmpty())
        identity.userId = m_claims.value(u"sub"_s).toString();
    identity.roles = ClientEndpoint::claimStrings(m_claims.value(u"role"_s));
    for (const QString &group : ClientEndpoint::claimStrings(m_claims.value(u"webpubsub.group"_s)))
        if (names::checkGroup(group).isEmpty())
            identity.groups << group;
    identity.subprotocol = u"mqtt"_s;
    return identity;
}

void MqttSession::accept(const cloudevents::ConnectIdentity &identity,
                         const std::optional<QByteArray> &connectionState)
{
    using namespace mqtt;
    HubState &hub = m_endpoint.m_hubs.hub(m_hubName);
    if (identity.userId && !identity.userId->isEmpty())
        m_userId = identity.userId;
    else
        m_userId.reset();
    // A Web PubSub connection with the client ID (never alphanumeric-only in practice) refuses the new one.
    if (const Connection *existing = hub.connection(m_id);
        existing && existing->protocol.value_or(QString()) != u"mqtt"_s)
        return refuseConnect({ConnectReturn311::IdentifierRejected, Reason::ClientIdentifierNotValid,
                              u"The client ID is in use by another connection."_s});
    const std::optional<SessionState> resumed = takeOverClientId(hub);
    m_connectionState = connectionState;
    Connection connection = hubConnection(identity);
    if (resumed) {
        resumeSession(hub, connection, *resumed);
    } else if (!hub.addConnection(std::move(connection))) {
        return refuseConnect({ConnectReturn311::IdentifierRejected, Reason::ClientIdentifierNotValid,
                              u"The client ID is in use by another connection."_s});
    }
    m_registered = true;
    m_snapshot = *hub.connection(m_id);
    m_state = State::Open;

    sendConnack(resumed.has_value());
    if (m_keepAlivePeriod.count() > 0) {
        m_lastPacket.start();
        m_keepAlive.start(m_keepAlivePeriod);
    }
    qCInfo(lcMqtt).noquote() << "MQTT" << (m_version == Version::V5 ? "5.0" : "3.1.1") << "client" << m_id
                             << (resumed ? "resumed its session in hub" : "connected to hub") << m_hubName;
    if (m_endpoint.m_liveTrace && m_endpoint.m_liveTrace->isActive())
        m_endpoint.m_liveTrace->connectionConnected(m_hubName, m_id, userIdText());
    if (m_endpoint.m_events && !resumed)
        sendConnected(hub);
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

std::optional<MqttSession::SessionState> MqttSession::takeOverClientId(HubState &hub)
{
    // A second connection with the same client ID takes the session over (MQTT 3.1.1 3.1.4, 5.0 3.1.4): with
    // clean start 0 it resumes a kept session of the same user, else the old session ends.
    if (!hub.connection(m_id))
        return std::nullopt;
    MqttSession *old = sessionOf(hub, m_id);
    if (!m_cleanStart && old && old->resumableBy(m_userId))
        return old->handOver();
    hub.closeConnection(m_id, kTakenOver);
    return std::nullopt;
}

Connection MqttSession::hubConnection(const cloudevents::ConnectIdentity &identity)
{
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
    return connection;
}

void MqttSession::resumeSession(HubState &hub, const Connection &connection, const SessionState &resumed)
{
    // The hub connection stays (groups, REST grants, user); it gets this network connection and the roles
    // of its token.
    hub.reattach(m_id, connection.sink, connection.roles);
    for (const QString &group : std::as_const(connection.groups))
        hub.addToGroup(m_id, group);
    m_subscriptions = resumed.subscriptions;
    m_sessionId = resumed.sessionId;
    m_connectedSent = resumed.connectedSent;
    if (!m_connectionState)
        m_connectionState = resumed.connectionState;
}

void MqttSession::sendConnack(bool sessionPresent)
{
    using namespace mqtt;
    Connack connack;
    connack.sessionPresent = sessionPresent;
    connack.code = Reason::Success;
    if (m_version == Version::V5) {
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
}

} // namespace wps::emulator
