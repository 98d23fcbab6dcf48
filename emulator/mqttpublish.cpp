#include "emulator/livetrace.h"
#include "emulator/mqttsession_p.h"
#include "protocol/names.h"

#include <cstring>

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator {

using namespace mqttdetail;

namespace {

/// REST sends to all, a user or a connection reach MQTT clients on this topic (Microsoft's "REST API in the
/// MQTT context").
const QString kServerTopic = u"$webpubsub/server/messages"_s;

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

namespace mqttdetail {

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

} // namespace mqttdetail

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

namespace {

/// A receiver's copy of a shared QoS 1 frame with its own packet identifier at \a at. Small frames are built
/// in one buffer the thread reuses for every receiver (the socket copies frames under 4 KB into its write
/// buffer, and shares larger ones, in which case the next resize detaches), so a delivery allocates nothing;
/// larger frames get a copy of their own.
QByteArray withPacketId(const QByteArray &shared, qsizetype at, quint16 packetId)
{
    constexpr qsizetype kReusedUpTo = 64 * 1024;
    const auto patch = [&](char *bytes) {
        bytes[at] = static_cast<char>(packetId >> 8);
        bytes[at + 1] = static_cast<char>(packetId & 0xFF);
    };
    if (shared.size() > kReusedUpTo) {
        QByteArray own = shared;
        patch(own.data()); // detaches
        return own;
    }
    thread_local QByteArray reused;
    reused.resize(shared.size()); // no allocation unless a previous frame is still shared
    std::memcpy(reused.data(), shared.constData(), static_cast<size_t>(shared.size()));
    patch(reused.data());
    return reused;
}

} // namespace

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
        frame = qos == 1 ? withPacketId(cached, message.frames.mqttPacketIdAt[v5 ? 1 : 0], packetId) : cached;
    }
    if (!m_socket->sendFrame(frame, true)) {
        qCInfo(lcMqtt).noquote() << "MQTT client" << m_id << "does not keep up: closed";
        QTimer::singleShot(0, this, [this] {
            if (m_state != State::Closed)
                end(u"The client did not read its messages fast enough."_s, true, false);
        });
        return;
    }
    // Recorded once the frame is written: a message that could not be encoded or sent is not "sent".
    if (m_endpoint.m_liveTrace && m_endpoint.m_liveTrace->isActive())
        m_endpoint.m_liveTrace->messageSent(m_hubName, m_id, userIdText(), message.group,
                                            message.group.isEmpty() ? u"serverMessage"_s : u"groupMessage"_s,
                                            message.data.size());
}

} // namespace wps::emulator
