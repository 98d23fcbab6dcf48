#pragma once

#include "auth/credentialchain.h"
#include "common/expected.h"
#include "protocol/clienttoken.h"
#include "protocol/connectionstring.h"
#include "service/serviceerror.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

namespace wps::arm {
class HubDirectory;
}
namespace wps::live {
class LiveClient;
}
namespace wps::service {
class Credential;
class ServiceClient;
} // namespace wps::service
namespace wps::trace {
class LiveTraceClient;
class TraceStore;
} // namespace wps::trace

namespace wps::ui {

/// What one console window works on: the service connection (a connection string with its key, or an
/// endpoint with an Entra credential), the current hub and its REST client, and the trace every panel feeds.
/// Panels take a session and follow its signals instead of being handed clients one by one, so a panel added
/// later needs no new wiring in the window. Nothing here knows whether the service is the local emulator or
/// Azure: both are an endpoint and a credential (the one-code-path rule).
class ConsoleSession : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Connected, Failed };
    Q_ENUM(State)

    explicit ConsoleSession(QObject *parent = nullptr);
    ~ConsoleSession() override;

    /// Uses the service of \a connection (access key). \a origin says what it is for the user ("embedded
    /// emulator", a profile's name).
    void setConnection(const wps::ConnectionString &connection, const QString &origin);
    /// Uses the service at \a endpoint with \a credential (Entra ID, no key): REST with bearer tokens, client
    /// tokens through `:generateToken`. \a chain is the Entra chain behind \a credential, if any: the session
    /// takes it over (a previous chain is deleted) and the hub directory asks it for management tokens.
    void setCredentialConnection(const QUrl &endpoint,
                                 std::shared_ptr<const wps::service::Credential> credential,
                                 const QString &origin, wps::auth::CredentialChain *chain = nullptr);
    /// A connection is being set up (\a message says what happens); the previous client is dropped.
    void setConnecting(const QString &message);
    /// No service could be reached, and why; panels stay usable but have no client.
    void setConnectionError(const QString &message);

    State state() const { return m_state; }
    /// The last setConnecting / setConnectionError message, or the origin when connected.
    QString stateText() const { return m_stateText; }
    QString origin() const { return m_origin; }
    /// The service endpoint (http(s)://host[:port]); empty when not connected.
    QUrl endpoint() const;
    /// The connection string when the connection has an access key; empty for Entra connections.
    const std::optional<wps::ConnectionString> &connectionString() const { return m_connection; }
    std::shared_ptr<const wps::service::Credential> credential() const { return m_credential; }
    /// The Entra chain of an Entra connection (owned by the session); null for key connections.
    wps::auth::CredentialChain *credentialChain() const { return m_chain; }

    /// The ARM side of the connected service (its resource, hub settings and keys), following the
    /// connection. Its ARM calls are traced into traceStore() like REST calls.
    wps::arm::HubDirectory *hubDirectory() const { return m_hubDirectory; }

    /// The name of the profile in use, for the status bar and window title ("" when none).
    QString profileName() const { return m_profileName; }
    void setProfileName(const QString &name);

    /// The hub the panels work on (default "chat"). The caller validates the name (names::checkHub).
    QString hub() const { return m_hub; }
    void setHub(const QString &hub);

    /// The REST client of the current connection and hub, owned by the session and replaced (deleted later)
    /// when either changes -- hold it in a QPointer and follow clientChanged(). Null when not connected.
    wps::service::ServiceClient *client() const { return m_client; }
    /// A REST client for \a hub on the current connection, owned by \a parent, traced like client(). Null
    /// when not connected.
    wps::service::ServiceClient *createClient(const QString &hub, QObject *parent) const;

    using AccessResult = Expected<wps::ClientAccess, wps::service::ServiceError>;
    /// A client access URL for \a hub with \a options: signed locally with the key when there is one,
    /// otherwise through `:generateToken`. \a done runs once, on \a context's thread, unless \a context dies.
    void clientAccess(const QString &hub, const wps::ClientTokenOptions &options, QObject *context,
                      std::function<void(const AccessResult &)> done) const;

    /// The trace of this window: every REST call of every client the session made, every ARM call of the
    /// hub directory, and every frame of the live clients passed to traceLiveClient().
    wps::trace::TraceStore *traceStore() const { return m_trace; }
    /// Feeds \a client's frames (rows for \a hub) into the trace until the client is destroyed.
    void traceLiveClient(wps::live::LiveClient *client, const QString &hub) const;

    /// The service's own live trace (`{endpoint}/livetrace`) feeding the same trace store: what the service
    /// saw of every client, REST call and upstream delivery, not only the console's own. Started on each
    /// connection while enabled, stopped when the connection goes. Off by default (the window turns it on;
    /// a session in a test sees only what it did).
    wps::trace::LiveTraceClient *liveTrace() const { return m_liveTrace; }
    bool isLiveTraceEnabled() const { return m_liveTraceEnabled; }
    void setLiveTraceEnabled(bool enabled);

Q_SIGNALS:
    /// state(), stateText(), origin() or endpoint() changed.
    void connectionChanged();
    /// The REST client was replaced (connection or hub changed); \a client may be null.
    void clientChanged(wps::service::ServiceClient *client);
    void hubChanged(const QString &hub);
    void profileNameChanged(const QString &name);

private:
    void setState(State state, const QString &text);
    void rebuildClient();
    void restartLiveTrace();
    void updateHubDirectory();
    void setChain(wps::auth::CredentialChain *chain);

    State m_state = State::Idle;
    QString m_stateText;
    QString m_origin;
    QString m_profileName;
    QString m_hub;
    std::optional<wps::ConnectionString> m_connection;
    QUrl m_endpoint;
    std::shared_ptr<const wps::service::Credential> m_credential;
    QPointer<wps::auth::CredentialChain> m_chain;
    QPointer<wps::service::ServiceClient> m_client;
    wps::trace::TraceStore *m_trace = nullptr;
    wps::trace::LiveTraceClient *m_liveTrace = nullptr;
    wps::arm::HubDirectory *m_hubDirectory = nullptr;
    bool m_liveTraceEnabled = false;
};

} // namespace wps::ui
