// webpubsub-console: the window. Parses options, owns what every window shares (the local emulator, the
// profile store and its secrets) and opens one MainWindow per session; everything else lives in the
// libraries.
#include "common/logline.h"
#include "embeddedlocalservice.h"
#include "mainwindow/hubselector.h"
#include "mainwindow/mainwindow.h"
#include "panels/hubs/hubspanel.h"
#include "panels/profiles/profileconnector.h"
#include "panels/profiles/profilespanel.h"
#include "panels/trace/tracepanel.h"
#include "profiles/profilestore.h"
#include "protocol/connectionstring.h"
#include "screenshottour.h"
#include "secrets/fallbacksecretstore.h"
#include "secrets/keychainsecretstore.h"
#include "secrets/memorysecretstore.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QEvent>
#include <QStandardPaths>
#include <QTimer>
#include <QTranslator>

#include <algorithm>
#include <cstdio>
#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace {

/// For bench/console: on the window's first paint, prints "first paint at: <ms since the epoch>" on stderr
/// (the bench subtracts the time it started the process), and quits at once when WPS_REPORT_FIRST_PAINT=quit.
class FirstPaintReporter : public QObject
{
public:
    explicit FirstPaintReporter(QWidget *window)
        : QObject(window)
    {
        window->installEventFilter(this);
    }
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_done) {
            m_done = true;
            std::fprintf(stderr, "first paint at: %lld\n",
                         static_cast<long long>(QDateTime::currentMSecsSinceEpoch()));
            std::fflush(stderr);
            if (qEnvironmentVariable("WPS_REPORT_FIRST_PAINT") == u"quit"_s)
                QTimer::singleShot(0, qApp, &QCoreApplication::quit);
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_done = false;
};

/// What all windows of the process share, and the code that opens one.
struct Console
{
    wps::app::EmbeddedLocalService local;
    wps::secrets::KeychainSecretStore keychain;
    wps::secrets::MemorySecretStore sessionSecrets;
    wps::secrets::FallbackSecretStore secrets{&keychain, &sessionSecrets};
    wps::profiles::ProfileStore store{
        QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + u"/profiles.ini"_s, &secrets};
    wps::ui::ProfileConnector connector{&store, &local};

    /// A new window with its own session on \a direct (a --connection-string), else profile \a profileId,
    /// else (empty) the local emulator.
    wps::ui::MainWindow *openWindow(const QString &profileId, const QString &hub = {},
                                    const std::optional<wps::ConnectionString> &direct = std::nullopt)
    {
        auto *session = new wps::ui::ConsoleSession;
        session->setLiveTraceEnabled(true); // the service's own view of the hub, in the same trace
        auto *window = new wps::ui::MainWindow(session);
        session->setParent(window);
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->setLocalService(&local);
        auto *profiles = new wps::ui::ProfilesPanel(session, &store, &connector, window);
        window->addPanel(u"profiles"_s, QApplication::translate("main", "Profiles"), profiles,
                         wps::ui::MainWindow::Area::Workspace, u"overview"_s);
        window->addPanel(u"hubs"_s, QApplication::translate("main", "Hubs"),
                         new wps::ui::HubsPanel(session, window), wps::ui::MainWindow::Area::Workspace,
                         u"overview"_s);
        // The last five traces are kept (JSONL, secrets already redacted) and offered under Trace > Import.
        if (auto *trace = window->findChild<wps::ui::TracePanel *>())
            trace->setHistoryDirectory(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                       u"/traces"_s);
        window->restoreLayout();
        QObject::connect(profiles, &wps::ui::ProfilesPanel::openInNewWindowRequested, window,
                         [this](const QString &id) { openWindow(id)->show(); });
        QObject::connect(profiles, &wps::ui::ProfilesPanel::sessionOnlyStorageRequested, window,
                         [this] { secrets.setSessionOnly(true); });
        QObject::connect(window, &wps::ui::MainWindow::newWindowRequested, window,
                         [this] { openWindow({})->show(); });
        QObject::connect(window, &wps::ui::MainWindow::openProfileRequested, window,
                         [window] { window->showPanel(u"profiles"_s); });
        auto connect = [this, window, session, profileId, direct] {
            if (direct) {
                wps::ui::ConsoleSession::OpenRequest request;
                request.connection = *direct;
                request.origin = QApplication::translate("main", "Web PubSub service");
                session->open(request); // probed first, like a profile
            } else if (!profileId.isEmpty()) {
                connector.open(profileId, session);
            } else {
                window->action(u"actionStartEmulator"_s)->trigger();
            }
        };
        QObject::connect(window, &wps::ui::MainWindow::reconnectRequested, window, connect);
        if (!hub.isEmpty())
            window->hubSelector()->setHub(hub);
        connect();
        return window;
    }
};

} // namespace

