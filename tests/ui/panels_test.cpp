// The REST panels of the console window (Messaging; Groups, users, connections; Permissions) against the real
// `webpubsub-emulator` over loopback: fill the form, click, wait for the inline result, and check both what
// the panel shows and what the emulator did (a live client receives, exists turns true, a connection closes).
#include "live/liveclient.h"
#include "mainwindow/hubselector.h"
#include "mainwindow/mainwindow.h"
#include "panels/groups/groupmembersmodel.h"
#include "panels/groups/groupspanel.h"
#include "panels/messaging/messagingpanel.h"
#include "panels/permissions/permissionspanel.h"
#include "protocol/clienttoken.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/emulatorprocess.h"
#include "support/panelfixture.h"
#include "support/wait.h"
#include "support/widgets.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryFile>
#include <QTest>

#include <gtest/gtest.h>

#include <memory>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using wps::live::LiveClient;
using wps::messages::DataMessage;

namespace {

using wps::test::child;

using wps::test::kWaitMs;
const QString kHub = u"chat"_s;

class PanelsTest : public wps::test::SessionTest
{
protected:
    void SetUp() override
    {
        SessionTest::SetUp();
        if (HasFatalFailure())
            return;
        m_service = std::make_unique<wps::service::ServiceClient>(m_emulator.connectionString(), kHub);
        m_session.setHub(kHub);
    }

    /// A connected JSON live client of user \a userId; its server messages are collected in \a received.
    LiveClient *open(const QString &userId, QList<DataMessage> *received = nullptr)
    {
        wps::ClientTokenOptions token;
        token.userId = userId;
        const wps::ClientAccess access = wps::makeClientAccess(m_emulator.connectionString(), kHub, token);
        auto *client = new LiveClient(access.url, wps::live::Subprotocol::Json);
        m_clients.emplace_back(client);
        wps::live::LiveClientSettings settings;
        settings.pingInterval = 0ms;
        settings.autoReconnect = false;
        client->setSettings(settings);
        if (received) {
            QObject::connect(client, &LiveClient::serverMessage, client,
                             [received](const DataMessage &m) { received->append(m); });
        }
        QSignalSpy connected(client, &LiveClient::connected);
        client->start();
        EXPECT_TRUE(connected.wait(kWaitMs));
        return client;
    }

    /// Asks the emulator directly (not through the panel) whether \a job says true.
    bool exists(wps::service::ExistsJob *job)
    {
        QSignalSpy finished(job, &wps::service::ServiceJob::finished);
        EXPECT_TRUE(finished.wait(kWaitMs));
        EXPECT_FALSE(job->hasError()) << job->error().toString().toStdString();
        const bool result = job->exists();
        job->deleteLater();
        return result;
    }

    /// Clicks \a button and waits until \a label shows something other than "Working…".
    static void clickAndWait(QPushButton *button, QLabel *label)
    {
        ASSERT_TRUE(button->isEnabled());
        QTest::mouseClick(button, Qt::LeftButton);
        EXPECT_FALSE(button->isEnabled()); // disabled while its job runs
        EXPECT_TRUE(QTest::qWaitFor([&] { return button->isEnabled(); }, kWaitMs));
        EXPECT_NE(label->text(), u"Working…"_s);
    }

    /// Asks the emulator directly, not through a panel (the panels work with m_session).
    std::unique_ptr<wps::service::ServiceClient> m_service;
    std::vector<std::unique_ptr<LiveClient>> m_clients;
};

} // namespace

TEST_F(PanelsTest, MessagingSendsJsonToAUserAndKeepsHistory)
{
    QList<DataMessage> received;
    open(u"alice"_s, &received);

    wps::ui::MessagingPanel panel(&m_session);
    auto *target = child<QComboBox>(panel, u"target"_s);
    target->setCurrentIndex(target->findText(u"User"_s));
    QTest::keyClicks(child<QLineEdit>(panel, u"targetId"_s), u"alice"_s);
    auto *content = child<QComboBox>(panel, u"contentType"_s);
    content->setCurrentIndex(1); // JSON
    auto *body = child<QPlainTextEdit>(panel, u"body"_s);
    body->setPlainText(u"{\"greeting\": \"hi\""_s);
    EXPECT_TRUE(child<QLabel>(panel, u"bodyHint"_s)->text().startsWith(u"Not JSON"_s));
    body->setPlainText(u"{\"greeting\": \"hi\"}"_s);
    EXPECT_TRUE(child<QLabel>(panel, u"bodyHint"_s)->text().isEmpty());
    QTest::mouseClick(child<QPushButton>(panel, u"pretty"_s), Qt::LeftButton);
    EXPECT_TRUE(body->toPlainText().contains(u'\n'));
    child<QSpinBox>(panel, u"ttl"_s)->setValue(30);

    clickAndWait(child<QPushButton>(panel, u"send"_s), child<QLabel>(panel, u"outcome"_s));
    EXPECT_TRUE(panel.outcomeText().startsWith(u"Sent (accepted by the service; delivery not reported)"_s))
        << panel.outcomeText().toStdString();
    EXPECT_TRUE(QTest::qWaitFor([&] { return !received.isEmpty(); }, kWaitMs));
    ASSERT_EQ(received.size(), 1);
    EXPECT_EQ(received.first().data.type, wps::messages::DataType::Json);
    EXPECT_EQ(QJsonDocument::fromJson(received.first().data.bytes).object().value(u"greeting"_s).toString(),
              u"hi"_s);
    ASSERT_EQ(panel.history().size(), 1);
    EXPECT_TRUE(panel.history().first().contains(u"user alice"_s));
    EXPECT_TRUE(panel.history().first().contains(u"application/json"_s));
}

