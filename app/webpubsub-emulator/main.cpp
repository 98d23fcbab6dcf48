// webpubsub-emulator: the local Azure Web PubSub service. Parses options, starts wps::emulator::Emulator,
// prints the connection string as the first line of stdout, logs to stderr, stops on SIGINT/SIGTERM.
#include "common/expected.h"
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

/// The command line's options, in the order --help lists them.
struct Options
{
    QCommandLineOption host{u"host"_s, u"Address to listen on (default 127.0.0.1)."_s, u"address"_s,
                            u"127.0.0.1"_s};
    QCommandLineOption port{u"port"_s, u"Port to listen on; 0 picks a free port (default 8080)."_s, u"port"_s,
                            u"8080"_s};
    QCommandLineOption key{u"access-key"_s, u"Access key (default: a random key)."_s, u"key"_s};
    QCommandLineOption config{u"config"_s, u"JSON configuration file with hub settings."_s, u"file"_s};
    QCommandLineOption demo{
        u"demo"_s,
        u"Serve the demo routes under /demo (chat page, negotiate, echo handler) on any address."_s};
    QCommandLineOption noDemo{
        u"no-demo"_s, u"Do not serve the demo routes (by default they are on when bound to loopback)."_s};
};

/// The emulator's options from the parsed command line, or the message that says which option is wrong.
wps::Expected<wps::emulator::EmulatorOptions, QString> emulatorOptions(const QCommandLineParser &parser,
                                                                       const Options &option)
{
    using Result = wps::Expected<wps::emulator::EmulatorOptions, QString>;
    wps::emulator::EmulatorOptions options;
    if (!options.host.setAddress(parser.value(option.host)))
        return Result::failure(u"--host must be an IP address, not '%1'."_s.arg(parser.value(option.host)));
    bool portOk = false;
    const uint port = parser.value(option.port).toUInt(&portOk);
    if (!portOk || port > 65535) {
        return Result::failure(
            u"--port must be a number from 0 to 65535, not '%1'."_s.arg(parser.value(option.port)));
    }
    options.port = static_cast<quint16>(port);
    options.accessKey = parser.value(option.key);
    if (parser.isSet(option.key) && (options.accessKey.isEmpty() || options.accessKey.contains(u';')))
        return Result::failure(u"--access-key must not be empty or contain ';'."_s);
    if (parser.isSet(option.demo) && parser.isSet(option.noDemo))
        return Result::failure(u"--demo and --no-demo exclude each other."_s);
    if (parser.isSet(option.demo) || parser.isSet(option.noDemo))
        options.demo = parser.isSet(option.demo);
    if (parser.isSet(option.config)) {
        auto config = wps::emulator::EmulatorConfig::fromFile(parser.value(option.config));
        if (!config)
            return Result::failure(config.error());
        options.config = *config;
    }
    return options;
}

/// Before the application object: on Linux the emulator's epoll dispatcher (a loop iteration costs what is
/// ready, not what is open: 37–44 % fewer instructions per delivered message than Qt's, bench/README.md
/// "MQTT"); with WPS_EVENT_DISPATCHER=qt, or elsewhere, Qt's own UNIX dispatcher, which costs about a third
/// less than the GLib one (docs/emulator.md "Performance choices"). A QT_NO_GLIB already in the environment
/// is left alone (set it empty to get the GLib dispatcher).
void chooseEventDispatcher()
{
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
#ifdef Q_OS_LINUX
    if (qEnvironmentVariable("WPS_EVENT_DISPATCHER") == u"qt"_s)
        return;
    auto *dispatcher = new wps::emulator::EpollEventDispatcher;
    if (dispatcher->isValid())
        QCoreApplication::setEventDispatcher(dispatcher); // the main thread's, owned by it
    else
        delete dispatcher;
#endif
}

} // namespace

int main(int argc, char **argv)
{
    chooseEventDispatcher();
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
    const Options option;
    parser.addOptions({option.host, option.port, option.key, option.config, option.demo, option.noDemo});
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
    const auto options = emulatorOptions(parser, option);
    if (!options) {
        printError(options.error());
        return 2;
    }

    if (!installSignalHandlers(app))
        printError(u"Could not install signal handlers; stop the emulator with SIGKILL."_s);

    wps::emulator::Emulator emulator(*options);
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
