// A subprotocol client's invocations (docs/emulator.md "Invocations"): `invoke` calls the hub's handler for
// the user event exactly as an `event` does (the same CloudEvent), and its answer goes back as the
// `invokeResponse`; `cancelInvocation` stops waiting.
#include "emulator/clientevents.h"
#include "emulator/clientsession.h"
#include "protocol/messages.h"

#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcClient)

namespace wps::emulator {

namespace {

messages::InvokeResponse failure(const QString &invocationId, const QString &name, const QString &message)
{
    messages::InvokeResponse response;
    response.invocationId = invocationId;
    response.success = false;
    response.errorName = name;
    response.errorMessage = message;
    return response;
}

QString outcomeOf(const messages::InvokeResponse &response)
{
    if (!response.success)
        return u"failed: "_s + response.errorName + u": "_s + response.errorMessage;
    if (!response.data)
        return u"answered with no data"_s;
    return u"answered %1 (%2 bytes)"_s.arg(messages::dataTypeName(response.data->type))
        .arg(response.data->bytes.size());
}

} // namespace

void ClientSession::invoke(const messages::Invoke &request, const QString &refusal)
{
    const QString &id = request.invocationId;
    if (!refusal.isEmpty())
        return answerInvocation(failure(id, u"BadRequest"_s, refusal), request.event, 0);
    if (m_invocations.contains(id))
        return answerInvocation(
            failure(id, u"BadRequest"_s,
                    u"An invocation with id '%1' is already waiting for its answer on this connection."_s.arg(
                        id)),
            request.event, 0);
    if (m_invocations.size() >= m_limits.maxPendingInvocations)
        return answerInvocation(failure(id, u"TooManyRequests"_s,
                                        u"The connection already has %1 invocations waiting for an answer; "
                                        "wait for one to finish."_s.arg(m_limits.maxPendingInvocations)),
                                request.event, 0);

    // The handler sees the same CloudEvent as for an `event`; an invoke without data is an empty binary
    // body (application/octet-stream), which every handler SDK reads.
    const messages::Payload data = request.data.value_or(messages::Payload::binary({}));
    auto *context = new QObject(this);
    PendingInvocation pending;
    pending.event = request.event;
    pending.context = context;
    pending.clock.start();
    m_invocations.insert(id, pending);

    auto finish = [this, id, context](const ClientEventReply &reply) {
        const auto it = m_invocations.find(id);
        if (it == m_invocations.end() || it->context != context || m_ending)
            return;
        const PendingInvocation done = *it;
        m_invocations.erase(it);
        done.context->deleteLater(); // this callback runs under its guard
        messages::InvokeResponse response;
        response.invocationId = id;
        switch (reply.result) {
        case ClientEventReply::Result::Replied:
            // As for events: a successful answer with ce-connectionState stores it.
            if (reply.connectionState)
                m_connectionState = reply.connectionState;
            response.success = true;
            response.data = reply.payload;
            break;
        case ClientEventReply::Result::NoHandler:
            response = failure(id, u"InternalServerError"_s,
                               u"No event handler is registered for event '%1'."_s.arg(done.event));
            break;
        case ClientEventReply::Result::Failed:
            response =
                reply.timedOut
                    ? failure(id, u"Timeout"_s, u"The event handler did not answer in time."_s)
                    : failure(id, u"InternalServerError"_s, u"The event handler failed: "_s + reply.error);
            break;
        }
        answerInvocation(response, done.event, done.clock.elapsed());
    };
    if (!m_events) {
        QTimer::singleShot(0, context, [finish] { finish(ClientEventReply{}); });
        return;
    }
    m_events->userEvent(nextEvent(), request.event, data, context, std::move(finish));
}

void ClientSession::answerInvocation(const messages::InvokeResponse &response, const QString &event,
                                     qint64 elapsedMs)
{
    if (!response.success)
        qCInfo(lcClient).noquote() << "invocation" << response.invocationId << "of" << event << "by"
                                   << m_identity.connectionId << "failed:" << response.errorMessage;
    // Never sequenced, never kept for a reliable replay: the SDK does not count it, and a client that lost
    // its socket has already given up on the invocation.
    sendControlMessage(response);
    Q_EMIT invocationFinished(m_identity.connectionId, response.invocationId, event, outcomeOf(response),
                              elapsedMs);
}

void ClientSession::cancelInvocation(const QString &invocationId)
{
    const auto it = m_invocations.find(invocationId);
    if (it == m_invocations.end()) {
        // Already answered, or never known: nothing to do, nothing to say.
        qCDebug(lcClient).noquote() << "cancelInvocation for an unknown invocation" << invocationId;
        return;
    }
    const PendingInvocation cancelled = *it;
    m_invocations.erase(it);
    delete cancelled.context; // the handler's answer, when it comes, is dropped
    Q_EMIT invocationFinished(m_identity.connectionId, invocationId, cancelled.event,
                              u"cancelled by the client; no answer sent"_s, cancelled.clock.elapsed());
}

void ClientSession::dropInvocations(const QString &why)
{
    if (m_invocations.isEmpty())
        return;
    const auto pending = std::exchange(m_invocations, {});
    for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
        delete it->context;
        Q_EMIT invocationFinished(m_identity.connectionId, it.key(), it->event,
                                  u"dropped, no answer sent: "_s + why, it->clock.elapsed());
    }
}

} // namespace wps::emulator
