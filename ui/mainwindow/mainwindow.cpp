// MainWindow: composition (the panels, how they lead to each other, the session's signals) and opening a
// connection (OpenTarget, Reconnect, the local emulator). The other parts are in mainwindow_*.cpp.
#include "mainwindow/mainwindow.h"

#include "mainwindow/hubselector.h"
#include "mainwindow/mainwindow_p.h"
#include "panels/clients/liveclientspanel.h"
#include "panels/connections/connectionspanel.h"
#include "panels/demo/demopanel.h"
#include "panels/demo/demoscenario.h"
#include "panels/groups/groupspanel.h"
#include "panels/hubs/hubspanel.h"
#include "panels/messaging/messagingpanel.h"
#include "panels/overview/overviewpanel.h"
#include "panels/permissions/permissionspanel.h"
#include "panels/profiles/profileconnector.h"
#include "panels/profiles/profilespanel.h"
#include "panels/token/tokenpanel.h"
#include "panels/trace/tracepanel.h"
#include "panels/welcome/welcomepanel.h"
#include "profiles/profile.h"
#include "secrets/fallbacksecretstore.h"
#include "service/connectionprobe.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "session/localservice.h"

#include <QAction>
#include <QDockWidget>
#include <QListWidget>
#include <QStackedWidget>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcWindow, "wps.ui.window")

