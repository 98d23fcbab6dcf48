#include "arm/armclient.h"

#include "protocol/names.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcArm, "wps.arm")

#ifndef WPS_VERSION
#define WPS_VERSION "0.1.0"
#endif

using namespace Qt::Literals::StringLiterals;
using wps::service::ServiceError;

namespace wps::arm {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::arm", text);
}

QString segment(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

int defaultPort(const QUrl &url)
{
    return url.port(url.scheme() == u"https" ? 443 : 80);
}

bool neverSent(QNetworkReply::NetworkError error)
{
    return error == QNetworkReply::ConnectionRefusedError || error == QNetworkReply::HostNotFoundError ||
           error == QNetworkReply::SslHandshakeFailedError;
}

bool isInProgress(const QString &status)
{
    return status.compare(u"Succeeded"_s, Qt::CaseInsensitive) != 0 &&
           status.compare(u"Failed"_s, Qt::CaseInsensitive) != 0 &&
           status.compare(u"Canceled"_s, Qt::CaseInsensitive) != 0 &&
           status.compare(u"Cancelled"_s, Qt::CaseInsensitive) != 0;
}

} // namespace

QString checkResourceId(const QString &resourceId)
{
    const QStringList parts = resourceId.split(u'/');
    // "", subscriptions, s, resourceGroups, rg, providers, Microsoft.SignalRService, webPubSub, name
    if (parts.size() != 9 || !parts.at(0).isEmpty() ||
        parts.at(1).compare(u"subscriptions"_s, Qt::CaseInsensitive) != 0 || parts.at(2).isEmpty() ||
        parts.at(3).compare(u"resourceGroups"_s, Qt::CaseInsensitive) != 0 || parts.at(4).isEmpty() ||
        parts.at(5).compare(u"providers"_s, Qt::CaseInsensitive) != 0 ||
        parts.at(6).compare(u"Microsoft.SignalRService"_s, Qt::CaseInsensitive) != 0 ||
        parts.at(7).compare(u"webPubSub"_s, Qt::CaseInsensitive) != 0 || parts.at(8).isEmpty())
        return tr("'%1' is not a Web PubSub resource id (/subscriptions/{s}/resourceGroups/{rg}/providers/"
                  "Microsoft.SignalRService/webPubSub/{name}).")
            .arg(resourceId.left(300));
    return {};
}

// --- ArmJob -----------------------------------------------------------------------------------------------

ArmJob::ArmJob(ArmClient *client, QString operation, QString target, Request request)
    : QObject(client)
    , m_client(client)
    , m_operation(std::move(operation))
    , m_target(std::move(target))
    , m_request(std::move(request))
    , m_currentUrl(m_request.url)
    , m_currentMethod(m_request.method)
    , m_currentBody(m_request.body)
{
    m_attemptTimer.setSingleShot(true);
    m_waitTimer.setSingleShot(true);
    connect(&m_attemptTimer, &QTimer::timeout, this, [this] {
        if (m_reply) {
            m_timedOut = true;
            m_reply->abort();
        }
    });
    connect(&m_waitTimer, &QTimer::timeout, this, &ArmJob::sendAttempt);
}

