// Group stream messages in the JSON and protobuf codecs (docs/protocol.md#group-streams): the frames
// @azure/web-pubsub-client 1.1.0 writes and reads, both directions, and checkRequest()'s rules.
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

template <typename T>
T decodedRequest(const QByteArray &frame)
{
    auto request = json::decodeRequest(frame);
    EXPECT_TRUE(request.hasValue()) << (request ? QString() : request.error()).toStdString();
    EXPECT_TRUE(request && std::holds_alternative<T>(*request)) << frame.toStdString();
    return request && std::holds_alternative<T>(*request) ? std::get<T>(*request) : T{};
}

template <typename T>
T decodedMessage(const QByteArray &frame)
{
    auto message = json::decodeMessage(frame);
    EXPECT_TRUE(message.hasValue()) << (message ? QString() : message.error()).toStdString();
    EXPECT_TRUE(message && std::holds_alternative<T>(*message)) << frame.toStdString();
    return message && std::holds_alternative<T>(*message) ? std::get<T>(*message) : T{};
}

} // namespace

TEST(GroupStreamMessages, DecodesTheSdkStreamStart)
{
    // What the SDK's writeMessage produces for openGroupStream (ackId undefined is dropped by
    // JSON.stringify).
    const auto start = decodedRequest<StreamStart>(
        R"({"type":"sendToGroup","group":"room","noEcho":false,"stream":{"streamId":"s-1","idleTimeoutMs":5000}})");
    EXPECT_EQ(start.group, u"room"_s);
    EXPECT_EQ(start.streamId, u"s-1"_s);
    EXPECT_EQ(start.idleTimeoutMs, 5000u);
    EXPECT_FALSE(start.noEcho);
    EXPECT_FALSE(start.ackId);
    EXPECT_FALSE(start.data);
    EXPECT_TRUE(checkRequest(start, true).isEmpty());

    const auto noTimeout = decodedRequest<StreamStart>(
        R"({"type":"sendToGroup","group":"room","noEcho":true,"stream":{"streamId":"s-2"}})");
    EXPECT_FALSE(noTimeout.idleTimeoutMs);
    EXPECT_TRUE(noTimeout.noEcho);
}

TEST(GroupStreamMessages, AStreamStartWithDataOrAckIdIsRefusedByCheckRequest)
{
    const auto withData = decodedRequest<StreamStart>(
        R"({"type":"sendToGroup","group":"room","dataType":"text","data":"x","stream":{"streamId":"s"}})");
    ASSERT_TRUE(withData.data);
    EXPECT_EQ(withData.data->bytes, "x");
    EXPECT_TRUE(checkRequest(withData, true).contains(u"no data"_s));

    const auto withAck = decodedRequest<StreamStart>(
        R"({"type":"sendToGroup","group":"room","ackId":4,"stream":{"streamId":"s"}})");
    EXPECT_EQ(withAck.ackId, 4u);
    EXPECT_EQ(ackIdOf(withAck), 4u);
    EXPECT_TRUE(checkRequest(withAck, true).contains(u"ackId"_s));
}

TEST(GroupStreamMessages, MalformedStreamFramesAreErrors)
{
    for (const char *frame : {
             R"({"type":"sendToGroup","group":"g","stream":"s"})",
             R"({"type":"sendToGroup","group":"g","stream":{"streamId":""}})",
             R"({"type":"sendToGroup","group":"g","stream":{"streamId":"s","idleTimeoutMs":-1}})",
             R"({"type":"streamData","streamSequenceId":1,"dataType":"text","data":"x"})",
             R"({"type":"streamData","streamId":"s","dataType":"text","data":"x"})",
             R"({"type":"streamData","streamId":"s","streamSequenceId":1.5,"dataType":"text","data":"x"})",
             R"({"type":"streamData","streamId":"s","streamSequenceId":1,"dataType":"text","data":3})",
             R"({"type":"streamEnd"})",
             R"({"type":"streamEnd","streamId":"s","error":"boom"})",
             R"({"type":"streamEnd","streamId":"s","error":{"message":7}})",
         })
        EXPECT_FALSE(json::decodeRequest(QByteArray(frame)).hasValue()) << frame;
}

