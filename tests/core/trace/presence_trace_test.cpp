// Group presence events on the console's trace: the live trace's upstream record of a `joined` / `left`
// event becomes a request/response pair that knows the group and the user, and the Summary column says
// "alice joined room1 (presence event → handler 200)". The end-to-end test runs the real emulator with a hub
// whose handler (the emulator's own /demo/echo CloudEvents handler over loopback) takes presence events, set
// through ARM as the console's Hubs panel does.
#include "arm/armclient.h"
#include "protocol/clienttoken.h"
#include "service/credential.h"
#include "support/emulatorprocess.h"
#include "support/printers.h"
#include "trace/livetrace.h"
#include "trace/tracestore.h"
#include "trace/tracesummary.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <gtest/gtest.h>

#include <functional>

using namespace Qt::Literals::StringLiterals;
using namespace wps::trace;

namespace {

QJsonObject presenceRecord(const QString &event, const QString &status, const QString &error = {})
{
    QJsonObject context{
        {u"category"_s, u"HttpRequestLogs"_s},
        {u"direction"_s, u"out"_s},
        {u"hub"_s, u"chat"_s},
        {u"connectionId"_s, u"c1"_s},
        {u"event"_s, event},
        {u"httpMethod"_s, u"POST"_s},
        {u"url"_s, QString(u"http://127.0.0.1:9/upstream/"_s + event)},
        {u"statusCode"_s, status},
        {u"durationMs"_s, u"3"_s},
        {u"attempt"_s, u"1"_s},
        {u"exchangeId"_s, u"9"_s},
        {u"requestHeaders"_s, QJsonObject{{u"ce-type"_s, QString(u"azure.webpubsub.gp."_s + event)},
                                          {u"ce-userId"_s, u"alice"_s},
                                          {u"ce-signature"_s, u"***"_s}}},
        {u"requestBody"_s, uR"({"group":"room1"})"_s},
        {u"requestBodySize"_s, u"16"_s},
        {u"responseHeaders"_s, QJsonObject{}},
        {u"responseBody"_s, QString()},
        {u"responseBodySize"_s, u"0"_s},
    };
    if (!error.isEmpty())
        context.insert(u"error"_s, error);
    return QJsonObject{{u"time"_s, u"2026-01-02T03:04:05.678Z"_s},
                       {u"eventId"_s, 3002},
                       {u"logContext"_s, context},
                       {u"values"_s, QJsonArray{}}};
}

TraceRecordView view(const TraceEvent &e)
{
    TraceRecordView r;
    r.kind = e.kind;
    r.direction = e.direction;
    r.source = e.source;
    r.hub = e.hub;
    r.connectionId = e.connectionId;
    r.userId = e.userId;
    r.group = e.group;
    r.type = e.type;
    r.status = e.status;
    r.durationMs = e.durationMs;
    r.detail = e.detail;
    r.payload = e.payload;
    r.size = e.size;
    return r;
}

} // namespace

TEST(PresenceTrace, JoinedEventRowsKnowGroupAndUserAndReadAsWords)
{
    const auto events = LiveTraceClient::toTraceEvents(presenceRecord(u"joined"_s, u"200"_s), {});
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events.at(0).type, u"upstream joined"_s);
    EXPECT_EQ(events.at(0).group, u"room1"_s);
    EXPECT_EQ(events.at(1).group, u"room1"_s);
    EXPECT_EQ(events.at(1).userId, u"alice"_s);
    EXPECT_EQ(humanSummary(view(events.at(1))), u"alice joined room1 (presence event \u2192 handler 200)"_s);
    EXPECT_EQ(humanSummary(view(events.at(0))),
              u"presence event: alice joined room1 \u2192 POST /upstream/joined"_s);
    EXPECT_FALSE(isErrorRecord(view(events.at(1))));
}

