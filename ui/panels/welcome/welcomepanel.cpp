#include "panels/welcome/welcomepanel.h"

#include "panels/common/jobaction.h"
#include "panels/common/pageheading.h"
#include "service/connectionprobe.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

WelcomePanel::WelcomePanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_state(new QLabel(this))
{
    setPagePurpose(this, tr("Start here: the Web PubSub Console on the local emulator or on an Azure hub."));

    auto *local = new QLabel(
        tr("<p><b>Local emulator.</b> Unless you choose another service, the console runs a Web PubSub "
           "emulator on "
           "this machine (127.0.0.1). It speaks the same REST API and client protocols as the Azure service, "
           "needs no "
           "account and keeps nothing: use it to learn, to demo and to test your application offline.</p>"),
        this);
    auto *azure = new QLabel(
        tr("<p><b>Azure hub.</b> To inspect a real resource "
           "(<tt>https://&lt;name&gt;.webpubsub.azure.com</tt>), add a profile with its connection string, "
           "access key or Entra ID. Every panel then works the same way on it; keys are kept in the system "
           "keychain, never in plain settings.</p>"),
        this);
    for (QLabel *label : {local, azure}) {
        label->setWordWrap(true);
        label->setTextFormat(Qt::RichText);
    }
    m_state->setObjectName(u"welcomeState"_s);
    m_state->setWordWrap(true);

    auto *messaging = new QPushButton(tr("Open Messaging"), this);
    messaging->setObjectName(u"openMessaging"_s);
    messaging->setDefault(true);
    auto *addHub = new QPushButton(tr("Add an Azure hub…"), this);
    addHub->setObjectName(u"addAzureHub"_s);
    auto *demo = new QPushButton(tr("Start demo"), this);
    demo->setObjectName(u"startDemo"_s);
    demo->setToolTip(tr("Live clients in two groups chatting on the local emulator, so every panel has "
                        "something to show."));
    connect(messaging, &QPushButton::clicked, this, &WelcomePanel::openMessagingRequested);
    connect(addHub, &QPushButton::clicked, this, &WelcomePanel::addAzureHubRequested);
    connect(demo, &QPushButton::clicked, this, &WelcomePanel::demoRequested);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(messaging);
    buttons->addWidget(addHub);
    buttons->addWidget(demo);
    buttons->addStretch(1);

    auto *column = new QVBoxLayout;
    column->addWidget(local);
    column->addWidget(azure);
    column->addWidget(m_state);
    column->addSpacing(fontMetrics().height() / 2);
    column->addLayout(buttons);
    column->addStretch(1);

    // A readable line length: the text column does not stretch across a wide window.
    auto *outer = new QHBoxLayout(this);
    outer->addLayout(column, 3);
    outer->addStretch(1);

    if (m_session) {
        connect(m_session, &ConsoleSession::connectionChanged, this, &WelcomePanel::updateState);
        connect(m_session, &ConsoleSession::healthChanged, this, &WelcomePanel::updateState);
    }
    updateState();
}

void WelcomePanel::updateState()
{
    using wps::service::ConnectionHealth;
    if (!m_session) {
        m_state->clear();
        return;
    }
    if (m_session->isOpening()) {
        showOutcome(m_state, Outcome::Neutral, m_session->openingText());
        return;
    }
    const ConnectionHealth health = m_session->health();
    switch (m_session->state()) {
    case ConsoleSession::State::Connected: {
        const QString where = m_session->endpoint().toString();
        QString text;
        Outcome outcome = Outcome::Neutral;
        if (health == ConnectionHealth::Connected) {
            text = tr("Connected to the %1 at %2.").arg(m_session->origin(), where);
            outcome = Outcome::Success;
        } else if (health == ConnectionHealth::Connecting || health == ConnectionHealth::Unknown) {
            text = tr("Checking the %1 at %2…").arg(m_session->origin(), where);
        } else {
            text = tr("%1: the %2 at %3 — %4")
                       .arg(wps::service::healthName(health), m_session->origin(), where,
                            m_session->healthText());
            outcome = Outcome::Failure;
        }
        if (!m_session->lastOpenError().isEmpty()) {
            text += u' ' + m_session->lastOpenError();
            outcome = Outcome::Failure;
        }
        showOutcome(m_state, outcome, text);
        break;
    }
    case ConsoleSession::State::Connecting:
        showOutcome(m_state, Outcome::Neutral, m_session->stateText());
        break;
    case ConsoleSession::State::Failed:
        showOutcome(m_state, Outcome::Failure, m_session->stateText());
        break;
    case ConsoleSession::State::Idle:
        m_state->setText(m_session->stateText());
        break;
    }
}

} // namespace wps::ui