TEST(GroupStreamMessages, DecodesDataKeepaliveAndEnd)
{
    const auto chunk = decodedRequest<StreamData>(
        R"({"type":"streamData","streamId":"s","streamSequenceId":2,"dataType":"json","data":{"b":1, "a":12345678901234567890}})");
    EXPECT_EQ(chunk.streamSequenceId, 2u);
    ASSERT_TRUE(chunk.data);
    EXPECT_EQ(chunk.data->type, DataType::Json);
    EXPECT_EQ(chunk.data->bytes, R"({"b":1, "a":12345678901234567890})"); // byte for byte

    const auto keepalive = decodedRequest<StreamData>(R"({"type":"streamData","streamId":"s"})");
    EXPECT_FALSE(keepalive.streamSequenceId);
    EXPECT_FALSE(keepalive.data);

    const auto end = decodedRequest<StreamEnd>(R"({"type":"streamEnd","streamId":"s"})");
    EXPECT_FALSE(end.error);
    const auto failed = decodedRequest<StreamEnd>(
        R"({"type":"streamEnd","streamId":"s","error":{"message":"model overloaded","userErrorCode":"E42"}})");
    ASSERT_TRUE(failed.error);
    EXPECT_EQ(failed.error->message, u"model overloaded"_s);
    EXPECT_EQ(failed.error->userErrorCode, u"E42"_s);
}

TEST(GroupStreamMessages, RequestsRoundTripThroughBothCodecs)
{
    const std::vector<ClientRequest> requests{
        StreamStart{u"room"_s, u"s-1"_s, 300000u, true, std::nullopt, std::nullopt},
        StreamStart{u"room"_s, u"s-2"_s, std::nullopt, false, std::nullopt, std::nullopt},
        StreamData{u"s-1"_s, 1u, Payload::text(u"héllo"_s)},
        StreamData{u"s-1"_s, 2u, Payload::json(R"({"a":[1,2]})")},
        StreamData{u"s-1"_s, 3u, Payload::binary("\0\1\2"_ba)},
        StreamData{u"s-1"_s, std::nullopt, std::nullopt},
        StreamEnd{u"s-1"_s, std::nullopt},
        StreamEnd{u"s-1"_s, StreamEndError{u"boom"_s, u"E1"_s}},
        StreamEnd{u"s-1"_s, StreamEndError{u"boom"_s, QString()}},
    };
    for (const ClientRequest &request : requests) {
        auto viaJson = json::decodeRequest(json::encode(request));
        ASSERT_TRUE(viaJson.hasValue()) << json::encode(request).toStdString();
        EXPECT_EQ(*viaJson, request) << json::encode(request).toStdString();
        auto viaProtobuf = protobuf::decodeRequest(protobuf::encode(request));
        ASSERT_TRUE(viaProtobuf.hasValue()) << viaProtobuf.error().toStdString();
        EXPECT_EQ(*viaProtobuf, request) << json::encode(request).toStdString();
    }
}

TEST(GroupStreamMessages, EncodesServiceAnswersAsTheSdkReadsThem)
{
    const QJsonObject ack = parsed(json::encode(StreamAck{u"s"_s, 3}));
    EXPECT_EQ(ack.value(u"type"_s).toString(), u"streamAck"_s);
    EXPECT_EQ(ack.value(u"streamId"_s).toString(), u"s"_s);
    EXPECT_EQ(ack.value(u"expectedSequenceId"_s).toInt(), 3);

    const QJsonObject nack =
        parsed(json::encode(StreamNack{u"s"_s, 2, u"InvalidSequenceId"_s, u"Expected fragment 2, got 4."_s}));
    EXPECT_EQ(nack.value(u"type"_s).toString(), u"streamNack"_s);
    EXPECT_EQ(nack.value(u"expectedSequenceId"_s).toInt(), 2);
    EXPECT_EQ(nack.value(u"name"_s).toString(), u"InvalidSequenceId"_s);

    const QJsonObject closed = parsed(json::encode(StreamClosed{u"s"_s, std::nullopt}));
    EXPECT_EQ(closed.value(u"type"_s).toString(), u"streamClosed"_s);
    EXPECT_FALSE(closed.contains(u"error"_s));
    const QJsonObject timedOut =
        parsed(json::encode(StreamClosed{u"s"_s, StreamError{u"IdleTimeout"_s, u"idle"_s, {}}}));
    EXPECT_EQ(timedOut.value(u"error"_s).toObject().value(u"name"_s).toString(), u"IdleTimeout"_s);
    EXPECT_FALSE(timedOut.value(u"error"_s).toObject().contains(u"userErrorCode"_s));
}

