#pragma once

#include "auth/authenvironment.h"
#include "auth/credentialchain.h"
#include "common/expected.h"
#include "profiles/profile.h"
#include "protocol/connectionstring.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

namespace wps::profiles {
class ProfileStore;
}
namespace wps::service {
class Credential;
}

namespace wps::ui {

class ConsoleSession;
class LocalService;

/// Where a profile leads: an endpoint and a credential, resolved from the profile and its secret. The
/// emulator, an access-key service and an Entra ID service all end up as this one shape (one code path).
struct ResolvedConnection
{
    QUrl endpoint;
    /// Set for key-based profiles (access key, connection string, local emulator).
    std::optional<wps::ConnectionString> connection;
    /// Always set: an AccessKeyCredential or an auth::EntraCredential for the data-plane scope.
    std::shared_ptr<const wps::service::Credential> credential;
    /// Entra ID only: the chain behind credential (owned by the connector's caller, see resolve()).
    QPointer<wps::auth::CredentialChain> chain;
};

/// Opens connection profiles in a ConsoleSession: resolves a profile's endpoint and credential (starting the
/// local emulator, reading a key from the SecretStore, or getting a first Entra ID token), then hands the
/// session the connection -- or a clear error. The window calls open() for `--profile` and the Profiles
/// panel's Open; the panel's "Test connection" uses resolve() for a profile that may not be saved yet.
class ProfileConnector : public QObject
{
    Q_OBJECT
public:
    /// \a store and \a local must outlive the connector; \a local may be null (LocalEmulator then fails).
    ProfileConnector(wps::profiles::ProfileStore *store, LocalService *local, QObject *parent = nullptr);
    ~ProfileConnector() override;

    /// Opens profile \a profileId in \a session: beginOpen() at once, then the resolved connection goes to
    /// ConsoleSession::open(), which probes it and takes it only when the service answered (with the
    /// profile's name and last hub); a failure (no key, unreachable, 401) keeps the session's current
    /// connection. From then on the hubs the session switches to are remembered in the profile.
    void open(const QString &profileId, ConsoleSession *session);
    /// The running local emulator's endpoint (its real port), empty while it is not running.
    QUrl localEndpoint() const;
    LocalService *localService() const;

    using ResolveResult = Expected<ResolvedConnection, QString>;
    /// Resolves \a profile (saved or not). \a secret, when not empty, is used instead of the stored secret
    /// (access key; a whole connection string for ConnectionString profiles; the client secret for Entra
    /// ID). An Entra chain is parented to \a context. \a done runs once unless \a context dies.
    void resolve(const wps::profiles::Profile &profile, const QString &secret, QObject *context,
                 std::function<void(const ResolveResult &)> done);

    /// The environment Entra ID profiles start from (default: the process environment); the profile's
    /// tenant and client ids are written over it. Tests point the authority at a loopback token endpoint.
    void setAuthEnvironment(const wps::auth::AuthEnvironment &environment);

Q_SIGNALS:
    /// open() finished for \a profileId; \a error is empty on success.
    void opened(const QString &profileId, const QString &error);

private:
    /// The built-in profile: the running local emulator's connection, starting it first if it is not running.
    void resolveLocal(QObject *context, std::function<void(const ResolveResult &)> deliver);
    /// Access-key and connection-string profiles: \a secret when typed, else the key in the secret store.
    void resolveKey(const wps::profiles::Profile &profile, const QString &secret, QObject *context,
                    std::function<void(const ResolveResult &)> deliver);
    void resolveEntra(const wps::profiles::Profile &profile, const QString &clientSecret, QObject *context,
                      std::function<void(const ResolveResult &)> done);
    void rememberHubs(const QString &profileId, ConsoleSession *session);

    QPointer<wps::profiles::ProfileStore> m_store;
    QPointer<LocalService> m_local;
    std::optional<wps::auth::AuthEnvironment> m_environment;
    quint64 m_attempt = 0;
    QHash<QObject *, quint64> m_attempts; ///< the latest open() per session: older answers are dropped
};

} // namespace wps::ui
