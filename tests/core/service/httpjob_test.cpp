// The shared HTTP job engine (service::HttpJob) under both of its clients, ServiceClient (data plane) and
// ArmClient (management plane), against the loopback FaultServer: where the two used to disagree (the
// never-sent rule, retryUnansweredSends, the trace preview limit, the timeout text, cancel()) they now
// behave the same, as docs/service-client.md describes.
#include "arm/armclient.h"
#include "service/serviceclient.h"
#include "support/faultserver.h"
#include "support/printers.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using wps::service::HttpJob;
using wps::service::HttpTrace;
using wps::service::ServiceError;
using wps::test::FaultServer;

namespace {

const QString kKey = u"test-access-key-0123456789"_s;
const QString kResource =
    u"/subscriptions/s/resourceGroups/rg/providers/Microsoft.SignalRService/webPubSub/w"_s;

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

/// Waits for the job and checks finished() came exactly once.
bool finish(HttpJob *job)
{
    QSignalSpy spy(job, &HttpJob::finished);
    const bool done = QTest::qWaitFor([&] { return spy.count() >= 1; }, 20000);
    QTest::qWait(0);
    EXPECT_EQ(spy.count(), 1);
    return done;
}

/// For jobs that run side by side: one may finish while the test waits for another.
bool finished(HttpJob *job)
{
    return QTest::qWaitFor([job] { return job->isFinished(); }, 20000);
}

quint16 closedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort(); // closed again when probe goes
}

class HttpJobTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_NE(m_server.listen(), 0); }

    QUrl base() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.port())); }

    std::unique_ptr<wps::arm::ArmClient> arm(int retries, std::chrono::milliseconds timeout = 3000ms,
                                             bool retryUnansweredSends = false)
    {
        wps::arm::ArmClientOptions options;
        options.baseUrl = base();
        options.timeout = timeout;
        options.retry.maxRetries = retries;
        options.retry.initialDelay = 5ms;
        options.retry.maxDelay = 20ms;
        options.retry.retryUnansweredSends = retryUnansweredSends;
        options.pollInterval = 10ms;
        return std::make_unique<wps::arm::ArmClient>(
            std::make_shared<wps::service::AccessKeyCredential>(kKey), options);
    }

    std::unique_ptr<wps::service::ServiceClient> service(int retries,
                                                         std::chrono::milliseconds timeout = 3000ms)
    {
        auto client =
            std::make_unique<wps::service::ServiceClient>(wps::ConnectionString(base(), kKey), u"hub1"_s);
        wps::service::ServiceClientOptions options;
        options.timeout = timeout;
        options.retry.maxRetries = retries;
        options.retry.initialDelay = 5ms;
        options.retry.maxDelay = 20ms;
        client->setOptions(options);
        return client;
    }

    FaultServer m_server;
};

TEST_F(HttpJobTest, CancelFinishesOnceAndOnlyWithItsSignalForBothClients)
{
    m_server.setDefault(FaultServer::Response::hang());
    auto rest = service(0);
    auto management = arm(0);
    QSignalSpy received(&m_server, &FaultServer::requestReceived);
    const QList<HttpJob *> jobs{rest->userExists(u"u1"_s), management->listHubs(kResource)};
    ASSERT_TRUE(QTest::qWaitFor([&] { return received.count() >= 2; }, 5000));
    for (HttpJob *job : jobs) {
        QSignalSpy spy(job, &HttpJob::finished);
        job->cancel();
        job->cancel();
        // The outcome is certain, but the job says "finished" only together with its signal.
        EXPECT_FALSE(job->isFinished());
        EXPECT_FALSE(job->hasError());
        ASSERT_TRUE(QTest::qWaitFor([&] { return spy.count() >= 1; }, 5000));
        QTest::qWait(0);
        EXPECT_EQ(spy.count(), 1);
        EXPECT_TRUE(job->isFinished());
        ASSERT_TRUE(job->hasError());
        EXPECT_EQ(job->error().kind, ServiceError::Kind::Cancelled);
        job->cancel(); // after finishing: nothing more
        QTest::qWait(0);
        EXPECT_EQ(spy.count(), 1);
    }
}

