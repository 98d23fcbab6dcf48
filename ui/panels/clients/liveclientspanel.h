#pragma once

#include <QPointer>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace wps::live {
class AckJob;
class LiveClient;
} // namespace wps::live

namespace wps::ui {

class ConsoleSession;
class GroupStreamsWidget;
class InvokeBox;
class LiveClientsModel;

/// Panel "Live clients": spawns 1..N WebSocket clients of any subprotocol on the session's hub (tokens
/// signed locally or through :generateToken), lists them with their state, and drives the selected ones:
/// join / leave a group, send to a group or an event with the ack result, drop the socket on purpose (a real
/// abort, so reliable clients recover), stop, remove stopped. Every frame goes into the window's trace.
class LiveClientsPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int maxClients = 2000;

    explicit LiveClientsPanel(ConsoleSession *session, QWidget *parent = nullptr);
    ~LiveClientsPanel() override;

    LiveClientsModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    GroupStreamsWidget *groupStreams() const { return m_streams; }

    /// Spawns \a count clients named from \a userPattern ("{n}" is the client's number); returns false and
    /// says why when the form or the session does not allow it.
    bool spawn(int count, const QString &userPattern);
    /// The clients of the selected rows (the current row when none is selected).
    QList<wps::live::LiveClient *> selectedClients() const;
    QString outcomeText() const;

private:
    /// Creates the widgets and lays them out: spawn form, client table and timeline, group actions, group
    /// streams, invoke box, lifecycle row, MQTT clients.
    void buildUi();
    /// The spawn form: count, user pattern, subprotocol, roles, initial groups and the Spawn button.
    QFormLayout *buildSpawnForm();
    void setUpClientTable();
    /// Group name, message and event with Join / Leave / Send to group / Send event.
    QHBoxLayout *buildGroupActions();
    /// Drop socket / Stop / Remove stopped and the outcome line.
    QHBoxLayout *buildLifecycleRow();
    void wire();
    /// Runs the acknowledged call \a make on each selected client and notes each ack (or its error).
    void runAcked(const QString &what,
                  const std::function<wps::live::AckJob *(wps::live::LiveClient *)> &make);
    void runOnSelection(const QString &what, const std::function<void(wps::live::LiveClient *)> &action);
    void showTimeline();

    QPointer<ConsoleSession> m_session;
    LiveClientsModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QSpinBox *m_count = nullptr;
    QLineEdit *m_userPattern = nullptr;
    QComboBox *m_protocol = nullptr;
    QLineEdit *m_roles = nullptr;
    QLineEdit *m_groups = nullptr;
    QLineEdit *m_group = nullptr;
    QLineEdit *m_message = nullptr;
    QLineEdit *m_event = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_outcome = nullptr;
    QPlainTextEdit *m_timeline = nullptr;
    QPushButton *m_spawn = nullptr;
    QPushButton *m_join = nullptr;
    QPushButton *m_leave = nullptr;
    QPushButton *m_sendToGroup = nullptr;
    QPushButton *m_sendEvent = nullptr;
    QPushButton *m_drop = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_removeStopped = nullptr;
    GroupStreamsWidget *m_streams = nullptr; ///< group streams strip (its own file)
    InvokeBox *m_invoke = nullptr;
    int m_next = 1;
};

} // namespace wps::ui
