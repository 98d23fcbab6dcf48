// The invocation messages (`invoke`, `cancelInvocation`, `invokeResponse`) in the JSON and protobuf codecs:
// the frames @azure/web-pubsub-client 1.1.0 writes and reads, round trips, and what checkRequest() refuses.
#include "protocol/messages.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using namespace wps::messages;

namespace {

Invoke invoke(const QString &id, const QString &event, std::optional<Payload> data)
{
    Invoke request;
    request.invocationId = id;
    request.event = event;
    request.data = std::move(data);
    return request;
}

InvokeResponse answer(const QString &id, std::optional<Payload> data)
{
    InvokeResponse response;
    response.invocationId = id;
    response.data = std::move(data);
    return response;
}

InvokeResponse failed(const QString &id, const QString &name, const QString &message)
{
    InvokeResponse response;
    response.invocationId = id;
    response.success = false;
    response.errorName = name;
    response.errorMessage = message;
    return response;
}

} // namespace

TEST(InvocationMessages, JsonFramesAreTheSdks)
{
    // The SDK writes type, invocationId, target, event, then dataType and data only when it has both.
    EXPECT_EQ(json::encode(invoke(u"1"_s, u"echo"_s, Payload::text(u"hi"_s))),
              QByteArray(R"({"type":"invoke","invocationId":"1","target":"event","event":"echo",)"
                         R"("dataType":"text","data":"hi"})"));
    EXPECT_EQ(json::encode(invoke(u"2"_s, u"echo"_s, std::nullopt)),
              QByteArray(R"({"type":"invoke","invocationId":"2","target":"event","event":"echo"})"));
    EXPECT_EQ(json::encode(CancelInvocation{u"2"_s}),
              QByteArray(R"({"type":"cancelInvocation","invocationId":"2"})"));
    EXPECT_EQ(json::encode(answer(u"1"_s, Payload::json(R"({"b":2, "a":12345678901234567890})"))),
              QByteArray(R"({"type":"invokeResponse","invocationId":"1","success":true,"dataType":"json",)"
                         R"("data":{"b":2, "a":12345678901234567890}})"));
    EXPECT_EQ(json::encode(answer(u"3"_s, std::nullopt)),
              QByteArray(R"({"type":"invokeResponse","invocationId":"3","success":true})"));
    EXPECT_EQ(json::encode(failed(u"4"_s, u"InternalServerError"_s, u"boom"_s)),
              QByteArray(R"({"type":"invokeResponse","invocationId":"4","success":false,)"
                         R"("error":{"name":"InternalServerError","message":"boom"}})"));
}

TEST(InvocationMessages, JsonDecodesWhatTheSdkSends)
{
    // JSON.stringify of the SDK's invoke, with a JSON payload kept byte for byte.
    auto decoded = json::decodeRequest(
        R"({"type":"invoke","invocationId":"7","target":"event","event":"sum","dataType":"json","data":{"x":1.10}})");
    ASSERT_TRUE(decoded.hasValue()) << decoded.error().toStdString();
    const auto &request = std::get<Invoke>(*decoded);
    EXPECT_EQ(request.invocationId, u"7"_s);
    EXPECT_EQ(request.target, u"event"_s);
    EXPECT_EQ(request.event, u"sum"_s);
    ASSERT_TRUE(request.data.has_value());
    EXPECT_EQ(request.data->type, DataType::Json);
    EXPECT_EQ(request.data->bytes, QByteArray(R"({"x":1.10})"));
    EXPECT_TRUE(checkRequest(*decoded, false).isEmpty());

    auto binary = json::decodeRequest(
        R"({"type":"invoke","invocationId":"8","event":"e","dataType":"binary","data":"AQI="})");
    ASSERT_TRUE(binary.hasValue());
    EXPECT_EQ(std::get<Invoke>(*binary).data, Payload::binary(QByteArray("\x01\x02", 2)));
    EXPECT_EQ(std::get<Invoke>(*binary).target, u"event"_s); // absent target: the only one there is

    auto cancel = json::decodeRequest(R"({"type":"cancelInvocation","invocationId":"8"})");
    ASSERT_TRUE(cancel.hasValue());
    EXPECT_EQ(std::get<CancelInvocation>(*cancel).invocationId, u"8"_s);

    // The service's answers, as the SDK parses them.
    auto ok = json::decodeMessage(
        R"({"type":"invokeResponse","invocationId":"7","success":true,"dataType":"text","data":"3"})");
    ASSERT_TRUE(ok.hasValue());
    EXPECT_EQ(std::get<InvokeResponse>(*ok), answer(u"7"_s, Payload::text(u"3"_s)));
    auto error = json::decodeMessage(
        R"({"type":"invokeResponse","invocationId":"9","success":false,"error":{"name":"Timeout","message":"m"}})");
    ASSERT_TRUE(error.hasValue());
    EXPECT_EQ(std::get<InvokeResponse>(*error), failed(u"9"_s, u"Timeout"_s, u"m"_s));
}

