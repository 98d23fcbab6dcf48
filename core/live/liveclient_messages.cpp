// LiveClient's conversation on a subprotocol: the operations that wait for an ack (PendingAcks), the joined
// groups and their rejoin, invocations (Invocations), and sequenced messages with their sequenceAcks
// (ReliableSession).

#include "live/invocations.h"
#include "live/liveclient.h"
#include "live/livelogging.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::live {

namespace {

AckError notConnected(const QString &why)
{
    return AckError{AckError::Kind::NotConnected, u"NotConnected"_s, why};
}

} // namespace

void LiveClient::handleMessage(const messages::ServiceMessage &message)
{
    if (const auto *connected = std::get_if<messages::Connected>(&message))
        handleConnected(*connected);
    else if (const auto *ack = std::get_if<messages::Ack>(&message))
        handleAck(*ack);
    else if (const auto *data = std::get_if<messages::DataMessage>(&message))
        handleData(*data);
    else if (const auto *disconnectedMessage = std::get_if<messages::Disconnected>(&message))
        m_lastDisconnectedMessage = disconnectedMessage->message;
    else if (std::holds_alternative<messages::StreamAck>(message) ||
             std::holds_alternative<messages::StreamNack>(message) ||
             std::holds_alternative<messages::StreamClosed>(message))
        Q_EMIT streamAnswer(message);
    else if (const auto *response = std::get_if<messages::InvokeResponse>(&message))
        m_invocations->resolve(*response);
    // Pong and unknown types only feed the watchdog.
}

void LiveClient::handleAck(const messages::Ack &ack)
{
    std::optional<PendingAcks::Entry> entry = m_acks.take(ack.ackId);
    if (!entry)
        return; // timed out or unknown: a late ack changes nothing
    const QPointer<AckJob> job = entry->job;
    const messages::ClientRequest &request = entry->request;
    if (!job)
        return;
    const bool duplicated = !ack.success && ack.errorName == u"Duplicate"_s;
    if (ack.success || duplicated) {
        if (const auto *join = std::get_if<messages::JoinGroup>(&request)) {
            if (!m_groups.contains(join->group))
                m_groups.append(join->group);
        } else if (const auto *leave = std::get_if<messages::LeaveGroup>(&request)) {
            m_groups.removeAll(leave->group);
        }
        job->finish(std::nullopt, duplicated);
        return;
    }
    job->finish(AckError{ackErrorKind(ack.errorName), ack.errorName, ack.errorMessage});
}

void LiveClient::handleData(const messages::DataMessage &message)
{
    if (isReliable(m_protocol) && message.sequenceId) {
        if (!m_reliable.accept(*message.sequenceId))
            return; // a duplicate, e.g. resent after a recovery
        if (m_reliable.unackedCount() > m_settings.sequenceAckThreshold)
            sendSequenceAck();
    }
    if (message.from == messages::DataMessage::From::Group)
        Q_EMIT groupMessage(message);
    else
        Q_EMIT serverMessage(message);
}

void LiveClient::sendSequenceAck()
{
    const std::optional<quint64> due = m_reliable.sequenceAckDue();
    if (!due || !m_socketOpened)
        return;
    if (sendRequest(messages::SequenceAck{*due}))
        m_reliable.acknowledged(*due);
}

QStringList LiveClient::joinedGroups() const
{
    return m_groups;
}

AckJob *LiveClient::joinGroup(const QString &group)
{
    return submit(u"joinGroup"_s, messages::JoinGroup{group, std::nullopt}, false);
}

AckJob *LiveClient::leaveGroup(const QString &group)
{
    return submit(u"leaveGroup"_s, messages::LeaveGroup{group, std::nullopt}, false);
}

AckJob *LiveClient::sendToGroup(const QString &group, const messages::Payload &data, SendOptions options)
{
    return submit(u"sendToGroup"_s, messages::SendToGroup{group, std::nullopt, options.noEcho, data},
                  options.fireAndForget, options.ackId);
}

AckJob *LiveClient::sendEvent(const QString &event, const messages::Payload &data, bool fireAndForget)
{
    return submit(u"sendEvent"_s, messages::SendEvent{event, std::nullopt, data}, fireAndForget);
}

AckJob *LiveClient::submit(const QString &operation, messages::ClientRequest request, bool fireAndForget,
                           std::optional<quint64> chosenAckId)
{
    auto *job = new AckJob(operation, this);
    if (m_protocol == Subprotocol::None) {
        job->finishLater(AckError{AckError::Kind::Other, u"NotSupported"_s,
                                  u"A raw WebSocket client has no %1"_s.arg(operation)});
        return job;
    }
    // While a reliable connection recovers, requests wait and go out once it is back.
    const bool canQueue = m_state == State::Recovering && !fireAndForget;
    if (m_state != State::Connected && !canQueue) {
        job->finishLater(notConnected(u"The client is not connected"_s));
        return job;
    }
    if (fireAndForget) {
        const bool sent = sendRequest(request);
        job->finishLater(sent ? std::nullopt
                              : std::optional<AckError>(notConnected(u"The frame could not be written"_s)));
        return job;
    }
    if (chosenAckId && m_acks.contains(*chosenAckId)) {
        job->finishLater(AckError{AckError::Kind::Other, u"AckIdInUse"_s,
                                  u"ackId %1 is still waiting for its ack"_s.arg(*chosenAckId)});
        return job;
    }
    m_acks.add(request, job, chosenAckId, m_settings.ackTimeout);
    if (m_state == State::Connected)
        sendRequest(request);
    return job;
}

void LiveClient::resendPending()
{
    // Same ackIds as before: the service answers Duplicate for what it already processed.
    const QList<messages::ClientRequest> requests = m_acks.requests();
    for (const messages::ClientRequest &request : requests)
        sendRequest(request);
}

void LiveClient::failAllPending(const QString &why)
{
    m_acks.failAll(notConnected(why));
}

void LiveClient::rejoinGroups()
{
    const QStringList groups = m_groups;
    for (const QString &group : groups) {
        AckJob *job = submit(u"rejoinGroup"_s, messages::JoinGroup{group, std::nullopt}, false);
        connect(job, &AckJob::finished, this, [this, job, group] {
            if (!job->succeeded()) {
                qCInfo(lcLive) << m_name << "rejoining" << group << "failed:" << job->error()->name;
                m_groups.removeAll(group);
                Q_EMIT rejoinGroupFailed(group, *job->error());
            }
            job->deleteLater();
        });
    }
}

InvocationJob *LiveClient::invoke(const QString &event, const std::optional<messages::Payload> &data,
                                  std::chrono::milliseconds timeout)
{
    std::optional<AckError> refusal;
    if (m_protocol == Subprotocol::None)
        refusal = AckError{
            AckError::Kind::Other, u"NotSupported"_s,
            u"not sent: a raw WebSocket client cannot invoke (json and protobuf subprotocols can)"_s};
    else if (m_state != State::Connected)
        refusal = notConnected(u"not sent: the client is not connected"_s);
    return m_invocations->start(event, data, timeout, refusal);
}

bool LiveClient::cancelInvocation(const QString &invocationId)
{
    return m_invocations->cancel(invocationId);
}

int LiveClient::pendingInvocations() const
{
    return m_invocations->pendingCount();
}

} // namespace wps::live
