// The emulator's upstream client against a loopback event handler (tests/support/faultserver.h):
// validation handshake, connect outcomes, retries, timeouts, user-event replies
// (docs/protocol.md#upstream-cloudevents).
#include "emulator/upstream/eventhandlers.h"
#include "emulator/upstream/upstreamclient.h"
#include "protocol/cloudevents.h"
#include "support/faultserver.h"
#include "support/printers.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <gtest/gtest.h>

#include <memory>
#include <optional>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace wps::emulator;
using wps::test::FaultServer;
using Response = FaultServer::Response;
namespace ce = wps::cloudevents;

namespace {

const QByteArray kKey = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH"_ba;
const QString kOrigin = u"127.0.0.1:8080"_s;

Response allowAll()
{
    return Response::answer(200, {}, {{"WebHook-Allowed-Origin", "*"}});
}

HubSettings hubFor(quint16 port, const QString &userEvents = u"*"_s,
                   QStringList systemEvents = {u"connect"_s, u"connected"_s, u"disconnected"_s})
{
    HubSettings hub;
    hub.eventHandlers.append({u"http://127.0.0.1:%1/upstream/{hub}/{event}?code=secretcode"_s.arg(port),
                              userEvents, std::move(systemEvents)});
    return hub;
}

UpstreamOptions fastOptions()
{
    UpstreamOptions options;
    options.accessKeys = {kKey};
    options.origin = kOrigin;
    options.retryDelays = {1ms, 1ms, 1ms};
    options.validationTimeout = 5000ms;
    options.eventTimeout = 10000ms;
    return options;
}

ConnectEventContext connectEvent()
{
    ConnectEventContext event;
    event.connection.hub = u"chat"_s;
    event.connection.connectionId = u"conn1"_s;
    event.connection.userId = u"alice"_s;
    event.request.claims = {{u"sub"_s, {u"alice"_s}}};
    event.request.query = {{u"access_token"_s, {u"token.secret.value"_s}}};
    event.request.subprotocols = {u"json.webpubsub.azure.v1"_s};
    return event;
}

UserEventContext userEvent(const QString &name = u"chat"_s)
{
    UserEventContext event;
    event.connection.hub = u"chat"_s;
    event.connection.connectionId = u"conn1"_s;
    event.connection.subprotocol = u"json.webpubsub.azure.v1"_s;
    event.connection.connectionState = "c3RhdGU="_ba;
    event.eventName = name;
    event.eventId = 2;
    event.data = wps::messages::Payload::text(u"hello"_s);
    return event;
}

/// The value of \a name in a recorded request head, or "<absent>".
QByteArray headerOf(const QByteArray &head, const QByteArray &name)
{
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return "<absent>"_ba;
}

class Upstream : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_port = m_server.listen();
        ASSERT_NE(m_port, 0);
        m_client = std::make_unique<UpstreamClient>(fastOptions());
    }

    ConnectOutcome connect(const HubSettings &hub, const ConnectEventContext &event = connectEvent())
    {
        std::optional<ConnectOutcome> outcome;
        QObject context;
        m_client->deliverConnect(hub, event, &context, [&](const ConnectOutcome &o) { outcome = o; });
        EXPECT_TRUE(QTest::qWaitFor([&] { return outcome.has_value(); }, 15000));
        return outcome.value_or(ConnectOutcome{});
    }

    UserEventOutcome send(const HubSettings &hub, const UserEventContext &event = userEvent())
    {
        std::optional<UserEventOutcome> outcome;
        QObject context;
        m_client->deliverUserEvent(hub, event, &context, [&](const UserEventOutcome &o) { outcome = o; });
        EXPECT_TRUE(QTest::qWaitFor([&] { return outcome.has_value(); }, 15000));
        return outcome.value_or(UserEventOutcome{});
    }

    FaultServer m_server;
    quint16 m_port = 0;
    std::unique_ptr<UpstreamClient> m_client;
};

} // namespace

