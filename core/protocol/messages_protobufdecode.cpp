// The protobuf subprotocols' decoder, over the message model of messages.h (the encoder is
// messages_protobufencode.cpp).
#include "protocol/jsontext.h"
#include "protocol/messages.h"
#include "protocol/proto/webpubsub.pb.h"

#include <QCoreApplication>

namespace wps::messages::protobuf {

namespace {

constexpr qsizetype kMaxFrame = 1024 * 1024;

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::messages", text);
}

QString fromStd(const std::string &text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

/// Protobuf `string` fields must hold UTF-8; a name that does not is refused, never silently replaced.
bool validUtf8(const std::string &text)
{
    return jsontext::isValidUtf8(QByteArrayView(text.data(), static_cast<qsizetype>(text.size())));
}

QByteArray bytesFromStd(const std::string &bytes)
{
    return QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size()));
}

Expected<Payload, QString> fromProto(const wps::proto::MessageData &data)
{
    switch (data.data_case()) {
    case wps::proto::MessageData::kTextData:
        return Payload{DataType::Text, bytesFromStd(data.text_data())};
    case wps::proto::MessageData::kBinaryData:
        return Payload{DataType::Binary, bytesFromStd(data.binary_data())};
    case wps::proto::MessageData::kProtobufData:
        return Payload{DataType::Protobuf, bytesFromStd(data.protobuf_data().SerializeAsString())};
    case wps::proto::MessageData::kJsonData:
        // Kept as sent; checkRequest() refuses it unless it is exactly one JSON value.
        return Payload{DataType::Json, bytesFromStd(data.json_data())};
    case wps::proto::MessageData::DATA_NOT_SET:
        break;
    }
    return Expected<Payload, QString>::failure(tr("The message has no data."));
}

std::optional<StreamError> streamErrorOf(bool has, const std::string &name, const std::string &message,
                                         const std::string &code = {})
{
    if (!has)
        return std::nullopt;
    return StreamError{fromStd(name), fromStd(message), fromStd(code)};
}

template <typename M>
bool parse(M &message, QByteArrayView frame)
{
    return frame.size() <= kMaxFrame && message.ParseFromArray(frame.data(), static_cast<int>(frame.size()));
}

using Up = wps::proto::UpstreamMessage;
using Down = wps::proto::DownstreamMessage;

// ---- requests, one decoder per request type that has fields to check ------------------------------------

std::optional<quint64> optionalAck(bool has, quint64 value)
{
    return has ? std::optional<quint64>(value) : std::nullopt;
}

/// `JoinGroupMessage` or `LeaveGroupMessage` as \a Request.
template <typename Request, typename M>
Expected<ClientRequest, QString> decodeMembership(const M &m)
{
    using R = Expected<ClientRequest, QString>;
    if (m.group().empty())
        return R::failure(tr("'group' is required."));
    if (!validUtf8(m.group()))
        return R::failure(tr("'group' is not valid UTF-8."));
    return ClientRequest(Request{fromStd(m.group()), optionalAck(m.has_ack_id(), m.ack_id())});
}

/// `SendToGroupMessage`: a group message, or with `stream` the start of a group stream.
Expected<ClientRequest, QString> decodeSendToGroup(const Up::SendToGroupMessage &m)
{
    using R = Expected<ClientRequest, QString>;
    if (m.group().empty())
        return R::failure(tr("'group' is required."));
    if (!validUtf8(m.group()))
        return R::failure(tr("'group' is not valid UTF-8."));
    if (m.has_stream()) {
        // Opens a group stream: no data (checkRequest refuses data that is there).
        if (m.stream().stream_id().empty())
            return R::failure(tr("'stream.stream_id' is required."));
        if (!validUtf8(m.stream().stream_id()))
            return R::failure(tr("'stream.stream_id' is not valid UTF-8."));
        StreamStart start{fromStd(m.group()),
                          fromStd(m.stream().stream_id()),
                          m.stream().has_idle_timeout_ms()
                              ? std::optional<quint64>(m.stream().idle_timeout_ms())
                              : std::nullopt,
                          m.has_no_echo() && m.no_echo(),
                          optionalAck(m.has_ack_id(), m.ack_id()),
                          std::nullopt};
        if (m.has_data() && m.data().data_case() != wps::proto::MessageData::DATA_NOT_SET) {
            auto payload = fromProto(m.data());
            if (!payload)
                return R::failure(payload.error());
            start.data = *payload;
        }
        return ClientRequest(std::move(start));
    }
    auto payload = fromProto(m.data());
    if (!payload)
        return R::failure(payload.error());
    return ClientRequest(SendToGroup{fromStd(m.group()), optionalAck(m.has_ack_id(), m.ack_id()),
                                     m.has_no_echo() && m.no_echo(), *payload});
}

