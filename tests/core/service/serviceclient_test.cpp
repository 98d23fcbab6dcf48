// ServiceClient against the loopback FaultServer: wire format, retries, timeouts, errors, redaction.
#include "protocol/jwt.h"
#include "service/serviceclient.h"
#include "support/faultserver.h"
#include "support/printers.h"
#include "support/wait.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <gtest/gtest.h>

#include <functional>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using wps::service::ServiceError;
using wps::service::ServiceJob;
using wps::test::FaultServer;

namespace {

const QString kKey = u"test-access-key-0123456789"_s;

QByteArray headerValue(const QByteArray &head, const QByteArray &name)
{
    const QList<QByteArray> lines = head.split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

QByteArray requestLine(const QByteArray &head)
{
    return head.left(head.indexOf('\r'));
}

class ServiceClientTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_NE(m_server.listen(), 0);
        m_endpoint = u"http://127.0.0.1:"_s + QString::number(m_server.port());
        m_client = std::make_unique<wps::service::ServiceClient>(
            wps::ConnectionString(QUrl(m_endpoint), kKey), u"hub1"_s);
        wps::service::ServiceClientOptions options;
        options.timeout = 3000ms;
        options.retry.maxRetries = 2;
        options.retry.initialDelay = 5ms;
        options.retry.maxDelay = 20ms;
        options.retry.maxRetryAfter = 3000ms;
        m_client->setOptions(options);
    }

    void setRetries(int retries, std::chrono::milliseconds timeout = 3000ms)
    {
        auto options = m_client->options();
        options.retry.maxRetries = retries;
        options.timeout = timeout;
        m_client->setOptions(options);
    }

    /// Waits for the job and checks finished() came exactly once.
    static bool finish(ServiceJob *job)
    {
        QSignalSpy spy(job, &ServiceJob::finished);
        const bool done = QTest::qWaitFor([&] { return spy.count() >= 1; }, 20000);
        wps::test::drainEvents();
        EXPECT_EQ(spy.count(), 1);
        return done;
    }

    FaultServer m_server;
    QString m_endpoint;
    std::unique_ptr<wps::service::ServiceClient> m_client;
};

TEST_F(ServiceClientTest, SendToAllCopiesTheSdkWireFormat)
{
    m_server.enqueue(FaultServer::Response::answer(202));
    wps::service::SendOptions options;
    options.excluded = {u"c1"_s, u"c2"_s};
    options.filter = u"userId ne 'bob'"_s;
    options.messageTtlSeconds = 60;
    ServiceJob *job = m_client->sendToAll(wps::service::Message::json(R"({"hello":"world"})"_ba), options);
    ASSERT_TRUE(finish(job));
    EXPECT_FALSE(job->hasError()) << job->error().toString().toStdString();
    EXPECT_EQ(job->httpStatus(), 202);
    ASSERT_EQ(m_server.requestCount(), 1);
    const QByteArray head = m_server.requests().at(0);
    const QByteArray path = "/api/hubs/hub1/:send?api-version=2024-12-01&excluded=c1&excluded=c2"
                            "&filter=userId%20ne%20%27bob%27&messageTtlSeconds=60";
    EXPECT_EQ(requestLine(head), "POST " + path + " HTTP/1.1");
    EXPECT_EQ(headerValue(head, "Content-Type"), "application/json");
    EXPECT_TRUE(headerValue(head, "User-Agent").startsWith("webpubsub-console/"));
    EXPECT_EQ(m_server.bodies().at(0), R"({"hello":"world"})"_ba);

    const QByteArray auth = headerValue(head, "Authorization");
    ASSERT_TRUE(auth.startsWith("Bearer "));
    auto claims = wps::jwt::verifyHs256(auth.mid(7), {kKey.toUtf8()});
    ASSERT_TRUE(claims.hasValue());
    EXPECT_EQ(claims->value(u"aud"_s).toString(), m_endpoint + QString::fromLatin1(path));
    const qint64 lifetime =
        static_cast<qint64>(claims->value(u"exp"_s).toDouble() - claims->value(u"iat"_s).toDouble());
    EXPECT_EQ(lifetime, 3600);
}

