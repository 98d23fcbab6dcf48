// ServiceClient against the real `webpubsub-emulator` over loopback: every operation, as the console uses
// them.
#include "service/serviceclient.h"
#include "support/emulatorprocess.h"
#include "support/printers.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using wps::service::ServiceError;
using wps::service::ServiceJob;

namespace {

/// A json.webpubsub.azure.v1 client that records what it receives.
struct LiveClient
{
    std::unique_ptr<QWebSocket> socket = std::make_unique<QWebSocket>();
    QString connectionId;
    QList<QJsonObject> messages;
    bool closed = false;
};

class ServiceEmulatorTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_emulator.start()) << m_emulator.errorText().toStdString();
        m_client = std::make_unique<wps::service::ServiceClient>(m_emulator.connectionString(), u"hub1"_s);
        auto options = m_client->options();
        options.timeout = 10000ms;
        options.retry.maxRetries = 1;
        options.retry.initialDelay = 10ms;
        m_client->setOptions(options);
    }

    template <typename Job>
    static Job *run(Job *job)
    {
        QSignalSpy spy(job, &ServiceJob::finished);
        EXPECT_TRUE(QTest::qWaitFor([&] { return spy.count() >= 1; }, 20000));
        EXPECT_FALSE(job->hasError())
            << job->operation().toStdString() << ": " << job->error().toString().toStdString();
        return job;
    }

    bool exists(wps::service::ExistsJob *job) { return run(job)->exists(); }

    LiveClient *connect(const QString &userId, const QUrl &url = {})
    {
        auto client = std::make_unique<LiveClient>();
        LiveClient *raw = client.get();
        QUrl target = url;
        if (target.isEmpty()) {
            wps::ClientTokenOptions options;
            options.userId = userId;
            auto access = m_client->makeClientAccess(options);
            EXPECT_TRUE(access.hasValue());
            target = access->url;
        }
        QObject::connect(raw->socket.get(), &QWebSocket::textMessageReceived, raw->socket.get(),
                         [raw](const QString &text) {
                             const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
                             if (message.value(u"event"_s).toString() == u"connected")
                                 raw->connectionId = message.value(u"connectionId"_s).toString();
                             raw->messages.append(message);
                         });
        QObject::connect(raw->socket.get(), &QWebSocket::disconnected, raw->socket.get(),
                         [raw] { raw->closed = true; });
        QWebSocketHandshakeOptions handshake;
        handshake.setSubprotocols({u"json.webpubsub.azure.v1"_s});
        raw->socket->open(QNetworkRequest(target), handshake);
        EXPECT_TRUE(QTest::qWaitFor([raw] { return !raw->connectionId.isEmpty() || raw->closed; }, 10000));
        EXPECT_FALSE(raw->connectionId.isEmpty())
            << "client did not connect: " << raw->socket->errorString().toStdString();
        m_live.push_back(std::move(client));
        return raw;
    }

    static bool receives(LiveClient *client, const QString &dataType, const QJsonValue &data)
    {
        return QTest::qWaitFor(
            [&] {
                for (const QJsonObject &message : client->messages)
                    if (message.value(u"type"_s).toString() == u"message" &&
                        message.value(u"dataType"_s).toString() == dataType &&
                        message.value(u"data"_s) == data)
                        return true;
                return false;
            },
            10000);
    }

    wps::test::EmulatorProcess m_emulator;
    std::unique_ptr<wps::service::ServiceClient> m_client;
    std::vector<std::unique_ptr<LiveClient>> m_live;
};

TEST_F(ServiceEmulatorTest, HealthIs200AndAWrongKeyIsA401ThatIsNotRetried)
{
    EXPECT_EQ(run(m_client->health())->httpStatus(), 200);

    wps::service::ServiceClient wrong(wps::ConnectionString(m_emulator.endpoint(), u"not-the-key"_s),
                                      u"hub1"_s);
    ServiceJob *job = wrong.sendToAll(wps::service::Message::text(u"x"_s));
    QSignalSpy spy(job, &ServiceJob::finished);
    ASSERT_TRUE(QTest::qWaitFor([&] { return spy.count() >= 1; }, 20000));
    ASSERT_TRUE(job->hasError());
    EXPECT_EQ(job->error().kind, ServiceError::Kind::Http);
    EXPECT_EQ(job->error().httpStatus, 401);
    EXPECT_FALSE(job->error().message.isEmpty());
    EXPECT_FALSE(job->error().message.contains(u"not-the-key"_s));
    EXPECT_EQ(job->attempts(), 1); // 401 is not retried
}