/// `StreamDataMessage`: a fragment of a group stream, or a keepalive (no sequence id, no data).
Expected<ClientRequest, QString> decodeStreamData(const Up::StreamDataMessage &m)
{
    using R = Expected<ClientRequest, QString>;
    if (m.stream_id().empty())
        return R::failure(tr("'stream_id' is required."));
    if (!validUtf8(m.stream_id()))
        return R::failure(tr("'stream_id' is not valid UTF-8."));
    StreamData data{fromStd(m.stream_id()), std::nullopt, std::nullopt};
    const bool hasData = m.has_data() && m.data().data_case() != wps::proto::MessageData::DATA_NOT_SET;
    if (!m.has_stream_sequence_id()) {
        if (hasData)
            return R::failure(tr("'stream_sequence_id' is required with 'data'."));
        return ClientRequest(std::move(data)); // a keepalive
    }
    data.streamSequenceId = m.stream_sequence_id();
    auto payload = fromProto(m.data());
    if (!payload)
        return R::failure(payload.error());
    data.data = *payload;
    return ClientRequest(std::move(data));
}

/// `StreamEndMessage`, with the publisher's error when it has one.
Expected<ClientRequest, QString> decodeStreamEnd(const Up::StreamEndMessage &m)
{
    using R = Expected<ClientRequest, QString>;
    if (m.stream_id().empty())
        return R::failure(tr("'stream_id' is required."));
    if (!validUtf8(m.stream_id()))
        return R::failure(tr("'stream_id' is not valid UTF-8."));
    StreamEnd end{fromStd(m.stream_id()), std::nullopt};
    if (m.has_error()) {
        if (!validUtf8(m.error().message()) || !validUtf8(m.error().user_error_code()))
            return R::failure(tr("'error' is not valid UTF-8."));
        end.error = StreamEndError{fromStd(m.error().message()), fromStd(m.error().user_error_code())};
    }
    return ClientRequest(std::move(end));
}

Expected<ClientRequest, QString> decodeEvent(const Up::EventMessage &m)
{
    using R = Expected<ClientRequest, QString>;
    if (m.event().empty())
        return R::failure(tr("'event' is required."));
    if (!validUtf8(m.event()))
        return R::failure(tr("'event' is not valid UTF-8."));
    auto payload = fromProto(m.data());
    if (!payload)
        return R::failure(payload.error());
    return ClientRequest(SendEvent{fromStd(m.event()), optionalAck(m.has_ack_id(), m.ack_id()), *payload});
}

/// `InvokeEventMessage`: an empty event is left for checkRequest() to refuse with an answer.
Expected<ClientRequest, QString> decodeInvoke(const Up::InvokeEventMessage &m)
{
    using R = Expected<ClientRequest, QString>;
    if (m.invocation_id().empty())
        return R::failure(tr("'invocationId' is required."));
    if (!validUtf8(m.invocation_id()))
        return R::failure(tr("'invocationId' is not valid UTF-8."));
    if (!validUtf8(m.event()))
        return R::failure(tr("'event' is not valid UTF-8."));
    Invoke invoke;
    invoke.invocationId = fromStd(m.invocation_id());
    invoke.event = fromStd(m.event()); // empty: refused by checkRequest() with an answer
    if (m.has_data() && m.data().data_case() != wps::proto::MessageData::DATA_NOT_SET) {
        auto payload = fromProto(m.data());
        if (!payload)
            return R::failure(payload.error());
        invoke.data = *payload;
    }
    return ClientRequest(invoke);
}

// ---- service messages, one decoder per message type with more than a field or two -----------------------

/// `DataMessage` from a group or the server (another `from` is an Unknown message); a stream's end marker
/// has no data.
Expected<ServiceMessage, QString> decodeDataMessage(const Down::DataMessage &m)
{
    DataMessage data;
    if (m.from() == "group") {
        data.from = DataMessage::From::Group;
        data.group = fromStd(m.group());
    } else if (m.from() == "server") {
        data.from = DataMessage::From::Server;
    } else {
        return ServiceMessage(Unknown{QStringLiteral("message/") + fromStd(m.from())});
    }
    if (m.has_stream()) {
        const auto &stream = m.stream();
        data.stream = StreamInfo{fromStd(stream.stream_id()), stream.stream_sequence_id(),
                                 stream.has_end_of_stream() && stream.end_of_stream(),
                                 streamErrorOf(stream.has_error(), stream.error().name(),
                                               stream.error().message(), stream.error().user_error_code())};
    }
    if (data.stream && m.data().data_case() == wps::proto::MessageData::DATA_NOT_SET) {
        data.data = Payload::json({}); // a stream's end marker carries no data
    } else {
        auto payload = fromProto(m.data());
        if (!payload)
            return Expected<ServiceMessage, QString>::failure(payload.error());
        data.data = *payload;
    }
    if (m.has_sequence_id())
        data.sequenceId = m.sequence_id();
    return ServiceMessage(data);
}

