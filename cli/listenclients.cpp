// The two kinds of `listen` client: the client WebSocket (LiveClient) and MQTT (MqttLiveClient). What they
// share (stdin, queueing, acks, stopping) is ListenSession's.
#include "cli/command.h"
#include "cli/invokelines.h"
#include "cli/listen.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QStringDecoder>

using namespace Qt::Literals::StringLiterals;

namespace wps::cli {

namespace {

/// A payload as the JSON subprotocol shows it: JSON as its value, text as a string, bytes as base64.
QJsonValue payloadJson(const messages::Payload &payload)
{
    using messages::DataType;
    switch (payload.type) {
    case DataType::Json: {
        // QJsonDocument only takes objects and arrays; wrap to read any JSON value.
        const QJsonDocument document = QJsonDocument::fromJson("[" + payload.bytes + "]");
        return document.isArray() ? document.array().at(0) : QJsonValue(QString::fromUtf8(payload.bytes));
    }
    case DataType::Text:
        return QString::fromUtf8(payload.bytes);
    case DataType::Binary:
    case DataType::Protobuf:
        return QString::fromLatin1(payload.bytes.toBase64());
    }
    return {};
}

/// \a line with `"data":` \a payload, compact: JSON data goes in as the bytes that came (key order and
/// digits kept; a line break between tokens becomes a space, so the output stays one line), never
/// re-serialised.
QByteArray lineWithData(QJsonObject line, const messages::Payload &payload)
{
    const bool json = payload.type == messages::DataType::Json &&
                      !QJsonDocument::fromJson("[" + payload.bytes + "]").isNull();
    if (!json) {
        line.insert(u"data"_s, payloadJson(payload));
        return QJsonDocument(line).toJson(QJsonDocument::Compact);
    }
    QByteArray data = payload.bytes.trimmed();
    data.replace('\n', ' ').replace('\r', ' '); // inside JSON strings they are escaped, so these are spacing
    QByteArray text = QJsonDocument(line).toJson(QJsonDocument::Compact);
    text.chop(1); // the closing brace
    return text + (line.isEmpty() ? "" : ",") + QByteArrayLiteral("\"data\":") + data + "}";
}

QJsonObject ackLine(const live::AckJob &job)
{
    QJsonObject ack{
        {u"type"_s, u"ack"_s}, {u"operation"_s, job.operation()}, {u"success"_s, job.succeeded()}};
    if (job.ackId())
        ack.insert(u"ackId"_s, static_cast<qint64>(*job.ackId()));
    if (job.isDuplicated())
        ack.insert(u"duplicated"_s, true);
    if (job.error())
        ack.insert(u"error"_s,
                   QJsonObject{{u"name"_s, job.error()->name}, {u"message"_s, job.error()->message}});
    return ack;
}

live::MqttLiveClient::Settings mqttSettings(mqtt::Version version)
{
    live::MqttLiveClient::Settings settings;
    settings.version = version;
    settings.clientId = u"listen"_s;
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (int i = 0; i < 12; ++i)
        settings.clientId += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(62)]);
    return settings;
}

} // namespace

// ---- the client WebSocket

WebSocketListen::WebSocketListen(Context &context, const QUrl &url, live::Subprotocol protocol,
                                 QString sendGroup, QString event)
    : ListenSession(context, std::move(sendGroup), std::move(event))
    , m_client(url, protocol)
    , m_protocol(protocol)
{
    using live::LiveClient;
    m_client.setName(u"listen"_s);
    connect(&m_client, &LiveClient::connected, this,
            [this](const QString &connectionId, const QString &userId) {
                QJsonObject line{{u"type"_s, u"system"_s}, {u"event"_s, u"connected"_s}};
                if (!connectionId.isEmpty())
                    line.insert(u"connectionId"_s, connectionId);
                line.insert(u"userId"_s, userId.isEmpty() ? QJsonValue() : QJsonValue(userId));
                onConnected(line);
            });
    connect(&m_client, &LiveClient::disconnected, this, [this](const QString &message) {
        // A refused upgrade: the status the service answered (LiveClient read it, and the reason).
        const int status = m_client.refusedStatus();
        onDisconnected(message, status > 0 ? u"\n  status: "_s + QString::number(status) : QString());
    });
    connect(&m_client, &LiveClient::stopped, this, &WebSocketListen::onStopped);
    connect(&m_client, &LiveClient::groupMessage, this, &WebSocketListen::printData);
    connect(&m_client, &LiveClient::serverMessage, this, &WebSocketListen::printData);
    connect(&m_client, &LiveClient::rawMessage, this, [this](const QByteArray &data, bool isBinary) {
        writeLine({{u"type"_s, u"message"_s},
                   {u"from"_s, u"server"_s},
                   {u"dataType"_s, isBinary ? u"binary"_s : u"text"_s},
                   {u"data"_s, isBinary ? QString::fromLatin1(data.toBase64()) : QString::fromUtf8(data)}});
    });
}