ArmJob::~ArmJob()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void ArmJob::cancel()
{
    if (m_finished)
        return;
    m_attemptTimer.stop();
    m_waitTimer.stop();
    if (QNetworkReply *reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    m_finished = true; // nothing else may finish it now; the signal follows on the next turn
    QTimer::singleShot(0, this, [this] {
        m_hasError = true;
        m_error = {ServiceError::Kind::Cancelled, 0, {}, tr("The call was cancelled."), {}, m_target};
        Q_EMIT finished();
    });
}

void ArmJob::start()
{
    QTimer::singleShot(0, this, [this] {
        if (m_hasError) { // refused before sending (invalid input)
            m_hasError = false;
            finishWithError(m_error);
            return;
        }
        sendAttempt();
    });
}

bool ArmJob::sameHost(const QUrl &url) const
{
    if (!m_client)
        return false;
    const QUrl base = m_client->options().baseUrl;
    return url.isValid() && url.scheme() == base.scheme() &&
           url.host().compare(base.host(), Qt::CaseInsensitive) == 0 && defaultPort(url) == defaultPort(base);
}

void ArmJob::sendAttempt()
{
    if (m_finished)
        return;
    if (!m_client) {
        finishWithError(
            {ServiceError::Kind::Cancelled, 0, {}, tr("The ARM client was deleted."), {}, m_target});
        return;
    }
    ++m_attempt;
    m_timedOut = false;
    const auto authorization = m_client->credential()->authorization(m_currentUrl);
    if (!authorization) {
        finishWithError({ServiceError::Kind::InvalidInput, 0, {}, authorization.error(), {}, m_target});
        return;
    }
    const ArmClientOptions &options = m_client->options();
    QNetworkRequest request(m_currentUrl);
    if (!m_currentBody.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    const QString userAgent = options.userAgent.isEmpty()
                                  ? u"webpubsub-console/"_s + QString::fromLatin1(WPS_VERSION)
                                  : options.userAgent;
    request.setHeader(QNetworkRequest::UserAgentHeader, userAgent.toUtf8());
    request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setTransferTimeout(static_cast<int>(options.timeout.count()));
    request.setRawHeader(QByteArrayLiteral("Authorization"), *authorization);

    m_exchangeId = m_client->nextExchangeId();
    service::HttpTrace trace;
    trace.phase = service::HttpTrace::Phase::Request;
    trace.exchangeId = m_exchangeId;
    trace.attempt = m_attempt;
    trace.operation = m_operation;
    trace.method = m_currentMethod;
    trace.url = service::redactUrl(m_currentUrl);
    const QList<QByteArray> names = request.rawHeaderList();
    for (const QByteArray &name : names)
        trace.headers.append({name, service::redactHeaderValue(name, request.rawHeader(name))});
    trace.bodySize = m_currentBody.size();
    trace.bodyPreview = service::redactedPreview(m_currentBody, 1024);
    trace.timestamp = QDateTime::currentDateTimeUtc();
    Q_EMIT m_client->traced(trace);
    qCDebug(lcArm).noquote() << m_operation << m_currentMethod << trace.url << "attempt" << m_attempt;

    m_elapsed.start();
    QNetworkAccessManager *network = m_client->network();
    QNetworkReply *reply = nullptr;
    if (m_currentMethod == "GET")
        reply = network->get(request);
    else if (m_currentMethod == "DELETE")
        reply = network->deleteResource(request);
    else if (m_currentMethod == "PUT")
        reply = network->put(request, m_currentBody);
    else
        reply = network->sendCustomRequest(request, m_currentMethod, m_currentBody);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, &ArmJob::onReplyFinished);
    m_attemptTimer.start(options.timeout);
}

void ArmJob::onReplyFinished()
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
    if (m_client) {
        service::HttpTrace trace;
        trace.phase = service::HttpTrace::Phase::Response;
        trace.exchangeId = m_exchangeId;
        trace.attempt = m_attempt;
        trace.operation = m_operation;
        trace.method = m_currentMethod;
        trace.url = service::redactUrl(m_currentUrl);
        const auto pairs = reply->rawHeaderPairs();
        for (const auto &[name, value] : pairs)
            trace.headers.append({name, service::redactHeaderValue(name, value)});
        trace.bodySize = body.size();
        if (!m_request.secretBody || status >= 300)
            trace.bodyPreview = service::redactedPreview(body, 1024);
        trace.status = status;
        trace.durationMs = m_elapsed.elapsed();
        if (status == 0)
            trace.error = m_timedOut ? tr("timed out") : reply->errorString();
        trace.timestamp = QDateTime::currentDateTimeUtc();
        Q_EMIT m_client->traced(trace);
    }
    m_status = status;
    const service::RetryOptions retry = m_client ? m_client->options().retry : service::RetryOptions();
    const bool mayRetry = m_attempt <= retry.maxRetries;
    if (status == 0) {
        const bool idempotent = m_currentMethod != "POST";
        if (mayRetry && (idempotent || neverSent(reply->error()))) {
            m_waitTimer.start(service::backoffDelay(retry, m_attempt));
            return;
        }
        ServiceError error;
        error.target = m_target;
        const QString host = m_currentUrl.host();
        if (m_timedOut || reply->error() == QNetworkReply::TimeoutError ||
            reply->error() == QNetworkReply::OperationCanceledError) {
            error.kind = ServiceError::Kind::Timeout;
            error.message = tr("%1 did not answer in time (attempt %2).").arg(host).arg(m_attempt);
        } else {
            error.kind = ServiceError::Kind::Network;
            error.message = tr("Could not talk to %1: %2.").arg(host, reply->errorString());
        }
        finishWithError(error);
        return;
    }
    if (service::isRetryableStatus(status) && mayRetry) {
        m_waitTimer.start(retryDelay(reply, service::backoffDelay(retry, m_attempt)));
        return;
    }
    handleAnswer(reply, status, body);
}

