// The protobuf subprotocols' encoder, over the message model of messages.h (the decoder is
// messages_protobufdecode.cpp).
#include "protocol/messages.h"
#include "protocol/proto/webpubsub.pb.h"

#include <algorithm>

namespace wps::messages::protobuf {

namespace {

std::string toStd(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    return std::string(utf8.constData(), static_cast<std::size_t>(utf8.size()));
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

/// A message without data (a stream start, a keepalive, a stream's end marker) leaves MessageData unset.
bool isNoData(const Payload &payload)
{
    return payload.type == DataType::Json && payload.bytes.isEmpty();
}

using Up = wps::proto::UpstreamMessage;
using Down = wps::proto::DownstreamMessage;

// ---- requests: each sets its member of the UpstreamMessage oneof ----------------------------------------

void setRequest(Up &up, const JoinGroup &r)
{
    auto *m = up.mutable_join_group_message();
    m->set_group(toStd(r.group));
    if (r.ackId)
        m->set_ack_id(*r.ackId);
}

void setRequest(Up &up, const LeaveGroup &r)
{
    auto *m = up.mutable_leave_group_message();
    m->set_group(toStd(r.group));
    if (r.ackId)
        m->set_ack_id(*r.ackId);
}

void setRequest(Up &up, const SendToGroup &r)
{
    auto *m = up.mutable_send_to_group_message();
    m->set_group(toStd(r.group));
    if (r.ackId)
        m->set_ack_id(*r.ackId);
    if (r.noEcho)
        m->set_no_echo(true);
    toProto(r.data, m->mutable_data());
}

void setRequest(Up &up, const StreamStart &r)
{
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
}

void setRequest(Up &up, const StreamData &r)
{
    auto *m = up.mutable_stream_data_message();
    m->set_stream_id(toStd(r.streamId));
    if (r.streamSequenceId)
        m->set_stream_sequence_id(*r.streamSequenceId);
    if (r.data)
        toProto(*r.data, m->mutable_data());
}

void setRequest(Up &up, const StreamEnd &r)
{
    auto *m = up.mutable_stream_end_message();
    m->set_stream_id(toStd(r.streamId));
    if (r.error) {
        m->mutable_error()->set_message(toStd(r.error->message));
        if (!r.error->userErrorCode.isEmpty())
            m->mutable_error()->set_user_error_code(toStd(r.error->userErrorCode));
    }
}

void setRequest(Up &up, const SendEvent &r)
{
    auto *m = up.mutable_event_message();
    m->set_event(toStd(r.event));
    if (r.ackId)
        m->set_ack_id(*r.ackId);
    toProto(r.data, m->mutable_data());
}

void setRequest(Up &up, const SequenceAck &r)
{
    up.mutable_sequence_ack_message()->set_sequence_id(r.sequenceId);
}

void setRequest(Up &up, const Ping &)
{
    up.mutable_ping_message();
}

void setRequest(Up &up, const Invoke &r)
{
    // The protobuf message has no target: it is always an event.
    auto *m = up.mutable_invoke_event_message();
    m->set_event(toStd(r.event));
    m->set_invocation_id(toStd(r.invocationId));
    if (r.data)
        toProto(*r.data, m->mutable_data());
}

void setRequest(Up &up, const CancelInvocation &r)
{
    up.mutable_cancel_invocation_message()->set_invocation_id(toStd(r.invocationId));
}

// ---- service messages: each sets its member of the DownstreamMessage oneof -------------------------------

void setMessage(Down &down, const Ack &m)
{
    auto *ack = down.mutable_ack_message();
    ack->set_ack_id(m.ackId);
    ack->set_success(m.success);
    if (!m.success || !m.errorName.isEmpty()) {
        ack->mutable_error()->set_name(toStd(m.errorName));
        ack->mutable_error()->set_message(toStd(m.errorMessage));
    }
}

void setMessage(Down &down, const DataMessage &m)
{
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
}

void setMessage(Down &down, const Connected &m)
{
    auto *connected = down.mutable_system_message()->mutable_connected_message();
    connected->set_connection_id(toStd(m.connectionId));
    if (m.userId)
        connected->set_user_id(toStd(*m.userId));
    if (!m.reconnectionToken.isEmpty())
        connected->set_reconnection_token(toStd(m.reconnectionToken));
}

void setMessage(Down &down, const Disconnected &m)
{
    down.mutable_system_message()->mutable_disconnected_message()->set_reason(toStd(m.message));
}

void setMessage(Down &down, const Pong &)
{
    down.mutable_pong_message();
}

void setMessage(Down &, const Unknown &)
{
    // Nothing to say: an empty DownstreamMessage is what an unknown type decodes from.
}

void setMessage(Down &down, const StreamAck &m)
{
    auto *ack = down.mutable_stream_ack_message();
    ack->set_stream_id(toStd(m.streamId));
    ack->set_expected_sequence_id(m.expectedSequenceId);
}

void setMessage(Down &down, const StreamNack &m)
{
    auto *nack = down.mutable_stream_nack_message();
    nack->set_stream_id(toStd(m.streamId));
    nack->set_expected_sequence_id(m.expectedSequenceId);
    nack->set_name(toStd(m.name));
    nack->set_message(toStd(m.message));
}

void setMessage(Down &down, const StreamClosed &m)
{
    auto *closed = down.mutable_stream_closed_message();
    closed->set_stream_id(toStd(m.streamId));
    if (m.error) {
        closed->mutable_error()->set_name(toStd(m.error->name));
        closed->mutable_error()->set_message(toStd(m.error->message));
    }
}

void setMessage(Down &down, const InvokeResponse &m)
{
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

} // namespace

QByteArray encode(const ClientRequest &request)
{
    Up up;
    std::visit([&up](const auto &r) { setRequest(up, r); }, request);
    return serialize(up);
}

QByteArray encode(const ServiceMessage &message)
{
    Down down;
    std::visit([&down](const auto &m) { setMessage(down, m); }, message);
    return serialize(down);
}

} // namespace wps::messages::protobuf