// Every operation once, with no client connected: the recorded answers for missing targets
// (docs/protocol.md#error-model).
TEST_F(ServiceEmulatorTest, EveryOperationAnswersLikeTheServiceWhenNoClientIsConnected)
{
    using wps::service::Message;
    EXPECT_EQ(run(m_client->sendToAll(Message::text(u"x"_s)))->httpStatus(), 202);
    wps::service::SendOptions options;
    options.excluded = {u"c1"_s};
    options.messageTtlSeconds = 10;
    EXPECT_EQ(run(m_client->sendToGroup(u"g 1"_s, Message::json("[1]"_ba), options))->httpStatus(), 202);
    EXPECT_EQ(run(m_client->sendToUser(u"tenant/alice"_s, Message::binary("\0\1"_ba)))->httpStatus(), 202);
    EXPECT_EQ(run(m_client->sendToConnection(u"c1"_s, Message::text(u"x"_s)))->httpStatus(), 202);
    EXPECT_FALSE(exists(m_client->connectionExists(u"c1"_s)));
    EXPECT_FALSE(exists(m_client->userExists(u"u1"_s)));
    EXPECT_FALSE(exists(m_client->groupExists(u"g1"_s)));
    EXPECT_FALSE(exists(m_client->checkPermission(u"sendToGroup"_s, u"c1"_s, u"g1"_s)));
    EXPECT_EQ(run(m_client->removeConnectionFromGroup(u"g1"_s, u"c1"_s))->httpStatus(), 204);
    EXPECT_EQ(run(m_client->removeConnectionFromAllGroups(u"c1"_s))->httpStatus(), 204);
    EXPECT_EQ(run(m_client->removeUserFromGroup(u"g1"_s, u"u1"_s))->httpStatus(), 204);
    EXPECT_EQ(run(m_client->removeUserFromAllGroups(u"u1"_s))->httpStatus(), 204);
    EXPECT_EQ(run(m_client->addConnectionsToGroups({u"g1"_s}))->httpStatus(), 200);
    EXPECT_EQ(run(m_client->removeConnectionsFromGroups({u"g1"_s}))->httpStatus(), 200);
    EXPECT_EQ(run(m_client->closeConnection(u"c1"_s, u"bye"_s))->httpStatus(), 204);
    EXPECT_EQ(run(m_client->closeAllConnections({u"bye"_s, {u"c1"_s}}))->httpStatus(), 204);
    EXPECT_EQ(run(m_client->closeGroupConnections(u"g1"_s))->httpStatus(), 204);
    EXPECT_EQ(run(m_client->closeUserConnections(u"u1"_s))->httpStatus(), 204);
    EXPECT_EQ(run(m_client->revokePermission(u"joinLeaveGroup"_s, u"c1"_s, u"g1"_s))->httpStatus(), 204);
    auto *list = run(m_client->listConnectionsInGroup(u"g1"_s));
    EXPECT_TRUE(list->members().isEmpty());
    EXPECT_EQ(list->pages(), 1);
    wps::service::GenerateTokenOptions tokenOptions;
    tokenOptions.userId = u"u1"_s;
    tokenOptions.roles = {u"webpubsub.sendToGroup.g1"_s};
    tokenOptions.groups = {u"g1"_s};
    tokenOptions.minutesToExpire = 5;
    auto *token = run(m_client->generateClientToken(tokenOptions));
    EXPECT_TRUE(token->access().url.toString().contains(u"/client/hubs/hub1?access_token="_s));

    // Missing targets that are errors come back typed, with the service's code.
    auto expectError = [](ServiceJob *job, int status, const QString &code) {
        QSignalSpy spy(job, &ServiceJob::finished);
        ASSERT_TRUE(QTest::qWaitFor([&] { return spy.count() >= 1; }, 20000));
        ASSERT_TRUE(job->hasError()) << job->operation().toStdString();
        EXPECT_EQ(job->error().kind, ServiceError::Kind::Http);
        EXPECT_EQ(job->error().httpStatus, status);
        EXPECT_EQ(job->error().code, code);
        EXPECT_FALSE(job->error().message.isEmpty());
    };
    expectError(m_client->addConnectionToGroup(u"g1"_s, u"c1"_s), 404, u"Error.Connection.NotExisted"_s);
    expectError(m_client->addUserToGroup(u"g1"_s, u"u1"_s), 404, u"Warning.User.NotExisted"_s);
    expectError(m_client->grantPermission(u"sendToGroup"_s, u"c1"_s, u"g1"_s), 404,
                u"Info.Connection.NotExisted"_s);
}