void ArmJob::handleAnswer(QNetworkReply *reply, int status, const QByteArray &body)
{
    const std::chrono::milliseconds interval =
        m_client ? m_client->options().pollInterval : std::chrono::milliseconds(1000);
    if (m_polling) {
        if (status == 202) { // Location polling: still running
            startPolling(m_currentUrl, retryDelay(reply, interval));
            return;
        }
        if (status != 200 && status != 204) {
            finishWithError(armError(reply, status, body));
            return;
        }
        const QJsonObject answer = QJsonDocument::fromJson(body).object();
        const QString operationStatus = answer.value(u"status"_s).toString();
        if (!operationStatus.isEmpty() && isInProgress(operationStatus)) {
            startPolling(m_currentUrl, retryDelay(reply, interval));
            return;
        }
        if (!operationStatus.isEmpty() && operationStatus.compare(u"Succeeded"_s, Qt::CaseInsensitive) != 0) {
            ServiceError error = armError(reply, status, body);
            error.kind = ServiceError::Kind::Http;
            if (error.message.isEmpty() || error.code.isEmpty())
                error.message = tr("The operation ended with status %1.").arg(operationStatus);
            finishWithError(error);
            return;
        }
        m_polling = false;
        if (m_request.finalUrl.isValid() && !m_request.finalUrl.isEmpty()) {
            m_finalGet = true;
            m_currentMethod = m_request.finalMethod;
            m_currentUrl = m_request.finalUrl;
            m_currentBody.clear();
            m_attempt = 0;
            sendAttempt();
            return;
        }
        if (handleSuccess(status, operationStatus.isEmpty() ? body : QByteArray()))
            finishOk();
        return;
    }
    if (status == 202 && m_request.longRunning && !m_finalGet) {
        QUrl poll(QString::fromUtf8(reply->rawHeader("Azure-AsyncOperation")), QUrl::StrictMode);
        if (poll.isEmpty())
            poll = QUrl(QString::fromUtf8(reply->rawHeader("Location")), QUrl::StrictMode);
        if (poll.isEmpty()) {
            finishWithError(armError(reply, status, body));
            return;
        }
        if (!sameHost(poll)) {
            fail(tr("The operation's status URL points to another host; not following it."));
            return;
        }
        startPolling(poll, retryDelay(reply, interval));
        return;
    }
    if (m_request.success.contains(status) || (m_finalGet && status == 200)) {
        if (handleSuccess(status, body) && !m_finished)
            finishOk();
        return;
    }
    finishWithError(armError(reply, status, body));
}

