#include "service/httpjob.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUuid>

#ifndef WPS_VERSION
#define WPS_VERSION "0.1.0"
#endif

using namespace Qt::Literals::StringLiterals;

namespace wps::service {

namespace {

/// Errors where the request certainly never reached the server: retrying cannot run it twice.
bool neverSent(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyNotFoundError:
        return true;
    default:
        return false;
    }
}

QString hostText(const QUrl &url)
{
    return url.port() == -1 ? url.host() : url.host() + u':' + QString::number(url.port());
}

int portOf(const QUrl &url)
{
    return url.port(url.scheme() == u"https" ? 443 : 80);
}

} // namespace

QByteArray HttpAnswer::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

// --- HttpClient -------------------------------------------------------------------------------------------

HttpClient::HttpClient(std::shared_ptr<const Credential> credential, LogCategory log, QObject *parent)
    : QObject(parent)
    , m_credential(std::move(credential))
    , m_log(log)
    , m_network(new QNetworkAccessManager(this))
{
    qRegisterMetaType<wps::service::HttpTrace>();
    qRegisterMetaType<wps::service::ServiceError>();
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy); // a token must not follow a redirect
}

HttpClient::~HttpClient() = default;

QNetworkRequest HttpClient::createRequest(const QUrl &url, const QByteArray &contentType) const
{
    const HttpOptions options = httpOptions();
    QNetworkRequest request(url);
    if (!contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    const QString userAgent = options.userAgent.isEmpty()
                                  ? u"webpubsub-console/"_s + QString::fromLatin1(WPS_VERSION)
                                  : options.userAgent;
    request.setHeader(QNetworkRequest::UserAgentHeader, userAgent.toUtf8());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setTransferTimeout(static_cast<int>(options.timeout.count()));
    return request;
}

HttpJob *HttpClient::sendRequest(const QString &operation, HttpRequest request)
{
    auto *job = new HttpJob(this, operation, request.url.host(), std::move(request));
    job->start();
    return job;
}

// --- HttpJob ----------------------------------------------------------------------------------------------

HttpJob::HttpJob(HttpClient *client, QString operation, QString target, HttpRequest request)
    : QObject(client)
    , m_client(client)
    , m_operation(std::move(operation))
    , m_target(std::move(target))
    , m_request(std::move(request))
{
    m_attemptTimer.setSingleShot(true);
    m_waitTimer.setSingleShot(true);
    connect(&m_attemptTimer, &QTimer::timeout, this, &HttpJob::onAttemptTimeout);
    connect(&m_waitTimer, &QTimer::timeout, this, &HttpJob::sendAttempt);
}

HttpJob::~HttpJob()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void HttpJob::cancel()
{
    if (m_finished || m_cancelled)
        return;
    m_cancelled = true;
    m_attemptTimer.stop();
    m_waitTimer.stop();
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    QTimer::singleShot(0, this, [this] {
        finishWithError({ServiceError::Kind::Cancelled, 0, {}, tr("The call was cancelled."), {}, m_target});
    });
}

void HttpJob::start()
{
    // Never finish inside the call that made the job: the caller connects to finished() first.
    QTimer::singleShot(0, this, [this] {
        if (m_pendingError)
            finishWithError(m_error);
        else
            sendAttempt();
    });
}

void HttpJob::failEarly(ServiceError error)
{
    m_pendingError = true;
    m_error = std::move(error);
}

std::chrono::milliseconds HttpJob::attemptTimeout() const
{
    if (m_request.timeout.count() > 0)
        return m_request.timeout;
    return m_client ? m_client->httpOptions().timeout : std::chrono::milliseconds(30000);
}

void HttpJob::sendAttempt()
{
    if (m_finished || m_cancelled)
        return;
    if (!m_client) {
        finishWithError({ServiceError::Kind::Cancelled,
                         0,
                         {},
                         tr("The client that made this call was deleted."),
                         {},
                         m_target});
        return;
    }
    ++m_attempt;
    m_timedOut = false;
    QNetworkRequest request = m_client->createRequest(m_request.url, m_request.contentType);
    if (m_request.timeout.count() > 0)
        request.setTransferTimeout(static_cast<int>(m_request.timeout.count()));
    for (const auto &[name, value] : std::as_const(m_request.headers))
        request.setRawHeader(name, value);
    if (const Credential *credential = m_client->credential().get()) {
        const auto authorization = credential->authorization(m_request.url);
        if (!authorization) {
            finishWithError({ServiceError::Kind::InvalidInput, 0, {}, authorization.error(), {}, m_target});
            return;
        }
        request.setRawHeader(QByteArrayLiteral("Authorization"), *authorization);
    }
    // As the Azure SDKs do: an id per request that the server logs (and the service's live trace shows), so
    // the console's trace row and the server's row of the same call share a correlation id.
    m_clientRequestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    request.setRawHeader(QByteArrayLiteral("x-ms-client-request-id"), m_clientRequestId.toLatin1());
    m_exchangeId = m_client->nextExchangeId();
    traceRequest(request);
    qCDebug(m_client->m_log).noquote()
        << m_operation << "attempt" << m_attempt << m_request.method << redactUrl(m_request.url);

    m_elapsed.start();
    QNetworkAccessManager *network = m_client->network();
    const QByteArray &method = m_request.method;
    QNetworkReply *reply = nullptr;
    if (method == "GET")
        reply = network->get(request);
    else if (method == "HEAD")
        reply = network->head(request);
    else if (method == "DELETE")
        reply = network->deleteResource(request);
    else if (method == "PUT")
        reply = network->put(request, m_request.body);
    else if (method == "POST" && !m_request.contentType.isEmpty())
        reply = network->post(request, m_request.body);
    else // a POST without body: QNAM's post() would add a form Content-Type
        reply = network->sendCustomRequest(request, method, m_request.body);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, &HttpJob::onReplyFinished);
    m_attemptTimer.start(attemptTimeout());
}

