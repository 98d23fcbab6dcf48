#include "session/consolesession.h"

#include "arm/hubdirectory.h"
#include "auth/credentialchain.h"
#include "live/liveclient.h"
#include "live/mqttclient.h"
#include "service/connectionprobe.h"
#include "service/credential.h"
#include "service/serviceclient.h"
#include "service/servicejob.h"
#include "trace/livetrace.h"
#include "trace/mqtttrace.h"
#include "trace/traceadapters.h"
#include "trace/tracestore.h"

#include <QDateTime>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using wps::service::ConnectionHealth;

namespace wps::ui {

ConsoleSession::ConsoleSession(QObject *parent)
    : QObject(parent)
    , m_hub(u"chat"_s)
    , m_trace(new wps::trace::TraceStore({}, this))
    , m_liveTrace(new wps::trace::LiveTraceClient(m_trace, {}, this))
    , m_hubDirectory(new wps::arm::HubDirectory(this))
{
    connect(m_hubDirectory, &wps::arm::HubDirectory::clientChanged, this,
            [this](wps::arm::ArmClient *client) {
                if (client)
                    wps::trace::attach(client, m_trace);
            });
    m_healthTimer.setInterval(30s);
    connect(&m_healthTimer, &QTimer::timeout, this, &ConsoleSession::checkHealth);
}

ConsoleSession::~ConsoleSession() = default;

void ConsoleSession::setConnection(const wps::ConnectionString &connection, const QString &origin)
{
    ++m_connectionGeneration;
    m_connection = connection;
    m_endpoint = connection.endpoint();
    m_credential.reset();
    setChain(nullptr);
    m_origin = origin;
    m_health = ConnectionHealth::Connecting; // not verified yet: the check below says
    m_healthText.clear();
    setState(State::Connected, origin);
    rebuildClient();
    checkHealth();
}

void ConsoleSession::setCredentialConnection(const QUrl &endpoint,
                                             std::shared_ptr<const wps::service::Credential> credential,
                                             const QString &origin, wps::auth::CredentialChain *chain)
{
    m_connection.reset();
    m_endpoint = endpoint;
    m_credential = std::move(credential);
    setChain(chain);
    m_origin = origin;
    ++m_connectionGeneration;
    m_health = ConnectionHealth::Connecting;
    m_healthText.clear();
    setState(State::Connected, origin);
    rebuildClient();
    checkHealth();
}

void ConsoleSession::setConnecting(const QString &message)
{
    ++m_connectionGeneration;
    m_health = ConnectionHealth::Connecting;
    m_healthText.clear();
    m_connection.reset();
    m_endpoint.clear();
    m_credential.reset();
    setChain(nullptr);
    setState(State::Connecting, message);
    rebuildClient();
}

void ConsoleSession::setConnectionError(const QString &message)
{
    ++m_connectionGeneration;
    m_health = ConnectionHealth::Unknown;
    m_healthText = message;
    m_connection.reset();
    m_endpoint.clear();
    m_credential.reset();
    setChain(nullptr);
    setState(State::Failed, message);
    rebuildClient();
}

QUrl ConsoleSession::endpoint() const
{
    return m_state == State::Connected ? m_endpoint : QUrl();
}

void ConsoleSession::setProfileName(const QString &name)
{
    if (name == m_profileName)
        return;
    m_profileName = name;
    Q_EMIT profileNameChanged(name);
}

void ConsoleSession::setHub(const QString &hub)
{
    if (hub == m_hub)
        return;
    m_hub = hub;
    rebuildClient();
    Q_EMIT hubChanged(hub);
}

void ConsoleSession::setChain(wps::auth::CredentialChain *chain)
{
    if (m_chain == chain)
        return;
    if (m_chain)
        m_chain->deleteLater(); // a previous profile's chain; its credential went with the connection
    m_chain = chain;
    if (chain)
        chain->setParent(this);
}

void ConsoleSession::setState(State state, const QString &text)
{
    m_state = state;
    m_stateText = text;
    if (m_state == State::Connected && m_healthTimer.interval() > 0)
        m_healthTimer.start();
    else
        m_healthTimer.stop();
    restartLiveTrace();
    updateHubDirectory();
    Q_EMIT connectionChanged();
    Q_EMIT healthChanged();
}

void ConsoleSession::open(const OpenRequest &request)
{
    const QString what = request.origin.isEmpty() ? tr("the service") : request.origin;
    if (!request.connection && !request.credential) {
        failOpen(what, ConnectionHealth::Misconfigured, tr("No access key and no Entra ID credential."));
        return;
    }
    if (m_openProbe) {
        disconnect(m_openProbe, nullptr, this, nullptr);
        m_openProbe->cancel();
        m_openProbe->deleteLater();
    }
    const quint64 generation = ++m_openGeneration;
    m_opening = true;
    m_openingText = tr("Connecting to %1…").arg(what);
    if (m_state != State::Connected) {
        // Nothing working to keep: the session says it is connecting (a working one stays as it is).
        m_health = ConnectionHealth::Connecting;
        m_healthText.clear();
        setState(State::Connecting, m_openingText);
    } else {
        Q_EMIT healthChanged();
    }
    auto *probe = makeProbe(request, true);
    m_openProbe = probe;
    connect(probe, &wps::service::ConnectionProbe::finished, this, [this, probe, request, generation] {
        probe->deleteLater();
        if (generation != m_openGeneration)
            return;
        finishOpen(request, probe->result());
    });
    probe->start();
}

wps::service::ConnectionProbe *ConsoleSession::makeProbe(const OpenRequest &request, bool traced)
{
    wps::service::ProbeOptions options = m_probeOptions;
    options.hub = request.hub.isEmpty() ? m_hub : request.hub;
    const QUrl endpoint = request.connection ? request.connection->endpoint() : request.endpoint;
    std::shared_ptr<const wps::service::Credential> credential = request.credential;
    if (request.connection)
        credential = std::make_shared<wps::service::AccessKeyCredential>(request.connection->accessKey());
    auto *probe = new wps::service::ConnectionProbe(endpoint, credential, options, this);
    if (traced)
        wps::trace::attach(probe->client(), m_trace);
    return probe;
}

void ConsoleSession::finishOpen(const OpenRequest &request, const wps::service::ProbeResult &result)
{
    m_opening = false;
    m_openingText.clear();
    const QString what = request.origin.isEmpty() ? tr("the service") : request.origin;
    if (result.health == ConnectionHealth::Connected && !result.cancelled) {
        m_lastOpenHealth = ConnectionHealth::Connected;
        m_lastOpenError.clear();
        commitConnection(request);
        Q_EMIT openFinished(true, QString());
        return;
    }
    if (result.cancelled) {
        m_lastOpenError = tr("Opening %1 was cancelled.").arg(what);
        if (m_state == State::Connecting) {
            m_health = ConnectionHealth::Unknown;
            m_healthText.clear();
            setState(State::Idle, m_lastOpenError);
        } else {
            Q_EMIT healthChanged();
        }
        Q_EMIT openFinished(false, m_lastOpenError);
        return;
    }
    failOpen(what, result.health, result.reason);
}

void ConsoleSession::failOpen(const QString &what, ConnectionHealth health, const QString &reason)
{
    ++m_openGeneration; // a running open is superseded by this verdict
    if (m_openProbe) {
        disconnect(m_openProbe, nullptr, this, nullptr);
        m_openProbe->cancel();
        m_openProbe->deleteLater();
    }
    m_opening = false;
    m_openingText.clear();
    m_lastOpenHealth = health;
    m_lastOpenError = tr("%1 is %2: %3").arg(what, wps::service::healthName(health), reason);
    noteTrace(u"open failed"_s, m_lastOpenError);
    if (m_state == State::Connected) {
        // A working connection stays: the window keeps it and says what failed.
        Q_EMIT healthChanged();
    } else {
        ++m_connectionGeneration;
        m_connection.reset();
        m_endpoint.clear();
        m_credential.reset();
        setChain(nullptr);
        m_health = health;
        m_healthText = reason;
        setState(State::Failed, m_lastOpenError);
        rebuildClient();
    }
    Q_EMIT openFinished(false, m_lastOpenError);
}

void ConsoleSession::beginOpen(const QString &message)
{
    m_opening = true;
    m_openingText = message;
    if (m_state != State::Connected) {
        m_health = ConnectionHealth::Connecting;
        m_healthText.clear();
        setState(State::Connecting, message);
    } else {
        Q_EMIT healthChanged();
    }
}

void ConsoleSession::cancelOpen()
{
    if (!m_opening)
        return;
    if (m_openProbe) {
        m_openProbe->cancel(); // finishOpen() follows with the cancelled result
        return;
    }
    // Nothing probing yet (a secret being read, the emulator starting): whatever answers later is ignored.
    ++m_openGeneration;
    OpenRequest none;
    wps::service::ProbeResult cancelled;
    cancelled.cancelled = true;
    finishOpen(none, cancelled);
}

void ConsoleSession::commitConnection(const OpenRequest &request)
{
    ++m_connectionGeneration;
    m_connection = request.connection;
    m_endpoint = request.connection ? request.connection->endpoint() : request.endpoint;
    m_credential = request.connection ? nullptr : request.credential;
    setChain(request.connection ? nullptr : request.chain.data());
    m_origin = request.origin;
    m_profileId = request.profileId;
    m_health = ConnectionHealth::Connected;
    m_healthText.clear();
    setProfileName(request.profileName);
    if (!request.hub.isEmpty() && request.hub != m_hub) {
        m_hub = request.hub;
        Q_EMIT hubChanged(m_hub);
    }
    setState(State::Connected, request.origin);
    rebuildClient();
}

void ConsoleSession::setHealthCheckInterval(std::chrono::milliseconds interval)
{
    m_healthTimer.setInterval(interval);
    if (interval.count() > 0 && m_state == State::Connected)
        m_healthTimer.start();
    else
        m_healthTimer.stop();
}

void ConsoleSession::checkHealth()
{
    if (m_state != State::Connected || m_checkProbe)
        return;
    OpenRequest current;
    current.connection = m_connection;
    current.endpoint = m_endpoint;
    current.credential = m_credential;
    if (!current.connection && !current.credential)
        return;
    auto *probe = makeProbe(current, false);
    m_checkProbe = probe;
    const quint64 generation = m_connectionGeneration;
    connect(probe, &wps::service::ConnectionProbe::finished, this, [this, probe, generation] {
        probe->deleteLater();
        const wps::service::ProbeResult result = probe->result();
        if (result.cancelled || generation != m_connectionGeneration || m_state != State::Connected)
            return;
        setHealth(result.health, result.reason, true);
    });
    probe->start();
}

void ConsoleSession::setHealth(ConnectionHealth health, const QString &text, bool record)
{
    if (health == m_health && text == m_healthText)
        return;
    auto bad = [](ConnectionHealth h) {
        return h == ConnectionHealth::Unreachable || h == ConnectionHealth::Unauthorized ||
               h == ConnectionHealth::Misconfigured;
    };
    // A row for every turn to red and back to green; a first verification of a fresh connection is quiet.
    const bool worth = health != m_health && (bad(health) || bad(m_health));
    m_health = health;
    m_healthText = text;
    if (record && worth) {
        noteTrace(u"connection "_s + wps::service::healthName(health).toLower(),
                  text.isEmpty() ? tr("%1 answers again.").arg(m_origin) : text);
    }
    Q_EMIT healthChanged();
}

void ConsoleSession::noteTrace(const QString &type, const QString &detail, int status)
{
    wps::trace::TraceEvent event;
    event.timestampMs = QDateTime::currentMSecsSinceEpoch();
    event.kind = wps::trace::Kind::Lifecycle;
    event.direction = wps::trace::Direction::None;
    event.hub = m_hub;
    event.type = type;
    event.status = status;
    event.detail = detail;
    m_trace->append(event);
}

void ConsoleSession::watchClient()
{
    if (!m_client)
        return;
    // A later call that is refused or gets no answer re-probes at once, so a dropped network or a rotated
    // key turns the state red without waiting for the periodic check.
    connect(m_client, &wps::service::ServiceClient::traced, this,
            [this](const wps::service::HttpTrace &trace) {
                if (trace.phase != wps::service::HttpTrace::Phase::Response)
                    return;
                const bool refused = trace.status == 401 || trace.status == 403;
                const bool noAnswer = trace.status == 0 && !trace.error.isEmpty();
                const bool recovered = trace.status >= 200 && trace.status < 500 && !refused &&
                                       m_health != ConnectionHealth::Connected &&
                                       m_health != ConnectionHealth::Connecting;
                if ((!refused && !noAnswer && !recovered) || m_checkQueued)
                    return;
                m_checkQueued = true;
                QTimer::singleShot(0, this, [this] {
                    m_checkQueued = false;
                    checkHealth();
                });
            });
}

void ConsoleSession::updateHubDirectory()
{
    if (m_state != State::Connected) {
        m_hubDirectory->clear();
        return;
    }
    m_hubDirectory->setService(m_endpoint, m_connection ? m_connection->accessKey() : QString(), m_chain);
}

void ConsoleSession::setLiveTraceEnabled(bool enabled)
{
    if (enabled == m_liveTraceEnabled)
        return;
    m_liveTraceEnabled = enabled;
    restartLiveTrace();
}

void ConsoleSession::restartLiveTrace()
{
    m_liveTrace->stop();
    if (!m_liveTraceEnabled || m_state != State::Connected)
        return;
    if (m_connection)
        m_liveTrace->start(*m_connection);
    else if (m_credential)
        m_liveTrace->start(m_endpoint, m_credential.get());
}

wps::service::ServiceClient *ConsoleSession::createClient(const QString &hub, QObject *parent) const
{
    if (m_state != State::Connected)
        return nullptr;
    wps::service::ServiceClient *client = nullptr;
    if (m_connection)
        client = new wps::service::ServiceClient(*m_connection, hub, parent);
    else if (m_credential)
        client = new wps::service::ServiceClient(m_endpoint, hub, m_credential, parent);
    if (client)
        wps::trace::attach(client, m_trace);
    return client;
}

void ConsoleSession::rebuildClient()
{
    if (m_client)
        m_client->deleteLater(); // its running jobs go with it; panels drop results that are no longer theirs
    m_client = createClient(m_hub, this);
    watchClient();
    Q_EMIT clientChanged(m_client);
}

void ConsoleSession::clientAccess(const QString &hub, const wps::ClientTokenOptions &options,
                                  QObject *context, std::function<void(const AccessResult &)> done) const
{
    auto *client = createClient(hub, nullptr);
    if (!client) {
        wps::service::ServiceError error;
        error.kind = wps::service::ServiceError::Kind::InvalidInput;
        error.message = tr("Not connected to a Web PubSub service.");
        QMetaObject::invokeMethod(
            context, [done, error] { done(AccessResult::failure(error)); }, Qt::QueuedConnection);
        return;
    }
    if (m_connection) {
        AccessResult result = client->makeClientAccess(options);
        delete client;
        QMetaObject::invokeMethod(
            context, [done, result] { done(result); }, Qt::QueuedConnection);
        return;
    }
    wps::service::GenerateTokenOptions generate;
    generate.userId = options.userId;
    generate.roles = options.roles;
    generate.groups = options.groups;
    generate.minutesToExpire = static_cast<int>(options.lifetime.count());
    generate.clientType = options.protocol;
    auto *job = client->generateClientToken(generate);
    connect(job, &wps::service::ServiceJob::finished, context, [client, job, done] {
        if (job->hasError())
            done(AccessResult::failure(job->error()));
        else
            done(AccessResult(job->access()));
        client->deleteLater();
    });
    // If the context dies first the client (and its job) would leak: tie it to the context too.
    connect(context, &QObject::destroyed, client, &QObject::deleteLater);
}

void ConsoleSession::traceLiveClient(wps::live::LiveClient *client, const QString &hub)
{
    wps::trace::attach(client, m_trace, hub);
    Q_EMIT liveClientTraced(client, hub);
}

void ConsoleSession::openMqttClient(wps::live::MqttLiveClient *client, const QString &hub,
                                    const QString &userId)
{
    if (!client)
        return;
    if (!client->parent())
        client->setParent(this);
    wps::trace::attach(client, m_trace, hub, userId);
    Q_EMIT mqttClientAdded(client, hub);
    client->start();
}

void ConsoleSession::openLiveClient(wps::live::LiveClient *client, const QString &hub)
{
    if (!client)
        return;
    if (!client->parent())
        client->setParent(this);
    traceLiveClient(client, hub);
    Q_EMIT liveClientAdded(client, hub);
    client->start();
}

} // namespace wps::ui