TEST_F(ServiceEmulatorTest, EverySendKindReachesItsTargetsAndSkipsTheExcluded)
{
    LiveClient *alice = connect(u"alice"_s);
    LiveClient *bob = connect(u"bob"_s);
    run(m_client->addConnectionToGroup(u"room 1"_s, bob->connectionId));

    run(m_client->sendToAll(wps::service::Message::json(R"({"n":1})"_ba)));
    EXPECT_TRUE(receives(alice, u"json"_s, QJsonObject{{u"n"_s, 1}}));
    EXPECT_TRUE(receives(bob, u"json"_s, QJsonObject{{u"n"_s, 1}}));

    run(m_client->sendToUser(u"alice"_s, wps::service::Message::text(u"to alice"_s)));
    EXPECT_TRUE(receives(alice, u"text"_s, u"to alice"_s));

    run(m_client->sendToConnection(bob->connectionId, wps::service::Message::text(u"to bob"_s)));
    EXPECT_TRUE(receives(bob, u"text"_s, u"to bob"_s));

    wps::service::SendOptions ttl;
    ttl.messageTtlSeconds = 60;
    run(m_client->sendToGroup(u"room 1"_s, wps::service::Message::binary("\x01\x02\x03"_ba), ttl));
    EXPECT_TRUE(receives(bob, u"binary"_s, QString::fromLatin1(QByteArray("\x01\x02\x03").toBase64())));

    wps::service::SendOptions excluded;
    excluded.excluded = {alice->connectionId};
    run(m_client->sendToAll(wps::service::Message::text(u"not alice"_s), excluded));
    run(m_client->sendToUser(u"alice"_s, wps::service::Message::text(u"marker"_s)));
    EXPECT_TRUE(receives(bob, u"text"_s, u"not alice"_s));
    ASSERT_TRUE(receives(alice, u"text"_s, u"marker"_s));
    for (const QJsonObject &message : alice->messages)
        EXPECT_NE(message.value(u"data"_s), QJsonValue(u"not alice"_s));
}

