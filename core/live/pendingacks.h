#pragma once

#include "protocol/messages.h"

#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <optional>

namespace wps::live {

class AckJob;
struct AckError;

/// The operations of a LiveClient that wait for their `ack` (docs/live-clients.md "Operations and acks"):
/// hands out ackIds, keeps each request with its job until the ack, a timeout or the end of the connection,
/// and keeps the requests for a resend after a reliable recovery.
class PendingAcks
{
public:
    /// \a owner (the LiveClient) is the context of the timeout connections.
    explicit PendingAcks(QObject *owner)
        : m_owner(owner)
    {
    }

    struct Entry
    {
        messages::ClientRequest request;
        QPointer<AckJob> job;
    };

    bool contains(quint64 ackId) const { return m_pending.contains(ackId); }
    /// Gives \a request an ackId (\a chosenAckId, or the next one; a chosen id moves the counter past it),
    /// records it with \a job and starts the job's timeout: no ack within \a timeout fails the job with
    /// Timeout. Returns the ackId. \a chosenAckId must not be waiting already (see contains()).
    quint64 add(messages::ClientRequest &request, AckJob *job, std::optional<quint64> chosenAckId,
                std::chrono::milliseconds timeout);
    /// The entry the ack for \a ackId answers, no longer pending; nullopt for an unknown or timed-out id.
    std::optional<Entry> take(quint64 ackId);
    /// The waiting requests in ackId order, with their ackIds (for a resend after a recovery).
    QList<messages::ClientRequest> requests() const;
    /// Every waiting job fails with \a error; nothing waits afterwards.
    void failAll(const AckError &error);

private:
    void timeOut(quint64 ackId, std::chrono::milliseconds timeout);

    QObject *m_owner;
    quint64 m_nextAckId = 1;
    QMap<quint64, Entry> m_pending;
};

} // namespace wps::live
