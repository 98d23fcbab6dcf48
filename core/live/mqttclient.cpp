#include "live/mqttclient.h"

#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

using namespace Qt::Literals::StringLiterals;

namespace wps::live {

namespace {

QString connackText(mqtt::Version version, quint8 code)
{
    if (version == mqtt::Version::V5)
        return mqtt::reasonName(code);
    switch (code) {
    case mqtt::ConnectReturn311::UnacceptableProtocolVersion:
        return u"Unacceptable protocol version"_s;
    case mqtt::ConnectReturn311::IdentifierRejected:
        return u"Identifier rejected"_s;
    case mqtt::ConnectReturn311::ServerUnavailable:
        return u"Server unavailable"_s;
    case mqtt::ConnectReturn311::BadUserNameOrPassword:
        return u"Bad user name or password"_s;
    case mqtt::ConnectReturn311::NotAuthorized:
        return u"Not authorized"_s;
    default:
        return u"Refused (%1)"_s.arg(code);
    }
}

QString hexCode(quint8 code)
{
    return u"0x"_s + u"%1"_s.arg(code, 2, 16, QLatin1Char('0')).toUpper();
}

} // namespace

QString describePacket(const mqtt::Packet &packet, mqtt::Version version)
{
    using namespace mqtt;
    const bool v5 = version == Version::V5;
    const auto reason = [](const Properties &p) {
        return p.reasonString ? u" ("_s + *p.reasonString + u')' : QString();
    };
    if (const auto *c = std::get_if<Connect>(&packet))
        return u"CONNECT %1 (MQTT %2%3)"_s.arg(c->clientId.isEmpty() ? u"(server assigns the ID)"_s
                                                                     : c->clientId,
                                               c->version == Version::V5 ? u"5.0"_s : u"3.1.1"_s,
                                               c->cleanStart ? u", clean start"_s : u", resume session"_s);
    if (const auto *a = std::get_if<Connack>(&packet)) {
        if (a->code == 0)
            return a->sessionPresent ? u"CONNACK accepted, session resumed"_s : u"CONNACK accepted"_s;
        return u"CONNACK %1 %2"_s.arg(v5 ? hexCode(a->code) : QString::number(a->code),
                                      connackText(version, a->code)) +
               reason(a->properties);
    }
    if (const auto *p = std::get_if<Publish>(&packet))
        return u"PUBLISH %1 QoS%2 %3 B"_s.arg(p->topic).arg(p->qos).arg(p->payload.size());
    if (const auto *a = std::get_if<PubAck>(&packet)) {
        const QString name = packetTypeName(a->type);
        if (a->reasonCode < 0x80)
            return name;
        return u"%1 refused: %2 %3"_s.arg(name, hexCode(a->reasonCode), reasonName(a->reasonCode)) +
               reason(a->properties);
    }
    if (const auto *s = std::get_if<Subscribe>(&packet)) {
        QStringList topics;
        for (const Subscription &sub : s->subscriptions)
            topics << u"%1 QoS%2"_s.arg(sub.topicFilter).arg(sub.qos);
        return u"SUBSCRIBE "_s + topics.join(u", "_s);
    }
    if (const auto *s = std::get_if<Suback>(&packet)) {
        QStringList codes;
        for (quint8 code : s->reasonCodes)
            codes << (code < 0x80 ? u"granted QoS%1"_s.arg(code)
                                  : u"refused: "_s + (v5 ? reasonName(code) : u"failure"_s));
        return u"SUBACK "_s + codes.join(u", "_s) + reason(s->properties);
    }
    if (const auto *u = std::get_if<Unsubscribe>(&packet))
        return u"UNSUBSCRIBE "_s + u->topicFilters.join(u", "_s);
    if (const auto *d = std::get_if<Disconnect>(&packet))
        return v5 ? u"DISCONNECT %1 %2"_s.arg(hexCode(d->reasonCode), reasonName(d->reasonCode)) +
                        reason(d->properties)
                  : u"DISCONNECT"_s;
    return packetTypeName(packetType(packet));
}

MqttLiveClient::MqttLiveClient(QUrl url, Settings settings, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_settings(std::move(settings))
    , m_clientId(m_settings.clientId)
    , m_decoder(m_settings.version)
{
    connect(&m_pingTimer, &QTimer::timeout, this, [this] { send(mqtt::Pingreq{}); });
}

MqttLiveClient::~MqttLiveClient()
{
    if (m_socket)
        m_socket->abort();
}

void MqttLiveClient::start()
{
    if (m_socket)
        return;
    m_finished = false;
    m_connected = false;
    m_decoder = mqtt::Decoder(m_settings.version);
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    connect(socket, &QWebSocket::connected, this, [this] {
        mqtt::Connect packet;
        packet.version = m_settings.version;
        packet.clientId = m_settings.clientId;
        packet.keepAlive = m_settings.keepAliveSeconds;
        packet.cleanStart = m_settings.cleanStart;
        if (m_settings.version == mqtt::Version::V5 && m_settings.sessionExpirySeconds > 0)
            packet.properties.sessionExpiryInterval = m_settings.sessionExpirySeconds;
        packet.will = m_settings.will;
        send(packet);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, &MqttLiveClient::onBinary);
    connect(socket, &QWebSocket::disconnected, this, [this] {
        finish(m_closeReason.isEmpty()
                   ? (m_socket && !m_socket->closeReason().isEmpty() ? m_socket->closeReason()
                                                                     : u"The connection closed."_s)
                   : m_closeReason);
    });
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({u"mqtt"_s});
    socket->open(QNetworkRequest(m_url), options);
}

void MqttLiveClient::stop()
{
    if (!m_socket) {
        finish(u"Stopped."_s);
        return;
    }
    if (m_connected)
        send(mqtt::Disconnect{});
    m_closeReason = u"Stopped."_s;
    m_socket->close();
}

quint16 MqttLiveClient::nextPacketId()
{
    if (++m_packetId == 0)
        m_packetId = 1;
    return m_packetId;
}

quint16 MqttLiveClient::subscribe(const QString &topic, quint8 qos)
{
    if (!m_connected)
        return 0;
    mqtt::Subscribe subscribe;
    subscribe.packetId = nextPacketId();
    subscribe.subscriptions.append({topic, qos, false, false, 0});
    m_pendingSubscriptions.insert(subscribe.packetId, topic);
    return send(subscribe) ? subscribe.packetId : 0;
}

quint16 MqttLiveClient::publish(const QString &topic, const QByteArray &payload, quint8 qos)
{
    return publish(topic, payload, qos, QString());
}

quint16 MqttLiveClient::publish(const QString &topic, const QByteArray &payload, quint8 qos,
                                const QString &contentType)
{
    if (!m_connected)
        return 0;
    mqtt::Publish publish;
    publish.topic = topic;
    publish.payload = payload;
    if (m_settings.version == mqtt::Version::V5 && !contentType.isEmpty())
        publish.properties.contentType = contentType;
    publish.qos = qos > 1 ? 1 : qos;
    if (publish.qos == 1)
        publish.packetId = nextPacketId();
    if (!send(publish))
        return 0;
    return publish.packetId;
}

bool MqttLiveClient::send(const mqtt::Packet &packet)
{
    if (!m_socket)
        return false;
    auto bytes = mqtt::encode(packet, m_settings.version);
    if (!bytes)
        return false;
    observe(true, packet, bytes->size());
    return m_socket->sendBinaryMessage(*bytes) == bytes->size();
}

void MqttLiveClient::observe(bool outgoing, const mqtt::Packet &packet, qint64 size)
{
    MqttPacketRecord record;
    record.outgoing = outgoing;
    record.type = mqtt::packetTypeName(mqtt::packetType(packet));
    record.summary = describePacket(packet, m_settings.version);
    record.size = size;
    if (const auto *p = std::get_if<mqtt::Publish>(&packet)) {
        record.topic = p->topic;
        record.payload = p->payload;
    } else if (const auto *sub = std::get_if<mqtt::Subscribe>(&packet)) {
        record.topic = sub->subscriptions.value(0).topicFilter;
    } else if (const auto *ack = std::get_if<mqtt::Suback>(&packet)) {
        record.topic = m_pendingSubscriptions.value(ack->packetId);
    }
    Q_EMIT packetObserved(outgoing, record.summary);
    Q_EMIT packetTraced(record);
}

void MqttLiveClient::onBinary(const QByteArray &bytes)
{
    m_decoder.feed(bytes);
    for (int guard = 0; guard < 10000 && m_socket; ++guard) { // bounded: each turn takes one packet
        auto next = m_decoder.next();
        if (!next) {
            m_closeReason = u"The server sent a bad packet: "_s + next.error().message;
            m_socket->close(QWebSocketProtocol::CloseCodeProtocolError);
            return;
        }
        if (!*next)
            return;
        handle(**next);
    }
}

void MqttLiveClient::handle(const mqtt::Packet &packet)
{
    using namespace mqtt;
    observe(false, packet, 0);
    if (const auto *ack = std::get_if<Connack>(&packet)) {
        if (ack->code != 0) {
            m_closeReason =
                u"Connection refused: "_s + connackText(m_settings.version, ack->code) +
                (ack->properties.reasonString ? u" ("_s + *ack->properties.reasonString + u')' : QString());
            m_socket->close();
            return;
        }
        if (ack->properties.assignedClientIdentifier)
            m_clientId = *ack->properties.assignedClientIdentifier;
        m_connected = true;
        if (ack->sessionPresent)
            Q_EMIT sessionResumed();
        if (m_settings.keepAliveSeconds > 0) {
            m_pingTimer.start(std::chrono::seconds(m_settings.keepAliveSeconds));
        }
        Q_EMIT connected(m_clientId);
        return;
    }
    if (const auto *p = std::get_if<Publish>(&packet)) {
        if (p->qos == 1)
            send(PubAck{PacketType::Puback, p->packetId, Reason::Success, {}});
        else if (p->qos == 2)
            send(PubAck{PacketType::Pubrec, p->packetId, Reason::Success, {}});
        Q_EMIT message(p->topic, p->payload, p->qos);
        return;
    }
    if (const auto *a = std::get_if<PubAck>(&packet)) {
        if (a->type == PacketType::Puback)
            Q_EMIT published(a->packetId, a->reasonCode, a->properties.reasonString.value_or(QString()));
        else if (a->type == PacketType::Pubrel)
            send(PubAck{PacketType::Pubcomp, a->packetId, Reason::Success, {}});
        return;
    }
    if (const auto *s = std::get_if<Suback>(&packet)) {
        const quint8 code = s->reasonCodes.value(0, Reason::UnspecifiedError);
        Q_EMIT subscribed(s->packetId, m_pendingSubscriptions.take(s->packetId), code);
        return;
    }
    if (const auto *d = std::get_if<Disconnect>(&packet)) {
        m_closeReason =
            u"The server disconnected: "_s + reasonName(d->reasonCode) +
            (d->properties.reasonString ? u" ("_s + *d->properties.reasonString + u')' : QString());
        return;
    }
}

void MqttLiveClient::finish(const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    m_connected = false;
    m_pingTimer.stop();
    if (m_socket)
        m_socket->deleteLater();
    m_socket = nullptr;
    Q_EMIT disconnected(message);
    Q_EMIT stopped();
}

} // namespace wps::live
