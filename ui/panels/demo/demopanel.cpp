#include "panels/demo/demopanel.h"

#include "panels/common/pageheading.h"
#include "panels/demo/demoscenario.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"

#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

DemoPanel::DemoPanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_scenario(new DemoScenario(session, this))
{
    auto *intro = new QLabel(
        tr("Runs a small chat on the local emulator: six live clients in two groups exchange "
           "messages, one user event is answered by the emulator's echo handler, and one reliable client "
           "loses its socket every few seconds and recovers. Watch the Trace and the charts while it runs. "
           "Stop leaves nothing behind: the clients go and hub \"%1\" gets its settings back.")
            .arg(DemoScenario::hubName()),
        this);
    intro->setWordWrap(true);
    setPagePurpose(this, tr("A small chat on the local emulator that gives every panel something to show."));
    intro->setTextFormat(Qt::RichText);

    m_start = new QPushButton(tr("Start demo"), this);
    m_start->setObjectName(u"startDemo"_s);
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName(u"stopDemo"_s);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addStretch();

    m_state = new QLabel(this);
    m_state->setObjectName(u"demoState"_s);
    m_counters = new QLabel(this);
    m_counters->setObjectName(u"demoCounters"_s);
    m_chatLink = new QLabel(this);
    m_chatLink->setObjectName(u"chatLink"_s);
    m_chatLink->setOpenExternalLinks(true);
    m_chatLink->setTextInteractionFlags(Qt::TextBrowserInteraction);
    auto *form = new QFormLayout;
    form->addRow(tr("State:"), m_state);
    form->addRow(tr("Traffic:"), m_counters);
    form->addRow(tr("Chat page:"), m_chatLink);

    m_activity = new QPlainTextEdit(this);
    m_activity->setObjectName(u"demoActivity"_s);
    m_activity->setReadOnly(true);
    m_activity->setMaximumBlockCount(300); // bounded: the demo runs for as long as the user likes
    m_activity->setPlaceholderText(tr("What the demo does appears here."));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(buttons);
    layout->addLayout(form);
    layout->addWidget(m_activity, 1);

    connect(m_start, &QPushButton::clicked, m_scenario, &DemoScenario::start);
    connect(m_stop, &QPushButton::clicked, m_scenario, &DemoScenario::stop);
    connect(m_scenario, &DemoScenario::stateChanged, this, &DemoPanel::updateState);
    connect(m_scenario, &DemoScenario::countersChanged, this, &DemoPanel::updateCounters);
    connect(m_scenario, &DemoScenario::activity, this, &DemoPanel::addActivity);
    if (session)
        connect(session, &ConsoleSession::connectionChanged, this, &DemoPanel::updateState);
    updateState();
    updateCounters();
}

void DemoPanel::updateState()
{
    const bool connected = m_session && m_session->state() == ConsoleSession::State::Connected &&
                           m_session->connectionString().has_value();
    const DemoScenario::State state = m_scenario->state();
    m_start->setEnabled(connected && state == DemoScenario::State::Idle);
    m_stop->setEnabled(state == DemoScenario::State::Starting || state == DemoScenario::State::Running);
    switch (state) {
    case DemoScenario::State::Idle:
        m_state->setText(connected ? tr("Not running.")
                                   : tr("Connect to the local emulator to run the demo."));
        break;
    case DemoScenario::State::Starting:
        m_state->setText(tr("Starting..."));
        break;
    case DemoScenario::State::Running:
        m_state->setText(tr("Running on hub \"%1\".").arg(DemoScenario::hubName()));
        break;
    case DemoScenario::State::Stopping:
        m_state->setText(tr("Stopping..."));
        break;
    }
    const QUrl chat = m_scenario->chatPageUrl();
    m_chatLink->setText(
        chat.isEmpty() ? tr("(available while the demo runs)")
                       : u"<a href=\"%1\">%2</a>"_s.arg(chat.toString(QUrl::FullyEncoded).toHtmlEscaped(),
                                                        chat.toString().toHtmlEscaped()));
}

void DemoPanel::updateCounters()
{
    m_counters->setText(tr("Clients: %1 of %2 connected  ·  Messages: %3 sent, %4 received  ·  "
                           "Echo replies: %5  ·  Recoveries: %6")
                            .arg(m_scenario->connectedClients())
                            .arg(m_scenario->clients().size())
                            .arg(m_scenario->messagesSent())
                            .arg(m_scenario->messagesReceived())
                            .arg(m_scenario->echoReplies())
                            .arg(m_scenario->recoveries()));
}

void DemoPanel::addActivity(const QString &line)
{
    m_activity->appendPlainText(QDateTime::currentDateTime().toString(u"HH:mm:ss"_s) + u"  "_s + line);
}

} // namespace wps::ui
