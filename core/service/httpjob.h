#pragma once

#include "service/credential.h"
#include "service/httptrace.h"
#include "service/serviceerror.h"
#include "service/serviceoptions.h"

#include <QElapsedTimer>
#include <QList>
#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace wps::service {

class HttpJob;

/// What the job engine reads from its client on every attempt (docs/service-client.md, "The job engine").
struct HttpOptions
{
    /// Per attempt: setTransferTimeout plus a timer on the attempt as a whole.
    std::chrono::milliseconds timeout{30000};
    RetryOptions retry;
    /// Empty means "webpubsub-console/<version>".
    QString userAgent;
    /// Bodies in traces are cut to this many bytes.
    int bodyPreviewLimit = 1024;
    /// Upper bound on pages one listing follows (bounded loops).
    int maxPages = 10000;
};

/// The engine's part of a client's options: ServiceClientOptions and arm::ArmClientOptions share these
/// fields.
template <typename Options>
HttpOptions engineOptions(const Options &options)
{
    HttpOptions out;
    out.timeout = options.timeout;
    out.retry = options.retry;
    out.userAgent = options.userAgent;
    out.bodyPreviewLimit = options.bodyPreviewLimit;
    out.maxPages = options.maxPages;
    return out;
}

/// One request of a job: a job may send several (pages, operation polls, a final read), each retried on its
/// own.
struct HttpRequest
{
    QByteArray method; ///< GET, HEAD, PUT, POST or DELETE
    QUrl url;
    QByteArray body;
    QByteArray contentType; ///< empty for no body
    /// Sent as they are, after the factory's headers (e.g. Accept, Metadata).
    QList<QPair<QByteArray, QByteArray>> headers;
    /// The statuses that answer this request; any other (not retried) status is an error.
    QList<int> success;
    /// False for a request that must not run twice (a `:send`, a key regeneration): once it may have reached
    /// the server it is not retried after a timeout or reset, unless RetryOptions::retryUnansweredSends.
    bool repeatable = true;
    /// The request body is a secret (a client secret or assertion): traces show its size, not its bytes.
    bool secretRequestBody = false;
    /// A successful answer is a secret (keys, tokens): traces show its size, not its bytes. Error answers
    /// are still shown, redacted, because they explain the failure.
    bool secretAnswer = false;
    /// Overrides HttpOptions::timeout for this request when positive (an IMDS probe must fail fast).
    std::chrono::milliseconds timeout{0};
};

/// One HTTP answer as a job sees it after the transfer.
struct HttpAnswer
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    /// The first header named \a name (case-insensitive), empty when there is none.
    QByteArray header(QByteArrayView name) const;
};

/// The base of every HTTP client (ServiceClient, ArmClient, the credentials' token requests): one network
/// access manager, the request factory, the credential, per-client exchange ids, and traced(). Jobs made
/// by the client are parented to it.
class HttpClient : public QObject
{
    Q_OBJECT
public:
    using LogCategory = const QLoggingCategory &(*)();

    /// \a credential may be null: the requests then carry no Authorization header. \a log is the category
    /// the client's jobs log to (e.g. wps.service, wps.arm).
    HttpClient(std::shared_ptr<const Credential> credential, LogCategory log, QObject *parent = nullptr);
    ~HttpClient() override;

    /// The request factory: URL, Content-Type only when there is a body, User-Agent, transfer timeout, no
    /// redirects followed (a token must not be replayed elsewhere), no cache. The Authorization header and
    /// the client request id are added per attempt by the job. Public for tests of the wire format.
    QNetworkRequest createRequest(const QUrl &url, const QByteArray &contentType) const;

    /// The settings the engine uses now.
    virtual HttpOptions httpOptions() const { return m_httpOptions; }
    /// Where this client's token may go: links (nextLink, operation status URLs) are followed only to the
    /// same scheme, host and port. Empty: no link is followed.
    virtual QUrl origin() const { return {}; }
    void setHttpOptions(const HttpOptions &options) { m_httpOptions = options; }

    /// A job that sends \a request once (with retries) and succeeds on one of its success statuses; for
    /// plain calls (token endpoints, probes) that need no typed result. Starts on the next event-loop turn.
    HttpJob *sendRequest(const QString &operation, HttpRequest request);

    /// How requests are authorised; null for none.
    std::shared_ptr<const Credential> credential() const { return m_credential; }

Q_SIGNALS:
    /// Every request and every response, redacted (HttpTrace). The trace panel subscribes here.
    void traced(const wps::service::HttpTrace &trace);

private:
    friend class HttpJob;
    QNetworkAccessManager *network() const { return m_network; }
    quint64 nextExchangeId() { return ++m_exchangeCounter; }

    std::shared_ptr<const Credential> m_credential;
    LogCategory m_log;
    QNetworkAccessManager *m_network;
    HttpOptions m_httpOptions;
    quint64 m_exchangeCounter = 0;
};

