#include "protocol/mqtt_p.h"

using namespace Qt::Literals::StringLiterals;

// MQTT packets from bytes: one decoder per packet type, decodePacket() for one whole packet, and the
// streaming Decoder that cuts a byte stream into packets.

namespace wps::mqtt {

using namespace detail;

namespace {

// ---- decoding of each packet ---------------------------------------------------------------------------

Packet decodeConnect(Reader &r)
{
    Connect c;
    const QString protocol = r.string("protocol name");
    const quint8 level = r.u8("protocol level");
    if (!r.ok())
        return c;
    if (protocol != u"MQTT"_s) {
        if (protocol == u"MQIsdp"_s)
            r.fail(Reason::UnsupportedProtocolVersion,
                   tr("MQTT 3.1 (MQIsdp) is not supported: use 3.1.1 or 5.0."));
        else
            r.fail(Reason::MalformedPacket,
                   tr("The protocol name is '%1', not 'MQTT'.").arg(protocol.left(32)));
        return c;
    }
    if (level != 4 && level != 5) {
        r.fail(Reason::UnsupportedProtocolVersion,
               tr("Protocol level %1 is not supported: use 4 (3.1.1) or 5 (5.0).").arg(level));
        return c;
    }
    c.version = static_cast<Version>(level);
    const quint8 flags = r.u8("connect flags");
    c.keepAlive = r.u16("keep alive");
    if (!r.ok())
        return c;
    if (flags & 0x01) {
        r.fail(Reason::MalformedPacket, tr("The reserved connect flag is set."));
        return c;
    }
    c.cleanStart = flags & 0x02;
    const bool willFlag = flags & 0x04;
    const quint8 willQos = (flags >> 3) & 0x03;
    const bool willRetain = flags & 0x20;
    const bool passwordFlag = flags & 0x40;
    const bool usernameFlag = flags & 0x80;
    if (!willFlag && (willQos != 0 || willRetain)) {
        r.fail(Reason::MalformedPacket, tr("Will QoS or Will Retain is set without a will."));
        return c;
    }
    if (willQos == 3) {
        r.fail(Reason::MalformedPacket, tr("The will QoS is 3."));
        return c;
    }
    if (c.version == Version::V311 && passwordFlag && !usernameFlag) {
        r.fail(Reason::MalformedPacket, tr("MQTT 3.1.1 does not allow a password without a user name."));
        return c;
    }
    if (c.version == Version::V5)
        readProperties(r, bit(PacketType::Connect), c.properties);
    c.clientId = r.string("client identifier");
    if (willFlag && r.ok()) {
        Will will;
        will.qos = willQos;
        will.retain = willRetain;
        if (c.version == Version::V5)
            readProperties(r, kWill, will.properties);
        will.topic = r.string("will topic");
        will.payload = r.binary("will payload");
        c.will = will;
    }
    if (usernameFlag)
        c.username = r.string("user name");
    if (passwordFlag)
        c.password = r.binary("password");
    return c;
}

Packet decodeConnack(Reader &r, Version version)
{
    Connack c;
    const quint8 flags = r.u8("acknowledge flags");
    if (r.ok() && (flags & 0xFE))
        r.fail(Reason::MalformedPacket, tr("Reserved CONNACK flags are set."));
    c.sessionPresent = flags & 0x01;
    c.code = r.u8("return code");
    if (version == Version::V5)
        readProperties(r, bit(PacketType::Connack), c.properties);
    return c;
}

Packet decodePublish(Reader &r, quint8 flags, Version version)
{
    Publish p;
    p.dup = flags & 0x08;
    p.qos = (flags >> 1) & 0x03;
    p.retain = flags & 0x01;
    if (p.qos == 3) {
        r.fail(Reason::MalformedPacket, tr("The PUBLISH QoS is 3."));
        return p;
    }
    if (p.qos == 0 && p.dup) {
        r.fail(Reason::MalformedPacket, tr("A QoS 0 PUBLISH has the DUP flag set."));
        return p;
    }
    p.topic = r.string("topic name");
    if (r.ok() && (p.topic.contains(u'+') || p.topic.contains(u'#')))
        r.fail(Reason::TopicNameInvalid, tr("A PUBLISH topic must not contain '+' or '#'."));
    if (p.qos > 0) {
        p.packetId = r.u16("packet identifier");
        if (r.ok() && p.packetId == 0)
            r.fail(Reason::ProtocolError, tr("The packet identifier is 0."));
    }
    if (version == Version::V5)
        readProperties(r, bit(PacketType::Publish), p.properties);
    if (r.ok())
        p.payload = r.rest().toByteArray();
    return p;
}

Packet decodePubAck(Reader &r, PacketType type, Version version)
{
    PubAck a;
    a.type = type;
    a.packetId = r.u16("packet identifier");
    if (version == Version::V5 && r.ok() && !r.atEnd()) {
        a.reasonCode = r.u8("reason code");
        if (r.ok() && !r.atEnd())
            readProperties(r, bit(type), a.properties);
    }
    return a;
}

Packet decodeSubscribe(Reader &r, Version version)
{
    Subscribe s;
    s.packetId = r.u16("packet identifier");
    if (r.ok() && s.packetId == 0)
        r.fail(Reason::ProtocolError, tr("The packet identifier is 0."));
    if (version == Version::V5)
        readProperties(r, bit(PacketType::Subscribe), s.properties);
    if (r.ok() && r.atEnd())
        r.fail(Reason::ProtocolError, tr("A SUBSCRIBE must carry at least one topic filter."));
    while (r.ok() && !r.atEnd()) {
        Subscription sub;
        sub.topicFilter = r.string("topic filter");
        const quint8 options = r.u8("subscription options");
        if (!r.ok())
            break;
        sub.qos = options & 0x03;
        if (sub.qos == 3) {
            r.fail(Reason::MalformedPacket, tr("A subscription asks for QoS 3."));
            break;
        }
        if (version == Version::V5) {
            sub.noLocal = options & 0x04;
            sub.retainAsPublished = options & 0x08;
            sub.retainHandling = (options >> 4) & 0x03;
            if (sub.retainHandling == 3 || (options & 0xC0)) {
                r.fail(Reason::MalformedPacket, tr("Reserved subscription option bits are set."));
                break;
            }
        } else if (options & 0xFC) {
            r.fail(Reason::MalformedPacket, tr("Reserved subscription option bits are set."));
            break;
        }
        s.subscriptions.append(sub);
    }
    return s;
}

Packet decodeSuback(Reader &r, Version version)
{
    Suback s;
    s.packetId = r.u16("packet identifier");
    if (version == Version::V5)
        readProperties(r, bit(PacketType::Suback), s.properties);
    while (r.ok() && !r.atEnd())
        s.reasonCodes.append(r.u8("reason code"));
    return s;
}

Packet decodeUnsubscribe(Reader &r, Version version)
{
    Unsubscribe u;
    u.packetId = r.u16("packet identifier");
    if (r.ok() && u.packetId == 0)
        r.fail(Reason::ProtocolError, tr("The packet identifier is 0."));
    if (version == Version::V5)
        readProperties(r, bit(PacketType::Unsubscribe), u.properties);
    if (r.ok() && r.atEnd())
        r.fail(Reason::ProtocolError, tr("An UNSUBSCRIBE must carry at least one topic filter."));
    while (r.ok() && !r.atEnd())
        u.topicFilters.append(r.string("topic filter"));
    return u;
}

Packet decodeUnsuback(Reader &r, Version version)
{
    Unsuback u;
    u.packetId = r.u16("packet identifier");
    if (version == Version::V5) {
        readProperties(r, bit(PacketType::Unsuback), u.properties);
        while (r.ok() && !r.atEnd())
            u.reasonCodes.append(r.u8("reason code"));
    }
    return u;
}

Packet decodeDisconnect(Reader &r, Version version)
{
    Disconnect d;
    if (version == Version::V5 && !r.atEnd()) {
        d.reasonCode = r.u8("reason code");
        if (r.ok() && !r.atEnd())
            readProperties(r, bit(PacketType::Disconnect), d.properties);
    }
    return d;
}

Packet decodeAuth(Reader &r)
{
    Auth a;
    if (!r.atEnd()) {
        a.reasonCode = r.u8("reason code");
        if (r.ok() && !r.atEnd())
            readProperties(r, bit(PacketType::Auth), a.properties);
    }
    return a;
}

} // namespace

Expected<Packet, DecodeError> decodePacket(QByteArrayView bytes, Version version)
{
    using R = Expected<Packet, DecodeError>;
    Reader head(bytes);
    const quint8 first = head.u8("fixed header");
    const quint32 length = head.varInt("remaining length");
    if (!head.ok())
        return R::failure(head.error());
    if (static_cast<qsizetype>(length) != head.remaining())
        return R::failure(
            {Reason::MalformedPacket, tr("The remaining length (%1) does not match the %2 bytes "
                                         "that follow the fixed header.")
                                          .arg(length)
                                          .arg(head.remaining())});
    const quint8 typeValue = first >> 4;
    const quint8 flags = first & 0x0F;
    if (typeValue == 0 || (typeValue == 15 && version != Version::V5))
        return R::failure({Reason::MalformedPacket, tr("Packet type %1 is reserved.").arg(typeValue)});
    const auto type = static_cast<PacketType>(typeValue);
    const quint8 expectedFlags =
        (type == PacketType::Pubrel || type == PacketType::Subscribe || type == PacketType::Unsubscribe)
            ? 0x02
            : 0x00;
    if (type != PacketType::Publish && flags != expectedFlags)
        return R::failure(
            {Reason::MalformedPacket,
             tr("The %1 fixed header has invalid flags 0x%2.").arg(packetTypeName(type)).arg(flags, 0, 16)});
    Reader r(head.rest());
    Packet packet;
    switch (type) {
    case PacketType::Connect:
        packet = decodeConnect(r);
        break;
    case PacketType::Connack:
        packet = decodeConnack(r, version);
        break;
    case PacketType::Publish:
        packet = decodePublish(r, flags, version);
        break;
    case PacketType::Puback:
    case PacketType::Pubrec:
    case PacketType::Pubrel:
    case PacketType::Pubcomp:
        packet = decodePubAck(r, type, version);
        break;
    case PacketType::Subscribe:
        packet = decodeSubscribe(r, version);
        break;
    case PacketType::Suback:
        packet = decodeSuback(r, version);
        break;
    case PacketType::Unsubscribe:
        packet = decodeUnsubscribe(r, version);
        break;
    case PacketType::Unsuback:
        packet = decodeUnsuback(r, version);
        break;
    case PacketType::Pingreq:
        packet = Pingreq{};
        break;
    case PacketType::Pingresp:
        packet = Pingresp{};
        break;
    case PacketType::Disconnect:
        packet = decodeDisconnect(r, version);
        break;
    case PacketType::Auth:
        packet = decodeAuth(r);
        break;
    }
    if (r.ok() && !r.atEnd())
        r.fail(Reason::MalformedPacket, tr("The %1 packet has %2 unexpected bytes at its end.")
                                            .arg(packetTypeName(type))
                                            .arg(r.remaining()));
    if (!r.ok())
        return R::failure(r.error());
    return packet;
}

Decoder::Decoder(Version version, qsizetype maxPacketBytes)
    : m_version(version)
    , m_maxPacketBytes(maxPacketBytes)
{
}

void Decoder::feed(QByteArrayView bytes)
{
    if (m_error)
        return;
    if (m_pos > 0 && m_pos >= m_buffer.size() / 2) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
    m_buffer.append(bytes);
}

Expected<std::optional<Packet>, DecodeError> Decoder::next()
{
    using R = Expected<std::optional<Packet>, DecodeError>;
    if (m_error)
        return R::failure(*m_error);
    const qsizetype available = m_buffer.size() - m_pos;
    if (available < 2)
        return std::optional<Packet>();
    // The remaining length: 1 to 4 bytes after the first.
    quint32 length = 0;
    qsizetype headerBytes = 0;
    for (int i = 0; i < 4; ++i) {
        if (1 + i >= available)
            return std::optional<Packet>(); // more bytes needed
        const quint8 byte = static_cast<quint8>(m_buffer[m_pos + 1 + i]);
        length |= static_cast<quint32>(byte & 0x7F) << (7 * i);
        if ((byte & 0x80) == 0) {
            headerBytes = 2 + i;
            break;
        }
    }
    if (headerBytes == 0) {
        m_error = DecodeError{Reason::MalformedPacket, tr("The remaining length is longer than 4 bytes.")};
        return R::failure(*m_error);
    }
    const qsizetype total = headerBytes + static_cast<qsizetype>(length);
    if (total > m_maxPacketBytes) {
        m_error = DecodeError{Reason::PacketTooLarge,
                              tr("A packet of %1 bytes is larger than the limit of %2 bytes.")
                                  .arg(total)
                                  .arg(m_maxPacketBytes)};
        return R::failure(*m_error);
    }
    if (available < total)
        return std::optional<Packet>();
    auto packet = decodePacket(QByteArrayView(m_buffer).sliced(m_pos, total), m_version);
    m_pos += total;
    if (m_pos == m_buffer.size()) {
        m_buffer.clear();
        m_pos = 0;
    }
    if (!packet) {
        m_error = packet.error();
        return R::failure(*m_error);
    }
    if (const auto *connect = std::get_if<Connect>(&*packet))
        m_version = connect->version;
    return std::optional<Packet>(std::move(packet).value());
}

} // namespace wps::mqtt
