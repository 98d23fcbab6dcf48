// The JSON subprotocols' encoder: requests and service messages written byte by byte (no QJsonDocument), so
// a JSON payload goes out exactly as it was received.
#include "protocol/messages.h"

#include <QByteArray>

using namespace Qt::Literals::StringLiterals;

namespace wps::messages {

namespace {

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

// ---- requests: each writes `{"type":…` and its members, without the closing brace ----------------------

/// `,"ackId":N` when the request asks for an ack.
void appendAck(QByteArray &out, const std::optional<quint64> &ackId)
{
    if (ackId) {
        out += ",\"ackId\":";
        appendNumber(out, *ackId);
    }
}

void appendRequest(QByteArray &out, const JoinGroup &r)
{
    out += "{\"type\":\"joinGroup\",\"group\":";
    appendString(out, r.group);
    appendAck(out, r.ackId);
}

void appendRequest(QByteArray &out, const LeaveGroup &r)
{
    out += "{\"type\":\"leaveGroup\",\"group\":";
    appendString(out, r.group);
    appendAck(out, r.ackId);
}

void appendRequest(QByteArray &out, const SendToGroup &r)
{
    out += "{\"type\":\"sendToGroup\",\"group\":";
    appendString(out, r.group);
    appendAck(out, r.ackId);
    out += r.noEcho ? ",\"noEcho\":true" : ",\"noEcho\":false";
    appendPayload(out, r.data);
}

void appendRequest(QByteArray &out, const StreamStart &r)
{
    out += "{\"type\":\"sendToGroup\",\"group\":";
    appendString(out, r.group);
    appendAck(out, r.ackId);
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
}

void appendRequest(QByteArray &out, const StreamData &r)
{
    out += "{\"type\":\"streamData\",\"streamId\":";
    appendString(out, r.streamId);
    if (r.streamSequenceId) {
        out += ",\"streamSequenceId\":";
        appendNumber(out, *r.streamSequenceId);
    }
    if (r.data)
        appendPayload(out, *r.data);
}

void appendRequest(QByteArray &out, const StreamEnd &r)
{
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
}

void appendRequest(QByteArray &out, const SendEvent &r)
{
    out += "{\"type\":\"event\",\"event\":";
    appendString(out, r.event);
    appendAck(out, r.ackId);
    appendPayload(out, r.data);
}

void appendRequest(QByteArray &out, const SequenceAck &r)
{
    out += "{\"type\":\"sequenceAck\",\"sequenceId\":";
    appendNumber(out, r.sequenceId);
}

void appendRequest(QByteArray &out, const Ping &)
{
    out += "{\"type\":\"ping\"";
}

void appendRequest(QByteArray &out, const Invoke &r)
{
    out += "{\"type\":\"invoke\",\"invocationId\":";
    appendString(out, r.invocationId);
    out += ",\"target\":";
    appendString(out, r.target);
    out += ",\"event\":";
    appendString(out, r.event);
    if (r.data)
        appendPayload(out, *r.data);
}

void appendRequest(QByteArray &out, const CancelInvocation &r)
{
    out += "{\"type\":\"cancelInvocation\",\"invocationId\":";
    appendString(out, r.invocationId);
}

// ---- service messages: each writes `{…` and its members, without the closing brace -----------------------

/// `,"error":{"name":…,"message":…}` of an ack or an invokeResponse.
void appendError(QByteArray &out, const QString &name, const QString &message)
{
    out += ",\"error\":{\"name\":";
    appendString(out, name);
    out += ",\"message\":";
    appendString(out, message);
    out += '}';
}

void appendMessage(QByteArray &out, const Ack &m)
{
    out += "{\"type\":\"ack\",\"ackId\":";
    appendNumber(out, m.ackId);
    out += m.success ? ",\"success\":true" : ",\"success\":false";
    if (!m.success || !m.errorName.isEmpty())
        appendError(out, m.errorName, m.errorMessage);
}

void appendMessage(QByteArray &out, const DataMessage &m)
{
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
}

void appendMessage(QByteArray &out, const Connected &m)
{
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
}

void appendMessage(QByteArray &out, const Disconnected &m)
{
    out += "{\"type\":\"system\",\"event\":\"disconnected\",\"message\":";
    appendString(out, m.message);
}

void appendMessage(QByteArray &out, const Pong &)
{
    out += "{\"type\":\"pong\"";
}

void appendMessage(QByteArray &out, const Unknown &m)
{
    out += "{\"type\":";
    appendString(out, m.type);
}

void appendMessage(QByteArray &out, const StreamAck &m)
{
    out += "{\"type\":\"streamAck\",\"streamId\":";
    appendString(out, m.streamId);
    out += ",\"expectedSequenceId\":";
    appendNumber(out, m.expectedSequenceId);
}

void appendMessage(QByteArray &out, const StreamNack &m)
{
    out += "{\"type\":\"streamNack\",\"streamId\":";
    appendString(out, m.streamId);
    out += ",\"expectedSequenceId\":";
    appendNumber(out, m.expectedSequenceId);
    out += ",\"name\":";
    appendString(out, m.name);
    out += ",\"message\":";
    appendString(out, m.message);
}

void appendMessage(QByteArray &out, const StreamClosed &m)
{
    out += "{\"type\":\"streamClosed\",\"streamId\":";
    appendString(out, m.streamId);
    if (m.error)
        appendStreamError(out, *m.error);
}

void appendMessage(QByteArray &out, const InvokeResponse &m)
{
    out += "{\"type\":\"invokeResponse\",\"invocationId\":";
    appendString(out, m.invocationId);
    out += m.success ? ",\"success\":true" : ",\"success\":false";
    if (m.success && m.data)
        appendPayload(out, *m.data);
    if (!m.success)
        appendError(out, m.errorName, m.errorMessage);
}

} // namespace

namespace json {

QByteArray encode(const ClientRequest &request)
{
    QByteArray out;
    std::visit([&out](const auto &r) { appendRequest(out, r); }, request);
    out += '}';
    return out;
}

QByteArray encode(const ServiceMessage &message)
{
    QByteArray out;
    std::visit([&out](const auto &m) { appendMessage(out, m); }, message);
    out += '}';
    return out;
}

} // namespace json

} // namespace wps::messages
