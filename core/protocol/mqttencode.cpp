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

} // namespace

Expected<QByteArray, QString> encode(const Packet &packet, Version version)
{
    using R = Expected<QByteArray, QString>;
    const bool v5 = version == Version::V5;
    Writer w;
    if (const auto *c = std::get_if<Connect>(&packet)) {
        const bool cv5 = c->version == Version::V5;
        w.string(u"MQTT"_s);
        w.u8(static_cast<quint8>(c->version));
        quint8 flags = c->cleanStart ? 0x02 : 0;
        if (c->will) {
            if (c->will->qos > 2)
                return R::failure(tr("The will QoS must be 0, 1 or 2."));
            flags |= 0x04 | static_cast<quint8>(c->will->qos << 3) | (c->will->retain ? 0x20 : 0);
        }
        if (c->password)
            flags |= 0x40;
        if (c->username)
            flags |= 0x80;
        w.u8(flags);
        w.u16(c->keepAlive);
        if (cv5)
            writeProperties(w, c->properties);
        w.string(c->clientId);
        if (c->will) {
            if (cv5)
                writeProperties(w, c->will->properties);
            w.string(c->will->topic);
            w.binary(c->will->payload);
        }
        if (c->username)
            w.string(*c->username);
        if (c->password)
            w.binary(*c->password);
        return frame(header(PacketType::Connect), w);
    }
    if (const auto *c = std::get_if<Connack>(&packet)) {
        w.u8(c->sessionPresent ? 1 : 0);
        w.u8(c->code);
        if (v5)
            writeProperties(w, c->properties);
        return frame(header(PacketType::Connack), w);
    }
    if (const auto *p = std::get_if<Publish>(&packet)) {
        if (p->qos > 2)
            return R::failure(tr("The PUBLISH QoS must be 0, 1 or 2."));
        w.string(p->topic);
        if (p->qos > 0)
            w.u16(p->packetId);
        if (v5)
            writeProperties(w, p->properties);
        w.raw(p->payload);
        const quint8 flags =
            static_cast<quint8>((p->dup && p->qos > 0 ? 0x08 : 0) | (p->qos << 1) | (p->retain ? 0x01 : 0));
        return frame(header(PacketType::Publish, flags), w);
    }
    if (const auto *a = std::get_if<PubAck>(&packet)) {
        if (a->type != PacketType::Puback && a->type != PacketType::Pubrec && a->type != PacketType::Pubrel &&
            a->type != PacketType::Pubcomp)
            return R::failure(tr("A PubAck must be PUBACK, PUBREC, PUBREL or PUBCOMP."));
        w.u16(a->packetId);
        if (v5 && (a->reasonCode != Reason::Success || !isEmpty(a->properties))) {
            w.u8(a->reasonCode);
            if (!isEmpty(a->properties))
                writeProperties(w, a->properties);
        }
        return frame(header(a->type, a->type == PacketType::Pubrel ? 0x02 : 0), w);
    }
    if (const auto *s = std::get_if<Subscribe>(&packet)) {
        if (s->subscriptions.isEmpty())
            return R::failure(tr("A SUBSCRIBE needs at least one topic filter."));
        w.u16(s->packetId);
        if (v5)
            writeProperties(w, s->properties);
        for (const Subscription &sub : s->subscriptions) {
            w.string(sub.topicFilter);
            quint8 options = sub.qos & 0x03;
            if (v5)
                options |= static_cast<quint8>((sub.noLocal ? 0x04 : 0) | (sub.retainAsPublished ? 0x08 : 0) |
                                               ((sub.retainHandling & 0x03) << 4));
            w.u8(options);
        }
        return frame(header(PacketType::Subscribe, 0x02), w);
    }
    if (const auto *s = std::get_if<Suback>(&packet)) {
        w.u16(s->packetId);
        if (v5)
            writeProperties(w, s->properties);
        for (quint8 code : s->reasonCodes)
            w.u8(code);
        return frame(header(PacketType::Suback), w);
    }
    if (const auto *u = std::get_if<Unsubscribe>(&packet)) {
        if (u->topicFilters.isEmpty())
            return R::failure(tr("An UNSUBSCRIBE needs at least one topic filter."));
        w.u16(u->packetId);
        if (v5)
            writeProperties(w, u->properties);
        for (const QString &filter : u->topicFilters)
            w.string(filter);
        return frame(header(PacketType::Unsubscribe, 0x02), w);
    }
    if (const auto *u = std::get_if<Unsuback>(&packet)) {
        w.u16(u->packetId);
        if (v5) {
            writeProperties(w, u->properties);
            for (quint8 code : u->reasonCodes)
                w.u8(code);
        }
        return frame(header(PacketType::Unsuback), w);
    }
    if (std::holds_alternative<Pingreq>(packet))
        return frame(header(PacketType::Pingreq), w);
    if (std::holds_alternative<Pingresp>(packet))
        return frame(header(PacketType::Pingresp), w);
    if (const auto *d = std::get_if<Disconnect>(&packet)) {
        if (v5 && (d->reasonCode != Reason::NormalDisconnection || !isEmpty(d->properties))) {
            w.u8(d->reasonCode);
            if (!isEmpty(d->properties))
                writeProperties(w, d->properties);
        }
        return frame(header(PacketType::Disconnect), w);
    }
    if (const auto *a = std::get_if<Auth>(&packet)) {
        if (!v5)
            return R::failure(tr("AUTH exists only in MQTT 5.0."));
        if (a->reasonCode != Reason::Success || !isEmpty(a->properties)) {
            w.u8(a->reasonCode);
            writeProperties(w, a->properties);
        }
        return frame(header(PacketType::Auth), w);
    }
    return R::failure(tr("Unknown packet."));
}

} // namespace wps::mqtt
