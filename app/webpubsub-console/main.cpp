// webpubsub-console: the window. Parses options, owns what every window shares (the local emulator, the
// profile store and its secrets) and opens one MainWindow per session; everything else lives in the
// libraries.
#include "common/expected.h"
#include "common/logline.h"
#include "embeddedlocalservice.h"
#include "mainwindow/hubselector.h"
#include "mainwindow/mainwindow.h"
#include "panels/profiles/profileconnector.h"
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

/// What all windows of the process share (the window's services), and the code that opens one.
struct Console
{
    wps::app::EmbeddedLocalService local;
    wps::secrets::KeychainSecretStore keychain;
    wps::secrets::MemorySecretStore sessionSecrets;
    wps::secrets::FallbackSecretStore secrets{&keychain, &sessionSecrets};
    wps::profiles::ProfileStore store{
        QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + u"/profiles.ini"_s, &secrets};
    wps::ui::ProfileConnector connector{&store, &local};

    wps::ui::WindowServices services()
    {
        wps::ui::WindowServices services;
        services.local = &local;
        services.profiles = &store;
        services.connector = &connector;
        services.secrets = &secrets;
        // The last five traces are kept (JSONL, secrets already redacted) and offered under Trace > Import.
        services.traceHistoryDirectory =
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/traces"_s;
        return services;
    }

    /// A new window with its own session on \a target, working on \a hub (empty: the default hub).
    wps::ui::MainWindow *openWindow(const wps::ui::MainWindow::OpenTarget &target, const QString &hub = {})
    {
        auto *session = new wps::ui::ConsoleSession;
        session->setLiveTraceEnabled(true); // the service's own view of the hub, in the same trace
        auto *window = new wps::ui::MainWindow(session, services());
        session->setParent(window);
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->restoreLayout();
        QObject::connect(window, &wps::ui::MainWindow::newWindowRequested, window,
                         [this] { openWindow({})->show(); });
        QObject::connect(window, &wps::ui::MainWindow::profileWindowRequested, window,
                         [this](const QString &id) {
                             openWindow({std::nullopt, id})->show();
                         });
        if (!hub.isEmpty())
            window->hubSelector()->setHub(hub);
        window->openTarget(target);
        return window;
    }
};

/// The command line's options, in the order --help lists them.
struct Options
{
    QCommandLineOption profile{
        u"profile"_s, QApplication::translate("main", "Open the saved profile with this name (or id)."),
        u"name"_s};
    QCommandLineOption emulator{
        u"emulator"_s, QApplication::translate("main", "Open the local emulator (ignores saved profiles).")};
    QCommandLineOption connection{
        u"connection-string"_s,
        QApplication::translate("main", "Connect to this Web PubSub service instead of a profile."),
        u"text"_s};
    QCommandLineOption hub{u"hub"_s, QApplication::translate("main", "Work on this hub (default: chat)."),
                           u"hub"_s};
    QCommandLineOption panel{
        u"panel"_s, QApplication::translate("main", "Open this panel first (its id or number)."), u"id|N"_s};
    QCommandLineOption screenshot{
        u"screenshot"_s,
        QApplication::translate("main", "Save a PNG of the window once connected, then quit."), u"file"_s};
    QCommandLineOption screenshots{
        u"screenshots"_s,
        QApplication::translate(
            "main", "Run the documentation's scripted session (the demo, with traffic) and save its "
                    "pictures in this directory, then quit (scripts/screenshots)."),
        u"directory"_s};
};

/// --version and --help only print: let them work without a display (over SSH, in scripts).
void allowPrintingWithoutDisplay(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView arg(argv[i]);
        if ((arg == "--version" || arg == "-v" || arg == "--help" || arg == "-h") &&
            qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
            qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
    }
}