TEST_F(ServiceClientTest, PathAndQueryValuesArePercentEncoded)
{
    m_server.enqueue(FaultServer::Response::answer(202));
    wps::service::SendOptions options;
    options.filter = u"userId eq 'a+b&c=d'"_s;
    ServiceJob *job =
        m_client->sendToUser(u"tenant/alice smith+x"_s, wps::service::Message::text(u"hi"_s), options);
    ASSERT_TRUE(finish(job));
    EXPECT_FALSE(job->hasError());
    ASSERT_EQ(m_server.requestCount(), 1);
    EXPECT_EQ(requestLine(m_server.requests().at(0)),
              "POST /api/hubs/hub1/users/tenant%2Falice%20smith%2Bx/:send?api-version=2024-12-01"
              "&filter=userId%20eq%20%27a%2Bb%26c%3Dd%27 HTTP/1.1");
    EXPECT_EQ(headerValue(m_server.requests().at(0), "Content-Type"), "text/plain");
}

struct OperationCase
{
    const char *name;
    std::function<ServiceJob *(wps::service::ServiceClient &)> call;
    QByteArray requestLine;
    int status;
};

TEST_F(ServiceClientTest, EveryOperationUsesTheRightMethodPathAndStatus)
{
    using wps::service::CloseOptions;
    const QByteArray v = "api-version=2024-12-01";
    const QList<OperationCase> cases{
        {"sendToGroup",
         [](auto &c) { return c.sendToGroup(u"g 1"_s, wps::service::Message::binary("\x01\x02"_ba)); },
         "POST /api/hubs/hub1/groups/g%201/:send?" + v, 202},
        {"sendToConnection",
         [](auto &c) { return c.sendToConnection(u"c1"_s, wps::service::Message::text(u"x"_s)); },
         "POST /api/hubs/hub1/connections/c1/:send?" + v, 202},
        {"addConnectionToGroup", [](auto &c) { return c.addConnectionToGroup(u"g1"_s, u"c1"_s); },
         "PUT /api/hubs/hub1/groups/g1/connections/c1?" + v, 200},
        {"removeConnectionFromGroup", [](auto &c) { return c.removeConnectionFromGroup(u"g1"_s, u"c1"_s); },
         "DELETE /api/hubs/hub1/groups/g1/connections/c1?" + v, 204},
        {"removeConnectionFromAllGroups", [](auto &c) { return c.removeConnectionFromAllGroups(u"c1"_s); },
         "DELETE /api/hubs/hub1/connections/c1/groups?" + v, 204},
        {"addUserToGroup", [](auto &c) { return c.addUserToGroup(u"g1"_s, u"u1"_s); },
         "PUT /api/hubs/hub1/users/u1/groups/g1?" + v, 200},
        {"removeUserFromGroup", [](auto &c) { return c.removeUserFromGroup(u"g1"_s, u"u1"_s); },
         "DELETE /api/hubs/hub1/users/u1/groups/g1?" + v, 204},
        {"removeUserFromAllGroups", [](auto &c) { return c.removeUserFromAllGroups(u"u1"_s); },
         "DELETE /api/hubs/hub1/users/u1/groups?" + v, 204},
        {"addConnectionsToGroups",
         [](auto &c) { return c.addConnectionsToGroups({u"g1"_s}, u"userId eq 'u1'"_s); },
         "POST /api/hubs/hub1/:addToGroups?" + v, 200},
        {"removeConnectionsFromGroups",
         [](auto &c) {
             return c.removeConnectionsFromGroups({u"g1"_s, u"g2"_s});
         },
         "POST /api/hubs/hub1/:removeFromGroups?" + v, 200},
        {"connectionExists", [](auto &c) { return c.connectionExists(u"c1"_s); },
         "HEAD /api/hubs/hub1/connections/c1?" + v, 200},
        {"userExists", [](auto &c) { return c.userExists(u"u1"_s); }, "HEAD /api/hubs/hub1/users/u1?" + v,
         200},
        {"groupExists", [](auto &c) { return c.groupExists(u"g1"_s); }, "HEAD /api/hubs/hub1/groups/g1?" + v,
         200},
        {"closeConnection", [](auto &c) { return c.closeConnection(u"c1"_s, u"bye now"_s); },
         "DELETE /api/hubs/hub1/connections/c1?" + v + "&reason=bye%20now", 204},
        {"closeAllConnections",
         [](auto &c) {
             return c.closeAllConnections(CloseOptions{u"r"_s, {u"c1"_s}});
         },
         "POST /api/hubs/hub1/:closeConnections?" + v + "&excluded=c1&reason=r", 204},
        {"closeGroupConnections",
         [](auto &c) {
             return c.closeGroupConnections(u"g1"_s, CloseOptions{u"r"_s, {}});
         },
         "POST /api/hubs/hub1/groups/g1/:closeConnections?" + v + "&reason=r", 204},
        {"closeUserConnections", [](auto &c) { return c.closeUserConnections(u"u1"_s); },
         "POST /api/hubs/hub1/users/u1/:closeConnections?" + v, 204},
        {"grantPermission", [](auto &c) { return c.grantPermission(u"joinLeaveGroup"_s, u"c1"_s, u"g1"_s); },
         "PUT /api/hubs/hub1/permissions/joinLeaveGroup/connections/c1?" + v + "&targetName=g1", 200},
        {"revokePermission", [](auto &c) { return c.revokePermission(u"sendToGroup"_s, u"c1"_s, u"g1"_s); },
         "DELETE /api/hubs/hub1/permissions/sendToGroup/connections/c1?" + v + "&targetName=g1", 204},
        {"checkPermission", [](auto &c) { return c.checkPermission(u"sendToGroup"_s, u"c1"_s, u"g1"_s); },
         "HEAD /api/hubs/hub1/permissions/sendToGroup/connections/c1?" + v + "&targetName=g1", 200},
        {"health", [](auto &c) { return c.health(); }, "HEAD /api/health?" + v, 200},
    };
    for (const OperationCase &test : cases) {
        SCOPED_TRACE(test.name);
        const int before = m_server.requestCount();
        m_server.enqueue(FaultServer::Response::answer(test.status));
        ServiceJob *job = test.call(*m_client);
        ASSERT_TRUE(finish(job));
        EXPECT_FALSE(job->hasError()) << job->error().toString().toStdString();
        EXPECT_EQ(job->operation(), QString::fromLatin1(test.name));
        ASSERT_EQ(m_server.requestCount(), before + 1);
        EXPECT_EQ(requestLine(m_server.requests().last()), test.requestLine + " HTTP/1.1");
    }
    // The bulk bodies are JSON with groups and the optional filter.
    const QJsonObject add = QJsonDocument::fromJson(m_server.bodies().at(8)).object();
    EXPECT_EQ(add.value(u"groups"_s).toArray().first().toString(), u"g1"_s);
    EXPECT_EQ(add.value(u"filter"_s).toString(), u"userId eq 'u1'"_s);
    EXPECT_EQ(headerValue(m_server.requests().at(8), "Content-Type"), "application/json");
    EXPECT_FALSE(QJsonDocument::fromJson(m_server.bodies().at(9)).object().contains(u"filter"_s));
}

