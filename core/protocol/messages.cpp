#include "protocol/messages.h"

#include "common/jsontext.h"
#include "protocol/jsontext.h"

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
// Invocation ids are the client's own strings (the SDK counts 1, 2, …); longer ones are refused.
constexpr qsizetype kMaxInvocationIdLength = 128;

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::messages", text);
}

template <typename T>
Expected<T, QString> fail(QString message)
{
    return Expected<T, QString>::failure(std::move(message));
}

/// Appends UTF-8 \a utf8 as a JSON string literal (quoted and escaped). Runs that need no escaping are
/// appended in bulk: a 2 KB text payload costs one memcpy instead of 2,048 single-byte appends (the largest
/// cost of a group send in the emulator, measured with callgrind; bench/README.md).
void appendUtf8String(QByteArray &out, QByteArrayView utf8)
{
    out.reserve(out.size() + utf8.size() + 2);
    out += '"';
    const char *const data = utf8.data();
    const qsizetype size = utf8.size();
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const char c = data[i];
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(data + runStart, i - runStart);
        runStart = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default: {
            static const char hex[] = "0123456789abcdef";
            out += "\\u00";
            out += hex[u >> 4];
            out += hex[u & 0xf];
        }
        }
    }
    out.append(data + runStart, size - runStart);
    out += '"';
}

/// Appends \a text as a JSON string literal (quoted and escaped).
void appendString(QByteArray &out, QStringView text)
{
    appendUtf8String(out, text.toUtf8());
}

/// True when \a bytes are all ASCII (then they are valid UTF-8 and QString::fromUtf8() would not change
/// them).
bool isAscii(QByteArrayView bytes)
{
    for (const char c : bytes)
        if (static_cast<unsigned char>(c) >= 0x80)
            return false;
    return true;
}

void appendNumber(QByteArray &out, quint64 value)
{
    out += QByteArray::number(value);
}

/// `,"dataType":"…","data":…` for a payload.
void appendPayload(QByteArray &out, const Payload &payload)
{
    out += ",\"dataType\":";
    appendString(out, dataTypeName(payload.type));
    // A JSON payload with no bytes is a message without data: the property is left out, which is also how
    // it decodes back (an explicit null stays the JSON value null).
    if (payload.type == DataType::Json && payload.bytes.isEmpty())
        return;
    out += ",\"data\":";
    switch (payload.type) {
    case DataType::Json:
        out += payload.bytes;
        break;
    case DataType::Text:
        // Text is stored as UTF-8: ASCII is escaped as it is; anything else goes through QString, which also
        // replaces invalid sequences the same way as before.
        if (isAscii(payload.bytes))
            appendUtf8String(out, payload.bytes);
        else
            appendString(out, QString::fromUtf8(payload.bytes));
        break;
    case DataType::Binary:
    case DataType::Protobuf:
        out += '"';
        out += payload.bytes.toBase64();
        out += '"';
        break;
    }
}

/// `,"error":{"name":…,"message":…[,"userErrorCode":…]}` of a stream.
void appendStreamError(QByteArray &out, const StreamError &error)
{
    out += ",\"error\":{\"name\":";
    appendString(out, error.name);
    out += ",\"message\":";
    appendString(out, error.message);
    if (!error.userErrorCode.isEmpty()) {
        out += ",\"userErrorCode\":";
        appendString(out, error.userErrorCode);
    }
    out += '}';
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

} // namespace

QString dataTypeName(DataType type)
{
    switch (type) {
    case DataType::Json:
        return u"json"_s;
    case DataType::Text:
        return u"text"_s;
    case DataType::Binary:
        return u"binary"_s;
    case DataType::Protobuf:
        return u"protobuf"_s;
    }
    return {};
}

std::optional<DataType> parseDataType(QStringView name)
{
    for (DataType t : {DataType::Json, DataType::Text, DataType::Binary, DataType::Protobuf})
        if (name == dataTypeName(t))
            return t;
    return std::nullopt;
}