void HttpJob::traceRequest(const QNetworkRequest &request)
{
    HttpTrace trace;
    trace.phase = HttpTrace::Phase::Request;
    trace.exchangeId = m_exchangeId;
    trace.attempt = m_attempt;
    trace.operation = m_operation;
    trace.method = m_request.method;
    trace.url = redactUrl(m_request.url);
    const QList<QByteArray> names = request.rawHeaderList();
    for (const QByteArray &name : names)
        trace.headers.append({name, redactHeaderValue(name, request.rawHeader(name))});
    trace.bodySize = m_request.body.size();
    if (!m_request.secretRequestBody)
        trace.bodyPreview = redactedPreview(m_request.body, m_client->httpOptions().bodyPreviewLimit);
    trace.timestamp = QDateTime::currentDateTimeUtc();
    Q_EMIT m_client->traced(trace);
}

void HttpJob::traceAnswer(QNetworkReply *reply, const HttpAnswer &answer)
{
    HttpTrace trace;
    trace.phase = HttpTrace::Phase::Response;
    trace.exchangeId = m_exchangeId;
    trace.attempt = m_attempt;
    trace.operation = m_operation;
    trace.method = m_request.method;
    trace.url = redactUrl(m_request.url);
    for (const auto &[name, value] : answer.headers)
        trace.headers.append({name, redactHeaderValue(name, value)});
    trace.bodySize = answer.body.size();
    if (!m_request.secretAnswer || answer.status == 0 || answer.status >= 300)
        trace.bodyPreview = redactedPreview(answer.body, m_client->httpOptions().bodyPreviewLimit);
    trace.status = answer.status;
    trace.durationMs = m_elapsed.elapsed();
    if (answer.status == 0)
        trace.error = m_timedOut ? tr("timed out") : reply->errorString();
    trace.timestamp = QDateTime::currentDateTimeUtc();
    Q_EMIT m_client->traced(trace);
}

void HttpJob::onAttemptTimeout()
{
    if (!m_reply)
        return;
    m_timedOut = true;
    m_reply->abort(); // finished() follows, handled in onReplyFinished
}

void HttpJob::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || reply != sender())
        return;
    m_reply = nullptr;
    m_attemptTimer.stop();
    reply->deleteLater();
    if (m_finished)
        return;

    HttpAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.headers = reply->rawHeaderPairs();
    answer.body = reply->readAll();
    if (m_client)
        traceAnswer(reply, answer);
    m_status = answer.status;
    m_responseBody = answer.body;
    const HttpOptions options = m_client ? m_client->httpOptions() : HttpOptions();
    const RetryOptions &retry = options.retry;
    const bool mayRetryAgain = m_attempt <= retry.maxRetries;

    if (answer.status > 0) {
        if (isRetryableStatus(answer.status) && mayRetryAgain && m_client) {
            const auto delay = retryAfter(answer, backoffDelay(retry, m_attempt));
            qCInfo(m_client->m_log).noquote()
                << m_operation << "retrying after" << delay.count() << "ms (attempt" << m_attempt
                << "got status" << m_status << ')';
            m_waitTimer.start(delay);
            return;
        }
        handleAnswer(answer);
        return;
    }

    ServiceError error = transportError(reply, attemptTimeout());
    const bool safeToRetry = m_request.repeatable || neverSent(reply->error()) || retry.retryUnansweredSends;
    if (safeToRetry && mayRetryAgain && m_client) {
        const auto delay = backoffDelay(retry, m_attempt);
        qCInfo(m_client->m_log).noquote() << m_operation << "retrying after" << delay.count() << "ms (attempt"
                                          << m_attempt << "had no answer:" << error.message << ')';
        m_waitTimer.start(delay);
        return;
    }
    finishWithError(std::move(error));
}

