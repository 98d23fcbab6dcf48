#include "emulator/livetrace.h"
#include "emulator/mqttsession_p.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator {

using namespace mqttdetail;

namespace mqttdetail {

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

} // namespace mqttdetail

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

} // namespace wps::emulator
