#pragma once

#include "arm/armmodels.h"
#include "service/credential.h"
#include "service/httpjob.h"
#include "service/httptrace.h"
#include "service/serviceerror.h"
#include "service/serviceoptions.h"

#include <QJsonObject>
#include <QList>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>

namespace wps::arm {

/// The ARM (management plane) scope a bearer credential must be asked for.
inline constexpr char16_t ManagementScope[] = u"https://management.azure.com/.default";
/// The Microsoft.SignalRService api-version every webPubSub call uses (stable, docs/arm.md).
inline constexpr char16_t WebPubSubApiVersion[] = u"2024-03-01";
/// The api-version of the hub settings calls (list, get, put, delete of webPubSub/hubs): the first that has
/// an event handler's `groupPresenceEvents` (docs/arm.md). Hub settings read at an older version would drop
/// them on the next PUT.
inline constexpr char16_t HubSettingsApiVersion[] = u"2025-08-01-preview";
/// The api-version of `GET /subscriptions`.
inline constexpr char16_t SubscriptionsApiVersion[] = u"2022-12-01";

/// Settings of one ArmClient. Plain fields so tests can shrink the timers.
struct ArmClientOptions
{
    /// https://management.azure.com for Azure; the emulator's endpoint for local hubs.
    QUrl baseUrl = QUrl(QStringLiteral("https://management.azure.com"));
    QString apiVersion = QString::fromUtf16(WebPubSubApiVersion);
    QString hubApiVersion = QString::fromUtf16(HubSettingsApiVersion);
    QString subscriptionsApiVersion = QString::fromUtf16(SubscriptionsApiVersion);
    /// Per attempt, as ServiceClientOptions::timeout.
    std::chrono::milliseconds timeout{30000};
    /// Transient statuses (429, 5xx) and network errors are retried like the data-plane client does.
    service::RetryOptions retry;
    /// Wait between polls of an Azure-AsyncOperation / Location URL when the answer has no Retry-After.
    std::chrono::milliseconds pollInterval{1000};
    /// Upper bound on polls of one long-running operation (bounded loops).
    int maxPolls = 600;
    /// Upper bound on pages one listing follows.
    int maxPages = 1000;
    /// Bodies in traces are cut to this many bytes.
    int bodyPreviewLimit = 1024;
    /// Empty means "webpubsub-console/<version>".
    QString userAgent;
};

class ArmClient;

/// One ARM operation on the shared job engine (service::HttpJob): parented to its client, emits finished()
/// exactly once, never inside the call that made it. The operation may span several HTTP requests (pages,
/// async-operation polls, the final read); the outcome is one result or one ServiceError (ARM's
/// `{"error": {code, message}}` read into code and message). Adds long-running-operation polling and ARM
/// errors to the engine.
class ArmJob : public service::HttpJob
{
    Q_OBJECT
public:
    ~ArmJob() override;

    /// How many async-operation polls were made (0 when the service answered synchronously).
    int polls() const { return m_polls; }

    /// What one ARM operation sends first.
    struct Request
    {
        QByteArray method;
        QUrl url;
        QByteArray body; ///< JSON; empty for none
        QList<int> success;
        /// 202 means "accepted": poll Azure-AsyncOperation (else Location), then GET finalUrl if set.
        bool longRunning = false;
        QUrl finalUrl{};
        QByteArray finalMethod{}; ///< GET for a PUT's resource, POST for listKeys after regenerateKey
        bool secretBody = false;  ///< the answer holds keys: no body previews in traces
        bool repeatable = true;   ///< false for regenerateKey: running it twice replaces the key twice
    };

protected:
    friend class ArmClient;
    ArmJob(ArmClient *client, QString operation, QString target, Request request);

    void handleAnswer(const service::HttpAnswer &answer) override;
    /// Sends \a request as the job's next operation (e.g. the PUT after a read), with its own polling.
    void restart(Request request);
    service::ServiceError errorFor(const service::HttpAnswer &answer) const override;
    ArmClient *client() const;

private:
    static service::HttpRequest toHttpRequest(const Request &request);
    void startPolling(const QUrl &url, std::chrono::milliseconds delay);
    void handlePoll(const service::HttpAnswer &answer);