TEST(InvocationMessages, MalformedFramesAreErrorsAndBadContentIsRefusedWithAnAnswer)
{
    // Malformed: the service closes the connection, as for any other malformed frame.
    EXPECT_FALSE(json::decodeRequest(R"({"type":"invoke","event":"e"})").hasValue());
    EXPECT_FALSE(json::decodeRequest(R"({"type":"invoke","invocationId":1,"event":"e"})").hasValue());
    EXPECT_FALSE(json::decodeRequest(R"({"type":"invoke","invocationId":"1","event":5})").hasValue());
    EXPECT_FALSE(
        json::decodeRequest(R"({"type":"invoke","invocationId":"1","event":"e","dataType":"x"})").hasValue());
    EXPECT_FALSE(json::decodeRequest(R"({"type":"cancelInvocation"})").hasValue());
    // Well-formed but refused: checkRequest() says why, and the service answers with an error.
    auto other = json::decodeRequest(R"({"type":"invoke","invocationId":"1","target":"group","event":"e"})");
    ASSERT_TRUE(other.hasValue());
    EXPECT_NE(checkRequest(*other, false).indexOf(u"only 'event'"_s), -1)
        << checkRequest(*other, false).toStdString();
    auto noEvent = json::decodeRequest(R"({"type":"invoke","invocationId":"1"})");
    ASSERT_TRUE(noEvent.hasValue());
    EXPECT_FALSE(checkRequest(*noEvent, false).isEmpty());
    auto lone = json::decodeRequest(
        R"({"type":"invoke","invocationId":"1","event":"e","dataType":"text","data":"\ud800"})");
    ASSERT_TRUE(lone.hasValue());
    EXPECT_FALSE(checkRequest(*lone, false).isEmpty());
    EXPECT_FALSE(checkRequest(invoke(QString(129, u'x'), u"e"_s, std::nullopt), false).isEmpty());
    EXPECT_FALSE(checkRequest(invoke(u"1"_s, u"e"_s, Payload::json("{} {}")), true).isEmpty());
    EXPECT_TRUE(checkRequest(invoke(u"1"_s, u"e"_s, Payload::json("{}")), true).isEmpty());
    EXPECT_FALSE(ackIdOf(invoke(u"1"_s, u"e"_s, std::nullopt)).has_value());
}

TEST(InvocationMessages, BothCodecsRoundTrip)
{
    const ClientRequest requests[] = {
        invoke(u"1"_s, u"echo"_s, Payload::text(u"h\u00e9 \U0001F600"_s)),
        invoke(u"abc-def"_s, u"e"_s, Payload::json(R"([1,"2",{"3":null}])")),
        invoke(u"3"_s, u"bin"_s, Payload::binary(QByteArray("\x00\xff", 2))),
        invoke(u"4"_s, u"none"_s, std::nullopt),
        CancelInvocation{u"4"_s},
    };
    for (const ClientRequest &request : requests) {
        auto viaJson = json::decodeRequest(json::encode(request));
        ASSERT_TRUE(viaJson.hasValue()) << json::encode(request).toStdString();
        EXPECT_TRUE(*viaJson == request) << json::encode(request).toStdString();
        auto viaProtobuf = protobuf::decodeRequest(protobuf::encode(request));
        ASSERT_TRUE(viaProtobuf.hasValue()) << viaProtobuf.error().toStdString();
        EXPECT_TRUE(*viaProtobuf == request) << json::encode(request).toStdString();
    }
    const ServiceMessage messages[] = {
        answer(u"1"_s, Payload::text(u"hi"_s)),
        answer(u"2"_s, Payload::json("{\"a\":1}")),
        answer(u"3"_s, Payload::binary("\x01")),
        answer(u"4"_s, std::nullopt),
        failed(u"5"_s, u"InternalServerError"_s, u"The event handler failed."_s),
    };
    for (const ServiceMessage &message : messages) {
        auto viaJson = json::decodeMessage(json::encode(message));
        ASSERT_TRUE(viaJson.hasValue());
        EXPECT_TRUE(*viaJson == message) << json::encode(message).toStdString();
        auto viaProtobuf = protobuf::decodeMessage(protobuf::encode(message));
        ASSERT_TRUE(viaProtobuf.hasValue());
        EXPECT_TRUE(*viaProtobuf == message) << json::encode(message).toStdString();
    }
}

TEST(InvocationMessages, ProtobufWireBytesFollowTheServiceSchema)
{
    // UpstreamMessage.invoke_event_message = 10 { event = 1, invocation_id = 2, data = 3 { text_data = 1 } }
    const QByteArray invokeBytes = protobuf::encode(invoke(u"7"_s, u"e"_s, Payload::text(u"x"_s)));
    EXPECT_EQ(invokeBytes.toHex(), QByteArray("520b0a01651201371a030a0178"));
    // UpstreamMessage.cancel_invocation_message = 11 { invocation_id = 1 }
    EXPECT_EQ(protobuf::encode(CancelInvocation{u"7"_s}).toHex(), QByteArray("5a030a0137"));
    // DownstreamMessage.invoke_response_message = 5 { invocation_id = 1, success = 2, data = 3 }
    EXPECT_EQ(protobuf::encode(answer(u"7"_s, Payload::text(u"x"_s))).toHex(),
              QByteArray("2a0a0a013710011a030a0178"));
    // An empty invocation id or event is not an invocation.
    EXPECT_FALSE(protobuf::decodeRequest(QByteArray::fromHex("5a00")).hasValue());
    auto noEvent = protobuf::decodeRequest(QByteArray::fromHex("5203120137"));
    ASSERT_TRUE(noEvent.hasValue());
    EXPECT_FALSE(checkRequest(*noEvent, true).isEmpty());
}