/// The job engine (docs/style.md rule 7): one operation made of one or more HTTP requests, each attempted
/// with the client's timeout and retry policy, every attempt traced, ending in one outcome. Parented to its
/// client; emits finished() exactly once, never inside the call that created it, after which either
/// hasError() and error(), or the subclass's result accessors, tell the outcome. Deleting a running job
/// aborts it without finished(). ServiceJob adds data-plane errors and paging, ArmJob long-running operations
/// and ARM errors.
class HttpJob : public QObject
{
    Q_OBJECT
public:
    ~HttpJob() override;

    /// The client's name for the operation, e.g. "sendToAll".
    QString operation() const { return m_operation; }
    /// What the call is about, e.g. "group 'g1'", for error texts.
    QString target() const { return m_target; }
    /// True once finished() was emitted (and from then on).
    bool isFinished() const { return m_finished; }
    bool hasError() const { return m_hasError; }
    /// Valid once finished() was emitted with hasError().
    const ServiceError &error() const { return m_error; }
    /// Status of the last HTTP answer; 0 when none came.
    int httpStatus() const { return m_status; }
    /// Attempts made for the current request (1 when it succeeded first time).
    int attempts() const { return m_attempt; }
    /// The body of the last answer (for callers that want more than the typed result).
    QByteArray responseBody() const { return m_responseBody; }
    /// The `x-ms-client-request-id` of the last attempt (empty before the first): the service's logs and
    /// its live trace name the call by it.
    QString clientRequestId() const { return m_clientRequestId; }

    /// Stops the job: the running request is aborted and no retry, page or poll follows; finished()
    /// follows on the next event-loop turn with a Cancelled error, unless the job already finished (or an
    /// early error was already due). isFinished() stays false until the signal.
    void cancel();

Q_SIGNALS:
    /// Emitted exactly once, never from inside the call that created the job.
    void finished();

protected:
    friend class HttpClient;
    HttpJob(HttpClient *client, QString operation, QString target, HttpRequest request);

    /// Sends the first request on the next event-loop turn, or reports the early error if one was set.
    void start();
    /// Ends the job with \a error on the first turn instead of sending anything (invalid input).
    void failEarly(ServiceError error);

    /// The final answer to the current request, after retries. The default finishes on a success status
    /// (through handleSuccess()) and with errorFor() otherwise.
    virtual void handleAnswer(const HttpAnswer &answer);
    /// Called with a success status. Return true when the job is done; a paging job may instead send the
    /// next request (followLink(), sendNext()) and return false.
    virtual bool handleSuccess(int status, const QByteArray &body);
    /// The error an unexpected status stands for. The default reads a JSON `code`/`message`.
    virtual ServiceError errorFor(const HttpAnswer &answer) const;

    /// Sends \a request as the next request of this job (attempts start again at 1), after \a delay.
    void sendNext(HttpRequest request, std::chrono::milliseconds delay = std::chrono::milliseconds(0));
    /// Follows a listing's nextLink with the current request's method: refused (the job fails) after
    /// HttpOptions::maxPages pages or when \a url is not on the client's origin().
    void followLink(const QUrl &url);
    /// True when \a url is on the client's origin(): our credential may go there.
    bool isSameOrigin(const QUrl &url) const;
    /// The server's Retry-After hint (capped at RetryOptions::maxRetryAfter), else \a fallback.
    std::chrono::milliseconds retryAfter(const HttpAnswer &answer, std::chrono::milliseconds fallback) const;
    /// Ends the job with an error found in an otherwise successful answer.
    void fail(const QString &message);
    void finishWithError(ServiceError error);
    void finishOk();

    HttpClient *httpClient() const { return m_client; }
    const HttpRequest &currentRequest() const { return m_request; }

private:
    void sendAttempt();
    void onReplyFinished();
    void onAttemptTimeout();
    void traceRequest(const QNetworkRequest &request);
    void traceAnswer(QNetworkReply *reply, const HttpAnswer &answer);
    ServiceError transportError(QNetworkReply *reply, std::chrono::milliseconds timeout) const;
    std::chrono::milliseconds attemptTimeout() const;

    QPointer<HttpClient> m_client;
    QString m_operation;
    QString m_target;
    HttpRequest m_request;
    QPointer<QNetworkReply> m_reply;
    QTimer m_attemptTimer;
    QTimer m_waitTimer;
    QElapsedTimer m_elapsed;
    quint64 m_exchangeId = 0;
    int m_attempt = 0;
    int m_pages = 0;
    int m_status = 0;
    QByteArray m_responseBody;
    QString m_clientRequestId;
    bool m_timedOut = false;
    bool m_cancelled = false;
    bool m_finished = false;
    bool m_hasError = false;
    bool m_pendingError = false;
    ServiceError m_error;
};

} // namespace wps::service
