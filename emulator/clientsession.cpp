#include "emulator/clientsession.h"

#include "emulator/clientevents.h"
#include "protocol/messages.h"
#include "protocol/names.h"

#include <QLoggingCategory>
#include <QRandomGenerator>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcClient)

namespace wps::emulator {

namespace {

const QString kJoinLeave = u"joinLeaveGroup"_s;
const QString kSendToGroup = u"sendToGroup"_s;

QString randomToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

messages::DataMessage dataMessage(const Delivery &message)
{
    messages::DataMessage m;
    m.from =
        message.group.isEmpty() ? messages::DataMessage::From::Server : messages::DataMessage::From::Group;
    m.group = message.group;
    m.fromUserId = message.fromUserId;
    m.data = messages::Payload{message.dataType, message.data};
    m.stream = message.stream;
    return m;
}

} // namespace

ClientSession::ClientSession(HubState &hub, Identity identity, const ClientLimits &limits,
                             ClientEventHandler *events, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
    , m_identity(std::move(identity))
    , m_limits(limits)
    , m_events(events)
{
    if (m_identity.reliable)
        m_reconnectionToken = randomToken();
    m_recoveryTimer.setSingleShot(true);
    m_recoveryTimer.setInterval(m_limits.recoveryWindow);
    connect(&m_recoveryTimer, &QTimer::timeout, this,
            [this] { end(u"The connection was not recovered in time."_s); });
    m_streams = new GroupStreams(
        hub, m_identity.connectionId, m_identity.userId, m_limits.streams,
        [this](const messages::ServiceMessage &message) { sendControlMessage(message); }, this);
}

ClientSession::~ClientSession() = default;

int ClientSession::attach(ws::Socket *socket)
{
    if (m_socket)
        m_socket->abort();
    dropInvocations(u"the connection was recovered on a new socket"_s);
    m_recoveryTimer.stop();
    m_socket = socket;
    socket->setParent(this);
    socket->setMessageHandler([this](QByteArrayView payload, bool text) { onMessage(payload, text); });
    connect(socket, &ws::Socket::outputOverflowed, this, [this, socket] {
        // The socket closed itself at its output budget: a slow consumer, ended for good (no recovery).
        if (socket == m_socket)
            closeAndEnd(ws::CloseCode::PolicyViolation, u"The outbound message queue is full."_s);
    });
    connect(socket, &ws::Socket::closed, this,
            [this, socket](quint16 code, const QString &reason, bool byClient) {
                if (socket == m_socket)
                    onSocketClosed(code, reason, byClient);
                socket->deleteLater();
            });
    if (m_identity.kind != ClientKind::Raw) {
        messages::Connected connected;
        connected.connectionId = m_identity.connectionId;
        connected.userId = m_identity.userId;
        connected.reconnectionToken = m_reconnectionToken;
        sendControlMessage(connected);
    }
    int expired = 0;
    if (m_identity.reliable) {
        // Replay what the client has not acknowledged, in order (the client drops what it already has).
        // A message whose TTL passed while the client was away is dropped, not replayed: the client sees a
        // gap in sequence IDs, which the reliable protocol allows (acks are cumulative).
        const auto now = std::chrono::steady_clock::now();
        for (auto it = m_unacked.begin(); it != m_unacked.end();) {
            if (it->expiresAt && *it->expiresAt < now) {
                m_unackedBytes -= it->frame.size();
                it = m_unacked.erase(it);
                ++expired;
                continue;
            }
            socket->sendFrame(it->frame, false);
            ++it;
        }
    }
    socket->start();
    return expired;
}

QByteArray ClientSession::encodeFrame(const messages::ServiceMessage &message) const
{
    if (m_identity.kind == ClientKind::Protobuf)
        return ws::frame(ws::Opcode::Binary, messages::protobuf::encode(message));
    return ws::frame(ws::Opcode::Text, messages::json::encode(message));
}

void ClientSession::sendControlMessage(const messages::ServiceMessage &message)
{
    if (!m_socket || m_ending)
        return;
    if (!m_socket->sendFrame(encodeFrame(message), !m_identity.reliable))
        closeAndEnd(ws::CloseCode::PolicyViolation, u"The outbound message queue is full."_s);
}

QByteArray ClientSession::dataFrame(const Delivery &message, std::optional<quint64> sequenceId) const
{
    DeliveryFrames &frames = message.frames;
    switch (m_identity.kind) {
    case ClientKind::Raw:
        if (frames.raw.isEmpty()) {
            const bool text = message.dataType == DataType::Text || message.dataType == DataType::Json;
            frames.raw = ws::frame(text ? ws::Opcode::Text : ws::Opcode::Binary, message.data);
        }
        return frames.raw;
    case ClientKind::Json:
        if (!sequenceId) {
            if (frames.json.isEmpty()) {
                if (frames.jsonBody.isEmpty())
                    frames.jsonBody = messages::json::encode(dataMessage(message));
                frames.json = ws::frame(ws::Opcode::Text, frames.jsonBody);
            }
            return frames.json;
        }
        if (frames.jsonBody.isEmpty())
            frames.jsonBody = messages::json::encode(dataMessage(message));
        {
            // The encoder writes sequenceId first: splice it into the shared body instead of re-encoding.
            const QByteArray body = "{\"sequenceId\":" + QByteArray::number(*sequenceId) + ',' +
                                    QByteArrayView(frames.jsonBody).sliced(1);
            return ws::frame(ws::Opcode::Text, body);
        }
    case ClientKind::Protobuf:
        if (!sequenceId) {
            if (frames.protobuf.isEmpty())
                frames.protobuf =
                    ws::frame(ws::Opcode::Binary, messages::protobuf::encode(dataMessage(message)));
            return frames.protobuf;
        }
        {
            messages::DataMessage m = dataMessage(message);
            m.sequenceId = sequenceId;
            return ws::frame(ws::Opcode::Binary, messages::protobuf::encode(m));
        }
    }
    return {};
}

void ClientSession::deliver(const Delivery &message)
{
    if (m_ending || m_ended)
        return;
    if (!m_identity.reliable) {
        if (!m_socket)
            return;
        if (!m_socket->sendFrame(dataFrame(message, std::nullopt), true))
            closeAndEnd(ws::CloseCode::PolicyViolation, u"The outbound message queue is full."_s);
        return;
    }
    const quint64 sequenceId = m_nextSequenceId;
    QByteArray frame = dataFrame(message, sequenceId);
    if (static_cast<qsizetype>(m_unacked.size()) >= m_limits.maxUnackedMessages ||
        m_unackedBytes + frame.size() > m_limits.maxUnackedBytes) {
        closeAndEnd(ws::CloseCode::PolicyViolation, u"The reliable message buffer is full."_s);
        return;
    }
    ++m_nextSequenceId;
    m_unackedBytes += frame.size();
    m_unacked.push_back({sequenceId, frame, message.expiresAt});
    if (m_socket)
        m_socket->sendFrame(frame, false);
}

ClientEventContext ClientSession::nextEvent()
{
    ClientEventContext context;
    context.hub = m_identity.hubName;
    context.connectionId = m_identity.connectionId;
    context.userId = m_identity.userId;
    context.subprotocol = m_identity.protocol;
    context.eventId = m_nextEventId++;
    context.connectionState = m_connectionState;
    return context;
}

void ClientSession::membershipChanged(const QString &group, bool joined)
{
    const auto kind = joined ? cloudevents::EventKind::GroupJoined : cloudevents::EventKind::GroupLeft;
    if (m_events && m_events->wantsGroupPresence(m_identity.hubName, kind, group))
        m_events->groupPresence(nextEvent(), kind, group);
}

void ClientSession::closeByService(const QString &reason)
{
    if (m_ending || m_ended)
        return;
    if (m_socket && m_identity.kind != ClientKind::Raw)
        m_socket->sendFrame(encodeFrame(messages::Disconnected{reason}), false);
    closeAndEnd(ws::CloseCode::Normal, reason);
}

void ClientSession::closeAndEnd(quint16 code, const QString &reason)
{
    if (m_ending)
        return;
    m_ending = true;
    m_endReason = reason;
    qCInfo(lcClient).noquote() << "closing" << m_identity.connectionId << code << reason;
    if (m_socket)
        m_socket->close(code, reason);
    endLater(reason);
}

void ClientSession::endLater(const QString &reason)
{
    QTimer::singleShot(0, this, [this, reason] { end(reason); });
}

void ClientSession::end(const QString &reason)
{
    if (m_ended)
        return;
    m_ended = true;
    m_ending = true;
    m_recoveryTimer.stop();
    m_unacked.clear();
    m_streams->closeAll(u"The publisher's connection closed."_s);
    dropInvocations(reason);
    if (ws::Socket *socket = m_socket) {
        // A socket still closing (its close frame may be queued behind unsent output) finishes its close
        // handshake on its own, so the client can read the close code; it is then deleted. It outlives the
        // session as a child of the session's owner, and is dropped after Limits::closeTimeout at the latest.
        m_socket = nullptr;
        disconnect(socket, nullptr, this, nullptr);
        socket->setParent(parent());
        connect(socket, &ws::Socket::closed, socket, &QObject::deleteLater);
        if (socket->isOpen())
            socket->abort();
    }
    m_hub.removeConnection(m_identity.connectionId);
    if (m_events)
        m_events->disconnected(nextEvent(), reason);
    Q_EMIT ended(m_identity.connectionId);
}

void ClientSession::onSocketClosed(quint16 code, const QString &reason, bool clientClosed)
{
    m_socket = nullptr;
    dropInvocations(reason.isEmpty() ? u"the connection closed"_s : reason);
    if (m_ending || m_ended) {
        end(m_endReason);
        return;
    }
    if (m_identity.reliable && !clientClosed) {
        // A dropped transport: keep the logical connection for the recovery window.
        qCInfo(lcClient).noquote() << "connection" << m_identity.connectionId << "dropped; awaiting recovery";
        m_recoveryTimer.start();
        return;
    }
    Q_UNUSED(code);
    end(reason);
}

void ClientSession::onMessage(QByteArrayView payload, bool text)
{
    if (m_ending)
        return;
    if (m_observer)
        m_observer(payload, text);
    if (m_identity.kind == ClientKind::Raw) {
        handleRawMessage(payload.toByteArray(), text);
        return;
    }
    auto request = m_identity.kind == ClientKind::Json ? messages::json::decodeRequest(payload)
                                                       : messages::protobuf::decodeRequest(payload);
    if (!request) {
        // A request the service cannot understand ends the connection (docs/protocol.md#json-requests): 1008
        // with what was wrong.
        closeAndEnd(ws::CloseCode::PolicyViolation, u"Invalid message: "_s + request.error());
        return;
    }
    handleRequest(*request);
}

void ClientSession::sendAck(std::optional<quint64> ackId, const QString &errorName, const QString &message)
{
    if (!ackId)
        return;
    messages::Ack ack;
    ack.ackId = *ackId;
    ack.success = errorName.isEmpty();
    ack.errorName = errorName;
    ack.errorMessage = message;
    if (ack.success) {
        if (m_ackIds.size() < kAckIdWindow) {
            if (m_ackIds.empty())
                m_ackIds.reserve(kAckIdWindow); // 8 KiB once, so memory does not step up later
            m_ackIds.push_back(*ackId);
        } else {
            m_ackIds[m_nextAckSlot] = *ackId;
            m_nextAckSlot = (m_nextAckSlot + 1) % kAckIdWindow;
        }
    }
    sendControlMessage(ack);
}

bool ClientSession::isDuplicate(std::optional<quint64> ackId)
{
    if (!ackId || std::find(m_ackIds.cbegin(), m_ackIds.cend(), *ackId) == m_ackIds.cend())
        return false;
    messages::Ack ack;
    ack.ackId = *ackId;
    ack.success = false;
    ack.errorName = u"Duplicate"_s;
    ack.errorMessage = u"The message with ackId %1 was already processed."_s.arg(*ackId);
    sendControlMessage(ack);
    return true;
}

void ClientSession::handleRequest(const messages::ClientRequest &request)
{
    const QString &id = m_identity.connectionId;
    // Content the service refuses without closing: an error ack, and nothing is forwarded. A protobuf
    // client's json_data is free text and is checked to be one JSON value before it can be pasted into a
    // JSON receiver's frame (where it could otherwise add members such as "fromUserId").
    if (const auto *invocation = std::get_if<messages::Invoke>(&request)) {
        // Refusals of an invoke are its invokeResponse, never an ack.
        invoke(*invocation, messages::checkRequest(request, m_identity.kind == ClientKind::Protobuf));
        return;
    }
    if (const QString error = messages::checkRequest(request, m_identity.kind == ClientKind::Protobuf);
        !error.isEmpty())
        return refuseRequest(request, error);
    std::visit(
        [&](const auto &r) {
            using T = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<T, messages::JoinGroup> || std::is_same_v<T, messages::LeaveGroup>) {
                constexpr bool join = std::is_same_v<T, messages::JoinGroup>;
                if (isDuplicate(r.ackId))
                    return;
                if (const QString error = names::checkGroup(r.group); !error.isEmpty())
                    return sendAck(r.ackId, u"BadRequest"_s, error);
                if (!m_hub.hasPermission(id, kJoinLeave, r.group))
                    return sendAck(r.ackId, u"Forbidden"_s,
                                   (join ? u"The client has no permission to join group '%1'."_s
                                         : u"The client has no permission to leave group '%1'."_s)
                                       .arg(r.group));
                if (join && m_hub.atGroupLimit(id, r.group))
                    return sendAck(r.ackId, u"BadRequest"_s,
                                   u"The connection is already in %1 groups, the most one connection can "
                                   "join; leave a group first."_s.arg(HubState::kMaxGroupsPerConnection));
                if (join)
                    m_hub.addToGroup(id, r.group);
                else
                    m_hub.removeFromGroup(id, r.group);
                sendAck(r.ackId);
            } else if constexpr (std::is_same_v<T, messages::SendToGroup>) {
                if (isDuplicate(r.ackId))
                    return;
                if (const QString error = names::checkGroup(r.group); !error.isEmpty())
                    return sendAck(r.ackId, u"BadRequest"_s, error);
                if (!m_hub.hasPermission(id, kSendToGroup, r.group))
                    return sendAck(
                        r.ackId, u"Forbidden"_s,
                        u"The client has no permission to send message to group '%1'."_s.arg(r.group));
                publish(r.group, r.data, r.noEcho);
                sendAck(r.ackId);
            } else if constexpr (std::is_same_v<T, messages::SendEvent>) {
                if (isDuplicate(r.ackId))
                    return;
                userEvent(r.event, r.data, r.ackId);
            } else if constexpr (std::is_same_v<T, messages::SequenceAck>) {
                while (!m_unacked.empty() && m_unacked.front().sequenceId <= r.sequenceId) {
                    m_unackedBytes -= m_unacked.front().frame.size();
                    m_unacked.pop_front();
                }
            } else if constexpr (std::is_same_v<T, messages::Ping>) {
                sendControlMessage(messages::Pong{});
            } else if constexpr (std::is_same_v<T, messages::StreamStart>) {
                m_streams->start(r); // group streams: emulator/groupstreams.h
            } else if constexpr (std::is_same_v<T, messages::StreamData>) {
                m_streams->data(r);
            } else if constexpr (std::is_same_v<T, messages::StreamEnd>) {
                m_streams->end(r);
            } else if constexpr (std::is_same_v<T, messages::CancelInvocation>) {
                cancelInvocation(r.invocationId);
            }
        },
        request);
}

void ClientSession::refuseRequest(const messages::ClientRequest &request, const QString &error)
{
    qCInfo(lcClient).noquote() << "refused a request of" << m_identity.connectionId << ":" << error;
    // A refused stream request is answered on the stream (docs/emulator.md#group-streams).
    if (const auto *start = std::get_if<messages::StreamStart>(&request))
        return sendControlMessage(messages::StreamClosed{start->streamId, {{u"BadRequest"_s, error, {}}}});
    if (const auto *data = std::get_if<messages::StreamData>(&request))
        return sendControlMessage(messages::StreamClosed{data->streamId, {{u"BadRequest"_s, error, {}}}});
    if (const auto *streamEnd = std::get_if<messages::StreamEnd>(&request))
        return sendControlMessage(
            messages::StreamClosed{streamEnd->streamId, {{u"BadRequest"_s, error, {}}}});
    return sendAck(messages::ackIdOf(request), u"BadRequest"_s, error);
}

void ClientSession::publish(const QString &group, const messages::Payload &data, bool noEcho)
{
    Delivery delivery;
    delivery.group = group;
    delivery.data = data.bytes;
    delivery.dataType = data.type;
    delivery.fromUserId = m_identity.userId;
    const QStringList members = m_hub.connectionsInGroup(group);
    for (const QString &member : members) {
        if (noEcho && member == m_identity.connectionId)
            continue;
        m_hub.deliver(member, delivery); // one Delivery: its frames are built once per kind of receiver
    }
}

void ClientSession::userEvent(const QString &event, const messages::Payload &data,
                              std::optional<quint64> ackId)
{
    const bool raw = m_identity.kind == ClientKind::Raw;
    auto finish = [this, event, ackId, raw](const ClientEventReply &reply) {
        if (m_ending)
            return;
        // docs/protocol.md#connection-state: a successful answer with the header stores it (empty included);
        // a failure never changes it.
        if (reply.result == ClientEventReply::Result::Replied && reply.connectionState)
            m_connectionState = reply.connectionState;
        if (reply.result != ClientEventReply::Result::Replied) {
            qCInfo(lcClient).noquote()
                << "event" << event << "of" << m_identity.connectionId
                << "failed:" << (reply.error.isEmpty() ? u"no handler"_s : reply.error);
            if (raw)
                closeAndEnd(ws::CloseCode::InternalError, u"The event handler failed or is missing."_s);
            else
                sendAck(ackId, u"InternalServerError"_s,
                        reply.result == ClientEventReply::Result::NoHandler
                            ? u"No event handler is registered for event '%1'."_s.arg(event)
                            : u"The event handler failed."_s);
            return;
        }
        if (reply.payload) {
            // The reply goes out before the ack (docs/protocol.md#user-events).
            Delivery delivery;
            delivery.data = reply.payload->bytes;
            delivery.dataType = reply.payload->type;
            deliver(delivery);
        }
        sendAck(ackId);
    };
    if (!m_events) {
        finish(ClientEventReply{});
        return;
    }
    m_events->userEvent(nextEvent(), event, data, this, std::move(finish));
}

void ClientSession::handleRawMessage(const QByteArray &payload, bool text)
{
    const messages::Payload data{text ? DataType::Text : DataType::Binary, payload};
    if (!m_identity.rawMode.sendToGroup) {
        userEvent(u"message"_s, data, std::nullopt);
        return;
    }
    const QString &group = m_identity.rawMode.group;
    if (!m_hub.hasPermission(m_identity.connectionId, kSendToGroup, group)) {
        qCInfo(lcClient).noquote() << "raw client" << m_identity.connectionId
                                   << "has no permission to send to group" << group << "; message dropped";
        return;
    }
    publish(group, data, m_identity.rawMode.noEcho);
}

} // namespace wps::emulator
