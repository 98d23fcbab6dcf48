#pragma once

#include <QString>
#include <QUrl>

#include <optional>

namespace wps::live {

/// The bookkeeping of a reliable subprotocol (docs/protocol.md#reliable-json) for one logical connection:
/// which sequenceIds arrived (to drop duplicates), which were acknowledged with `sequenceAck`, and the
/// reconnection token that lets a dropped connection recover. The LiveClient decides when to send and when
/// to recover; this class only keeps the numbers.
class ReliableSession
{
public:
    /// A sequenced message arrived: true if \a sequenceId is new (it becomes the largest seen), false for a
    /// duplicate, which is counted and must be dropped.
    bool accept(quint64 sequenceId);
    /// The largest sequenceId received on this logical connection.
    quint64 largestSequenceId() const { return m_largestSequenceId; }
    /// Messages received since the last sequenceAck.
    int unackedCount() const { return m_unackedCount; }
    /// Messages dropped because their sequenceId was not new (kept across connections).
    quint64 duplicatesDropped() const { return m_duplicatesDropped; }
    /// The sequenceId a `sequenceAck` should carry now; nullopt when everything received is acknowledged.
    std::optional<quint64> sequenceAckDue() const;
    /// A `sequenceAck` for \a sequenceId was written.
    void acknowledged(quint64 sequenceId);
    /// A new logical connection: sequenceIds count from the start again.
    void resetSequence();

    /// The token of the service's last `connected`; never logged or shown.
    const QString &reconnectionToken() const { return m_reconnectionToken; }
    /// Keeps \a token unless it is empty (a `connected` without one keeps the previous token).
    void updateReconnectionToken(const QString &token);
    void clearReconnectionToken() { m_reconnectionToken.clear(); }
    /// \a url with awps_connection_id and awps_reconnection_token set for a recovery of \a connectionId.
    QUrl recoveryUrl(const QUrl &url, const QString &connectionId) const;

private:
    quint64 m_largestSequenceId = 0;
    quint64 m_ackedSequenceId = 0;
    int m_unackedCount = 0;
    quint64 m_duplicatesDropped = 0;
    QString m_reconnectionToken;
};

} // namespace wps::live