TEST_F(ServiceEmulatorTest, GroupsExistOnlyWhileTheyHaveMembersAndListInPages)
{
    EXPECT_FALSE(exists(m_client->userExists(u"carol"_s)));
    LiveClient *c1 = connect(u"carol"_s);
    LiveClient *c2 = connect(u"dave"_s);
    EXPECT_TRUE(exists(m_client->userExists(u"carol"_s)));
    EXPECT_TRUE(exists(m_client->connectionExists(c1->connectionId)));
    EXPECT_FALSE(exists(m_client->connectionExists(u"no-such-connection"_s)));
    EXPECT_FALSE(exists(m_client->groupExists(u"g1"_s)));

    run(m_client->addConnectionToGroup(u"g1"_s, c1->connectionId));
    run(m_client->addUserToGroup(u"g1"_s, u"dave"_s));
    EXPECT_TRUE(exists(m_client->groupExists(u"g1"_s)));

    wps::service::ListOptions paging;
    paging.maxPageSize = 1;
    auto *list = run(m_client->listConnectionsInGroup(u"g1"_s, paging));
    EXPECT_EQ(list->members().size(), 2);
    EXPECT_EQ(list->pages(), 2);
    paging.top = 1;
    EXPECT_EQ(run(m_client->listConnectionsInGroup(u"g1"_s, paging))->members().size(), 1);

    run(m_client->removeConnectionFromGroup(u"g1"_s, c1->connectionId));
    run(m_client->removeUserFromGroup(u"g1"_s, u"dave"_s));
    EXPECT_FALSE(exists(m_client->groupExists(u"g1"_s)));

    run(m_client->addConnectionsToGroups({u"g2"_s, u"g3"_s}));
    EXPECT_EQ(run(m_client->listConnectionsInGroup(u"g3"_s))->members().size(), 2);
    run(m_client->removeConnectionsFromGroups({u"g3"_s}));
    EXPECT_FALSE(exists(m_client->groupExists(u"g3"_s)));
    run(m_client->removeConnectionFromAllGroups(c1->connectionId));
    run(m_client->removeUserFromAllGroups(u"dave"_s));
    EXPECT_FALSE(exists(m_client->groupExists(u"g2"_s)));
    EXPECT_TRUE(c2->messages.size() >= 1);

    // A user with no connection cannot be added: a typed 404 with the service's code.
    auto *job = m_client->addUserToGroup(u"g1"_s, u"nobody"_s);
    QSignalSpy spy(job, &ServiceJob::finished);
    ASSERT_TRUE(QTest::qWaitFor([&] { return spy.count() >= 1; }, 20000));
    ASSERT_TRUE(job->hasError());
    EXPECT_EQ(job->error().httpStatus, 404);
    EXPECT_EQ(job->error().code, u"Warning.User.NotExisted"_s);
}

TEST_F(ServiceEmulatorTest, AGrantedPermissionIsVisibleUntilRevoked)
{
    LiveClient *c = connect(u"erin"_s);
    EXPECT_FALSE(exists(m_client->checkPermission(u"sendToGroup"_s, c->connectionId, u"g1"_s)));
    run(m_client->grantPermission(u"sendToGroup"_s, c->connectionId, u"g1"_s));
    EXPECT_TRUE(exists(m_client->checkPermission(u"sendToGroup"_s, c->connectionId, u"g1"_s)));
    run(m_client->revokePermission(u"sendToGroup"_s, c->connectionId, u"g1"_s));
    EXPECT_FALSE(exists(m_client->checkPermission(u"sendToGroup"_s, c->connectionId, u"g1"_s)));
}

TEST_F(ServiceEmulatorTest, EachCloseOperationClosesOnlyItsTargets)
{
    LiveClient *a = connect(u"u1"_s);
    LiveClient *b = connect(u"u2"_s);
    LiveClient *c = connect(u"u3"_s);
    LiveClient *d = connect(u"u4"_s);
    run(m_client->addConnectionToGroup(u"g"_s, c->connectionId));

    run(m_client->closeConnection(a->connectionId, u"bye a"_s));
    EXPECT_TRUE(QTest::qWaitFor([a] { return a->closed; }, 10000));
    run(m_client->closeUserConnections(u"u2"_s, {u"bye b"_s, {}}));
    EXPECT_TRUE(QTest::qWaitFor([b] { return b->closed; }, 10000));
    run(m_client->closeGroupConnections(u"g"_s));
    EXPECT_TRUE(QTest::qWaitFor([c] { return c->closed; }, 10000));
    EXPECT_FALSE(d->closed);
    run(m_client->closeAllConnections({u"all"_s, {}}));
    EXPECT_TRUE(QTest::qWaitFor([d] { return d->closed; }, 10000));
    EXPECT_FALSE(exists(m_client->userExists(u"u4"_s)));
}

TEST_F(ServiceEmulatorTest, AGeneratedTokenConnectsWithItsUserAndGroups)
{
    wps::service::GenerateTokenOptions options;
    options.userId = u"frank"_s;
    options.groups = {u"auto"_s};
    options.minutesToExpire = 5;
    auto *job = run(m_client->generateClientToken(options));
    ASSERT_FALSE(job->access().token.isEmpty());
    LiveClient *client = connect({}, job->access().url);
    EXPECT_FALSE(client->connectionId.isEmpty());
    EXPECT_TRUE(exists(m_client->userExists(u"frank"_s)));
    EXPECT_TRUE(exists(m_client->groupExists(u"auto"_s)));
}

} // namespace