    Request m_arm;
    bool m_polling = false;
    bool m_finalGet = false;
    int m_polls = 0;
};

/// A listing that follows `nextLink` (only on the same host) and collects every `value[]` item.
class ArmListJob : public ArmJob
{
    Q_OBJECT
public:
    QList<QJsonObject> items() const { return m_items; }
    int pages() const { return m_pageCount; }
    QList<Subscription> subscriptions() const;
    QList<WebPubSubResource> resources() const;
    QList<HubSettings> hubs() const;

protected:
    friend class ArmClient;
    using ArmJob::ArmJob;
    bool handleSuccess(int status, const QByteArray &body) override;

private:
    QList<QJsonObject> m_items;
    int m_pageCount = 0;
};

/// getHub / createOrUpdateHub: the hub setting as ARM answered it last. deleteHub uses it with no hub.
class HubJob : public ArmJob
{
    Q_OBJECT
public:
    HubSettings hub() const { return m_hub; }
    /// True when a PUT created the hub (201), false for an update (200) or a GET.
    bool created() const { return m_created; }
    /// False when readHub() or updateHub() found no settings for the hub (404): hub() then starts from the
    /// defaults (deny anonymous, no handlers).
    bool found() const { return m_found; }

protected:
    friend class ArmClient;
    using ArmJob::ArmJob;
    void handleAnswer(const service::HttpAnswer &answer) override;
    bool handleSuccess(int status, const QByteArray &body) override;

private:
    HubSettings m_hub;
    bool m_created = false;
    bool m_found = true;
    bool m_missingIsDefault = false;
    /// Read-modify-write: set while the job's first request (the read) is under way.
    std::function<void(HubSettings &)> m_edit;
    QUrl m_hubUrl;
};

/// listKeys / regenerateKey. The keys are secrets: show them only on demand.
class KeysJob : public ArmJob
{
    Q_OBJECT
public:
    AccessKeys keys() const { return m_keys; }

protected:
    friend class ArmClient;
    using ArmJob::ArmJob;
    bool handleSuccess(int status, const QByteArray &body) override;

private:
    AccessKeys m_keys;
};

/// The Azure Resource Manager client of the hub directory: subscriptions -> Web PubSub resources -> hub
/// settings and keys, over QNetworkAccessManager with a bearer credential (an auth::EntraCredential for the
/// scope ManagementScope; for the emulator, its access key works too, see docs/arm.md). The emulator
/// serves the same paths, so Azure and local hubs share this one code path.
class ArmClient : public service::HttpClient
{
    Q_OBJECT
public:
    ArmClient(std::shared_ptr<const service::Credential> credential, ArmClientOptions options = {},
              QObject *parent = nullptr);
    ~ArmClient() override;

    const ArmClientOptions &options() const { return m_options; }
    void setOptions(const ArmClientOptions &options) { m_options = options; }
    service::HttpOptions httpOptions() const override;
    /// The base URL: the only place nextLinks and operation status URLs may lead.
    QUrl origin() const override { return m_options.baseUrl; }

    ArmListJob *listSubscriptions();
    /// Every Microsoft.SignalRService/webPubSub resource of \a subscriptionId.
    ArmListJob *listWebPubSub(const QString &subscriptionId);
    /// The hub settings of the resource \a resourceId (as WebPubSubResource::id).
    ArmListJob *listHubs(const QString &resourceId);
    HubJob *getHub(const QString &resourceId, const QString &hub);
    /// getHub(), but a hub without settings (404) is an answer: HubJob::found() is false, hub() the defaults.
    HubJob *readHub(const QString &resourceId, const QString &hub);
    /// Read-modify-write in one job: GET the hub (defaults on 404), apply \a edit, PUT the result (as
    /// createOrUpdateHub, polled when accepted), so fields \a edit does not touch survive.
    HubJob *updateHub(const QString &resourceId, const QString &hub, std::function<void(HubSettings &)> edit);
    /// PUT of HubSettings::toPutBody(): 200/201 answer directly; 202 is polled, then the hub is read.
    HubJob *createOrUpdateHub(const QString &resourceId, const QString &hub, const HubSettings &settings);
    HubJob *deleteHub(const QString &resourceId, const QString &hub);
    KeysJob *listKeys(const QString &resourceId);
    /// Replaces one key; the job's keys() are the new keys (read with listKeys after a 202).
    KeysJob *regenerateKey(const QString &resourceId, KeyType type);

    /// `baseUrl` + \a path + `?api-version=` \a apiVersion. \a path must already be encoded.
    QUrl url(const QString &path, const QString &apiVersion) const;

private:
    friend class ArmJob;
    template <typename Job>
    Job *makeJob(const QString &operation, const QString &target, ArmJob::Request request,
                 const QString &invalid = {});
    QString hubPath(const QString &resourceId, const QString &hub) const;
    HubJob *hubRead(const QString &operation, const QString &resourceId, const QString &hub);

    ArmClientOptions m_options;
};

/// Checks \a resourceId has the shape
/// `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.SignalRService/webPubSub/{name}`; empty when
/// it does, else why not.
QString checkResourceId(const QString &resourceId);
/// Checks \a settings can be PUT (every event handler has a URL template); empty when they can.
QString checkHubSettings(const HubSettings &settings);
/// The PUT of \a settings to \a hubUrl: 200/201 answer directly, 202 is polled, then the hub is read.
ArmJob::Request hubPutRequest(const QUrl &hubUrl, const HubSettings &settings);

} // namespace wps::arm
