// The JSON value checker and member locator (core/protocol/jsontext.h), and what the message codecs do with
// them: JSON payloads kept byte for byte, invalid content refused by checkRequest() (issue 15).
#include "protocol/jsontext.h"
#include "protocol/messages.h"

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using namespace wps;

TEST(JsonText, ChecksExactlyOneValue)
{
    for (const char *good : {"1", " -0.5e+3 ", "\"x\"", "true", "null", "[]", "{}", "[1,[2,{\"a\":[]}]]",
                             "{\"a\" : {\"b\":\"\\u00e9\\ud800\\\"\"}}", "\"\xC3\xA9\xF0\x9F\x98\x80\""}) {
        EXPECT_TRUE(jsontext::checkValue(good).isEmpty()) << good;
    }
    for (const char *bad : {"",
                            " ",
                            "1,2",
                            "{\"text\":\"x\"},\"fromUserId\":\"ceo\"",
                            "{\"a\":1}}",
                            "[1,]",
                            "{\"a\"}",
                            "01",
                            "1.",
                            "-",
                            "+1",
                            "NaN",
                            "tru",
                            "\"\\x\"",
                            "\"a\nb\"",
                            "\"\xED\xA0\x80\"",
                            "\"\xC0\xAF\"",
                            "{'a':1}",
                            "[1 2]",
                            "\"\\u12G4\""}) {
        EXPECT_FALSE(jsontext::checkValue(bad).isEmpty()) << bad;
    }
    // Nesting is bounded (and costs no machine stack).
    EXPECT_TRUE(jsontext::checkValue(QByteArray(QByteArray(1000, '[') + QByteArray(1000, ']'))).isEmpty());
    EXPECT_FALSE(
        jsontext::checkValue(QByteArray(QByteArray(100000, '[') + QByteArray(100000, ']'))).isEmpty());
}

TEST(JsonText, FindsTheLastTopLevelMemberAsSent)
{
    const QByteArray frame = R"({"type":"x", "data" : {"z": 1.0 ,"data":2} , "d\u0061ta2":3})";
    EXPECT_EQ(jsontext::memberValue(frame, u"data")->toByteArray(), R"({"z": 1.0 ,"data":2})");
    EXPECT_EQ(jsontext::memberValue(frame, u"data2")->toByteArray(), "3");
    EXPECT_FALSE(jsontext::memberValue(frame, u"missing"));
    EXPECT_EQ(jsontext::memberValue(R"({"data":1,"data":[2]})", u"data")->toByteArray(), "[2]");
    EXPECT_FALSE(jsontext::memberValue("[1]", u"data"));
    EXPECT_FALSE(jsontext::memberValue(R"({"data":1} x)", u"data"));
}

TEST(JsonText, KeepsLoneSurrogatesVisible)
{
    const QString lone = u"a"_s + QChar(0xD800) + u"b"_s;
    EXPECT_FALSE(jsontext::isValidUtf8(jsontext::toUtf8KeepingSurrogates(lone)));
    EXPECT_EQ(jsontext::toUtf8KeepingSurrogates(u"é\U0001F600"_s), u"é\U0001F600"_s.toUtf8());
}

TEST(JsonMessages, PayloadBytesAreKeptAsSentAndInvalidContentIsRefused)
{
    using namespace wps::messages;
    auto send =
        json::decodeRequest(R"({"type":"sendToGroup","group":"g","ackId":4,"data": {"b":1, "a":1.0} })");
    ASSERT_TRUE(send.hasValue());
    EXPECT_EQ(std::get<SendToGroup>(*send).data.bytes, QByteArray(R"({"b":1, "a":1.0})"));
    EXPECT_TRUE(checkRequest(*send, true).isEmpty());
    EXPECT_EQ(ackIdOf(*send), std::optional<quint64>(4));

    auto surrogate =
        json::decodeRequest(R"({"type":"sendToGroup","group":"g","dataType":"text","data":"\udc00"})");
    ASSERT_TRUE(surrogate.hasValue());
    EXPECT_TRUE(checkRequest(*surrogate, false).contains(u"surrogate"_s));
    auto group = json::decodeRequest(R"({"type":"joinGroup","group":"\ud800x","ackId":1})");
    ASSERT_TRUE(group.hasValue());
    EXPECT_FALSE(checkRequest(*group, false).isEmpty());

    const SendToGroup forged{u"g"_s, 1, false, Payload::json(R"({"text":"x"},"fromUserId":"ceo")")};
    EXPECT_TRUE(checkRequest(forged, false).isEmpty()); // JSON subprotocol payloads are valid by construction
    EXPECT_TRUE(checkRequest(forged, true).contains(u"JSON"_s));
    auto viaProtobuf = protobuf::decodeRequest(protobuf::encode(forged));
    ASSERT_TRUE(viaProtobuf.hasValue());
    EXPECT_FALSE(checkRequest(*viaProtobuf, true).isEmpty());

    // Protobuf names must be UTF-8.
    const JoinGroup badName{u"xyz"_s, 1};
    QByteArray frame = protobuf::encode(badName);
    frame.replace("xyz", QByteArray("\xED\xA0\x80")); // the three-byte form of a surrogate
    ASSERT_TRUE(protobuf::decodeRequest(protobuf::encode(badName)).hasValue());
    EXPECT_FALSE(protobuf::decodeRequest(frame).hasValue());
}
