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

#include <QElapsedTimer>
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
/// How long a session outlives its network connection at most: the service preserves MQTT sessions "for up to
/// 30 seconds" (Microsoft's "MQTT feature support status"). 3.1.1 clean session 0 gets this; a 5.0 Session
/// Expiry Interval is capped at it.
constexpr quint32 kMaxSessionExpirySeconds = 30;
/// QoS 1 messages kept for a session while its client is away; more are dropped (and logged).
constexpr qsizetype kMaxQueuedMessages = 1000;
constexpr qsizetype kMaxQueuedBytes = 16 * 1024 * 1024;
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

/// The data type a Web PubSub receiver sees for an MQTT message: from the 5.0 Content Type as Microsoft's
/// "cross-protocol communication" page maps it; absent, unknown or MQTT 3.1.1: binary.
DataType dataTypeOf(const std::optional<QString> &contentType)
{
    if (!contentType)
        return DataType::Binary;
    if (*contentType == u"application/json"_s)
        return DataType::Json;
    if (*contentType == u"text/plain"_s)
        return DataType::Text;
    if (*contentType == u"application/x-protobuf"_s)
        return DataType::Protobuf;
    return DataType::Binary;
}

/// The other direction, for the Content Type of a PUBLISH to an MQTT 5.0 receiver.
QString contentTypeOf(DataType type)
{
    switch (type) {
    case DataType::Json:
        return u"application/json"_s;
    case DataType::Text:
        return u"text/plain"_s;
    case DataType::Protobuf:
        return u"application/x-protobuf"_s;
    case DataType::Binary:
        break;
    }
    return u"application/octet-stream"_s;
}

/// Where the packet identifier of an encoded QoS > 0 PUBLISH starts: after the fixed header (type byte and
/// variable-length remaining length) and the topic (two length bytes and the topic).
qsizetype publishPacketIdOffset(const QByteArray &packet)
{
    qsizetype i = 1;
    while (i < packet.size() && (static_cast<quint8>(packet.at(i)) & 0x80))
        ++i;
    ++i;
    const int topicLength = (static_cast<quint8>(packet.at(i)) << 8) | static_cast<quint8>(packet.at(i + 1));
    return i + 2 + topicLength;
}

} // namespace

/// One MQTT session and its current network connection. A session with an expiry (3.1.1 clean session 0,
/// 5.0 Session Expiry Interval > 0) outlives its network connection for up to 30 s ("parked": it stays a
/// connection of the hub, keeps its groups and queues QoS 1 messages); a CONNECT with the same client ID and
/// clean start 0 resumes it, and the new network connection's MqttSession takes its state over.
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

    struct SubscriptionOptions
    {
        quint8 qos = 1;
        bool noLocal = false;
        quint32 identifier = 0; ///< 5.0 subscription identifier; 0 = none
    };
    /// What a resuming network connection takes over from the session's previous one.
    struct SessionState
    {
        QHash<QString, SubscriptionOptions> subscriptions;
        QList<Delivery> queued;
        QString sessionId;
        bool connectedSent = false;
        std::optional<QByteArray> connectionState;
    };
    /// True when a CONNECT with clean start 0 by \a userId may resume this session.
    bool resumableBy(const std::optional<QString> &userId) const
    {
        return m_sessionExpirySeconds > 0 && (m_state == State::Open || m_state == State::Parked) &&
               m_userId == userId;
    }
    const QString &sessionId() const { return m_sessionId; }
    /// Gives the session to a new network connection: this one stops (an open one is told 0x8E, its will is
    /// published) without ending the session in the hub or upstream.
    SessionState handOver();

