#include "protocol/messages.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using namespace wps::messages;

namespace {
QJsonObject parsed(const QByteArray &frame)
{
    return QJsonDocument::fromJson(frame).object();
}
} // namespace

TEST(JsonMessages, EncodesClientRequestsAsTheSdkSendsThem)
{
    EXPECT_EQ(json::encode(JoinGroup{u"g1"_s, 1}),
              QByteArray(R"({"type":"joinGroup","group":"g1","ackId":1})"));
    EXPECT_EQ(
        json::encode(SendToGroup{u"g1"_s, 2, false, Payload::text(u"hello"_s)}),
        QByteArray(
            R"({"type":"sendToGroup","group":"g1","ackId":2,"noEcho":false,"dataType":"text","data":"hello"})"));
    EXPECT_EQ(json::encode(SendEvent{u"evt"_s, 3, Payload::binary(QByteArray("\x01\x02", 2))}),
              QByteArray(R"({"type":"event","event":"evt","ackId":3,"dataType":"binary","data":"AQI="})"));
    EXPECT_EQ(json::encode(SequenceAck{2}), QByteArray(R"({"type":"sequenceAck","sequenceId":2})"));
    EXPECT_EQ(json::encode(Ping{}), QByteArray(R"({"type":"ping"})"));
}

TEST(JsonMessages, EveryRequestKindRoundTripsThroughJson)
{
    const ClientRequest requests[] = {
        JoinGroup{u"room 1"_s, std::nullopt},
        LeaveGroup{u"r\"o\\om"_s, 7},
        SendToGroup{u"g"_s, 9, true, Payload::json(R"({"a":[1,2,{"b":null}]})")},
        SendToGroup{u"g"_s, std::nullopt, false, Payload::json("\"just a string\"")},
        SendEvent{u"e"_s, 1, Payload::text(u"line\nbreak \u00e9 \U0001F600"_s)},
        SequenceAck{9007199254740991ULL},
        Ping{},
    };
    for (const ClientRequest &request : requests) {
        auto decoded = json::decodeRequest(json::encode(request));
        ASSERT_TRUE(decoded.hasValue())
            << json::encode(request).toStdString() << ": " << decoded.error().toStdString();
        EXPECT_TRUE(*decoded == request) << json::encode(request).toStdString();
    }
}

TEST(JsonMessages, DataTypeDefaultsToJsonAndQuotedSequenceIdsAreAccepted)
{
    auto send = json::decodeRequest(R"({"type":"sendToGroup","group":"g","data":{"x":1}})");
    ASSERT_TRUE(send.hasValue());
    const auto &s = std::get<SendToGroup>(*send);
    EXPECT_EQ(s.data.type, DataType::Json);
    EXPECT_EQ(s.data.bytes, QByteArray(R"({"x":1})"));

    auto ack = json::decodeRequest(R"({"type":"sequenceAck","sequenceId":"5"})");
    ASSERT_TRUE(ack.hasValue());
    EXPECT_EQ(std::get<SequenceAck>(*ack).sequenceId, 5u);
}

TEST(JsonMessages, MalformedRequestsAreClearErrors)
{
    const char *bad[] = {
        "",
        "not json",
        "[1,2]",
        R"({"group":"g"})",
        R"({"type":"joinGroup"})",
        R"({"type":"joinGroup","group":""})",
        R"({"type":"joinGroup","group":"g","ackId":-1})",
        R"({"type":"joinGroup","group":"g","ackId":1.5})",
        R"({"type":"sendToGroup","group":"g","dataType":"text","data":5})",
        R"({"type":"sendToGroup","group":"g","dataType":"binary","data":"***"})",
        R"({"type":"sendToGroup","group":"g","dataType":"xml","data":"x"})",
        R"({"type":"sendToGroup","group":"g","noEcho":"yes","data":1})",
        R"({"type":"event","data":1})",
        R"({"type":"sequenceAck"})",
        R"({"type":"teleport"})",
    };
    for (const char *frame : bad) {
        auto decoded = json::decodeRequest(QByteArray(frame));
        EXPECT_FALSE(decoded.hasValue()) << frame;
        if (!decoded.hasValue()) {
            EXPECT_FALSE(decoded.error().isEmpty()) << frame;
        }
    }
    EXPECT_FALSE(json::decodeRequest(QByteArray(2 * 1024 * 1024, ' ')).hasValue());
}

TEST(JsonMessages, EncodesServiceMessagesAsTheServiceDoes)
{
    EXPECT_EQ(
        parsed(json::encode(Connected{u"conn1"_s, u"alice"_s, u"rtok"_s})),
        parsed(
            R"({"type":"system","event":"connected","userId":"alice","connectionId":"conn1","reconnectionToken":"rtok"})"));
    EXPECT_EQ(parsed(json::encode(Connected{u"c"_s, std::nullopt, {}})),
              parsed(R"({"type":"system","event":"connected","userId":null,"connectionId":"c"})"));
    DataMessage group{
        DataMessage::From::Group, u"g1"_s, u"bob"_s, Payload::json(R"({"hello":"world"})"), 3, std::nullopt};
    EXPECT_EQ(
        parsed(json::encode(group)),
        parsed(
            R"({"sequenceId":3,"type":"message","from":"group","group":"g1","fromUserId":"bob","dataType":"json","data":{"hello":"world"}})"));
    EXPECT_EQ(
        parsed(json::encode(Ack{4, false, u"Forbidden"_s, u"No permission."_s})),
        parsed(
            R"({"type":"ack","ackId":4,"success":false,"error":{"name":"Forbidden","message":"No permission."}})"));
}

