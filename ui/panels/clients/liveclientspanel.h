#pragma once

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace wps::live {
class LiveClient;
}

namespace wps::ui {

class ConsoleSession;
class GroupStreamsWidget;
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
    GroupStreamsWidget *m_streams = nullptr; ///< group streams strip (its own file)
    int m_next = 1;
};

} // namespace wps::ui