ServiceError HttpJob::transportError(QNetworkReply *reply, std::chrono::milliseconds timeout) const
{
    const QNetworkReply::NetworkError networkError = reply->error();
    ServiceError error;
    error.target = m_target;
    if (m_timedOut || networkError == QNetworkReply::TimeoutError ||
        networkError == QNetworkReply::OperationCanceledError) {
        error.kind = ServiceError::Kind::Timeout;
        error.message = tr("%1 did not answer within %2 ms (attempt %3).")
                            .arg(hostText(m_request.url))
                            .arg(timeout.count())
                            .arg(m_attempt);
    } else {
        error.kind = ServiceError::Kind::Network;
        error.message = tr("Could not talk to %1: %2.").arg(hostText(m_request.url), reply->errorString());
    }
    return error;
}

std::chrono::milliseconds HttpJob::retryAfter(const HttpAnswer &answer,
                                              std::chrono::milliseconds fallback) const
{
    const auto hint = retryAfterHint(answer.header("retry-after-ms"), answer.header("x-ms-retry-after-ms"),
                                     answer.header("Retry-After"), QDateTime::currentDateTimeUtc());
    const std::chrono::milliseconds cap =
        m_client ? m_client->httpOptions().retry.maxRetryAfter : RetryOptions().maxRetryAfter;
    return hint ? std::min(*hint, cap) : fallback;
}

void HttpJob::handleAnswer(const HttpAnswer &answer)
{
    if (m_request.success.contains(answer.status)) {
        const bool done = handleSuccess(answer.status, answer.body);
        if (!m_finished && done)
            finishOk();
        return;
    }
    finishWithError(errorFor(answer));
}

bool HttpJob::handleSuccess(int, const QByteArray &)
{
    return true;
}

ServiceError HttpJob::errorFor(const HttpAnswer &answer) const
{
    ServiceError error;
    error.kind = ServiceError::Kind::Http;
    error.httpStatus = answer.status;
    error.target = m_target;
    const QJsonObject object = QJsonDocument::fromJson(answer.body).object();
    error.code = object.value(u"code"_s).toString();
    error.message = object.value(u"message"_s).toString();
    if (error.message.isEmpty()) {
        const QString text = QString::fromUtf8(answer.body.left(512)).simplified().left(200);
        error.message =
            text.isEmpty()
                ? tr("%1 answered %2.").arg(hostText(m_request.url)).arg(answer.status)
                : tr("%1 answered %2: %3").arg(hostText(m_request.url)).arg(answer.status).arg(text);
    }
    return error;
}

void HttpJob::sendNext(HttpRequest request, std::chrono::milliseconds delay)
{
    if (m_finished || m_cancelled)
        return;
    m_request = std::move(request);
    m_attempt = 0;
    if (delay.count() > 0)
        m_waitTimer.start(delay);
    else
        sendAttempt();
}

bool HttpJob::isSameOrigin(const QUrl &url) const
{
    if (!m_client)
        return false;
    const QUrl origin = m_client->origin();
    return url.isValid() && !origin.isEmpty() && url.scheme() == origin.scheme() &&
           url.host().compare(origin.host(), Qt::CaseInsensitive) == 0 && portOf(url) == portOf(origin);
}

void HttpJob::followLink(const QUrl &url)
{
    // Our credential goes wherever the link points: follow it only to the server we talk to.
    if (!isSameOrigin(url)) {
        fail(tr("The listing's nextLink points to another host; not following it."));
        return;
    }
    const int maxPages = m_client ? m_client->httpOptions().maxPages : 0;
    if (++m_pages >= maxPages) {
        fail(tr("The listing has more than %1 pages; stopped following nextLink.").arg(maxPages));
        return;
    }
    HttpRequest next = m_request;
    next.url = url;
    sendNext(std::move(next));
}

void HttpJob::fail(const QString &message)
{
    finishWithError({ServiceError::Kind::Http, m_status, {}, message, {}, m_target});
}

void HttpJob::finishWithError(ServiceError error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_hasError = true;
    m_error = std::move(error);
    m_attemptTimer.stop();
    m_waitTimer.stop();
    if (m_client)
        qCInfo(m_client->m_log).noquote() << m_operation << "failed:" << m_error.toString();
    Q_EMIT finished();
}

void HttpJob::finishOk()
{
    if (m_finished)
        return;
    m_finished = true;
    m_attemptTimer.stop();
    m_waitTimer.stop();
    if (m_client)
        qCDebug(m_client->m_log).noquote() << m_operation << "succeeded with" << m_status;
    Q_EMIT finished();
}

} // namespace wps::service