/// `SystemMessage`: connected or disconnected; anything else is an Unknown message.
ServiceMessage decodeSystem(const Down::SystemMessage &system)
{
    if (system.has_connected_message()) {
        const auto &c = system.connected_message();
        Connected connected;
        connected.connectionId = fromStd(c.connection_id());
        if (!c.user_id().empty())
            connected.userId = fromStd(c.user_id());
        connected.reconnectionToken = fromStd(c.reconnection_token());
        return ServiceMessage(connected);
    }
    if (system.has_disconnected_message())
        return ServiceMessage(Disconnected{fromStd(system.disconnected_message().reason())});
    return ServiceMessage(Unknown{QStringLiteral("system")});
}

/// `InvokeResponseMessage`: the data of a success, the error of a failure.
Expected<ServiceMessage, QString> decodeInvokeResponse(const Down::InvokeResponseMessage &m)
{
    InvokeResponse response;
    response.invocationId = fromStd(m.invocation_id());
    response.success = m.success();
    if (m.success() && m.has_data() && m.data().data_case() != wps::proto::MessageData::DATA_NOT_SET) {
        auto payload = fromProto(m.data());
        if (!payload)
            return Expected<ServiceMessage, QString>::failure(payload.error());
        response.data = *payload;
    }
    if (!m.success() && m.has_error()) {
        response.errorName = fromStd(m.error().name());
        response.errorMessage = fromStd(m.error().message());
    }
    return ServiceMessage(response);
}

} // namespace

Expected<ClientRequest, QString> decodeRequest(QByteArrayView frame)
{
    using R = Expected<ClientRequest, QString>;
    Up up;
    if (!parse(up, frame))
        return R::failure(tr("The message is not a valid protobuf UpstreamMessage."));
    switch (up.message_case()) {
    case Up::kJoinGroupMessage:
        return decodeMembership<JoinGroup>(up.join_group_message());
    case Up::kLeaveGroupMessage:
        return decodeMembership<LeaveGroup>(up.leave_group_message());
    case Up::kSendToGroupMessage:
        return decodeSendToGroup(up.send_to_group_message());
    case Up::kStreamDataMessage:
        return decodeStreamData(up.stream_data_message());
    case Up::kStreamEndMessage:
        return decodeStreamEnd(up.stream_end_message());
    case Up::kEventMessage:
        return decodeEvent(up.event_message());
    case Up::kSequenceAckMessage:
        return ClientRequest(SequenceAck{up.sequence_ack_message().sequence_id()});
    case Up::kPingMessage:
        return ClientRequest(Ping{});
    case Up::kInvokeEventMessage:
        return decodeInvoke(up.invoke_event_message());
    case Up::kCancelInvocationMessage: {
        const auto &m = up.cancel_invocation_message();
        if (m.invocation_id().empty())
            return R::failure(tr("'invocationId' is required."));
        if (!validUtf8(m.invocation_id()))
            return R::failure(tr("'invocationId' is not valid UTF-8."));
        return ClientRequest(CancelInvocation{fromStd(m.invocation_id())});
    }
    case Up::MESSAGE_NOT_SET:
        break;
    }
    return R::failure(tr("The message has no known request type."));
}

Expected<ServiceMessage, QString> decodeMessage(QByteArrayView frame)
{
    using R = Expected<ServiceMessage, QString>;
    Down down;
    if (!parse(down, frame))
        return R::failure(tr("The message is not a valid protobuf DownstreamMessage."));
    switch (down.message_case()) {
    case Down::kAckMessage: {
        const auto &m = down.ack_message();
        Ack ack{m.ack_id(), m.success(), {}, {}};
        if (m.has_error()) {
            ack.errorName = fromStd(m.error().name());
            ack.errorMessage = fromStd(m.error().message());
        }
        return ServiceMessage(ack);
    }
    case Down::kDataMessage:
        return decodeDataMessage(down.data_message());
    case Down::kStreamAckMessage: {
        const auto &m = down.stream_ack_message();
        return ServiceMessage(StreamAck{fromStd(m.stream_id()), m.expected_sequence_id()});
    }
    case Down::kStreamNackMessage: {
        const auto &m = down.stream_nack_message();
        return ServiceMessage(StreamNack{fromStd(m.stream_id()), m.expected_sequence_id(), fromStd(m.name()),
                                         fromStd(m.message())});
    }
    case Down::kStreamClosedMessage: {
        const auto &m = down.stream_closed_message();
        return ServiceMessage(StreamClosed{
            fromStd(m.stream_id()), streamErrorOf(m.has_error(), m.error().name(), m.error().message())});
    }
    case Down::kSystemMessage:
        return decodeSystem(down.system_message());
    case Down::kPongMessage:
        return ServiceMessage(Pong{});
    case Down::kInvokeResponseMessage:
        return decodeInvokeResponse(down.invoke_response_message());
    case Down::MESSAGE_NOT_SET:
        break;
    }
    return ServiceMessage(Unknown{QString()});
}

} // namespace wps::messages::protobuf