TEST(GroupStreamMessages, AFragmentCarriesStreamInfoTheSdkParses)
{
    DataMessage fragment;
    fragment.from = DataMessage::From::Group;
    fragment.group = u"room"_s;
    fragment.fromUserId = u"ann"_s;
    fragment.data = Payload::text(u"part 1"_s);
    fragment.sequenceId = 7;
    fragment.stream = StreamInfo{u"s"_s, 1, false, std::nullopt};
    const QByteArray frame = json::encode(fragment);
    const QJsonObject object = parsed(frame);
    // parseStreamInfo in the SDK needs a string streamId and a number streamSequenceId.
    const QJsonObject stream = object.value(u"stream"_s).toObject();
    EXPECT_EQ(stream.value(u"streamId"_s).toString(), u"s"_s);
    EXPECT_TRUE(stream.value(u"streamSequenceId"_s).isDouble());
    EXPECT_FALSE(stream.contains(u"endOfStream"_s));
    EXPECT_EQ(object.value(u"data"_s).toString(), u"part 1"_s);
    EXPECT_EQ(decodedMessage<DataMessage>(frame), fragment);

    // The end marker: a dataType (the SDK drops a message without one) and no data, so it is not a fragment.
    DataMessage end = fragment;
    end.data = Payload::json({});
    end.stream = StreamInfo{u"s"_s, 4, true, StreamError{u"UserError"_s, u"boom"_s, u"E1"_s}};
    const QJsonObject endObject = parsed(json::encode(end));
    EXPECT_EQ(endObject.value(u"dataType"_s).toString(), u"json"_s);
    EXPECT_FALSE(endObject.contains(u"data"_s));
    const QJsonObject endStream = endObject.value(u"stream"_s).toObject();
    EXPECT_TRUE(endStream.value(u"endOfStream"_s).toBool());
    EXPECT_EQ(endStream.value(u"streamSequenceId"_s).toInt(), 4);
    EXPECT_EQ(endStream.value(u"error"_s).toObject().value(u"userErrorCode"_s).toString(), u"E1"_s);
    EXPECT_EQ(decodedMessage<DataMessage>(json::encode(end)), end);
}

TEST(GroupStreamMessages, ServiceMessagesRoundTripThroughBothCodecs)
{
    DataMessage fragment;
    fragment.from = DataMessage::From::Group;
    fragment.group = u"room"_s;
    fragment.data = Payload::binary("\xff\0"_ba);
    fragment.stream = StreamInfo{u"s"_s, 2, false, std::nullopt};
    DataMessage end;
    end.from = DataMessage::From::Group;
    end.group = u"room"_s;
    end.data = Payload::json({});
    end.sequenceId = 9;
    end.stream = StreamInfo{u"s"_s, 3, true, StreamError{u"IdleTimeout"_s, u"idle"_s, {}}};
    const std::vector<ServiceMessage> messages{
        fragment,
        end,
        StreamAck{u"s"_s, 1},
        StreamNack{u"s"_s, 2, u"InvalidSequenceId"_s, u"gap"_s},
        StreamClosed{u"s"_s, std::nullopt},
        StreamClosed{u"s"_s, StreamError{u"Forbidden"_s, u"no"_s, {}}},
    };
    for (const ServiceMessage &message : messages) {
        auto viaJson = json::decodeMessage(json::encode(message));
        ASSERT_TRUE(viaJson.hasValue()) << json::encode(message).toStdString();
        EXPECT_EQ(*viaJson, message) << json::encode(message).toStdString();
        auto viaProtobuf = protobuf::decodeMessage(protobuf::encode(message));
        ASSERT_TRUE(viaProtobuf.hasValue()) << viaProtobuf.error().toStdString();
        EXPECT_EQ(*viaProtobuf, message) << json::encode(message).toStdString();
    }
}

TEST(GroupStreamMessages, CheckRequestRefusesLoneSurrogatesInStreamIds)
{
    const QString lone(QChar(0xd800));
    EXPECT_FALSE(
        checkRequest(StreamStart{u"g"_s, lone, std::nullopt, false, std::nullopt, std::nullopt}, true)
            .isEmpty());
    EXPECT_FALSE(checkRequest(StreamData{lone, std::nullopt, std::nullopt}, true).isEmpty());
    EXPECT_FALSE(checkRequest(StreamEnd{lone, std::nullopt}, true).isEmpty());
    // A protobuf client's json_data fragment must be one JSON value, as for sendToGroup.
    EXPECT_FALSE(checkRequest(StreamData{u"s"_s, 1u, Payload::json("{\"a\":")}, true).isEmpty());
    EXPECT_TRUE(checkRequest(StreamData{u"s"_s, 1u, Payload::json("{\"a\":1}")}, true).isEmpty());
}
