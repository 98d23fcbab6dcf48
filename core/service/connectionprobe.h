#pragma once

#include "service/credential.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <chrono>
#include <memory>

namespace wps::service {

class ServiceClient;
class ServiceJob;

/// What the console knows about a service connection, verified by a probe (never assumed).
enum class ConnectionHealth {
    Unknown,      ///< nothing checked yet (no connection)
    Connecting,   ///< a probe is running
    Connected,    ///< health answered 200 and an authenticated read was accepted
    Unreachable,  ///< no HTTP answer: refused, DNS, TLS, timeout (the network error says which)
    Unauthorized, ///< the service answered 401/403 to the authenticated read (with its message)
    Misconfigured ///< the connection cannot work as configured: bad connection string, not a Web PubSub
                  ///< endpoint, no credential
};

/// "Connected", "Unreachable", ... for the status bar and logs.
QString healthName(ConnectionHealth health);

/// The answer of one probe.
struct ProbeResult
{
    ConnectionHealth health = ConnectionHealth::Unknown;
    /// One line a user understands: the network error, the service's 401 message, what is misconfigured.
    QString reason;
    int healthStatus = 0; ///< HTTP status of `HEAD /api/health`, 0 when none came
    int readStatus = 0;   ///< HTTP status of the authenticated read, 0 when none came
    QString requestId;    ///< `x-ms-request-id` of the authenticated read when the service sent one
    bool cancelled = false;
};

struct ProbeOptions
{
    /// Per request. A refused connection fails at once (no retry); this bounds a silent network.
    std::chrono::milliseconds timeout{10000};
    /// The hub the authenticated read goes to.
    QString hub = QStringLiteral("chat");
};

/// Checks a service connection the way the console is about to use it: `HEAD /api/health` (is it there, is
/// it a Web PubSub endpoint), then one cheap authenticated read on the hub (listing the connections of a
/// group no one uses, one member at most) with the same credential the console will use, so a wrong key, an
/// expired Entra token or a missing role shows as Unauthorized with the service's message. No retries: a
/// refused connection answers in milliseconds. QtCore/Network only, so tests need no widgets.
class ConnectionProbe : public QObject
{
    Q_OBJECT
public:
    ConnectionProbe(QUrl endpoint, std::shared_ptr<const Credential> credential, ProbeOptions options = {},
                    QObject *parent = nullptr);
    ~ConnectionProbe() override;

    /// The probe's REST client (owned by the probe): attach a trace to it before start().
    ServiceClient *client() const { return m_client; }

    /// Starts the probe; finished() follows exactly once (never from inside start()).
    void start();
    /// Stops a running probe: finished() follows with result().cancelled set.
    void cancel();
    bool isRunning() const { return m_running; }
    const ProbeResult &result() const { return m_result; }

    /// A probe result for a connection that could not even be built (bad connection string, no credential).
    static ProbeResult misconfigured(const QString &reason);

Q_SIGNALS:
    void finished();

private:
    void onHealth();
    void onRead();
    void finish(ProbeResult result);

    ServiceClient *m_client = nullptr;
    QPointer<ServiceJob> m_job;
    ProbeOptions m_options;
    ProbeResult m_result;
    bool m_running = false;
    bool m_done = false;
};

} // namespace wps::service
