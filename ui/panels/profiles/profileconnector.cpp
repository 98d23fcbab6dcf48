#include "panels/profiles/profileconnector.h"

#include "auth/credentialchain.h"
#include "auth/entracredential.h"
#include "auth/tokencredential.h"
#include "profiles/profilestore.h"
#include "protocol/names.h"
#include "service/connectionprobe.h"
#include "service/credential.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "session/localservice.h"

#include <QLoggingCategory>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcProfileConnector, "wps.ui.profiles")

namespace wps::ui {

namespace {

using wps::profiles::AuthKind;
using wps::profiles::Profile;
using ResolveResult = ProfileConnector::ResolveResult;

ResolveResult fromConnection(const wps::ConnectionString &connection)
{
    ResolvedConnection resolved;
    resolved.endpoint = connection.endpoint();
    resolved.connection = connection;
    resolved.credential = std::make_shared<wps::service::AccessKeyCredential>(connection.accessKey());
    return resolved;
}

/// The connection string of an endpoint and key; the key never appears in the error.
ResolveResult fromKey(const QUrl &endpoint, const QString &key)
{
    const QString text = u"Endpoint="_s + endpoint.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash) +
                         u";AccessKey="_s + key + u";Version=1.0;"_s;
    auto parsed = wps::ConnectionString::parse(text);
    if (!parsed)
        return ResolveResult::failure(ProfileConnector::tr("The profile's endpoint or key is not usable."));
    return fromConnection(*parsed);
}

QString secretErrorText(const wps::profiles::ProfileError &error)
{
    if (error.kind == wps::profiles::ProfileErrorKind::Secret &&
        error.secretKind == wps::secrets::SecretErrorKind::Unavailable) {
        // Plain words for the user; the backend's own message (D-Bus names and paths) goes to the log.
        qCInfo(lcProfileConnector) << "keychain unavailable:" << error.message;
        return ProfileConnector::tr(
            "No keychain is available on this computer to read this profile's secret. "
            "Keep secrets for this session only and enter the key again.");
    }
    if (error.kind == wps::profiles::ProfileErrorKind::Secret &&
        error.secretKind == wps::secrets::SecretErrorKind::NotFound) {
        return ProfileConnector::tr("This profile has no stored key: edit the profile and enter it.");
    }
    return error.message;
}

} // namespace

