#include "live/invocations.h"

#include "live/livelogging.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::live {

namespace {

QString elided(QString text, int maxChars)
{
    text.replace(u'\n', u' ').replace(u'\r', u' ');
    if (text.size() > maxChars)
        text = text.left(maxChars) + u'…';
    return text;
}

} // namespace

AckError::Kind ackErrorKind(const QString &name)
{
    if (name == u"Forbidden"_s)
        return AckError::Kind::Forbidden;
    if (name == u"InternalServerError"_s)
        return AckError::Kind::InternalServerError;
    if (name == u"Timeout"_s)
        return AckError::Kind::Timeout;
    return AckError::Kind::Other;
}

QString describePayload(const messages::Payload &payload, int maxChars)
{
    switch (payload.type) {
    case messages::DataType::Text:
        return u"'"_s + elided(QString::fromUtf8(payload.bytes), maxChars) + u"' (text)"_s;
    case messages::DataType::Json:
        return elided(QString::fromUtf8(payload.bytes), maxChars) + u" (json)"_s;
    case messages::DataType::Binary:
    case messages::DataType::Protobuf:
        return (payload.bytes.size() == 1 ? u"1 byte"_s : u"%1 bytes"_s.arg(payload.bytes.size())) + u" ("_s +
               messages::dataTypeName(payload.type) + u')';
    }
    return {};
}

// ---- InvocationJob ---------------------------------------------------------------------------------------

InvocationJob::InvocationJob(QString event, QObject *parent)
    : QObject(parent)
    , m_event(std::move(event))
{
    m_timeout.setSingleShot(true);
}

QString InvocationJob::summary() const
{
    const QString head = u"invoke "_s + m_event + u" → "_s;
    if (!m_finished)
        return head + u"waiting for the answer"_s;
    if (!m_error) {
        const QString what = m_data ? u"answered "_s + describePayload(*m_data) : u"answered with no data"_s;
        return head + what + u" in %1 ms"_s.arg(m_elapsedMs);
    }
    const AckError &error = *m_error;
    if (m_localError)
        return head + error.message;
    QString text = head + u"failed: "_s + error.name;
    if (!error.message.isEmpty())
        text += u": "_s + error.message;
    if (m_elapsedMs >= 0)
        text += u" (%1 ms)"_s.arg(m_elapsedMs);
    return text;
}

void InvocationJob::finish(std::optional<messages::Payload> data, std::optional<AckError> error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timeout.stop();
    m_elapsedMs = m_clock.isValid() ? m_clock.elapsed() : -1;
    m_data = std::move(data);
    m_error = std::move(error);
    Q_EMIT finished();
}

void InvocationJob::finishLocally(AckError error)
{
    m_localError = true;
    finish(std::nullopt, std::move(error));
}

void InvocationJob::finishLater(AckError error)
{
    // Never from inside the call that created the job: the caller connects to finished() first.
    QTimer::singleShot(0, this, [this, error] { finishLocally(error); });
}

// ---- Invocations -----------------------------------------------------------------------------------------

Invocations::Invocations(Sender sender, QObject *parent)
    : QObject(parent)
    , m_sender(std::move(sender))
{
}

InvocationJob *Invocations::start(const QString &event, const std::optional<messages::Payload> &data,
                                  std::chrono::milliseconds timeout, const std::optional<AckError> &refusal)
{
    auto *job = new InvocationJob(event, parent() ? parent() : this);
    if (refusal) {
        job->finishLater(*refusal);
        return job;
    }
    const QString id = QString::number(m_nextId++);
    messages::Invoke invoke;
    invoke.invocationId = id;
    invoke.event = event;
    invoke.data = data;
    job->m_invocationId = id;
    job->m_clock.start();
    m_pending.insert(id, job);
    if (!m_sender(invoke)) {
        m_pending.remove(id);
        job->finishLater(AckError{AckError::Kind::NotConnected, u"NotConnected"_s,
                                  u"not sent: the frame could not be written"_s});
        return job;
    }
    if (timeout.count() > 0) {
        job->m_timeout.setInterval(timeout);
        connect(&job->m_timeout, &QTimer::timeout, this, [this, id, timeout] {
            const QPointer<InvocationJob> job = m_pending.take(id);
            if (!job)
                return;
            // As the SDK does when its abort signal fires: tell the service, then stop waiting.
            m_sender(messages::CancelInvocation{id});
            job->finishLocally(
                AckError{AckError::Kind::Timeout, u"Timeout"_s,
                         u"no answer within %1 ms; cancelInvocation sent"_s.arg(timeout.count())});
            Q_EMIT endedLocally(job->summary());
        });
        job->m_timeout.start();
    }
    return job;
}

bool Invocations::cancel(const QString &invocationId)
{
    const QPointer<InvocationJob> job = m_pending.take(invocationId);
    if (!job)
        return false;
    m_sender(messages::CancelInvocation{invocationId});
    const qint64 elapsed = job->m_clock.isValid() ? job->m_clock.elapsed() : 0;
    job->finishLocally(AckError{AckError::Kind::Other, u"Cancelled"_s,
                                u"cancelled after %1 ms; cancelInvocation sent"_s.arg(elapsed)});
    Q_EMIT endedLocally(job->summary());
    return true;
}

bool Invocations::resolve(const messages::InvokeResponse &response)
{
    const QPointer<InvocationJob> job = m_pending.take(response.invocationId);
    if (!job) {
        qCInfo(lcLive) << "invokeResponse for an invocation nobody waits for:" << response.invocationId;
        return false;
    }
    if (response.success)
        job->finish(response.data, std::nullopt);
    else
        job->finish(std::nullopt,
                    AckError{ackErrorKind(response.errorName), response.errorName, response.errorMessage});
    return true;
}

QString Invocations::describe(const messages::InvokeResponse &response) const
{
    const QPointer<InvocationJob> job = m_pending.value(response.invocationId);
    if (!job)
        return {};
    const qint64 elapsed = job->m_clock.isValid() ? job->m_clock.elapsed() : 0;
    const QString head = u"invoke "_s + job->eventName() + u" → "_s;
    if (response.success)
        return head +
               (response.data ? u"answered "_s + describePayload(*response.data)
                              : u"answered with no data"_s) +
               u" in %1 ms"_s.arg(elapsed);
    QString text = head + u"failed: "_s + response.errorName;
    if (!response.errorMessage.isEmpty())
        text += u": "_s + response.errorMessage;
    return text + u" (%1 ms)"_s.arg(elapsed);
}

void Invocations::failAll(const QString &why)
{
    const auto pending = std::exchange(m_pending, {});
    for (const QPointer<InvocationJob> &job : pending) {
        if (!job)
            continue;
        job->finishLocally(AckError{AckError::Kind::NotConnected, u"NotConnected"_s,
                                    u"the connection ended before the answer: "_s + why});
        Q_EMIT endedLocally(job->summary());
    }
}

} // namespace wps::live