void WebSocketListen::setInvoke(QString event, std::chrono::milliseconds timeout)
{
    m_invoke = std::move(event);
    m_invokeTimeout = timeout;
}

void WebSocketListen::sendLine(const QString &line)
{
    if (!m_invoke.isEmpty()) {
        onLineSent();
        invokeLine(m_client, m_invoke, line, m_invokeTimeout, [this](const InvocationLine &answer) {
            onAck(answer.data ? lineWithData(answer.members, *answer.data)
                              : QJsonDocument(answer.members).toJson(QJsonDocument::Compact));
        });
        return;
    }
    if (m_protocol == live::Subprotocol::None) {
        if (!m_client.sendText(line))
            writeError(u"webpubsub: listen: not connected; line dropped\n"_s);
        return;
    }
    const auto payload = messages::Payload::text(line);
    live::AckJob *job = m_sendGroup.isEmpty() ? m_client.sendEvent(m_event, payload)
                                              : m_client.sendToGroup(m_sendGroup, payload);
    onLineSent();
    connect(job, &live::AckJob::finished, this, [this, job] {
        job->deleteLater();
        onAck(ackLine(*job));
    });
}

void WebSocketListen::printData(const messages::DataMessage &message) const
{
    using messages::DataMessage;
    QJsonObject line{{u"type"_s, u"message"_s}};
    if (message.from == DataMessage::From::Group) {
        line.insert(u"from"_s, u"group"_s);
        line.insert(u"group"_s, message.group);
        if (message.fromUserId)
            line.insert(u"fromUserId"_s, *message.fromUserId);
    } else {
        line.insert(u"from"_s, u"server"_s);
    }
    line.insert(u"dataType"_s, messages::dataTypeName(message.data.type));
    if (message.sequenceId)
        line.insert(u"sequenceId"_s, static_cast<qint64>(*message.sequenceId));
    m_context.out.writeJsonLine(lineWithData(line, message.data));
}

// ---- MQTT

MqttListen::MqttListen(Context &context, const QUrl &url, mqtt::Version version, QString sendGroup)
    : ListenSession(context, std::move(sendGroup), QString())
    , m_client(url, mqttSettings(version))
{
    using live::MqttLiveClient;
    connect(&m_client, &MqttLiveClient::connected, this, [this](const QString &clientId) {
        onConnected({{u"type"_s, u"system"_s}, {u"event"_s, u"connected"_s}, {u"connectionId"_s, clientId}});
    });
    connect(&m_client, &MqttLiveClient::published, this,
            [this](quint16 packetId, quint8 code, const QString &reason) {
                QJsonObject ack{{u"type"_s, u"ack"_s},
                                {u"operation"_s, u"publish"_s},
                                {u"packetId"_s, packetId},
                                {u"success"_s, code < 0x80}};
                if (code >= 0x80)
                    ack.insert(u"error"_s,
                               QJsonObject{{u"name"_s, mqtt::reasonName(code)}, {u"message"_s, reason}});
                onAck(ack);
            });
    connect(&m_client, &MqttLiveClient::disconnected, this,
            [this](const QString &message) { onDisconnected(message, QString()); });
    connect(&m_client, &MqttLiveClient::stopped, this, &MqttListen::onStopped);
    connect(
        &m_client, &MqttLiveClient::message, this,
        [this](const QString &topic, const QByteArray &payload, quint8) { printMessage(topic, payload); });
}

void MqttListen::sendLine(const QString &line)
{
    if (m_sendGroup.isEmpty()) {
        writeError(
            u"webpubsub: listen: MQTT clients publish to a topic: give --send-group; line dropped\n"_s);
        return;
    }
    if (m_client.publish(m_sendGroup, line.toUtf8(), 1) == 0) {
        writeError(u"webpubsub: listen: not connected; line dropped\n"_s);
        return;
    }
    onLineSent();
}

void MqttListen::printMessage(const QString &topic, const QByteArray &payload) const
{
    QJsonObject line{{u"type"_s, u"message"_s}};
    if (topic == u"$webpubsub/server/messages"_s) {
        line.insert(u"from"_s, u"server"_s);
    } else {
        line.insert(u"from"_s, u"group"_s);
        line.insert(u"group"_s, topic);
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder(payload);
    line.insert(u"dataType"_s, decoder.hasError() ? u"binary"_s : u"text"_s);
    line.insert(u"data"_s, decoder.hasError() ? QString::fromLatin1(payload.toBase64()) : text);
    writeLine(line);
}

} // namespace wps::cli
