#pragma once

#include "live/mqttclient.h"
#include "trace/traceevent.h"

#include <QMetaObject>

namespace wps::trace {

class TraceStore;

/// An MQTT client's packet as a trace row: a Frame (In/Out) whose type is the packet's name (PUBLISH,
/// SUBACK, ...), whose detail is the packet's readable summary ("PUBLISH room1 QoS1 12 B", "CONNACK 0x87 Not
/// authorized"), whose group is the topic and whose payload is a PUBLISH's payload byte for byte. The
/// connection is the client ID ("conn:<client id>" correlates the client's rows).
TraceEvent fromMqttPacket(const live::MqttPacketRecord &record, const QString &hub, const QString &clientId,
                          const QString &userId, qint64 timestampMs);

/// Feeds \a client's packets, and its connected/disconnected moments, into \a store for \a hub; \a userId is
/// the token's user (MQTT packets do not say). Disconnect the returned connections' owner (the client) to
/// stop: they end with it.
void attach(live::MqttLiveClient *client, TraceStore *store, const QString &hub, const QString &userId);

} // namespace wps::trace
