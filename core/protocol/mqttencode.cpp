#include "protocol/mqtt_p.h"

using namespace Qt::Literals::StringLiterals;

// MQTT packets to bytes.

namespace wps::mqtt {

using namespace detail;

namespace {

Expected<QByteArray, QString> frame(quint8 firstByte, Writer &body)
{
    using R = Expected<QByteArray, QString>;
    if (!body.error().isEmpty())
        return R::failure(body.error());
    if (body.bytes().size() > static_cast<qsizetype>(kMaxRemainingLength))
        return R::failure(tr("The packet is larger than MQTT allows (268,435,455 bytes)."));
    Writer out;
    out.u8(firstByte);
    out.varInt(static_cast<quint32>(body.bytes().size()));
    out.raw(body.bytes());
    return std::move(out.bytes());
}

quint8 header(PacketType type, quint8 flags = 0)
{
    return static_cast<quint8>((static_cast<quint8>(type) << 4) | flags);
}

// ---- one function per packet type: writes the variable header and payload into w, then frames them -------

using Encoded = Expected<QByteArray, QString>;

/// CONNECT is written in the version it names, whatever the connection's version so far.
Encoded encodePacket(Writer &w, const Connect &c, bool)
{
    const bool cv5 = c.version == Version::V5;
    w.string(u"MQTT"_s);
    w.u8(static_cast<quint8>(c.version));
    quint8 flags = c.cleanStart ? 0x02 : 0;
    if (c.will) {
        if (c.will->qos > 2)
            return Encoded::failure(tr("The will QoS must be 0, 1 or 2."));
        flags |= 0x04 | static_cast<quint8>(c.will->qos << 3) | (c.will->retain ? 0x20 : 0);
    }
    if (c.password)
        flags |= 0x40;
    if (c.username)
        flags |= 0x80;
    w.u8(flags);
    w.u16(c.keepAlive);
    if (cv5)
        writeProperties(w, c.properties);
    w.string(c.clientId);
    if (c.will) {
        if (cv5)
            writeProperties(w, c.will->properties);
        w.string(c.will->topic);
        w.binary(c.will->payload);
    }
    if (c.username)
        w.string(*c.username);
    if (c.password)
        w.binary(*c.password);
    return frame(header(PacketType::Connect), w);
}

Encoded encodePacket(Writer &w, const Connack &c, bool v5)
{
    w.u8(c.sessionPresent ? 1 : 0);
    w.u8(c.code);
    if (v5)
        writeProperties(w, c.properties);
    return frame(header(PacketType::Connack), w);
}

Encoded encodePacket(Writer &w, const Publish &p, bool v5)
{
    if (p.qos > 2)
        return Encoded::failure(tr("The PUBLISH QoS must be 0, 1 or 2."));
    w.string(p.topic);
    if (p.qos > 0)
        w.u16(p.packetId);
    if (v5)
        writeProperties(w, p.properties);
    w.raw(p.payload);
    const quint8 flags =
        static_cast<quint8>((p.dup && p.qos > 0 ? 0x08 : 0) | (p.qos << 1) | (p.retain ? 0x01 : 0));
    return frame(header(PacketType::Publish, flags), w);
}

Encoded encodePacket(Writer &w, const PubAck &a, bool v5)
{
    if (a.type != PacketType::Puback && a.type != PacketType::Pubrec && a.type != PacketType::Pubrel &&
        a.type != PacketType::Pubcomp)
        return Encoded::failure(tr("A PubAck must be PUBACK, PUBREC, PUBREL or PUBCOMP."));
    w.u16(a.packetId);
    if (v5 && (a.reasonCode != Reason::Success || !isEmpty(a.properties))) {
        w.u8(a.reasonCode);
        if (!isEmpty(a.properties))
            writeProperties(w, a.properties);
    }
    return frame(header(a.type, a.type == PacketType::Pubrel ? 0x02 : 0), w);
}

Encoded encodePacket(Writer &w, const Subscribe &s, bool v5)
{
    if (s.subscriptions.isEmpty())
        return Encoded::failure(tr("A SUBSCRIBE needs at least one topic filter."));
    w.u16(s.packetId);
    if (v5)
        writeProperties(w, s.properties);
    for (const Subscription &sub : s.subscriptions) {
        w.string(sub.topicFilter);
        quint8 options = sub.qos & 0x03;
        if (v5)
            options |= static_cast<quint8>((sub.noLocal ? 0x04 : 0) | (sub.retainAsPublished ? 0x08 : 0) |
                                           ((sub.retainHandling & 0x03) << 4));
        w.u8(options);
    }
    return frame(header(PacketType::Subscribe, 0x02), w);
}

Encoded encodePacket(Writer &w, const Suback &s, bool v5)
{
    w.u16(s.packetId);
    if (v5)
        writeProperties(w, s.properties);
    for (quint8 code : s.reasonCodes)
        w.u8(code);
    return frame(header(PacketType::Suback), w);
}

Encoded encodePacket(Writer &w, const Unsubscribe &u, bool v5)
{
    if (u.topicFilters.isEmpty())
        return Encoded::failure(tr("An UNSUBSCRIBE needs at least one topic filter."));
    w.u16(u.packetId);
    if (v5)
        writeProperties(w, u.properties);
    for (const QString &filter : u.topicFilters)
        w.string(filter);
    return frame(header(PacketType::Unsubscribe, 0x02), w);
}

Encoded encodePacket(Writer &w, const Unsuback &u, bool v5)
{
    w.u16(u.packetId);
    if (v5) {
        writeProperties(w, u.properties);
        for (quint8 code : u.reasonCodes)
            w.u8(code);
    }
    return frame(header(PacketType::Unsuback), w);
}

Encoded encodePacket(Writer &w, const Pingreq &, bool)
{
    return frame(header(PacketType::Pingreq), w);
}

Encoded encodePacket(Writer &w, const Pingresp &, bool)
{
    return frame(header(PacketType::Pingresp), w);
}

Encoded encodePacket(Writer &w, const Disconnect &d, bool v5)
{
    if (v5 && (d.reasonCode != Reason::NormalDisconnection || !isEmpty(d.properties))) {
        w.u8(d.reasonCode);
        if (!isEmpty(d.properties))
            writeProperties(w, d.properties);
    }
    return frame(header(PacketType::Disconnect), w);
}

Encoded encodePacket(Writer &w, const Auth &a, bool v5)
{
    if (!v5)
        return Encoded::failure(tr("AUTH exists only in MQTT 5.0."));
    if (a.reasonCode != Reason::Success || !isEmpty(a.properties)) {
        w.u8(a.reasonCode);
        writeProperties(w, a.properties);
    }
    return frame(header(PacketType::Auth), w);
}

} // namespace

Expected<QByteArray, QString> encode(const Packet &packet, Version version)
{
    const bool v5 = version == Version::V5;
    return std::visit(
        [v5](const auto &p) {
            Writer w;
            return encodePacket(w, p, v5);
        },
        packet);
}

} // namespace wps::mqtt
