#include "protocol/mqtt_p.h"

#include <QSet>

using namespace Qt::Literals::StringLiterals;

// MQTT 5.0 properties: which may appear where, reading them (with the checks of the specification) and
// writing them.

namespace wps::mqtt::detail {

namespace {

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

// The field of a property of each kind, by identifier (kProps gives each identifier its kind).

std::optional<quint8> &byteField(Properties &p, quint8 id)
{
    switch (id) {
    case 0x01:
        return p.payloadFormatIndicator;
    case 0x17:
        return p.requestProblemInformation;
    case 0x19:
        return p.requestResponseInformation;
    case 0x24:
        return p.maximumQos;
    case 0x25:
        return p.retainAvailable;
    case 0x28:
        return p.wildcardSubscriptionAvailable;
    case 0x29:
        return p.subscriptionIdentifierAvailable;
    default:
        return p.sharedSubscriptionAvailable; // 0x2A
    }
}

std::optional<quint16> &twoByteField(Properties &p, quint8 id)
{
    switch (id) {
    case 0x13:
        return p.serverKeepAlive;
    case 0x21:
        return p.receiveMaximum;
    case 0x22:
        return p.topicAliasMaximum;
    default:
        return p.topicAlias; // 0x23
    }
}

std::optional<quint32> &fourByteField(Properties &p, quint8 id)
{
    switch (id) {
    case 0x02:
        return p.messageExpiryInterval;
    case 0x11:
        return p.sessionExpiryInterval;
    case 0x18:
        return p.willDelayInterval;
    default:
        return p.maximumPacketSize; // 0x27
    }
}

std::optional<QString> &stringField(Properties &p, quint8 id)
{
    switch (id) {
    case 0x03:
        return p.contentType;
    case 0x08:
        return p.responseTopic;
    case 0x12:
        return p.assignedClientIdentifier;
    case 0x15:
        return p.authenticationMethod;
    case 0x1A:
        return p.responseInformation;
    case 0x1C:
        return p.serverReference;
    default:
        return p.reasonString; // 0x1F
    }
}

std::optional<QByteArray> &binaryField(Properties &p, quint8 id)
{
    return id == 0x09 ? p.correlationData : p.authenticationData; // 0x16
}

/// The definition of the property \a id read next, or nullptr after failing \a props: an unknown identifier,
/// a property not allowed in \a context, or one that may appear once appearing again.
const PropDef *acceptProperty(Reader &props, quint8 id, quint32 context, QSet<quint8> &seen)
{
    const PropDef *def = findProp(id);
    if (!def) {
        props.fail(Reason::MalformedPacket,
                   tr("Unknown property identifier 0x%1.").arg(static_cast<uint>(id), 2, 16, QChar(u'0')));
        return nullptr;
    }
    if ((def->allowed & context) == 0) {
        props.fail(Reason::ProtocolError,
                   tr("The property %1 is not allowed here.").arg(QLatin1StringView(def->name)));
        return nullptr;
    }
    if (id != 0x26 && id != 0x0B) {
        if (seen.contains(id)) {
            props.fail(Reason::ProtocolError,
                       tr("The property %1 appears more than once.").arg(QLatin1StringView(def->name)));
            return nullptr;
        }
        seen.insert(id);
    }
    return def;
}

/// Reads the value of the property \a def into its field of \a p.
void readValue(Reader &props, const PropDef &def, Properties &p)
{
    switch (def.kind) {
    case PropKind::Byte:
        byteField(p, def.id) = props.u8(def.name);
        break;
    case PropKind::Two:
        twoByteField(p, def.id) = props.u16(def.name);
        break;
    case PropKind::Four:
        fourByteField(p, def.id) = props.u32(def.name);
        break;
    case PropKind::String:
        stringField(p, def.id) = props.string(def.name);
        break;
    case PropKind::Binary:
        binaryField(p, def.id) = props.binary(def.name);
        break;
    case PropKind::VarInt: { // Subscription Identifier, the only one
        const quint32 v = props.varInt(def.name);
        if (props.ok() && v == 0)
            props.fail(Reason::ProtocolError, tr("A Subscription Identifier of 0 is not allowed."));
        p.subscriptionIdentifiers.append(v);
        break;
    }
    case PropKind::Pair: { // User Property, the only one
        UserProperty up;
        up.name = props.string("user property name");
        up.value = props.string("user property value");
        p.userProperties.append(up);
        break;
    }
    }
}

/// Fails \a props when the value just read for \a def is out of its range.
void checkValue(Reader &props, const PropDef &def, Properties &p)
{
    if (props.ok() && def.kind == PropKind::Byte) {
        // Every byte property is 0 or 1 (Maximum QoS included: a server sends only 0 or 1).
        const quint8 value = *byteField(p, def.id);
        if (value > 1)
            props.fail(
                Reason::ProtocolError,
                tr("The property %1 has the invalid value %2.").arg(QLatin1StringView(def.name)).arg(value));
    }
    if (props.ok() && (def.id == 0x21 || def.id == 0x27)) {
        const quint32 value = def.id == 0x21 ? *p.receiveMaximum : *p.maximumPacketSize;
        if (value == 0)
            props.fail(Reason::ProtocolError,
                       tr("The property %1 must not be 0.").arg(QLatin1StringView(def.name)));
    }
}

} // namespace

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
        const PropDef *def = acceptProperty(props, id, context, seen);
        if (!def)
            break;
        readValue(props, *def, p);
        checkValue(props, *def, p);
    }
    if (!props.ok())
        r.fail(props.error().reasonCode, props.error().message);
}

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

} // namespace wps::mqtt::detail
