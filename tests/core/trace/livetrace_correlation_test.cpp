// Correlation ids: stored, resolved, filtered exactly, round-tripped by JSONL and set by the adapters.
#include "protocol/messages.h"
#include "trace/livetrace.h"
#include "trace/traceadapters.h"
#include "trace/tracefilter.h"
#include "trace/tracejsonl.h"
#include "trace/tracestore.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <limits>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace wps::trace;

namespace {

TraceEvent frame(const QString &correlation, const QString &type)
{
    TraceEvent e;
    e.timestampMs = 1'700'000'000'000;
    e.kind = Kind::Frame;
    e.direction = Direction::Out;
    e.connectionId = u"c1"_s;
    e.type = type;
    e.correlation = correlation;
    return e;
}

std::vector<quint64> matching(const TraceStore &store, TraceFilterSpec spec)
{
    std::vector<quint64> ids;
    const TraceFilter filter(std::move(spec));
    store.match(filter, 0, store.endId(), &ids, std::numeric_limits<qint64>::max());
    return ids;
}

wps::live::FrameRecord record(wps::live::FrameRecord::Direction direction, const QString &type,
                              const QByteArray &preview, const QString &connectionId = u"conn-1"_s)
{
    wps::live::FrameRecord r;
    r.direction = direction;
    r.subprotocol = wps::live::Subprotocol::Json;
    r.type = type;
    r.preview = preview;
    r.size = preview.size();
    r.connectionId = connectionId;
    return r;
}

} // namespace

TEST(TraceCorrelation, StoredResolvedAndFilteredExactly)
{
    TraceStore store;
    store.append(frame(u"ack:c1:1"_s, u"joinGroup"_s));
    store.append(frame(u"ack:c1:10"_s, u"sendToGroup"_s));
    store.append(frame(u"ack:c1:1"_s, u"ack"_s));
    store.append(frame(QString(), u"message"_s));

    TraceRecordView view;
    ASSERT_TRUE(store.record(0, &view));
    EXPECT_EQ(view.correlation, u"ack:c1:1"_s);
    ASSERT_TRUE(store.record(3, &view));
    EXPECT_TRUE(view.correlation.isEmpty());

    TraceFilterSpec spec;
    spec.correlation = u"ack:c1:1"_s;
    EXPECT_EQ(matching(store, spec), (std::vector<quint64>{0, 2}));
    spec.correlation = u"ack:c1"_s; // exact, not a prefix
    EXPECT_TRUE(matching(store, spec).empty());
    spec.correlation = u"ack:c1:10"_s;
    spec.kinds = 1u << int(Kind::Frame);
    EXPECT_EQ(matching(store, spec), (std::vector<quint64>{1}));
}

TEST(TraceCorrelation, CorrelationSurvivesAJsonlRoundTrip)
{
    TraceStore store;
    store.append(frame(u"conn:c1"_s, u"open"_s));
    store.append(frame(QString(), u"message"_s));
    QBuffer buffer;
    ASSERT_TRUE(buffer.open(QIODevice::ReadWrite));
    ASSERT_TRUE(exportJsonl(store, &buffer));
    EXPECT_TRUE(buffer.data().contains("\"correlation\":\"conn:c1\""));
    buffer.seek(0);
    TraceStore back;
    const auto imported = importJsonl(&buffer, &back);
    ASSERT_TRUE(imported);
    ASSERT_EQ(*imported, 2);
    TraceRecordView view;
    ASSERT_TRUE(back.record(0, &view));
    EXPECT_EQ(view.correlation, u"conn:c1"_s);
    ASSERT_TRUE(back.record(1, &view));
    EXPECT_TRUE(view.correlation.isEmpty());
}

TEST(TraceCorrelation, HttpRequestAndResponseShareAnId)
{
    wps::service::HttpTrace request;
    request.exchangeId = 7;
    request.method = "POST";
    request.url = u"http://127.0.0.1:1/api/hubs/h/:send"_s;
    wps::service::HttpTrace response = request;
    response.phase = wps::service::HttpTrace::Phase::Response;
    response.status = 202;
    EXPECT_EQ(fromHttpTrace(request, u"3").correlation, u"http:3:7"_s);
    EXPECT_EQ(fromHttpTrace(response, u"3").correlation, u"http:3:7"_s);

    request.headers.append({"X-MS-Client-Request-Id"_ba, "abc-123"_ba});
    EXPECT_EQ(fromHttpTrace(request, u"3").correlation, u"abc-123"_s);
}