void ArmJob::startPolling(const QUrl &url, std::chrono::milliseconds delay)
{
    const int maxPolls = m_client ? m_client->options().maxPolls : 0;
    if (++m_polls > maxPolls) {
        finishWithError({ServiceError::Kind::Timeout,
                         m_status,
                         {},
                         tr("The operation did not finish within %1 polls.").arg(maxPolls),
                         {},
                         m_target});
        return;
    }
    m_polling = true;
    m_currentUrl = url;
    m_currentMethod = "GET";
    m_currentBody.clear();
    m_attempt = 0;
    m_waitTimer.start(delay);
}

std::chrono::milliseconds ArmJob::retryDelay(QNetworkReply *reply, std::chrono::milliseconds fallback) const
{
    const auto hint =
        service::retryAfterHint(reply->rawHeader("retry-after-ms"), reply->rawHeader("x-ms-retry-after-ms"),
                                reply->rawHeader("Retry-After"), QDateTime::currentDateTimeUtc());
    const std::chrono::milliseconds cap =
        m_client ? m_client->options().retry.maxRetryAfter : std::chrono::milliseconds(60000);
    return hint ? std::min(*hint, cap) : fallback;
}

ServiceError ArmJob::armError(QNetworkReply *reply, int status, const QByteArray &body) const
{
    ServiceError error;
    error.kind = ServiceError::Kind::Http;
    error.httpStatus = status;
    error.requestId = QString::fromUtf8(reply->rawHeader("x-ms-request-id"));
    if (error.requestId.isEmpty())
        error.requestId = QString::fromUtf8(reply->rawHeader("x-ms-correlation-request-id"));
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    // ARM: {"error": {"code", "message", "target"}}; some services answer the inner object alone.
    const QJsonObject inner =
        object.value(u"error"_s).isObject() ? object.value(u"error"_s).toObject() : object;
    error.code = inner.value(u"code"_s).toString();
    error.message = inner.value(u"message"_s).toString();
    error.target = inner.value(u"target"_s).toString();
    if (error.message.isEmpty()) {
        if (status == 401)
            error.message = tr("Azure Resource Manager refused the credentials (401). Sign in again.");
        else if (status == 403)
            error.message = tr("The signed-in identity may not do this (403).");
        else if (status == 404)
            error.message = tr("Not found (404).");
        else
            error.message =
                tr("Azure Resource Manager answered %1 without an error description.").arg(status);
    }
    if (error.target.isEmpty())
        error.target = m_target;
    return error;
}

bool ArmJob::handleSuccess(int, const QByteArray &)
{
    return true;
}

void ArmJob::sendNext(const QUrl &url)
{
    const int maxPages = m_client ? m_client->options().maxPages : 0;
    if (++m_pages >= maxPages) {
        fail(tr("The listing has more than %1 pages; stopped following nextLink.").arg(maxPages));
        return;
    }
    if (!sameHost(url)) {
        fail(tr("The listing's nextLink points to another host; not following it."));
        return;
    }
    m_currentUrl = url;
    m_attempt = 0;
    sendAttempt();
}

void ArmJob::fail(const QString &message)
{
    finishWithError({ServiceError::Kind::Http, m_status, {}, message, {}, m_target});
}

void ArmJob::finishOk()
{
    if (m_finished)
        return;
    m_finished = true;
    m_attemptTimer.stop();
    m_waitTimer.stop();
    qCDebug(lcArm).noquote() << m_operation << "succeeded with" << m_status;
    Q_EMIT finished();
}

void ArmJob::finishWithError(ServiceError error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_hasError = true;
    m_error = std::move(error);
    m_attemptTimer.stop();
    m_waitTimer.stop();
    qCInfo(lcArm).noquote() << m_operation << "failed:" << m_error.toString();
    Q_EMIT finished();
}

// --- result jobs ------------------------------------------------------------------------------------------

