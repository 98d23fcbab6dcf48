// The Connections panel against the real `webpubsub-emulator`: the inventory fills from the session's trace
// (own live clients, list-in-group responses), and "Close connection" closes a real client.
#include "live/liveclient.h"
#include "panels/connections/connectioninventorymodel.h"
#include "panels/connections/connectionspanel.h"
#include "protocol/clienttoken.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/panelfixture.h"
#include "support/wait.h"
#include "support/widgets.h"
#include "trace/tracestore.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using wps::ui::ConnectionInventoryModel;

namespace {

using wps::test::child;

using wps::test::kWaitMs;

class ConnectionsPanelTest : public wps::test::PanelTest<wps::ui::ConnectionsPanel>
{
protected:
    void panelReady() override
    {
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_panel->inventory(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    }

    int rowFor(const QString &connectionId)
    {
        int row = -1;
        EXPECT_TRUE(QTest::qWaitFor(
            [&] {
                row = m_panel->inventory()->rowOf(connectionId);
                return row >= 0 && row < m_panel->inventory()->rowCount();
            },
            kWaitMs));
        return row;
    }

    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

} // namespace

TEST_F(ConnectionsPanelTest, ShowsAnOwnClientAndClosesItFromThePanel)
{
    wps::live::LiveClient *client = openClient(u"alice"_s, {u"room1"_s});
    const QString id = client->connectionId();
    ASSERT_FALSE(id.isEmpty());
    const int row = rowFor(id);
    ASSERT_GE(row, 0);
    const ConnectionInventoryModel::Entry &entry = m_panel->inventory()->entry(row);
    EXPECT_EQ(entry.userId, u"alice"_s);
    // The Hub column: the hub the client connected to.
    EXPECT_EQ(entry.hub, u"chat"_s);
    EXPECT_EQ(m_panel->inventory()->data(m_panel->inventory()->index(row, ConnectionInventoryModel::Hub)),
              u"chat"_s);
    EXPECT_EQ(m_panel->inventory()->headerData(ConnectionInventoryModel::Hub, Qt::Horizontal), u"Hub"_s);
    EXPECT_TRUE(entry.sources & ConnectionInventoryModel::OwnClient);
    EXPECT_EQ(entry.state, ConnectionInventoryModel::ConnState::Connected);
    EXPECT_GT(entry.firstSeenMs, 0);

    ASSERT_TRUE(m_panel->selectConnection(id));
    EXPECT_EQ(m_panel->selectedConnection(), id);
    auto *result = child<QLabel>(*m_panel, u"result"_s);

    auto *exists = child<QPushButton>(*m_panel, u"exists"_s);
    ASSERT_TRUE(exists->isEnabled());
    exists->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return result->text().contains(u"exists"_s); }, kWaitMs));
    EXPECT_FALSE(result->text().contains(u"does not"_s)) << result->text().toStdString();

    QSignalSpy disconnected(client, &wps::live::LiveClient::disconnected);
    child<QLineEdit>(*m_panel, u"reason"_s)->setText(u"maintenance"_s);
    // "Close connection" asks first, naming the connection and the hub; Cancel changes nothing.
    child<QPushButton>(*m_panel, u"close"_s)->click();
    QDialog *dialog = nullptr;
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return (dialog = wps::test::visibleDialog(u"confirmDialog"_s)); }, kWaitMs));
    const QString question = child<QLabel>(*dialog, u"confirmText"_s)->text();
    EXPECT_TRUE(question.contains(id)) << question.toStdString();
    EXPECT_TRUE(question.contains(u"chat"_s)) << question.toStdString();
    child<QPushButton>(*dialog, u"confirmCancel"_s)->click();
    EXPECT_TRUE(
        QTest::qWaitFor([&] { return wps::test::visibleDialog(u"confirmDialog"_s) == nullptr; }, kWaitMs));
    // Nothing was sent: the client stays connected and the service still has the connection.
    auto *stillThere = m_session.client()->connectionExists(id);
    QSignalSpy stillDone(stillThere, &wps::service::ServiceJob::finished);
    ASSERT_TRUE(stillDone.wait(kWaitMs));
    EXPECT_TRUE(stillThere->exists());
    EXPECT_EQ(disconnected.count(), 0);
    EXPECT_EQ(client->state(), wps::live::State::Connected);
    EXPECT_FALSE(result->text().startsWith(u"Closed"_s));
    EXPECT_EQ(m_panel->inventory()->entry(m_panel->inventory()->rowOf(id)).state,
              ConnectionInventoryModel::ConnState::Connected);

    // Confirmed, it closes.
    child<QPushButton>(*m_panel, u"close"_s)->click();
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return (dialog = wps::test::visibleDialog(u"confirmDialog"_s)); }, kWaitMs));
    child<QPushButton>(*dialog, u"confirmOk"_s)->click();
    ASSERT_TRUE(disconnected.count() > 0 || disconnected.wait(kWaitMs));
    EXPECT_TRUE(QTest::qWaitFor([&] { return result->text().startsWith(u"Closed"_s); }, kWaitMs))
        << result->text().toStdString();
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return m_panel->inventory()->entry(m_panel->inventory()->rowOf(id)).state ==
                   ConnectionInventoryModel::ConnState::Disconnected;
        },
        kWaitMs));
    EXPECT_TRUE(m_panel->inventory()
                    ->data(m_panel->inventory()->index(row, ConnectionInventoryModel::State))
                    .toString()
                    .contains(u"disconnected"_s));
}

