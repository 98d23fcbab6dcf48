#include "panels/demo/demopanel.h"

#include "panels/common/pageheading.h"
#include "panels/demo/demochatmodel.h"
#include "panels/demo/demochatview.h"
#include "panels/demo/demoscenario.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

DemoPanel::DemoPanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_scenario(new DemoScenario(session, this))
{
    buildUi();
    wire();
    updateState();
    updateCounters();
}

void DemoPanel::buildUi()
{
    // The window's heading says "Demo" and this purpose; the intro adds what the demo does.
    setPagePurpose(this, tr("A small chat on the local emulator that gives every panel something to show."));
    // What the demo does, while it is not running; while it runs the conversation needs the room.
    m_intro = new QLabel(tr("Six live clients in two groups chat, a user event is answered by the emulator's "
                            "echo handler, and a "
                            "reliable client loses its socket and recovers without losing a message. Stop "
                            "leaves nothing behind "
                            "(hub \"%1\" gets its settings back).")
                             .arg(DemoScenario::hubName()),
                         this);
    m_intro->setObjectName(u"demoIntro"_s);
    m_intro->setWordWrap(true);

    m_start = new QPushButton(tr("Start demo"), this);
    m_start->setObjectName(u"startDemo"_s);
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName(u"stopDemo"_s);
    m_state = new QLabel(this);
    m_state->setObjectName(u"demoState"_s);
    m_chatLink = new QLabel(this);
    m_chatLink->setObjectName(u"chatLink"_s);
    m_chatLink->setOpenExternalLinks(true);
    m_chatLink->setTextInteractionFlags(Qt::TextBrowserInteraction);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_state, 1);
    buttons->addWidget(m_chatLink);

    m_counters = new QLabel(this);
    m_counters->setObjectName(u"demoCounters"_s);
    m_counters->setWordWrap(true);

    m_chat = new DemoChatModel(this);
    m_chatView = new DemoChatView(this);
    m_chatView->setObjectName(u"demoChat"_s);
    m_chatView->setModel(m_chat);
    m_chatView->setMinimumHeight(4 * fontMetrics().height());

    m_activity = new QPlainTextEdit(this);
    m_activity->setObjectName(u"demoActivity"_s);
    m_activity->setReadOnly(true);
    m_activity->setMaximumBlockCount(300); // bounded: the demo runs for as long as the user likes
    m_activity->setPlaceholderText(tr("What the demo does appears here."));

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(u"demoTabs"_s);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_chatView, tr("Conversation"));
    m_tabs->addTab(m_activity, tr("Activity"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addLayout(buttons);
    layout->addWidget(m_counters);
    layout->addWidget(m_tabs, 1);
}

void DemoPanel::wire()
{
    const auto now = [] { return QDateTime::currentDateTime(); };
    connect(m_scenario, &DemoScenario::chatMessage, m_chat,
            [this, now](const QString &group, const QString &user, const QString &text, quint64 sequenceId) {
                m_chat->addMessage(group, user, text, now(),
                                   sequenceId ? std::optional<quint64>(sequenceId) : std::nullopt);
            });
    connect(m_scenario, &DemoScenario::userEventSent, m_chat,
            [this, now](const QString &group, const QString &user, const QString &event,
                        const QString &text) { m_chat->addEvent(group, user, event, text, now()); });
    connect(m_scenario, &DemoScenario::echoAnswered, m_chat,
            [this, now](const QString &group, const QString &user, const QString &text) {
                m_chat->addEchoReply(group, user, text, now());
            });
    connect(m_scenario, &DemoScenario::recovered, m_chat,
            [this, now](const QString &user, quint64 before, quint64 after) {
                m_chat->addRecovery(user, before, after, now());
            });
    connect(m_scenario, &DemoScenario::stateChanged, m_chat, [this](DemoScenario::State state) {
        if (state == DemoScenario::State::Starting)
            m_chat->clear(); // a new run, a new conversation
    });
    connect(m_start, &QPushButton::clicked, m_scenario, &DemoScenario::start);
    connect(m_stop, &QPushButton::clicked, m_scenario, &DemoScenario::stop);
    connect(m_scenario, &DemoScenario::stateChanged, this, &DemoPanel::updateState);
    connect(m_scenario, &DemoScenario::countersChanged, this, &DemoPanel::updateCounters);
    connect(m_scenario, &DemoScenario::activity, this, &DemoPanel::addActivity);
    if (m_session)
        connect(m_session, &ConsoleSession::connectionChanged, this, &DemoPanel::updateState);
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
    m_intro->setVisible(state == DemoScenario::State::Idle);
    // Open it in a browser next to the console to chat with the demo's clients.
    const QUrl chat = m_scenario->chatPageUrl();
    m_chatLink->setText(
        chat.isEmpty() ? QString()
                       : u"<a href=\"%1\">%2</a>"_s.arg(chat.toString(QUrl::FullyEncoded).toHtmlEscaped(),
                                                        tr("Open the chat page")));
    m_chatLink->setToolTip(chat.toString());
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
