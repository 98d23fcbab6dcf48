#include "protocol/mqtt.h"

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using namespace wps::mqtt;

namespace {

QByteArray bytes(std::initializer_list<int> values)
{
    QByteArray out;
    for (int v : values)
        out.append(static_cast<char>(v));
    return out;
}

QByteArray encoded(const Packet &packet, Version version)
{
    auto result = encode(packet, version);
    EXPECT_TRUE(result.hasValue()) << (result ? QString() : result.error()).toStdString();
    return result ? *result : QByteArray();
}

Packet roundTrip(const Packet &packet, Version version)
{
    const QByteArray wire = encoded(packet, version);
    auto decoded = decodePacket(wire, version);
    EXPECT_TRUE(decoded.hasValue()) << (decoded ? QString() : decoded.error().message).toStdString();
    return decoded ? *decoded : Packet{};
}

DecodeError errorOf(const QByteArray &wire, Version version)
{
    auto decoded = decodePacket(wire, version);
    EXPECT_FALSE(decoded.hasValue());
    return decoded ? DecodeError{} : decoded.error();
}

} // namespace

TEST(Mqtt, DecodesA311ConnectAsTheSpecificationLaysItOut)
{
    // CONNECT, "MQTT", level 4, clean session, keep alive 60, client id "abc".
    const QByteArray wire = bytes({0x10, 15, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 3, 'a', 'b', 'c'});
    auto decoded = decodePacket(wire, Version::V311);
    ASSERT_TRUE(decoded.hasValue()) << decoded.error().message.toStdString();
    const auto &connect = std::get<Connect>(*decoded);
    EXPECT_EQ(connect.version, Version::V311);
    EXPECT_TRUE(connect.cleanStart);
    EXPECT_EQ(connect.keepAlive, 60);
    EXPECT_EQ(connect.clientId, u"abc"_s);
    EXPECT_FALSE(connect.will);
    EXPECT_FALSE(connect.username);
    EXPECT_EQ(encoded(connect, Version::V311), wire);
}

TEST(Mqtt, EncodesFixedPacketsByteForByte)
{
    EXPECT_EQ(encoded(Pingreq{}, Version::V311), bytes({0xC0, 0}));
    EXPECT_EQ(encoded(Pingresp{}, Version::V5), bytes({0xD0, 0}));
    EXPECT_EQ(encoded(Disconnect{}, Version::V311), bytes({0xE0, 0}));
    EXPECT_EQ(encoded(Disconnect{}, Version::V5), bytes({0xE0, 0}));
    EXPECT_EQ(encoded(Connack{false, 0, {}}, Version::V311), bytes({0x20, 2, 0, 0}));
    // 5.0 CONNACK always carries a property length.
    EXPECT_EQ(encoded(Connack{true, Reason::NotAuthorized, {}}, Version::V5), bytes({0x20, 3, 1, 0x87, 0}));
    EXPECT_EQ(encoded(PubAck{PacketType::Puback, 7, 0, {}}, Version::V5), bytes({0x40, 2, 0, 7}));
    EXPECT_EQ(encoded(PubAck{PacketType::Puback, 7, Reason::NotAuthorized, {}}, Version::V5),
              bytes({0x40, 3, 0, 7, 0x87}));
    EXPECT_EQ(encoded(PubAck{PacketType::Pubrel, 1, 0, {}}, Version::V311), bytes({0x62, 2, 0, 1}));
    EXPECT_EQ(encoded(Suback{9, {}, {0x01, 0x80}}, Version::V311), bytes({0x90, 4, 0, 9, 0x01, 0x80}));
}

