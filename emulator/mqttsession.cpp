#include "emulator/livetrace.h"
#include "emulator/mqttsession_p.h"
#include "protocol/names.h"

#include <QRandomGenerator>

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator {

using namespace mqttdetail;

namespace {

/// Packets a client may send before its CONNACK (they wait for the connect handler's answer).
constexpr int kMaxEarlyPackets = 100;
constexpr std::chrono::seconds kConnectTimeout{30};
constexpr quint8 kAdministrativeAction = 0x98;

} // namespace

namespace mqttdetail {

QString randomId(int length)
{
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    QString id;
    id.reserve(length);
    for (int i = 0; i < length; ++i)
        id += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(62)]);
    return id;
}

} // namespace mqttdetail

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
    socket->setMessageHandler([this](QByteArrayView payload, bool text) { onMessage(payload, text); });
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

void MqttSession::onMessage(QByteArrayView payload, bool text)
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
                    refuseConnect({mqtt::ConnectReturn311::UnacceptableProtocolVersion,
                                   mqtt::Reason::UnsupportedProtocolVersion, error.message});
                } else {
                    refuseConnect(
                        {mqtt::ConnectReturn311::ServerUnavailable, error.reasonCode, error.message});
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

} // namespace wps::emulator