TEST_F(PanelsTest, MessagingSendsHexBinaryFromAFileToAConnection)
{
    QList<DataMessage> received;
    LiveClient *client = open(u"bob"_s, &received);

    QTemporaryFile file;
    ASSERT_TRUE(file.open());
    file.write(QByteArray::fromHex("00ff1020"));
    file.flush();

    wps::ui::MessagingPanel panel(&m_session);
    auto *target = child<QComboBox>(panel, u"target"_s);
    target->setCurrentIndex(target->findText(u"Connection"_s));
    child<QLineEdit>(panel, u"targetId"_s)->setText(client->connectionId());
    EXPECT_FALSE(child<QLineEdit>(panel, u"filter"_s)->isEnabled()); // not for a connection
    ASSERT_TRUE(panel.loadBinaryFile(file.fileName()));
    EXPECT_EQ(child<QPlainTextEdit>(panel, u"body"_s)->toPlainText(), u"00 ff 10 20"_s);

    clickAndWait(child<QPushButton>(panel, u"send"_s), child<QLabel>(panel, u"outcome"_s));
    EXPECT_TRUE(QTest::qWaitFor([&] { return !received.isEmpty(); }, kWaitMs));
    ASSERT_FALSE(received.isEmpty());
    EXPECT_EQ(received.first().data.type, wps::messages::DataType::Binary);
    EXPECT_EQ(received.first().data.bytes, QByteArray::fromHex("00ff1020"));
}

TEST_F(PanelsTest, MessagingChecksTheFilterAsYouTypeAndRefusesToSendAnInvalidOne)
{
    QList<DataMessage> received;
    open(u"carol"_s, &received);
    wps::ui::MessagingPanel panel(&m_session);
    auto *filter = child<QLineEdit>(panel, u"filter"_s);
    QTest::keyClicks(filter, u"userId eq"_s);
    const QString hint = child<QLabel>(panel, u"filterHint"_s)->text();
    EXPECT_TRUE(hint.contains(u"position"_s)) << hint.toStdString();
    EXPECT_FALSE(panel.send());
    EXPECT_EQ(panel.outcomeText(), hint);
    EXPECT_TRUE(panel.history().isEmpty());

    QTest::keyClicks(filter, u" 'carol'"_s);
    EXPECT_EQ(child<QLabel>(panel, u"filterHint"_s)->text(), u"Valid filter."_s);
    child<QPlainTextEdit>(panel, u"body"_s)->setPlainText(u"only carol"_s);
    clickAndWait(child<QPushButton>(panel, u"send"_s), child<QLabel>(panel, u"outcome"_s));
    EXPECT_TRUE(QTest::qWaitFor([&] { return !received.isEmpty(); }, kWaitMs));
    ASSERT_FALSE(received.isEmpty());
    EXPECT_EQ(received.first().data.bytes, QByteArrayLiteral("only carol"));
}

TEST_F(PanelsTest, MessagingShowsAFailureInlineAndStaysUsable)
{
    wps::ui::MessagingPanel panel(&m_session);
    child<QPlainTextEdit>(panel, u"body"_s)->setPlainText(u"nobody hears this"_s);
    m_emulator.stop();
    auto options = m_session.client()->options();
    options.retry.maxRetries = 0;
    m_session.client()->setOptions(options);
    auto *send = child<QPushButton>(panel, u"send"_s);
    clickAndWait(send, child<QLabel>(panel, u"outcome"_s));
    EXPECT_TRUE(panel.outcomeText().startsWith(u"Network"_s)) << panel.outcomeText().toStdString();
    EXPECT_TRUE(send->isEnabled());
    ASSERT_EQ(panel.history().size(), 1);
    EXPECT_TRUE(panel.history().first().contains(u"Network"_s));
}

