// humanSummary() and isErrorRecord(): the Summary column reads as words, never raw JSON; errors and
// refusals are recognised for colouring.
#include "live/liveclient.h"
#include "protocol/messages.h"
#include "support/printers.h"
#include "trace/livetrace.h"
#include "trace/traceadapters.h"
#include "trace/tracestore.h"
#include "trace/tracesummary.h"

#include <QJsonArray>
#include <QJsonObject>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using namespace wps::trace;

namespace {

TraceRecordView frame(Direction direction, const QByteArray &json, const QString &type)
{
    TraceRecordView r;
    r.kind = Kind::Frame;
    r.direction = direction;
    r.type = type;
    r.userId = u"alice"_s;
    r.connectionId = u"c1"_s;
    r.payload = json;
    r.size = json.size();
    return r;
}

} // namespace

TEST(TraceSummary, FramesReadAsSentences)
{
    EXPECT_EQ(humanSummary(
                  frame(Direction::Out, R"({"type":"joinGroup","group":"room1","ackId":1})", u"joinGroup"_s)),
              u"alice joins room1 (ack 1)"_s);
    EXPECT_EQ(humanSummary(
                  frame(Direction::Out,
                        R"({"type":"sendToGroup","group":"room1","dataType":"text","data":"hello world!"})",
                        u"sendToGroup"_s)),
              u"sent to group room1 (text, 12 bytes): \u201chello world!\u201d"_s);
    EXPECT_EQ(
        humanSummary(frame(
            Direction::In,
            R"({"type":"message","from":"group","group":"room1","fromUserId":"bob","dataType":"json","data":{"a":1}})",
            u"message"_s)),
        u"message from group room1 by bob (json, 7 bytes)"_s);
    EXPECT_EQ(humanSummary(frame(Direction::In, R"({"type":"ack","ackId":3,"success":true})", u"ack"_s)),
              u"ack 3: done"_s);
    const TraceRecordView refused =
        frame(Direction::In,
              R"({"type":"ack","ackId":4,"success":false,"error":{"name":"Forbidden","message":"no role"}})",
              u"ack"_s);
    EXPECT_EQ(humanSummary(refused), u"ack 4 failed: Forbidden \u2014 no role"_s);
    EXPECT_TRUE(isErrorRecord(refused));
    EXPECT_FALSE(isErrorRecord(frame(Direction::In, R"({"type":"ack","ackId":3,"success":true})", u"ack"_s)));
    EXPECT_EQ(
        humanSummary(frame(Direction::In,
                           R"({"type":"system","event":"connected","userId":"alice","connectionId":"c1"})",
                           u"connected"_s)),
        u"connected as alice (connection c1)"_s);
    // Protobuf frames are decoded the same way.
    wps::messages::JoinGroup join;
    join.group = u"room2"_s;
    const QByteArray binary = wps::messages::protobuf::encode(wps::messages::ClientRequest(join));
    TraceRecordView proto = frame(Direction::Out, binary, u"joinGroup"_s);
    proto.binary = true;
    EXPECT_EQ(humanSummary(proto), u"alice joins room2"_s);
    // Unknown or cut JSON never shows the JSON itself.
    const QString cut = humanSummary(frame(Direction::In, R"({"type":"message","data":"abc)", u"message"_s));
    EXPECT_FALSE(cut.contains(u'{')) << cut.toStdString();
}

TEST(TraceSummary, HttpSaysWhatTheServerAnswered)
{
    TraceRecordView request;
    request.kind = Kind::Http;
    request.direction = Direction::Out;
    request.type = u"sendToAll"_s;
    request.detail = u"POST http://127.0.0.1:8080/api/hubs/chat/:send?api-version=2024-01-01"_s;
    EXPECT_EQ(humanSummary(request), u"POST /api/hubs/chat/:send"_s);

    TraceRecordView response = request;
    response.direction = Direction::In;
    response.status = 403;
    response.durationMs = 12;
    response.payload = "HTTP/1.1 403\r\nContent-Type: "
                       "application/json\r\n\r\n{\"code\":\"Forbidden\",\"message\":\"key is wrong\"}";
    EXPECT_EQ(humanSummary(response), u"answered 403: key is wrong in 12 ms"_s);
    EXPECT_TRUE(isErrorRecord(response));

    TraceRecordView upstream;
    upstream.kind = Kind::Http;
    upstream.source = Source::Service;
    upstream.direction = Direction::Out;
    upstream.type = u"upstream connect"_s;
    upstream.status = 500;
    upstream.durationMs = 4;
    upstream.detail = u"POST http://127.0.0.1:9/handler \u2014 database unavailable"_s;
    EXPECT_EQ(humanSummary(upstream), u"handler answered 500: database unavailable in 4 ms (connect)"_s);
    EXPECT_TRUE(isErrorRecord(upstream));
}

TEST(TraceSummary, CloseCodesOtherThanNormalAreErrors)
{
    TraceRecordView close;
    close.kind = Kind::Lifecycle;
    close.type = u"close"_s;
    close.payload = "1000 ";
    EXPECT_FALSE(isErrorRecord(close));
    close.payload = "1008 policy violation";
    EXPECT_TRUE(isErrorRecord(close));
    EXPECT_EQ(humanSummary(close), u"closed with code 1008: policy violation"_s);
    EXPECT_TRUE(isKeepAliveType(u"ping"_s));
    EXPECT_TRUE(isKeepAliveType(u"sequenceAck"_s));
    EXPECT_FALSE(isKeepAliveType(u"message"_s));
}

TEST(TraceSummary, ProtobufFramesFillTheGroupColumnAndReadAsSentences)
{
    wps::messages::SendToGroup send;
    send.group = u"room9"_s;
    send.data = wps::messages::Payload::text(u"hi there"_s);
    wps::live::FrameRecord record;
    record.direction = wps::live::FrameRecord::Direction::Out;
    record.subprotocol = wps::live::Subprotocol::Protobuf;
    record.type = u"sendToGroup"_s;
    record.preview = wps::messages::protobuf::encode(wps::messages::ClientRequest(send));
    record.size = record.preview.size();
    const TraceEvent event = fromFrameRecord(record, {u"chat"_s, u"alice"_s}, 1);
    EXPECT_EQ(event.group, u"room9"_s);
    EXPECT_EQ(event.userId, u"alice"_s);

    TraceStore store;
    TraceRecordView view;
    ASSERT_TRUE(store.record(store.append(event), &view, true));
    EXPECT_EQ(humanSummary(view), u"sent to group room9 (text, 8 bytes): \u201chi there\u201d"_s);
}

TEST(TraceSummary, AGroupMessageFillsTheGroupColumnEvenThoughItIsFromGroup)
{
    // A group message says "from":"group" before its "group" member: the value "group" is not the member.
    wps::live::FrameRecord record;
    record.direction = wps::live::FrameRecord::Direction::In;
    record.subprotocol = wps::live::Subprotocol::JsonReliable;
    record.type = u"message"_s;
    record.preview =
        R"({"sequenceId":12,"type":"message","from":"group","fromUserId":"dave","group":"games",)"
        R"("dataType":"text","data":"see you"})";
    record.size = record.preview.size();
    const TraceEvent event = fromFrameRecord(record, {u"demo"_s, u"frank"_s}, 1);
    EXPECT_EQ(event.group, u"games"_s);

    record.preview =
        R"({"type":"message","from" : "group", "group" : "room 1","dataType":"text","data":"x"})";
    EXPECT_EQ(fromFrameRecord(record, {u"demo"_s, u"frank"_s}, 1).group, u"room 1"_s);
    record.preview = R"({"type":"message","from":"server","dataType":"text","data":"group"})";
    EXPECT_EQ(fromFrameRecord(record, {u"demo"_s, u"frank"_s}, 1).group, QString());
}

TEST(TraceSummary, LiveTraceRecordsAreFromTheServiceAndUpstreamErrorsReadAsAnswers)
{
    const QJsonObject data{{u"eventId"_s, 3002},
                           {u"time"_s, u"2026-01-01T00:00:00.000Z"_s},
                           {u"logContext"_s, QJsonObject{{u"category"_s, u"HttpRequestLogs"_s},
                                                         {u"direction"_s, u"out"_s},
                                                         {u"event"_s, u"connect"_s},
                                                         {u"hub"_s, u"demo"_s},
                                                         {u"connectionId"_s, u"c1"_s},
                                                         {u"httpMethod"_s, u"POST"_s},
                                                         {u"url"_s, u"http://127.0.0.1:9/handler"_s},
                                                         {u"statusCode"_s, u"500"_s},
                                                         {u"durationMs"_s, u"7"_s},
                                                         {u"error"_s, u"database unavailable"_s}}},
                           {u"values"_s, QJsonArray{}}};
    const TraceEvent event = LiveTraceClient::toTraceEvent(data, {});
    EXPECT_EQ(event.source, Source::Service);
    TraceStore store;
    TraceRecordView view;
    ASSERT_TRUE(store.record(store.append(event), &view, true));
    EXPECT_EQ(view.source, Source::Service);
    EXPECT_EQ(humanSummary(view), u"handler answered 500: database unavailable in 7 ms (connect)"_s);
    EXPECT_TRUE(isErrorRecord(view));
}
