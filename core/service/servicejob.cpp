#include "service/servicejob.h"

#include "service/serviceclient.h"
#include "service/servicelogging.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrlQuery>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace wps::service {

namespace {

QString statusText(int status)
{
    switch (status) {
    case 400:
        return u"Bad Request"_s;
    case 401:
        return u"Unauthorized"_s;
    case 403:
        return u"Forbidden"_s;
    case 404:
        return u"Not Found"_s;
    case 408:
        return u"Request Timeout"_s;
    case 409:
        return u"Conflict"_s;
    case 413:
        return u"Payload Too Large"_s;
    case 415:
        return u"Unsupported Media Type"_s;
    case 429:
        return u"Too Many Requests"_s;
    case 500:
        return u"Internal Server Error"_s;
    case 502:
        return u"Bad Gateway"_s;
    case 503:
        return u"Service Unavailable"_s;
    case 504:
        return u"Gateway Timeout"_s;
    default:
        return {};
    }
}

/// Errors where the request certainly never reached the service: retrying cannot duplicate anything.
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

} // namespace

ServiceJob::ServiceJob(ServiceClient *client, QString operation, ServiceRequest request)
    : QObject(client)
    , m_client(client)
    , m_operation(std::move(operation))
    , m_request(std::move(request))
{
    m_attemptTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    connect(&m_attemptTimer, &QTimer::timeout, this, &ServiceJob::onAttemptTimeout);
    connect(&m_retryTimer, &QTimer::timeout, this, &ServiceJob::sendAttempt);
}

ServiceJob::~ServiceJob()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void ServiceJob::cancel()
{
    if (m_finished || m_cancelled)
        return;
    m_cancelled = true;
    m_attemptTimer.stop();
    m_retryTimer.stop();
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    QTimer::singleShot(0, this, [this] {
        finishWithError(
            {ServiceError::Kind::Cancelled, 0, {}, tr("The call was cancelled."), {}, m_request.target});
    });
}

void ServiceJob::start()
{
    // Never finish inside the call that made the job: the caller connects to finished() first.
    QTimer::singleShot(0, this, [this] {
        if (m_pendingError)
            finishWithError(m_error);
        else
            sendAttempt();
    });
}

void ServiceJob::failEarly(ServiceError error)
{
    m_pendingError = true;
    m_error = std::move(error);
}

void ServiceJob::sendAttempt()
{
    if (m_finished || m_cancelled)
        return;
    if (!m_client) {
        finishWithError({ServiceError::Kind::Cancelled,
                         0,
                         {},
                         tr("The service client was deleted."),
                         {},
                         m_request.target});
        return;
    }
    ++m_attempt;
    m_timedOut = false;
    const auto authorization = m_client->credential()->authorization(m_request.url);
    if (!authorization) {
        finishWithError(
            {ServiceError::Kind::InvalidInput, 0, {}, authorization.error(), {}, m_request.target});
        return;
    }
    QNetworkRequest request = m_client->createRequest(m_request.url, m_request.contentType);
    request.setRawHeader(QByteArrayLiteral("Authorization"), *authorization);
    // As the Azure SDKs do: an id per request that the service logs (and its live trace shows), so the
    // console's trace row and the service's row of the same call share a correlation id.
    request.setRawHeader(QByteArrayLiteral("x-ms-client-request-id"),
                         QUuid::createUuid().toByteArray(QUuid::WithoutBraces));
    m_exchangeId = m_client->nextExchangeId();

    const ServiceClientOptions &options = m_client->options();
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
    trace.bodyPreview = redactedPreview(m_request.body, options.bodyPreviewLimit);
    trace.timestamp = QDateTime::currentDateTimeUtc();
    Q_EMIT m_client->traced(trace);
    qCDebug(lcService).noquote() << m_operation << "attempt" << m_attempt << m_request.method << trace.url;

    m_elapsed.start();
    QNetworkAccessManager *network = m_client->network();
    QNetworkReply *reply = nullptr;
    if (m_request.method == "GET")
        reply = network->get(request);
    else if (m_request.method == "HEAD")
        reply = network->head(request);
    else if (m_request.method == "DELETE")
        reply = network->deleteResource(request);
    else if (m_request.method == "PUT")
        reply = network->put(request, m_request.body);
    else if (m_request.method == "POST" && !m_request.contentType.isEmpty())
        reply = network->post(request, m_request.body);
    else // a POST without body: QNAM's post() would add a form Content-Type
        reply = network->sendCustomRequest(request, m_request.method, m_request.body);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, &ServiceJob::onReplyFinished);
    m_attemptTimer.start(options.timeout);
}

