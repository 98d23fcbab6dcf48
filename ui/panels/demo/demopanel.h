#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace wps::ui {

class ConsoleSession;
class DemoScenario;
class DemoChatModel;
class DemoChatView;

/// Start/Stop for the first-run demo (DemoScenario) and its conversation as a chat (DemoChatModel painted by
/// DemoChatDelegate in a DemoChatView): bubbles per user, group headers, the echo handler's answers and the
/// reliable client's sequence ids and recoveries. A second tab keeps the plain account of what the demo
/// does, so a new user knows why the trace and the charts suddenly move.
class DemoPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DemoPanel(wps::ui::ConsoleSession *session, QWidget *parent = nullptr);

    DemoScenario *scenario() const { return m_scenario; }
    DemoChatModel *chatModel() const { return m_chat; }
    DemoChatView *chatView() const { return m_chatView; }

private:
    /// Creates and lays out the intro, the Start/Stop row, the counters and the Conversation/Activity tabs.
    void buildUi();
    /// Connects the scenario to the chat model, the buttons and the state, counter and activity lines.
    void wire();
    void updateState();
    void updateCounters();
    void addActivity(const QString &line);

    ConsoleSession *m_session = nullptr;
    DemoScenario *m_scenario = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_intro = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_counters = nullptr;
    QLabel *m_chatLink = nullptr;
    QPlainTextEdit *m_activity = nullptr;
    DemoChatModel *m_chat = nullptr;
    DemoChatView *m_chatView = nullptr;
    QTabWidget *m_tabs = nullptr;
};

} // namespace wps::ui