private:
    enum class State { AwaitConnect, Authorizing, Open, Parked, Closed };

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
    void publishToGroup(const QString &topic, const QByteArray &payload, DataType dataType);
    bool send(const mqtt::Packet &packet);
    /// A protocol violation: 5.0 DISCONNECT with \a code, then the end (the will is published).
    void fail(quint8 code, const QString &reason);
    /// Ends the session: forgets it in the hub, publishes the will when \a publishWill, sends
    /// `disconnected` (for sessions whose connect succeeded) and closes the WebSocket.
    void end(const QString &reason, bool publishWill, bool initiatedByClient);
    /// A parked session's end: its expiry, a REST close, or a clean-start CONNECT with its client ID.
    void expire(const QString &reason);
    /// The end of the session upstream (`disconnected`) and, with \a trace, on the live trace.
    void sendDisconnected(const QString &reason, bool trace);
    void queue(const Delivery &message);
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
    /// Keep-alive: 1.5 x the client's keep-alive (0 = off). Each packet only restarts m_lastPacket (a clock
    /// read); m_keepAlive fires at the earliest possible deadline and re-arms itself for the rest when a
    /// packet came since. Restarting a QTimer per packet cost a linear scan of every timer of the event loop
    /// (a third of the emulator's instructions in the QoS 1 fan-out bench, where every delivery brings back a
    /// PUBACK).
    std::chrono::milliseconds m_keepAlivePeriod{0};
    QElapsedTimer m_lastPacket;
    QTimer m_keepAlive;
    QTimer m_connectTimer;
    quint64 m_nextEventId = 1;
    std::optional<QByteArray> m_connectionState;
    bool m_assignedId = false;
    Connection m_snapshot; ///< roles and grants, for the will's permission after the hub forgot us
    bool m_cleanStart = true;
    quint32 m_sessionExpirySeconds = 0; ///< granted: 0 = the session ends with the network connection
    QTimer m_expiryTimer;
    QList<Delivery> m_queued; ///< QoS 1 messages for a parked session
    qsizetype m_queuedBytes = 0;
    qsizetype m_droppedWhileAway = 0;
    bool m_endedByClient = false; ///< for the `disconnected` event of a parked session
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
    MqttSession *session() const { return m_session; }

private:
    QPointer<MqttSession> m_session;
};