TEST_F(ServiceClientTest, UnexpectedSuccessStatusIsAnError)
{
    m_server.enqueue(FaultServer::Response::answer(200));
    ServiceJob *job = m_client->sendToAll(wps::service::Message::text(u"x"_s));
    ASSERT_TRUE(finish(job));
    ASSERT_TRUE(job->hasError());
    EXPECT_EQ(job->error().kind, ServiceError::Kind::Http);
    EXPECT_EQ(job->error().httpStatus, 200);
}

TEST_F(ServiceClientTest, ExistsIsFalseOn404AndTrueOn200)
{
    m_server.enqueue(
        FaultServer::Response::answer(404, {}, {{"x-ms-error-code", "Warning.User.NotExisted"}}));
    m_server.enqueue(FaultServer::Response::answer(200));
    auto *missing = m_client->userExists(u"nobody"_s);
    ASSERT_TRUE(finish(missing));
    EXPECT_FALSE(missing->hasError());
    EXPECT_FALSE(missing->exists());
    auto *present = m_client->userExists(u"somebody"_s);
    ASSERT_TRUE(finish(present));
    EXPECT_FALSE(present->hasError());
    EXPECT_TRUE(present->exists());
}

TEST_F(ServiceClientTest, Retries429HonouringRetryAfterThenSucceeds)
{
    m_server.enqueue(FaultServer::Response::answer(429, {}, {{"Retry-After", "1"}}));
    m_server.enqueue(FaultServer::Response::answer(429, {}, {{"retry-after-ms", "10"}}));
    m_server.enqueue(FaultServer::Response::answer(202));
    ServiceJob *job = m_client->sendToGroup(u"g1"_s, wps::service::Message::text(u"x"_s));
    ASSERT_TRUE(finish(job));
    EXPECT_FALSE(job->hasError()) << job->error().toString().toStdString();
    EXPECT_EQ(job->attempts(), 3);
    EXPECT_EQ(m_server.requestCount(), 3);
    // Each attempt is signed anew.
    EXPECT_TRUE(headerValue(m_server.requests().at(2), "Authorization").startsWith("Bearer ey"));
}

