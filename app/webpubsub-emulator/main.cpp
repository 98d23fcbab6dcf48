// webpubsub-emulator: the local Azure Web PubSub service. Parses options, starts wps::emulator::Emulator,
// prints the connection string as the first line of stdout, logs to stderr, stops on SIGINT/SIGTERM.
#include "common/logline.h"
#include "emulator/emulator.h"
#include "emulator/epolldispatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace {

int g_signalFd[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalFd[0], &byte, 1); // async-signal-safe
}

/// SIGINT/SIGTERM end the event loop through a socket pair, so shutdown runs on the main thread.
bool installSignalHandlers(QCoreApplication &app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFd) != 0)
        return false;
    auto *notifier = new QSocketNotifier(g_signalFd[1], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [notifier] {
        notifier->setEnabled(false);
        char byte = 0;
        [[maybe_unused]] const auto got = ::read(g_signalFd[1], &byte, 1);
        QCoreApplication::quit();
    });
    struct sigaction action = {};
    action.sa_handler = &onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

void printError(const QString &message)
{
    std::fprintf(stderr, "webpubsub-emulator: %s\n", message.toLocal8Bit().constData());
}

} // namespace

int main(int argc, char **argv)
{
    // Qt's own UNIX event dispatcher costs about a third less per delivered message than the GLib one under
    // fan-out load (docs/emulator.md#performance-choices, bench/README.md); the emulator needs nothing from
    // GLib. A QT_NO_GLIB already in the environment is left alone (set it empty to get the GLib dispatcher).
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
#ifdef Q_OS_LINUX
    // On Linux the emulator's own epoll dispatcher, cheaper still with many sockets ready at once (MQTT QoS 1
    // acknowledgements of a fan-out); WPS_EVENT_DISPATCHER=qt keeps Qt's (docs/emulator.md).
    if (qEnvironmentVariable("WPS_EVENT_DISPATCHER") != u"qt"_s) {
        auto *dispatcher = new wps::emulator::EpollEventDispatcher;
        if (dispatcher->isValid())
            QCoreApplication::setEventDispatcher(dispatcher);
        else
            delete dispatcher;
    }
#endif
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"webpubsub-emulator"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(WPS_VERSION_STRING));
    // One line per message whatever it quotes: a newline in a client's event name cannot forge a log line.
    wps::logging::installOneLineMessageHandler();
    qSetMessagePattern(u"%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-warning}warning %{endif}%{if-critical}error "
                       "%{endif}%{category}: %{message}"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Local emulator of the Azure Web PubSub service: the data-plane REST API on one HTTP port. Prints "
        "the connection string as the first line of standard output, then logs to standard error."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption hostOption(u"host"_s, u"Address to listen on (default 127.0.0.1)."_s,
                                        u"address"_s, u"127.0.0.1"_s);
    const QCommandLineOption portOption(
        u"port"_s, u"Port to listen on; 0 picks a free port (default 8080)."_s, u"port"_s, u"8080"_s);
    const QCommandLineOption keyOption(u"access-key"_s, u"Access key (default: a random key)."_s, u"key"_s);
    const QCommandLineOption configOption(u"config"_s, u"JSON configuration file with hub settings."_s,
                                          u"file"_s);
    const QCommandLineOption demoOption(
        u"demo"_s,
        u"Serve the demo routes under /demo (chat page, negotiate, echo handler) on any address."_s);
    const QCommandLineOption noDemoOption(
        u"no-demo"_s, u"Do not serve the demo routes (by default they are on when bound to loopback)."_s);
    parser.addOptions({hostOption, portOption, keyOption, configOption, demoOption, noDemoOption});
    if (!parser.parse(QCoreApplication::arguments())) {
        printError(parser.errorText());
        return 2;
    }
    if (parser.isSet(u"help"_s))
        parser.showHelp(0);
    if (parser.isSet(u"version"_s))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty()) {
        printError(u"Unexpected argument '%1'. See --help."_s.arg(parser.positionalArguments().constFirst()));
        return 2;
    }

    wps::emulator::EmulatorOptions options;
    if (!options.host.setAddress(parser.value(hostOption))) {
        printError(u"--host must be an IP address, not '%1'."_s.arg(parser.value(hostOption)));
        return 2;
    }
    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535) {
        printError(u"--port must be a number from 0 to 65535, not '%1'."_s.arg(parser.value(portOption)));
        return 2;
    }
    options.port = static_cast<quint16>(port);
    options.accessKey = parser.value(keyOption);
    if (parser.isSet(keyOption) && (options.accessKey.isEmpty() || options.accessKey.contains(u';'))) {
        printError(u"--access-key must not be empty or contain ';'."_s);
        return 2;
    }
    if (parser.isSet(demoOption) && parser.isSet(noDemoOption)) {
        printError(u"--demo and --no-demo exclude each other."_s);
        return 2;
    }
    if (parser.isSet(demoOption) || parser.isSet(noDemoOption))
        options.demo = parser.isSet(demoOption);
    if (parser.isSet(configOption)) {
        auto config = wps::emulator::EmulatorConfig::fromFile(parser.value(configOption));
        if (!config) {
            printError(config.error());
            return 2;
        }
        options.config = *config;
    }

    if (!installSignalHandlers(app))
        printError(u"Could not install signal handlers; stop the emulator with SIGKILL."_s);

    wps::emulator::Emulator emulator(options);
    auto started = emulator.start();
    if (!started) {
        printError(started.error());
        return 1;
    }
    const QByteArray line = emulator.connectionString().toString().toUtf8() + '\n';
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stdout);
    std::fflush(stdout);

    const int code = QCoreApplication::exec();
    emulator.stop();
    return code;
}
