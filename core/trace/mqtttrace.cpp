#include "trace/mqtttrace.h"

#include "protocol/jsontext.h"
#include "trace/tracestore.h"

#include <QDateTime>
#include <QPointer>

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

TraceEvent fromMqttPacket(const live::MqttPacketRecord &record, const QString &hub, const QString &clientId,
                          const QString &userId, qint64 timestampMs)
{
    TraceEvent event;
    event.timestampMs = timestampMs;
    event.kind = Kind::Frame;
    event.direction = record.outgoing ? Direction::Out : Direction::In;
    event.hub = hub;
    event.connectionId = clientId;
    event.userId = userId;
    event.group = record.topic == u"$webpubsub/server/messages"_s ? QString() : record.topic;
    event.type = record.type;
    event.detail = record.summary;
    event.payload = record.payload;
    event.size = record.size > 0 ? record.size : record.payload.size();
    // MQTT payloads are bytes: shown as text only when they are valid UTF-8.
    event.binary = !jsontext::isValidUtf8(record.payload);
    event.correlation = clientId.isEmpty() ? QString() : u"conn:"_s + clientId;
    return event;
}

void attach(live::MqttLiveClient *client, TraceStore *store, const QString &hub, const QString &userId)
{
    QPointer<TraceStore> target(store);
    QObject::connect(client, &live::MqttLiveClient::packetTraced, client,
                     [client, target, hub, userId](const live::MqttPacketRecord &record) {
                         if (target)
                             target->append(fromMqttPacket(record, hub, client->clientId(), userId,
                                                           QDateTime::currentMSecsSinceEpoch()));
                     });
    const auto lifecycle = [client, target, hub, userId](const QString &type, const QString &detail) {
        if (!target)
            return;
        TraceEvent event;
        event.timestampMs = QDateTime::currentMSecsSinceEpoch();
        event.kind = Kind::Lifecycle;
        event.hub = hub;
        event.connectionId = client->clientId();
        event.userId = userId;
        event.type = type;
        event.detail = detail;
        event.correlation = event.connectionId.isEmpty() ? QString() : u"conn:"_s + event.connectionId;
        target->append(event);
    };
    QObject::connect(client, &live::MqttLiveClient::connected, client, [lifecycle](const QString &clientId) {
        lifecycle(u"connected"_s, u"MQTT client %1 connected"_s.arg(clientId));
    });
    QObject::connect(client, &live::MqttLiveClient::disconnected, client,
                     [lifecycle](const QString &message) { lifecycle(u"disconnected"_s, message); });
}

} // namespace wps::trace