TEST(UpstreamHandlers, EventPatternsPickTheFirstMatchingHandlerAndTemplatesExpand)
{
    EXPECT_TRUE(upstream::matchesUserEventPattern(u"*"_s, u"anything"_s));
    EXPECT_TRUE(upstream::matchesUserEventPattern(u"a, Chat"_s, u"chat"_s));
    EXPECT_FALSE(upstream::matchesUserEventPattern(u"a,b"_s, u"chat"_s));
    EXPECT_FALSE(upstream::matchesUserEventPattern(QString(), u"chat"_s));
    EXPECT_TRUE(upstream::matchesUserEventPattern(u"ch?t"_s, u"chat"_s));
    EXPECT_TRUE(upstream::matchesUserEventPattern(u"game.*"_s, u"game.move"_s));
    EXPECT_FALSE(upstream::matchesUserEventPattern(u"game.*"_s, u"game.move.x"_s));
    EXPECT_TRUE(upstream::matchesUserEventPattern(u"game.**"_s, u"game.move.x"_s));

    HubSettings hub;
    hub.eventHandlers.append({u"http://one/{event}"_s, u"a"_s, {u"connected"_s}});
    hub.eventHandlers.append({u"http://two/{event}"_s, u"*"_s, {u"Connect"_s, u"connected"_s}});
    using ce::EventKind;
    EXPECT_EQ(upstream::resolveHandler(hub, EventKind::Connected)->urlTemplate, u"http://one/{event}"_s);
    EXPECT_EQ(upstream::resolveHandler(hub, EventKind::Connect)->urlTemplate, u"http://two/{event}"_s);
    EXPECT_EQ(upstream::resolveHandler(hub, EventKind::User, u"a"_s)->urlTemplate, u"http://one/{event}"_s);
    EXPECT_EQ(upstream::resolveHandler(hub, EventKind::User, u"b"_s)->urlTemplate, u"http://two/{event}"_s);
    EXPECT_FALSE(upstream::resolveHandler(hub, EventKind::Disconnected));

    EXPECT_EQ(upstream::expandUrlTemplate(u"http://h:1/api/{hub}/{event}"_s, u"chat"_s, u"connect"_s),
              QUrl(u"http://h:1/api/chat/connect"_s));
    EXPECT_TRUE(upstream::expandUrlTemplate(u"ftp://h/{event}"_s, u"c"_s, u"e"_s).isEmpty());
    EXPECT_TRUE(upstream::expandUrlTemplate(u"/relative/{event}"_s, u"c"_s, u"e"_s).isEmpty());
    EXPECT_EQ(upstream::redactedUrl(QUrl(u"http://u:p@h/x?code=secret"_s)), u"http://h/x?…"_s);
}

