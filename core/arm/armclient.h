#pragma once

#include "arm/armmodels.h"
#include "service/credential.h"
#include "service/httptrace.h"
#include "service/serviceerror.h"
#include "service/serviceoptions.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace wps::arm {

/// The ARM (management plane) scope a bearer credential must be asked for.
inline constexpr char16_t ManagementScope[] = u"https://management.azure.com/.default";
/// The Microsoft.SignalRService api-version every webPubSub call uses (stable, docs/arm.md).
inline constexpr char16_t WebPubSubApiVersion[] = u"2024-03-01";
/// The api-version of `GET /subscriptions`.
inline constexpr char16_t SubscriptionsApiVersion[] = u"2022-12-01";

/// Settings of one ArmClient. Plain fields so tests can shrink the timers.
struct ArmClientOptions
{
    /// https://management.azure.com for Azure; the emulator's endpoint for local hubs.
    QUrl baseUrl = QUrl(QStringLiteral("https://management.azure.com"));
    QString apiVersion = QString::fromUtf16(WebPubSubApiVersion);
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
    /// Empty means "webpubsub-console/<version>".
    QString userAgent;
};

class ArmClient;

/// One ARM operation (style rule 7): parented to its client, emits finished() exactly once, never inside
/// the call that made it. The operation may span several HTTP requests (pages, async-operation polls, the
/// final GET); the outcome is one result or one ServiceError (ARM's `{"error": {code, message}}` read into
/// code and message).
class ArmJob : public QObject
{
    Q_OBJECT
public:
    ~ArmJob() override;

    QString operation() const { return m_operation; }
    bool isFinished() const { return m_finished; }
    bool hasError() const { return m_hasError; }
    const service::ServiceError &error() const { return m_error; }
    /// Status of the last HTTP answer (0 when none came).
    int httpStatus() const { return m_status; }
    /// How many async-operation polls were made (0 when the service answered synchronously).
    int polls() const { return m_polls; }
    /// Stops the job: finished() follows with a Cancelled error unless it already finished.
    void cancel();

Q_SIGNALS:
    void finished();

protected:
    friend class ArmClient;
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
    };
    ArmJob(ArmClient *client, QString operation, QString target, Request request);

    /// A success answer of the current request. Return true when done; or call sendNext() and return false.
    virtual bool handleSuccess(int status, const QByteArray &body);
    /// Sends \a url (a nextLink) as the next request: same method and headers, fresh attempts.
    void sendNext(const QUrl &url);
    void fail(const QString &message);
    ArmClient *client() const { return m_client; }
    /// True when \a url is on the client's base host: our bearer token may go there.
    bool sameHost(const QUrl &url) const;

private:
    void start();
    void sendAttempt();
    void onReplyFinished();
    void handleAnswer(QNetworkReply *reply, int status, const QByteArray &body);
    void startPolling(const QUrl &url, std::chrono::milliseconds delay);
    void finishOk();
    void finishWithError(service::ServiceError error);
    service::ServiceError armError(QNetworkReply *reply, int status, const QByteArray &body) const;
    std::chrono::milliseconds retryDelay(QNetworkReply *reply, std::chrono::milliseconds fallback) const;

    QPointer<ArmClient> m_client;
    QString m_operation;
    QString m_target;
    Request m_request;
    QUrl m_currentUrl;
    QByteArray m_currentMethod;
    QByteArray m_currentBody;
    bool m_polling = false;
    bool m_finalGet = false;
    QPointer<QNetworkReply> m_reply;
    QTimer m_attemptTimer;
    QTimer m_waitTimer;
    QElapsedTimer m_elapsed;
    quint64 m_exchangeId = 0;
    int m_attempt = 0;
    int m_pages = 0;
    int m_polls = 0;
    int m_status = 0;
    bool m_timedOut = false;
    bool m_finished = false;
    bool m_hasError = false;
    service::ServiceError m_error;
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

protected:
    friend class ArmClient;
    using ArmJob::ArmJob;
    bool handleSuccess(int status, const QByteArray &body) override;

private:
    HubSettings m_hub;
    bool m_created = false;
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

/// The Azure Resource Manager client of the Hubs panel: subscriptions -> Web PubSub resources -> hub
/// settings and keys, over QNetworkAccessManager with a bearer credential (an auth::EntraCredential for the
/// scope ManagementScope; for the emulator, its access key works too, see docs/arm.md). The emulator
/// serves the same paths, so Azure and local hubs share this one code path.
class ArmClient : public QObject
{
    Q_OBJECT
public:
    ArmClient(std::shared_ptr<const service::Credential> credential, ArmClientOptions options = {},
              QObject *parent = nullptr);
    ~ArmClient() override;

    const ArmClientOptions &options() const { return m_options; }
    void setOptions(const ArmClientOptions &options) { m_options = options; }

    ArmListJob *listSubscriptions();
    /// Every Microsoft.SignalRService/webPubSub resource of \a subscriptionId.
    ArmListJob *listWebPubSub(const QString &subscriptionId);
    /// The hub settings of the resource \a resourceId (as WebPubSubResource::id).
    ArmListJob *listHubs(const QString &resourceId);
    HubJob *getHub(const QString &resourceId, const QString &hub);
    /// PUT of HubSettings::toPutBody(): 200/201 answer directly; 202 is polled, then the hub is read.
    HubJob *createOrUpdateHub(const QString &resourceId, const QString &hub, const HubSettings &settings);
    HubJob *deleteHub(const QString &resourceId, const QString &hub);
    KeysJob *listKeys(const QString &resourceId);
    /// Replaces one key; the job's keys() are the new keys (read with listKeys after a 202).
    KeysJob *regenerateKey(const QString &resourceId, KeyType type);

    /// `baseUrl` + \a path + `?api-version=` \a apiVersion. \a path must already be encoded.
    QUrl url(const QString &path, const QString &apiVersion) const;

Q_SIGNALS:
    /// Every request and response, redacted, for the trace panel (key answers carry no body preview).
    void traced(const wps::service::HttpTrace &trace);

private:
    friend class ArmJob;
    template <typename Job>
    Job *makeJob(const QString &operation, const QString &target, ArmJob::Request request,
                 const QString &invalid = {});
    QString hubPath(const QString &resourceId, const QString &hub) const;
    QNetworkAccessManager *network() const { return m_network; }
    const service::Credential *credential() const { return m_credential.get(); }
    quint64 nextExchangeId() { return ++m_exchangeCounter; }

    std::shared_ptr<const service::Credential> m_credential;
    ArmClientOptions m_options;
    QNetworkAccessManager *m_network;
    quint64 m_exchangeCounter = 0;
};

/// Checks \a resourceId has the shape
/// `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.SignalRService/webPubSub/{name}`; empty when
/// it does, else why not.
QString checkResourceId(const QString &resourceId);

} // namespace wps::arm
