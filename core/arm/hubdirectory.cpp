#include "arm/hubdirectory.h"

#include "auth/credentialchain.h"
#include "auth/entracredential.h"
#include "auth/tokencredential.h"
#include "service/credential.h"

#include <QHostAddress>
#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcHubDirectory, "wps.arm.directory")

namespace wps::arm {

namespace {

/// Bounded discovery: at most this many subscriptions are searched for the resource.
constexpr int MaxSubscriptions = 50;

bool isLoopback(const QUrl &url)
{
    const QString host = url.host();
    if (host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

/// "host" or "host:port" as ARM's properties.hostName spells it.
QString hostName(const QUrl &url)
{
    return url.port() > 0 ? url.host() + u':' + QString::number(url.port()) : url.host();
}

} // namespace

HubDirectory::HubDirectory(QObject *parent)
    : QObject(parent)
{
}

HubDirectory::~HubDirectory() = default;

void HubDirectory::setArmOptions(const ArmClientOptions &options)
{
    m_options = options;
}

void HubDirectory::setService(const QUrl &endpoint, const QString &accessKey,
                              wps::auth::CredentialChain *chain)
{
    if (m_client && endpoint == m_endpoint && accessKey == m_accessKey && chain == m_chain)
        return; // the same service: keep the client and what it found
    clear();
    m_endpoint = endpoint;
    m_accessKey = accessKey;
    m_chain = chain;
}

void HubDirectory::clear()
{
    ++m_generation;
    if (m_client) {
        m_client->deleteLater();
        m_client = nullptr;
        Q_EMIT clientChanged(nullptr);
    }
    m_endpoint = QUrl();
    m_accessKey.clear();
    m_chain = nullptr;
    m_resourceId.clear();
    m_hubs.clear();
    m_refusals.clear();
    setState(State::Idle, QString());
}

void HubDirectory::setState(State state, const QString &text)
{
    m_state = state;
    m_statusText = text;
    Q_EMIT stateChanged(state, text);
}

void HubDirectory::fail(const QString &text)
{
    qCInfo(lcHubDirectory).noquote() << "failed:" << text;
    setState(State::Failed, text);
    Q_EMIT hubsLoaded(text);
}

void HubDirectory::refresh()
{
    if (m_endpoint.isEmpty()) {
        fail(tr("Not connected."));
        return;
    }
    const quint64 generation = ++m_generation;
    if (m_client && !m_resourceId.isEmpty()) {
        loadHubs(generation);
        return;
    }
    if (m_client) {
        discover(generation);
        return;
    }
    setupClient(generation);
}

void HubDirectory::makeClient(std::shared_ptr<const service::Credential> credential)
{
    ArmClientOptions options = m_options.value_or(ArmClientOptions{});
    if (isLoopback(m_endpoint)) {
        QUrl base = m_endpoint;
        base.setPath(QString());
        options.baseUrl = base;
    } else {
        options.baseUrl = QUrl(u"https://management.azure.com"_s);
    }
    m_client = new ArmClient(std::move(credential), options, this);
    Q_EMIT clientChanged(m_client);
}

void HubDirectory::setupClient(quint64 generation)
{
    if (isLoopback(m_endpoint) && !m_accessKey.isEmpty()) {
        makeClient(std::make_shared<service::AccessKeyCredential>(m_accessKey));
        discover(generation);
        return;
    }
    // Entra ID: the connection's chain when it has one, else one from the environment.
    wps::auth::CredentialChain *chain = m_chain;
    if (!chain) {
        if (!m_ownChain) {
            auto created =
                wps::auth::CredentialChain::create(wps::auth::AuthEnvironment::fromProcess(), {}, this);
            if (!created) {
                fail(tr("Hub settings need Azure Resource Manager access: %1").arg(created.error()));
                return;
            }
            m_ownChain = *created;
        }
        chain = m_ownChain;
    }
    setState(State::Authorizing, tr("Getting a management token..."));
    const QString scope = QString::fromUtf16(wps::auth::ManagementScope);
    wps::auth::TokenRequest *request = chain->getToken(scope);
    QPointer<wps::auth::CredentialChain> guard(chain);
    connect(request, &wps::auth::TokenRequest::finished, this, [this, request, guard, scope, generation] {
        request->deleteLater();
        if (generation != m_generation || !guard)
            return;
        if (!request->result().ok()) {
            fail(tr("Hub settings need Azure Resource Manager access: %1").arg(request->result().reason));
            return;
        }
        guard->setAutoRefresh(true);
        makeClient(std::make_shared<wps::auth::EntraCredential>(guard.data(), scope));
        discover(generation);
    });
}

void HubDirectory::discover(quint64 generation)
{
    setState(State::Discovering, tr("Looking for the service's resource..."));
    m_refusals.clear();
    ArmListJob *job = m_client->listSubscriptions();
    connect(job, &ArmJob::finished, this, [this, job, generation] {
        job->deleteLater();
        if (generation != m_generation)
            return;
        if (job->hasError()) {
            fail(tr("Subscriptions: %1").arg(job->error().toString()));
            return;
        }
        QStringList ids;
        const auto subscriptions = job->subscriptions();
        for (const auto &s : subscriptions) {
            if (ids.size() < MaxSubscriptions)
                ids.append(s.subscriptionId);
        }
        listResources(generation, ids, int(ids.size()));
    });
}

bool HubDirectory::matches(const WebPubSubResource &resource) const
{
    return resource.hostName.compare(hostName(m_endpoint), Qt::CaseInsensitive) == 0 ||
           resource.hostName.compare(m_endpoint.host(), Qt::CaseInsensitive) == 0;
}

void HubDirectory::listResources(quint64 generation, QStringList subscriptions, int total)
{
    if (subscriptions.isEmpty()) {
        const QString host = hostName(m_endpoint);
        if (total == 0) {
            fail(tr("The signed-in identity sees no subscription, so no Web PubSub resource with host %1.")
                     .arg(host));
        } else if (m_refusals.size() == total) {
            fail(tr("Could not read the Web PubSub resources of any of your %n subscription(s): %1", nullptr,
                    total)
                     .arg(m_refusals.join(u"; "_s)));
        } else if (!m_refusals.isEmpty()) {
            fail(tr("No Web PubSub resource with host %1 in the subscriptions that could be read; %2 of %3 "
                    "refused: %4")
                     .arg(host)
                     .arg(m_refusals.size())
                     .arg(total)
                     .arg(m_refusals.join(u"; "_s)));
        } else {
            fail(tr("No Web PubSub resource with host %1 in your %n subscription(s).", nullptr, total)
                     .arg(host));
        }
        return;
    }
    const QString subscription = subscriptions.takeFirst();
    ArmListJob *job = m_client->listWebPubSub(subscription);
    connect(job, &ArmJob::finished, this, [this, job, generation, subscription, subscriptions, total] {
        job->deleteLater();
        if (generation != m_generation)
            return;
        if (job->hasError()) {
            m_refusals.append(tr("subscription %1: %2").arg(subscription, job->error().toString()));
        } else {
            const auto resources = job->resources();
            for (const auto &r : resources) {
                if (matches(r)) {
                    m_resourceId = r.id;
                    break;
                }
            }
            if (m_resourceId.isEmpty() && resources.size() == 1 && isLoopback(m_endpoint))
                m_resourceId = resources.constFirst().id;
        }
        if (m_resourceId.isEmpty()) {
            listResources(generation, subscriptions, total);
            return;
        }
        qCInfo(lcHubDirectory) << "resource" << m_resourceId;
        loadHubs(generation);
    });
}

void HubDirectory::loadHubs(quint64 generation)
{
    setState(State::Listing, tr("Reading hub settings..."));
    ArmListJob *job = m_client->listHubs(m_resourceId);
    connect(job, &ArmJob::finished, this, [this, job, generation] {
        job->deleteLater();
        if (generation != m_generation)
            return;
        if (job->hasError()) {
            fail(tr("Hubs: %1").arg(job->error().toString()));
            return;
        }
        m_hubs = job->hubs();
        setState(State::Ready,
                 tr("Resource %1: %n hub(s) configured on the service.", nullptr, int(m_hubs.size()))
                     .arg(m_resourceId.section(u'/', -1)));
        Q_EMIT hubsLoaded(QString());
    });
}

HubJob *HubDirectory::readHub(const QString &hub)
{
    if (!m_client || m_resourceId.isEmpty())
        return nullptr;
    return m_client->readHub(m_resourceId, hub);
}

HubJob *HubDirectory::updateHub(const QString &hub, std::function<void(HubSettings &)> edit)
{
    if (!m_client || m_resourceId.isEmpty())
        return nullptr;
    HubJob *job = m_client->updateHub(m_resourceId, hub, std::move(edit));
    const quint64 generation = m_generation;
    connect(job, &ArmJob::finished, this, [this, job, generation] {
        if (generation != m_generation || job->hasError())
            return;
        const HubSettings saved = job->hub();
        bool known = false;
        for (HubSettings &h : m_hubs) {
            if (h.name == saved.name) {
                h = saved;
                known = true;
            }
        }
        if (!known && !saved.name.isEmpty())
            m_hubs.append(saved);
        Q_EMIT hubsChanged();
    });
    return job;
}

KeysJob *HubDirectory::listKeys()
{
    if (!m_client || m_resourceId.isEmpty())
        return nullptr;
    return m_client->listKeys(m_resourceId);
}

KeysJob *HubDirectory::regenerateKey(KeyType type)
{
    if (!m_client || m_resourceId.isEmpty())
        return nullptr;
    return m_client->regenerateKey(m_resourceId, type);
}

} // namespace wps::arm