TEST(Mqtt, RoundTripsEveryPacketIn311And5)
{
    Properties props;
    props.userProperties = {{u"k"_s, u"v"_s}, {u"k"_s, u"w"_s}};
    props.reasonString = u"because"_s;

    for (Version version : {Version::V311, Version::V5}) {
        const bool v5 = version == Version::V5;
        Connect connect;
        connect.version = version;
        connect.cleanStart = false;
        connect.keepAlive = 30;
        connect.clientId = u"client1"_s;
        connect.username = u"user"_s;
        connect.password = QByteArray("p\0w", 3);
        connect.will = Will{u"will/topic"_s, "bye", 1, false, {}};
        if (v5) {
            connect.properties.sessionExpiryInterval = 30;
            connect.properties.receiveMaximum = 10;
            connect.properties.userProperties = props.userProperties;
            connect.will->properties.willDelayInterval = 5;
            connect.will->properties.contentType = u"text/plain"_s;
        }
        EXPECT_EQ(std::get<Connect>(roundTrip(connect, version)), connect);

        Publish publish;
        publish.qos = 1;
        publish.packetId = 42;
        publish.topic = u"room/1"_s;
        publish.payload = QByteArray("\x00\xff payload", 10);
        if (v5) {
            publish.properties.payloadFormatIndicator = 1;
            publish.properties.messageExpiryInterval = 60;
            publish.properties.responseTopic = u"reply"_s;
            publish.properties.correlationData = "corr";
            publish.properties.subscriptionIdentifiers = {1, 300000};
            publish.properties.userProperties = props.userProperties;
        }
        EXPECT_EQ(std::get<Publish>(roundTrip(publish, version)), publish);
        Publish qos0;
        qos0.topic = u"t"_s;
        EXPECT_EQ(std::get<Publish>(roundTrip(qos0, version)), qos0);

        for (PacketType type :
             {PacketType::Puback, PacketType::Pubrec, PacketType::Pubrel, PacketType::Pubcomp}) {
            PubAck ack{type, 5, v5 ? Reason::NotAuthorized : Reason::Success, v5 ? props : Properties{}};
            EXPECT_EQ(std::get<PubAck>(roundTrip(ack, version)), ack);
        }

        Subscribe subscribe;
        subscribe.packetId = 3;
        subscribe.subscriptions = {{u"a"_s, 1, false, false, 0}, {u"b/c"_s, 2, v5, v5, quint8(v5 ? 2 : 0)}};
        if (v5)
            subscribe.properties.subscriptionIdentifiers = {7};
        EXPECT_EQ(std::get<Subscribe>(roundTrip(subscribe, version)), subscribe);

        Suback suback{3, v5 ? props : Properties{}, {0x01, 0x80}};
        EXPECT_EQ(std::get<Suback>(roundTrip(suback, version)), suback);

        Unsubscribe unsubscribe{4, {}, {u"a"_s, u"b"_s}};
        EXPECT_EQ(std::get<Unsubscribe>(roundTrip(unsubscribe, version)), unsubscribe);

        Unsuback unsuback{4, v5 ? props : Properties{}, v5 ? QList<quint8>{0x00, 0x11} : QList<quint8>{}};
        EXPECT_EQ(std::get<Unsuback>(roundTrip(unsuback, version)), unsuback);

        Connack connack{true, v5 ? Reason::Success : ConnectReturn311::Accepted, {}};
        if (v5) {
            connack.properties.retainAvailable = 0;
            connack.properties.wildcardSubscriptionAvailable = 0;
            connack.properties.sharedSubscriptionAvailable = 0;
            connack.properties.topicAliasMaximum = 0;
            connack.properties.maximumQos = 1;
            connack.properties.assignedClientIdentifier = u"abc"_s;
        }
        EXPECT_EQ(std::get<Connack>(roundTrip(connack, version)), connack);

        Disconnect disconnect{v5 ? Reason::DisconnectWithWill : Reason::NormalDisconnection,
                              v5 ? props : Properties{}};
        if (v5)
            disconnect.properties.sessionExpiryInterval = 0;
        EXPECT_EQ(std::get<Disconnect>(roundTrip(disconnect, version)), disconnect);
        EXPECT_TRUE(std::holds_alternative<Pingreq>(roundTrip(Pingreq{}, version)));
    }
    Auth auth{0x18, {}};
    auth.properties.authenticationMethod = u"m"_s;
    EXPECT_EQ(std::get<Auth>(roundTrip(auth, Version::V5)), auth);
    EXPECT_FALSE(encode(Auth{}, Version::V311).hasValue());
}

TEST(Mqtt, DecoderTakesPacketsFromAStreamFedByteByByteAndInOneChunk)
{
    Publish large;
    large.topic = u"big"_s;
    large.qos = 1;
    large.packetId = 1;
    large.payload = QByteArray(300, 'x'); // a two-byte remaining length
    const QByteArray stream = encoded(Pingreq{}, Version::V5) + encoded(large, Version::V5) +
                              encoded(Subscribe{2, {}, {{u"a"_s, 1, false, false, 0}}}, Version::V5);

    Decoder oneByte(Version::V5);
    QList<Packet> got;
    for (char c : stream) {
        oneByte.feed(QByteArrayView(&c, 1));
        for (;;) {
            auto next = oneByte.next();
            ASSERT_TRUE(next.hasValue()) << next.error().message.toStdString();
            if (!*next)
                break;
            got.append(**next);
        }
    }
    ASSERT_EQ(got.size(), 3);
    EXPECT_TRUE(std::holds_alternative<Pingreq>(got[0]));
    EXPECT_EQ(std::get<Publish>(got[1]), large);
    EXPECT_EQ(std::get<Subscribe>(got[2]).subscriptions.at(0).topicFilter, u"a"_s);
    EXPECT_EQ(oneByte.buffered(), 0);

    Decoder whole(Version::V5);
    whole.feed(stream);
    int count = 0;
    while (true) {
        auto next = whole.next();
        ASSERT_TRUE(next.hasValue());
        if (!*next)
            break;
        ++count;
    }
    EXPECT_EQ(count, 3);
}