TEST_F(ServiceClientTest, ServiceUnavailableStormGivesUpAfterBoundedTries)
{
    m_server.setDefault(
        FaultServer::Response::answer(503, R"({"code":"Error.Busy","message":"Try later."})"_ba,
                                      {{"Content-Type", "application/json"}, {"x-ms-request-id", "req-42"}}));
    ServiceJob *job = m_client->addUserToGroup(u"g1"_s, u"u1"_s);
    ASSERT_TRUE(finish(job));
    ASSERT_TRUE(job->hasError());
    const ServiceError &error = job->error();
    EXPECT_EQ(error.kind, ServiceError::Kind::Http);
    EXPECT_EQ(error.httpStatus, 503);
    EXPECT_EQ(error.code, u"Error.Busy"_s);
    EXPECT_EQ(error.message, u"Try later."_s);
    EXPECT_EQ(error.requestId, u"req-42"_s);
    EXPECT_EQ(job->attempts(), 3);
    EXPECT_EQ(m_server.requestCount(), 3);
}

TEST_F(ServiceClientTest, HangingServerGivesTimeoutAfterRetries)
{
    setRetries(1, 300ms);
    m_server.setDefault(FaultServer::Response::hang());
    ServiceJob *job = m_client->groupExists(u"g1"_s);
    ASSERT_TRUE(finish(job));
    ASSERT_TRUE(job->hasError());
    EXPECT_EQ(job->error().kind, ServiceError::Kind::Timeout);
    EXPECT_EQ(job->error().httpStatus, 0);
    EXPECT_EQ(m_server.requestCount(), 2); // idempotent: retried once
}

TEST_F(ServiceClientTest, TimedOutSendIsNotRetried)
{
    setRetries(3, 300ms);
    m_server.setDefault(FaultServer::Response::hang());
    ServiceJob *job = m_client->sendToAll(wps::service::Message::text(u"once"_s));
    ASSERT_TRUE(finish(job));
    ASSERT_TRUE(job->hasError());
    EXPECT_EQ(job->error().kind, ServiceError::Kind::Timeout);
    EXPECT_EQ(m_server.requestCount(), 1);
}

TEST_F(ServiceClientTest, DroppedConnectionIsANetworkError)
{
    setRetries(1);
    m_server.setDefault(FaultServer::Response::drop());
    ServiceJob *job = m_client->removeUserFromAllGroups(u"u1"_s);
    ASSERT_TRUE(finish(job));
    ASSERT_TRUE(job->hasError());
    EXPECT_EQ(job->error().kind, ServiceError::Kind::Network);
    // Two attempts; QNAM itself may resend an idempotent request once on a reused connection.
    EXPECT_GE(m_server.requestCount(), 2);
    EXPECT_LE(m_server.requestCount(), 4);
}

