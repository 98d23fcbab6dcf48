#include "arm/armclient.h"

#include "protocol/names.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcArm, "wps.arm")

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

QString checkHubSettings(const HubSettings &settings)
{
    for (const EventHandler &handler : settings.eventHandlers)
        if (handler.urlTemplate.isEmpty())
            return tr("Every event handler needs a URL template.");
    return {};
}

ArmJob::Request hubPutRequest(const QUrl &hubUrl, const HubSettings &settings)
{
    ArmJob::Request request{
        "PUT", hubUrl, QJsonDocument(settings.toPutBody()).toJson(QJsonDocument::Compact), {200, 201}};
    request.longRunning = true;
    request.finalMethod = "GET";
    request.finalUrl = hubUrl;
    return request;
}

// --- ArmJob -----------------------------------------------------------------------------------------------

service::HttpRequest ArmJob::toHttpRequest(const Request &request)
{
    service::HttpRequest out;
    out.method = request.method;
    out.url = request.url;
    out.body = request.body;
    if (!request.body.isEmpty())
        out.contentType = QByteArrayLiteral("application/json");
    out.headers = {{QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")}};
    out.success = request.success;
    out.repeatable = request.repeatable;
    out.secretAnswer = request.secretBody;
    return out;
}

ArmJob::ArmJob(ArmClient *client, QString operation, QString target, Request request)
    : service::HttpJob(client, std::move(operation), std::move(target), toHttpRequest(request))
    , m_arm(std::move(request))
{
}

ArmJob::~ArmJob() = default;

ArmClient *ArmJob::client() const
{
    return static_cast<ArmClient *>(httpClient());
}

void ArmJob::handleAnswer(const service::HttpAnswer &answer)
{
    if (m_polling) {
        handlePoll(answer);
        return;
    }
    if (answer.status == 202 && m_arm.longRunning && !m_finalGet) {
        QUrl poll(QString::fromUtf8(answer.header("Azure-AsyncOperation")), QUrl::StrictMode);
        if (poll.isEmpty())
            poll = QUrl(QString::fromUtf8(answer.header("Location")), QUrl::StrictMode);
        if (poll.isEmpty()) {
            finishWithError(errorFor(answer));
            return;
        }
        if (!isSameOrigin(poll)) {
            fail(tr("The operation's status URL points to another host; not following it."));
            return;
        }
        startPolling(poll, retryAfter(answer, client() ? client()->options().pollInterval
                                                       : std::chrono::milliseconds(1000)));
        return;
    }
    service::HttpJob::handleAnswer(answer);
}

void ArmJob::restart(Request request)
{
    m_arm = std::move(request);
    m_polling = false;
    m_finalGet = false;
    sendNext(toHttpRequest(m_arm));
}

void ArmJob::handlePoll(const service::HttpAnswer &answer)
{
    const std::chrono::milliseconds interval =
        retryAfter(answer, client() ? client()->options().pollInterval : std::chrono::milliseconds(1000));
    if (answer.status == 202) { // Location polling: still running
        startPolling(currentRequest().url, interval);
        return;
    }
    if (answer.status != 200 && answer.status != 204) {
        finishWithError(errorFor(answer));
        return;
    }
    const QString operationStatus =
        QJsonDocument::fromJson(answer.body).object().value(u"status"_s).toString();
    if (!operationStatus.isEmpty() && isInProgress(operationStatus)) {
        startPolling(currentRequest().url, interval);
        return;
    }
    if (!operationStatus.isEmpty() && operationStatus.compare(u"Succeeded"_s, Qt::CaseInsensitive) != 0) {
        ServiceError error = errorFor(answer);
        if (error.message.isEmpty() || error.code.isEmpty())
            error.message = tr("The operation ended with status %1.").arg(operationStatus);
        finishWithError(error);
        return;
    }
    m_polling = false;
    if (m_arm.finalUrl.isValid() && !m_arm.finalUrl.isEmpty()) {
        m_finalGet = true;
        Request final = m_arm;
        final.method = m_arm.finalMethod;
        final.url = m_arm.finalUrl;
        final.body.clear();
        final.success = {200};
        final.repeatable = true; // a read (GET, or listKeys after regenerateKey)
        sendNext(toHttpRequest(final));
        return;
    }
    if (handleSuccess(answer.status, operationStatus.isEmpty() ? answer.body : QByteArray()) && !isFinished())
        finishOk();
}

void ArmJob::startPolling(const QUrl &url, std::chrono::milliseconds delay)
{
    const int maxPolls = client() ? client()->options().maxPolls : 0;
    if (++m_polls > maxPolls) {
        finishWithError({ServiceError::Kind::Timeout,
                         httpStatus(),
                         {},
                         tr("The operation did not finish within %1 polls.").arg(maxPolls),
                         {},
                         target()});
        return;
    }
    m_polling = true;
    service::HttpRequest poll = toHttpRequest({"GET", url, {}, {200, 202, 204}});
    poll.secretAnswer = false;
    sendNext(std::move(poll), delay);
}

ServiceError ArmJob::errorFor(const service::HttpAnswer &answer) const
{
    const int status = answer.status;
    ServiceError error;
    error.kind = ServiceError::Kind::Http;
    error.httpStatus = status;
    error.requestId = QString::fromUtf8(answer.header("x-ms-request-id"));
    if (error.requestId.isEmpty())
        error.requestId = QString::fromUtf8(answer.header("x-ms-correlation-request-id"));
    const QJsonObject object = QJsonDocument::fromJson(answer.body).object();
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
        error.target = target();
    return error;
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
    followLink(QUrl(nextLink, QUrl::StrictMode)); // refused (the job fails) when it points to another host
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

void HubJob::handleAnswer(const service::HttpAnswer &answer)
{
    if (m_edit) { // the read of a read-modify-write
        if (answer.status != 200 && answer.status != 404) {
            finishWithError(errorFor(answer));
            return;
        }
        HubSettings settings;
        m_found = answer.status == 200;
        if (m_found) {
            const QJsonDocument doc = QJsonDocument::fromJson(answer.body);
            if (!doc.isObject()) {
                fail(tr("The hub setting is not a JSON object."));
                return;
            }
            settings = HubSettings::fromJson(doc.object());
        }
        const auto edit = std::exchange(m_edit, nullptr);
        edit(settings);
        if (const QString invalid = checkHubSettings(settings); !invalid.isEmpty()) {
            finishWithError({ServiceError::Kind::InvalidInput, 0, {}, invalid, {}, target()});
            return;
        }
        restart(hubPutRequest(m_hubUrl, settings));
        return;
    }
    if (m_missingIsDefault && answer.status == 404) {
        m_found = false;
        m_hub = HubSettings();
        finishOk();
        return;
    }
    ArmJob::handleAnswer(answer);
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
    : service::HttpClient(std::move(credential), lcArm, parent)
    , m_options(std::move(options))
{
}

ArmClient::~ArmClient() = default;

service::HttpOptions ArmClient::httpOptions() const
{
    return service::engineOptions(m_options);
}

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
    if (!invalid.isEmpty())
        job->failEarly({ServiceError::Kind::InvalidInput, 0, {}, invalid, {}, target}); // on the next turn
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
                               {"GET", url(hubPath(resourceId, {}), m_options.hubApiVersion), {}, {200}},
                               checkResourceId(resourceId));
}

HubJob *ArmClient::getHub(const QString &resourceId, const QString &hub)
{
    return hubRead(u"getHub"_s, resourceId, hub);
}

HubJob *ArmClient::hubRead(const QString &operation, const QString &resourceId, const QString &hub)
{
    QString invalid = checkResourceId(resourceId);
    if (invalid.isEmpty())
        invalid = names::checkHub(hub);
    return makeJob<HubJob>(operation, u"hub '"_s + hub.left(128) + u'\'',
                           {"GET", url(hubPath(resourceId, hub), m_options.hubApiVersion), {}, {200}},
                           invalid);
}

HubJob *ArmClient::createOrUpdateHub(const QString &resourceId, const QString &hub,
                                     const HubSettings &settings)
{
    QString invalid = checkResourceId(resourceId);
    if (invalid.isEmpty())
        invalid = names::checkHub(hub);
    if (invalid.isEmpty())
        invalid = checkHubSettings(settings);
    const QUrl hubUrl = url(hubPath(resourceId, hub), m_options.hubApiVersion);
    return makeJob<HubJob>(u"createOrUpdateHub"_s, u"hub '"_s + hub.left(128) + u'\'',
                           hubPutRequest(hubUrl, settings), invalid);
}

HubJob *ArmClient::readHub(const QString &resourceId, const QString &hub)
{
    HubJob *job = hubRead(u"readHub"_s, resourceId, hub);
    job->m_missingIsDefault = true;
    return job;
}

HubJob *ArmClient::updateHub(const QString &resourceId, const QString &hub,
                             std::function<void(HubSettings &)> edit)
{
    HubJob *job = hubRead(u"updateHub"_s, resourceId, hub);
    job->m_hubUrl = url(hubPath(resourceId, hub), m_options.hubApiVersion);
    job->m_edit = edit ? std::move(edit) : [](HubSettings &) {};
    return job;
}

HubJob *ArmClient::deleteHub(const QString &resourceId, const QString &hub)
{
    QString invalid = checkResourceId(resourceId);
    if (invalid.isEmpty())
        invalid = names::checkHub(hub);
    ArmJob::Request request{"DELETE", url(hubPath(resourceId, hub), m_options.hubApiVersion), {}, {200, 204}};
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
    request.repeatable = false; // a second run would replace the key again
    request.longRunning = true;
    // After a 202 the new keys are read with listKeys (POST, no body).
    request.finalMethod = "POST";
    request.finalUrl = url(path + u"/listKeys"_s, m_options.apiVersion);
    return makeJob<KeysJob>(u"regenerateKey"_s, resourceId.section(u'/', -1), request,
                            checkResourceId(resourceId));
}

} // namespace wps::arm
