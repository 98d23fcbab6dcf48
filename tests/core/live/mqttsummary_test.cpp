// The readable one-line summaries of MQTT packets the console's trace shows (MqttLiveClient's
// packetTraced), and their trace rows (core/trace/mqtttrace.h): the forms the user guide quotes.
#include "live/mqttclient.h"
#include "trace/mqtttrace.h"

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
namespace mq = wps::mqtt;
using wps::live::describePacket;

TEST(MqttSummary, PublishSubackConnackAndPubackReadAsTheUserGuideSays)
{
    mq::Publish publish;
    publish.topic = u"room1"_s;
    publish.qos = 1;
    publish.packetId = 3;
    publish.payload = "hello world!";
    EXPECT_EQ(describePacket(publish, mq::Version::V311), u"PUBLISH room1 QoS1 12 B"_s);

    mq::Suback refused;
    refused.packetId = 1;
    refused.reasonCodes = {mq::Reason::NotAuthorized};
    EXPECT_EQ(describePacket(refused, mq::Version::V5), u"SUBACK refused: Not authorized"_s);
    refused.reasonCodes = {0x80};
    EXPECT_EQ(describePacket(refused, mq::Version::V311), u"SUBACK refused: failure"_s);
    mq::Suback granted;
    granted.reasonCodes = {1};
    EXPECT_EQ(describePacket(granted, mq::Version::V5), u"SUBACK granted QoS1"_s);

    mq::Connack connack;
    connack.code = mq::Reason::NotAuthorized;
    EXPECT_EQ(describePacket(connack, mq::Version::V5), u"CONNACK 0x87 Not authorized"_s);
    connack.code = mq::ConnectReturn311::NotAuthorized;
    EXPECT_EQ(describePacket(connack, mq::Version::V311), u"CONNACK 5 Not authorized"_s);
    connack.code = 0;
    connack.sessionPresent = true;
    EXPECT_EQ(describePacket(connack, mq::Version::V311), u"CONNACK accepted, session resumed"_s);

    mq::PubAck puback{mq::PacketType::Puback, 4, mq::Reason::NotAuthorized, {}};
    puback.properties.reasonString = u"no sendToGroup"_s;
    EXPECT_EQ(describePacket(puback, mq::Version::V5),
              u"PUBACK refused: 0x87 Not authorized (no sendToGroup)"_s);
    EXPECT_EQ(describePacket(mq::PubAck{mq::PacketType::Puback, 4, 0, {}}, mq::Version::V5), u"PUBACK"_s);
}

TEST(MqttSummary, TraceRowsKeepThePayloadAndTheTopic)
{
    wps::live::MqttPacketRecord record;
    record.outgoing = false;
    record.type = u"PUBLISH"_s;
    record.summary = u"PUBLISH room1 QoS1 3 B"_s;
    record.topic = u"room1"_s;
    record.payload = QByteArray("\x00\xff\x01", 3);
    const auto event = wps::trace::fromMqttPacket(record, u"chat"_s, u"device1"_s, u"alice"_s, 42);
    EXPECT_EQ(event.kind, wps::trace::Kind::Frame);
    EXPECT_EQ(event.direction, wps::trace::Direction::In);
    EXPECT_EQ(event.group, u"room1"_s);
    EXPECT_EQ(event.payload, record.payload); // byte for byte
    EXPECT_TRUE(event.binary);                // not UTF-8
    EXPECT_EQ(event.detail, record.summary);
    EXPECT_EQ(event.connectionId, u"device1"_s);
    EXPECT_EQ(event.correlation, u"conn:device1"_s);
    record.topic = u"$webpubsub/server/messages"_s;
    record.payload = "text";
    const auto server = wps::trace::fromMqttPacket(record, u"chat"_s, u"device1"_s, {}, 42);
    EXPECT_TRUE(server.group.isEmpty()); // a server message has no group
    EXPECT_FALSE(server.binary);
}
