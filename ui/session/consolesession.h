#pragma once

#include "auth/credentialchain.h"
#include "common/expected.h"
#include "protocol/clienttoken.h"
#include "protocol/connectionstring.h"
#include "service/connectionprobe.h"
#include "service/serviceclient.h" // complete: client() converts the QPointer
#include "service/serviceerror.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace wps::arm {
class HubDirectory;
}
namespace wps::live {
class LiveClient;
class MqttLiveClient;
} // namespace wps::live
namespace wps::service {
class ConnectionProbe;
class Credential;
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

    /// What open() is asked to connect to: a connection string (access key), or an endpoint with a credential
    /// (Entra ID). \a origin says what it is for the user ("local emulator", a profile's name); \a
    /// profileName and \a profileId name the profile (empty for none); \a hub, when set, becomes the
    /// session's hub once the connection is taken.
    struct OpenRequest
    {
        std::optional<wps::ConnectionString> connection;
        QUrl endpoint;
        std::shared_ptr<const wps::service::Credential> credential;
        QString origin;
        QString profileName;
        QString profileId;
        QString hub;
        /// The Entra chain behind \a credential, if any: the session takes it over once the connection is
        /// taken (see setCredentialConnection()); the caller keeps it when the open fails.
        QPointer<wps::auth::CredentialChain> chain;
    };

    /// Probes the connection of \a request (health, then one authenticated read, traced) before saying
    /// anything, and only takes it when the service answered: then the connection, profile and hub are
    /// replaced and health() is Connected. On failure the session keeps what it had (a working connection
    /// stays usable) and lastOpenHealth()/lastOpenError() say what failed; with nothing to keep, state() is
    /// Failed and health() the failure. openFinished() follows in every case. A newer open() or
    /// cancelOpen() replaces a running one.
    void open(const OpenRequest &request);
    /// An open that could not even start (no stored key, a bad connection string, no Entra token): reported
    /// like a failed probe, keeping the current connection. \a what names what was being opened.
    void failOpen(const QString &what, wps::service::ConnectionHealth health, const QString &reason);
    /// Something is being prepared for open() (the local emulator starting, a profile's secret being read):
    /// isOpening() turns true and the status says \a message, the current connection stays.
    void beginOpen(const QString &message);
    /// Stops a running open (its probe is cancelled): the session stays on what it had.
    void cancelOpen();
    bool isOpening() const { return m_opening; }
    QString openingText() const { return m_openingText; }
    /// How the last open() ended: Connected, or the failure (Unknown before any open).
    wps::service::ConnectionHealth lastOpenHealth() const { return m_lastOpenHealth; }
    /// The last failed open's reason (empty after a successful open).
    QString lastOpenError() const { return m_lastOpenError; }

    /// The verified health of the current connection: Connecting while a probe runs, Connected when the
    /// service answered the last probe, Unreachable / Unauthorized / Misconfigured when it did not. It
    /// follows reality after the open: a periodic cheap probe, and an immediate one when a call of the
    /// session's client fails with 401/403 or without an HTTP answer.
    wps::service::ConnectionHealth health() const { return m_health; }
    /// The reason of a bad health (the network error, the service's 401 message); empty when Connected.
    QString healthText() const { return m_healthText; }
    /// Probes the current connection now (untraced unless it fails; a change of health is a trace row).
    void checkHealth();
    /// How often the connection is re-probed while connected (default 30 s; 0 = never).
    void setHealthCheckInterval(std::chrono::milliseconds interval);
    /// Options of every probe (timeout); the hub is always the session's.
    void setProbeOptions(const wps::service::ProbeOptions &options) { m_probeOptions = options; }
    /// The profile id given to the last successful open() ("" when none).
    QString profileId() const { return m_profileId; }

    /// Uses the service of \a connection (access key). \a origin says what it is for the user ("embedded
    /// emulator", a profile's name).
    /// Takes \a connection at once, without the probe open() makes (tests, callers that already probed);
    /// health() is Connecting until a check, started at once, answers.
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
    /// Feeds \a client's frames (rows for \a hub) into the trace until the client is destroyed, and says so
    /// (liveClientTraced()): every live client of the console comes through here.
    void traceLiveClient(wps::live::LiveClient *client, const QString &hub);
    /// Hands \a client (not started) to whoever lists the session's live clients (liveClientAdded()), traces
    /// it for \a hub and starts it: "Connect with this URL" uses it so the customer's own URL becomes one
    /// more live client, in the Live clients dock and the trace. The session parents it when nobody else
    /// does.
    void openLiveClient(wps::live::LiveClient *client, const QString &hub);
    /// The same for an MQTT client (not started) of \a userId: traced, announced (mqttClientAdded(): the
    /// Live clients panel's MQTT list shows it) and started.
    void openMqttClient(wps::live::MqttLiveClient *client, const QString &hub, const QString &userId);

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
    /// health(), healthText(), isOpening() or the last open's outcome changed.
    void healthChanged();
    /// An open() (or failOpen()) ended: \a ok when the connection was taken, else \a message says why (or
    /// that it was cancelled).
    void openFinished(bool ok, const QString &message);
    /// A live client was started on behalf of the session (openLiveClient()): the Live clients panel lists
    /// it.
    void liveClientAdded(wps::live::LiveClient *client, const QString &hub);
    /// \a client, one of the console's own live clients, is traced for \a hub (traceLiveClient()): the
    /// Permissions panel lists its token's roles.
    void liveClientTraced(wps::live::LiveClient *client, const QString &hub);
    /// An MQTT client was started on behalf of the session (openMqttClient()).
    void mqttClientAdded(wps::live::MqttLiveClient *client, const QString &hub);

private:
    void setState(State state, const QString &text);
    void commitConnection(const OpenRequest &request);
    void finishOpen(const OpenRequest &request, const wps::service::ProbeResult &result);
    void setHealth(wps::service::ConnectionHealth health, const QString &text, bool record);
    void noteTrace(const QString &type, const QString &detail, int status = 0);
    wps::service::ConnectionProbe *makeProbe(const OpenRequest &request, bool traced);
    void watchClient();
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

    QString m_profileId;
    wps::service::ConnectionHealth m_health = wps::service::ConnectionHealth::Unknown;
    QString m_healthText;
    bool m_opening = false;
    QString m_openingText;
    quint64 m_openGeneration = 0;
    QPointer<wps::service::ConnectionProbe> m_openProbe;
    wps::service::ConnectionHealth m_lastOpenHealth = wps::service::ConnectionHealth::Unknown;
    QString m_lastOpenError;
    QPointer<wps::service::ConnectionProbe> m_checkProbe;
    wps::service::ProbeOptions m_probeOptions;
    QTimer m_healthTimer;
    bool m_checkQueued = false;
    quint64 m_connectionGeneration = 0;
};

} // namespace wps::ui
