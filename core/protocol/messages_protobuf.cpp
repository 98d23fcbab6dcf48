// The protobuf subprotocols' codec, over the message model of messages.h.
#include "protocol/jsontext.h"
#include "protocol/messages.h"
#include "protocol/proto/webpubsub.pb.h"

#include <QCoreApplication>

#include <algorithm>

namespace wps::messages::protobuf {

namespace {

constexpr qsizetype kMaxFrame = 1024 * 1024;

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::messages", text);
}

std::string toStd(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    return std::string(utf8.constData(), static_cast<std::size_t>(utf8.size()));
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

QByteArray serialize(const google::protobuf::MessageLite &message)
{
    QByteArray out(static_cast<qsizetype>(message.ByteSizeLong()), Qt::Uninitialized);
    message.SerializeToArray(out.data(), static_cast<int>(out.size()));
    return out;
}

void toProto(const Payload &payload, wps::proto::MessageData *data)
{
    switch (payload.type) {
    case DataType::Json:
        data->set_json_data(payload.bytes.constData(), static_cast<std::size_t>(payload.bytes.size()));
        break;
    case DataType::Text:
        data->set_text_data(payload.bytes.constData(), static_cast<std::size_t>(payload.bytes.size()));
        break;
    case DataType::Binary:
        data->set_binary_data(payload.bytes.constData(), static_cast<std::size_t>(payload.bytes.size()));
        break;
    case DataType::Protobuf:
        if (!data->mutable_protobuf_data()->ParseFromArray(payload.bytes.constData(),
                                                           static_cast<int>(payload.bytes.size())))
            data->mutable_protobuf_data()->Clear();
        break;
    }
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

/// A message without data (a stream start, a keepalive, a stream's end marker) leaves MessageData unset.
bool isNoData(const Payload &payload)
{
    return payload.type == DataType::Json && payload.bytes.isEmpty();
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

} // namespace

QByteArray encode(const ClientRequest &request)
{
    wps::proto::UpstreamMessage up;
    std::visit(
        [&](const auto &r) {
            using T = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<T, JoinGroup>) {
                auto *m = up.mutable_join_group_message();
                m->set_group(toStd(r.group));
                if (r.ackId)
                    m->set_ack_id(*r.ackId);
            } else if constexpr (std::is_same_v<T, LeaveGroup>) {
                auto *m = up.mutable_leave_group_message();
                m->set_group(toStd(r.group));
                if (r.ackId)
                    m->set_ack_id(*r.ackId);
            } else if constexpr (std::is_same_v<T, SendToGroup>) {
                auto *m = up.mutable_send_to_group_message();
                m->set_group(toStd(r.group));
                if (r.ackId)
                    m->set_ack_id(*r.ackId);
                if (r.noEcho)
                    m->set_no_echo(true);
                toProto(r.data, m->mutable_data());
            } else if constexpr (std::is_same_v<T, StreamStart>) {
                auto *m = up.mutable_send_to_group_message();
                m->set_group(toStd(r.group));
                if (r.ackId)
                    m->set_ack_id(*r.ackId);
                if (r.noEcho)
                    m->set_no_echo(true);
                if (r.data)
                    toProto(*r.data, m->mutable_data());
                m->mutable_stream()->set_stream_id(toStd(r.streamId));
                if (r.idleTimeoutMs)
                    m->mutable_stream()->set_idle_timeout_ms(
                        static_cast<quint32>(std::min<quint64>(*r.idleTimeoutMs, 0xffffffffu)));
            } else if constexpr (std::is_same_v<T, StreamData>) {
                auto *m = up.mutable_stream_data_message();
                m->set_stream_id(toStd(r.streamId));
                if (r.streamSequenceId)
                    m->set_stream_sequence_id(*r.streamSequenceId);
                if (r.data)
                    toProto(*r.data, m->mutable_data());
            } else if constexpr (std::is_same_v<T, StreamEnd>) {
                auto *m = up.mutable_stream_end_message();
                m->set_stream_id(toStd(r.streamId));
                if (r.error) {
                    m->mutable_error()->set_message(toStd(r.error->message));
                    if (!r.error->userErrorCode.isEmpty())
                        m->mutable_error()->set_user_error_code(toStd(r.error->userErrorCode));
                }
            } else if constexpr (std::is_same_v<T, SendEvent>) {
                auto *m = up.mutable_event_message();
                m->set_event(toStd(r.event));
                if (r.ackId)
                    m->set_ack_id(*r.ackId);
                toProto(r.data, m->mutable_data());
            } else if constexpr (std::is_same_v<T, SequenceAck>) {
                up.mutable_sequence_ack_message()->set_sequence_id(r.sequenceId);
            } else if constexpr (std::is_same_v<T, Ping>) {
                up.mutable_ping_message();
            } else if constexpr (std::is_same_v<T, Invoke>) {
                // The protobuf message has no target: it is always an event.
                auto *m = up.mutable_invoke_event_message();
                m->set_event(toStd(r.event));
                m->set_invocation_id(toStd(r.invocationId));
                if (r.data)
                    toProto(*r.data, m->mutable_data());
            } else if constexpr (std::is_same_v<T, CancelInvocation>) {
                up.mutable_cancel_invocation_message()->set_invocation_id(toStd(r.invocationId));
            }
        },
        request);
    return serialize(up);
}

Expected<ClientRequest, QString> decodeRequest(QByteArrayView frame)
{
    using R = Expected<ClientRequest, QString>;
    wps::proto::UpstreamMessage up;
    if (!parse(up, frame))
        return R::failure(tr("The message is not a valid protobuf UpstreamMessage."));
    auto optionalAck = [](bool has, quint64 value) {
        return has ? std::optional<quint64>(value) : std::nullopt;
    };
    switch (up.message_case()) {
    case wps::proto::UpstreamMessage::kJoinGroupMessage: {
        const auto &m = up.join_group_message();
        if (m.group().empty())
            return R::failure(tr("'group' is required."));
        if (!validUtf8(m.group()))
            return R::failure(tr("'group' is not valid UTF-8."));
        return ClientRequest(JoinGroup{fromStd(m.group()), optionalAck(m.has_ack_id(), m.ack_id())});
    }
    case wps::proto::UpstreamMessage::kLeaveGroupMessage: {
        const auto &m = up.leave_group_message();
        if (m.group().empty())
            return R::failure(tr("'group' is required."));
        if (!validUtf8(m.group()))
            return R::failure(tr("'group' is not valid UTF-8."));
        return ClientRequest(LeaveGroup{fromStd(m.group()), optionalAck(m.has_ack_id(), m.ack_id())});
    }
    case wps::proto::UpstreamMessage::kSendToGroupMessage: {
        const auto &m = up.send_to_group_message();
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
    case wps::proto::UpstreamMessage::kStreamDataMessage: {
        const auto &m = up.stream_data_message();
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
    case wps::proto::UpstreamMessage::kStreamEndMessage: {
        const auto &m = up.stream_end_message();
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
    case wps::proto::UpstreamMessage::kEventMessage: {
        const auto &m = up.event_message();
        if (m.event().empty())
            return R::failure(tr("'event' is required."));
        if (!validUtf8(m.event()))
            return R::failure(tr("'event' is not valid UTF-8."));
        auto payload = fromProto(m.data());
        if (!payload)
            return R::failure(payload.error());
        return ClientRequest(
            SendEvent{fromStd(m.event()), optionalAck(m.has_ack_id(), m.ack_id()), *payload});
    }
    case wps::proto::UpstreamMessage::kSequenceAckMessage:
        return ClientRequest(SequenceAck{up.sequence_ack_message().sequence_id()});
    case wps::proto::UpstreamMessage::kPingMessage:
        return ClientRequest(Ping{});
    case wps::proto::UpstreamMessage::kInvokeEventMessage: {
        const auto &m = up.invoke_event_message();
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
    case wps::proto::UpstreamMessage::kCancelInvocationMessage: {
        const auto &m = up.cancel_invocation_message();
        if (m.invocation_id().empty())
            return R::failure(tr("'invocationId' is required."));
        if (!validUtf8(m.invocation_id()))
            return R::failure(tr("'invocationId' is not valid UTF-8."));
        return ClientRequest(CancelInvocation{fromStd(m.invocation_id())});
    }
    case wps::proto::UpstreamMessage::MESSAGE_NOT_SET:
        break;
    }
    return R::failure(tr("The message has no known request type."));
}

QByteArray encode(const ServiceMessage &message)
{
    wps::proto::DownstreamMessage down;
    std::visit(
        [&](const auto &m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, Ack>) {
                auto *ack = down.mutable_ack_message();
                ack->set_ack_id(m.ackId);
                ack->set_success(m.success);
                if (!m.success || !m.errorName.isEmpty()) {
                    ack->mutable_error()->set_name(toStd(m.errorName));
                    ack->mutable_error()->set_message(toStd(m.errorMessage));
                }
            } else if constexpr (std::is_same_v<T, DataMessage>) {
                auto *data = down.mutable_data_message();
                if (m.from == DataMessage::From::Group) {
                    data->set_from("group");
                    data->set_group(toStd(m.group));
                } else {
                    data->set_from("server");
                }
                if (!m.stream || !isNoData(m.data))
                    toProto(m.data, data->mutable_data());
                if (m.sequenceId)
                    data->set_sequence_id(*m.sequenceId);
                if (m.stream) {
                    auto *stream = data->mutable_stream();
                    stream->set_stream_id(toStd(m.stream->streamId));
                    stream->set_stream_sequence_id(m.stream->streamSequenceId);
                    if (m.stream->endOfStream)
                        stream->set_end_of_stream(true);
                    if (m.stream->error) {
                        stream->mutable_error()->set_name(toStd(m.stream->error->name));
                        stream->mutable_error()->set_message(toStd(m.stream->error->message));
                        stream->mutable_error()->set_user_error_code(toStd(m.stream->error->userErrorCode));
                    }
                }
            } else if constexpr (std::is_same_v<T, Connected>) {
                auto *connected = down.mutable_system_message()->mutable_connected_message();
                connected->set_connection_id(toStd(m.connectionId));
                if (m.userId)
                    connected->set_user_id(toStd(*m.userId));
                if (!m.reconnectionToken.isEmpty())
                    connected->set_reconnection_token(toStd(m.reconnectionToken));
            } else if constexpr (std::is_same_v<T, Disconnected>) {
                down.mutable_system_message()->mutable_disconnected_message()->set_reason(toStd(m.message));
            } else if constexpr (std::is_same_v<T, Pong>) {
                down.mutable_pong_message();
            } else if constexpr (std::is_same_v<T, Unknown>) {
                // Nothing to say: an empty DownstreamMessage is what an unknown type decodes from.
            } else if constexpr (std::is_same_v<T, StreamAck>) {
                auto *ack = down.mutable_stream_ack_message();
                ack->set_stream_id(toStd(m.streamId));
                ack->set_expected_sequence_id(m.expectedSequenceId);
            } else if constexpr (std::is_same_v<T, StreamNack>) {
                auto *nack = down.mutable_stream_nack_message();
                nack->set_stream_id(toStd(m.streamId));
                nack->set_expected_sequence_id(m.expectedSequenceId);
                nack->set_name(toStd(m.name));
                nack->set_message(toStd(m.message));
            } else if constexpr (std::is_same_v<T, StreamClosed>) {
                auto *closed = down.mutable_stream_closed_message();
                closed->set_stream_id(toStd(m.streamId));
                if (m.error) {
                    closed->mutable_error()->set_name(toStd(m.error->name));
                    closed->mutable_error()->set_message(toStd(m.error->message));
                }
            } else if constexpr (std::is_same_v<T, InvokeResponse>) {
                auto *response = down.mutable_invoke_response_message();
                response->set_invocation_id(toStd(m.invocationId));
                response->set_success(m.success);
                if (m.success && m.data)
                    toProto(*m.data, response->mutable_data());
                if (!m.success) {
                    response->mutable_error()->set_name(toStd(m.errorName));
                    response->mutable_error()->set_message(toStd(m.errorMessage));
                }
            }
        },
        message);
    return serialize(down);
}

Expected<ServiceMessage, QString> decodeMessage(QByteArrayView frame)
{
    using R = Expected<ServiceMessage, QString>;
    wps::proto::DownstreamMessage down;
    if (!parse(down, frame))
        return R::failure(tr("The message is not a valid protobuf DownstreamMessage."));
    switch (down.message_case()) {
    case wps::proto::DownstreamMessage::kAckMessage: {
        const auto &m = down.ack_message();
        Ack ack{m.ack_id(), m.success(), {}, {}};
        if (m.has_error()) {
            ack.errorName = fromStd(m.error().name());
            ack.errorMessage = fromStd(m.error().message());
        }
        return ServiceMessage(ack);
    }
    case wps::proto::DownstreamMessage::kDataMessage: {
        const auto &m = down.data_message();
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
            data.stream =
                StreamInfo{fromStd(stream.stream_id()), stream.stream_sequence_id(),
                           stream.has_end_of_stream() && stream.end_of_stream(),
                           streamErrorOf(stream.has_error(), stream.error().name(), stream.error().message(),
                                         stream.error().user_error_code())};
        }
        if (data.stream && m.data().data_case() == wps::proto::MessageData::DATA_NOT_SET) {
            data.data = Payload::json({}); // a stream's end marker carries no data
        } else {
            auto payload = fromProto(m.data());
            if (!payload)
                return R::failure(payload.error());
            data.data = *payload;
        }
        if (m.has_sequence_id())
            data.sequenceId = m.sequence_id();
        return ServiceMessage(data);
    }
    case wps::proto::DownstreamMessage::kStreamAckMessage: {
        const auto &m = down.stream_ack_message();
        return ServiceMessage(StreamAck{fromStd(m.stream_id()), m.expected_sequence_id()});
    }
    case wps::proto::DownstreamMessage::kStreamNackMessage: {
        const auto &m = down.stream_nack_message();
        return ServiceMessage(StreamNack{fromStd(m.stream_id()), m.expected_sequence_id(), fromStd(m.name()),
                                         fromStd(m.message())});
    }
    case wps::proto::DownstreamMessage::kStreamClosedMessage: {
        const auto &m = down.stream_closed_message();
        return ServiceMessage(StreamClosed{
            fromStd(m.stream_id()), streamErrorOf(m.has_error(), m.error().name(), m.error().message())});
    }
    case wps::proto::DownstreamMessage::kSystemMessage: {
        const auto &system = down.system_message();
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
    case wps::proto::DownstreamMessage::kPongMessage:
        return ServiceMessage(Pong{});
    case wps::proto::DownstreamMessage::kInvokeResponseMessage: {
        const auto &m = down.invoke_response_message();
        InvokeResponse response;
        response.invocationId = fromStd(m.invocation_id());
        response.success = m.success();
        if (m.success() && m.has_data() && m.data().data_case() != wps::proto::MessageData::DATA_NOT_SET) {
            auto payload = fromProto(m.data());
            if (!payload)
                return R::failure(payload.error());
            response.data = *payload;
        }
        if (!m.success() && m.has_error()) {
            response.errorName = fromStd(m.error().name());
            response.errorMessage = fromStd(m.error().message());
        }
        return ServiceMessage(response);
    }
    case wps::proto::DownstreamMessage::MESSAGE_NOT_SET:
        break;
    }
    return ServiceMessage(Unknown{QString()});
}

} // namespace wps::messages::protobuf