TEST_F(ServiceClientTest, ConnectionRefusedIsAClearNetworkError)
{
    quint16 port = 0;
    {
        QTcpServer probe;
        ASSERT_TRUE(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    wps::service::ServiceClient client(
        wps::ConnectionString(QUrl(u"http://127.0.0.1:"_s + QString::number(port)), kKey), u"hub1"_s);
    auto options = m_client->options();
    options.retry.maxRetries = 1;
    client.setOptions(options);
    ServiceJob *job = client.sendToAll(wps::service::Message::text(u"x"_s));
    ASSERT_TRUE(finish(job));
    ASSERT_TRUE(job->hasError());
    EXPECT_EQ(job->error().kind, ServiceError::Kind::Network);
    EXPECT_EQ(job->attempts(), 2); // never sent, so even a send is retried
    EXPECT_TRUE(job->error().message.contains(u"127.0.0.1:"_s + QString::number(port)))
        << job->error().message.toStdString();
    EXPECT_TRUE(job->error().message.contains(u"refused"_s, Qt::CaseInsensitive))
        << job->error().message.toStdString();
}

TEST_F(ServiceClientTest, NonJsonAndEmptyErrorBodiesGiveClearMessages)
{
    m_server.enqueue(
        FaultServer::Response::answer(400, "bad things happened", {{"Content-Type", "text/plain"}}));
    m_server.enqueue(FaultServer::Response::answer(401));
    m_server.enqueue(FaultServer::Response::answer(
        404,
        R"({"code":"Error.Connection.NotExisted","message":"Connection `c9` is not found.","target":"Connection"})",
        {{"x-ms-error-code", "Error.Connection.NotExisted"}}));
    auto *text = m_client->closeConnection(u"c1"_s);
    ASSERT_TRUE(finish(text));
    ASSERT_TRUE(text->hasError());
    EXPECT_EQ(text->error().httpStatus, 400);
    EXPECT_TRUE(text->error().code.isEmpty());
    EXPECT_TRUE(text->error().message.contains(u"bad things happened"_s))
        << text->error().message.toStdString();

    auto *empty = m_client->closeConnection(u"c1"_s);
    ASSERT_TRUE(finish(empty));
    ASSERT_TRUE(empty->hasError());
    EXPECT_EQ(empty->error().httpStatus, 401);
    EXPECT_TRUE(empty->error().message.contains(u"401"_s));
    EXPECT_FALSE(empty->error().message.contains(kKey));

    auto *json = m_client->addConnectionToGroup(u"g1"_s, u"c9"_s);
    ASSERT_TRUE(finish(json));
    ASSERT_TRUE(json->hasError());
    EXPECT_EQ(json->error().code, u"Error.Connection.NotExisted"_s);
    EXPECT_EQ(json->error().message, u"Connection `c9` is not found."_s);
    EXPECT_EQ(json->error().target, u"Connection"_s);
    EXPECT_EQ(m_server.requestCount(), 3); // 4xx are not retried
}

TEST_F(ServiceClientTest, InvalidInputFailsFastAndSendsNothing)
{
    wps::service::SendOptions ttl;
    ttl.messageTtlSeconds = 301;
    wps::service::ServiceClient badHub(wps::ConnectionString(QUrl(m_endpoint), kKey), u"9hub"_s);
    wps::service::ListOptions paging;
    paging.maxPageSize = 201;
    const QList<ServiceJob *> jobs{
        m_client->sendToGroup(u""_s, wps::service::Message::text(u"x"_s)),
        m_client->sendToAll(wps::service::Message::text(u"x"_s), ttl),
        m_client->sendToUser(u""_s, wps::service::Message::text(u"x"_s)),
        m_client->connectionExists(u""_s),
        m_client->grantPermission(u"sendToEveryone"_s, u"c1"_s, u"g1"_s),
        m_client->revokePermission(u"sendToGroup"_s, u"c1"_s, u""_s),
        m_client->addConnectionsToGroups({}),
        m_client->listConnectionsInGroup(u"g1"_s, paging),
        m_client->groupExists(u"   "_s),
        badHub.sendToAll(wps::service::Message::text(u"x"_s)),
    };
    for (ServiceJob *job : jobs)
        EXPECT_FALSE(job->isFinished()); // never finishes inside the call
    for (ServiceJob *job : jobs) {
        ASSERT_TRUE(QTest::qWaitFor([job] { return job->isFinished(); }, 5000));
        ASSERT_TRUE(job->hasError()) << job->operation().toStdString();
        EXPECT_EQ(job->error().kind, ServiceError::Kind::InvalidInput) << job->operation().toStdString();
        EXPECT_FALSE(job->error().message.isEmpty());
    }
    EXPECT_EQ(m_server.requestCount(), 0);
}

TEST_F(ServiceClientTest, CancelFinishesOnceWithCancelled)
{
    m_server.setDefault(FaultServer::Response::hang());
    QSignalSpy received(&m_server, &FaultServer::requestReceived);
    ServiceJob *job = m_client->userExists(u"u1"_s);
    QSignalSpy spy(job, &ServiceJob::finished);
    ASSERT_TRUE(received.wait(5000));
    job->cancel();
    job->cancel();
    ASSERT_TRUE(QTest::qWaitFor([&] { return spy.count() >= 1; }, 5000));
    wps::test::drainEvents(); // a second finished() would be queued by now
    EXPECT_EQ(spy.count(), 1);
    ASSERT_TRUE(job->hasError());
    EXPECT_EQ(job->error().kind, ServiceError::Kind::Cancelled);
    job->cancel(); // after finishing: nothing more
    wps::test::drainEvents();
    EXPECT_EQ(spy.count(), 1);
}

TEST_F(ServiceClientTest, ListFollowsNextLinkAndSignsEachPage)
{
    const QByteArray next = m_endpoint.toUtf8() +
                            "/api/hubs/hub1/groups/g1/connections?top=1&maxpagesize=2&continuationToken=abc";
    m_server.enqueue(FaultServer::Response::answer(
        200,
        R"({"value":[{"connectionId":"c1","userId":"u1"},{"connectionId":"c2","userId":null}],"nextLink":")" +
            next + "\"}",
        {{"Content-Type", "application/json"}}));
    m_server.enqueue(FaultServer::Response::answer(200, R"({"value":[{"connectionId":"c3","userId":"u3"}]})",
                                                   {{"Content-Type", "application/json"}}));
    wps::service::ListOptions paging;
    paging.maxPageSize = 2;
    paging.top = 3;
    auto *job = m_client->listConnectionsInGroup(u"g1"_s, paging);
    ASSERT_TRUE(finish(job));
    ASSERT_FALSE(job->hasError()) << job->error().toString().toStdString();
    ASSERT_EQ(job->members().size(), 3);
    EXPECT_EQ(job->pages(), 2);
    EXPECT_EQ(job->members().at(0).userId, u"u1"_s);
    EXPECT_FALSE(job->members().at(1).hasUser);
    ASSERT_EQ(m_server.requestCount(), 2);
    EXPECT_EQ(requestLine(m_server.requests().at(0)),
              "GET /api/hubs/hub1/groups/g1/connections?api-version=2024-12-01&maxpagesize=2&top=3 HTTP/1.1");
    EXPECT_EQ(requestLine(m_server.requests().at(1)),
              "GET /api/hubs/hub1/groups/g1/connections?top=1&maxpagesize=2&continuationToken=abc"
              "&api-version=2024-12-01 HTTP/1.1");
    const QByteArray auth = headerValue(m_server.requests().at(1), "Authorization").mid(7);
    auto claims = wps::jwt::verifyHs256(auth, {kKey.toUtf8()});
    ASSERT_TRUE(claims.hasValue());
    EXPECT_TRUE(
        claims->value(u"aud"_s).toString().endsWith(u"continuationToken=abc&api-version=2024-12-01"_s));
}

TEST_F(ServiceClientTest, ListRefusesNextLinkToAnotherHost)
{
    m_server.enqueue(FaultServer::Response::answer(
        200, R"({"value":[],"nextLink":"http://evil.example/api/hubs/hub1/groups/g1/connections"})"));
    auto *job = m_client->listConnectionsInGroup(u"g1"_s);
    ASSERT_TRUE(finish(job));
    ASSERT_TRUE(job->hasError());
    EXPECT_EQ(m_server.requestCount(), 1);
}

TEST_F(ServiceClientTest, GenerateTokenAndTracesAreRedacted)
{
    QList<wps::service::HttpTrace> traces;
    QObject context;
    QObject::connect(m_client.get(), &wps::service::ServiceClient::traced, &context,
                     [&traces](const wps::service::HttpTrace &trace) { traces.append(trace); });
    const QByteArray token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl";
    m_server.enqueue(FaultServer::Response::answer(200, R"({"token":")" + token + "\"}",
                                                   {{"Content-Type", "application/json; charset=utf-8"}}));
    wps::service::GenerateTokenOptions options;
    options.userId = u"u1"_s;
    options.roles = {u"webpubsub.joinLeaveGroup.g1"_s, u"webpubsub.sendToGroup"_s};
    options.groups = {u"g1"_s};
    options.minutesToExpire = 10;
    options.clientType = wps::ClientProtocol::Mqtt;
    auto *job = m_client->generateClientToken(options);
    ASSERT_TRUE(finish(job));
    ASSERT_FALSE(job->hasError()) << job->error().toString().toStdString();
    EXPECT_EQ(job->access().token, token);
    EXPECT_EQ(job->access().baseUrl.path(), u"/clients/mqtt/hubs/hub1"_s);
    EXPECT_EQ(job->access().url.scheme(), u"ws"_s);
    EXPECT_EQ(
        requestLine(m_server.requests().at(0)),
        "POST /api/hubs/hub1/:generateToken?api-version=2024-12-01&userId=u1&role=webpubsub.joinLeaveGroup.g1"
        "&role=webpubsub.sendToGroup&minutesToExpire=10&group=g1&clientType=mqtt HTTP/1.1");

    EXPECT_TRUE(headerValue(m_server.requests().at(0), "Content-Type").isEmpty()); // no body, no type

    ASSERT_EQ(traces.size(), 2);
    EXPECT_EQ(traces.at(0).phase, wps::service::HttpTrace::Phase::Request);
    EXPECT_EQ(traces.at(1).phase, wps::service::HttpTrace::Phase::Response);
    EXPECT_EQ(traces.at(0).exchangeId, traces.at(1).exchangeId);
    EXPECT_EQ(traces.at(1).status, 200);
    EXPECT_EQ(traces.at(1).attempt, 1);
    const QByteArray sentAuth = headerValue(m_server.requests().at(0), "Authorization");
    bool sawAuthorization = false;
    for (const auto &trace : traces) {
        for (const auto &[name, value] : trace.headers) {
            EXPECT_FALSE(value.contains(sentAuth.mid(7)));
            if (name.compare("Authorization", Qt::CaseInsensitive) == 0) {
                sawAuthorization = true;
                EXPECT_EQ(value, "Bearer ***");
            }
        }
        EXPECT_FALSE(trace.bodyPreview.contains(token));
        EXPECT_FALSE(trace.url.contains(kKey));
    }
    EXPECT_TRUE(sawAuthorization);
    EXPECT_EQ(traces.at(1).bodyPreview, R"({"token":"***"})"_ba);
    EXPECT_EQ(traces.at(1).bodySize, token.size() + 12);
}

TEST_F(ServiceClientTest, LocalTokenNeedsTheKeyAndMatchesTheSdkShape)
{
    wps::ClientTokenOptions options;
    options.userId = u"alice"_s;
    options.groups = {u"g1"_s};
    auto access = m_client->makeClientAccess(options);
    ASSERT_TRUE(access.hasValue());
    auto claims = wps::jwt::verifyHs256(access->token, {kKey.toUtf8()});
    ASSERT_TRUE(claims.hasValue());
    EXPECT_EQ(claims->value(u"aud"_s).toString(), m_endpoint + u"/client/hubs/hub1"_s);
    EXPECT_EQ(claims->value(u"sub"_s).toString(), u"alice"_s);

    wps::service::ServiceClient keyless(QUrl(m_endpoint), u"hub1"_s,
                                        std::make_shared<wps::service::AccessKeyCredential>(QString()));
    auto refused = keyless.makeClientAccess(options);
    ASSERT_FALSE(refused.hasValue());
    EXPECT_EQ(refused.error().kind, ServiceError::Kind::InvalidInput);
}

} // namespace