TEST(TraceCorrelation, AckIdPairsAFrameWithItsAck)
{
    using D = wps::live::FrameRecord::Direction;
    const TraceEvent join = fromFrameRecord(
        record(D::Out, u"joinGroup"_s, "{\"type\":\"joinGroup\",\"group\":\"g\",\"ackId\":12}"_ba), {}, 1);
    const TraceEvent ack = fromFrameRecord(
        record(D::In, u"ack"_s, "{\"type\":\"ack\",\"ackId\":12,\"success\":true}"_ba), {}, 2);
    EXPECT_EQ(join.correlation, u"ack:conn-1:12"_s);
    EXPECT_EQ(ack.correlation, join.correlation);
    const TraceEvent noAck = fromFrameRecord(
        record(D::Out, u"sendToGroup"_s, "{\"type\":\"sendToGroup\",\"group\":\"g\",\"data\":\"x\"}"_ba), {},
        3);
    EXPECT_TRUE(noAck.correlation.isEmpty());

    // Protobuf: decoded from the preview.
    auto proto = record(
        D::In, u"ack"_s,
        wps::messages::protobuf::encode(wps::messages::ServiceMessage(wps::messages::Ack{5, true, {}, {}})));
    proto.subprotocol = wps::live::Subprotocol::Protobuf;
    EXPECT_EQ(fromFrameRecord(proto, {}, 4).correlation, u"ack:conn-1:5"_s);
}

TEST(TraceCorrelation, ConnectionEventsShareConnId)
{
    using D = wps::live::FrameRecord::Direction;
    // The connected frame names the connection before the client knows it.
    const TraceEvent connected = fromFrameRecord(
        record(D::In, u"connected"_s,
               "{\"type\":\"system\",\"event\":\"connected\",\"userId\":\"u\",\"connectionId\":\"abc\"}"_ba,
               QString()),
        {}, 1);
    EXPECT_EQ(connected.connectionId, u"abc"_s);
    EXPECT_EQ(connected.correlation, u"conn:abc"_s);
    const TraceEvent close = fromFrameRecord(record(D::Event, u"close"_s, "1000 bye"_ba, u"abc"_s), {}, 2);
    EXPECT_EQ(close.correlation, u"conn:abc"_s);
}

TEST(LiveTraceMapping, RendersTemplatesAndMapsCategories)
{
    const QJsonObject property{{u"eventId"_s, 12},
                               {u"eventName"_s, u"ConnectionStarted"_s},
                               {u"template"_s, u"Connection {connectionId} started in {hub}"_s},
                               {u"logLevel"_s, 2}};
    const QJsonObject data{
        {u"time"_s, u"2024-01-01T00:00:00Z"_s},
        {u"eventId"_s, 12},
        {u"logContext"_s, QJsonObject{{u"hub"_s, u"chat"_s}, {u"connectionId"_s, u"c9"_s}}},
        {u"values"_s, QJsonArray{u"c9"_s, u"chat"_s}},
        {u"exceptionMessage"_s, QJsonValue::Null}};
    const TraceEvent known = LiveTraceClient::toTraceEvent(data, {{12, property}});
    EXPECT_EQ(known.kind, Kind::Lifecycle); // no category, unknown id range, no HTTP/messaging keys
    EXPECT_EQ(known.type, u"ConnectionStarted"_s);
    EXPECT_EQ(known.detail, u"Connection c9 started in chat"_s);
    EXPECT_EQ(known.correlation, u"conn:c9"_s);
    EXPECT_EQ(known.timestampMs, 1'704'067'200'000);
    const TraceEvent unknown = LiveTraceClient::toTraceEvent(data, {});
    EXPECT_EQ(unknown.detail, u"event 12: c9, chat"_s);

    QJsonObject http = data;
    http.insert(u"logContext"_s, QJsonObject{{u"httpMethod"_s, u"GET"_s},
                                             {u"url"_s, u"/api/health"_s},
                                             {u"statusCode"_s, u"200"_s},
                                             {u"traceId"_s, u"t1"_s}});
    const TraceEvent request = LiveTraceClient::toTraceEvent(http, {});
    EXPECT_EQ(request.kind, Kind::Http);
    EXPECT_EQ(request.status, 200);
    EXPECT_EQ(request.correlation, u"t1"_s);
    EXPECT_EQ(request.detail, u"GET /api/health"_s);
}