TEST(PresenceTrace, FailedLeftEventSaysWhy)
{
    const auto failed =
        LiveTraceClient::toTraceEvents(presenceRecord(u"left"_s, u"500"_s, u"Handler answered 500"_s), {});
    ASSERT_EQ(failed.size(), 2u);
    const TraceRecordView answer = view(failed.at(1));
    EXPECT_EQ(humanSummary(answer),
              u"alice left room1 (presence event \u2192 handler 500: Handler answered 500)"_s);
    EXPECT_TRUE(isErrorRecord(answer));

    const auto lost =
        LiveTraceClient::toTraceEvents(presenceRecord(u"left"_s, u"0"_s, u"Connection refused"_s), {});
    ASSERT_EQ(lost.size(), 2u);
    EXPECT_EQ(humanSummary(view(lost.at(1))),
              u"alice left room1 (presence event not delivered: Connection refused)"_s);

    // A record without a user names the connection.
    QJsonObject record = presenceRecord(u"joined"_s, u"204"_s);
    QJsonObject context = record.value(u"logContext"_s).toObject();
    context.insert(u"requestHeaders"_s, QJsonObject{{u"ce-type"_s, u"azure.webpubsub.gp.joined"_s}});
    record.insert(u"logContext"_s, context);
    const auto anonymous = LiveTraceClient::toTraceEvents(record, {});
    ASSERT_EQ(anonymous.size(), 2u);
    EXPECT_EQ(humanSummary(view(anonymous.at(1))), u"c1 joined room1 (presence event \u2192 handler 204)"_s);
}

TEST(PresenceTrace, TheEmulatorsPresenceDeliveriesReachTheTraceAsWords)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    const wps::ConnectionString connection = emulator.connectionString();

    wps::arm::ArmClientOptions armOptions;
    armOptions.baseUrl = connection.endpoint();
    wps::arm::ArmClient arm(std::make_shared<wps::service::AccessKeyCredential>(connection.accessKey()),
                            armOptions);
    wps::arm::HubSettings settings;
    wps::arm::EventHandler handler;
    handler.urlTemplate = connection.endpoint().toString(QUrl::StripTrailingSlash) + u"/demo/echo/{event}"_s;
    handler.groupPresenceEvents = wps::arm::GroupPresenceEvents{{u"joined"_s, u"left"_s}, {u"room*"_s}};
    settings.eventHandlers = {handler};
    auto *job = arm.createOrUpdateHub(
        u"/subscriptions/local/resourceGroups/local/providers/Microsoft.SignalRService/webPubSub/emulator"_s,
        u"presence"_s, settings);
    QSignalSpy put(job, &wps::arm::ArmJob::finished);
    ASSERT_TRUE(put.wait(10000));
    ASSERT_FALSE(job->hasError()) << job->error().toString().toStdString();

    TraceStore store;
    LiveTraceOptions options;
    options.initialBackoffMs = 50;
    options.maxBackoffMs = 400;
    LiveTraceClient trace(&store, options);
    trace.start(connection);
    ASSERT_TRUE(QTest::qWaitFor([&] { return trace.state() == LiveTraceClient::State::Connected; }, 10000));

    wps::ClientTokenOptions token;
    token.userId = u"alice"_s;
    token.roles = {u"webpubsub.joinLeaveGroup"_s};
    QWebSocket client;
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols({u"json.webpubsub.azure.v1"_s});
    QString connectionId;
    int acks = 0;
    QObject::connect(&client, &QWebSocket::textMessageReceived, &client, [&](const QString &text) {
        const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
        if (connectionId.isEmpty())
            connectionId = frame.value(u"connectionId"_s).toString();
        if (frame.value(u"type"_s) == u"ack"_s && frame.value(u"success"_s).toBool())
            ++acks;
    });
    client.open(QNetworkRequest(wps::makeClientAccess(connection, u"presence"_s, token).url), handshake);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !connectionId.isEmpty(); }, 10000));
    client.sendTextMessage(uR"({"type":"joinGroup","group":"lobby","ackId":1})"_s); // outside the filter
    client.sendTextMessage(uR"({"type":"joinGroup","group":"room1","ackId":2})"_s);
    client.sendTextMessage(uR"({"type":"leaveGroup","group":"room1","ackId":3})"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return acks == 3; }, 10000));

    auto summaries = [&](const QString &type) {
        QStringList found;
        store.forEach(store.firstId(), store.endId(), [&](const TraceRecordView &r) {
            if (r.kind == Kind::Http && r.direction == Direction::In && r.type == type &&
                r.connectionId == connectionId)
                found << humanSummary(r);
        });
        return found;
    };
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return !summaries(u"upstream joined"_s).isEmpty() && !summaries(u"upstream left"_s).isEmpty();
        },
        10000));
    EXPECT_EQ(summaries(u"upstream joined"_s),
              QStringList{u"alice joined room1 (presence event \u2192 handler 204)"_s});
    EXPECT_EQ(summaries(u"upstream left"_s),
              QStringList{u"alice left room1 (presence event \u2192 handler 204)"_s});
}