TEST(Mqtt, DecoderTakesItsVersionFromConnect)
{
    Connect connect;
    connect.version = Version::V5;
    connect.clientId = u"c"_s;
    Decoder decoder; // starts as 3.1.1
    decoder.feed(encoded(connect, Version::V5));
    decoder.feed(encoded(PubAck{PacketType::Puback, 1, Reason::NotAuthorized, {}}, Version::V5));
    ASSERT_TRUE(decoder.next().hasValue());
    EXPECT_EQ(decoder.version(), Version::V5);
    auto ack = decoder.next();
    ASSERT_TRUE(ack.hasValue() && *ack);
    EXPECT_EQ(std::get<PubAck>(**ack).reasonCode, Reason::NotAuthorized);
}

TEST(Mqtt, DecoderRefusesAnOversizedPacketBeforeBufferingIt)
{
    Decoder decoder(Version::V311, 1024);
    // PUBLISH announcing 1 MiB: refused from its header alone, and the error sticks.
    decoder.feed(bytes({0x30, 0x80, 0x80, 0x40}));
    auto next = decoder.next();
    ASSERT_FALSE(next.hasValue());
    EXPECT_EQ(next.error().reasonCode, Reason::PacketTooLarge);
    EXPECT_TRUE(decoder.failed());
    decoder.feed(encoded(Pingreq{}, Version::V311));
    EXPECT_FALSE(decoder.next().hasValue());
}

TEST(Mqtt, MalformedPacketsGiveClearErrors)
{
    // A remaining length of five bytes.
    Decoder decoder;
    decoder.feed(bytes({0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}));
    auto next = decoder.next();
    ASSERT_FALSE(next.hasValue());
    EXPECT_EQ(next.error().reasonCode, Reason::MalformedPacket);
    EXPECT_FALSE(next.error().message.isEmpty());

    // Wrong fixed-header flags on SUBSCRIBE.
    EXPECT_EQ(errorOf(bytes({0x80, 5, 0, 1, 0, 1, 'a'}), Version::V311).reasonCode, Reason::MalformedPacket);
    // PUBLISH with QoS 3.
    EXPECT_EQ(errorOf(bytes({0x36, 3, 0, 1, 't'}), Version::V311).reasonCode, Reason::MalformedPacket);
    // Topic name with a wildcard.
    EXPECT_EQ(errorOf(bytes({0x30, 3, 0, 1, '#'}), Version::V311).reasonCode, Reason::TopicNameInvalid);
    // Invalid UTF-8 in a topic.
    EXPECT_EQ(errorOf(bytes({0x30, 3, 0, 1, 0xC3}), Version::V311).reasonCode, Reason::MalformedPacket);
    // U+0000 in a topic.
    EXPECT_EQ(errorOf(bytes({0x30, 3, 0, 1, 0}), Version::V311).reasonCode, Reason::MalformedPacket);
    // A string running past the end.
    EXPECT_EQ(errorOf(bytes({0x30, 3, 0, 9, 'a'}), Version::V311).reasonCode, Reason::MalformedPacket);
    // Remaining length that disagrees with the bytes.
    EXPECT_EQ(errorOf(bytes({0xC0, 1}), Version::V311).reasonCode, Reason::MalformedPacket);
    // Trailing bytes after PINGREQ's (empty) body.
    EXPECT_EQ(errorOf(bytes({0xC0, 1, 0}), Version::V311).reasonCode, Reason::MalformedPacket);
    // SUBSCRIBE without a topic filter.
    EXPECT_EQ(errorOf(bytes({0x82, 2, 0, 1}), Version::V311).reasonCode, Reason::ProtocolError);
    // Packet id 0.
    EXPECT_EQ(errorOf(bytes({0x82, 6, 0, 0, 0, 1, 'a', 0}), Version::V311).reasonCode, Reason::ProtocolError);
    // AUTH is reserved in 3.1.1.
    EXPECT_EQ(errorOf(bytes({0xF0, 0}), Version::V311).reasonCode, Reason::MalformedPacket);
    // Type 0 is reserved.
    EXPECT_EQ(errorOf(bytes({0x00, 0}), Version::V5).reasonCode, Reason::MalformedPacket);
    // 5.0: a property twice, a property on the wrong packet, an unknown property.
    EXPECT_EQ(errorOf(bytes({0x40, 7, 0, 1, 0x80, 3, 0x1F, 0, 5}), Version::V5).reasonCode,
              Reason::MalformedPacket); // runs past the end
    EXPECT_EQ(errorOf(bytes({0x40, 10, 0, 1, 0x80, 6, 0x1F, 0, 0, 0x1F, 0, 0}), Version::V5).reasonCode,
              Reason::ProtocolError);
    EXPECT_EQ(errorOf(bytes({0x40, 9, 0, 1, 0x80, 5, 0x11, 0, 0, 0, 1}), Version::V5).reasonCode,
              Reason::ProtocolError);
    EXPECT_EQ(errorOf(bytes({0x40, 6, 0, 1, 0x80, 2, 0x7F, 0}), Version::V5).reasonCode,
              Reason::MalformedPacket);
}