void ServiceJob::onAttemptTimeout()
{
    if (!m_reply)
        return;
    m_timedOut = true;
    m_reply->abort(); // finished() follows, handled in onReplyFinished
}

void ServiceJob::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || reply != sender())
        return;
    m_reply = nullptr;
    m_attemptTimer.stop();
    reply->deleteLater();
    if (m_finished)
        return;

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const QNetworkReply::NetworkError networkError = reply->error();
    const ServiceClientOptions options = m_client ? m_client->options() : ServiceClientOptions();

    if (m_client) {
        HttpTrace trace;
        trace.phase = HttpTrace::Phase::Response;
        trace.exchangeId = m_exchangeId;
        trace.attempt = m_attempt;
        trace.operation = m_operation;
        trace.method = m_request.method;
        trace.url = redactUrl(m_request.url);
        const auto pairs = reply->rawHeaderPairs();
        for (const auto &[name, value] : pairs)
            trace.headers.append({name, redactHeaderValue(name, value)});
        trace.bodySize = body.size();
        trace.bodyPreview = redactedPreview(body, options.bodyPreviewLimit);
        trace.status = status;
        trace.durationMs = m_elapsed.elapsed();
        if (status == 0)
            trace.error = m_timedOut ? tr("timed out") : reply->errorString();
        trace.timestamp = QDateTime::currentDateTimeUtc();
        Q_EMIT m_client->traced(trace);
    }

    m_status = status;
    m_responseBody = body;
    const RetryOptions &retry = options.retry;
    const bool mayRetryAgain = m_attempt <= retry.maxRetries;

    if (status > 0) {
        if (m_request.successStatuses.contains(status) || (m_request.notFoundIsFalse && status == 404)) {
            const bool done = handleSuccess(status, body);
            if (!m_finished && done)
                finishOk();
            return;
        }
        ServiceError error = httpError(reply, status, body);
        if (isRetryableStatus(status) && mayRetryAgain) {
            const auto hint =
                retryAfterHint(reply->rawHeader("retry-after-ms"), reply->rawHeader("x-ms-retry-after-ms"),
                               reply->rawHeader("Retry-After"), QDateTime::currentDateTimeUtc());
            scheduleRetry(hint ? std::min(*hint, retry.maxRetryAfter) : backoffDelay(retry, m_attempt));
            return;
        }
        finishWithError(std::move(error));
        return;
    }

    const bool timedOut = m_timedOut || networkError == QNetworkReply::TimeoutError ||
                          networkError == QNetworkReply::OperationCanceledError;
    ServiceError error;
    error.target = m_request.target;
    if (timedOut) {
        error.kind = ServiceError::Kind::Timeout;
        error.message = tr("%1 did not answer within %2 ms (attempt %3).")
                            .arg(hostText(m_request.url))
                            .arg(options.timeout.count())
                            .arg(m_attempt);
    } else {
        error.kind = ServiceError::Kind::Network;
        error.message = tr("Could not talk to %1: %2.").arg(hostText(m_request.url), reply->errorString());
    }
    const bool safeToRetry = !m_request.isSend || neverSent(networkError) || retry.retryUnansweredSends;
    if (safeToRetry && mayRetryAgain) {
        scheduleRetry(backoffDelay(retry, m_attempt));
        return;
    }
    finishWithError(std::move(error));
}

void ServiceJob::scheduleRetry(std::chrono::milliseconds delay)
{
    qCInfo(lcService).noquote() << m_operation << "retrying after" << delay.count() << "ms (attempt"
                                << m_attempt << "got status" << m_status << ')';
    m_retryTimer.start(delay);
}

