#pragma once

#include "live/liveclient.h"
#include "protocol/messages.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <functional>
#include <optional>

namespace wps::live {

/// One `invoke` of a live client (docs/live-clients.md "Invocations"): the client calls the hub's handler
/// for a user event and waits for the `invokeResponse`. Parented to its LiveClient; emits finished()
/// exactly once, never from inside the call that created it. Delete it once finished, or let the client's
/// destruction do so.
class InvocationJob : public QObject
{
    Q_OBJECT
public:
    /// The id sent (the client counts 1, 2, … as the SDK does); empty when the invocation was refused
    /// before anything was sent.
    QString invocationId() const { return m_invocationId; }
    QString eventName() const { return m_event; }
    bool isFinished() const { return m_finished; }
    bool succeeded() const { return m_finished && !m_error; }
    /// Success: the handler's answer (data and its type); absent when it answered without a body.
    const std::optional<messages::Payload> &data() const { return m_data; }
    /// Failure: the service's error (name and message), or a local one: Timeout (no answer in time, a
    /// cancelInvocation was sent), Cancelled, NotConnected.
    const std::optional<AckError> &error() const { return m_error; }
    /// From sending to the outcome; -1 before.
    qint64 elapsedMs() const { return m_elapsedMs; }
    /// One line for the trace and the panel: "invoke echo → answered 'hi' (text) in 12 ms",
    /// "invoke echo → failed: InternalServerError: The event handler answered HTTP 500. (8 ms)".
    QString summary() const;

Q_SIGNALS:
    void finished();

private:
    friend class Invocations;
    InvocationJob(QString event, QObject *parent);
    void finish(std::optional<messages::Payload> data, std::optional<AckError> error);
    void finishLater(AckError error);
    /// A failure of this side (timeout, cancel, connection): the summary states it as it is.
    void finishLocally(AckError error);

    QString m_invocationId;
    QString m_event;
    std::optional<messages::Payload> m_data;
    std::optional<AckError> m_error;
    bool m_finished = false;
    bool m_localError = false;
    qint64 m_elapsedMs = -1;
    QElapsedTimer m_clock;
    QTimer m_timeout;
};

/// The invocations a LiveClient waits for: ids, timeouts, cancellation and the answers. Sends through the
/// function the client gives it, so the frames go through the client's codec and trace.
class Invocations : public QObject
{
    Q_OBJECT
public:
    /// Writes one request; false when it could not be written.
    using Sender = std::function<bool(const messages::ClientRequest &)>;
    explicit Invocations(Sender sender, QObject *parent = nullptr);

    /// Sends `invoke` for \a event (\a data absent: no `dataType`/`data`). \a timeout 0 waits until the
    /// answer or the end of the connection; otherwise, without an answer by then, the invocation fails
    /// with Timeout and a `cancelInvocation` is sent. \a refusal set: nothing is sent and the job fails with
    /// it (NotConnected, or NotSupported for a raw client).
    InvocationJob *start(const QString &event, const std::optional<messages::Payload> &data,
                         std::chrono::milliseconds timeout, const std::optional<AckError> &refusal = {});
    /// Stops waiting for \a invocationId: sends `cancelInvocation` and finishes its job with Cancelled.
    /// False when no such invocation waits.
    bool cancel(const QString &invocationId);
    /// An `invokeResponse` arrived: finishes its job. False for an id nobody waits for (late or unknown).
    bool resolve(const messages::InvokeResponse &response);
    /// The summary of the job \a response answers, as it will read once resolved; empty for an unknown id.
    QString describe(const messages::InvokeResponse &response) const;
    /// The connection ended: every waiting invocation fails with NotConnected (its answer can no longer
    /// come, as with the SDK).
    void failAll(const QString &why);
    int pendingCount() const { return static_cast<int>(m_pending.size()); }

Q_SIGNALS:
    /// An invocation ended without an answer frame (timeout, cancel, connection lost): \a summary says how.
    void endedLocally(const QString &summary);

private:
    Sender m_sender;
    quint64 m_nextId = 1;
    QHash<QString, QPointer<InvocationJob>> m_pending;
};

/// The kind of an error the service names in an `ack` or an `invokeResponse` (Forbidden,
/// InternalServerError, Timeout; any other name is Other).
AckError::Kind ackErrorKind(const QString &name);

/// Short, readable text of a payload for summaries: text quoted, JSON as sent, binary as a size.
QString describePayload(const messages::Payload &payload, int maxChars = 60);

} // namespace wps::live
