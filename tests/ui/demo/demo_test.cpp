// The first-run demo (docs/demo.md) on the real emulator: DemoPanel's Start runs DemoScenario (hub settings
// over ARM, six live clients, the echo handler, a reliable client's recovery); Stop leaves nothing behind.
#include "arm/armclient.h"
#include "live/liveclient.h"
#include "panels/demo/demochatmodel.h"
#include "panels/demo/demopanel.h"
#include "panels/demo/demoscenario.h"
#include "service/credential.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/panelfixture.h"
#include "trace/tracestore.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using wps::ui::DemoScenario;

namespace {

class DemoTest : public wps::test::SessionTest
{
protected:
    void SetUp() override
    {
        SessionTest::SetUp();
        if (HasFatalFailure())
            return;
        wps::arm::ArmClientOptions options;
        options.baseUrl = m_emulator.endpoint();
        m_arm = std::make_unique<wps::arm::ArmClient>(
            std::make_shared<wps::service::AccessKeyCredential>(m_emulator.connectionString().accessKey()),
            options);
    }

    /// Waits for an ARM job; false on timeout.
    static bool finished(wps::arm::ArmJob *job)
    {
        return QTest::qWaitFor([job] { return job->isFinished(); }, 15000);
    }

    bool groupExists(const QString &group)
    {
        wps::service::ServiceClient rest(m_emulator.connectionString(), DemoScenario::hubName());
        auto *job = rest.groupExists(group);
        EXPECT_TRUE(QTest::qWaitFor([job] { return job->isFinished(); }, 15000));
        EXPECT_FALSE(job->hasError());
        return job->exists();
    }

    /// Trace rows of hub "demo" with \a type (e.g. "message", "ack").
    int traceRows(const QString &type) const
    {
        const wps::trace::TraceStore *store = m_session.traceStore();
        int rows = 0;
        for (quint64 id = store->firstId(); id < store->endId(); ++id) {
            wps::trace::TraceRecordView view;
            if (store->record(id, &view) && view.hub == DemoScenario::hubName() && view.type == type)
                ++rows;
        }
        return rows;
    }

    std::unique_ptr<wps::arm::ArmClient> m_arm;
};

} // namespace

TEST_F(DemoTest, StartRunsTheChatAndStopLeavesNothingBehind)
{
    wps::ui::DemoPanel panel(&m_session);
    DemoScenario *scenario = panel.scenario();
    scenario->setTiming(
        {std::chrono::milliseconds(200), std::chrono::milliseconds(500), std::chrono::milliseconds(1500)});
    auto *start = panel.findChild<QPushButton *>(u"startDemo"_s);
    auto *stop = panel.findChild<QPushButton *>(u"stopDemo"_s);
    ASSERT_TRUE(start && stop);
    ASSERT_TRUE(start->isEnabled());
    EXPECT_FALSE(stop->isEnabled());
    start->click();

    ASSERT_TRUE(QTest::qWaitFor([&] { return scenario->state() == DemoScenario::State::Running; }, 20000))
        << panel.findChild<QPlainTextEdit *>(u"demoActivity"_s)->toPlainText().toStdString();
    EXPECT_TRUE(stop->isEnabled());
    EXPECT_FALSE(start->isEnabled());
    // The hub's event handler points at the emulator's echo route.
    auto *hub = m_arm->getHub(DemoScenario::resourceId(), DemoScenario::hubName());
    ASSERT_TRUE(finished(hub));
    ASSERT_FALSE(hub->hasError());
    ASSERT_EQ(hub->hub().eventHandlers.size(), 1);
    EXPECT_TRUE(hub->hub().eventHandlers.first().urlTemplate.contains(u"/demo/echo"_s));

    EXPECT_TRUE(QTest::qWaitFor([&] { return scenario->connectedClients() == 6; }, 20000));
    EXPECT_TRUE(QTest::qWaitFor([&] { return scenario->messagesReceived() >= 6; }, 20000));
    EXPECT_TRUE(QTest::qWaitFor([&] { return scenario->echoReplies() >= 1; }, 20000));
    EXPECT_TRUE(QTest::qWaitFor([&] { return scenario->recoveries() >= 1; }, 30000));
    EXPECT_GT(traceRows(u"message"_s), 0); // frames of the demo clients reach the session's trace
    EXPECT_TRUE(groupExists(u"lobby"_s));
    EXPECT_TRUE(groupExists(u"games"_s));
    // The panel says what happens.
    const QString activity = panel.findChild<QPlainTextEdit *>(u"demoActivity"_s)->toPlainText();
    EXPECT_TRUE(activity.contains(u"echo handler answered"_s)) << activity.toStdString();
    EXPECT_TRUE(activity.contains(u"recovered"_s)) << activity.toStdString();
    EXPECT_TRUE(panel.findChild<QLabel *>(u"chatLink"_s)->text().contains(u"/demo/chat"_s));

    // The conversation as a chat: bubbles under group headers, the echo handler's answers, and frank's
    // recovery marked once the next message proved it gap-free.
    using Kind = wps::ui::DemoChatModel::Kind;
    const wps::ui::DemoChatModel *chat = panel.chatModel();
    const auto rowsOf = [chat](Kind kind) {
        QList<QModelIndex> rows;
        for (int row = 0; row < chat->rowCount(); ++row) {
            if (chat->index(row).data(wps::ui::DemoChatModel::KindRole).value<Kind>() == kind)
                rows.append(chat->index(row));
        }
        return rows;
    };
    EXPECT_TRUE(QTest::qWaitFor([&] { return !rowsOf(Kind::Recovery).isEmpty(); }, 30000));
    EXPECT_TRUE(QTest::qWaitFor([&] { return !rowsOf(Kind::EchoReply).isEmpty(); }, 20000));
    for (const QModelIndex &marker : rowsOf(Kind::Recovery)) {
        EXPECT_EQ(marker.data(wps::ui::DemoChatModel::LostRole).toLongLong(), 0)
            << marker.data(wps::ui::DemoChatModel::TextRole).toString().toStdString();
        EXPECT_TRUE(
            marker.data(wps::ui::DemoChatModel::TextRole).toString().startsWith(u"frank reconnected"_s));
    }
    QStringList headers;
    for (const QModelIndex &header : rowsOf(Kind::GroupHeader))
        headers.append(header.data(wps::ui::DemoChatModel::TextRole).toString());
    EXPECT_TRUE(headers.contains(u"lobby"_s)) << headers.join(u", "_s).toStdString();
    EXPECT_TRUE(headers.contains(u"games"_s)) << headers.join(u", "_s).toStdString();
    int sequenced = 0;
    for (const QModelIndex &message : rowsOf(Kind::Message)) {
        const QString group = message.data(wps::ui::DemoChatModel::GroupRole).toString();
        // games is shown as frank (reliable) received it: every bubble carries his sequence id.
        EXPECT_EQ(message.data(wps::ui::DemoChatModel::SequenceRole).isValid(), group == u"games"_s);
        sequenced += group == u"games"_s ? 1 : 0;
        EXPECT_FALSE(message.data(wps::ui::DemoChatModel::UserRole).toString().isEmpty());
    }
    EXPECT_GT(sequenced, 0);
    // The session's hub follows the demo while it runs.
    EXPECT_EQ(m_session.hub(), DemoScenario::hubName());

    stop->click();
    ASSERT_TRUE(QTest::qWaitFor([&] { return scenario->state() == DemoScenario::State::Idle; }, 20000));
    EXPECT_TRUE(scenario->clients().isEmpty());
    EXPECT_TRUE(QTest::qWaitFor([&] { return !groupExists(u"lobby"_s) && !groupExists(u"games"_s); }, 15000));
    // There was no hub "demo" before: there is none after.
    auto *gone = m_arm->getHub(DemoScenario::resourceId(), DemoScenario::hubName());
    ASSERT_TRUE(finished(gone));
    EXPECT_TRUE(gone->hasError());
    EXPECT_EQ(gone->httpStatus(), 404);
    EXPECT_TRUE(start->isEnabled());
    EXPECT_NE(m_session.hub(), DemoScenario::hubName()); // the hub from before the demo is back
}

