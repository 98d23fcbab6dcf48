#include "session/consolesession.h"

#include "arm/hubdirectory.h"
#include "auth/credentialchain.h"
#include "live/liveclient.h"
#include "service/credential.h"
#include "service/serviceclient.h"
#include "service/servicejob.h"
#include "trace/livetrace.h"
#include "trace/traceadapters.h"
#include "trace/tracestore.h"

using namespace Qt::Literals::StringLiterals;

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
}

ConsoleSession::~ConsoleSession() = default;

void ConsoleSession::setConnection(const wps::ConnectionString &connection, const QString &origin)
{
    m_connection = connection;
    m_endpoint = connection.endpoint();
    m_credential.reset();
    setChain(nullptr);
    m_origin = origin;
    setState(State::Connected, origin);
    rebuildClient();
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
    setState(State::Connected, origin);
    rebuildClient();
}

void ConsoleSession::setConnecting(const QString &message)
{
    m_connection.reset();
    m_endpoint.clear();
    m_credential.reset();
    setChain(nullptr);
    setState(State::Connecting, message);
    rebuildClient();
}

void ConsoleSession::setConnectionError(const QString &message)
{
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
    restartLiveTrace();
    updateHubDirectory();
    Q_EMIT connectionChanged();
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

void ConsoleSession::traceLiveClient(wps::live::LiveClient *client, const QString &hub) const
{
    wps::trace::attach(client, m_trace, hub);
}

} // namespace wps::ui