TEST(JsonMessages, ServiceMessagesRoundTripAndUnknownTypesAreIgnorable)
{
    const ServiceMessage messages[] = {
        Ack{1, true, {}, {}},
        Ack{2, false, u"Duplicate"_s, u"Already processed."_s},
        DataMessage{
            DataMessage::From::Server, {}, std::nullopt, Payload::text(u"hi"_s), std::nullopt, std::nullopt},
        DataMessage{DataMessage::From::Group, u"g"_s, std::nullopt, Payload::binary("\0\xff"_ba), 12,
                    std::nullopt},
        Connected{u"c"_s, u"u"_s, u"t"_s},
        Disconnected{u"bye"_s},
        Pong{},
    };
    for (const ServiceMessage &message : messages) {
        auto decoded = json::decodeMessage(json::encode(message));
        ASSERT_TRUE(decoded.hasValue()) << json::encode(message).toStdString();
        EXPECT_TRUE(*decoded == message) << json::encode(message).toStdString();
    }
    auto unknown = json::decodeMessage(R"({"type":"groupStateSnapshot","group":"g","items":[]})");
    ASSERT_TRUE(unknown.hasValue());
    EXPECT_TRUE(std::holds_alternative<Unknown>(*unknown));
}

TEST(ProtobufMessages, RequestsAndServiceMessagesRoundTrip)
{
    const ClientRequest requests[] = {
        JoinGroup{u"room 1"_s, std::nullopt},
        LeaveGroup{u"g"_s, 7},
        SendToGroup{u"g"_s, 9, true, Payload::json(R"({"a":1})")},
        SendToGroup{u"g"_s, std::nullopt, false, Payload::binary("\0\1\2"_ba)},
        SendEvent{u"e"_s, 1, Payload::text(u"h\u00e9llo"_s)},
        SequenceAck{123456789012345ULL},
        Ping{},
    };
    for (const ClientRequest &request : requests) {
        auto decoded = protobuf::decodeRequest(protobuf::encode(request));
        ASSERT_TRUE(decoded.hasValue()) << json::encode(request).toStdString();
        EXPECT_TRUE(*decoded == request) << json::encode(request).toStdString();
    }
    const ServiceMessage messages[] = {
        Ack{1, true, {}, {}},
        Ack{2, false, u"Forbidden"_s, u"No."_s},
        DataMessage{
            DataMessage::From::Server, {}, std::nullopt, Payload::json("[1,2]"), std::nullopt, std::nullopt},
        DataMessage{DataMessage::From::Group, u"g"_s, std::nullopt, Payload::text(u"x"_s), 5, std::nullopt},
        Connected{u"c"_s, u"u"_s, u"t"_s},
        Connected{u"c"_s, std::nullopt, {}},
        Disconnected{u"bye"_s},
        Pong{},
    };
    for (const ServiceMessage &message : messages) {
        auto decoded = protobuf::decodeMessage(protobuf::encode(message));
        ASSERT_TRUE(decoded.hasValue()) << json::encode(message).toStdString();
        EXPECT_TRUE(*decoded == message) << json::encode(message).toStdString();
    }
}

TEST(ProtobufMessages, WireBytesMatchTheSchema)
{
    // UpstreamMessage.join_group_message (field 6) { group (1) = "g", ack_id (2) = 1 }
    EXPECT_EQ(protobuf::encode(JoinGroup{u"g"_s, 1}), QByteArray("\x32\x05\x0a\x01g\x10\x01", 7));
    // DownstreamMessage.pong_message (field 4), empty
    EXPECT_EQ(protobuf::encode(Pong{}), QByteArray("\x22\x00", 2));
}

TEST(ProtobufMessages, GarbageAndEmptyMessagesAreErrors)
{
    EXPECT_FALSE(protobuf::decodeRequest(QByteArray("\xff\xff\xff\xff", 4)).hasValue());
    EXPECT_FALSE(protobuf::decodeRequest(QByteArray()).hasValue());
    // join_group_message without a group
    EXPECT_FALSE(protobuf::decodeRequest(QByteArray("\x32\x00", 2)).hasValue());
    // send_to_group_message with a group but no data
    EXPECT_FALSE(protobuf::decodeRequest(QByteArray("\x0a\x03\x0a\x01g", 5)).hasValue());
    EXPECT_FALSE(protobuf::decodeRequest(QByteArray(2 * 1024 * 1024, '\0')).hasValue());
}