TEST_F(HttpJobTest, ArmKeyRegenerationIsNotRetriedOnceItMayHaveArrived)
{
    m_server.setDefault(FaultServer::Response::hang());
    auto client = arm(3, 300ms);
    wps::arm::KeysJob *job = client->regenerateKey(kResource, wps::arm::KeyType::Primary);
    ASSERT_TRUE(finish(job));
    ASSERT_TRUE(job->hasError());
    EXPECT_EQ(job->error().kind, ServiceError::Kind::Timeout);
    EXPECT_EQ(m_server.requestCount(), 1);
}

TEST_F(HttpJobTest, ArmHonoursRetryUnansweredSends)
{
    m_server.setDefault(FaultServer::Response::hang());
    auto client = arm(1, 300ms, true);
    wps::arm::KeysJob *job = client->regenerateKey(kResource, wps::arm::KeyType::Primary);
    ASSERT_TRUE(finish(job));
    ASSERT_TRUE(job->hasError());
    EXPECT_EQ(job->error().kind, ServiceError::Kind::Timeout);
    EXPECT_EQ(m_server.requestCount(), 2);
}

TEST_F(HttpJobTest, ArmReadsArePostsTooAndAreRetried)
{
    // listKeys is a POST but only reads: a timed-out attempt is retried like any read.
    m_server.enqueue(FaultServer::Response::hang());
    m_server.enqueue(FaultServer::Response::answer(200, R"({"primaryKey":"k1","secondaryKey":"k2"})"));
    auto client = arm(1, 300ms);
    wps::arm::KeysJob *job = client->listKeys(kResource);
    ASSERT_TRUE(finish(job));
    ASSERT_FALSE(job->hasError()) << job->error().toString().toStdString();
    EXPECT_EQ(job->keys().primaryKey, u"k1"_s);
    EXPECT_EQ(job->attempts(), 2);
}

TEST_F(HttpJobTest, RefusedConnectionCountsAsNeverSentForBothClients)
{
    const quint16 port = closedPort();
    ASSERT_NE(port, 0);
    wps::arm::ArmClientOptions options;
    options.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    options.retry.maxRetries = 1;
    options.retry.initialDelay = 5ms;
    wps::arm::ArmClient management(std::make_shared<wps::service::AccessKeyCredential>(kKey), options);
    wps::arm::KeysJob *regenerate = management.regenerateKey(kResource, wps::arm::KeyType::Secondary);
    wps::service::ServiceClient rest(wps::ConnectionString(options.baseUrl, kKey), u"hub1"_s);
    wps::service::ServiceClientOptions restOptions;
    restOptions.retry = options.retry;
    rest.setOptions(restOptions);
    wps::service::ServiceJob *send = rest.sendToAll(wps::service::Message::text(u"x"_s));
    for (HttpJob *job : QList<HttpJob *>{regenerate, send}) {
        ASSERT_TRUE(finished(job));
        ASSERT_TRUE(job->hasError());
        EXPECT_EQ(job->error().kind, ServiceError::Kind::Network);
        EXPECT_EQ(job->attempts(), 2) << job->operation().toStdString(); // never sent: safe to retry
        EXPECT_TRUE(job->error().message.contains(u"127.0.0.1:"_s + QString::number(port)))
            << job->error().message.toStdString();
    }
}

TEST_F(HttpJobTest, TimeoutTextIsTheSameForBothClients)
{
    m_server.setDefault(FaultServer::Response::hang());
    auto rest = service(0, 200ms);
    auto management = arm(0, 200ms);
    for (HttpJob *job : QList<HttpJob *>{rest->groupExists(u"g1"_s), management->listHubs(kResource)}) {
        ASSERT_TRUE(finished(job));
        ASSERT_TRUE(job->hasError());
        EXPECT_EQ(job->error().kind, ServiceError::Kind::Timeout);
        const QString expected =
            u"127.0.0.1:%1 did not answer within 200 ms (attempt 1)."_s.arg(m_server.port());
        EXPECT_EQ(job->error().message, expected) << job->operation().toStdString();
    }
}

