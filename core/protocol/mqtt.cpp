#include "protocol/mqtt.h"

#include <QCoreApplication>
#include <QSet>
#include <QStringDecoder>

using namespace Qt::Literals::StringLiterals;

namespace wps::mqtt {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::mqtt", text);
}

constexpr quint32 kMaxRemainingLength = 268435455;
constexpr qsizetype kMaxStringBytes = 65535;

// ---- properties ----------------------------------------------------------------------------------------

/// Where a property may appear: one bit per packet type, bit 0 for the will properties of CONNECT.
constexpr quint32 bit(PacketType type)
{
    return 1u << static_cast<quint8>(type);
}
constexpr quint32 kWill = 1u;
constexpr quint32 kAll = 0xFFFEu;

enum class PropKind { Byte, Two, Four, VarInt, String, Binary, Pair };

struct PropDef
{
    quint8 id;
    PropKind kind;
    quint32 allowed;
    const char *name;
};

constexpr PropDef kProps[] = {
    {0x01, PropKind::Byte, bit(PacketType::Publish) | kWill, "Payload Format Indicator"},
    {0x02, PropKind::Four, bit(PacketType::Publish) | kWill, "Message Expiry Interval"},
    {0x03, PropKind::String, bit(PacketType::Publish) | kWill, "Content Type"},
    {0x08, PropKind::String, bit(PacketType::Publish) | kWill, "Response Topic"},
    {0x09, PropKind::Binary, bit(PacketType::Publish) | kWill, "Correlation Data"},
    {0x0B, PropKind::VarInt, bit(PacketType::Publish) | bit(PacketType::Subscribe),
     "Subscription Identifier"},
    {0x11, PropKind::Four, bit(PacketType::Connect) | bit(PacketType::Connack) | bit(PacketType::Disconnect),
     "Session Expiry Interval"},
    {0x12, PropKind::String, bit(PacketType::Connack), "Assigned Client Identifier"},
    {0x13, PropKind::Two, bit(PacketType::Connack), "Server Keep Alive"},
    {0x15, PropKind::String, bit(PacketType::Connect) | bit(PacketType::Connack) | bit(PacketType::Auth),
     "Authentication Method"},
    {0x16, PropKind::Binary, bit(PacketType::Connect) | bit(PacketType::Connack) | bit(PacketType::Auth),
     "Authentication Data"},
    {0x17, PropKind::Byte, bit(PacketType::Connect), "Request Problem Information"},
    {0x18, PropKind::Four, kWill, "Will Delay Interval"},
    {0x19, PropKind::Byte, bit(PacketType::Connect), "Request Response Information"},
    {0x1A, PropKind::String, bit(PacketType::Connack), "Response Information"},
    {0x1C, PropKind::String, bit(PacketType::Connack) | bit(PacketType::Disconnect), "Server Reference"},
    {0x1F, PropKind::String,
     bit(PacketType::Connack) | bit(PacketType::Puback) | bit(PacketType::Pubrec) | bit(PacketType::Pubrel) |
         bit(PacketType::Pubcomp) | bit(PacketType::Suback) | bit(PacketType::Unsuback) |
         bit(PacketType::Disconnect) | bit(PacketType::Auth),
     "Reason String"},
    {0x21, PropKind::Two, bit(PacketType::Connect) | bit(PacketType::Connack), "Receive Maximum"},
    {0x22, PropKind::Two, bit(PacketType::Connect) | bit(PacketType::Connack), "Topic Alias Maximum"},
    {0x23, PropKind::Two, bit(PacketType::Publish), "Topic Alias"},
    {0x24, PropKind::Byte, bit(PacketType::Connack), "Maximum QoS"},
    {0x25, PropKind::Byte, bit(PacketType::Connack), "Retain Available"},
    {0x26, PropKind::Pair, kAll | kWill, "User Property"},
    {0x27, PropKind::Four, bit(PacketType::Connect) | bit(PacketType::Connack), "Maximum Packet Size"},
    {0x28, PropKind::Byte, bit(PacketType::Connack), "Wildcard Subscription Available"},
    {0x29, PropKind::Byte, bit(PacketType::Connack), "Subscription Identifier Available"},
    {0x2A, PropKind::Byte, bit(PacketType::Connack), "Shared Subscription Available"},
};

const PropDef *findProp(quint8 id)
{
    for (const PropDef &def : kProps)
        if (def.id == id)
            return &def;
    return nullptr;
}

// ---- reading -------------------------------------------------------------------------------------------