QString checkRequest(const ClientRequest &request, bool checkJsonPayload)
{
    auto checkPayload = [checkJsonPayload](const Payload &payload) -> QString {
        if (payload.type == DataType::Text && !jsontext::isValidUtf8(payload.bytes))
            return tr("The text payload is not valid Unicode (it holds a lone surrogate or invalid UTF-8).");
        if (payload.type == DataType::Json && checkJsonPayload && !payload.bytes.isEmpty()) {
            if (const QString error = jsontext::checkValue(payload.bytes); !error.isEmpty())
                return tr("The JSON payload is not a single valid JSON value: %1").arg(error);
        }
        return {};
    };
    return std::visit(
        [&](const auto &r) -> QString {
            using T = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<T, JoinGroup> || std::is_same_v<T, LeaveGroup>) {
                if (!QStringView(r.group).isValidUtf16())
                    return tr("The group name is not valid Unicode (it holds a lone surrogate).");
                return {};
            } else if constexpr (std::is_same_v<T, SendToGroup>) {
                if (!QStringView(r.group).isValidUtf16())
                    return tr("The group name is not valid Unicode (it holds a lone surrogate).");
                return checkPayload(r.data);
            } else if constexpr (std::is_same_v<T, SendEvent>) {
                if (!QStringView(r.event).isValidUtf16())
                    return tr("The event name is not valid Unicode (it holds a lone surrogate).");
                return checkPayload(r.data);
            } else if constexpr (std::is_same_v<T, StreamStart>) {
                if (!QStringView(r.group).isValidUtf16())
                    return tr("The group name is not valid Unicode (it holds a lone surrogate).");
                if (!QStringView(r.streamId).isValidUtf16())
                    return tr("The stream id is not valid Unicode (it holds a lone surrogate).");
                if (r.data)
                    return tr("A sendToGroup that opens a stream carries no data: send it with streamData.");
                if (r.ackId)
                    return tr(
                        "A sendToGroup that opens a stream carries no ackId: the service answers it with "
                        "streamAck.");
                return {};
            } else if constexpr (std::is_same_v<T, StreamData>) {
                if (!QStringView(r.streamId).isValidUtf16())
                    return tr("The stream id is not valid Unicode (it holds a lone surrogate).");
                return r.data ? checkPayload(*r.data) : QString();
            } else if constexpr (std::is_same_v<T, StreamEnd>) {
                if (!QStringView(r.streamId).isValidUtf16())
                    return tr("The stream id is not valid Unicode (it holds a lone surrogate).");
                return {};
            } else if constexpr (std::is_same_v<T, Invoke>) {
                if (!QStringView(r.invocationId).isValidUtf16())
                    return tr("The invocation id is not valid Unicode (it holds a lone surrogate).");
                if (r.invocationId.size() > kMaxInvocationIdLength)
                    return tr("The invocation id is longer than %1 characters.").arg(kMaxInvocationIdLength);
                if (r.target != u"event")
                    return tr("Unknown invocation target '%1': only 'event' is supported.")
                        .arg(r.target.left(40));
                if (r.event.isEmpty())
                    return tr("'event' is required for an invocation of target 'event'.");
                if (!QStringView(r.event).isValidUtf16())
                    return tr("The event name is not valid Unicode (it holds a lone surrogate).");
                return r.data ? checkPayload(*r.data) : QString();
            } else if constexpr (std::is_same_v<T, CancelInvocation>) {
                if (!QStringView(r.invocationId).isValidUtf16())
                    return tr("The invocation id is not valid Unicode (it holds a lone surrogate).");
                return {};
            } else {
                return {};
            }
        },
        request);
}

std::optional<quint64> ackIdOf(const ClientRequest &request)
{
    return std::visit(
        [](const auto &r) -> std::optional<quint64> {
            if constexpr (requires { r.ackId; })
                return r.ackId;
            else
                return std::nullopt;
        },
        request);
}