/// The MQTT session that holds connection \a id in \a hub, or null.
MqttSession *sessionOf(const HubState &hub, const QString &id)
{
    const Connection *c = hub.connection(id);
    const auto *sink = c ? dynamic_cast<const MqttSink *>(c->sink.get()) : nullptr;
    return sink ? sink->session() : nullptr;
}

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
        if (m_state != State::Closed && m_state != State::Parked)
            end(byClient ? u"The client closed the WebSocket without DISCONNECT."_s
                         : (reason.isEmpty() ? u"The connection was lost."_s : reason),
                true, byClient);
        if (m_state == State::Parked)
            return; // the session lives on without a network connection until it expires or resumes
        m_endpoint.m_sessions.remove(this);
        deleteLater();
    });
    m_expiryTimer.setSingleShot(true);
    connect(&m_expiryTimer, &QTimer::timeout, this, [this] {
        expire(u"The session expired %1 s after its network connection ended."_s.arg(m_sessionExpirySeconds));
    });
    m_keepAlive.setSingleShot(true);
    connect(&m_keepAlive, &QTimer::timeout, this, [this] {
        const std::chrono::milliseconds idle{m_lastPacket.elapsed()};
        if (m_state == State::Open && idle < m_keepAlivePeriod) {
            m_keepAlive.start(m_keepAlivePeriod - idle);
            return;
        }
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
    if (m_state == State::Closed || m_state == State::Parked)
        return;
    if (text) {
        // MQTT over WebSocket is carried in binary frames only (MQTT 3.1.1 section 6, 5.0 section 6).
        end(u"MQTT packets must come in binary WebSocket frames."_s, true, false);
        return;
    }
    if (m_endpoint.m_liveTrace && m_endpoint.m_liveTrace->isActive())
        m_endpoint.m_liveTrace->messageReceived(m_hubName, m_id, userIdText(), payload, false);
    // The commonest packet of a QoS 1 fan-out, a receiver's whole PUBACK with nothing but its packet
    // identifier (40 02 <id>, the same bytes in both versions), goes past the decoder's general path (a
    // Packet with its properties per delivery); anything else, or an identifier of 0 (an error the decoder
    // reports), does not.
    if (m_state == State::Open && payload.size() == 4 && m_decoder.buffered() == 0 &&
        static_cast<quint8>(payload.at(0)) == 0x40 && payload.at(1) == 0x02) {
        const auto id = static_cast<quint16>((static_cast<quint8>(payload.at(2)) << 8) |
                                             static_cast<quint8>(payload.at(3)));
        if (id != 0) {
            if (m_keepAlivePeriod.count() > 0)
                m_lastPacket.start();
            m_unacked.remove(id);
            return;
        }
    }
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
        if (m_state == State::Open && m_keepAlivePeriod.count() > 0)
            m_lastPacket.start();
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
        // 5.0: a DISCONNECT may shorten or lengthen the session's expiry, never turn it on
        // (MQTT 5.0 3.14.2.2.2).
        if (const auto expiry = m_disconnectPacket->properties.sessionExpiryInterval;
            expiry && m_sessionExpirySeconds)
            m_sessionExpirySeconds = std::min(*expiry, kMaxSessionExpirySeconds);
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
        publishToGroup(publish.topic, publish.payload,
                       v5 ? dataTypeOf(publish.properties.contentType) : DataType::Binary);
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

void MqttSession::publishToGroup(const QString &topic, const QByteArray &payload, DataType dataType)
{
    HubState &hub = m_endpoint.m_hubs.hub(m_hubName);
    Delivery delivery;
    delivery.group = topic;
    delivery.data = payload;
    delivery.dataType = dataType;
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
    if (m_state == State::Parked)
        return queue(message);
    if (m_state != State::Open || !m_socket)
        return;
    // Messages go out at QoS 1 (as the service publishes them), downgraded to the subscription's QoS.
    const auto sub = m_subscriptions.constFind(message.group);
    quint8 qos = message.group.isEmpty() || sub == m_subscriptions.cend() ? 1 : std::min<quint8>(1, sub->qos);
    if (qos == 1 && m_unacked.size() >= m_receiveMaximum)
        qos = 0; // the client's receive maximum is reached: this one goes without an acknowledgement
    quint16 packetId = 0;
    if (qos == 1) {
        while (m_unacked.contains(m_nextPacketId) || m_nextPacketId == 0)
            ++m_nextPacketId;
        packetId = m_nextPacketId++;
        m_unacked.insert(packetId);
    }
    const bool v5 = m_version == Version::V5;
    const auto publishOf = [&](quint16 id) {
        Publish publish;
        publish.topic = message.group.isEmpty() ? kServerTopic : message.group;
        publish.payload = message.data;
        publish.qos = qos;
        publish.packetId = id;
        if (v5)
            publish.properties.contentType = contentTypeOf(message.dataType);
        return publish;
    };
    if (m_endpoint.m_liveTrace && m_endpoint.m_liveTrace->isActive())
        m_endpoint.m_liveTrace->messageSent(m_hubName, m_id, userIdText(), message.group,
                                            message.group.isEmpty() ? u"serverMessage"_s : u"groupMessage"_s,
                                            message.data.size());
    QByteArray frame;
    if (v5 && sub != m_subscriptions.cend() && sub->identifier != 0) {
        // The subscription identifier is this receiver's own: encoded for it alone.
        Publish publish = publishOf(packetId);
        publish.properties.subscriptionIdentifiers = {sub->identifier};
        auto bytes = encode(publish, m_version);
        if (!bytes) {
            qCWarning(lcMqtt).noquote() << "cannot encode PUBLISH for" << m_id << ":" << bytes.error();
            m_unacked.remove(packetId);
            return;
        }
        frame = ws::frame(ws::Opcode::Binary, *bytes);
    } else {
        // Encoded once per message, version and QoS, and shared by every receiver of this Delivery; a QoS 1
        // copy gets its own packet identifier patched in (the only byte that differs between receivers).
        QByteArray &cached = message.frames.mqtt[v5 ? 1 : 0][qos];
        if (cached.isEmpty()) {
            auto bytes = encode(publishOf(0), m_version);
            if (!bytes) {
                qCWarning(lcMqtt).noquote() << "cannot encode PUBLISH for" << m_id << ":" << bytes.error();
                m_unacked.remove(packetId);
                return;
            }
            cached = ws::frame(ws::Opcode::Binary, *bytes);
            if (qos == 1)
                message.frames.mqttPacketIdAt[v5 ? 1 : 0] =
                    cached.size() - bytes->size() + publishPacketIdOffset(*bytes);
        }
        frame = cached;
        if (qos == 1) {
            const qsizetype at = message.frames.mqttPacketIdAt[v5 ? 1 : 0];
            char *bytes = frame.data(); // detaches: this receiver's copy
            bytes[at] = static_cast<char>(packetId >> 8);
            bytes[at + 1] = static_cast<char>(packetId & 0xFF);
        }
    }
    if (!m_socket->sendFrame(frame, true)) {
        qCInfo(lcMqtt).noquote() << "MQTT client" << m_id << "does not keep up: closed";
        QTimer::singleShot(0, this, [this] {
            if (m_state != State::Closed)
                end(u"The client did not read its messages fast enough."_s, true, false);
        });
    }
}

void MqttSession::queue(const Delivery &message)
{
    // Kept for the client's return: QoS 1 messages only (QoS 0 ones are not kept, as MQTT allows), bounded.
    const auto sub = m_subscriptions.constFind(message.group);
    if (!message.group.isEmpty() && sub != m_subscriptions.cend() && sub->qos == 0)
        return;
    if (m_queued.size() >= kMaxQueuedMessages || m_queuedBytes + message.data.size() > kMaxQueuedBytes) {
        if (m_droppedWhileAway++ == 0)
            qCInfo(lcMqtt).noquote() << "session" << m_id << "holds" << m_queued.size()
                                     << "messages for its absent client: further ones are dropped";
        return;
    }
    Delivery copy = message;
    copy.frames = {}; // encoded again on resumption, for the new connection's version and packet identifiers
    m_queuedBytes += copy.data.size();
    m_queued.append(std::move(copy));
}

MqttSession::SessionState MqttSession::handOver()
{
    SessionState state{m_subscriptions, std::exchange(m_queued, {}), m_sessionId, m_connectedSent,
                       m_connectionState};
    m_queuedBytes = 0;
    m_expiryTimer.stop();
    // The hub connection and the upstream session now belong to the new network connection.
    m_registered = false;
    m_connectedSent = false;
    m_sessionExpirySeconds = 0;
    if (m_state == State::Parked) {
        m_state = State::Closed;
        m_endpoint.m_sessions.remove(this);
        deleteLater();
    } else if (m_state == State::Open) {
        if (m_version == mqtt::Version::V5) {
            mqtt::Disconnect disconnect;
            disconnect.reasonCode = mqtt::Reason::SessionTakenOver;
            disconnect.properties.reasonString = kTakenOver;
            send(disconnect);
        }
        end(kTakenOver, true, false);
    }
    return state;
}

void MqttSession::sendDisconnected(const QString &reason, bool trace)
{
    if (trace && m_endpoint.m_liveTrace && m_endpoint.m_liveTrace->isActive())
        m_endpoint.m_liveTrace->connectionDisconnected(m_hubName, m_id, userIdText(), reason);
    if (!m_connectedSent || !m_endpoint.m_events)
        return;
    m_connectedSent = false;
    ClientEventContext context = eventContext();
    QJsonObject mqttBody{{u"initiatedByClient"_s, m_endedByClient}};
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

void MqttSession::expire(const QString &reason)
{
    if (m_state != State::Parked)
        return;
    m_state = State::Closed;
    m_expiryTimer.stop();
    if (m_registered) {
        m_registered = false;
        m_endpoint.m_hubs.hub(m_hubName).removeConnection(m_id);
    }
    qCInfo(lcMqtt).noquote() << "session" << m_id << "ended:" << reason
                             << (m_droppedWhileAway
                                     ? u"(%1 messages dropped while away)"_s.arg(m_droppedWhileAway)
                                     : QString());
    sendDisconnected(reason,
                     false); // the live trace recorded the network connection's end when it was parked
    m_endpoint.m_sessions.remove(this);
    deleteLater();
}

void MqttSession::closeByService(const QString &reason)
{
    // The hub has already forgotten the connection.
    m_registered = false;
    m_sessionExpirySeconds =
        0; // a REST close or a clean-start takeover ends the session, not just the network
    if (m_state == State::Closed)
        return;
    if (m_state == State::Parked) {
        QTimer::singleShot(
            0, this, [this, reason] { expire(reason.isEmpty() ? u"Closed by the service."_s : reason); });
        return;
    }
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
    if (m_state == State::Closed || m_state == State::Parked)
        return;
    const bool wasOpen = m_state == State::Open;
    // A session with an expiry outlives its network connection (it is parked until it resumes or expires).
    const bool park = wasOpen && m_registered && m_sessionExpirySeconds > 0;
    m_state = park ? State::Parked : State::Closed;
    m_endedByClient = initiatedByClient;
    m_keepAlive.stop();
    m_connectTimer.stop();
    HubState &hub = m_endpoint.m_hubs.hub(m_hubName);
    if (m_registered) {
        if (const Connection *self = hub.connection(m_id))
            m_snapshot = *self;
        if (!park) {
            m_registered = false;
            hub.removeConnection(m_id);
        }
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
            publishToGroup(will.topic, will.payload,
                           m_version == mqtt::Version::V5 ? dataTypeOf(will.properties.contentType)
                                                          : DataType::Binary);
        } else {
            qCInfo(lcMqtt).noquote() << "will of" << m_id << "dropped: no permission to publish to"
                                     << will.topic;
        }
    }
    if (park) {
        qCInfo(lcMqtt).noquote() << u"MQTT client %1 left (%2): its session is kept for %3 s"_s.arg(
            m_id, reason, QString::number(m_sessionExpirySeconds));
        if (m_endpoint.m_liveTrace && m_endpoint.m_liveTrace->isActive())
            m_endpoint.m_liveTrace->connectionDisconnected(
                m_hubName, m_id, userIdText(),
                reason + u" The session is kept for %1 s."_s.arg(m_sessionExpirySeconds));
        m_expiryTimer.start(std::chrono::seconds(m_sessionExpirySeconds));
    } else if (wasOpen) {
        sendDisconnected(reason, true);
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