/// Reads big-endian MQTT data types from one packet; the first failure sticks.
class Reader
{
public:
    explicit Reader(QByteArrayView data)
        : m_data(data)
    {
    }
    bool ok() const { return !m_error; }
    bool atEnd() const { return m_pos >= m_data.size(); }
    qsizetype remaining() const { return m_data.size() - m_pos; }
    const DecodeError &error() const { return *m_error; }
    void fail(quint8 reason, const QString &message)
    {
        if (!m_error)
            m_error = DecodeError{reason, message};
    }
    bool need(qsizetype bytes, const char *what)
    {
        if (m_error)
            return false;
        if (remaining() < bytes) {
            fail(Reason::MalformedPacket, tr("The packet ends inside its %1.").arg(QLatin1StringView(what)));
            return false;
        }
        return true;
    }
    quint8 u8(const char *what)
    {
        if (!need(1, what))
            return 0;
        return static_cast<quint8>(m_data[m_pos++]);
    }
    quint16 u16(const char *what)
    {
        if (!need(2, what))
            return 0;
        const quint16 v = static_cast<quint16>((static_cast<quint8>(m_data[m_pos]) << 8) |
                                               static_cast<quint8>(m_data[m_pos + 1]));
        m_pos += 2;
        return v;
    }
    quint32 u32(const char *what)
    {
        if (!need(4, what))
            return 0;
        quint32 v = 0;
        for (int i = 0; i < 4; ++i)
            v = (v << 8) | static_cast<quint8>(m_data[m_pos + i]);
        m_pos += 4;
        return v;
    }
    quint32 varInt(const char *what)
    {
        quint32 value = 0;
        for (int i = 0; i < 4; ++i) {
            const quint8 byte = u8(what);
            if (!ok())
                return 0;
            value |= static_cast<quint32>(byte & 0x7F) << (7 * i);
            if ((byte & 0x80) == 0)
                return value;
        }
        fail(Reason::MalformedPacket,
             tr("A variable byte integer (%1) is longer than 4 bytes.").arg(QLatin1StringView(what)));
        return 0;
    }
    QByteArray binary(const char *what)
    {
        const quint16 length = u16(what);
        if (!need(length, what))
            return {};
        QByteArray bytes = m_data.sliced(m_pos, length).toByteArray();
        m_pos += length;
        return bytes;
    }
    QString string(const char *what)
    {
        const QByteArray bytes = binary(what);
        if (!ok())
            return {};
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        QString text = decoder(bytes);
        if (decoder.hasError()) {
            fail(Reason::MalformedPacket, tr("The %1 is not valid UTF-8.").arg(QLatin1StringView(what)));
            return {};
        }
        if (text.contains(QChar(u'\0'))) {
            fail(Reason::MalformedPacket,
                 tr("The %1 contains the character U+0000.").arg(QLatin1StringView(what)));
            return {};
        }
        return text;
    }
    QByteArrayView take(qsizetype bytes)
    {
        QByteArrayView view = m_data.sliced(m_pos, bytes);
        m_pos += bytes;
        return view;
    }
    QByteArrayView rest()
    {
        QByteArrayView view = m_data.sliced(m_pos);
        m_pos = m_data.size();
        return view;
    }

private:
    QByteArrayView m_data;
    qsizetype m_pos = 0;
    std::optional<DecodeError> m_error;
};