TEST_F(ConnectionsPanelTest, ListInGroupResponsesAddMembers)
{
    // A client the console does not trace: only the REST listing can reveal it.
    wps::ClientTokenOptions options;
    options.userId = u"bob"_s;
    options.groups = {u"lobby"_s};
    const wps::ClientAccess access = wps::makeClientAccess(m_emulator.connectionString(), u"chat"_s, options);
    wps::live::LiveClient stranger(access.url, wps::live::Subprotocol::Json);
    QSignalSpy connected(&stranger, &wps::live::LiveClient::connected);
    stranger.start();
    ASSERT_TRUE(connected.wait(kWaitMs));

    ASSERT_NE(m_session.client(), nullptr);
    auto *job = m_session.client()->listConnectionsInGroup(u"lobby"_s);
    QSignalSpy finished(job, &wps::service::ServiceJob::finished);
    ASSERT_TRUE(finished.wait(kWaitMs));
    ASSERT_FALSE(job->hasError());

    const int row = rowFor(stranger.connectionId());
    ASSERT_GE(row, 0);
    const ConnectionInventoryModel::Entry &entry = m_panel->inventory()->entry(row);
    EXPECT_EQ(entry.sources, int(ConnectionInventoryModel::ListInGroup));
    EXPECT_EQ(entry.userId, u"bob"_s);
    EXPECT_TRUE(entry.groups.contains(u"lobby"_s));
    stranger.stop();
}

TEST(ConnectionInventoryModel, ReadsManyLiveTraceRowsIncrementally)
{
    wps::trace::TraceStore store;
    ConnectionInventoryModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    std::vector<wps::trace::TraceEvent> events;
    for (int i = 0; i < 20000; ++i) {
        wps::trace::TraceEvent event;
        event.timestampMs = now + i;
        event.kind = wps::trace::Kind::Lifecycle;
        event.type = u"ConnectionConnected"_s;
        event.connectionId = u"conn-"_s + QString::number(i % 5000);
        event.userId = u"user"_s;
        events.push_back(event);
    }
    store.append(events);
    model.catchUp();
    EXPECT_EQ(model.rowCount(), 5000);
    EXPECT_EQ(inserted.count(), 1); // one coalesced insert
    wps::trace::TraceEvent gone;
    gone.timestampMs = now + 30000;
    gone.kind = wps::trace::Kind::Lifecycle;
    gone.type = u"ConnectionDisconnected"_s;
    gone.connectionId = u"conn-7"_s;
    store.append(gone);
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return model.entry(model.rowOf(u"conn-7"_s)).state ==
                   ConnectionInventoryModel::ConnState::Disconnected;
        },
        5000));
    EXPECT_EQ(model.rowCount(), 5000);
    EXPECT_EQ(model.entry(model.rowOf(u"conn-7"_s)).sources, int(ConnectionInventoryModel::LiveTrace));
}

