#include "protocol/mqtt_p.h"

using namespace Qt::Literals::StringLiterals;

// The MQTT codec's names (packet types, reason codes) and topic rules. Decoding is in mqttdecode.cpp,
// encoding in mqttencode.cpp, properties in mqttproperties.cpp.

namespace wps::mqtt {

using namespace detail;

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
