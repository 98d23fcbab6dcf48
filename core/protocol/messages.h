#pragma once

#include "common/expected.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <variant>

namespace wps::messages {

/// The kind of a message payload (docs/protocol.md#payload-conversion).
enum class DataType { Json, Text, Binary, Protobuf };

QString dataTypeName(DataType type);
std::optional<DataType> parseDataType(QStringView name);

/// A payload in its wire-neutral form: JSON as its UTF-8 serialisation, text as UTF-8, binary and protobuf
/// (a packed google.protobuf.Any) as raw bytes. Serialised once, delivered to many.
struct Payload
{
    DataType type = DataType::Text;
    QByteArray bytes;

    static Payload json(QByteArray serialized) { return {DataType::Json, std::move(serialized)}; }
    static Payload text(const QString &text) { return {DataType::Text, text.toUtf8()}; }
    static Payload binary(QByteArray data) { return {DataType::Binary, std::move(data)}; }
    bool operator==(const Payload &) const = default;
};

// ---- group streams (docs/protocol.md#group-streams) -------------------------------------------------------
/// What a publisher's `streamEnd` says went wrong.
struct StreamEndError
{
    QString message;
    QString userErrorCode;
    bool operator==(const StreamEndError &) const = default;
};
/// The `error` of a `streamClosed` (to the publisher) or of a fragment's stream info (to receivers).
struct StreamError
{
    QString name; ///< IdleTimeout, Forbidden, UserError, Cancelled, StreamNotFound, BadRequest, …
    QString message;
    QString userErrorCode; ///< receivers only: the publisher's code with UserError
    bool operator==(const StreamError &) const = default;
};
/// The `stream` of a group message that belongs to a group stream.
struct StreamInfo
{
    QString streamId;
    quint64 streamSequenceId = 0; ///< the fragment's number; on the end marker, the next expected number
    bool endOfStream = false;
    std::optional<StreamError> error; ///< only with endOfStream
    bool operator==(const StreamInfo &) const = default;
};

// ---- client → service (docs/protocol.md#json-requests) ----------------------------------------------------
struct JoinGroup
{
    QString group;
    std::optional<quint64> ackId;
    bool operator==(const JoinGroup &) const = default;
};
struct LeaveGroup
{
    QString group;
    std::optional<quint64> ackId;
    bool operator==(const LeaveGroup &) const = default;
};
struct SendToGroup
{
    QString group;
    std::optional<quint64> ackId;
    bool noEcho = false;
    Payload data;
    bool operator==(const SendToGroup &) const = default;
};
struct SendEvent
{
    QString event;
    std::optional<quint64> ackId;
    Payload data;
    bool operator==(const SendEvent &) const = default;
};
struct SequenceAck
{
    quint64 sequenceId = 0;
    bool operator==(const SequenceAck &) const = default;
};
struct Ping
{
    bool operator==(const Ping &) const = default;
};
/// A `sendToGroup` with a `stream` member: opens a group stream. It carries no data and no ackId (the service
/// answers with streamAck); \a data and \a ackId are kept only so that checkRequest() can refuse them.
struct StreamStart
{
    QString group;
    QString streamId;
    std::optional<quint64> idleTimeoutMs; ///< the service's default when absent
    bool noEcho = false;
    std::optional<quint64> ackId;
    std::optional<Payload> data;
    bool operator==(const StreamStart &) const = default;
};
/// A fragment of an open group stream; without a sequence id (and data) it is a keepalive.
struct StreamData
{
    QString streamId;
    std::optional<quint64> streamSequenceId;
    std::optional<Payload> data; ///< set exactly when streamSequenceId is
    bool operator==(const StreamData &) const = default;
};
struct StreamEnd
{
    QString streamId;
    std::optional<StreamEndError> error;
    bool operator==(const StreamEnd &) const = default;
};
/// `invoke` (docs/protocol.md#invocations): call the hub's handler for user event \a event and await its
/// answer, an `invokeResponse` with the same \a invocationId. Only the target `event` exists; another
/// target decodes (so the service can answer it with an error) and checkRequest() refuses it.
struct Invoke
{
    QString invocationId;
    QString target = QStringLiteral("event");
    QString event;
    std::optional<Payload> data; ///< absent: the client sent no `dataType`/`data`
    bool operator==(const Invoke &) const = default;
};
/// `cancelInvocation`: the client stopped waiting for \a invocationId.
struct CancelInvocation
{
    QString invocationId;
    bool operator==(const CancelInvocation &) const = default;
};
using ClientRequest = std::variant<JoinGroup, LeaveGroup, SendToGroup, SendEvent, SequenceAck, Ping,
                                   StreamStart, StreamData, StreamEnd, Invoke, CancelInvocation>;

/// What is wrong with the content of a decoded request that the service refuses with an error ack (the
/// connection stays): a group or event name with a lone surrogate, text that is not valid Unicode (a lone
/// surrogate escaped in JSON, invalid UTF-8 in protobuf `text_data`), or, when \a checkJsonPayload, a JSON
/// payload that is not exactly one JSON value (protobuf `json_data` is free text; the JSON subprotocol's
/// payload is valid by construction). Group streams: a stream id must be valid Unicode and a stream start
/// carries no data and no ackId (the service answers a refused stream request with `streamClosed`, not an
/// ack). Empty when the request is fine.
QString checkRequest(const ClientRequest &request, bool checkJsonPayload);
/// The request's ackId, when it has one.
std::optional<quint64> ackIdOf(const ClientRequest &request);

// ---- service → client (docs/protocol.md#json-responses, docs/protocol.md#reliable-json) -------------------
struct Ack
{
    quint64 ackId = 0;
    bool success = true;
    QString errorName; ///< Forbidden, InternalServerError, Duplicate, NotFound, Timeout, … (open set)
    QString errorMessage;
    bool operator==(const Ack &) const = default;
};
struct DataMessage
{
    enum class From { Group, Server };
    From from = From::Server;
    QString group;                     ///< for From::Group
    std::optional<QString> fromUserId; ///< publisher's user, when it had one
    Payload data;
    std::optional<quint64> sequenceId; ///< reliable subprotocols only
    std::optional<StreamInfo> stream;  ///< a fragment (or the end) of a group stream
    bool operator==(const DataMessage &) const = default;
};
struct Connected
{
    QString connectionId;
    std::optional<QString> userId;
    QString reconnectionToken; ///< reliable subprotocols only
    bool operator==(const Connected &) const = default;
};
struct Disconnected
{
    QString message;
    bool operator==(const Disconnected &) const = default;
};
struct Pong
{
    bool operator==(const Pong &) const = default;
};
/// A message of a type this client does not know; ignored, as the protocol asks
/// (docs/protocol.md#json-responses).
struct Unknown
{
    QString type;
    bool operator==(const Unknown &) const = default;
};
/// The service took a stream's start or fragments: it expects \a expectedSequenceId next (1 after a start).
struct StreamAck
{
    QString streamId;
    quint64 expectedSequenceId = 0;
    bool operator==(const StreamAck &) const = default;
};
/// A fragment the service did not take (InvalidSequenceId: a gap); the stream stays open.
struct StreamNack
{
    QString streamId;
    quint64 expectedSequenceId = 0;
    QString name;
    QString message;
    bool operator==(const StreamNack &) const = default;
};
/// The stream is over for its publisher: after its streamEnd (no error), or refused or stopped (error).
struct StreamClosed
{
    QString streamId;
    std::optional<StreamError> error; ///< name and message only
    bool operator==(const StreamClosed &) const = default;
};
/// `invokeResponse`: the answer to an `invoke`. Never sequenced, also on reliable subprotocols (the SDK does
/// not count it).
struct InvokeResponse
{
    QString invocationId;
    bool success = true;
    std::optional<Payload> data; ///< success only; absent when the handler answered without a body
    QString errorName;           ///< failure only: BadRequest, InternalServerError, Timeout, … (open set)
    QString errorMessage;
    bool operator==(const InvokeResponse &) const = default;
};
using ServiceMessage = std::variant<Ack, DataMessage, Connected, Disconnected, Pong, Unknown, StreamAck,
                                    StreamNack, StreamClosed, InvokeResponse>;

/// Codec for `json.webpubsub.azure.v1` and `json.reliable.webpubsub.azure.v1`.
namespace json {
QByteArray encode(const ClientRequest &request);
/// Decodes one client frame. A malformed frame is an error naming what is wrong (the service closes such
/// clients); limits: 1 MiB, JSON nesting as QJsonDocument allows.
Expected<ClientRequest, QString> decodeRequest(QByteArrayView frame);

QByteArray encode(const ServiceMessage &message);
Expected<ServiceMessage, QString> decodeMessage(QByteArrayView frame);
} // namespace json

/// Codec for `protobuf.webpubsub.azure.v1` and `protobuf.reliable.webpubsub.azure.v1` (schema in
/// core/protocol/proto/webpubsub.proto). JSON payloads travel in `json_data`, as Microsoft's emulator and the
/// SDK protos do; `text_data` decodes as text. A Protobuf payload is the packed google.protobuf.Any.
namespace protobuf {
QByteArray encode(const ClientRequest &request);
Expected<ClientRequest, QString> decodeRequest(QByteArrayView frame);

QByteArray encode(const ServiceMessage &message);
Expected<ServiceMessage, QString> decodeMessage(QByteArrayView frame);
} // namespace protobuf

} // namespace wps::messages