TEST(Mqtt, ConnectChecksItsHeaderAndFlags)
{
    auto connectWith = [](QByteArray name, int level, int flags) {
        QByteArray body;
        body.append(char(0));
        body.append(char(name.size()));
        body.append(name);
        body.append(char(level));
        body.append(char(flags));
        body.append(char(0));
        body.append(char(10));
        if (level == 5)
            body.append(char(0)); // property length
        body.append(char(0));
        body.append(char(1));
        body.append('c');
        QByteArray wire;
        wire.append(char(0x10));
        wire.append(char(body.size()));
        return QByteArray(wire + body);
    };
    EXPECT_TRUE(decodePacket(connectWith("MQTT", 4, 0x02), Version::V311).hasValue());
    EXPECT_TRUE(decodePacket(connectWith("MQTT", 5, 0x02), Version::V311).hasValue());
    EXPECT_EQ(errorOf(connectWith("MQIsdp", 3, 0x02), Version::V311).reasonCode,
              Reason::UnsupportedProtocolVersion);
    EXPECT_EQ(errorOf(connectWith("MQTT", 6, 0x02), Version::V311).reasonCode,
              Reason::UnsupportedProtocolVersion);
    EXPECT_EQ(errorOf(connectWith("MQTX", 4, 0x02), Version::V311).reasonCode, Reason::MalformedPacket);
    EXPECT_EQ(errorOf(connectWith("MQTT", 4, 0x03), Version::V311).reasonCode,
              Reason::MalformedPacket); // reserved
    EXPECT_EQ(errorOf(connectWith("MQTT", 4, 0x08), Version::V311).reasonCode,
              Reason::MalformedPacket); // will QoS
    // 3.1.1: a password needs a user name (the packet would also end early; the flag check comes first).
    EXPECT_EQ(errorOf(connectWith("MQTT", 4, 0x42), Version::V311).reasonCode, Reason::MalformedPacket);
}

TEST(Mqtt, EncoderRefusesWhatTheWireCannotCarry)
{
    Publish publish;
    publish.topic = QString(70000, u'a');
    EXPECT_FALSE(encode(publish, Version::V311).hasValue());
    EXPECT_FALSE(encode(Subscribe{1, {}, {}}, Version::V311).hasValue());
    EXPECT_FALSE(encode(Unsubscribe{1, {}, {}}, Version::V311).hasValue());
    Publish qos3;
    qos3.topic = u"t"_s;
    qos3.qos = 3;
    EXPECT_FALSE(encode(qos3, Version::V311).hasValue());
}

TEST(Mqtt, TopicNamesFiltersWildcardsAndSharedSubscriptionsAreRecognised)
{
    EXPECT_TRUE(isValidTopicName(u"room/1"_s));
    EXPECT_FALSE(isValidTopicName(u""_s));
    EXPECT_FALSE(isValidTopicName(u"a/+"_s));
    EXPECT_FALSE(isValidTopicName(u"a/#"_s));
    EXPECT_TRUE(isValidTopicFilter(u"a/+/b"_s));
    EXPECT_TRUE(isValidTopicFilter(u"a/#"_s));
    EXPECT_TRUE(isValidTopicFilter(u"#"_s));
    EXPECT_FALSE(isValidTopicFilter(u"a/#/b"_s));
    EXPECT_FALSE(isValidTopicFilter(u"a+"_s));
    EXPECT_TRUE(hasWildcard(u"a/+"_s));
    EXPECT_FALSE(hasWildcard(u"a/b"_s));
    EXPECT_TRUE(isSharedSubscription(u"$share/g/a"_s));
    EXPECT_FALSE(isSharedSubscription(u"share/g/a"_s));
    EXPECT_EQ(reasonName(Reason::NotAuthorized), u"Not authorized"_s);
    EXPECT_EQ(packetTypeName(PacketType::Suback), u"SUBACK"_s);
}