void readProperties(Reader &r, quint32 context, Properties &p)
{
    const quint32 length = r.varInt("property length");
    if (!r.ok())
        return;
    if (length > static_cast<quint32>(r.remaining())) {
        r.fail(Reason::MalformedPacket, tr("The property length runs past the end of the packet."));
        return;
    }
    Reader props(r.take(length));
    QSet<quint8> seen;
    while (props.ok() && !props.atEnd()) {
        const quint8 id = static_cast<quint8>(props.varInt("property identifier"));
        if (!props.ok())
            break;
        const PropDef *def = findProp(id);
        if (!def) {
            props.fail(
                Reason::MalformedPacket,
                tr("Unknown property identifier 0x%1.").arg(static_cast<uint>(id), 2, 16, QChar(u'0')));
            break;
        }
        if ((def->allowed & context) == 0) {
            props.fail(Reason::ProtocolError,
                       tr("The property %1 is not allowed here.").arg(QLatin1StringView(def->name)));
            break;
        }
        if (id != 0x26 && id != 0x0B) {
            if (seen.contains(id)) {
                props.fail(Reason::ProtocolError,
                           tr("The property %1 appears more than once.").arg(QLatin1StringView(def->name)));
                break;
            }
            seen.insert(id);
        }
        switch (id) {
        case 0x01:
            p.payloadFormatIndicator = props.u8(def->name);
            break;
        case 0x02:
            p.messageExpiryInterval = props.u32(def->name);
            break;
        case 0x03:
            p.contentType = props.string(def->name);
            break;
        case 0x08:
            p.responseTopic = props.string(def->name);
            break;
        case 0x09:
            p.correlationData = props.binary(def->name);
            break;
        case 0x0B: {
            const quint32 v = props.varInt(def->name);
            if (props.ok() && v == 0)
                props.fail(Reason::ProtocolError, tr("A Subscription Identifier of 0 is not allowed."));
            p.subscriptionIdentifiers.append(v);
            break;
        }
        case 0x11:
            p.sessionExpiryInterval = props.u32(def->name);
            break;
        case 0x12:
            p.assignedClientIdentifier = props.string(def->name);
            break;
        case 0x13:
            p.serverKeepAlive = props.u16(def->name);
            break;
        case 0x15:
            p.authenticationMethod = props.string(def->name);
            break;
        case 0x16:
            p.authenticationData = props.binary(def->name);
            break;
        case 0x17:
            p.requestProblemInformation = props.u8(def->name);
            break;
        case 0x18:
            p.willDelayInterval = props.u32(def->name);
            break;
        case 0x19:
            p.requestResponseInformation = props.u8(def->name);
            break;
        case 0x1A:
            p.responseInformation = props.string(def->name);
            break;
        case 0x1C:
            p.serverReference = props.string(def->name);
            break;
        case 0x1F:
            p.reasonString = props.string(def->name);
            break;
        case 0x21:
            p.receiveMaximum = props.u16(def->name);
            break;
        case 0x22:
            p.topicAliasMaximum = props.u16(def->name);
            break;
        case 0x23:
            p.topicAlias = props.u16(def->name);
            break;
        case 0x24:
            p.maximumQos = props.u8(def->name);
            break;
        case 0x25:
            p.retainAvailable = props.u8(def->name);
            break;
        case 0x26: {
            UserProperty up;
            up.name = props.string("user property name");
            up.value = props.string("user property value");
            p.userProperties.append(up);
            break;
        }
        case 0x27:
            p.maximumPacketSize = props.u32(def->name);
            break;
        case 0x28:
            p.wildcardSubscriptionAvailable = props.u8(def->name);
            break;
        case 0x29:
            p.subscriptionIdentifierAvailable = props.u8(def->name);
            break;
        case 0x2A:
            p.sharedSubscriptionAvailable = props.u8(def->name);
            break;
        default:
            break;
        }
        if (props.ok() && def->kind == PropKind::Byte) {
            // Every byte property is 0 or 1 (Maximum QoS included: a server sends only 0 or 1).
            const quint8 value = id == 0x01   ? *p.payloadFormatIndicator
                                 : id == 0x17 ? *p.requestProblemInformation
                                 : id == 0x19 ? *p.requestResponseInformation
                                 : id == 0x24 ? *p.maximumQos
                                 : id == 0x25 ? *p.retainAvailable
                                 : id == 0x28 ? *p.wildcardSubscriptionAvailable
                                 : id == 0x29 ? *p.subscriptionIdentifierAvailable
                                              : *p.sharedSubscriptionAvailable;
            if (value > 1)
                props.fail(Reason::ProtocolError, tr("The property %1 has the invalid value %2.")
                                                      .arg(QLatin1StringView(def->name))
                                                      .arg(value));
        }
        if (props.ok() && (id == 0x21 || id == 0x27)) {
            const quint32 value = id == 0x21 ? *p.receiveMaximum : *p.maximumPacketSize;
            if (value == 0)
                props.fail(Reason::ProtocolError,
                           tr("The property %1 must not be 0.").arg(QLatin1StringView(def->name)));
        }
    }
    if (!props.ok())
        r.fail(props.error().reasonCode, props.error().message);
}

// ---- writing -------------------------------------------------------------------------------------------

class Writer
{
public:
    void u8(quint8 v) { m_out.append(static_cast<char>(v)); }
    void u16(quint16 v)
    {
        u8(static_cast<quint8>(v >> 8));
        u8(static_cast<quint8>(v & 0xFF));
    }
    void u32(quint32 v)
    {
        for (int shift = 24; shift >= 0; shift -= 8)
            u8(static_cast<quint8>((v >> shift) & 0xFF));
    }
    void varInt(quint32 v)
    {
        if (v > kMaxRemainingLength) {
            fail(tr("A variable byte integer is larger than 268,435,455."));
            return;
        }
        do {
            quint8 byte = v & 0x7F;
            v >>= 7;
            if (v)
                byte |= 0x80;
            u8(byte);
        } while (v);
    }
    void binary(QByteArrayView bytes)
    {
        if (bytes.size() > kMaxStringBytes) {
            fail(tr("A string or binary field is longer than 65,535 bytes."));
            return;
        }
        u16(static_cast<quint16>(bytes.size()));
        m_out.append(bytes);
    }
    void string(const QString &text) { binary(text.toUtf8()); }
    void raw(QByteArrayView bytes) { m_out.append(bytes); }
    void fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = message;
    }
    const QString &error() const { return m_error; }
    QByteArray &bytes() { return m_out; }