TEST_F(ConnectionsPanelTest, GroupsKnownFollowJoinsLeavesAndRestChanges)
{
    wps::live::LiveClient *client =
        openClient(u"carol"_s, {u"start"_s}, {u"webpubsub.joinLeaveGroup.room2"_s});
    const QString id = client->connectionId();
    ASSERT_GE(rowFor(id), 0);
    auto groupsOf = [&] {
        m_panel->inventory()->catchUp();
        return m_panel->inventory()->entry(m_panel->inventory()->rowOf(id)).groups;
    };
    // The client's own acknowledged join.
    wps::live::AckJob *join = client->joinGroup(u"room2"_s);
    QSignalSpy joined(join, &wps::live::AckJob::finished);
    ASSERT_TRUE(joined.wait(kWaitMs));
    ASSERT_TRUE(join->succeeded());
    EXPECT_TRUE(QTest::qWaitFor([&] { return groupsOf().contains(u"room2"_s); }, kWaitMs));
    // A join the service refuses (the token may join room2 only) is not a group known.
    wps::live::AckJob *refused = client->joinGroup(u"room9"_s);
    QSignalSpy refusedDone(refused, &wps::live::AckJob::finished);
    ASSERT_TRUE(refused->isFinished() || refusedDone.wait(kWaitMs));
    // A REST add through the console.
    auto *add = m_session.client()->addConnectionToGroup(u"room3"_s, id);
    QSignalSpy added(add, &wps::service::ServiceJob::finished);
    ASSERT_TRUE(added.wait(kWaitMs));
    ASSERT_FALSE(add->hasError());
    EXPECT_TRUE(QTest::qWaitFor([&] { return groupsOf().contains(u"room3"_s); }, kWaitMs));
    EXPECT_FALSE(refused->succeeded());
    EXPECT_FALSE(groupsOf().contains(u"room9"_s));
    // The client leaves room2 (acknowledged): no longer known.
    wps::live::AckJob *leave = client->leaveGroup(u"room2"_s);
    QSignalSpy left(leave, &wps::live::AckJob::finished);
    ASSERT_TRUE(left.wait(kWaitMs));
    ASSERT_TRUE(leave->succeeded());
    EXPECT_TRUE(QTest::qWaitFor([&] { return !groupsOf().contains(u"room2"_s); }, kWaitMs));
    EXPECT_TRUE(groupsOf().contains(u"room3"_s));
    // The Groups known column shows them.
    const int row = m_panel->inventory()->rowOf(id);
    EXPECT_TRUE(m_panel->inventory()
                    ->data(m_panel->inventory()->index(row, ConnectionInventoryModel::Groups))
                    .toString()
                    .contains(u"room3"_s));
    client->stop();
}

TEST_F(ConnectionsPanelTest, AConnectionOfAnotherHubIsNotClosedThroughTheCurrentOne)
{
    ASSERT_EQ(m_session.client()->hub(), u"chat"_s);
    wps::live::LiveClient *client = openClient(u"dave"_s, {u"room1"_s}, {}, u"other"_s);
    const QString id = client->connectionId();
    ASSERT_GE(rowFor(id), 0);
    EXPECT_EQ(m_panel->inventory()->entry(rowFor(id)).hub, u"other"_s);
    ASSERT_TRUE(m_panel->selectConnection(id));
    QSignalSpy disconnected(client, &wps::live::LiveClient::disconnected);
    child<QPushButton>(*m_panel, u"close"_s)->click();
    // No question about closing it in "chat": the panel says which hub to choose, and nothing is sent.
    auto *result = child<QLabel>(*m_panel, u"result"_s);
    EXPECT_TRUE(result->text().contains(u"\u201Cother\u201D"_s)) << result->text().toStdString();
    EXPECT_EQ(wps::test::visibleDialog(u"confirmDialog"_s), nullptr);
    // The service still has it (asked in its own hub), and the client never heard of a close.
    wps::service::ServiceClient other(m_emulator.connectionString(), u"other"_s);
    auto *exists = other.connectionExists(id);
    QSignalSpy done(exists, &wps::service::ServiceJob::finished);
    ASSERT_TRUE(done.wait(kWaitMs));
    EXPECT_TRUE(exists->exists());
    EXPECT_EQ(disconnected.count(), 0);
    EXPECT_EQ(client->state(), wps::live::State::Connected);
    client->stop();
}
