#include "mainwindow/mainwindow.h"

#include "mainwindow/hubselector.h"
#include "panels/clients/liveclientspanel.h"
#include "panels/common/pageheading.h"
#include "panels/common/viewstate.h"
#include "panels/connections/connectionspanel.h"
#include "panels/demo/demopanel.h"
#include "panels/demo/demoscenario.h"
#include "panels/groups/groupspanel.h"
#include "panels/messaging/messagingpanel.h"
#include "panels/overview/overviewpanel.h"
#include "panels/permissions/permissionspanel.h"
#include "panels/profiles/profilespanel.h"
#include "panels/token/tokenpanel.h"
#include "panels/trace/tracepanel.h"
#include "panels/welcome/welcomepanel.h"
#include "profiles/profile.h"
#include "service/connectionprobe.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "session/localservice.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLoggingCategory>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTableWidget>
#include <QTextBrowser>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcWindow, "wps.ui.window")

namespace wps::ui {

namespace {

constexpr int kLayoutVersion = 1;
const auto kGeometryKey = u"window/geometry"_s;
const auto kStateKey = u"window/state"_s;
const auto kPresentationKey = u"window/presentation"_s;
// Remembered table columns: columns/<table>/state (QHeaderView::saveState) and /count (the model's columns).
const auto kColumnsGroup = u"columns/"_s;
const auto kColumnsStateKey = u"state"_s;
const auto kColumnsCountKey = u"count"_s;
// Presentation mode: fonts this much larger, for a projector at the back of a room.
constexpr qreal kPresentationScale = 1.5;
// The first window's largest size: more than this reads as empty space on a large monitor.
constexpr int kPreferredWidth = 1280;
constexpr int kPreferredHeight = 800;
// Room left for the window manager's frame (title bar, borders), which is unknown before the window shows.
constexpr int kFrameAllowanceWidth = 16;
constexpr int kFrameAllowanceHeight = 48;
const auto kUserGuideFile = u"user-guide.html"_s;

// Status colours for text only; mid-saturation so they read on light and dark palettes alike.
const auto kOkColour = u"#2e9d3a"_s;
const auto kErrorColour = u"#d13438"_s;

/// The platform's standard key for \a key, or \a fallback where the platform has none (offscreen, some
/// desktops): every frequent action keeps a shortcut.
QKeySequence standardKey(QKeySequence::StandardKey key, const QKeySequence &fallback)
{
    const QKeySequence sequence(key);
    return sequence.isEmpty() ? fallback : sequence;
}

/// \a widget in a frameless scroll area that resizes it: a page or dock then asks the window for almost no
/// minimum size, and content that does not fit scrolls instead of being clipped or forcing the window taller
/// than the screen.
QScrollArea *scrollable(QWidget *widget, const QString &name)
{
    auto *area = new QScrollArea;
    area->setObjectName(name);
    area->setFrameShape(QFrame::NoFrame);
    area->setWidgetResizable(true);
    area->setWidget(widget);
    return area;
}

QString colouredText(const QString &text, const QString &colour)
{
    return u"<span style=\"color:%1\">%2</span>"_s.arg(colour, text.toHtmlEscaped());
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : MainWindow(new ConsoleSession, parent)
{
    m_session->setParent(this);
}

MainWindow::MainWindow(ConsoleSession *session, QWidget *parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_navigation(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_hubSelector(new HubSelector(this))
{
    setObjectName(u"mainWindow"_s);
    m_baseFont = font();
    fitToScreen(true);
    setDockNestingEnabled(true);

    m_navigation->setObjectName(u"navigation"_s);
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_navigation->setSpacing(2);
    m_navigation->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_navigation->setStyleSheet(u"QListWidget#navigation { padding: 6px; }"
                                "QListWidget#navigation::item { padding: 5px 8px; }"_s);
    QFont navigationFont = m_navigation->font();
    navigationFont.setPointSizeF(navigationFont.pointSizeF() * 1.1);
    m_navigation->setFont(navigationFont);
    // Widths follow the font, so they scale with High-DPI and large fonts.
    const int em = m_navigation->fontMetrics().horizontalAdvance(u'M');
    m_navigation->setMinimumWidth(11 * em);
    m_navigation->setMaximumWidth(18 * em);

    auto *splitter = new QSplitter(this);
    splitter->setObjectName(u"workspaceSplitter"_s);
    splitter->addWidget(m_navigation);
    splitter->addWidget(m_pages);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({13 * em, 60 * em});
    m_pages->setObjectName(u"pages"_s);
    m_pages->setContentsMargins(12, 12, 12, 12);
    setCentralWidget(splitter);
    connect(m_navigation, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);

    buildMenus();
    buildStatusBar();

    // The panels of this round that still take clients one by one follow the session here; panels built on
    // ConsoleSession follow it themselves.
    m_welcome = new WelcomePanel(m_session, this);
    m_overview = new OverviewPanel(this);
    m_messaging = new MessagingPanel(this);
    m_messaging->setDeliveryReports(m_session->liveTrace()); // "delivered to N connections" when it says
    m_groups = new GroupsPanel(this);
    m_permissions = new PermissionsPanel(m_session, this); // follows the session itself
    m_tokens = new TokenPanel(m_session, this);            // follows the session itself
    addPanel(u"welcome"_s, tr("Welcome"), m_welcome, Area::Workspace);
    addPanel(u"overview"_s, tr("Overview"), m_overview, Area::Workspace);
    addPanel(u"messaging"_s, tr("Messaging"), m_messaging, Area::Workspace);
    addPanel(u"groups"_s, tr("Groups & users"), m_groups, Area::Workspace);
    addPanel(u"permissions"_s, tr("Permissions"), m_permissions, Area::Workspace);
    addPanel(u"tokens"_s, tr("Client tokens"), m_tokens, Area::Workspace);
    auto *trace = new TracePanel(m_session, this);
    addPanel(u"trace"_s, tr("Trace"), trace, Area::Dock);
    addPanel(u"liveclients"_s, tr("Live clients"), new LiveClientsPanel(m_session, this), Area::Dock);
    addPanel(u"connections"_s, tr("Connections"), new ConnectionsPanel(m_session, this), Area::Dock);
    m_demo = new DemoPanel(m_session, this);
    addPanel(u"demo"_s, tr("Demo"), m_demo, Area::Workspace);
    showPanel(u"overview"_s); // the welcome page is shown on first run (setFirstRun)
    m_docks.value(u"trace"_s)->raise();
    // The docks share the lower part of the window; the page keeps the larger part.
    resizeDocks({m_docks.value(u"trace"_s)}, {height() * 2 / 5}, Qt::Vertical);

    connect(m_welcome, &WelcomePanel::openMessagingRequested, this, [this] { showPanel(u"messaging"_s); });
    connect(m_welcome, &WelcomePanel::addAzureHubRequested, this, [this] {
        showPanel(u"profiles"_s); // when the Profiles panel is in the window
        if (auto *profiles = findChild<ProfilesPanel *>())
            profiles->newProfile(); // a fresh form, not the profile shown last
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

    connect(m_session, &ConsoleSession::clientChanged, this, [this](wps::service::ServiceClient *client) {
        m_messaging->setClient(client);
        m_groups->setClient(client);
        m_groups->setTypedConfirmation(m_session->profileId() != wps::profiles::Profile::localEmulatorId());
    });
    connect(m_session, &ConsoleSession::connectionChanged, this, [this] {
        // Typing the hub name guards "Close all" everywhere but on the built-in local emulator profile.
        m_groups->setTypedConfirmation(m_session->profileId() != wps::profiles::Profile::localEmulatorId());
        if (m_session->state() == ConsoleSession::State::Connected && m_session->connectionString()) {
            m_overview->setConnection(*m_session->connectionString(), m_session->origin());
        } else if (m_session->state() == ConsoleSession::State::Failed) {
            m_overview->setError(m_session->stateText());
        }
        updateStatus();
    });
    connect(m_session, &ConsoleSession::hubChanged, this, [this](const QString &hub) {
        m_hubSelector->setHub(hub);
        updateStatus();
    });
    connect(m_session, &ConsoleSession::profileNameChanged, this, &MainWindow::updateStatus);
    connect(m_session, &ConsoleSession::healthChanged, this, &MainWindow::updateStatus);
    connect(m_hubSelector, &HubSelector::hubChanged, m_session, &ConsoleSession::setHub);
    m_session->setHub(m_hubSelector->hub());
    m_messaging->setClient(m_session->client());
    m_groups->setClient(m_session->client());
    updateStatus();
    updateLocalStatus();
}

MainWindow::~MainWindow()
{
    // The docks' panels go before the session they use (the Trace panel saves the session's trace into the
    // history when it goes): QWidget::raise() moves a raised dock after the session among the children.
    const QList<QDockWidget *> docks = m_docks.values();
    m_docks.clear();
    qDeleteAll(docks);
}

void MainWindow::buildMenus()
{
    auto makeAction = [this](const QString &name, const QString &text, const QKeySequence &key = {}) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        if (!key.isEmpty())
            action->setShortcut(key);
        addAction(action); // shortcuts work while the menu bar is hidden (full screen)
        return action;
    };

    QMenu *file = menuBar()->addMenu(tr("&File"));
    auto *newWindow = makeAction(u"actionNewWindow"_s, tr("&New window"),
                                 standardKey(QKeySequence::New, QKeySequence(Qt::CTRL | Qt::Key_N)));
    connect(newWindow, &QAction::triggered, this, &MainWindow::newWindowRequested);
    auto *openProfile = makeAction(u"actionOpenProfile"_s, tr("&Open profile in new window…"),
                                   standardKey(QKeySequence::Open, QKeySequence(Qt::CTRL | Qt::Key_O)));
    connect(openProfile, &QAction::triggered, this, &MainWindow::openProfileRequested);
    auto *import = makeAction(u"actionImportClipboard"_s, tr("&Import connection string from clipboard"),
                              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
    connect(import, &QAction::triggered, this, &MainWindow::importFromClipboard);
    auto *closeWindow = makeAction(u"actionCloseWindow"_s, tr("&Close window"),
                                   standardKey(QKeySequence::Close, QKeySequence(Qt::CTRL | Qt::Key_W)));
    connect(closeWindow, &QAction::triggered, this, &QWidget::close);
    auto *quit = makeAction(u"actionQuit"_s, tr("&Quit"),
                            standardKey(QKeySequence::Quit, QKeySequence(Qt::CTRL | Qt::Key_Q)));
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, qApp, &QApplication::closeAllWindows, Qt::QueuedConnection);
    file->addActions({newWindow, openProfile, import});
    file->addSeparator();
    file->addActions({closeWindow, quit});

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_panelsMenu = m_viewMenu->addMenu(tr("&Panels"));
    m_docksMenu = m_viewMenu->addMenu(tr("&Docks"));
    m_viewMenu->addSeparator();
    auto *reset = makeAction(u"actionResetLayout"_s, tr("&Reset layout"));
    connect(reset, &QAction::triggered, this, &MainWindow::resetLayout);
    const QKeySequence fullScreenKey = standardKey(QKeySequence::FullScreen, QKeySequence(Qt::Key_F11));
    auto *fullScreen = makeAction(u"actionFullScreen"_s, tr("&Full screen"), fullScreenKey);
    fullScreen->setCheckable(true);
    connect(fullScreen, &QAction::toggled, this, [this](bool on) {
        setWindowState(on ? (windowState() | Qt::WindowFullScreen) : (windowState() & ~Qt::WindowFullScreen));
    });
    auto *presentation = makeAction(u"actionPresentation"_s, tr("&Presentation"),
                                    QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    presentation->setCheckable(true);
    presentation->setToolTip(tr("Larger fonts across the window, for a projector"));
    connect(presentation, &QAction::toggled, this, &MainWindow::setPresentationMode);
    m_viewMenu->addActions({reset, fullScreen, presentation});

    QMenu *connection = menuBar()->addMenu(tr("&Connection"));
    auto *reconnect = makeAction(u"actionReconnect"_s, tr("&Reconnect"),
                                 standardKey(QKeySequence::Refresh, QKeySequence(Qt::Key_F5)));
    connect(reconnect, &QAction::triggered, this, &MainWindow::reconnectRequested);
    auto *local = makeAction(u"actionStartEmulator"_s, tr("Use the &local emulator"),
                             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    local->setEnabled(false); // until setLocalService()
    connect(local, &QAction::triggered, this, &MainWindow::startLocalEmulator);
    auto *cancel = makeAction(u"actionCancelConnect"_s, tr("&Cancel connecting"));
    cancel->setEnabled(false); // while an open runs
    connect(cancel, &QAction::triggered, this, [this] { m_session->cancelOpen(); });
    connection->addActions({reconnect, local, cancel});

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    auto *shortcuts =
        makeAction(u"actionShortcuts"_s, tr("&Keyboard shortcuts"), QKeySequence(Qt::CTRL | Qt::Key_Slash));
    connect(shortcuts, &QAction::triggered, this, &MainWindow::showShortcutSheet);
    auto *guide = makeAction(u"actionUserGuide"_s, tr("&User guide"),
                             standardKey(QKeySequence::HelpContents, QKeySequence(Qt::Key_F1)));
    connect(guide, &QAction::triggered, this, &MainWindow::showUserGuide);
    auto *about = makeAction(u"actionAbout"_s, tr("&About Web PubSub Console"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
    help->addActions({shortcuts, guide, about});

    auto *toolbar = addToolBar(tr("Main toolbar"));
    toolbar->setObjectName(u"mainToolbar"_s);
    toolbar->setMovable(false);
    toolbar->addWidget(m_hubSelector);
    toolbar->addSeparator();
    toolbar->addActions({reconnect, import, local});
}

void MainWindow::buildStatusBar()
{
    auto makeLabel = [this](const QString &name) {
        auto *label = new QLabel(this);
        label->setObjectName(name);
        label->setTextFormat(Qt::RichText);
        const int gap = label->fontMetrics().horizontalAdvance(u'M');
        label->setContentsMargins(gap / 2, 0, gap / 2, 0);
        statusBar()->addPermanentWidget(label);
        return label;
    };
    m_profileLabel = makeLabel(u"statusProfile"_s);
    m_endpointLabel = makeLabel(u"statusEndpoint"_s);
    m_endpointLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_hubLabel = makeLabel(u"statusHub"_s);
    m_stateLabel = makeLabel(u"statusState"_s);
    m_localLabel = makeLabel(u"statusEmulator"_s);
}

void MainWindow::addPanel(const QString &id, const QString &title, QWidget *widget, Area area,
                          const QString &before)
{
    if (m_pageIndex.contains(id) || m_docks.contains(id)) {
        qCWarning(lcWindow) << "panel id used twice:" << id;
        return;
    }
    m_panelOrder.append(id);
    // Every page and dock opens with the same heading: the title the navigation shows and the panel's
    // one-line purpose (docks show the title in their title bar instead).
    if (pagePurpose(widget).isEmpty())
        qCWarning(lcWindow) << "panel without a purpose:" << id;
    auto *framed = new QWidget;
    framed->setObjectName(u"framed_"_s + id);
    auto *frameLayout = new QVBoxLayout(framed);
    frameLayout->setContentsMargins(0, 0, 0, 0);
    auto *heading = new PageHeading(title, pagePurpose(widget), framed);
    heading->setTitleVisible(area == Area::Workspace);
    const int margin = style()->pixelMetric(QStyle::PM_LayoutLeftMargin);
    heading->setContentsMargins(margin, area == Area::Workspace ? margin : margin / 2, margin, 0);
    frameLayout->addWidget(heading);
    frameLayout->addWidget(widget, 1);
    if (area == Area::Workspace) {
        int row = m_navigation->count();
        for (int r = 0; r < m_navigation->count() && !before.isEmpty(); ++r) {
            if (m_navigation->item(r)->data(Qt::UserRole).toString() == before) {
                row = r;
                break;
            }
        }
        auto *item = new QListWidgetItem(title);
        item->setData(Qt::UserRole, id);
        m_navigation->insertItem(row, item);
        // navigation row == page index
        m_pages->insertWidget(row, scrollable(framed, u"page_"_s + id));
        m_pageIndex.insert(id, row);
        auto *action = new QAction(title, this);
        action->setObjectName(u"actionPanel_"_s + id);
        addAction(action);
        connect(action, &QAction::triggered, this, [this, id] { showPanel(id); });
        m_panelsMenu->insertAction(m_panelActions.value(before), action);
        m_panelActions.insert(id, action);
        // Ctrl+1..9 follow the navigation order, whatever order the panels were added in.
        for (int r = 0; r < m_navigation->count(); ++r) {
            QAction *a = m_panelActions.value(m_navigation->item(r)->data(Qt::UserRole).toString());
            if (a)
                a->setShortcut(r < 9 ? QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + r)) : QKeySequence());
        }
        return;
    }
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(u"dock_"_s + id);
    dock->setWidget(scrollable(framed, u"dockScroll_"_s + id));
    dock->setAllowedAreas(Qt::BottomDockWidgetArea | Qt::RightDockWidgetArea | Qt::LeftDockWidgetArea);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    if (m_lastDock)
        tabifyDockWidget(m_lastDock, dock);
    m_lastDock = dock;
    m_docks.insert(id, dock);
    QAction *toggle = dock->toggleViewAction();
    toggle->setObjectName(u"actionDock_"_s + id);
    m_docksMenu->addAction(toggle);
}

bool MainWindow::showPanel(const QString &id)
{
    if (const auto page = m_pageIndex.constFind(id); page != m_pageIndex.cend()) {
        for (int row = 0; row < m_navigation->count(); ++row) {
            if (m_navigation->item(row)->data(Qt::UserRole).toString() == id) {
                m_navigation->setCurrentRow(row);
                return true;
            }
        }
    }
    if (QDockWidget *dock = m_docks.value(id)) {
        dock->show();
        dock->raise();
        return true;
    }
    return false;
}

void MainWindow::showPanel(int index)
{
    if (index >= 0 && index < m_navigation->count())
        m_navigation->setCurrentRow(index);
}

std::unique_ptr<QSettings> MainWindow::settings() const
{
    if (m_settingsFile.isEmpty())
        return std::make_unique<QSettings>();
    return std::make_unique<QSettings>(m_settingsFile, QSettings::IniFormat);
}

void MainWindow::setSettingsFile(const QString &path)
{
    m_settingsFile = path;
    if (auto *trace = findChild<TracePanel *>())
        trace->setSettingsFile(path);
}

void MainWindow::restoreLayout()
{
    m_defaultState = saveState(kLayoutVersion);
    const auto store = settings();
    const QByteArray geometry = store->value(kGeometryKey).toByteArray();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    const QByteArray state = store->value(kStateKey).toByteArray();
    if (!state.isEmpty() && !restoreState(state, kLayoutVersion))
        qCInfo(lcWindow) << "saved layout ignored (other version)";
    // Column widths, order and hidden columns of the tables that asked to be remembered (rememberColumns());
    // a table whose columns changed since (another version) keeps its defaults.
    const QList<QHeaderView *> headers = findChildren<QHeaderView *>();
    for (QHeaderView *header : headers) {
        const QString key = rememberedColumnsKey(header);
        if (key.isEmpty())
            continue;
        store->beginGroup(kColumnsGroup + key);
        const QByteArray columns = store->value(kColumnsStateKey).toByteArray();
        if (!columns.isEmpty() && store->value(kColumnsCountKey).toInt() == header->count())
            header->restoreState(columns);
        store->endGroup();
    }
    setPresentationMode(store->value(kPresentationKey, false).toBool());
    fitToScreen(false); // a layout saved on a larger screen still fits this one
}

void MainWindow::fitToScreen(bool initial)
{
    const QScreen *target = screen() ? screen() : QGuiApplication::primaryScreen();
    if (!target)
        return;
    const QRect available = target->availableGeometry();
    const int maxWidth = std::max(available.width() - kFrameAllowanceWidth, 1);
    const int maxHeight = std::max(available.height() - kFrameAllowanceHeight, 1);
    if (initial) {
        resize(std::min(kPreferredWidth, maxWidth), std::min(kPreferredHeight, maxHeight));
        return;
    }
    if (isMaximized() || isFullScreen())
        return;
    if (width() > maxWidth || height() > maxHeight)
        resize(std::min(width(), maxWidth), std::min(height(), maxHeight));
    QRect frame = frameGeometry();
    if (!available.contains(frame)) {
        frame.moveLeft(std::clamp(frame.left(), available.left(),
                                  std::max(available.left(), available.right() - frame.width() + 1)));
        frame.moveTop(std::clamp(frame.top(), available.top(),
                                 std::max(available.top(), available.bottom() - frame.height() + 1)));
        move(frame.topLeft());
    }
}

bool MainWindow::presentationMode() const
{
    return m_presentation;
}

void MainWindow::setPresentationMode(bool on)
{
    if (QAction *toggle = action(u"actionPresentation"_s); toggle && toggle->isChecked() != on)
        toggle->setChecked(on); // comes back here through toggled
    if (m_presentation == on)
        return;
    m_presentation = on;
    QFont larger = m_baseFont;
    if (on) {
        if (larger.pointSizeF() > 0)
            larger.setPointSizeF(larger.pointSizeF() * kPresentationScale);
        else
            larger.setPixelSize(qRound(larger.pixelSize() * kPresentationScale));
    }
    setFont(on ? larger : m_baseFont);
    // Fonts set explicitly on a widget (headings, navigation) do not inherit: scale them alongside.
    const QList<QWidget *> children = findChildren<QWidget *>();
    for (QWidget *child : children) {
        if (!child->testAttribute(Qt::WA_SetFont) || child->isWindow())
            continue;
        QVariant base = child->property("wpsBaseFont");
        if (!base.isValid()) {
            child->setProperty("wpsBaseFont", child->font());
            base = child->font();
        }
        QFont font = base.value<QFont>();
        if (on && font.pointSizeF() > 0)
            font.setPointSizeF(font.pointSizeF() * kPresentationScale);
        child->setFont(font);
    }
    // The navigation's width follows its font, as when the window was built.
    const int em = m_navigation->fontMetrics().horizontalAdvance(u'M');
    m_navigation->setMinimumWidth(11 * em);
    m_navigation->setMaximumWidth(18 * em);
    if (auto *splitter = findChild<QSplitter *>(u"workspaceSplitter"_s))
        splitter->setSizes({13 * em, std::max(splitter->width() - 13 * em, 1)});
    const auto store = settings();
    store->setValue(kPresentationKey, on);
}

void MainWindow::saveLayout() const
{
    const auto store = settings();
    store->setValue(kGeometryKey, saveGeometry());
    store->setValue(kStateKey, saveState(kLayoutVersion));
    const QList<QHeaderView *> headers = findChildren<QHeaderView *>();
    for (QHeaderView *header : headers) {
        const QString key = rememberedColumnsKey(header);
        if (key.isEmpty())
            continue;
        store->beginGroup(kColumnsGroup + key);
        store->setValue(kColumnsStateKey, header->saveState());
        store->setValue(kColumnsCountKey, header->count());
        store->endGroup();
    }
    store->sync();
}

void MainWindow::resetLayout()
{
    if (m_defaultState.isEmpty())
        m_defaultState = saveState(kLayoutVersion);
    restoreState(m_defaultState, kLayoutVersion);
    for (QDockWidget *dock : std::as_const(m_docks))
        dock->show();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    QMainWindow::closeEvent(event);
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

QAction *MainWindow::action(const QString &objectName) const
{
    return findChild<QAction *>(objectName);
}

QList<QAction *> MainWindow::shortcutActions() const
{
    QList<QAction *> result;
    const QList<QAction *> all = actions();
    for (QAction *action : all) {
        if (!action->shortcut().isEmpty())
            result.append(action);
    }
    return result;
}

void MainWindow::updateStatus()
{
    using wps::service::ConnectionHealth;
    const QString profile = m_session->profileName();
    const QUrl endpoint = m_session->endpoint();
    m_profileLabel->setText(!profile.isEmpty()   ? tr("Profile: %1").arg(profile.toHtmlEscaped())
                            : endpoint.isEmpty() ? tr("Not connected")
                                                 : tr("Connection string (no saved profile)"));
    m_endpointLabel->setText(endpoint.isEmpty() ? QString() : endpoint.toString().toHtmlEscaped());
    m_hubLabel->setText(tr("Hub: %1").arg(m_session->hub().toHtmlEscaped()));
    if (auto *cancel = action(u"actionCancelConnect"_s))
        cancel->setEnabled(m_session->isOpening());

    // The state label says only what a probe verified (ConsoleSession::health()).
    const ConnectionHealth health = m_session->health();
    const QString healthName = wps::service::healthName(health);
    QString message;
    switch (m_session->state()) {
    case ConsoleSession::State::Connected:
        if (health == ConnectionHealth::Connected) {
            m_stateLabel->setText(colouredText(u"● "_s + healthName, kOkColour));
        } else if (health == ConnectionHealth::Connecting || health == ConnectionHealth::Unknown) {
            m_stateLabel->setText(tr("○ Checking the connection"));
        } else {
            m_stateLabel->setText(colouredText(u"● "_s + healthName, kErrorColour));
            message = tr("%1: %2").arg(healthName, m_session->healthText());
        }
        break;
    case ConsoleSession::State::Connecting:
        m_stateLabel->setText(tr("○ Connecting"));
        message = m_session->stateText();
        break;
    case ConsoleSession::State::Failed:
        m_stateLabel->setText(
            colouredText(u"● "_s + (health == ConnectionHealth::Unknown ? tr("Not connected") : healthName),
                         kErrorColour));
        message = m_session->stateText();
        break;
    case ConsoleSession::State::Idle:
        m_stateLabel->setText(tr("○ Not connected"));
        message = m_session->stateText();
        break;
    }
    m_stateLabel->setToolTip(m_session->healthText());
    if (m_session->isOpening()) {
        m_stateLabel->setText(tr("○ Connecting"));
        message = m_session->openingText();
    } else if (m_session->state() == ConsoleSession::State::Connected &&
               !m_session->lastOpenError().isEmpty()) {
        // A failed open kept the working connection: say both.
        message = tr("%1 Still on %2.").arg(m_session->lastOpenError(), m_session->origin());
    }
    if (!message.isEmpty())
        statusBar()->showMessage(message);
    else if (m_session->state() == ConsoleSession::State::Connected && health == ConnectionHealth::Connected)
        statusBar()->showMessage(tr("Connected to %1.").arg(m_session->origin()), 5000);
    else
        statusBar()->clearMessage();
    const QString who = profile.isEmpty() ? m_session->origin() : profile;
    setWindowTitle(who.isEmpty() ? tr("Web PubSub Console")
                                 : tr("%1 — %2 — Web PubSub Console").arg(who, m_session->hub()));
}

void MainWindow::updateLocalStatus()
{
    // Only worth a place in the status bar once the local emulator is in play.
    m_localLabel->setVisible(m_local && m_local->status() != LocalService::Status::Stopped);
    if (!m_local)
        return;
    const QString text = m_local->statusText().toHtmlEscaped();
    m_localLabel->setText(m_local->status() == LocalService::Status::Failed
                              ? colouredText(m_local->statusText(), kErrorColour)
                              : text);
}

void MainWindow::importFromClipboard()
{
    const QString text = QGuiApplication::clipboard()->text().trimmed();
    auto connection = wps::ConnectionString::parse(text);
    if (!connection) {
        // The clipboard may hold a secret: say what is wrong, never echo it.
        statusBar()->showMessage(
            tr("The clipboard does not hold a Web PubSub connection string: %1").arg(connection.error()),
            8000);
        return;
    }
    ConsoleSession::OpenRequest request;
    request.connection = *connection;
    request.origin = tr("connection string from the clipboard");
    m_session->open(request);
}

void MainWindow::showShortcutSheet()
{
    if (m_shortcutSheet) {
        m_shortcutSheet->raise();
        m_shortcutSheet->activateWindow();
        return;
    }
    auto *sheet = new QDialog(this);
    sheet->setObjectName(u"shortcutSheet"_s);
    sheet->setAttribute(Qt::WA_DeleteOnClose);
    sheet->setModal(false);
    sheet->setWindowTitle(tr("Keyboard shortcuts"));
    const QList<QAction *> actions = shortcutActions();
    auto *table = new QTableWidget(int(actions.size()), 2, sheet);
    table->setObjectName(u"shortcutTable"_s);
    table->setHorizontalHeaderLabels({tr("Action"), tr("Shortcut")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    for (int row = 0; row < actions.size(); ++row) {
        QString text = actions.at(row)->text();
        text.remove(u'&');
        table->setItem(row, 0, new QTableWidgetItem(text));
        table->setItem(row, 1,
                       new QTableWidgetItem(actions.at(row)->shortcut().toString(QKeySequence::NativeText)));
    }
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, sheet);
    connect(buttons, &QDialogButtonBox::rejected, sheet, &QDialog::close);
    auto *layout = new QVBoxLayout(sheet);
    layout->addWidget(table);
    layout->addWidget(buttons);
    // Wide enough for the longest action and shortcut (plus the scroll bar), never wider than the screen.
    const int em = fontMetrics().horizontalAdvance(u'M');
    const int contentWidth = table->horizontalHeader()->length() + table->frameWidth() * 2 +
                             table->verticalScrollBar()->sizeHint().width() + 3 * em;
    QSize size(std::max(34 * em, contentWidth), 30 * fontMetrics().height());
    if (const QScreen *target = screen())
        size = size.boundedTo(target->availableGeometry().size() * 9 / 10);
    sheet->resize(size);
    m_shortcutSheet = sheet;
    sheet->show();
}

QString MainWindow::userGuidePath()
{
    // Installed: <prefix>/bin/webpubsub-console and <prefix>/share/webpubsub-console/help; the build tree has
    // the same layout (app/ and share/); a Windows or macOS bundle keeps it next to the executable.
    const QString appDir = QCoreApplication::applicationDirPath();
    const QStringList candidates = {appDir + u"/../share/webpubsub-console/help/"_s, appDir + u"/help/"_s,
                                    appDir + u"/../Resources/help/"_s};
    for (const QString &dir : candidates) {
        const QFileInfo file(dir + kUserGuideFile);
        if (file.isFile())
            return file.canonicalFilePath();
    }
    return QString();
}

void MainWindow::showUserGuide()
{
    if (m_userGuide) {
        m_userGuide->show();
        m_userGuide->raise();
        m_userGuide->activateWindow();
        return;
    }
    auto *dialog = new QDialog(this);
    dialog->setObjectName(u"userGuide"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setModal(false);
    dialog->setWindowTitle(tr("User guide — Web PubSub Console"));
    auto *browser = new QTextBrowser(dialog);
    browser->setObjectName(u"userGuideBrowser"_s);
    browser->setOpenExternalLinks(true);
    const QString path = userGuidePath();
    if (path.isEmpty()) {
        browser->setHtml(tr("<h3>The user guide is not installed</h3><p>It is looked for as "
                            "<code>share/webpubsub-console/help/%1</code> next to the application (%2). "
                            "Reinstall the package, or build the <code>wps_user_guide</code> target.</p>")
                             .arg(kUserGuideFile, QCoreApplication::applicationDirPath().toHtmlEscaped()));
    } else {
        browser->setSearchPaths({QFileInfo(path).absolutePath()});
        browser->setSource(QUrl::fromLocalFile(path));
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(browser);
    layout->addWidget(buttons);
    // As large as the guide's pictures need, never larger than the screen.
    const int em = fontMetrics().horizontalAdvance(u'M');
    QSize size(64 * em, 40 * fontMetrics().height());
    if (const QScreen *target = screen())
        size = size.boundedTo(target->availableGeometry().size() * 9 / 10);
    dialog->resize(size);
    m_userGuide = dialog;
    dialog->show();
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Web PubSub Console"),
        tr("<h3>Web PubSub Console %1</h3><p>A desktop console and local emulator for Azure Web "
           "PubSub.</p><p>Qt %2</p>")
            .arg(QApplication::applicationVersion().toHtmlEscaped(), QString::fromLatin1(qVersion())));
}

} // namespace wps::ui