bool ArmListJob::handleSuccess(int, const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.object().value(u"value"_s).isArray()) {
        fail(tr("The listing is not a JSON object with a 'value' array."));
        return false;
    }
    ++m_pageCount;
    const QJsonArray values = doc.object().value(u"value"_s).toArray();
    for (const QJsonValue &value : values)
        m_items.append(value.toObject());
    const QString nextLink = doc.object().value(u"nextLink"_s).toString();
    if (nextLink.isEmpty())
        return true;
    sendNext(QUrl(nextLink, QUrl::StrictMode));
    return false;
}

QList<Subscription> ArmListJob::subscriptions() const
{
    QList<Subscription> out;
    for (const QJsonObject &item : m_items)
        out.append(Subscription::fromJson(item));
    return out;
}

QList<WebPubSubResource> ArmListJob::resources() const
{
    QList<WebPubSubResource> out;
    for (const QJsonObject &item : m_items)
        out.append(WebPubSubResource::fromJson(item));
    return out;
}

QList<HubSettings> ArmListJob::hubs() const
{
    QList<HubSettings> out;
    for (const QJsonObject &item : m_items)
        out.append(HubSettings::fromJson(item));
    return out;
}

bool HubJob::handleSuccess(int status, const QByteArray &body)
{
    if (status == 201)
        m_created = true;
    if (body.isEmpty()) // DELETE (200/204) and empty operation results
        return true;
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isObject()) {
        fail(tr("The hub setting is not a JSON object."));
        return false;
    }
    m_hub = HubSettings::fromJson(doc.object());
    return true;
}

bool KeysJob::handleSuccess(int, const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isObject()) {
        fail(tr("The keys answer is not a JSON object."));
        return false;
    }
    m_keys = AccessKeys::fromJson(doc.object());
    return true;
}

// --- ArmClient --------------------------------------------------------------------------------------------

ArmClient::ArmClient(std::shared_ptr<const service::Credential> credential, ArmClientOptions options,
                     QObject *parent)
    : QObject(parent)
    , m_credential(std::move(credential))
    , m_options(std::move(options))
    , m_network(new QNetworkAccessManager(this))
{
    qRegisterMetaType<wps::service::HttpTrace>();
    qRegisterMetaType<wps::service::ServiceError>();
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy); // a token must not follow a redirect
}

ArmClient::~ArmClient() = default;

QUrl ArmClient::url(const QString &path, const QString &apiVersion) const
{
    QUrl url = m_options.baseUrl;
    QString basePath = url.path(QUrl::FullyEncoded);
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + path, QUrl::StrictMode);
    url.setQuery(u"api-version="_s + segment(apiVersion), QUrl::StrictMode);
    return url;
}

template <typename Job>
Job *ArmClient::makeJob(const QString &operation, const QString &target, ArmJob::Request request,
                        const QString &invalid)
{
    auto *job = new Job(this, operation, target, std::move(request));
    if (!invalid.isEmpty()) {
        job->m_hasError = true; // reported by start() on the next turn
        job->m_error = {ServiceError::Kind::InvalidInput, 0, {}, invalid, {}, target};
    }
    job->start();
    return job;
}

QString ArmClient::hubPath(const QString &resourceId, const QString &hub) const
{
    QString path;
    const QStringList parts = resourceId.split(u'/', Qt::SkipEmptyParts);
    for (const QString &part : parts)
        path += u'/' + segment(part);
    path += u"/hubs"_s;
    if (!hub.isNull())
        path += u'/' + segment(hub);
    return path;
}

ArmListJob *ArmClient::listSubscriptions()
{
    return makeJob<ArmListJob>(
        u"listSubscriptions"_s, tr("subscriptions"),
        {"GET", url(u"/subscriptions"_s, m_options.subscriptionsApiVersion), {}, {200}});
}

