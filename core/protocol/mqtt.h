#pragma once

#include "common/expected.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

/// MQTT 3.1.1 and 5.0 control packets: value types, an encoder and an incremental decoder over a byte
/// stream (MQTT over WebSocket carries a byte stream: a packet may span binary frames, or a frame carry
/// several packets). No I/O: the emulator's MQTT endpoint and the live clients share it. Every malformed
/// input gives a DecodeError with the MQTT 5.0 reason code a server answers it with and a readable message.
namespace wps::mqtt {

/// The protocol level byte of CONNECT.
enum class Version : quint8 { V311 = 4, V5 = 5 };

enum class PacketType : quint8 {
    Connect = 1,
    Connack = 2,
    Publish = 3,
    Puback = 4,
    Pubrec = 5,
    Pubrel = 6,
    Pubcomp = 7,
    Subscribe = 8,
    Suback = 9,
    Unsubscribe = 10,
    Unsuback = 11,
    Pingreq = 12,
    Pingresp = 13,
    Disconnect = 14,
    Auth = 15, ///< 5.0 only
};

QString packetTypeName(PacketType type);

/// MQTT 5.0 reason codes used by this project (MQTT 5.0 section 2.4).
namespace Reason {
inline constexpr quint8 Success = 0x00;
inline constexpr quint8 GrantedQos0 = 0x00;
inline constexpr quint8 GrantedQos1 = 0x01;
inline constexpr quint8 GrantedQos2 = 0x02;
inline constexpr quint8 NormalDisconnection = 0x00;
inline constexpr quint8 DisconnectWithWill = 0x04;
inline constexpr quint8 NoMatchingSubscribers = 0x10;
inline constexpr quint8 NoSubscriptionExisted = 0x11;
inline constexpr quint8 UnspecifiedError = 0x80;
inline constexpr quint8 MalformedPacket = 0x81;
inline constexpr quint8 ProtocolError = 0x82;
inline constexpr quint8 ImplementationSpecificError = 0x83;
inline constexpr quint8 UnsupportedProtocolVersion = 0x84;
inline constexpr quint8 ClientIdentifierNotValid = 0x85;
inline constexpr quint8 BadUserNameOrPassword = 0x86;
inline constexpr quint8 NotAuthorized = 0x87;
inline constexpr quint8 ServerUnavailable = 0x88;
inline constexpr quint8 ServerBusy = 0x89;
inline constexpr quint8 SessionTakenOver = 0x8E;
inline constexpr quint8 KeepAliveTimeout = 0x8D;
inline constexpr quint8 TopicFilterInvalid = 0x8F;
inline constexpr quint8 TopicNameInvalid = 0x90;
inline constexpr quint8 PacketIdentifierInUse = 0x91;
inline constexpr quint8 PacketIdentifierNotFound = 0x92;
inline constexpr quint8 PacketTooLarge = 0x95;
inline constexpr quint8 QuotaExceeded = 0x97;
inline constexpr quint8 TopicAliasInvalid = 0x94;
inline constexpr quint8 PayloadFormatInvalid = 0x99;
inline constexpr quint8 RetainNotSupported = 0x9A;
inline constexpr quint8 QosNotSupported = 0x9B;
inline constexpr quint8 SharedSubscriptionsNotSupported = 0x9E;
inline constexpr quint8 SubscriptionIdentifiersNotSupported = 0xA1;
inline constexpr quint8 WildcardSubscriptionsNotSupported = 0xA2;
} // namespace Reason

/// MQTT 3.1.1 CONNACK return codes (section 3.2.2.3).
namespace ConnectReturn311 {
inline constexpr quint8 Accepted = 0;
inline constexpr quint8 UnacceptableProtocolVersion = 1;
inline constexpr quint8 IdentifierRejected = 2;
inline constexpr quint8 ServerUnavailable = 3;
inline constexpr quint8 BadUserNameOrPassword = 4;
inline constexpr quint8 NotAuthorized = 5;
} // namespace ConnectReturn311

/// A readable name of a 5.0 reason code ("Not authorized"), or "0x.." for codes without one.
QString reasonName(quint8 code);

struct UserProperty
{
    QString name;
    QString value;
    bool operator==(const UserProperty &) const = default;
};

/// MQTT 5.0 properties (section 2.2.2). Absent optionals were not on the wire. The decoder checks that each
/// property is allowed on its packet and appears at most once (user properties and subscription
/// identifiers may repeat).
struct Properties
{
    std::optional<quint8> payloadFormatIndicator;
    std::optional<quint32> messageExpiryInterval;
    std::optional<QString> contentType;
    std::optional<QString> responseTopic;
    std::optional<QByteArray> correlationData;
    QList<quint32> subscriptionIdentifiers;
    std::optional<quint32> sessionExpiryInterval;
    std::optional<QString> assignedClientIdentifier;
    std::optional<quint16> serverKeepAlive;
    std::optional<QString> authenticationMethod;
    std::optional<QByteArray> authenticationData;
    std::optional<quint8> requestProblemInformation;
    std::optional<quint32> willDelayInterval;
    std::optional<quint8> requestResponseInformation;
    std::optional<QString> responseInformation;
    std::optional<QString> serverReference;
    std::optional<QString> reasonString;
    std::optional<quint16> receiveMaximum;
    std::optional<quint16> topicAliasMaximum;
    std::optional<quint16> topicAlias;
    std::optional<quint8> maximumQos;
    std::optional<quint8> retainAvailable;
    QList<UserProperty> userProperties;
    std::optional<quint32> maximumPacketSize;
    std::optional<quint8> wildcardSubscriptionAvailable;
    std::optional<quint8> subscriptionIdentifierAvailable;
    std::optional<quint8> sharedSubscriptionAvailable;
    bool operator==(const Properties &) const = default;
};

struct Will
{
    QString topic;
    QByteArray payload;
    quint8 qos = 0;
    bool retain = false;
    Properties properties; ///< 5.0 will properties
    bool operator==(const Will &) const = default;
};

struct Connect
{
    Version version = Version::V311;
    bool cleanStart = true; ///< 3.1.1 "clean session"
    quint16 keepAlive = 0;  ///< seconds; 0 = off
    QString clientId;
    std::optional<Will> will;
    std::optional<QString> username;
    std::optional<QByteArray> password;
    Properties properties;
    bool operator==(const Connect &) const = default;
};

struct Connack
{
    bool sessionPresent = false;
    quint8 code = 0; ///< 3.1.1 return code or 5.0 reason code
    Properties properties;
    bool operator==(const Connack &) const = default;
};

struct Publish
{
    bool dup = false;
    quint8 qos = 0;
    bool retain = false;
    QString topic;
    quint16 packetId = 0; ///< QoS 1 and 2 only
    Properties properties;
    QByteArray payload;
    bool operator==(const Publish &) const = default;
};

/// PUBACK, PUBREC, PUBREL or PUBCOMP.
struct PubAck
{
    PacketType type = PacketType::Puback;
    quint16 packetId = 0;
    quint8 reasonCode = Reason::Success; ///< 5.0
    Properties properties;               ///< 5.0
    bool operator==(const PubAck &) const = default;
};

struct Subscription
{
    QString topicFilter;
    quint8 qos = 0;
    bool noLocal = false;           ///< 5.0
    bool retainAsPublished = false; ///< 5.0
    quint8 retainHandling = 0;      ///< 5.0
    bool operator==(const Subscription &) const = default;
};

struct Subscribe
{
    quint16 packetId = 0;
    Properties properties;
    QList<Subscription> subscriptions;
    bool operator==(const Subscribe &) const = default;
};

/// SUBACK (granted QoS or failure 0x80 in 3.1.1; reason codes in 5.0).
struct Suback
{
    quint16 packetId = 0;
    Properties properties;
    QList<quint8> reasonCodes;
    bool operator==(const Suback &) const = default;
};

struct Unsubscribe
{
    quint16 packetId = 0;
    Properties properties;
    QStringList topicFilters;
    bool operator==(const Unsubscribe &) const = default;
};

/// UNSUBACK; reason codes and properties only in 5.0.
struct Unsuback
{
    quint16 packetId = 0;
    Properties properties;
    QList<quint8> reasonCodes;
    bool operator==(const Unsuback &) const = default;
};

struct Pingreq
{
    bool operator==(const Pingreq &) const = default;
};
struct Pingresp
{
    bool operator==(const Pingresp &) const = default;
};

struct Disconnect
{
    quint8 reasonCode = Reason::NormalDisconnection; ///< 5.0
    Properties properties;                           ///< 5.0
    bool operator==(const Disconnect &) const = default;
};

/// 5.0 AUTH (decoded so that a server can refuse it clearly).
struct Auth
{
    quint8 reasonCode = Reason::Success;
    Properties properties;
    bool operator==(const Auth &) const = default;
};

using Packet = std::variant<Connect, Connack, Publish, PubAck, Subscribe, Suback, Unsubscribe, Unsuback,
                            Pingreq, Pingresp, Disconnect, Auth>;

PacketType packetType(const Packet &packet);

/// Encodes \a packet as \a version speaks it (CONNECT uses its own version field). 5.0-only fields are
/// left out for 3.1.1. Values out of range for the wire (a string over 65,535 bytes, a packet over
/// 268,435,455 bytes) give an error instead of bytes.
Expected<QByteArray, QString> encode(const Packet &packet, Version version);

/// Why bytes could not be decoded. \a reasonCode is what a 5.0 server puts into its DISCONNECT (or CONNACK,
/// for CONNECT): MalformedPacket, ProtocolError, PacketTooLarge or UnsupportedProtocolVersion.
struct DecodeError
{
    quint8 reasonCode = Reason::MalformedPacket;
    QString message;
    bool operator==(const DecodeError &) const = default;
};

/// Decodes one whole packet (fixed header included, nothing after it). CONNECT decodes whatever its
/// version; every other packet as \a version.
Expected<Packet, DecodeError> decodePacket(QByteArrayView bytes, Version version);

/// The largest packet the wire format can express (remaining length 268,435,455 + 5-byte header).
inline constexpr qsizetype kMaxWirePacketBytes = 268435455 + 5;

/// An incremental decoder over a byte stream: feed() bytes as they arrive, then take packets with next()
/// until it returns none. A packet larger than the limit is refused as soon as its length is known (its
/// bytes are never buffered). After an error the stream is unusable: every later next() repeats the error.
class Decoder
{
public:
    explicit Decoder(Version version = Version::V311, qsizetype maxPacketBytes = kMaxWirePacketBytes);