/// What the first window opens, from --profile, --emulator and --connection-string; or the message that
/// says which option is wrong (never echoing a connection string: it holds a key).
wps::Expected<wps::ui::MainWindow::OpenTarget, QString>
firstTarget(const QCommandLineParser &parser, const Options &option, const wps::profiles::ProfileStore &store)
{
    using Result = wps::Expected<wps::ui::MainWindow::OpenTarget, QString>;
    wps::ui::MainWindow::OpenTarget target;
    if (parser.isSet(option.profile)) {
        const QString wanted = parser.value(option.profile);
        const auto profiles = store.profiles();
        for (const auto &profile : profiles) {
            if (profile.id == wanted || profile.name.compare(wanted, Qt::CaseInsensitive) == 0)
                target.profileId = profile.id;
        }
        if (target.profileId.isEmpty())
            return Result::failure(
                QApplication::translate("main", "No saved profile is named \"%1\".").arg(wanted));
    }
    if (parser.isSet(option.connection)) {
        auto connection = wps::ConnectionString::parse(parser.value(option.connection));
        if (!connection) {
            return Result::failure(
                QApplication::translate("main", "--connection-string is not a valid connection string: %1")
                    .arg(connection.error()));
        }
        target.connection = *connection;
    }
    return target;
}

/// --panel: shows panel \a panel (an id or a number), or says which panels there are.
void showFirstPanel(wps::ui::MainWindow *window, const QString &panel)
{
    bool isNumber = false;
    const int index = panel.toInt(&isNumber);
    if (isNumber)
        window->showPanel(index);
    else if (!window->showPanel(panel))
        std::fprintf(stderr, "%s\n",
                     qPrintable(QApplication::translate("main", "No panel \"%1\"; panels: %2")
                                    .arg(panel, window->panelIds().join(u", "))));
}

/// --screenshot: once the window's session is connected (or failed), saves a PNG of the window to \a file
/// and quits.
void grabWhenSettled(wps::ui::MainWindow *window, const QString &file)
{
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
        return;
    }
    auto *once = new QObject(window);
    QObject::connect(session, &wps::ui::ConsoleSession::connectionChanged, once, [session, once, grab] {
        if (session->state() == wps::ui::ConsoleSession::State::Connected ||
            session->state() == wps::ui::ConsoleSession::State::Failed) {
            grab();
            once->deleteLater();
        }
    });
}

/// Windows still open when the loop ends (exit(), --screenshot) go before the store and connector they use.
void deleteWindows()
{
    // Collect first: deleting a window also deletes its menus, which are top-level widgets too.
    QList<wps::ui::MainWindow *> windows;
    const auto topLevels = QApplication::topLevelWidgets();
    for (QWidget *widget : topLevels) {
        if (auto *mainWindow = qobject_cast<wps::ui::MainWindow *>(widget))
            windows.append(mainWindow);
    }
    qDeleteAll(windows);
}

} // namespace

int main(int argc, char **argv)
{
    allowPrintingWithoutDisplay(argc, argv);
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
    const Options option;
    parser.addOptions({option.profile, option.emulator, option.connection, option.hub, option.panel,
                       option.screenshot, option.screenshots});
    parser.process(app);

    Console console;
    auto target = firstTarget(parser, option, console.store);
    if (!target) {
        std::fprintf(stderr, "%s\n", qPrintable(target.error()));
        return 2;
    }
    // First run: nothing saved but the built-in local emulator profile.
    const auto savedProfiles = console.store.profiles();
    const bool firstRun =
        std::all_of(savedProfiles.cbegin(), savedProfiles.cend(),
                    [](const wps::profiles::Profile &profile) { return profile.isBuiltIn(); });
    const bool namedProfile = !target->profileId.isEmpty();
    if (parser.isSet(option.emulator))
        target.value().profileId.clear(); // the local emulator, whatever --profile says
    wps::ui::MainWindow *window = console.openWindow(*target, parser.value(option.hub));
    window->setFirstRun(firstRun && !namedProfile && !target->connection);
    if (parser.isSet(option.panel))
        showFirstPanel(window, parser.value(option.panel));
    if (qEnvironmentVariableIsSet("WPS_REPORT_FIRST_PAINT"))
        new FirstPaintReporter(window);
    window->show();

    if (parser.isSet(option.screenshots))
        (new wps::app::ScreenshotTour(window, parser.value(option.screenshots), window))->start();
    if (parser.isSet(option.screenshot))
        grabWhenSettled(window, parser.value(option.screenshot));
    const int status = QApplication::exec();
    deleteWindows();
    return status;
}
