#pragma once

#include "mainwindow/windowservices.h"
#include "protocol/connectionstring.h"

#include <QByteArray>
#include <QFont>
#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <memory>
#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QListWidget;
class QMenu;
class QSettings;
class QStackedWidget;

namespace wps::service {
class ServiceClient;
}

namespace wps::ui {

class ConsoleSession;
class DemoPanel;
class GroupsPanel;
class HubSelector;
class LocalService;
class MessagingPanel;
class OverviewPanel;
class PermissionsPanel;
class ProfilesPanel;
class TokenPanel;
class TracePanel;
class WelcomePanel;

/// The console's main window over one ConsoleSession: workspace panels (a navigation list and stacked
/// pages), observation panels as docks, menus with a shortcut for every frequent action, and a status bar
/// with profile, endpoint, hub, connection and local emulator state. It composes the whole window -- every
/// panel and how they lead to each other -- from the session and the WindowServices the application gives
/// it. It knows nothing of where the service runs (the session does) and has no network code.
///
/// The implementation is split by concern: mainwindow.cpp (composition, opening a connection),
/// mainwindow_navigation.cpp (pages and docks), mainwindow_menus.cpp (menus, toolbar and their dialogs),
/// mainwindow_status.cpp (status bar and title), mainwindow_layout.cpp (remembered layout, screen fit,
/// presentation mode).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    /// Where a panel goes: a page of the navigation list, or a dock (bottom, tabified with the others).
    enum class Area { Workspace, Dock };

    /// What a window opens (openTarget()), and opens again on Connection > Reconnect: a connection string
    /// (probed first, like a profile), else a saved profile (through WindowServices::connector), else the
    /// local emulator (WindowServices::local).
    struct OpenTarget
    {
        std::optional<wps::ConnectionString> connection;
        QString profileId;
    };

    /// A window with its own session and no services (tests, the single-window case).
    explicit MainWindow(QWidget *parent = nullptr);
    /// A window over \a session (not owned; it must outlive the window) without services. One session per
    /// window lets several windows work on different services at once.
    explicit MainWindow(ConsoleSession *session, QWidget *parent = nullptr);
    /// The whole console window over \a session (not owned) with what the application provides.
    MainWindow(ConsoleSession *session, const WindowServices &services, QWidget *parent = nullptr);
    ~MainWindow() override;

    ConsoleSession *session() const { return m_session; }

    /// Adds \a widget as panel \a id (stable, used by --panel, shortcuts and saved layouts) titled \a title.
    /// Workspace panels get Ctrl+1..9 in the order they are added; docks get a View menu toggle.
    /// \a before: the id of a workspace panel to insert in front of (empty: at the end).
    void addPanel(const QString &id, const QString &title, QWidget *widget, Area area,
                  const QString &before = {});
    /// The panel ids in the order added (workspace first, then docks).
    QStringList panelIds() const { return m_panelOrder; }
    /// Shows panel \a id (a workspace page, or raises its dock); false when there is no such panel.
    bool showPanel(const QString &id);
    /// Shows the workspace panel at \a index in the navigation list.
    void showPanel(int index);
    /// The dock of panel \a id, or null.
    QDockWidget *dock(const QString &id) const { return m_docks.value(id); }

    /// Saves and restores the layout in this ini file instead of the application's settings (tests, several
    /// instances); set before restoreLayout().
    /// The Trace dock's settings (chart on/off, saved filters) go to the same file.
    void setSettingsFile(const QString &path);
    /// Restores geometry and dock state saved by the last closed window; call after the last addPanel().
    /// Remembers the layout as built, for View > Reset layout.
    void restoreLayout();
    /// Writes geometry, dock state and the column widths of every remembered table (also done on close).
    void saveLayout() const;
    /// Back to the layout as built (every dock shown, tabified at the bottom).
    void resetLayout();
    /// The user guide's HTML page installed with the application, or empty when it is missing.
    static QString userGuidePath();
    /// Presentation mode: larger fonts across the window for a projector (View > Presentation); remembered.
    bool presentationMode() const;
    void setPresentationMode(bool on);

    /// Gives the window the local emulator, for Connection > Start local emulator and the status bar
    /// (WindowServices::local does the same at construction).
    void setLocalService(LocalService *local);

    /// Opens \a target in the session now, and again on every Connection > Reconnect.
    void openTarget(const OpenTarget &target);

    /// First run (no saved profile): shows the welcome page first.
    void setFirstRun(bool firstRun);

    /// Convenience for app/ and tests: forwards to the session.
    void setConnection(const wps::ConnectionString &connection, const QString &origin);
    void setConnectionError(const QString &message);
    void setConnecting(const QString &message);