    /// The version packets after CONNECT are decoded as. A server sets it from the CONNECT it decoded.
    void setVersion(Version version) { m_version = version; }
    Version version() const { return m_version; }
    void setMaxPacketBytes(qsizetype bytes) { m_maxPacketBytes = bytes; }

    void feed(QByteArrayView bytes);
    /// The next complete packet, nullopt when more bytes are needed, or the stream's error.
    Expected<std::optional<Packet>, DecodeError> next();
    /// Bytes fed but not yet decoded.
    qsizetype buffered() const { return m_buffer.size() - m_pos; }
    bool failed() const { return m_error.has_value(); }

private:
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    Version m_version;
    qsizetype m_maxPacketBytes;
    std::optional<DecodeError> m_error;
};

/// A topic name a PUBLISH may carry: 1..65,535 bytes of UTF-8, no wildcard (`+`, `#`), no U+0000.
bool isValidTopicName(const QString &topic);
/// A topic filter a SUBSCRIBE may carry (wildcards in their places: `+` a whole level, `#` last level).
bool isValidTopicFilter(const QString &filter);
/// True for filters with `+` or `#`.
bool hasWildcard(const QString &filter);
/// True for `$share/{name}/{filter}` shared subscriptions (5.0).
bool isSharedSubscription(const QString &filter);

} // namespace wps::mqtt
