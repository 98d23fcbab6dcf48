#include "emulator/clientendpoint.h"
#include "emulator/livetrace.h"
#include "emulator/mqttsession_p.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator {

namespace {

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

/// The CONNACK for a connect handler's refusal: its MQTT answer {"mqtt": {"code", "reason",
/// "userProperties"}}, else its status mapped as the express SDK maps it (400 bad user name or password, 401
/// not authorized, anything else server unavailable / unspecified error).
MqttSession::ConnectRefusal connectRefusalOf(const ClientConnectDecision &decision)
{
    using namespace mqtt;
    const QJsonObject body = QJsonDocument::fromJson(decision.body).object().value(u"mqtt"_s).toObject();
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
        code311 = code >= 1 && code <= 5 ? static_cast<quint8>(code) : ConnectReturn311::ServerUnavailable;
        code5 = code >= 0x80 && code <= 0xFF ? static_cast<quint8>(code) : Reason::UnspecifiedError;
    }
    return {code311, code5, reason, props};
}

} // namespace

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

bool MqttSession::sendConnectEvent(const mqtt::Connect &connect, const cloudevents::ConnectIdentity &identity)
{
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
    return m_endpoint.m_events->connecting(request, this, [this](const ClientConnectDecision &decision) {
        if (m_state != State::Authorizing)
            return;
        if (decision.accepted) {
            accept(decision.identity, decision.connectionState);
            return;
        }
        refuseConnect(connectRefusalOf(decision));
    });
}

void MqttSession::sendConnected(const HubState &hub)
{
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

} // namespace wps::emulator
