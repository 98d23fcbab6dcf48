// How the console maps the live trace records that carry evidence: an upstream exchange becomes a
// request/response row pair, a refused upgrade a row with its status and reason, a send's record says how
// many connections it reached. Records missing the optional fields (a service that does not send them)
// still map, without invented values.
#include "trace/livetrace.h"
#include "trace/tracestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using wps::trace::Direction;
using wps::trace::Kind;
using wps::trace::LiveTraceClient;
using wps::trace::TraceEvent;

namespace {

QJsonObject record(int eventId, const QJsonObject &context)
{
    return QJsonObject{{u"time"_s, u"2026-01-02T03:04:05.678Z"_s},
                       {u"eventId"_s, eventId},
                       {u"logContext"_s, context},
                       {u"values"_s, QJsonArray{}}};
}

QJsonObject upstreamContext()
{
    return QJsonObject{
        {u"category"_s, u"HttpRequestLogs"_s},
        {u"direction"_s, u"out"_s},
        {u"hub"_s, u"chat"_s},
        {u"connectionId"_s, u"c1"_s},
        {u"event"_s, u"connect"_s},
        {u"httpMethod"_s, u"POST"_s},
        {u"url"_s, u"http://127.0.0.1:9/api/connect?…"_s},
        {u"statusCode"_s, u"500"_s},
        {u"durationMs"_s, u"12"_s},
        {u"attempt"_s, u"2"_s},
        {u"error"_s, u"Handler answered 500"_s},
        {u"exchangeId"_s, u"7"_s},
        {u"startTime"_s, u"2026-01-02T03:04:05.600Z"_s},
        {u"requestHeaders"_s,
         QJsonObject{{u"ce-type"_s, u"azure.webpubsub.sys.connect"_s}, {u"ce-signature"_s, u"***"_s}}},
        {u"requestBody"_s, uR"({"claims":{}})"_s},
        {u"requestBodySize"_s, u"13"_s},
        {u"responseHeaders"_s, QJsonObject{{u"Content-Type"_s, u"application/json"_s}}},
        {u"responseBody"_s, uR"({"error":"db down"})"_s},
        {u"responseBodySize"_s, u"40000"_s}, // the service cut it
    };
}

} // namespace

TEST(LiveTraceMapping, UpstreamExchangeIsARequestAndResponsePair)
{
    const std::vector<TraceEvent> events =
        LiveTraceClient::toTraceEvents(record(3002, upstreamContext()), {});
    ASSERT_EQ(events.size(), 2u);
    const TraceEvent &request = events.at(0);
    const TraceEvent &response = events.at(1);
    EXPECT_EQ(request.kind, Kind::Http);
    EXPECT_EQ(request.direction, Direction::Out);
    EXPECT_EQ(response.direction, Direction::In);
    EXPECT_EQ(request.type, u"upstream connect"_s);
    EXPECT_EQ(response.type, u"upstream connect"_s);
    EXPECT_EQ(request.correlation, u"upstream:c1:7"_s);
    EXPECT_EQ(response.correlation, request.correlation);
    EXPECT_EQ(request.connectionId, u"c1"_s);
    EXPECT_EQ(request.hub, u"chat"_s);
    EXPECT_EQ(request.status, 0);
    EXPECT_EQ(response.status, 500);
    EXPECT_EQ(response.durationMs, 12);
    EXPECT_LE(request.timestampMs, response.timestampMs);
    EXPECT_TRUE(request.detail.startsWith(u"POST http://127.0.0.1:9/api/connect"_s));
    EXPECT_TRUE(request.detail.contains(u"attempt 2"_s));
    EXPECT_TRUE(response.detail.contains(u"Handler answered 500"_s));
    EXPECT_EQ(request.payload,
              "ce-signature: ***\r\nce-type: azure.webpubsub.sys.connect\r\n\r\n{\"claims\":{}}"_ba);
    EXPECT_EQ(response.payload, "Content-Type: application/json\r\n\r\n{\"error\":\"db down\"}"_ba);
    EXPECT_FALSE(request.truncated);
    EXPECT_TRUE(response.truncated); // 40000 bytes were sent, fewer are kept
    EXPECT_EQ(response.size, 40000);
}

TEST(LiveTraceMapping, UpstreamRecordWithoutBodiesStillPairs)
{
    // An older record (no headers, bodies or exchange id): a pair all the same, correlated per attempt.
    QJsonObject context = upstreamContext();
    for (const QString &key :
         {u"requestHeaders"_s, u"requestBody"_s, u"requestBodySize"_s, u"responseHeaders"_s,
          u"responseBody"_s, u"responseBodySize"_s, u"exchangeId"_s})
        context.remove(key);
    const auto first = LiveTraceClient::toTraceEvents(record(3002, context), {});
    const auto second = LiveTraceClient::toTraceEvents(record(3002, context), {});
    ASSERT_EQ(first.size(), 2u);
    ASSERT_EQ(second.size(), 2u);
    EXPECT_TRUE(first.at(0).correlation.startsWith(u"upstream:c1:"_s));
    EXPECT_NE(first.at(0).correlation, second.at(0).correlation);
    EXPECT_EQ(first.at(1).status, 500);
    EXPECT_FALSE(first.at(1).truncated);
}

TEST(LiveTraceMapping, RefusedConnectionCarriesStatusAndReason)
{
    const QJsonObject context{{u"category"_s, u"ConnectivityLogs"_s},
                              {u"hub"_s, u"chat"_s},
                              {u"userId"_s, u"mallory"_s},
                              {u"statusCode"_s, u"401"_s},
                              {u"reason"_s, u"The token's audience does not match this hub."_s},
                              {u"url"_s, u"/client/hubs/chat"_s}};
    const auto events = LiveTraceClient::toTraceEvents(record(1004, context), {});
    ASSERT_EQ(events.size(), 1u);
    const TraceEvent &e = events.front();
    EXPECT_EQ(e.kind, Kind::Lifecycle);
    EXPECT_EQ(e.type, u"ConnectionRefused"_s);
    EXPECT_EQ(e.status, 401);
    EXPECT_EQ(e.userId, u"mallory"_s);
    EXPECT_TRUE(e.detail.contains(u"401"_s));
    EXPECT_TRUE(e.detail.contains(u"The token's audience does not match this hub."_s));
}

TEST(LiveTraceMapping, SendRecordSaysHowManyConnectionsItReached)
{
    QJsonObject context{{u"category"_s, u"HttpRequestLogs"_s},
                        {u"httpMethod"_s, u"POST"_s},
                        {u"url"_s, u"/api/hubs/chat/groups/room2/:send"_s},
                        {u"statusCode"_s, u"202"_s},
                        {u"traceId"_s, u"rid-1"_s},
                        {u"deliveredCount"_s, u"0"_s},
                        {u"deliveryNote"_s, u"group room2 has no members"_s}};
    const TraceEvent e = LiveTraceClient::toTraceEvent(record(3001, context), {});
    EXPECT_EQ(e.kind, Kind::Http);
    EXPECT_EQ(e.correlation, u"rid-1"_s);
    EXPECT_TRUE(e.detail.contains(u"delivered to 0 connections — group room2 has no members"_s))
        << e.detail.toStdString();
    // Without the count (a service that does not report it) nothing is claimed.
    context.remove(u"deliveredCount"_s);
    context.remove(u"deliveryNote"_s);
    EXPECT_FALSE(LiveTraceClient::toTraceEvent(record(3001, context), {}).detail.contains(u"delivered"_s));
}
