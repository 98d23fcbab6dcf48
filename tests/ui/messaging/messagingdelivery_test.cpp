// The Messaging panel answers "did it arrive?" from the service's own live trace: a send to an empty group
// says "delivered to 0 connections — group room2 has no members", a send that reaches a client says how
// many, a send whose delivery the service does not report never claims more than "accepted", and a
// connection id from another hub is refused before anything is sent. Against the real emulator.
#include "live/liveclient.h"
#include "panels/messaging/messagingpanel.h"
#include "protocol/clienttoken.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/panelfixture.h"
#include "support/wait.h"
#include "support/widgets.h"
#include "trace/livetrace.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <chrono>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using wps::test::child;
using wps::ui::ConsoleSession;
using wps::ui::MessagingPanel;

namespace {

using wps::test::kWaitMs;

class MessagingDeliveryTest : public wps::test::PanelTest<MessagingPanel>
{
protected:
    void prepareSession() override { m_session.setLiveTraceEnabled(true); }

    void panelReady() override
    {
        ASSERT_TRUE(QTest::qWaitFor(
            [&] { return m_session.liveTrace()->state() == wps::trace::LiveTraceClient::State::Connected; },
            kWaitMs))
            << m_session.liveTrace()->lastError().toStdString();
        // Connected is said once the listen request is sent; a REST call's own record proves it was heard.
        auto *probe = m_session.client()->connectionExists(u"warmup"_s);
        QSignalSpy probed(probe, &wps::service::ServiceJob::finished);
        ASSERT_TRUE(probed.wait(kWaitMs));
        const QString probeId = probe->clientRequestId();
        ASSERT_TRUE(QTest::qWaitFor([&] { return m_session.liveTrace()->requestReport(probeId).has_value(); },
                                    kWaitMs));
    }

    /// Fills the form and clicks Send; waits for the final answer (not "Working…" or "waiting…").
    QString send(const QString &target, const QString &id)
    {
        auto *targetBox = child<QComboBox>(*m_panel, u"target"_s);
        targetBox->setCurrentIndex(targetBox->findText(target));
        child<QLineEdit>(*m_panel, u"targetId"_s)->setText(id);
        child<QComboBox>(*m_panel, u"contentType"_s)->setCurrentIndex(0); // text
        child<QPlainTextEdit>(*m_panel, u"body"_s)->setPlainText(u"hello"_s);
        const int before = int(m_panel->history().size());
        QTest::mouseClick(child<QPushButton>(*m_panel, u"send"_s), Qt::LeftButton);
        EXPECT_TRUE(QTest::qWaitFor([&] { return m_panel->history().size() > before; }, kWaitMs))
            << m_panel->outcomeText().toStdString();
        return m_panel->outcomeText();
    }
};

} // namespace

TEST_F(MessagingDeliveryTest, EmptyGroupSaysDeliveredToZeroConnectionsAndWhy)
{
    const QString outcome = send(u"Group"_s, u"room2"_s);
    EXPECT_TRUE(outcome.contains(u"delivered to 0 connections — group room2 has no members"_s))
        << outcome.toStdString();
    EXPECT_FALSE(outcome.startsWith(u"Sent"_s));
    EXPECT_TRUE(m_panel->history().first().contains(u"group room2 has no members"_s));
}

TEST_F(MessagingDeliveryTest, SendToAConnectedUserSaysHowManyReceivedIt)
{
    wps::ClientTokenOptions token;
    token.userId = u"dana"_s;
    wps::live::LiveClient client(wps::makeClientAccess(m_emulator.connectionString(), u"chat"_s, token).url,
                                 wps::live::Subprotocol::Json);
    wps::live::LiveClientSettings settings;
    settings.pingInterval = 0ms;
    settings.autoReconnect = false;
    client.setSettings(settings);
    QSignalSpy connected(&client, &wps::live::LiveClient::connected);
    client.start();
    ASSERT_TRUE(connected.wait(kWaitMs));
    ASSERT_EQ(m_session.hub(), u"chat"_s);

    const QString outcome = send(u"User"_s, u"dana"_s);
    EXPECT_TRUE(outcome.startsWith(u"Delivered to 1 connection"_s)) << outcome.toStdString();
    const QString nobody = send(u"User"_s, u"erin"_s);
    EXPECT_TRUE(nobody.contains(u"delivered to 0 connections — user erin has no connections"_s))
        << nobody.toStdString();
}

TEST_F(MessagingDeliveryTest, ConnectionOfAnotherHubIsRefusedBeforeSending)
{
    // A client on hub "other": its connection id means nothing to hub "chat".
    wps::ClientTokenOptions token;
    token.userId = u"olga"_s;
    wps::live::LiveClient client(wps::makeClientAccess(m_emulator.connectionString(), u"other"_s, token).url,
                                 wps::live::Subprotocol::Json);
    wps::live::LiveClientSettings settings;
    settings.pingInterval = 0ms;
    settings.autoReconnect = false;
    client.setSettings(settings);
    QSignalSpy connected(&client, &wps::live::LiveClient::connected);
    client.start();
    ASSERT_TRUE(connected.wait(kWaitMs));
    ASSERT_FALSE(client.connectionId().isEmpty());

    const QString outcome = send(u"Connection"_s, client.connectionId());
    EXPECT_TRUE(outcome.startsWith(u"Not sent"_s)) << outcome.toStdString();
    EXPECT_TRUE(outcome.contains(u"not connected to hub “chat”"_s)) << outcome.toStdString();
    EXPECT_TRUE(outcome.contains(u"another hub"_s)) << outcome.toStdString();
}

TEST(MessagingDelivery, WithoutALiveTraceASendIsOnlyAccepted)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    ConsoleSession session; // its live trace is off: the service's answer is all there is
    session.setConnection(emulator.connectionString(), u"test"_s);
    MessagingPanel panel(&session);
    auto *target = child<QComboBox>(panel, u"target"_s);
    target->setCurrentIndex(target->findText(u"Group"_s));
    child<QLineEdit>(panel, u"targetId"_s)->setText(u"room2"_s);
    child<QPlainTextEdit>(panel, u"body"_s)->setPlainText(u"hello"_s);
    QTest::mouseClick(child<QPushButton>(panel, u"send"_s), Qt::LeftButton);
    EXPECT_TRUE(QTest::qWaitFor([&] { return !panel.history().isEmpty(); }, kWaitMs));
    EXPECT_EQ(panel.outcomeText(), u"Sent (accepted by the service; delivery not reported)."_s);
    EXPECT_FALSE(panel.outcomeText().contains(u"delivered"_s));
}