TEST_F(Upstream, ValidatesOnceThenConnectIsAcceptedWithOverrides)
{
    m_server.enqueue(allowAll());
    m_server.enqueue(
        Response::answer(200, R"({"userId":"bob","groups":["room1"],"roles":[]})",
                         {{"Content-Type", "application/json"}, {"ce-connectionState", "c3Q="}}));
    const ConnectOutcome outcome = connect(hubFor(m_port));
    ASSERT_EQ(outcome.result, ConnectOutcome::Result::Accepted) << outcome.error.toStdString();
    EXPECT_EQ(outcome.response.userId, std::optional<QString>(u"bob"_s));
    EXPECT_EQ(outcome.response.groups, std::optional<QStringList>(QStringList{u"room1"_s}));
    EXPECT_EQ(outcome.response.roles, std::optional<QStringList>(QStringList{}));
    EXPECT_EQ(outcome.response.connectionState, std::optional<QByteArray>("c3Q="_ba));

    ASSERT_EQ(m_server.requestCount(), 2);
    const QByteArray validation = m_server.requests().at(0);
    EXPECT_TRUE(validation.startsWith("OPTIONS /upstream/chat/validate?code=secretcode HTTP/1.1"));
    EXPECT_EQ(headerOf(validation, "WebHook-Request-Origin"), kOrigin.toUtf8());
    EXPECT_EQ(headerOf(validation, "ce-awpsversion"), "1.0");
    EXPECT_EQ(headerOf(validation, "ce-signature"), "<absent>");

    const QByteArray post = m_server.requests().at(1);
    EXPECT_TRUE(post.startsWith("POST /upstream/chat/connect?code=secretcode HTTP/1.1"));
    EXPECT_EQ(headerOf(post, "ce-type"), "azure.webpubsub.sys.connect");
    EXPECT_EQ(headerOf(post, "ce-id"), "0");
    EXPECT_EQ(headerOf(post, "ce-userId"), "alice");
    EXPECT_EQ(headerOf(post, "ce-source"), "/hubs/chat/client/conn1");
    EXPECT_EQ(headerOf(post, "ce-signature"), ce::signature(u"conn1"_s, {kKey}));
    EXPECT_TRUE(headerOf(post, "Content-Type").startsWith("application/json"));
    const QJsonObject body = QJsonDocument::fromJson(m_server.bodies().at(1)).object();
    EXPECT_TRUE(body.value(u"query"_s).toObject().isEmpty()) << m_server.bodies().at(1).toStdString();
    EXPECT_FALSE(m_server.bodies().at(1).contains("secret"));

    // The URL passed validation: the next event goes straight to the handler.
    m_server.enqueue(Response::answer(204));
    EXPECT_EQ(connect(hubFor(m_port)).result, ConnectOutcome::Result::Accepted);
    ASSERT_EQ(m_server.requestCount(), 3);
    EXPECT_TRUE(m_server.requests().at(2).startsWith("POST "));
}

TEST_F(Upstream, EventsToOneHandlerShareOneKeptAliveConnection)
{
    m_server.enqueue(allowAll());
    m_server.setDefault(Response::answer(204));
    EXPECT_EQ(connect(hubFor(m_port)).result, ConnectOutcome::Result::Accepted);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(send(hubFor(m_port)).result, UserEventOutcome::Result::Replied);
    EXPECT_EQ(m_server.requestCount(), 5);
    EXPECT_EQ(m_server.connectionCount(), 1);
}

TEST_F(Upstream, RefusedValidationRejectsWith500AndSendsNoEvent)
{
    const QList<Response> refusals{
        Response::answer(200),                                                        // no header
        Response::answer(200, {}, {{"WebHook-Allowed-Origin", "other.example"}}),     // another origin
        Response::answer(200, {}, {{"WebHook-Allowed-Origin", "*, 127.0.0.1:8080"}}), // a list
        Response::answer(403, {}, {{"WebHook-Allowed-Origin", "*"}}),                 // not 2xx
    };
    int expectedRequests = 0;
    for (const Response &refusal : refusals) {
        m_server.enqueue(refusal);
        const ConnectOutcome outcome = connect(hubFor(m_port));
        ++expectedRequests;
        EXPECT_EQ(outcome.result, ConnectOutcome::Result::Rejected);
        EXPECT_EQ(outcome.status, 500);
        EXPECT_EQ(outcome.failure, UpstreamFailure::ValidationFailed);
        EXPECT_EQ(m_server.requestCount(), expectedRequests); // no POST after a refusal; nothing cached
    }
}

TEST_F(Upstream, ValidationFallsBackToGetAndMatchesTheOriginCaseInsensitively)
{
    auto options = fastOptions();
    options.origin = u"LocalHost:8080"_s;
    m_client->setOptions(options);
    m_server.enqueue(Response::answer(404));
    m_server.enqueue(Response::answer(200, {}, {{"WebHook-Allowed-Origin", "localhost:8080"}}));
    m_server.enqueue(Response::answer(204));
    const ConnectOutcome outcome = connect(hubFor(m_port));
    EXPECT_EQ(outcome.result, ConnectOutcome::Result::Accepted) << outcome.error.toStdString();
    ASSERT_EQ(m_server.requestCount(), 3);
    EXPECT_TRUE(m_server.requests().at(0).startsWith("OPTIONS "));
    EXPECT_TRUE(m_server.requests().at(1).startsWith("GET /upstream/chat/validate"));
    EXPECT_TRUE(m_server.requests().at(2).startsWith("POST /upstream/chat/connect"));
}