ServiceError ServiceJob::httpError(QNetworkReply *reply, int status, const QByteArray &body) const
{
    ServiceError error;
    error.kind = ServiceError::Kind::Http;
    error.httpStatus = status;
    error.code = QString::fromUtf8(reply->rawHeader("x-ms-error-code"));
    error.requestId = QString::fromUtf8(reply->rawHeader("x-ms-request-id"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::NoError && doc.isObject()) {
        const QJsonObject object = doc.object();
        if (error.code.isEmpty())
            error.code = object.value(u"code"_s).toString();
        error.message = object.value(u"message"_s).toString();
        error.target = object.value(u"target"_s).toString();
    }
    const QString statusLine = QString(QString::number(status) + u' ' + statusText(status)).trimmed();
    if (error.message.isEmpty()) {
        const QString text = QString::fromUtf8(body.left(512)).simplified();
        if (status == 401)
            error.message =
                tr("The service refused the credentials (%1). Check the access key, and that this "
                   "computer's clock is right.")
                    .arg(statusLine);
        else if (!m_request.successStatuses.isEmpty() && status >= 200 && status < 300)
            error.message = tr("The service answered %1, but this call expects %2.")
                                .arg(statusLine)
                                .arg(m_request.successStatuses.constFirst());
        else if (!text.isEmpty() && parseError.error != QJsonParseError::NoError)
            error.message = tr("The service answered %1: %2").arg(statusLine, text.left(200));
        else
            error.message = tr("The service answered %1 without an error description.").arg(statusLine);
    }
    if (error.target.isEmpty())
        error.target = m_request.target;
    return error;
}

bool ServiceJob::handleSuccess(int, const QByteArray &)
{
    return true;
}

void ServiceJob::continueWith(const QUrl &url)
{
    const int maxPages = m_client ? m_client->options().maxPages : 0;
    if (++m_pages >= maxPages) {
        failParsing(tr("The listing has more than %1 pages; stopped following nextLink.").arg(maxPages));
        return;
    }
    m_request.url = url;
    m_attempt = 0;
    sendAttempt();
}

void ServiceJob::failParsing(const QString &message)
{
    finishWithError({ServiceError::Kind::Http, m_status, {}, message, {}, m_request.target});
}

void ServiceJob::finishWithError(ServiceError error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_hasError = true;
    m_error = std::move(error);
    m_attemptTimer.stop();
    m_retryTimer.stop();
    qCInfo(lcService).noquote() << m_operation << "failed:" << m_error.toString();
    Q_EMIT finished();
}

void ServiceJob::finishOk()
{
    if (m_finished)
        return;
    m_finished = true;
    m_attemptTimer.stop();
    m_retryTimer.stop();
    qCDebug(lcService).noquote() << m_operation << "succeeded with" << m_status;
    Q_EMIT finished();
}

bool ExistsJob::handleSuccess(int status, const QByteArray &)
{
    m_exists = status == 200;
    return true;
}

TokenJob::TokenJob(ServiceClient *client, QString operation, ServiceRequest request, ClientProtocol protocol)
    : ServiceJob(client, std::move(operation), std::move(request))
    , m_protocol(protocol)
{
}

bool TokenJob::handleSuccess(int, const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QString token = doc.object().value(u"token"_s).toString();
    if (token.isEmpty() || !client()) {
        failParsing(tr("The service answered without a token."));
        return false;
    }
    m_access = clientAccessForToken(ConnectionString(client()->endpoint(), {}), client()->hub(), m_protocol,
                                    token.toUtf8());
    return true;
}

bool ListConnectionsJob::handleSuccess(int, const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject() ||
        !doc.object().value(u"value"_s).isArray()) {
        failParsing(tr("The service's listing is not a JSON object with a 'value' array."));
        return false;
    }
    ++m_pageCount;
    const QJsonObject page = doc.object();
    const QJsonArray values = page.value(u"value"_s).toArray();
    for (const QJsonValue &value : values) {
        const QJsonObject member = value.toObject();
        GroupMember m;
        m.connectionId = member.value(u"connectionId"_s).toString();
        m.hasUser = member.value(u"userId"_s).isString();
        m.userId = member.value(u"userId"_s).toString();
        m_members.append(m);
    }
    const QString nextLink = page.value(u"nextLink"_s).toString();
    if (nextLink.isEmpty() || !client())
        return true;
    QUrl next(nextLink, QUrl::StrictMode);
    const QUrl endpoint = client()->endpoint();
    // Our token goes wherever the link points: follow it only to the service we talk to.
    if (!next.isValid() || next.scheme() != endpoint.scheme() ||
        next.host().compare(endpoint.host(), Qt::CaseInsensitive) != 0 ||
        next.port(endpoint.scheme() == u"https" ? 443 : 80) !=
            endpoint.port(endpoint.scheme() == u"https" ? 443 : 80)) {
        failParsing(tr("The service's nextLink points to another host; not following it."));
        return false;
    }
    if (!QUrlQuery(next).hasQueryItem(u"api-version"_s)) {
        const QString apiVersion = client()->options().apiVersion;
        next.setQuery(next.query(QUrl::FullyEncoded) + (next.hasQuery() ? u"&"_s : QString()) +
                          u"api-version="_s + apiVersion,
                      QUrl::StrictMode);
    }
    continueWith(next);
    return false;
}

} // namespace wps::service