private:
    QByteArray m_out;
    QString m_error;
};

void writeProperties(Writer &w, const Properties &p)
{
    Writer body;
    auto str = [&body](quint8 id, const std::optional<QString> &v) {
        if (v) {
            body.u8(id);
            body.string(*v);
        }
    };
    auto bin = [&body](quint8 id, const std::optional<QByteArray> &v) {
        if (v) {
            body.u8(id);
            body.binary(*v);
        }
    };
    auto byte = [&body](quint8 id, const std::optional<quint8> &v) {
        if (v) {
            body.u8(id);
            body.u8(*v);
        }
    };
    auto two = [&body](quint8 id, const std::optional<quint16> &v) {
        if (v) {
            body.u8(id);
            body.u16(*v);
        }
    };
    auto four = [&body](quint8 id, const std::optional<quint32> &v) {
        if (v) {
            body.u8(id);
            body.u32(*v);
        }
    };
    byte(0x01, p.payloadFormatIndicator);
    four(0x02, p.messageExpiryInterval);
    str(0x03, p.contentType);
    str(0x08, p.responseTopic);
    bin(0x09, p.correlationData);
    for (quint32 id : p.subscriptionIdentifiers) {
        body.u8(0x0B);
        body.varInt(id);
    }
    four(0x11, p.sessionExpiryInterval);
    str(0x12, p.assignedClientIdentifier);
    two(0x13, p.serverKeepAlive);
    str(0x15, p.authenticationMethod);
    bin(0x16, p.authenticationData);
    byte(0x17, p.requestProblemInformation);
    four(0x18, p.willDelayInterval);
    byte(0x19, p.requestResponseInformation);
    str(0x1A, p.responseInformation);
    str(0x1C, p.serverReference);
    str(0x1F, p.reasonString);
    two(0x21, p.receiveMaximum);
    two(0x22, p.topicAliasMaximum);
    two(0x23, p.topicAlias);
    byte(0x24, p.maximumQos);
    byte(0x25, p.retainAvailable);
    for (const UserProperty &up : p.userProperties) {
        body.u8(0x26);
        body.string(up.name);
        body.string(up.value);
    }
    four(0x27, p.maximumPacketSize);
    byte(0x28, p.wildcardSubscriptionAvailable);
    byte(0x29, p.subscriptionIdentifierAvailable);
    byte(0x2A, p.sharedSubscriptionAvailable);
    if (!body.error().isEmpty())
        w.fail(body.error());
    w.varInt(static_cast<quint32>(body.bytes().size()));
    w.raw(body.bytes());
}

bool isEmpty(const Properties &p)
{
    return p == Properties{};
}

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

QString packetTypeName(PacketType type)
{
    switch (type) {
    case PacketType::Connect:
        return u"CONNECT"_s;
    case PacketType::Connack:
        return u"CONNACK"_s;
    case PacketType::Publish:
        return u"PUBLISH"_s;
    case PacketType::Puback:
        return u"PUBACK"_s;
    case PacketType::Pubrec:
        return u"PUBREC"_s;
    case PacketType::Pubrel:
        return u"PUBREL"_s;
    case PacketType::Pubcomp:
        return u"PUBCOMP"_s;
    case PacketType::Subscribe:
        return u"SUBSCRIBE"_s;
    case PacketType::Suback:
        return u"SUBACK"_s;
    case PacketType::Unsubscribe:
        return u"UNSUBSCRIBE"_s;
    case PacketType::Unsuback:
        return u"UNSUBACK"_s;
    case PacketType::Pingreq:
        return u"PINGREQ"_s;
    case PacketType::Pingresp:
        return u"PINGRESP"_s;
    case PacketType::Disconnect:
        return u"DISCONNECT"_s;
    case PacketType::Auth:
        return u"AUTH"_s;
    }
    return u"?"_s;
}