namespace json {

QByteArray encode(const ClientRequest &request)
{
    QByteArray out;
    auto appendAck = [&out](const std::optional<quint64> &ackId) {
        if (ackId) {
            out += ",\"ackId\":";
            appendNumber(out, *ackId);
        }
    };
    std::visit(
        [&](const auto &r) {
            using T = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<T, JoinGroup> || std::is_same_v<T, LeaveGroup>) {
                out += std::is_same_v<T, JoinGroup> ? "{\"type\":\"joinGroup\",\"group\":"
                                                    : "{\"type\":\"leaveGroup\",\"group\":";
                appendString(out, r.group);
                appendAck(r.ackId);
            } else if constexpr (std::is_same_v<T, SendToGroup>) {
                out += "{\"type\":\"sendToGroup\",\"group\":";
                appendString(out, r.group);
                appendAck(r.ackId);
                out += r.noEcho ? ",\"noEcho\":true" : ",\"noEcho\":false";
                appendPayload(out, r.data);
            } else if constexpr (std::is_same_v<T, StreamStart>) {
                out += "{\"type\":\"sendToGroup\",\"group\":";
                appendString(out, r.group);
                appendAck(r.ackId);
                out += r.noEcho ? ",\"noEcho\":true" : ",\"noEcho\":false";
                if (r.data)
                    appendPayload(out, *r.data);
                out += ",\"stream\":{\"streamId\":";
                appendString(out, r.streamId);
                if (r.idleTimeoutMs) {
                    out += ",\"idleTimeoutMs\":";
                    appendNumber(out, *r.idleTimeoutMs);
                }
                out += '}';
            } else if constexpr (std::is_same_v<T, StreamData>) {
                out += "{\"type\":\"streamData\",\"streamId\":";
                appendString(out, r.streamId);
                if (r.streamSequenceId) {
                    out += ",\"streamSequenceId\":";
                    appendNumber(out, *r.streamSequenceId);
                }
                if (r.data)
                    appendPayload(out, *r.data);
            } else if constexpr (std::is_same_v<T, StreamEnd>) {
                out += "{\"type\":\"streamEnd\",\"streamId\":";
                appendString(out, r.streamId);
                if (r.error) {
                    out += ",\"error\":{\"message\":";
                    appendString(out, r.error->message);
                    if (!r.error->userErrorCode.isEmpty()) {
                        out += ",\"userErrorCode\":";
                        appendString(out, r.error->userErrorCode);
                    }
                    out += '}';
                }
            } else if constexpr (std::is_same_v<T, SendEvent>) {
                out += "{\"type\":\"event\",\"event\":";
                appendString(out, r.event);
                appendAck(r.ackId);
                appendPayload(out, r.data);
            } else if constexpr (std::is_same_v<T, SequenceAck>) {
                out += "{\"type\":\"sequenceAck\",\"sequenceId\":";
                appendNumber(out, r.sequenceId);
            } else if constexpr (std::is_same_v<T, Ping>) {
                out += "{\"type\":\"ping\"";
            } else if constexpr (std::is_same_v<T, Invoke>) {
                out += "{\"type\":\"invoke\",\"invocationId\":";
                appendString(out, r.invocationId);
                out += ",\"target\":";
                appendString(out, r.target);
                out += ",\"event\":";
                appendString(out, r.event);
                if (r.data)
                    appendPayload(out, *r.data);
            } else if constexpr (std::is_same_v<T, CancelInvocation>) {
                out += "{\"type\":\"cancelInvocation\",\"invocationId\":";
                appendString(out, r.invocationId);
            }
        },
        request);
    out += '}';
    return out;
}

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

    if (type == u"joinGroup" || type == u"leaveGroup") {
        auto group = requireString(*object, u"group"_s);
        if (!group)
            return R::failure(group.error());
        if (type == u"joinGroup")
            return ClientRequest(JoinGroup{*group, *ackId});
        return ClientRequest(LeaveGroup{*group, *ackId});
    }
    if (type == u"sendToGroup") {
        auto group = requireString(*object, u"group"_s);
        if (!group)
            return R::failure(group.error());
        const QJsonValue noEcho = object->value(u"noEcho"_s);
        if (!noEcho.isUndefined() && !noEcho.isBool() && !noEcho.isNull())
            return R::failure(tr("'noEcho' must be true or false."));
        const QJsonValue stream = object->value(u"stream"_s);
        if (!stream.isUndefined() && !stream.isNull()) {
            if (!stream.isObject())
                return R::failure(tr("'stream' must be an object."));
            auto streamId = requireString(stream.toObject(), u"streamId"_s);
            if (!streamId)
                return R::failure(streamId.error());
            auto idleTimeout = decodeId(stream.toObject(), u"idleTimeoutMs"_s);
            if (!idleTimeout)
                return R::failure(idleTimeout.error());
            StreamStart start{*group, *streamId, *idleTimeout, noEcho.toBool(false), *ackId, std::nullopt};
            if (object->contains(u"data"_s) || object->contains(u"dataType"_s)) {
                auto payload = decodePayload(*object, frame);
                if (!payload)
                    return R::failure(payload.error());
                start.data = *payload;
            }
            return ClientRequest(std::move(start));
        }
        auto payload = decodePayload(*object, frame);
        if (!payload)
            return R::failure(payload.error());
        return ClientRequest(SendToGroup{*group, *ackId, noEcho.toBool(false), *payload});
    }
    if (type == u"streamData") {
        auto streamId = requireString(*object, u"streamId"_s);
        if (!streamId)
            return R::failure(streamId.error());
        auto sequenceId = decodeId(*object, u"streamSequenceId"_s);
        if (!sequenceId)
            return R::failure(sequenceId.error());
        StreamData data{*streamId, *sequenceId, std::nullopt};
        if (!*sequenceId) {
            // A keepalive: no number, no data.
            if (object->contains(u"data"_s) || object->contains(u"dataType"_s))
                return R::failure(tr("'streamSequenceId' is required with 'data'."));
            return ClientRequest(std::move(data));
        }
        auto payload = decodePayload(*object, frame);
        if (!payload)
            return R::failure(payload.error());
        data.data = *payload;
        return ClientRequest(std::move(data));
    }
    if (type == u"streamEnd") {
        auto streamId = requireString(*object, u"streamId"_s);
        if (!streamId)
            return R::failure(streamId.error());
        StreamEnd end{*streamId, std::nullopt};
        const QJsonValue error = object->value(u"error"_s);
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
    if (type == u"invoke") {
        auto invocationId = requireString(*object, u"invocationId"_s);
        if (!invocationId)
            return R::failure(invocationId.error());
        Invoke invoke;
        invoke.invocationId = *invocationId;
        // A missing target is the only one there is; a wrong one is answered, not a reason to close.
        const QJsonValue target = object->value(u"target"_s);
        if (!target.isUndefined() && !target.isNull() && !target.isString())
            return R::failure(tr("'target' must be a string."));
        if (target.isString())
            invoke.target = target.toString();
        const QJsonValue event = object->value(u"event"_s);
        if (!event.isUndefined() && !event.isNull() && !event.isString())
            return R::failure(tr("'event' must be a string."));
        invoke.event = event.toString();
        if (object->contains(u"dataType"_s) || object->contains(u"data"_s)) {
            auto payload = decodePayload(*object, frame);
            if (!payload)
                return R::failure(payload.error());
            invoke.data = *payload;
        }
        return ClientRequest(invoke);
    }
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

QByteArray encode(const ServiceMessage &message)
{
    QByteArray out;
    std::visit(
        [&](const auto &m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, Ack>) {
                out += "{\"type\":\"ack\",\"ackId\":";
                appendNumber(out, m.ackId);
                out += m.success ? ",\"success\":true" : ",\"success\":false";
                if (!m.success || !m.errorName.isEmpty()) {
                    out += ",\"error\":{\"name\":";
                    appendString(out, m.errorName);
                    out += ",\"message\":";
                    appendString(out, m.errorMessage);
                    out += '}';
                }
            } else if constexpr (std::is_same_v<T, DataMessage>) {
                out += '{';
                if (m.sequenceId) {
                    out += "\"sequenceId\":";
                    appendNumber(out, *m.sequenceId);
                    out += ',';
                }
                if (m.from == DataMessage::From::Group) {
                    out += "\"type\":\"message\",\"from\":\"group\",\"group\":";
                    appendString(out, m.group);
                    if (m.fromUserId) {
                        out += ",\"fromUserId\":";
                        appendString(out, *m.fromUserId);
                    }
                } else {
                    out += "\"type\":\"message\",\"from\":\"server\"";
                }
                appendPayload(out, m.data);
                if (m.stream) {
                    out += ",\"stream\":{\"streamId\":";
                    appendString(out, m.stream->streamId);
                    out += ",\"streamSequenceId\":";
                    appendNumber(out, m.stream->streamSequenceId);
                    if (m.stream->endOfStream)
                        out += ",\"endOfStream\":true";
                    if (m.stream->error)
                        appendStreamError(out, *m.stream->error);
                    out += '}';
                }
            } else if constexpr (std::is_same_v<T, Connected>) {
                out += "{\"type\":\"system\",\"event\":\"connected\",\"userId\":";
                if (m.userId)
                    appendString(out, *m.userId);
                else
                    out += "null";
                out += ",\"connectionId\":";
                appendString(out, m.connectionId);
                if (!m.reconnectionToken.isEmpty()) {
                    out += ",\"reconnectionToken\":";
                    appendString(out, m.reconnectionToken);
                }
            } else if constexpr (std::is_same_v<T, Disconnected>) {
                out += "{\"type\":\"system\",\"event\":\"disconnected\",\"message\":";
                appendString(out, m.message);
            } else if constexpr (std::is_same_v<T, Pong>) {
                out += "{\"type\":\"pong\"";
            } else if constexpr (std::is_same_v<T, Unknown>) {
                out += "{\"type\":";
                appendString(out, m.type);
            } else if constexpr (std::is_same_v<T, StreamAck>) {
                out += "{\"type\":\"streamAck\",\"streamId\":";
                appendString(out, m.streamId);
                out += ",\"expectedSequenceId\":";
                appendNumber(out, m.expectedSequenceId);
            } else if constexpr (std::is_same_v<T, StreamNack>) {
                out += "{\"type\":\"streamNack\",\"streamId\":";
                appendString(out, m.streamId);
                out += ",\"expectedSequenceId\":";
                appendNumber(out, m.expectedSequenceId);
                out += ",\"name\":";
                appendString(out, m.name);
                out += ",\"message\":";
                appendString(out, m.message);
            } else if constexpr (std::is_same_v<T, StreamClosed>) {
                out += "{\"type\":\"streamClosed\",\"streamId\":";
                appendString(out, m.streamId);
                if (m.error)
                    appendStreamError(out, *m.error);
            } else if constexpr (std::is_same_v<T, InvokeResponse>) {
                out += "{\"type\":\"invokeResponse\",\"invocationId\":";
                appendString(out, m.invocationId);
                out += m.success ? ",\"success\":true" : ",\"success\":false";
                if (m.success && m.data)
                    appendPayload(out, *m.data);
                if (!m.success) {
                    out += ",\"error\":{\"name\":";
                    appendString(out, m.errorName);
                    out += ",\"message\":";
                    appendString(out, m.errorMessage);
                    out += '}';
                }
            }
        },
        message);
    out += '}';
    return out;
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
    if (type == u"message") {
        DataMessage message;
        const QString from = object->value(u"from"_s).toString();
        if (from == u"group") {
            message.from = DataMessage::From::Group;
            message.group = object->value(u"group"_s).toString();
        } else if (from == u"server") {
            message.from = DataMessage::From::Server;
        } else {
            return ServiceMessage(Unknown{type + u'/' + from});
        }
        if (object->value(u"fromUserId"_s).isString())
            message.fromUserId = object->value(u"fromUserId"_s).toString();
        auto sequenceId = decodeId(*object, u"sequenceId"_s);
        if (!sequenceId)
            return R::failure(sequenceId.error());
        message.sequenceId = *sequenceId;
        auto payload = decodePayload(*object, frame);
        if (!payload)
            return R::failure(payload.error());
        message.data = *payload;
        if (const QJsonValue stream = object->value(u"stream"_s); stream.isObject()) {
            const QJsonObject info = stream.toObject();
            auto streamSequenceId = decodeId(info, u"streamSequenceId"_s);
            if (!info.value(u"streamId"_s).isString() || !streamSequenceId || !streamSequenceId->has_value())
                return R::failure(
                    tr("A stream message needs 'stream.streamId' and 'stream.streamSequenceId'."));
            message.stream =
                StreamInfo{info.value(u"streamId"_s).toString(), **streamSequenceId,
                           info.value(u"endOfStream"_s).toBool(false), streamErrorOf(info.value(u"error"_s))};
        }
        return ServiceMessage(message);
    }
    if (type == u"streamAck" || type == u"streamNack" || type == u"streamClosed") {
        auto streamId = requireString(*object, u"streamId"_s);
        if (!streamId)
            return R::failure(streamId.error());
        if (type == u"streamClosed")
            return ServiceMessage(StreamClosed{*streamId, streamErrorOf(object->value(u"error"_s))});
        auto expected = decodeId(*object, u"expectedSequenceId"_s);
        if (!expected || !expected->has_value())
            return R::failure(tr("'expectedSequenceId' is required and must be a non-negative integer."));
        if (type == u"streamAck")
            return ServiceMessage(StreamAck{*streamId, **expected});
        return ServiceMessage(StreamNack{*streamId, **expected, object->value(u"name"_s).toString(),
                                         object->value(u"message"_s).toString()});
    }
    if (type == u"system") {
        const QString event = object->value(u"event"_s).toString();
        if (event == u"connected") {
            Connected connected;
            connected.connectionId = object->value(u"connectionId"_s).toString();
            if (object->value(u"userId"_s).isString())
                connected.userId = object->value(u"userId"_s).toString();
            connected.reconnectionToken = object->value(u"reconnectionToken"_s).toString();
            return ServiceMessage(connected);
        }
        if (event == u"disconnected")
            return ServiceMessage(Disconnected{object->value(u"message"_s).toString()});
        return ServiceMessage(Unknown{type + u'/' + event});
    }
    if (type == u"pong")
        return ServiceMessage(Pong{});
    if (type == u"invokeResponse") {
        InvokeResponse response;
        response.invocationId = object->value(u"invocationId"_s).toString();
        response.success = object->value(u"success"_s).toBool(false);
        if (response.success && object->contains(u"dataType"_s)) {
            auto payload = decodePayload(*object, frame);
            if (!payload)
                return R::failure(payload.error());
            response.data = *payload;
        }
        if (!response.success) {
            const QJsonObject error = object->value(u"error"_s).toObject();
            response.errorName = error.value(u"name"_s).toString();
            response.errorMessage = error.value(u"message"_s).toString();
        }
        return ServiceMessage(response);
    }
    if (type.isEmpty())
        return R::failure(tr("The message has no 'type'."));
    return ServiceMessage(Unknown{type});
}

} // namespace json

} // namespace wps::messages
