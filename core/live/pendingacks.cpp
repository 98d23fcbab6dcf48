#include "live/pendingacks.h"

#include "live/liveclient.h"

#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace wps::live {

namespace {

void setAckId(messages::ClientRequest &request, quint64 ackId)
{
    std::visit(
        [ackId](auto &r) {
            if constexpr (requires { r.ackId; })
                r.ackId = ackId;
        },
        request);
}

} // namespace

// ---- AckJob ----------------------------------------------------------------------------------------------

AckJob::AckJob(QString operation, QObject *parent)
    : QObject(parent)
    , m_operation(std::move(operation))
{
    m_timeout.setSingleShot(true);
}

void AckJob::finish(std::optional<AckError> error, bool duplicated)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timeout.stop();
    m_error = std::move(error);
    m_duplicated = duplicated;
    Q_EMIT finished();
}

void AckJob::finishLater(std::optional<AckError> error)
{
    // Never from inside the call that created the job: the caller connects to finished() first.
    QTimer::singleShot(0, this, [this, error] { finish(error); });
}

// ---- PendingAcks -----------------------------------------------------------------------------------------

quint64 PendingAcks::add(messages::ClientRequest &request, AckJob *job, std::optional<quint64> chosenAckId,
                         std::chrono::milliseconds timeout)
{
    // A caller's ackId moves the counter past it, so later automatic ids never collide with it.
    const quint64 ackId = chosenAckId ? *chosenAckId : m_nextAckId++;
    if (chosenAckId && *chosenAckId >= m_nextAckId)
        m_nextAckId = *chosenAckId + 1;
    setAckId(request, ackId);
    job->m_ackId = ackId;
    m_pending.insert(ackId, Entry{request, job});
    job->m_timeout.setInterval(timeout);
    QObject::connect(&job->m_timeout, &QTimer::timeout, m_owner,
                     [this, ackId, timeout] { timeOut(ackId, timeout); });
    job->m_timeout.start();
    return ackId;
}

void PendingAcks::timeOut(quint64 ackId, std::chrono::milliseconds timeout)
{
    const std::optional<Entry> entry = take(ackId);
    if (entry && entry->job)
        entry->job->finish(AckError{AckError::Kind::Timeout, u"Timeout"_s,
                                    u"No ack for ackId %1 within %2 ms"_s.arg(ackId).arg(timeout.count())});
}

std::optional<PendingAcks::Entry> PendingAcks::take(quint64 ackId)
{
    auto it = m_pending.find(ackId);
    if (it == m_pending.end())
        return std::nullopt;
    Entry entry = *it;
    m_pending.erase(it);
    return entry;
}

QList<messages::ClientRequest> PendingAcks::requests() const
{
    QList<messages::ClientRequest> out;
    out.reserve(m_pending.size());
    for (const Entry &entry : m_pending)
        out.append(entry.request);
    return out;
}

void PendingAcks::failAll(const AckError &error)
{
    const auto pending = std::exchange(m_pending, {});
    for (const Entry &entry : pending) {
        if (entry.job)
            entry.job->finish(error);
    }
}

} // namespace wps::live