QString reasonName(quint8 code)
{
    switch (code) {
    case Reason::Success:
        return u"Success"_s;
    case Reason::GrantedQos1:
        return u"Granted QoS 1"_s;
    case Reason::GrantedQos2:
        return u"Granted QoS 2"_s;
    case Reason::DisconnectWithWill:
        return u"Disconnect with will message"_s;
    case Reason::NoMatchingSubscribers:
        return u"No matching subscribers"_s;
    case Reason::NoSubscriptionExisted:
        return u"No subscription existed"_s;
    case Reason::UnspecifiedError:
        return u"Unspecified error"_s;
    case Reason::MalformedPacket:
        return u"Malformed packet"_s;
    case Reason::ProtocolError:
        return u"Protocol error"_s;
    case Reason::ImplementationSpecificError:
        return u"Implementation specific error"_s;
    case Reason::UnsupportedProtocolVersion:
        return u"Unsupported protocol version"_s;
    case Reason::ClientIdentifierNotValid:
        return u"Client identifier not valid"_s;
    case Reason::BadUserNameOrPassword:
        return u"Bad user name or password"_s;
    case Reason::NotAuthorized:
        return u"Not authorized"_s;
    case Reason::ServerUnavailable:
        return u"Server unavailable"_s;
    case Reason::ServerBusy:
        return u"Server busy"_s;
    case Reason::KeepAliveTimeout:
        return u"Keep alive timeout"_s;
    case Reason::SessionTakenOver:
        return u"Session taken over"_s;
    case Reason::TopicFilterInvalid:
        return u"Topic filter invalid"_s;
    case Reason::TopicNameInvalid:
        return u"Topic name invalid"_s;
    case Reason::PacketIdentifierInUse:
        return u"Packet identifier in use"_s;
    case Reason::PacketIdentifierNotFound:
        return u"Packet identifier not found"_s;
    case Reason::TopicAliasInvalid:
        return u"Topic alias invalid"_s;
    case Reason::PacketTooLarge:
        return u"Packet too large"_s;
    case Reason::QuotaExceeded:
        return u"Quota exceeded"_s;
    case Reason::PayloadFormatInvalid:
        return u"Payload format invalid"_s;
    case Reason::RetainNotSupported:
        return u"Retain not supported"_s;
    case Reason::QosNotSupported:
        return u"QoS not supported"_s;
    case Reason::SharedSubscriptionsNotSupported:
        return u"Shared subscriptions not supported"_s;
    case Reason::SubscriptionIdentifiersNotSupported:
        return u"Subscription identifiers not supported"_s;
    case Reason::WildcardSubscriptionsNotSupported:
        return u"Wildcard subscriptions not supported"_s;
    default:
        return u"0x%1"_s.arg(static_cast<uint>(code), 2, 16, QChar(u'0'));
    }
}

PacketType packetType(const Packet &packet)
{
    struct Visitor
    {
        PacketType operator()(const Connect &) const { return PacketType::Connect; }
        PacketType operator()(const Connack &) const { return PacketType::Connack; }
        PacketType operator()(const Publish &) const { return PacketType::Publish; }
        PacketType operator()(const PubAck &a) const { return a.type; }
        PacketType operator()(const Subscribe &) const { return PacketType::Subscribe; }
        PacketType operator()(const Suback &) const { return PacketType::Suback; }
        PacketType operator()(const Unsubscribe &) const { return PacketType::Unsubscribe; }
        PacketType operator()(const Unsuback &) const { return PacketType::Unsuback; }
        PacketType operator()(const Pingreq &) const { return PacketType::Pingreq; }
        PacketType operator()(const Pingresp &) const { return PacketType::Pingresp; }
        PacketType operator()(const Disconnect &) const { return PacketType::Disconnect; }
        PacketType operator()(const Auth &) const { return PacketType::Auth; }
    };
    return std::visit(Visitor{}, packet);
}

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

bool hasWildcard(const QString &filter)
{
    return filter.contains(u'+') || filter.contains(u'#');
}

bool isSharedSubscription(const QString &filter)
{
    return filter.startsWith(u"$share/"_s);
}

bool isValidTopicName(const QString &topic)
{
    return !topic.isEmpty() && topic.toUtf8().size() <= kMaxStringBytes && !hasWildcard(topic) &&
           !topic.contains(QChar(u'\0'));
}

bool isValidTopicFilter(const QString &filter)
{
    if (filter.isEmpty() || filter.toUtf8().size() > kMaxStringBytes || filter.contains(QChar(u'\0')))
        return false;
    const QStringList levels = filter.split(u'/');
    for (qsizetype i = 0; i < levels.size(); ++i) {
        const QString &level = levels.at(i);
        if (level.contains(u'#') && (level != u"#"_s || i != levels.size() - 1))
            return false;
        if (level.contains(u'+') && level != u"+"_s)
            return false;
    }
    return true;
}

} // namespace wps::mqtt