    /// The session's REST client (null before a connection) and the toolbar's hub box.
    wps::service::ServiceClient *serviceClient() const;
    HubSelector *hubSelector() const { return m_hubSelector; }
    WelcomePanel *welcomePanel() const { return m_welcome; }

    /// The action named \a objectName (menus and toolbar), or null: tests and the shortcut sheet use it.
    QAction *action(const QString &objectName) const;
    /// Every action with a shortcut, in menu order (the shortcut sheet lists them).
    QList<QAction *> shortcutActions() const;

Q_SIGNALS:
    /// File > New window.
    void newWindowRequested();
    /// File > Open profile in new window... (the window shows the Profiles page when it has one).
    void openProfileRequested();
    /// "Open in new window" on the Profiles page: the application opens a window on \a profileId.
    void profileWindowRequested(const QString &profileId);
    /// Connection > Reconnect (the window opens its OpenTarget again, when it has one).
    void reconnectRequested();
    /// Welcome > Add an Azure hub...: the Profiles panel is shown when it exists.
    void addAzureHubRequested();
    /// Welcome > Start demo.
    void demoRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // Composition (mainwindow.cpp).
    /// The panels every window has, in navigation order, and the docks.
    void addPanels();
    /// Profiles and Hubs, the pages of the whole console (WindowServices::profiles and connector set).
    void addProfilePanels();
    /// How the panels lead to each other: the welcome page's actions, the demo bringing the trace forward.
    void wirePanels();
    /// The session to the panels that take clients one by one, the status bar and the hub box.
    void wireSession();
    /// Connection > Reconnect: the OpenTarget again, when there is one.
    void reopen();
    void startLocalEmulator();

    // Navigation and docks (mainwindow_navigation.cpp).
    /// The navigation list beside the stacked pages, as the central widget.
    void buildWorkspace();
    /// A navigation row, its page and its View > Panels action, in front of workspace panel \a before.
    void addPage(const QString &id, const QString &title, QWidget *framed, const QString &before);
    /// A dock at the bottom, tabified with the docks before it, with its View > Docks toggle.
    void addDock(const QString &id, const QString &title, QWidget *framed);

    // Menus, toolbar and the dialogs they open (mainwindow_menus.cpp).
    void buildMenus();
    void buildFileMenu();
    void buildViewMenu();
    void buildConnectionMenu();
    void buildHelpMenu();
    void buildToolbar();
    void importFromClipboard();
    void showShortcutSheet();
    /// Help > User guide (F1): the guide installed with the application, in a built-in viewer.
    void showUserGuide();
    void showAbout();

    // Status bar and title (mainwindow_status.cpp).
    void buildStatusBar();
    void updateStatus();
    void updateLocalStatus();

    // Remembered layout (mainwindow_layout.cpp).
    /// \a initial: size the new window from the screen's available area, never larger; otherwise shrink and
    /// move a restored window until it fits.
    void fitToScreen(bool initial);
    std::unique_ptr<QSettings> settings() const;

    ConsoleSession *m_session = nullptr;
    WindowServices m_services;
    std::optional<OpenTarget> m_target;
    QListWidget *m_navigation = nullptr;
    QStackedWidget *m_pages = nullptr;
    HubSelector *m_hubSelector = nullptr;
    OverviewPanel *m_overview = nullptr;
    TokenPanel *m_tokens = nullptr;
    MessagingPanel *m_messaging = nullptr;
    GroupsPanel *m_groups = nullptr;
    PermissionsPanel *m_permissions = nullptr;
    WelcomePanel *m_welcome = nullptr;
    DemoPanel *m_demo = nullptr;
    TracePanel *m_trace = nullptr;
    ProfilesPanel *m_profiles = nullptr; ///< null without profile services
    QPointer<LocalService> m_local;

    QMenu *m_viewMenu = nullptr;
    QMenu *m_panelsMenu = nullptr;
    QMenu *m_docksMenu = nullptr;
    QHash<QString, int> m_pageIndex;
    QHash<QString, QDockWidget *> m_docks;
    QStringList m_panelOrder;
    QDockWidget *m_lastDock = nullptr;
    QHash<QString, QAction *> m_panelActions;

    QLabel *m_profileLabel = nullptr;
    QLabel *m_endpointLabel = nullptr;
    QLabel *m_hubLabel = nullptr;
    QLabel *m_stateLabel = nullptr;
    QLabel *m_localLabel = nullptr;

    QString m_settingsFile;
    QFont m_baseFont;
    bool m_presentation = false;
    QByteArray m_defaultState;
    QPointer<QWidget> m_shortcutSheet;
    QPointer<QWidget> m_userGuide;
};

} // namespace wps::ui