TEST_F(Upstream, HandlerRejectionIsRelayedWithoutRetry)
{
    m_server.enqueue(allowAll());
    m_server.enqueue(Response::answer(401, "no entry", {{"Content-Type", "text/plain"}}));
    const ConnectOutcome outcome = connect(hubFor(m_port));
    EXPECT_EQ(outcome.result, ConnectOutcome::Result::Rejected);
    EXPECT_EQ(outcome.status, 401);
    EXPECT_EQ(outcome.body, "no entry"_ba);
    EXPECT_EQ(outcome.contentType, "text/plain"_ba);
    EXPECT_EQ(outcome.failure, UpstreamFailure::HttpStatus);
    EXPECT_EQ(m_server.requestCount(), 2);
}

TEST_F(Upstream, ServerErrorsAreRetriedThenRelayed)
{
    QSignalSpy exchanges(m_client.get(), &UpstreamClient::exchangeFinished);
    m_server.enqueue(allowAll());
    m_server.setDefault(Response::answer(500, "boom"));
    const ConnectOutcome outcome = connect(hubFor(m_port));
    EXPECT_EQ(outcome.result, ConnectOutcome::Result::Rejected);
    EXPECT_EQ(outcome.status, 500);
    EXPECT_TRUE(outcome.body.isEmpty());       // a 5xx body is not relayed
    EXPECT_EQ(m_server.requestCount(), 1 + 4); // validation, then four attempts
    // The retries repeat the same event: same ID, same body.
    for (int i = 2; i < m_server.requestCount(); ++i) {
        EXPECT_EQ(headerOf(m_server.requests().at(i), "ce-id"), "0");
        EXPECT_EQ(m_server.bodies().at(i), m_server.bodies().at(1));
    }
    ASSERT_EQ(exchanges.size(), 5);
    const auto last = exchanges.last().at(0).value<UpstreamExchange>();
    EXPECT_EQ(last.attempt, 4);
    EXPECT_EQ(last.status, 500);
    EXPECT_EQ(last.eventName, u"connect"_s);
    EXPECT_FALSE(last.url.contains(u"secretcode"_s));
}

TEST_F(Upstream, RetrySucceedsAfterUnavailableAndDrop)
{
    m_server.enqueue(allowAll());
    m_server.enqueue(Response::answer(503));
    m_server.enqueue(Response::drop());
    m_server.enqueue(Response::answer(408));
    m_server.enqueue(Response::answer(204));
    const ConnectOutcome outcome = connect(hubFor(m_port));
    EXPECT_EQ(outcome.result, ConnectOutcome::Result::Accepted) << outcome.error.toStdString();
    EXPECT_EQ(m_server.requestCount(), 5);
}

TEST_F(Upstream, UnusableAnswersRejectWith500)
{
    m_server.enqueue(allowAll());
    for (const QByteArray &body : {"{not json"_ba, R"({"groups":[""]})"_ba, R"({"subprotocol":"mqtt"})"_ba}) {
        m_server.enqueue(Response::answer(200, body, {{"Content-Type", "application/json"}}));
        const ConnectOutcome outcome = connect(hubFor(m_port));
        EXPECT_EQ(outcome.result, ConnectOutcome::Result::Rejected) << body.toStdString();
        EXPECT_EQ(outcome.status, 500);
        EXPECT_EQ(outcome.failure, UpstreamFailure::Unusable);
    }
}

