#include "emulator/mqttsession_p.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator {

using namespace mqttdetail;

namespace {

/// QoS 1 messages kept for a session while its client is away; more are dropped (and logged).
constexpr qsizetype kMaxQueuedMessages = 1000;
constexpr qsizetype kMaxQueuedBytes = 16 * 1024 * 1024;

} // namespace

namespace mqttdetail {

MqttSession *sessionOf(const HubState &hub, const QString &id)
{
    const Connection *c = hub.connection(id);
    const auto *sink = c ? dynamic_cast<const MqttSink *>(c->sink.get()) : nullptr;
    return sink ? sink->session() : nullptr;
}

} // namespace mqttdetail

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

} // namespace wps::emulator