namespace wps::ui {

MainWindow::MainWindow(QWidget *parent)
    : MainWindow(new ConsoleSession, parent)
{
    m_session->setParent(this);
}

MainWindow::MainWindow(ConsoleSession *session, QWidget *parent)
    : MainWindow(session, WindowServices{}, parent)
{
}

MainWindow::MainWindow(ConsoleSession *session, const WindowServices &services, QWidget *parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_services(services)
    , m_navigation(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_hubSelector(new HubSelector(this))
{
    setObjectName(u"mainWindow"_s);
    m_baseFont = font();
    fitToScreen(true);
    setDockNestingEnabled(true);
    buildWorkspace();
    buildMenus();
    buildStatusBar();
    addPanels();
    wirePanels();
    wireSession();
    if (m_services.profiles && m_services.connector)
        addProfilePanels();
    // The last traces are kept (JSONL, secrets already redacted) and offered under Trace > Import.
    if (!m_services.traceHistoryDirectory.isEmpty())
        m_trace->setHistoryDirectory(m_services.traceHistoryDirectory);
    if (m_services.local)
        setLocalService(m_services.local);
}

MainWindow::~MainWindow()
{
    // The docks' panels go before the session they use (the Trace panel saves the session's trace into the
    // history when it goes): QWidget::raise() moves a raised dock after the session among the children.
    const QList<QDockWidget *> docks = m_docks.values();
    m_docks.clear();
    qDeleteAll(docks);
}

void MainWindow::addPanels()
{
    // Every panel takes the session and follows it itself.
    m_welcome = new WelcomePanel(m_session, this);
    m_overview = new OverviewPanel(m_session, this);
    m_messaging = new MessagingPanel(m_session, this);
    m_groups = new GroupsPanel(m_session, this);
    m_permissions = new PermissionsPanel(m_session, this);
    m_tokens = new TokenPanel(m_session, this);
    addPanel(u"welcome"_s, tr("Welcome"), m_welcome, Area::Workspace);
    addPanel(u"overview"_s, tr("Overview"), m_overview, Area::Workspace);
    addPanel(u"messaging"_s, tr("Messaging"), m_messaging, Area::Workspace);
    addPanel(u"groups"_s, tr("Groups & users"), m_groups, Area::Workspace);
    addPanel(u"permissions"_s, tr("Permissions"), m_permissions, Area::Workspace);
    addPanel(u"tokens"_s, tr("Client tokens"), m_tokens, Area::Workspace);
    m_trace = new TracePanel(m_session, this);
    addPanel(u"trace"_s, tr("Trace"), m_trace, Area::Dock);
    addPanel(u"liveclients"_s, tr("Live clients"), new LiveClientsPanel(m_session, this), Area::Dock);
    addPanel(u"connections"_s, tr("Connections"), new ConnectionsPanel(m_session, this), Area::Dock);
    m_demo = new DemoPanel(m_session, this);
    addPanel(u"demo"_s, tr("Demo"), m_demo, Area::Workspace);
    showPanel(u"overview"_s); // the welcome page is shown on first run (setFirstRun)
    m_docks.value(u"trace"_s)->raise();
    // The docks share the lower part of the window; the page keeps the larger part.
    resizeDocks({m_docks.value(u"trace"_s)}, {height() * 2 / 5}, Qt::Vertical);
}

void MainWindow::addProfilePanels()
{
    m_profiles = new ProfilesPanel(m_session, m_services.profiles, m_services.connector, this);
    addPanel(u"profiles"_s, tr("Profiles"), m_profiles, Area::Workspace, u"overview"_s);
    addPanel(u"hubs"_s, tr("Hubs"), new HubsPanel(m_session, this), Area::Workspace, u"overview"_s);
    connect(m_profiles, &ProfilesPanel::openInNewWindowRequested, this, &MainWindow::profileWindowRequested);
    if (auto *secrets = m_services.secrets) {
        connect(m_profiles, &ProfilesPanel::sessionOnlyStorageRequested, this,
                [secrets] { secrets->setSessionOnly(true); });
    }
    connect(this, &MainWindow::openProfileRequested, this, [this] { showPanel(u"profiles"_s); });
}

void MainWindow::wirePanels()
{
    connect(m_welcome, &WelcomePanel::openMessagingRequested, this, [this] { showPanel(u"messaging"_s); });
    connect(m_welcome, &WelcomePanel::addAzureHubRequested, this, [this] {
        showPanel(u"profiles"_s); // when the Profiles panel is in the window
        if (m_profiles)
            m_profiles->newProfile(); // a fresh form, not the profile shown last
        Q_EMIT addAzureHubRequested();
    });
    // The trace follows the demo: its dock comes to the front when the demo starts.
    connect(m_demo->scenario(), &DemoScenario::stateChanged, this, [this](DemoScenario::State state) {
        if (state == DemoScenario::State::Running)
            showPanel(u"trace"_s);
    });
    connect(m_welcome, &WelcomePanel::demoRequested, this, [this] {
        showPanel(u"demo"_s);
        if (m_demo->scenario()->state() == DemoScenario::State::Idle)
            m_demo->scenario()->start();
        Q_EMIT demoRequested();
    });
}

void MainWindow::wireSession()
{
    connect(m_session, &ConsoleSession::connectionChanged, this, &MainWindow::updateStatus);
    connect(m_session, &ConsoleSession::hubChanged, this, [this](const QString &hub) {
        m_hubSelector->setHub(hub);
        updateStatus();
    });
    connect(m_session, &ConsoleSession::profileNameChanged, this, &MainWindow::updateStatus);
    connect(m_session, &ConsoleSession::healthChanged, this, &MainWindow::updateStatus);
    connect(m_hubSelector, &HubSelector::hubChanged, m_session, &ConsoleSession::setHub);
    m_session->setHub(m_hubSelector->hub());
    updateStatus();
    updateLocalStatus();
}

void MainWindow::setLocalService(LocalService *local)
{
    if (m_local)
        disconnect(m_local, nullptr, this, nullptr);
    m_local = local;
    if (auto *start = action(u"actionStartEmulator"_s))
        start->setEnabled(m_local != nullptr);
    if (m_local)
        connect(m_local, &LocalService::statusChanged, this, &MainWindow::updateLocalStatus);
    updateLocalStatus();
}

void MainWindow::setFirstRun(bool firstRun)
{
    if (firstRun)
        showPanel(u"welcome"_s);
}

void MainWindow::startLocalEmulator()
{
    if (!m_local)
        return;
    // The local emulator is the built-in "Local emulator" profile: opened (and probed) like any other.
    auto openLocal = [this](const wps::ConnectionString &connection) {
        ConsoleSession::OpenRequest request;
        request.connection = connection;
        request.origin = tr("local emulator");
        request.profileName = wps::profiles::Profile::localEmulator().name;
        request.profileId = wps::profiles::Profile::localEmulatorId();
        m_session->open(request);
    };
    if (const auto connection = m_local->connectionString();
        connection && m_local->status() == LocalService::Status::Running) {
        openLocal(*connection);
        return;
    }
    m_session->beginOpen(tr("Starting the local emulator…"));
    // One-shot: whichever of started/failed comes first answers, then both connections go.
    auto *guard = new QObject(this);
    // Cancelled while the emulator started (isOpening() false): its answer is dropped.
    connect(m_local, &LocalService::started, guard,
            [this, guard, openLocal](const wps::ConnectionString &connection) {
                if (m_session->isOpening())
                    openLocal(connection);
                guard->deleteLater();
            });
    connect(m_local, &LocalService::failed, guard, [this, guard](const QString &error) {
        if (m_session->isOpening()) {
            m_session->failOpen(tr("The local emulator"), wps::service::ConnectionHealth::Unreachable,
                                tr("it did not start: %1").arg(error));
        }
        guard->deleteLater();
    });
    m_local->ensureStarted();
}

void MainWindow::setConnection(const wps::ConnectionString &connection, const QString &origin)
{
    m_session->setConnection(connection, origin);
}

void MainWindow::setConnectionError(const QString &message)
{
    m_session->setConnectionError(message);
}

void MainWindow::setConnecting(const QString &message)
{
    m_session->setConnecting(message);
}

wps::service::ServiceClient *MainWindow::serviceClient() const
{
    return m_session->client();
}

void MainWindow::openTarget(const OpenTarget &target)
{
    m_target = target;
    if (target.connection) {
        ConsoleSession::OpenRequest request;
        request.connection = *target.connection;
        request.origin = tr("Web PubSub service");
        m_session->open(request); // probed first, like a profile
    } else if (!target.profileId.isEmpty()) {
        if (m_services.connector)
            m_services.connector->open(target.profileId, m_session);
        else
            qCWarning(lcWindow) << "no profiles in this window to open" << target.profileId;
    } else {
        startLocalEmulator();
    }
}

void MainWindow::reopen()
{
    if (m_target)
        openTarget(*m_target);
}

} // namespace wps::ui