TEST_F(Upstream, OversizedAnswerIsUnusable)
{
    auto options = fastOptions();
    options.maxResponseBytes = 64;
    m_client->setOptions(options);
    m_server.enqueue(allowAll());
    m_server.enqueue(Response::answer(200, QByteArray(1000, ' ')));
    const ConnectOutcome outcome = connect(hubFor(m_port));
    EXPECT_EQ(outcome.result, ConnectOutcome::Result::Rejected);
    EXPECT_EQ(outcome.status, 500);
    EXPECT_EQ(outcome.failure, UpstreamFailure::TooLarge);
}

TEST_F(Upstream, HangingHandlerTimesOut)
{
    auto options = fastOptions();
    options.eventTimeout = 300ms;
    m_client->setOptions(options);
    m_server.enqueue(allowAll());
    m_server.setDefault(Response::hang());
    const ConnectOutcome outcome = connect(hubFor(m_port));
    EXPECT_EQ(outcome.result, ConnectOutcome::Result::Rejected);
    EXPECT_EQ(outcome.status, 500);
    EXPECT_EQ(outcome.failure, UpstreamFailure::Timeout);
    EXPECT_EQ(m_server.requestCount(), 2); // the overall budget ran out: no retry after it
}

TEST_F(Upstream, HangingValidationTimesOutPerAttempt)
{
    auto options = fastOptions();
    options.validationTimeout = 1000ms; // long enough for a loaded machine to deliver each attempt
    options.retryDelays = {1ms};
    m_client->setOptions(options);
    m_server.setDefault(Response::hang());
    const ConnectOutcome outcome = connect(hubFor(m_port));
    EXPECT_EQ(outcome.failure, UpstreamFailure::ValidationFailed);
    EXPECT_EQ(outcome.status, 500);
    EXPECT_EQ(m_server.requestCount(), 2); // one retry
}

