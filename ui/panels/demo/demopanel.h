#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace wps::ui {

class ConsoleSession;
class DemoScenario;

/// Start/Stop for the first-run demo (DemoScenario) and a plain account of what it is doing, so a new user
/// knows why the trace and the charts suddenly move and how to open the built-in chat page next to them.
class DemoPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DemoPanel(wps::ui::ConsoleSession *session, QWidget *parent = nullptr);

    DemoScenario *scenario() const { return m_scenario; }

private:
    void updateState();
    void updateCounters();
    void addActivity(const QString &line);

    ConsoleSession *m_session = nullptr;
    DemoScenario *m_scenario = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_counters = nullptr;
    QLabel *m_chatLink = nullptr;
    QPlainTextEdit *m_activity = nullptr;
};

} // namespace wps::ui
