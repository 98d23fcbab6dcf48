#pragma once

#include <QWidget>

class QLabel;

namespace wps::ui {

class ConsoleSession;

/// The first page of a first run (no saved profile): says what the local emulator is and how an Azure hub
/// differs, and offers the three ways to start. It only emits signals; the window decides what they open,
/// so the Profiles panel and the demo stay their owners' business.
class WelcomePanel : public QWidget
{
    Q_OBJECT
public:
    explicit WelcomePanel(ConsoleSession *session, QWidget *parent = nullptr);

Q_SIGNALS:
    /// "Open Messaging": try the emulator right away.
    void openMessagingRequested();
    /// "Add an Azure hub...": the window shows the Profiles panel.
    void addAzureHubRequested();
    /// "Start demo": the window starts the demo scenario on the local emulator.
    void demoRequested();

private:
    void updateState();

    ConsoleSession *m_session = nullptr;
    QLabel *m_state = nullptr;
};

} // namespace wps::ui
