// The Live clients panel against the real emulator: spawn clients of several subprotocols, join and send
// from the panel with the ack shown, drop a reliable client's socket and watch it recover with the same
// connection id, stop and remove clients; the model under QAbstractItemModelTester.
#include "live/liveclient.h"
#include "panels/clients/liveclientsmodel.h"
#include "panels/clients/liveclientspanel.h"
#include "protocol/jwt.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/panelfixture.h"
#include "support/wait.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDateTime>
#include <QItemSelectionModel>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using wps::ui::ConsoleSession;
using wps::ui::LiveClientsModel;
using wps::ui::LiveClientsPanel;

namespace {

using wps::test::kWaitMs;

class LiveClientsPanelTest : public wps::test::PanelTest<wps::ui::LiveClientsPanel>
{
protected:
    void panelReady() override { m_panel->resize(1200, 700); }

    bool allConnected(int count)
    {
        return QTest::qWaitFor(
            [&] {
                if (m_panel->model()->rowCount() < count)
                    return false;
                for (int r = 0; r < m_panel->model()->rowCount(); ++r) {
                    if (m_panel->model()->client(r)->state() != wps::live::State::Connected)
                        return false;
                }
                return true;
            },
            kWaitMs);
    }

    void select(const QList<int> &rows)
    {
        QItemSelectionModel *selection = m_panel->view()->selectionModel();
        selection->clearSelection();
        for (int row : rows)
            selection->select(m_panel->model()->index(row, 0),
                              QItemSelectionModel::Select | QItemSelectionModel::Rows);
        selection->setCurrentIndex(m_panel->model()->index(rows.first(), 0), QItemSelectionModel::NoUpdate);
    }

    void click(const QString &name)
    {
        auto *button = m_panel->findChild<QPushButton *>(name);
        ASSERT_NE(button, nullptr) << name.toStdString();
        button->click();
    }
};

} // namespace

TEST_F(LiveClientsPanelTest, SpawnsJoinsSendsWithAcksAndTheOthersReceive)
{
    QAbstractItemModelTester tester(m_panel->model(),
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    ASSERT_TRUE(m_panel->spawn(3, u"ann-{n}"_s));
    ASSERT_TRUE(allConnected(3));
    const QString id = m_panel->model()->client(0)->connectionId();
    EXPECT_FALSE(id.isEmpty());
    EXPECT_EQ(m_panel->model()->index(0, LiveClientsModel::User).data().toString(), u"ann-1"_s);
    // The Hub column: the hub each client was spawned on.
    EXPECT_EQ(m_panel->model()->headerData(LiveClientsModel::Hub, Qt::Horizontal).toString(), u"Hub"_s);
    EXPECT_FALSE(m_session.hub().isEmpty());
    for (int row = 0; row < 3; ++row)
        EXPECT_EQ(m_panel->model()->index(row, LiveClientsModel::Hub).data().toString(), m_session.hub());
    // The service agrees.
    auto *exists = m_session.client()->connectionExists(id);
    QSignalSpy existsDone(exists, &wps::service::ServiceJob::finished);
    ASSERT_TRUE(existsDone.wait(kWaitMs));
    EXPECT_TRUE(exists->exists());

    select({0, 1});
    m_panel->findChild<QLineEdit *>(u"group"_s)->setText(u"lobby"_s);
    click(u"join"_s);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            return m_panel->model()->client(0)->joinedGroups().contains(u"lobby"_s) &&
                   m_panel->model()->client(1)->joinedGroups().contains(u"lobby"_s);
        },
        kWaitMs));
    EXPECT_TRUE(QTest::qWaitFor([&] { return m_panel->outcomeText().contains(u"ok"_s); }, kWaitMs))
        << m_panel->outcomeText().toStdString();

    const qint64 inBefore = m_panel->model()->index(1, LiveClientsModel::In).data().toLongLong();
    select({2});
    m_panel->findChild<QLineEdit *>(u"message"_s)->setText(u"hi lobby"_s);
    click(u"sendToGroup"_s);
    EXPECT_TRUE(
        QTest::qWaitFor([&] { return m_panel->outcomeText().startsWith(u"send to lobby: ok"_s); }, kWaitMs))
        << m_panel->outcomeText().toStdString();
    EXPECT_TRUE(QTest::qWaitFor(
        [&] { return m_panel->model()->index(1, LiveClientsModel::In).data().toLongLong() > inBefore; },
        kWaitMs));
    // The receiver's timeline shows the message.
    select({1});
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return m_panel->findChild<QPlainTextEdit *>(u"timeline"_s)->toPlainText().contains(u"hi lobby"_s);
        },
        kWaitMs));
    EXPECT_TRUE(QTest::qWaitFor(
        [&] { return m_panel->findChild<QLabel *>(u"summary"_s)->text().contains(u"3 connected"_s); },
        kWaitMs))
        << m_panel->findChild<QLabel *>(u"summary"_s)->text().toStdString();
}