TEST_F(PanelsTest, GroupsAddsAConnectionChecksExistenceAndListsMembersPageByPage)
{
    LiveClient *first = open(u"dave"_s);
    LiveClient *second = open(u"erin"_s);

    wps::ui::GroupsPanel panel(&m_session);
    QAbstractItemModelTester tester(panel.membersModel(),
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    panel.setPageSize(1);
    child<QLineEdit>(panel, u"group"_s)->setText(u"room1"_s);
    auto *existsResult = child<QLabel>(panel, u"existsResult"_s);
    clickAndWait(child<QPushButton>(panel, u"groupExists"_s), existsResult);
    EXPECT_EQ(existsResult->text(), u"Group “room1” does not exist."_s);

    auto *membership = child<QLabel>(panel, u"membershipResult"_s);
    child<QLineEdit>(panel, u"connection"_s)->setText(first->connectionId());
    clickAndWait(child<QPushButton>(panel, u"addConnection"_s), membership);
    EXPECT_TRUE(membership->text().contains(u"added to group “room1”"_s)) << membership->text().toStdString();
    child<QLineEdit>(panel, u"user"_s)->setText(u"erin"_s);
    clickAndWait(child<QPushButton>(panel, u"addUser"_s), membership);
    EXPECT_TRUE(membership->text().contains(u"User “erin” added"_s)) << membership->text().toStdString();

    clickAndWait(child<QPushButton>(panel, u"groupExists"_s), existsResult);
    EXPECT_EQ(existsResult->text(), u"Group “room1” exists."_s);
    EXPECT_TRUE(exists(m_service->groupExists(u"room1"_s)));
    clickAndWait(child<QPushButton>(panel, u"connectionExists"_s), existsResult);
    EXPECT_TRUE(existsResult->text().endsWith(u"exists."_s));

    auto *membersResult = child<QLabel>(panel, u"membersResult"_s);
    clickAndWait(child<QPushButton>(panel, u"listMembers"_s), membersResult);
    EXPECT_EQ(panel.membersModel()->rowCount(), 1);
    auto *loadMore = child<QPushButton>(panel, u"loadMore"_s);
    ASSERT_TRUE(loadMore->isEnabled());
    clickAndWait(loadMore, membersResult);
    ASSERT_EQ(panel.membersModel()->rowCount(), 2);
    QStringList ids;
    for (const auto &member : panel.membersModel()->members())
        ids << member.connectionId;
    EXPECT_TRUE(ids.contains(first->connectionId()));
    EXPECT_TRUE(ids.contains(second->connectionId()));
    // A third page finds nothing new: the listing is complete.
    if (loadMore->isEnabled()) {
        QTest::mouseClick(loadMore, Qt::LeftButton);
        EXPECT_TRUE(
            QTest::qWaitFor([&] { return membersResult->text().contains(u"that is all"_s); }, kWaitMs));
    }
    EXPECT_EQ(panel.membersModel()->rowCount(), 2);
    EXPECT_FALSE(loadMore->isEnabled());
    EXPECT_TRUE(membersResult->text().contains(u"that is all"_s)) << membersResult->text().toStdString();

    clickAndWait(child<QPushButton>(panel, u"removeUserFromAll"_s), membership);
    clickAndWait(child<QPushButton>(panel, u"removeConnection"_s), membership);
    EXPECT_FALSE(exists(m_service->groupExists(u"room1"_s)));
}

TEST_F(PanelsTest, GroupsBulkAddsByFilterAndClosesAConnectionWithAReason)
{
    LiveClient *frank = open(u"frank"_s);
    LiveClient *grace = open(u"grace"_s);

    wps::ui::GroupsPanel panel(&m_session);
    child<QLineEdit>(panel, u"bulkGroups"_s)->setText(u"a, b"_s);
    QTest::keyClicks(child<QLineEdit>(panel, u"bulkFilter"_s), u"userId eq 'frank'"_s);
    EXPECT_EQ(child<QLabel>(panel, u"bulkFilterHint"_s)->text(), u"Valid filter."_s);
    clickAndWait(child<QPushButton>(panel, u"bulkAdd"_s), child<QLabel>(panel, u"bulkResult"_s));
    EXPECT_TRUE(child<QLabel>(panel, u"bulkResult"_s)->text().startsWith(u"Added"_s));
    EXPECT_TRUE(exists(m_service->groupExists(u"b"_s)));
    child<QLineEdit>(panel, u"group"_s)->setText(u"b"_s);
    clickAndWait(child<QPushButton>(panel, u"listMembers"_s), child<QLabel>(panel, u"membersResult"_s));
    ASSERT_EQ(panel.membersModel()->rowCount(), 1);
    EXPECT_EQ(panel.membersModel()->members().first().connectionId, frank->connectionId());

    QSignalSpy gone(grace, &LiveClient::disconnected);
    child<QLineEdit>(panel, u"connection"_s)->setText(grace->connectionId());
    child<QLineEdit>(panel, u"reason"_s)->setText(u"maintenance"_s);
    auto *closeResult = child<QLabel>(panel, u"closeResult"_s);
    clickAndWait(child<QPushButton>(panel, u"closeConnection"_s), closeResult);
    EXPECT_TRUE(closeResult->text().endsWith(u"closed."_s)) << closeResult->text().toStdString();
    EXPECT_TRUE(gone.count() > 0 || gone.wait(kWaitMs));
    EXPECT_FALSE(exists(m_service->connectionExists(grace->connectionId())));
}

TEST_F(PanelsTest, GroupsShowsTheServicesRefusalInline)
{
    wps::ui::GroupsPanel panel(&m_session);
    child<QLineEdit>(panel, u"group"_s)->setText(u"room1"_s);
    child<QLineEdit>(panel, u"connection"_s)->setText(u"no-such-connection"_s);
    auto *membership = child<QLabel>(panel, u"membershipResult"_s);
    clickAndWait(child<QPushButton>(panel, u"addConnection"_s), membership);
    EXPECT_TRUE(membership->text().startsWith(u"HTTP 404"_s)) << membership->text().toStdString();
}

TEST_F(PanelsTest, PermissionsGrantCheckAndRevoke)
{
    LiveClient *client = open(u"heidi"_s);
    wps::ui::PermissionsPanel panel(&m_session);
    auto *permission = child<QComboBox>(panel, u"permission"_s);
    permission->setCurrentIndex(permission->findText(u"sendToGroup"_s));
    child<QLineEdit>(panel, u"connection"_s)->setText(client->connectionId());
    child<QLineEdit>(panel, u"targetGroup"_s)->setText(u"room9"_s);
    auto *result = child<QLabel>(panel, u"result"_s);

    clickAndWait(child<QPushButton>(panel, u"check"_s), result);
    EXPECT_TRUE(result->text().startsWith(u"Does not have sendToGroup"_s)) << result->text().toStdString();
    clickAndWait(child<QPushButton>(panel, u"grant"_s), result);
    EXPECT_TRUE(result->text().startsWith(u"Granted"_s)) << result->text().toStdString();
    EXPECT_TRUE(exists(m_service->checkPermission(u"sendToGroup"_s, client->connectionId(), u"room9"_s)));
    clickAndWait(child<QPushButton>(panel, u"check"_s), result);
    EXPECT_TRUE(result->text().startsWith(u"Has sendToGroup"_s)) << result->text().toStdString();
    clickAndWait(child<QPushButton>(panel, u"revoke"_s), result);
    EXPECT_FALSE(exists(m_service->checkPermission(u"sendToGroup"_s, client->connectionId(), u"room9"_s)));
}

TEST_F(PanelsTest, WindowBuildsOneClientPerHubAndRefusesAnInvalidHub)
{
    wps::ui::MainWindow window;
    EXPECT_EQ(window.serviceClient(), nullptr);
    window.setConnection(m_emulator.connectionString(), u"emulator"_s);
    ASSERT_NE(window.serviceClient(), nullptr);
    EXPECT_EQ(window.serviceClient()->hub(), u"chat"_s);
    EXPECT_FALSE(window.hubSelector()->setHub(u"1 bad"_s));
    EXPECT_EQ(window.serviceClient()->hub(), u"chat"_s);
    EXPECT_FALSE(window.findChild<QLabel *>(u"hubHint"_s)->text().isEmpty());
    QSignalSpy changed(window.hubSelector(), &wps::ui::HubSelector::hubChanged);
    EXPECT_TRUE(window.hubSelector()->setHub(u"other"_s));
    EXPECT_EQ(changed.count(), 1);
    EXPECT_EQ(window.serviceClient()->hub(), u"other"_s);
}

TEST(GroupMembersModel, AppendsOnlyNewMembersUnderTheModelTester)
{
    wps::ui::GroupMembersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Warning);
    model.reset(u"g"_s);
    EXPECT_EQ(model.append({{u"c1"_s, u"u1"_s, true}}), 1);
    EXPECT_EQ(model.append({{u"c1"_s, u"u1"_s, true}, {u"c2"_s, QString(), false}}), 1);
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.columnCount(), 2);
    EXPECT_EQ(model.data(model.index(1, 0)).toString(), u"c2"_s);
    EXPECT_EQ(model.data(model.index(1, 1)).toString(), u"(no user)"_s);
    model.reset(u"h"_s);
    EXPECT_EQ(model.rowCount(), 0);
}
