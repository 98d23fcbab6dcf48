#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace wps::service {
class ServiceClient;
}

namespace wps::ui {

class ConsoleSession;
class ConnectionInventoryModel;
class JobAction;

/// Panel "Connections": the live inventory of connections the console has observed (its own live clients,
/// list-in-group results and live-trace events, all read from the session's trace), with actions on the
/// selected one: close it (with a reason), send it a text message, check that it exists.
class ConnectionsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionsPanel(ConsoleSession *session, QWidget *parent = nullptr);

    ConnectionInventoryModel *inventory() const { return m_model; }
    /// Selects \a connectionId in the table; false when it is not in the inventory.
    bool selectConnection(const QString &connectionId);
    /// The connection id the actions work on (selected row), or empty.
    QString selectedConnection() const;

private:
    void onClientChanged(wps::service::ServiceClient *client);
    void updateButtons();
    void closeSelected();
    void sendToSelected();
    void checkSelected();

    QPointer<ConsoleSession> m_session;
    QPointer<wps::service::ServiceClient> m_client;
    ConnectionInventoryModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_count = nullptr;
    QLineEdit *m_reason = nullptr;
    QLineEdit *m_message = nullptr;
    QPushButton *m_close = nullptr;
    QPushButton *m_send = nullptr;
    QPushButton *m_exists = nullptr;
    QLabel *m_result = nullptr;
    JobAction *m_closeAction = nullptr;
    JobAction *m_sendAction = nullptr;
    JobAction *m_existsAction = nullptr;
};

} // namespace wps::ui