TEST_F(LiveClientsPanelTest, ADroppedReliableClientRecoversWithTheSameConnectionAndStopRemoves)
{
    auto *protocol = m_panel->findChild<QComboBox *>(u"protocol"_s);
    protocol->setCurrentIndex(protocol->findText(u"json.reliable.webpubsub.azure.v1"_s));
    ASSERT_TRUE(m_panel->spawn(1, u"rel-{n}"_s));
    ASSERT_TRUE(allConnected(1));
    wps::live::LiveClient *client = m_panel->model()->client(0);
    const QString id = client->connectionId();
    QList<wps::live::State> states;
    QObject::connect(client, &wps::live::LiveClient::stateChanged, client,
                     [&states](wps::live::State s) { states << s; });
    select({0});
    click(u"drop"_s);
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return states.contains(wps::live::State::Recovering) &&
                   client->state() == wps::live::State::Connected;
        },
        kWaitMs));
    EXPECT_EQ(client->connectionId(), id);
    EXPECT_EQ(client->recoveries(), 1);

    click(u"stop"_s);
    EXPECT_TRUE(QTest::qWaitFor([&] { return client->state() == wps::live::State::Stopped; }, kWaitMs));
    click(u"removeStopped"_s);
    EXPECT_EQ(m_panel->model()->rowCount(), 0);
    EXPECT_TRUE(m_panel->outcomeText().contains(u"1"_s));
}

TEST_F(LiveClientsPanelTest, RefusesWithoutAConnectionAndReportsBadGroups)
{
    ConsoleSession offline;
    LiveClientsPanel panel(&offline);
    EXPECT_FALSE(panel.spawn(1, u"x"_s));
    EXPECT_EQ(panel.outcomeText(), u"Not connected."_s);

    m_panel->findChild<QLineEdit *>(u"initialGroups"_s)
        ->setText(u"ok, "_s + QString(2000, u'g')); // longer than a group name may be
    EXPECT_FALSE(m_panel->spawn(1, u"x"_s));
    EXPECT_FALSE(m_panel->outcomeText().isEmpty());
    EXPECT_EQ(m_panel->model()->rowCount(), 0);

    click(u"drop"_s); // nothing selected: said so
    EXPECT_TRUE(m_panel->outcomeText().startsWith(u"Select"_s)) << m_panel->outcomeText().toStdString();
}

TEST_F(LiveClientsPanelTest, FiftySpawnedClientsAllConnect)
{
    ASSERT_TRUE(m_panel->spawn(50, u"many-{n}"_s));
    EXPECT_TRUE(allConnected(50));
}

TEST_F(LiveClientsPanelTest, StoppedClientSaysWhyItsHandshakeWasRefused)
{
    // A token signed with another key: the service answers the upgrade with 401 and says why.
    QUrl url = m_emulator.endpoint();
    url.setScheme(u"ws"_s);
    url.setPath(u"/client/hubs/chat"_s);
    url.setQuery(
        u"access_token="_s +
        QString::fromLatin1(wps::jwt::signHs256(
            QJsonObject{{u"aud"_s, QString(m_emulator.endpoint().toString() + u"client/hubs/chat"_s)},
                        {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 600}},
            "not-the-key-0123456789abcdefghijklmnopqrstuvwxyz")));
    auto *client = new wps::live::LiveClient(url, wps::live::Subprotocol::Json, m_panel.get());
    client->setName(u"intruder"_s);
    wps::live::LiveClientSettings settings;
    // The service's words come from a replay of the refused upgrade (5 s at most in the product): a loaded
    // test machine must not turn that bound into a missing reason.
    settings.refusalProbeTimeout = std::chrono::milliseconds(kWaitMs);
    client->setSettings(settings);
    m_panel->model()->add(client);
    QSignalSpy stopped(client, &wps::live::LiveClient::stopped);
    client->start();
    ASSERT_TRUE(stopped.wait(kWaitMs));

    const int row = m_panel->model()->rowCount() - 1;
    const QString state = m_panel->model()->index(row, LiveClientsModel::State).data().toString();
    EXPECT_TRUE(state.startsWith(u"Stopped — Refused: HTTP 401"_s)) << state.toStdString();
    EXPECT_TRUE(state.contains(u"signature"_s, Qt::CaseInsensitive)) << state.toStdString();
    EXPECT_FALSE(state.contains(u"QWebSocketPrivate"_s)) << state.toStdString();
    const QString tip =
        m_panel->model()->index(row, LiveClientsModel::State).data(Qt::ToolTipRole).toString();
    EXPECT_TRUE(tip.contains(u"HTTP 401"_s)) << tip.toStdString();
    // The client's timeline has the refusal with the service's words.
    EXPECT_TRUE(m_panel->model()->timeline(row).join(u'\n').contains(u"refused"_s))
        << m_panel->model()->timeline(row).join(u'\n').toStdString();
}