TEST_F(Upstream, AnUnreachableHandlerRejectsConnectsAndFailsUserEvents)
{
    QTcpServer closed;
    ASSERT_TRUE(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close(); // connection refused from now on
    QSignalSpy exchanges(m_client.get(), &UpstreamClient::exchangeFinished);
    const ConnectOutcome outcome = connect(hubFor(port));
    EXPECT_EQ(outcome.result, ConnectOutcome::Result::Rejected);
    EXPECT_EQ(outcome.status, 500);
    EXPECT_EQ(outcome.failure, UpstreamFailure::ValidationFailed);
    EXPECT_TRUE(outcome.error.contains(u"ConnectionRefused"_s)) << outcome.error.toStdString();
    EXPECT_EQ(exchanges.size(), 4); // validation attempts with retries

    const UserEventOutcome event = send(hubFor(port));
    EXPECT_EQ(event.result, UserEventOutcome::Result::Failed);
}

TEST_F(Upstream, UserEventRepliesByContentType)
{
    m_server.enqueue(allowAll());
    struct Case
    {
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        wps::messages::Payload expected;
    };
    const QList<Case> cases{
        {{{"Content-Type", "text/plain; charset=utf-8"}}, "hi", wps::messages::Payload::text(u"hi"_s)},
        {{{"Content-Type", "application/json"}}, R"({"a":1})", wps::messages::Payload::json(R"({"a":1})")},
        {{{"Content-Type", "application/octet-stream"}},
         "\x01\x02",
         wps::messages::Payload::binary("\x01\x02")},
        {{}, "raw", wps::messages::Payload::binary("raw")},
    };
    for (const Case &c : cases) {
        m_server.enqueue(Response::answer(200, c.body, c.headers));
        const UserEventOutcome outcome = send(hubFor(m_port));
        ASSERT_EQ(outcome.result, UserEventOutcome::Result::Replied) << outcome.error.toStdString();
        EXPECT_EQ(outcome.reply.payload, std::optional<wps::messages::Payload>(c.expected));
    }
    const QByteArray post = m_server.requests().at(1);
    EXPECT_TRUE(post.startsWith("POST /upstream/chat/chat?code=secretcode"));
    EXPECT_EQ(headerOf(post, "ce-type"), "azure.webpubsub.user.chat");
    EXPECT_EQ(headerOf(post, "ce-eventName"), "chat");
    EXPECT_EQ(headerOf(post, "ce-id"), "2");
    EXPECT_EQ(headerOf(post, "Content-Type"), "text/plain");
    EXPECT_EQ(headerOf(post, "ce-subprotocol"), "json.webpubsub.azure.v1");
    EXPECT_EQ(headerOf(post, "ce-connectionState"), "c3RhdGU=");
    EXPECT_EQ(m_server.bodies().at(1), "hello"_ba);

    m_server.enqueue(Response::answer(204, {}, {{"ce-connectionState", "bmV3"}}));
    const UserEventOutcome none = send(hubFor(m_port));
    ASSERT_EQ(none.result, UserEventOutcome::Result::Replied);
    EXPECT_EQ(none.reply.payload, std::nullopt);
    EXPECT_EQ(none.reply.connectionState, std::optional<QByteArray>("bmV3"_ba));

    m_server.enqueue(Response::answer(200, "<a/>", {{"Content-Type", "application/xml"}}));
    EXPECT_EQ(send(hubFor(m_port)).failure, UpstreamFailure::Unusable);
    m_server.enqueue(Response::answer(400, "bad"));
    const UserEventOutcome failed = send(hubFor(m_port));
    EXPECT_EQ(failed.result, UserEventOutcome::Result::Failed);
    EXPECT_EQ(failed.status, 400);
}

TEST_F(Upstream, NoMatchingHandlerIsReportedAsSuch)
{
    const HubSettings hub = hubFor(m_port, u"other"_s, {u"connected"_s});
    EXPECT_EQ(connect(hub).result, ConnectOutcome::Result::NoHandler);
    EXPECT_EQ(send(hub).result, UserEventOutcome::Result::NoHandler);
    EXPECT_EQ(send(HubSettings{}).result, UserEventOutcome::Result::NoHandler);
    EXPECT_EQ(m_server.requestCount(), 0);
}

TEST_F(Upstream, NonBlockingEventsAreDeliveredAndOnlyLogged)
{
    m_server.enqueue(allowAll());
    m_server.enqueue(Response::answer(500));
    m_server.setDefault(Response::answer(204));
    UpstreamConnection connection;
    connection.hub = u"chat"_s;
    connection.connectionId = u"conn1"_s;
    connection.userId = u"alice"_s;
    connection.subprotocol = u"json.webpubsub.azure.v1"_s;
    m_client->deliverConnected(hubFor(m_port), connection, 1);
    m_client->deliverDisconnected(hubFor(m_port), connection, 2, u"bye"_s);
    // Both wait for the one validation; connected's 500 is retried once, disconnected goes straight through.
    ASSERT_TRUE(QTest::qWaitFor([&] { return m_server.requestCount() >= 4 && m_client->pendingCount() == 0; },
                                15000));
    EXPECT_EQ(m_server.requestCount(), 4);
    QMap<QByteArray, QByteArray> bodyByType;
    for (int i = 1; i < m_server.requestCount(); ++i)
        bodyByType.insert(headerOf(m_server.requests().at(i), "ce-type"), m_server.bodies().at(i));
    EXPECT_EQ(bodyByType.value("azure.webpubsub.sys.connected"), "{}"_ba);
    EXPECT_EQ(bodyByType.value("azure.webpubsub.sys.disconnected"), R"({"reason":"bye"})"_ba);
    EXPECT_TRUE(m_server.requests().at(0).startsWith("OPTIONS "));
}

TEST_F(Upstream, OutcomeIsDroppedWhenTheContextIsGone)
{
    m_server.enqueue(allowAll());
    m_server.setDefault(Response::answer(204));
    bool called = false;
    {
        QObject context;
        m_client->deliverConnect(hubFor(m_port), connectEvent(), &context,
                                 [&](const ConnectOutcome &) { called = true; });
    }
    ASSERT_TRUE(QTest::qWaitFor([&] { return m_server.requestCount() == 2 && m_client->pendingCount() == 0; },
                                15000));
    EXPECT_FALSE(called);
}
