#pragma once

#include "protocol/connectionstring.h"
#include "service/serviceclient.h"

#include <QMainWindow>
#include <QPointer>

#include <optional>

class QLabel;
class QListWidget;
class QStackedWidget;

namespace wps::ui {

class GroupsPanel;
class HubSelector;
class MessagingPanel;
class OverviewPanel;
class PermissionsPanel;
class TokenPanel;

/// The console's main window: a navigation list of panels on the left, the current panel on the right,
/// and the connection state in the status bar. It knows nothing of where the service runs: app/ hands it a
/// connection string (the embedded emulator's, or a real resource's) and it speaks the same protocol to both.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    /// Shows that the service at \a connection is in use, with \a origin describing it for the user
    /// (e.g. "embedded emulator").
    void setConnection(const wps::ConnectionString &connection, const QString &origin);
    /// Shows that no service could be reached, and why; the window stays usable.
    void setConnectionError(const QString &message);
    /// Shows that a connection is being set up.
    void setConnecting(const QString &message);
    /// Switches to the panel at \a index in the navigation list.
    void showPanel(int index);

    /// The REST client of the current connection and the toolbar's hub; null before setConnection().
    wps::service::ServiceClient *serviceClient() const { return m_client; }
    HubSelector *hubSelector() const { return m_hubSelector; }

private:
    void addPanel(const QString &title, QWidget *panel);
    /// Replaces the REST client (connection or hub changed) and hands it to every REST panel.
    void rebuildClient();

    QListWidget *m_navigation = nullptr;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_connectionLabel = nullptr;
    OverviewPanel *m_overview = nullptr;
    TokenPanel *m_tokens = nullptr;
    MessagingPanel *m_messaging = nullptr;
    GroupsPanel *m_groups = nullptr;
    PermissionsPanel *m_permissions = nullptr;
    HubSelector *m_hubSelector = nullptr;
    std::optional<wps::ConnectionString> m_connection;
    QPointer<wps::service::ServiceClient> m_client;
};

} // namespace wps::ui