ArmListJob *ArmClient::listWebPubSub(const QString &subscriptionId)
{
    const QString invalid = subscriptionId.isEmpty() || subscriptionId.contains(u'/')
                                ? tr("A subscription id is needed.")
                                : QString();
    const QString path =
        u"/subscriptions/"_s + segment(subscriptionId) + u"/providers/Microsoft.SignalRService/webPubSub"_s;
    return makeJob<ArmListJob>(u"listWebPubSub"_s, u"subscription '"_s + subscriptionId.left(64) + u'\'',
                               {"GET", url(path, m_options.apiVersion), {}, {200}}, invalid);
}

ArmListJob *ArmClient::listHubs(const QString &resourceId)
{
    return makeJob<ArmListJob>(u"listHubs"_s, resourceId.section(u'/', -1),
                               {"GET", url(hubPath(resourceId, {}), m_options.apiVersion), {}, {200}},
                               checkResourceId(resourceId));
}

HubJob *ArmClient::getHub(const QString &resourceId, const QString &hub)
{
    QString invalid = checkResourceId(resourceId);
    if (invalid.isEmpty())
        invalid = names::checkHub(hub);
    return makeJob<HubJob>(u"getHub"_s, u"hub '"_s + hub.left(128) + u'\'',
                           {"GET", url(hubPath(resourceId, hub), m_options.apiVersion), {}, {200}}, invalid);
}

HubJob *ArmClient::createOrUpdateHub(const QString &resourceId, const QString &hub,
                                     const HubSettings &settings)
{
    QString invalid = checkResourceId(resourceId);
    if (invalid.isEmpty())
        invalid = names::checkHub(hub);
    for (const EventHandler &handler : settings.eventHandlers)
        if (invalid.isEmpty() && handler.urlTemplate.isEmpty())
            invalid = tr("Every event handler needs a URL template.");
    const QUrl hubUrl = url(hubPath(resourceId, hub), m_options.apiVersion);
    ArmJob::Request request{
        "PUT", hubUrl, QJsonDocument(settings.toPutBody()).toJson(QJsonDocument::Compact), {200, 201}};
    request.longRunning = true;
    request.finalMethod = "GET";
    request.finalUrl = hubUrl;
    return makeJob<HubJob>(u"createOrUpdateHub"_s, u"hub '"_s + hub.left(128) + u'\'', request, invalid);
}

HubJob *ArmClient::deleteHub(const QString &resourceId, const QString &hub)
{
    QString invalid = checkResourceId(resourceId);
    if (invalid.isEmpty())
        invalid = names::checkHub(hub);
    ArmJob::Request request{"DELETE", url(hubPath(resourceId, hub), m_options.apiVersion), {}, {200, 204}};
    request.longRunning = true;
    return makeJob<HubJob>(u"deleteHub"_s, u"hub '"_s + hub.left(128) + u'\'', request, invalid);
}

KeysJob *ArmClient::listKeys(const QString &resourceId)
{
    QString path = hubPath(resourceId, {});
    path.chop(5); // "/hubs"
    ArmJob::Request request{"POST", url(path + u"/listKeys"_s, m_options.apiVersion), {}, {200}};
    request.secretBody = true;
    return makeJob<KeysJob>(u"listKeys"_s, resourceId.section(u'/', -1), request,
                            checkResourceId(resourceId));
}

KeysJob *ArmClient::regenerateKey(const QString &resourceId, KeyType type)
{
    QString path = hubPath(resourceId, {});
    path.chop(5);
    const QJsonObject body{{u"keyType"_s, keyTypeName(type)}};
    ArmJob::Request request{"POST",
                            url(path + u"/regenerateKey"_s, m_options.apiVersion),
                            QJsonDocument(body).toJson(QJsonDocument::Compact),
                            {200}};
    request.secretBody = true;
    request.longRunning = true;
    // After a 202 the new keys are read with listKeys (POST, no body).
    request.finalMethod = "POST";
    request.finalUrl = url(path + u"/listKeys"_s, m_options.apiVersion);
    return makeJob<KeysJob>(u"regenerateKey"_s, resourceId.section(u'/', -1), request,
                            checkResourceId(resourceId));
}

} // namespace wps::arm
