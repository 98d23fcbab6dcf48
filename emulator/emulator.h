#pragma once

#include "common/expected.h"
#include "emulator/clientsession.h"
#include "emulator/config.h"
#include "emulator/httpserver.h"
#include "emulator/hubstate.h"
#include "emulator/upstream/upstreamclient.h"
#include "protocol/connectionstring.h"

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

class QThread;

namespace wps::emulator {

class ArmApi;
class DemoRoutes;
class ClientEndpoint;
class LiveTraceHub;
class MqttEndpoint;
class RestApi;
class UpstreamEventHandler;

/// How to run an emulator. Loopback by default: the emulator is a development tool with a known key.
struct EmulatorOptions
{
    QHostAddress host = QHostAddress::LocalHost;
    quint16 port = 0;     ///< 0 picks a free port
    QString accessKey;    ///< empty: a random key is made at start()
    QString secondaryKey; ///< optional second key tokens may be signed with
    EmulatorConfig config;
    HttpLimits limits;   ///< body/header sizes and timeouts (tests shrink the timeouts)
    ClientLimits client; ///< WebSocket message size, outbound queues, reliable buffer and recovery window
    UpstreamOptions upstream; ///< timeouts and retries of event handlers; keys and origin are set by start()
    /// Serve the demo routes under /demo (docs/demo.md): the chat page, a negotiate endpoint that hands
    /// client URLs to anyone who asks, and an echo event handler. Unset: on when bound to loopback only.
    std::optional<bool> demo;
};

/// The local Web PubSub service: REST API and the client WebSocket endpoint on one port.
/// Lives on one thread; use EmbeddedEmulator to keep it off a GUI thread.
class Emulator : public QObject
{
    Q_OBJECT
public:
    explicit Emulator(EmulatorOptions options, QObject *parent = nullptr);
    ~Emulator() override;

    /// Listens; the bound port, or why not (e.g. the port is taken).
    Expected<quint16, QString> start();
    void stop();
    quint16 port() const;
    /// `Endpoint=http://HOST:PORT;AccessKey=KEY;Version=1.0;` once started. Contains the key.
    ConnectionString connectionString() const;
    QString accessKey() const { return m_options.accessKey; }
    const EmulatorConfig &config() const { return m_options.config; }

    /// The hubs' state: the WebSocket endpoint registers connections here, tests plug in sinks to see what
    /// REST delivered.
    HubRegistry &hubs() { return m_hubs; }
    /// The client WebSocket endpoint; null until start().
    ClientEndpoint *clientEndpoint() const { return m_client; }
    MqttEndpoint *mqttEndpoint() const { return m_mqtt; }
    /// The live trace hub at /livetrace (null before start()).
    LiveTraceHub *liveTrace() const { return m_liveTrace; }
    /// Delivery to the hubs' event handlers; null until start().
    UpstreamClient *upstream() const { return m_upstream; }

    /// A random access key: 43 base64url characters (never ';').
    static QString randomAccessKey();

private:
    /// Primary, then secondary (when set): what tokens and ce-signature may be made with.
    QList<QByteArray> currentKeys() const;
    /// Gives the upstream client the keys after ARM regenerated one.
    void refreshUpstreamKeys();
    /// Creates what start() serves once it listens: the client and MQTT endpoints, live trace, upstream
    /// delivery with its event handler, and the demo routes.
    void createServices();
    /// Routes the HTTP server's requests and upgrades to the services (REST, ARM, demo, WebSockets).
    void installRoutes();

    EmulatorOptions m_options;
    HubRegistry m_hubs;
    HttpServer *m_http = nullptr;
    ClientEndpoint *m_client = nullptr;
    MqttEndpoint *m_mqtt = nullptr; ///< /clients/mqtt/hubs/{hub}
    LiveTraceHub *m_liveTrace = nullptr;
    std::unique_ptr<RestApi> m_rest;
    std::unique_ptr<ArmApi> m_arm;      ///< ARM paths for the Hubs panel (docs/arm.md)
    std::unique_ptr<DemoRoutes> m_demo; ///< /demo routes; null when off (docs/demo.md)
    UpstreamClient *m_upstream = nullptr;
    std::unique_ptr<UpstreamEventHandler> m_events;
};

/// Runs an Emulator on its own QThread held by RAII, so the console's GUI thread never serves traffic.
class EmbeddedEmulator : public QObject
{
    Q_OBJECT
public:
    explicit EmbeddedEmulator(QObject *parent = nullptr);
    /// Stops the emulator and joins its thread.
    ~EmbeddedEmulator() override;

    /// Starts asynchronously; started() or failed() follows. Call once.
    void start(EmulatorOptions options);
    /// Valid after started().
    ConnectionString connectionString() const { return m_connection; }

Q_SIGNALS:
    void started(const wps::ConnectionString &connection);
    void failed(const QString &error);

private:
    QThread *m_thread = nullptr;
    Emulator *m_emulator = nullptr;
    ConnectionString m_connection;
};

} // namespace wps::emulator