TEST_F(DemoTest, StopRestoresExistingHubSettings)
{
    wps::arm::HubSettings before;
    before.anonymousConnect = true;
    wps::arm::EventHandler handler;
    handler.urlTemplate = u"http://127.0.0.1:9/{event}"_s;
    handler.userEventPattern = u"a,b"_s;
    handler.systemEvents = {u"connected"_s};
    before.eventHandlers = {handler};
    auto *put = m_arm->createOrUpdateHub(DemoScenario::resourceId(), DemoScenario::hubName(), before);
    ASSERT_TRUE(finished(put));
    ASSERT_FALSE(put->hasError()) << put->error().toString().toStdString();

    DemoScenario scenario(&m_session);
    scenario.start();
    ASSERT_TRUE(QTest::qWaitFor([&] { return scenario.state() == DemoScenario::State::Running; }, 20000));
    EXPECT_TRUE(QTest::qWaitFor([&] { return scenario.connectedClients() == 6; }, 20000));
    scenario.stop();
    ASSERT_TRUE(QTest::qWaitFor([&] { return scenario.state() == DemoScenario::State::Idle; }, 20000));

    auto *after = m_arm->getHub(DemoScenario::resourceId(), DemoScenario::hubName());
    ASSERT_TRUE(finished(after));
    ASSERT_FALSE(after->hasError());
    EXPECT_TRUE(after->hub().anonymousConnect);
    ASSERT_EQ(after->hub().eventHandlers.size(), 1);
    EXPECT_EQ(after->hub().eventHandlers.first().urlTemplate, handler.urlTemplate);
    EXPECT_EQ(after->hub().eventHandlers.first().userEventPattern, handler.userEventPattern);
}

TEST_F(DemoTest, StopWhileStartingStillCleansUp)
{
    DemoScenario scenario(&m_session);
    QSignalSpy states(&scenario, &DemoScenario::stateChanged);
    scenario.start();
    EXPECT_EQ(scenario.state(), DemoScenario::State::Starting);
    scenario.stop();
    ASSERT_TRUE(QTest::qWaitFor([&] { return scenario.state() == DemoScenario::State::Idle; }, 20000));
    EXPECT_TRUE(scenario.clients().isEmpty());
    auto *gone = m_arm->getHub(DemoScenario::resourceId(), DemoScenario::hubName());
    ASSERT_TRUE(finished(gone));
    EXPECT_EQ(gone->httpStatus(), 404);
}

TEST(DemoWithoutService, RefusesToStartWithoutAConnection)
{
    wps::ui::ConsoleSession session;
    DemoScenario scenario(&session);
    QSignalSpy failed(&scenario, &DemoScenario::failed);
    scenario.start();
    EXPECT_EQ(failed.count(), 1);
    EXPECT_EQ(scenario.state(), DemoScenario::State::Idle);
    wps::ui::DemoPanel panel(&session);
    EXPECT_FALSE(panel.findChild<QPushButton *>(u"startDemo"_s)->isEnabled());
}