TEST_F(HttpJobTest, ArmTracesHonourTheBodyPreviewLimitAndHideKeys)
{
    const QByteArray longList = R"({"value":[{"name":")" + QByteArray(400, 'h') + R"("}]})";
    m_server.enqueue(FaultServer::Response::answer(200, longList));
    m_server.enqueue(
        FaultServer::Response::answer(200, R"({"primaryKey":"secret-1","secondaryKey":"secret-2"})"));
    auto client = arm(0);
    wps::arm::ArmClientOptions options = client->options();
    options.bodyPreviewLimit = 64;
    client->setOptions(options);
    QList<HttpTrace> traces;
    QObject::connect(client.get(), &wps::service::HttpClient::traced,
                     [&traces](const HttpTrace &trace) { traces.append(trace); });
    ASSERT_TRUE(finish(client->listHubs(kResource)));
    ASSERT_TRUE(finish(client->listKeys(kResource)));
    ASSERT_EQ(traces.size(), 4);
    EXPECT_EQ(traces.at(1).phase, HttpTrace::Phase::Response);
    EXPECT_EQ(traces.at(1).bodySize, longList.size());
    EXPECT_EQ(traces.at(1).bodyPreview.size(), 64);
    EXPECT_EQ(traces.at(3).operation, u"listKeys"_s);
    EXPECT_GT(traces.at(3).bodySize, 0);
    EXPECT_TRUE(traces.at(3).bodyPreview.isEmpty()); // keys: the size only
    for (const HttpTrace &trace : std::as_const(traces))
        for (const auto &[name, value] : trace.headers)
            EXPECT_FALSE(name.compare("Authorization", Qt::CaseInsensitive) == 0 && value.contains("."))
                << value.toStdString();
}

TEST_F(HttpJobTest, ArmRequestsComeFromTheSameFactoryAsRestRequests)
{
    m_server.setDefault(FaultServer::Response::answer(200, R"({"value":[]})"));
    auto management = arm(0);
    auto rest = service(0);
    ASSERT_TRUE(finish(management->listHubs(kResource)));
    ASSERT_TRUE(finish(rest->health()));
    ASSERT_EQ(m_server.requestCount(), 2);
    for (const QByteArray &head : m_server.requests()) {
        EXPECT_TRUE(headerValue(head, "User-Agent").startsWith("webpubsub-console/")) << head.toStdString();
        // The id the server logs: a trace row and the server's row of one call share it.
        EXPECT_EQ(headerValue(head, "x-ms-client-request-id").size(), 36) << head.toStdString();
        EXPECT_TRUE(headerValue(head, "Authorization").startsWith("Bearer ")) << head.toStdString();
    }
    EXPECT_EQ(headerValue(m_server.requests().at(0), "Accept"), "application/json");
}

TEST_F(HttpJobTest, PagingStopsAtTheLimitForBothClients)
{
    const QByteArray next =
        base().toString().toUtf8() + kResource.toUtf8() + "/hubs?api-version=2024-03-01&p=2";
    m_server.setDefault(
        FaultServer::Response::answer(200, R"({"value":[{"name":"a"}],"nextLink":")" + next + "\"}"));
    auto client = arm(0);
    wps::arm::ArmClientOptions options = client->options();
    options.maxPages = 3;
    client->setOptions(options);
    wps::arm::ArmListJob *list = client->listHubs(kResource);
    ASSERT_TRUE(finish(list));
    ASSERT_TRUE(list->hasError());
    EXPECT_TRUE(list->error().message.contains(u"more than 3 pages"_s))
        << list->error().message.toStdString();
    EXPECT_EQ(m_server.requestCount(), 3);
}

} // namespace
