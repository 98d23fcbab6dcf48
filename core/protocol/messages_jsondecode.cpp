// The JSON subprotocols' decoder: one frame in, one request or service message out, or an error naming what
// is wrong with the frame.
#include "protocol/jsontext.h"
#include "protocol/messages.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace wps::messages {

namespace {

constexpr qsizetype kMaxFrame = 1024 * 1024;
// Integers above 2^53 do not survive a JSON double; ids beyond it are refused rather than silently altered.
constexpr double kMaxSafeInteger = 9007199254740991.0;

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::messages", text);
}

template <typename T>
Expected<T, QString> fail(QString message)
{
    return Expected<T, QString>::failure(std::move(message));
}

std::optional<StreamError> streamErrorOf(const QJsonValue &value)
{
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject error = value.toObject();
    return StreamError{error.value(u"name"_s).toString(), error.value(u"message"_s).toString(),
                       error.value(u"userErrorCode"_s).toString()};
}

QByteArray serializeValue(const QJsonValue &value)
{
    // QJsonDocument serialises only objects and arrays: wrap the value in an array and strip the brackets.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

/// The payload of a parsed frame. A JSON payload keeps the exact bytes of its `data` member as sent (no
/// re-serialisation: key order, number forms and escapes reach receivers unchanged). Text keeps a lone
/// surrogate (an escaped one is valid JSON) in a form checkRequest() refuses, instead of turning it into '?'.
Expected<Payload, QString> decodePayload(const QJsonObject &object, QByteArrayView frame)
{
    const QJsonValue typeValue = object.value(u"dataType"_s);
    DataType type = DataType::Json; // the default when omitted (docs/protocol.md#json-requests)
    if (!typeValue.isUndefined()) {
        auto parsed = typeValue.isString() ? parseDataType(typeValue.toString()) : std::nullopt;
        if (!parsed)
            return fail<Payload>(
                tr("Unknown dataType: %1.").arg(QString::fromUtf8(serializeValue(typeValue)).left(40)));
        type = *parsed;
    }
    const QJsonValue data = object.value(u"data"_s);
    switch (type) {
    case DataType::Json: {
        if (data.isUndefined())
            return Payload{type, QByteArray()};
        const std::optional<QByteArrayView> raw = jsontext::memberValue(frame, u"data");
        if (!raw)
            return fail<Payload>(tr("'data' is not a valid JSON value."));
        return Payload{type, raw->toByteArray()};
    }
    case DataType::Text:
        if (!data.isString())
            return fail<Payload>(tr("'data' must be a string when dataType is text."));
        return Payload{DataType::Text, jsontext::toUtf8KeepingSurrogates(data.toString())};
    case DataType::Binary:
    case DataType::Protobuf: {
        if (!data.isString())
            return fail<Payload>(
                tr("'data' must be a base64 string when dataType is %1.").arg(dataTypeName(type)));
        auto decoded = QByteArray::fromBase64Encoding(data.toString().toLatin1(),
                                                      QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return fail<Payload>(tr("'data' is not valid base64."));
        return Payload{type, decoded.decoded};
    }
    }
    return fail<Payload>(tr("Unknown dataType."));
}

Expected<std::optional<quint64>, QString> decodeId(const QJsonObject &object, const QString &name)
{
    const QJsonValue value = object.value(name);
    if (value.isUndefined() || value.isNull())
        return std::optional<quint64>();
    // The docs sample quotes sequence ids as strings; SDKs send numbers. Accept both.
    double number = -1;
    if (value.isDouble()) {
        number = value.toDouble();
    } else if (value.isString()) {
        bool ok = false;
        const quint64 parsed = value.toString().toULongLong(&ok);
        if (ok)
            return std::optional<quint64>(parsed);
    }
    if (number < 0 || number > kMaxSafeInteger || number != static_cast<double>(static_cast<quint64>(number)))
        return Expected<std::optional<quint64>, QString>::failure(
            tr("'%1' must be a non-negative integer.").arg(name));
    return std::optional<quint64>(static_cast<quint64>(number));
}

Expected<QJsonObject, QString> parseObject(QByteArrayView frame)
{
    if (frame.size() > kMaxFrame)
        return fail<QJsonObject>(tr("The message is larger than 1 MiB."));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(frame.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError)
        return fail<QJsonObject>(
            tr("The message is not valid JSON: %1 at offset %2.").arg(error.errorString()).arg(error.offset));
    if (!doc.isObject())
        return fail<QJsonObject>(tr("The message is not a JSON object."));
    return doc.object();
}

Expected<QString, QString> requireString(const QJsonObject &object, const QString &name)
{
    const QJsonValue value = object.value(name);
    if (!value.isString() || value.toString().isEmpty())
        return fail<QString>(tr("'%1' is required and must be a non-empty string.").arg(name));
    return value.toString();
}

// ---- client requests, one decoder per type that has members to check -------------------------------------

/// `joinGroup` or `leaveGroup`.
Expected<ClientRequest, QString> decodeGroupMembership(const QJsonObject &object, const QString &type,
                                                       std::optional<quint64> ackId)
{
    using R = Expected<ClientRequest, QString>;
    auto group = requireString(object, u"group"_s);
    if (!group)
        return R::failure(group.error());
    if (type == u"joinGroup")
        return ClientRequest(JoinGroup{*group, ackId});
    return ClientRequest(LeaveGroup{*group, ackId});
}

/// `sendToGroup`: a group message, or with a `stream` member the start of a group stream.
Expected<ClientRequest, QString> decodeSendToGroup(const QJsonObject &object, QByteArrayView frame,
                                                   std::optional<quint64> ackId)
{
    using R = Expected<ClientRequest, QString>;
    auto group = requireString(object, u"group"_s);
    if (!group)
        return R::failure(group.error());
    const QJsonValue noEcho = object.value(u"noEcho"_s);
    if (!noEcho.isUndefined() && !noEcho.isBool() && !noEcho.isNull())
        return R::failure(tr("'noEcho' must be true or false."));
    const QJsonValue stream = object.value(u"stream"_s);
    if (!stream.isUndefined() && !stream.isNull()) {
        if (!stream.isObject())
            return R::failure(tr("'stream' must be an object."));
        auto streamId = requireString(stream.toObject(), u"streamId"_s);
        if (!streamId)
            return R::failure(streamId.error());
        auto idleTimeout = decodeId(stream.toObject(), u"idleTimeoutMs"_s);
        if (!idleTimeout)
            return R::failure(idleTimeout.error());
        StreamStart start{*group, *streamId, *idleTimeout, noEcho.toBool(false), ackId, std::nullopt};
        if (object.contains(u"data"_s) || object.contains(u"dataType"_s)) {
            auto payload = decodePayload(object, frame);
            if (!payload)
                return R::failure(payload.error());
            start.data = *payload;
        }
        return ClientRequest(std::move(start));
    }
    auto payload = decodePayload(object, frame);
    if (!payload)
        return R::failure(payload.error());
    return ClientRequest(SendToGroup{*group, ackId, noEcho.toBool(false), *payload});
}

/// `streamData`: a fragment of a group stream, or a keepalive (no sequence id, no data).
Expected<ClientRequest, QString> decodeStreamData(const QJsonObject &object, QByteArrayView frame)
{
    using R = Expected<ClientRequest, QString>;
    auto streamId = requireString(object, u"streamId"_s);
    if (!streamId)
        return R::failure(streamId.error());
    auto sequenceId = decodeId(object, u"streamSequenceId"_s);
    if (!sequenceId)
        return R::failure(sequenceId.error());
    StreamData data{*streamId, *sequenceId, std::nullopt};
    if (!*sequenceId) {
        // A keepalive: no number, no data.
        if (object.contains(u"data"_s) || object.contains(u"dataType"_s))
            return R::failure(tr("'streamSequenceId' is required with 'data'."));
        return ClientRequest(std::move(data));
    }
    auto payload = decodePayload(object, frame);
    if (!payload)
        return R::failure(payload.error());
    data.data = *payload;
    return ClientRequest(std::move(data));
}

/// `streamEnd`, with the publisher's error when it has one.
Expected<ClientRequest, QString> decodeStreamEnd(const QJsonObject &object)
{
    using R = Expected<ClientRequest, QString>;
    auto streamId = requireString(object, u"streamId"_s);
    if (!streamId)
        return R::failure(streamId.error());
    StreamEnd end{*streamId, std::nullopt};
    const QJsonValue error = object.value(u"error"_s);
    if (!error.isUndefined() && !error.isNull()) {
        if (!error.isObject())
            return R::failure(tr("'error' must be an object."));
        const QJsonValue message = error.toObject().value(u"message"_s);
        const QJsonValue code = error.toObject().value(u"userErrorCode"_s);
        if ((!message.isUndefined() && !message.isNull() && !message.isString()) ||
            (!code.isUndefined() && !code.isNull() && !code.isString()))
            return R::failure(tr("'error.message' and 'error.userErrorCode' must be strings."));
        end.error = StreamEndError{message.toString(), code.toString()};
    }
    return ClientRequest(std::move(end));
}

/// `invoke`: the target and event are checked for type only here; checkRequest() judges them.
Expected<ClientRequest, QString> decodeInvoke(const QJsonObject &object, QByteArrayView frame)
{
    using R = Expected<ClientRequest, QString>;
    auto invocationId = requireString(object, u"invocationId"_s);
    if (!invocationId)
        return R::failure(invocationId.error());
    Invoke invoke;
    invoke.invocationId = *invocationId;
    // A missing target is the only one there is; a wrong one is answered, not a reason to close.
    const QJsonValue target = object.value(u"target"_s);
    if (!target.isUndefined() && !target.isNull() && !target.isString())
        return R::failure(tr("'target' must be a string."));
    if (target.isString())
        invoke.target = target.toString();
    const QJsonValue event = object.value(u"event"_s);
    if (!event.isUndefined() && !event.isNull() && !event.isString())
        return R::failure(tr("'event' must be a string."));
    invoke.event = event.toString();
    if (object.contains(u"dataType"_s) || object.contains(u"data"_s)) {
        auto payload = decodePayload(object, frame);
        if (!payload)
            return R::failure(payload.error());
        invoke.data = *payload;
    }
    return ClientRequest(invoke);
}

// ---- service messages, one decoder per type that has members to check ------------------------------------

/// `message` from a group or the server; another `from` is an Unknown message.
Expected<ServiceMessage, QString> decodeDataMessage(const QJsonObject &object, QByteArrayView frame,
                                                    const QString &type)
{
    using R = Expected<ServiceMessage, QString>;
    DataMessage message;
    const QString from = object.value(u"from"_s).toString();
    if (from == u"group") {
        message.from = DataMessage::From::Group;
        message.group = object.value(u"group"_s).toString();
    } else if (from == u"server") {
        message.from = DataMessage::From::Server;
    } else {
        return ServiceMessage(Unknown{type + u'/' + from});
    }
    if (object.value(u"fromUserId"_s).isString())
        message.fromUserId = object.value(u"fromUserId"_s).toString();
    auto sequenceId = decodeId(object, u"sequenceId"_s);
    if (!sequenceId)
        return R::failure(sequenceId.error());
    message.sequenceId = *sequenceId;
    auto payload = decodePayload(object, frame);
    if (!payload)
        return R::failure(payload.error());
    message.data = *payload;
    if (const QJsonValue stream = object.value(u"stream"_s); stream.isObject()) {
        const QJsonObject info = stream.toObject();
        auto streamSequenceId = decodeId(info, u"streamSequenceId"_s);
        if (!info.value(u"streamId"_s).isString() || !streamSequenceId || !streamSequenceId->has_value())
            return R::failure(tr("A stream message needs 'stream.streamId' and 'stream.streamSequenceId'."));
        message.stream =
            StreamInfo{info.value(u"streamId"_s).toString(), **streamSequenceId,
                       info.value(u"endOfStream"_s).toBool(false), streamErrorOf(info.value(u"error"_s))};
    }
    return ServiceMessage(message);
}

/// `streamAck`, `streamNack` or `streamClosed`: the service's answers to a stream's publisher.
Expected<ServiceMessage, QString> decodeStreamReply(const QJsonObject &object, const QString &type)
{
    using R = Expected<ServiceMessage, QString>;
    auto streamId = requireString(object, u"streamId"_s);
    if (!streamId)
        return R::failure(streamId.error());
    if (type == u"streamClosed")
        return ServiceMessage(StreamClosed{*streamId, streamErrorOf(object.value(u"error"_s))});
    auto expected = decodeId(object, u"expectedSequenceId"_s);
    if (!expected || !expected->has_value())
        return R::failure(tr("'expectedSequenceId' is required and must be a non-negative integer."));
    if (type == u"streamAck")
        return ServiceMessage(StreamAck{*streamId, **expected});
    return ServiceMessage(StreamNack{*streamId, **expected, object.value(u"name"_s).toString(),
                                     object.value(u"message"_s).toString()});
}

/// `system`: connected or disconnected; another event is an Unknown message.
ServiceMessage decodeSystem(const QJsonObject &object, const QString &type)
{
    const QString event = object.value(u"event"_s).toString();
    if (event == u"connected") {
        Connected connected;
        connected.connectionId = object.value(u"connectionId"_s).toString();
        if (object.value(u"userId"_s).isString())
            connected.userId = object.value(u"userId"_s).toString();
        connected.reconnectionToken = object.value(u"reconnectionToken"_s).toString();
        return ServiceMessage(connected);
    }
    if (event == u"disconnected")
        return ServiceMessage(Disconnected{object.value(u"message"_s).toString()});
    return ServiceMessage(Unknown{type + u'/' + event});
}

/// `invokeResponse`: the data of a success, the error of a failure.
Expected<ServiceMessage, QString> decodeInvokeResponse(const QJsonObject &object, QByteArrayView frame)
{
    using R = Expected<ServiceMessage, QString>;
    InvokeResponse response;
    response.invocationId = object.value(u"invocationId"_s).toString();
    response.success = object.value(u"success"_s).toBool(false);
    if (response.success && object.contains(u"dataType"_s)) {
        auto payload = decodePayload(object, frame);
        if (!payload)
            return R::failure(payload.error());
        response.data = *payload;
    }
    if (!response.success) {
        const QJsonObject error = object.value(u"error"_s).toObject();
        response.errorName = error.value(u"name"_s).toString();
        response.errorMessage = error.value(u"message"_s).toString();
    }
    return ServiceMessage(response);
}

} // namespace

namespace json {

Expected<ClientRequest, QString> decodeRequest(QByteArrayView frame)
{
    using R = Expected<ClientRequest, QString>;
    auto object = parseObject(frame);
    if (!object)
        return R::failure(object.error());
    const QString type = object->value(u"type"_s).toString();
    auto ackId = decodeId(*object, u"ackId"_s);
    if (!ackId)
        return R::failure(ackId.error());

    if (type == u"joinGroup" || type == u"leaveGroup")
        return decodeGroupMembership(*object, type, *ackId);
    if (type == u"sendToGroup")
        return decodeSendToGroup(*object, frame, *ackId);
    if (type == u"streamData")
        return decodeStreamData(*object, frame);
    if (type == u"streamEnd")
        return decodeStreamEnd(*object);
    if (type == u"event") {
        auto event = requireString(*object, u"event"_s);
        if (!event)
            return R::failure(event.error());
        auto payload = decodePayload(*object, frame);
        if (!payload)
            return R::failure(payload.error());
        return ClientRequest(SendEvent{*event, *ackId, *payload});
    }
    if (type == u"sequenceAck") {
        auto sequenceId = decodeId(*object, u"sequenceId"_s);
        if (!sequenceId || !sequenceId->has_value())
            return R::failure(tr("'sequenceId' is required and must be a non-negative integer."));
        return ClientRequest(SequenceAck{**sequenceId});
    }
    if (type == u"ping")
        return ClientRequest(Ping{});
    if (type == u"invoke")
        return decodeInvoke(*object, frame);
    if (type == u"cancelInvocation") {
        auto invocationId = requireString(*object, u"invocationId"_s);
        if (!invocationId)
            return R::failure(invocationId.error());
        return ClientRequest(CancelInvocation{*invocationId});
    }
    if (type.isEmpty())
        return R::failure(tr("The message has no 'type'."));
    return R::failure(tr("Unknown message type '%1'.").arg(type.left(40)));
}

Expected<ServiceMessage, QString> decodeMessage(QByteArrayView frame)
{
    using R = Expected<ServiceMessage, QString>;
    auto object = parseObject(frame);
    if (!object)
        return R::failure(object.error());
    const QString type = object->value(u"type"_s).toString();
    if (type == u"ack") {
        auto ackId = decodeId(*object, u"ackId"_s);
        if (!ackId || !ackId->has_value())
            return R::failure(tr("An ack without a valid 'ackId'."));
        Ack ack;
        ack.ackId = **ackId;
        ack.success = object->value(u"success"_s).toBool(false);
        const QJsonObject error = object->value(u"error"_s).toObject();
        ack.errorName = error.value(u"name"_s).toString();
        ack.errorMessage = error.value(u"message"_s).toString();
        return ServiceMessage(ack);
    }
    if (type == u"message")
        return decodeDataMessage(*object, frame, type);
    if (type == u"streamAck" || type == u"streamNack" || type == u"streamClosed")
        return decodeStreamReply(*object, type);
    if (type == u"system")
        return decodeSystem(*object, type);
    if (type == u"pong")
        return ServiceMessage(Pong{});
    if (type == u"invokeResponse")
        return decodeInvokeResponse(*object, frame);
    if (type.isEmpty())
        return R::failure(tr("The message has no 'type'."));
    return ServiceMessage(Unknown{type});
}

} // namespace json

} // namespace wps::messages
