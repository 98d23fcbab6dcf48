#include "emulator/emulator.h"

#include "emulator/armapi.h"
#include "emulator/clientendpoint.h"
#include "emulator/demo/demoroutes.h"
#include "emulator/hostguard.h"
#include "emulator/livetrace.h"
#include "emulator/mqttendpoint.h"
#include "emulator/restapi.h"
#include "emulator/upstreamevents.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QThread>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcEmulator, "wps.emulator")

namespace wps::emulator {

Emulator::Emulator(EmulatorOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    m_rest = std::make_unique<RestApi>(m_hubs, [this] { return currentKeys(); });
    if (m_options.config.entraId) {
        if (auto entra = EntraValidator::create(*m_options.config.entraId))
            m_rest->setEntraValidator(*entra);
    }
    m_arm = std::make_unique<ArmApi>(
        m_options.config, ArmHooks{[this] { return qMakePair(m_options.accessKey, m_options.secondaryKey); },
                                   [this](bool primary) {
                                       (primary ? m_options.accessKey : m_options.secondaryKey) =
                                           randomAccessKey();
                                       refreshUpstreamKeys();
                                   }});
}

Emulator::~Emulator()
{
    stop();
}

QString Emulator::randomAccessKey()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

Expected<quint16, QString> Emulator::start()
{
    using R = Expected<quint16, QString>;
    if (m_http)
        return m_http->port();
    if (m_options.accessKey.isEmpty())
        m_options.accessKey = randomAccessKey();
    if (m_options.accessKey.contains(u';') || m_options.secondaryKey.contains(u';'))
        return R::failure(tr("An access key must not contain ';'."));

    // The output budget of every WebSocket on this thread (docs/emulator.md "Limits").
    ws::OutputBudget::current().setLimit(m_options.client.processOutputBytes);
    auto *http = new HttpServer(this);
    http->setLimits(m_options.limits);
    QString error;
    if (!http->listen(m_options.host, m_options.port, &error)) {
        delete http;
        return R::failure(tr("Cannot listen on %1 port %2: %3")
                              .arg(m_options.host.toString(), QString::number(m_options.port), error));
    }
    m_http = http;
    createServices();
    installRoutes();
    qCInfo(lcEmulator).noquote() << "listening on" << connectionString().endpoint().toString();
    return m_http->port();
}

void Emulator::createServices()
{
    m_client = new ClientEndpoint(
        m_hubs, [this] { return currentKeys(); }, m_options.config, m_options.client, this);
    m_mqtt = new MqttEndpoint(
        m_hubs, [this] { return currentKeys(); }, m_options.config, m_options.client, this);
    m_liveTrace = new LiveTraceHub([this] { return currentKeys(); }, this);
    m_client->setLiveTrace(m_liveTrace);
    m_mqtt->setLiveTrace(m_liveTrace);
    UpstreamOptions upstream = m_options.upstream;
    upstream.accessKeys = currentKeys();
    upstream.origin = connectionString().endpoint().authority();
    m_upstream = new UpstreamClient(upstream, this);
    // Every delivery attempt to an event handler, in the service's live trace (one check when nobody
    // listens).
    connect(m_upstream, &UpstreamClient::exchangeFinished, m_liveTrace, [this](const UpstreamExchange &e) {
        if (m_liveTrace->isActive())
            m_liveTrace->upstreamRequest(e);
    });
    m_events = std::make_unique<UpstreamEventHandler>(*m_upstream, m_options.config);
    m_client->setEventHandler(m_events.get());
    m_mqtt->setEventHandler(m_events.get());
    if (m_options.demo.value_or(m_options.host.isLoopback()))
        m_demo = std::make_unique<DemoRoutes>([this] { return currentKeys(); });
}

void Emulator::installRoutes()
{
    const QByteArray fallbackHost = connectionString().endpoint().authority().toUtf8();
    // Bound to loopback: the demo routes and the client endpoint answer only the emulator's own loopback
    // names (a DNS-rebinding guard; docs/emulator.md).
    const HostGuard hostGuard(m_options.host);
    m_client->setHostGuard(hostGuard);
    m_http->setHandler([this, fallbackHost, hostGuard](const HttpRequest &request) {
        if (request.path == "/api" || request.path.startsWith("/api/")) {
            if (m_liveTrace->isActive())
                return m_liveTrace->traceRest(request, [&] { return m_rest->handle(request, fallbackHost); });
            return m_rest->handle(request, fallbackHost);
        }
        if (ArmApi::handles(request.path))
            return m_arm->handle(request, fallbackHost);
        if (m_demo && DemoRoutes::handles(request.path)) {
            if (!hostGuard.allows(request.header("host")))
                return HttpResponse::json(
                    403, QJsonObject{{u"code"_s, u"Error.Forbidden"_s},
                                     {u"message"_s, hostGuard.refusal(request.header("host"))}});
            return m_demo->handle(request, fallbackHost);
        }
        return HttpResponse::json(404, QJsonObject{{u"code"_s, u"Error.NotFound"_s},
                                                   {u"message"_s, u"Nothing is served at this path."_s}});
    });
    m_http->setUpgradeHandler([this, fallbackHost](QTcpSocket *socket, const HttpRequest &request) {
        if (LiveTraceHub::handles(request.path))
            return m_liveTrace->takeOver(socket, request, fallbackHost);
        if (MqttEndpoint::handles(request.path))
            return m_mqtt->takeOver(socket, request);
        m_client->takeOver(socket, request);
    });
}

void Emulator::stop()
{
    if (!m_http)
        return;
    m_http->close();
    delete m_http;
    m_http = nullptr;
    delete m_client;
    m_client = nullptr;
    delete m_mqtt;
    m_mqtt = nullptr;
    delete m_liveTrace;
    m_liveTrace = nullptr;
    delete m_upstream;
    m_upstream = nullptr;
    m_events.reset();
    m_demo.reset();
}

QList<QByteArray> Emulator::currentKeys() const
{
    QList<QByteArray> keys{m_options.accessKey.toUtf8()};
    if (!m_options.secondaryKey.isEmpty())
        keys << m_options.secondaryKey.toUtf8();
    return keys;
}

void Emulator::refreshUpstreamKeys()
{
    // Handlers verify ce-signature with the keys they see in the portal (or ARM's listKeys): sign with the
    // current ones from the next delivery on.
    if (!m_upstream)
        return;
    UpstreamOptions options = m_upstream->options();
    options.accessKeys = currentKeys();
    m_upstream->setOptions(std::move(options));
}

quint16 Emulator::port() const
{
    return m_http ? m_http->port() : 0;
}

ConnectionString Emulator::connectionString() const
{
    QHostAddress host = m_options.host;
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress::LocalHost;
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress::LocalHostIPv6;
    QUrl endpoint;
    endpoint.setScheme(u"http"_s);
    endpoint.setHost(host.toString());
    endpoint.setPort(port());
    return ConnectionString(endpoint, m_options.accessKey);
}

EmbeddedEmulator::EmbeddedEmulator(QObject *parent)
    : QObject(parent)
{
}

EmbeddedEmulator::~EmbeddedEmulator()
{
    if (m_thread) {
        m_thread->quit(); // the emulator is deleted on its own thread when the thread finishes
        m_thread->wait();
        delete m_thread;
    }
}

void EmbeddedEmulator::start(EmulatorOptions options)
{
    if (m_thread) {
        Q_EMIT failed(tr("The embedded emulator was already started."));
        return;
    }
    m_thread = new QThread;
    m_thread->setObjectName(u"wps-emulator"_s);
    m_emulator = new Emulator(std::move(options));
    m_emulator->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_emulator, &QObject::deleteLater);
    m_thread->start();
    Emulator *emulator = m_emulator;
    QMetaObject::invokeMethod(
        emulator,
        [this, emulator] {
            auto result = emulator->start();
            const ConnectionString connection = emulator->connectionString();
            const QString error = result ? QString() : result.error();
            // Back on the owner's thread; `this` is the context, so nothing runs if it is gone.
            QMetaObject::invokeMethod(
                this,
                [this, connection, error] {
                    if (!error.isEmpty()) {
                        Q_EMIT failed(error);
                        return;
                    }
                    m_connection = connection;
                    Q_EMIT started(connection);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

} // namespace wps::emulator