ProfileConnector::ProfileConnector(wps::profiles::ProfileStore *store, LocalService *local, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_local(local)
{
}

ProfileConnector::~ProfileConnector() = default;

void ProfileConnector::setAuthEnvironment(const wps::auth::AuthEnvironment &environment)
{
    m_environment = environment;
}

void ProfileConnector::open(const QString &profileId, ConsoleSession *session)
{
    if (!session)
        return;
    const std::optional<Profile> profile = m_store ? m_store->profile(profileId) : std::nullopt;
    if (!profile) {
        session->failOpen(tr("The profile"), wps::service::ConnectionHealth::Misconfigured,
                          tr("There is no profile with this id."));
        Q_EMIT opened(profileId, session->lastOpenError());
        return;
    }
    // The session keeps what it has until the profile's service answered (ConsoleSession::open()).
    session->beginOpen(tr("Connecting to profile \"%1\"…").arg(profile->name));
    const quint64 attempt = ++m_attempt;
    m_attempts.insert(session, attempt);

    QPointer<ConsoleSession> guard(session);
    resolve(*profile, {}, session, [this, guard, profile, attempt](const ResolveResult &result) {
        if (!guard || m_attempts.value(guard) != attempt)
            return;
        if (!guard->isOpening()) {
            // Cancelled while the secret was read or the emulator started.
            if (result && result->chain)
                result->chain->deleteLater();
            Q_EMIT opened(profile->id, guard->lastOpenError());
            return;
        }
        if (!result) {
            qCInfo(lcProfileConnector) << "profile" << profile->id << "failed to open";
            guard->failOpen(tr("Profile \"%1\"").arg(profile->name),
                            wps::service::ConnectionHealth::Misconfigured, result.error());
            Q_EMIT opened(profile->id, guard->lastOpenError());
            return;
        }
        const ResolvedConnection resolved = *result;
        ConsoleSession::OpenRequest request;
        request.connection = resolved.connection;
        request.endpoint = resolved.endpoint;
        request.credential = resolved.credential;
        request.origin = profile->name;
        request.profileName = profile->name;
        request.profileId = profile->id;
        request.chain = resolved.chain; // the session takes it over once the probe passed
        if (!profile->hubs.isEmpty() && wps::names::checkHub(profile->hubs.constLast()).isEmpty())
            request.hub = profile->hubs.constLast();
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = connect(guard, &ConsoleSession::openFinished, this,
                              [this, guard, profile, resolved, connection](bool ok, const QString &message) {
                                  disconnect(*connection);
                                  if (!guard)
                                      return;
                                  if (!ok) {
                                      if (resolved.chain)
                                          resolved.chain->deleteLater();
                                      qCInfo(lcProfileConnector)
                                          << "profile" << profile->id << "failed to open";
                                      Q_EMIT opened(profile->id, message);
                                      return;
                                  }
                                  rememberHubs(profile->id, guard);
                                  qCInfo(lcProfileConnector) << "profile" << profile->id << "opened";
                                  Q_EMIT opened(profile->id, QString());
                              });
        guard->open(request);
    });
}

LocalService *ProfileConnector::localService() const
{
    return m_local;
}

QUrl ProfileConnector::localEndpoint() const
{
    if (m_local && m_local->status() == LocalService::Status::Running && m_local->connectionString())
        return m_local->connectionString()->endpoint();
    return {};
}

void ProfileConnector::rememberHubs(const QString &profileId, ConsoleSession *session)
{
    // One connection per session: replaced whenever a profile is opened in it again.
    const QString property = u"wpsProfileHubConnection"_s;
    const QVariant old = session->property(property.toUtf8().constData());
    if (old.canConvert<QMetaObject::Connection>())
        disconnect(old.value<QMetaObject::Connection>());
    const QPointer<wps::profiles::ProfileStore> store = m_store;
    const auto remember = [store, profileId](const QString &hub) {
        if (!store || hub.isEmpty())
            return;
        std::optional<Profile> p = store->profile(profileId);
        if (!p || (!p->hubs.isEmpty() && p->hubs.constLast() == hub))
            return;
        p->hubs.removeAll(hub);
        p->hubs.append(hub);
        store->update(*p);
    };
    remember(session->hub());
    const QMetaObject::Connection c = connect(session, &ConsoleSession::hubChanged, this, remember);
    session->setProperty(property.toUtf8().constData(), QVariant::fromValue(c));
}

void ProfileConnector::resolve(const Profile &profile, const QString &secret, QObject *context,
                               std::function<void(const ResolveResult &)> done)
{
    QPointer<QObject> ctx(context);
    auto deliver = [ctx, done](const ResolveResult &result) {
        if (ctx)
            done(result);
    };

    switch (profile.auth) {
    case AuthKind::LocalEmulator:
        resolveLocal(context, deliver);
        return;
    case AuthKind::AccessKey:
    case AuthKind::ConnectionString:
        resolveKey(profile, secret, context, deliver);
        return;
    case AuthKind::EntraId: {
        if (!secret.isEmpty() || !m_store || profile.id.isEmpty()) {
            resolveEntra(profile, secret, context, deliver);
            return;
        }
        m_store->secret(profile.id, wps::secrets::SecretKind::ClientSecret, context,
                        [this, profile, context, deliver](const wps::profiles::ProfileSecret &value) {
                            if (!value &&
                                value.error().secretKind != wps::secrets::SecretErrorKind::NotFound) {
                                deliver(ResolveResult::failure(secretErrorText(value.error())));
                                return;
                            }
                            resolveEntra(profile, value ? *value : QString(), context, deliver);
                        });
        return;
    }
    }
}

void ProfileConnector::resolveLocal(QObject *context, std::function<void(const ResolveResult &)> deliver)
{
    if (!m_local) {
        QTimer::singleShot(0, context, [deliver] {
            deliver(ResolveResult::failure(tr("This window has no local emulator to start.")));
        });
        return;
    }
    if (m_local->status() == LocalService::Status::Running && m_local->connectionString()) {
        const auto connection = *m_local->connectionString();
        QTimer::singleShot(0, context, [deliver, connection] { deliver(fromConnection(connection)); });
        return;
    }
    auto connections = std::make_shared<QList<QMetaObject::Connection>>();
    auto finish = [connections, deliver](const ResolveResult &result) {
        for (const auto &c : std::as_const(*connections))
            QObject::disconnect(c);
        connections->clear();
        deliver(result);
    };
    connections->append(connect(m_local, &LocalService::started, context,
                                [finish](const wps::ConnectionString &c) { finish(fromConnection(c)); }));
    connections->append(connect(m_local, &LocalService::failed, context, [finish](const QString &error) {
        finish(ResolveResult::failure(tr("The local emulator did not start: %1").arg(error)));
    }));
    m_local->ensureStarted();
}

void ProfileConnector::resolveKey(const Profile &profile, const QString &secret, QObject *context,
                                  std::function<void(const ResolveResult &)> deliver)
{
    const bool wholeString = profile.auth == AuthKind::ConnectionString;
    auto use = [deliver, wholeString, endpoint = profile.endpoint](const QString &value) {
        if (wholeString && value.contains(u'=')) {
            auto parsed = wps::ConnectionString::parse(value);
            if (!parsed)
                deliver(ResolveResult::failure(parsed.error()));
            else
                deliver(fromConnection(*parsed));
            return;
        }
        deliver(fromKey(endpoint, value));
    };
    if (!secret.isEmpty()) {
        QTimer::singleShot(0, context, [use, secret] { use(secret); });
        return;
    }
    if (!m_store || profile.id.isEmpty()) {
        QTimer::singleShot(0, context, [deliver] {
            deliver(ResolveResult::failure(tr("Enter the access key to connect.")));
        });
        return;
    }
    m_store->secret(profile.id, wps::secrets::SecretKind::AccessKey, context,
                    [use, deliver](const wps::profiles::ProfileSecret &value) {
                        if (!value)
                            deliver(ResolveResult::failure(secretErrorText(value.error())));
                        else
                            use(*value);
                    });
}

void ProfileConnector::resolveEntra(const Profile &profile, const QString &clientSecret, QObject *context,
                                    std::function<void(const ResolveResult &)> done)
{
    wps::auth::AuthEnvironment env =
        m_environment ? *m_environment : wps::auth::AuthEnvironment::fromProcess();
    if (!profile.tenantId.isEmpty())
        env.tenantId = profile.tenantId;
    if (!profile.clientId.isEmpty())
        env.clientId = profile.clientId;
    if (!clientSecret.isEmpty())
        env.clientSecret = clientSecret;
    auto created = wps::auth::CredentialChain::create(env, {}, context);
    if (!created) {
        const QString error = tr("Entra ID is not usable: %1").arg(created.error());
        QTimer::singleShot(0, context, [done, error] { done(ResolveResult::failure(error)); });
        return;
    }
    wps::auth::CredentialChain *chain = *created;
    wps::auth::TokenRequest *request = chain->getToken(QString::fromUtf16(wps::auth::DataPlaneScope));
    const QUrl endpoint = profile.endpoint;
    connect(request, &wps::auth::TokenRequest::finished, context, [request, chain, endpoint, done] {
        const wps::auth::TokenResult result = request->result();
        request->deleteLater();
        if (!result.ok()) {
            chain->deleteLater();
            done(ResolveResult::failure(tr("No Entra ID token: %1").arg(result.reason)));
            return;
        }
        chain->setAutoRefresh(true);
        ResolvedConnection resolved;
        resolved.endpoint = endpoint;
        resolved.credential = std::make_shared<wps::auth::EntraCredential>(chain);
        resolved.chain = chain;
        done(resolved);
    });
}

} // namespace wps::ui