int main(int argc, char **argv)
{
    // --version and --help only print: let them work without a display (over SSH, in scripts).
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView arg(argv[i]);
        if ((arg == "--version" || arg == "-v" || arg == "--help" || arg == "-h") &&
            qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
            qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    // One line per log message, control characters escaped (client-supplied names reach the embedded
    // emulator's log).
    wps::logging::installOneLineMessageHandler();
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"webpubsub-console"_s);
    QApplication::setApplicationDisplayName(u"Web PubSub Console"_s);
    QApplication::setOrganizationName(u"WebPubSubConsole"_s);
    QApplication::setApplicationVersion(QStringLiteral(WPS_VERSION_STRING));

    // Translations: the embedded :/i18n catalogue for the system locale (English is the source language).
    QTranslator translator;
    if (translator.load(QLocale(), u"webpubsub-console"_s, u"_"_s, u":/i18n"_s))
        QApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main",
        "Desktop console for Azure Web PubSub. Without options it opens the local emulator (on first run "
        "with a short welcome); --profile opens a saved profile."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profileOption(
        u"profile"_s, QApplication::translate("main", "Open the saved profile with this name (or id)."),
        u"name"_s);
    const QCommandLineOption emulatorOption(
        u"emulator"_s, QApplication::translate("main", "Open the local emulator (ignores saved profiles)."));
    const QCommandLineOption connectionOption(
        u"connection-string"_s,
        QApplication::translate("main", "Connect to this Web PubSub service instead of a profile."),
        u"text"_s);
    const QCommandLineOption hubOption(
        u"hub"_s, QApplication::translate("main", "Work on this hub (default: chat)."), u"hub"_s);
    const QCommandLineOption panelOption(
        u"panel"_s, QApplication::translate("main", "Open this panel first (its id or number)."), u"id|N"_s);
    const QCommandLineOption screenshotOption(
        u"screenshot"_s,
        QApplication::translate("main", "Save a PNG of the window once connected, then quit."), u"file"_s);
    const QCommandLineOption screenshotsOption(
        u"screenshots"_s,
        QApplication::translate(
            "main", "Run the documentation's scripted session (the demo, with traffic) and save its "
                    "pictures in this directory, then quit (scripts/screenshots)."),
        u"directory"_s);
    parser.addOptions({profileOption, emulatorOption, connectionOption, hubOption, panelOption,
                       screenshotOption, screenshotsOption});
    parser.process(app);

    Console console;
    QString profileId;
    if (parser.isSet(profileOption)) {
        const QString wanted = parser.value(profileOption);
        const auto profiles = console.store.profiles();
        for (const auto &profile : profiles) {
            if (profile.id == wanted || profile.name.compare(wanted, Qt::CaseInsensitive) == 0)
                profileId = profile.id;
        }
        if (profileId.isEmpty()) {
            std::fprintf(
                stderr, "%s\n",
                qPrintable(QApplication::translate("main", "No saved profile is named \"%1\".").arg(wanted)));
            return 2;
        }
    }
    // First run: nothing saved but the built-in local emulator profile.
    const auto savedProfiles = console.store.profiles();
    const bool firstRun =
        std::all_of(savedProfiles.cbegin(), savedProfiles.cend(),
                    [](const wps::profiles::Profile &profile) { return profile.isBuiltIn(); });
    if (parser.isSet(connectionOption) && !wps::ConnectionString::parse(parser.value(connectionOption))) {
        // Never echo the option: it holds a key.
        std::fprintf(
            stderr, "%s\n",
            qPrintable(
                QApplication::translate("main", "--connection-string is not a valid connection string: %1")
                    .arg(wps::ConnectionString::parse(parser.value(connectionOption)).error())));
        return 2;
    }

    std::optional<wps::ConnectionString> direct;
    if (parser.isSet(connectionOption))
        direct = *wps::ConnectionString::parse(parser.value(connectionOption));
    wps::ui::MainWindow *window = console.openWindow(parser.isSet(emulatorOption) ? QString() : profileId,
                                                     parser.value(hubOption), direct);
    window->setFirstRun(firstRun && profileId.isEmpty() && !parser.isSet(connectionOption));
    if (parser.isSet(panelOption)) {
        const QString panel = parser.value(panelOption);
        bool isNumber = false;
        const int index = panel.toInt(&isNumber);
        if (isNumber)
            window->showPanel(index);
        else if (!window->showPanel(panel))
            std::fprintf(stderr, "%s\n",
                         qPrintable(QApplication::translate("main", "No panel \"%1\"; panels: %2")
                                        .arg(panel, window->panelIds().join(u", "))));
    }
    if (qEnvironmentVariableIsSet("WPS_REPORT_FIRST_PAINT"))
        new FirstPaintReporter(window);
    window->show();

    if (parser.isSet(screenshotsOption))
        (new wps::app::ScreenshotTour(window, parser.value(screenshotsOption), window))->start();
    if (parser.isSet(screenshotOption)) {
        const QString file = parser.value(screenshotOption);
        auto grab = [window, file] {
            // Let the window lay out, the panels fetch their first data, and paint before grabbing it.
            QTimer::singleShot(1500, window, [window, file] {
                const bool saved = window->grab().save(file, "PNG");
                if (!saved)
                    std::fprintf(stderr, "could not save the screenshot\n");
                QApplication::exit(saved ? 0 : 1);
            });
        };
        auto *session = window->session();
        if (session->state() == wps::ui::ConsoleSession::State::Connected ||
            session->state() == wps::ui::ConsoleSession::State::Failed) {
            grab();
        } else {
            auto *once = new QObject(window);
            QObject::connect(session, &wps::ui::ConsoleSession::connectionChanged, once,
                             [session, once, grab] {
                                 if (session->state() == wps::ui::ConsoleSession::State::Connected ||
                                     session->state() == wps::ui::ConsoleSession::State::Failed) {
                                     grab();
                                     once->deleteLater();
                                 }
                             });
        }
    }
    const int status = QApplication::exec();
    // Windows still open when the loop ends (exit(), --screenshot) go before the store and connector they
    // use.
    // Collect first: deleting a window also deletes its menus, which are top-level widgets too.
    QList<wps::ui::MainWindow *> windows;
    const auto topLevels = QApplication::topLevelWidgets();
    for (QWidget *widget : topLevels) {
        if (auto *mainWindow = qobject_cast<wps::ui::MainWindow *>(widget))
            windows.append(mainWindow);
    }
    qDeleteAll(windows);
    return status;
}
