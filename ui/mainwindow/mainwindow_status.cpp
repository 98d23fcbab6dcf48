// MainWindow's status bar (profile, endpoint, hub, the verified connection state, the local emulator) and
// window title, following the session.
#include "mainwindow/mainwindow.h"
#include "service/connectionprobe.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "session/localservice.h"

#include <QAction>
#include <QLabel>
#include <QStatusBar>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {

// Status colours for text only; mid-saturation so they read on light and dark palettes alike.
const auto kOkColour = u"#2e9d3a"_s;
const auto kErrorColour = u"#d13438"_s;

QString colouredText(const QString &text, const QString &colour)
{
    return u"<span style=\"color:%1\">%2</span>"_s.arg(colour, text.toHtmlEscaped());
}

} // namespace

void MainWindow::buildStatusBar()
{
    auto makeLabel = [this](const QString &name) {
        auto *label = new QLabel(this);
        label->setObjectName(name);
        label->setTextFormat(Qt::RichText);
        const int gap = label->fontMetrics().horizontalAdvance(u'M');
        label->setContentsMargins(gap / 2, 0, gap / 2, 0);
        statusBar()->addPermanentWidget(label);
        return label;
    };
    m_profileLabel = makeLabel(u"statusProfile"_s);
    m_endpointLabel = makeLabel(u"statusEndpoint"_s);
    m_endpointLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_hubLabel = makeLabel(u"statusHub"_s);
    m_stateLabel = makeLabel(u"statusState"_s);
    m_localLabel = makeLabel(u"statusEmulator"_s);
}

void MainWindow::updateStatus()
{
    using wps::service::ConnectionHealth;
    const QString profile = m_session->profileName();
    const QUrl endpoint = m_session->endpoint();
    m_profileLabel->setText(!profile.isEmpty()   ? tr("Profile: %1").arg(profile.toHtmlEscaped())
                            : endpoint.isEmpty() ? tr("Not connected")
                                                 : tr("Connection string (no saved profile)"));
    m_endpointLabel->setText(endpoint.isEmpty() ? QString() : endpoint.toString().toHtmlEscaped());
    m_hubLabel->setText(tr("Hub: %1").arg(m_session->hub().toHtmlEscaped()));
    if (auto *cancel = action(u"actionCancelConnect"_s))
        cancel->setEnabled(m_session->isOpening());

    // The state label says only what a probe verified (ConsoleSession::health()).
    const ConnectionHealth health = m_session->health();
    const QString healthName = wps::service::healthName(health);
    QString message;
    switch (m_session->state()) {
    case ConsoleSession::State::Connected:
        if (health == ConnectionHealth::Connected) {
            m_stateLabel->setText(colouredText(u"● "_s + healthName, kOkColour));
        } else if (health == ConnectionHealth::Connecting || health == ConnectionHealth::Unknown) {
            m_stateLabel->setText(tr("○ Checking the connection"));
        } else {
            m_stateLabel->setText(colouredText(u"● "_s + healthName, kErrorColour));
            message = tr("%1: %2").arg(healthName, m_session->healthText());
        }
        break;
    case ConsoleSession::State::Connecting:
        m_stateLabel->setText(tr("○ Connecting"));
        message = m_session->stateText();
        break;
    case ConsoleSession::State::Failed:
        m_stateLabel->setText(
            colouredText(u"● "_s + (health == ConnectionHealth::Unknown ? tr("Not connected") : healthName),
                         kErrorColour));
        message = m_session->stateText();
        break;
    case ConsoleSession::State::Idle:
        m_stateLabel->setText(tr("○ Not connected"));
        message = m_session->stateText();
        break;
    }
    m_stateLabel->setToolTip(m_session->healthText());
    if (m_session->isOpening()) {
        m_stateLabel->setText(tr("○ Connecting"));
        message = m_session->openingText();
    } else if (m_session->state() == ConsoleSession::State::Connected &&
               !m_session->lastOpenError().isEmpty()) {
        // A failed open kept the working connection: say both.
        message = tr("%1 Still on %2.").arg(m_session->lastOpenError(), m_session->origin());
    }
    if (!message.isEmpty())
        statusBar()->showMessage(message);
    else if (m_session->state() == ConsoleSession::State::Connected && health == ConnectionHealth::Connected)
        statusBar()->showMessage(tr("Connected to %1.").arg(m_session->origin()), 5000);
    else
        statusBar()->clearMessage();
    const QString who = profile.isEmpty() ? m_session->origin() : profile;
    setWindowTitle(who.isEmpty() ? tr("Web PubSub Console")
                                 : tr("%1 — %2 — Web PubSub Console").arg(who, m_session->hub()));
}

void MainWindow::updateLocalStatus()
{
    // Only worth a place in the status bar once the local emulator is in play.
    m_localLabel->setVisible(m_local && m_local->status() != LocalService::Status::Stopped);
    if (!m_local)
        return;
    const QString text = m_local->statusText().toHtmlEscaped();
    m_localLabel->setText(m_local->status() == LocalService::Status::Failed
                              ? colouredText(m_local->statusText(), kErrorColour)
                              : text);
}

} // namespace wps::ui
