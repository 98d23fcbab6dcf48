// The MQTT endpoint (/clients/mqtt/hubs/{hub}) against a real emulator on loopback: CONNECT refusals,
// topics as groups, permissions, REST sends and closes, MQTT <-> json clients, wills and takeovers. The
// client is Qt's QWebSocket carrying packets made by the same codec (core/protocol/mqtt.h), whose byte
// layout its own unit tests check against the specification.
#include "emulator/emulator.h"
#include "emulator/mqttendpoint.h"
#include "protocol/jwt.h"
#include "protocol/mqtt.h"
#include "support/printers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace wps::emulator;
namespace mq = wps::mqtt;

namespace {

const QString kKey = u"mqtt-test-key-0123456789abcdefghijklmnopq"_s;
const QStringList kAllRoles{u"webpubsub.joinLeaveGroup"_s, u"webpubsub.sendToGroup"_s};

/// A minimal MQTT client: QWebSocket (subprotocol `mqtt`) plus the codec.
struct MqttClient
{
    MqttClient(const QUrl &url, mq::Connect connect, const QStringList &protocols = {u"mqtt"_s})
        : version(connect.version)
        , decoder(connect.version)
    {
        QObject::connect(&ws, &QWebSocket::connected, &ws, [this, connect] { send(connect); });
        QObject::connect(&ws, &QWebSocket::binaryMessageReceived, &ws, [this](const QByteArray &bytes) {
            decoder.feed(bytes);
            for (int i = 0; i < 1000; ++i) {
                auto next = decoder.next();
                if (!next) {
                    error = next.error().message;
                    return;
                }
                if (!*next)
                    return;
                packets.append(**next);
            }
        });
        QObject::connect(&ws, &QWebSocket::disconnected, &ws, [this] { closed = true; });
        QObject::connect(&ws, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), &ws,
                         [this](QAbstractSocket::SocketError) { closed = true; });
        QWebSocketHandshakeOptions options;
        options.setSubprotocols(protocols);
        ws.open(QNetworkRequest(url), options);
    }
    void send(const mq::Packet &packet)
    {
        auto bytes = mq::encode(packet, version);
        ASSERT_TRUE(bytes.hasValue());
        ws.sendBinaryMessage(*bytes);
    }
    /// Waits for the first packet of type T not taken yet (packets of other types stay); nullopt on timeout
    /// or close.
    template <typename T>
    std::optional<T> next(int timeoutMs = 5000)
    {
        auto find = [&]() -> qsizetype {
            for (qsizetype i = 0; i < packets.size(); ++i)
                if (!taken.contains(i) && std::holds_alternative<T>(packets.at(i)))
                    return i;
            return -1;
        };
        const bool got = QTest::qWaitFor([&] { return find() >= 0 || closed; }, timeoutMs);
        Q_UNUSED(got)
        const qsizetype i = find();
        if (i < 0)
            return std::nullopt;
        taken.insert(i);
        return std::get<T>(packets.at(i));
    }
    /// True when an untaken packet of type T has arrived.
    template <typename T>
    bool has() const
    {
        for (qsizetype i = 0; i < packets.size(); ++i)
            if (!taken.contains(i) && std::holds_alternative<T>(packets.at(i)))
                return true;
        return false;
    }
    bool waitClosed()
    {
        return QTest::qWaitFor([this] { return closed; }, 5000);
    }
    mq::Version version;
    mq::Decoder decoder;
    QWebSocket ws;
    QList<mq::Packet> packets;
    QSet<qsizetype> taken;
    QString error;
    bool closed = false;
};

mq::Connect connectPacket(const QString &clientId, mq::Version version = mq::Version::V311)
{
    mq::Connect c;
    c.version = version;
    c.clientId = clientId;
    c.keepAlive = 60;
    return c;
}

class MqttTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        EmulatorOptions options;
        options.accessKey = kKey;
        options.config.hubs[u"anon"_s].anonymousConnect = true;
        options.client.socket.closeTimeout = 300ms;
        m_emulator = std::make_unique<Emulator>(options);
        auto started = m_emulator->start();
        ASSERT_TRUE(started) << started.error().toStdString();
        m_port = *started;
    }

    QString authority() const { return u"127.0.0.1:%1"_s.arg(m_port); }

    QByteArray token(const QStringList &roles = kAllRoles, const QString &hub = u"chat"_s,
                     const QString &user = {}, const QString &path = u"/clients/mqtt/hubs/"_s) const
    {
        QJsonObject claims{{u"aud"_s, QString(u"http://"_s + authority() + path + hub)},
                           {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 3600}};
        if (!roles.isEmpty())
            claims.insert(u"role"_s, QJsonArray::fromStringList(roles));
        if (!user.isEmpty())
            claims.insert(u"sub"_s, user);
        return wps::jwt::signHs256(claims, kKey.toUtf8());
    }
    QUrl url(const QByteArray &accessToken, const QString &hub = u"chat"_s) const
    {
        QString text = u"ws://"_s + authority() + u"/clients/mqtt/hubs/"_s + hub;
        if (!accessToken.isEmpty())
            text += u"?access_token="_s + QString::fromLatin1(accessToken);
        return QUrl(text);
    }
    /// A client whose CONNACK accepted it.
    std::unique_ptr<MqttClient> connected(const QString &clientId, mq::Version version = mq::Version::V311,
                                          const QStringList &roles = kAllRoles)
    {
        auto client = std::make_unique<MqttClient>(url(token(roles)), connectPacket(clientId, version));
        const auto ack = client->next<mq::Connack>();
        EXPECT_TRUE(ack.has_value());
        if (ack)
            EXPECT_EQ(ack->code, 0);
        return client;
    }
    /// Subscribes and returns the SUBACK codes.
    QList<quint8> subscribe(MqttClient &client, const QStringList &filters, quint8 qos = 1)
    {
        mq::Subscribe s;
        s.packetId = ++m_packetId;
        for (const QString &f : filters)
            s.subscriptions.append({f, qos, false, false, 0});
        client.send(s);
        const auto ack = client.next<mq::Suback>();
        EXPECT_TRUE(ack.has_value());
        if (!ack)
            return {};
        EXPECT_EQ(ack->packetId, s.packetId);
        return ack->reasonCodes;
    }

    int rest(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body = {},
             const QByteArray &contentType = "text/plain")
    {
        const QUrl target(u"http://"_s + authority() + pathAndQuery);
        QNetworkRequest request(target);
        request.setRawHeader("Content-Type", contentType);
        const QJsonObject claims{{u"aud"_s, target.toString(QUrl::FullyEncoded)},
                                 {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 3600}};
        request.setRawHeader("Authorization", "Bearer " + wps::jwt::signHs256(claims, kKey.toUtf8()));
        QNetworkReply *reply =
            method == "HEAD" ? m_nam.head(request) : m_nam.sendCustomRequest(request, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished()) {
            EXPECT_TRUE(finished.wait(10000));
        }
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return status;
    }

    /// A json.webpubsub.azure.v1 client of hub "chat" as \a user with every role, joined to \a group; every
    /// text frame it receives is appended to \a texts (the first two: connected, the join's ack).
    std::unique_ptr<QWebSocket> openJsonMember(const QString &user, const QString &group, QStringList *texts)
    {
        auto json = std::make_unique<QWebSocket>();
        QObject::connect(json.get(), &QWebSocket::textMessageReceived, json.get(),
                         [texts](const QString &t) { *texts << t; });
        QWebSocketHandshakeOptions options;
        options.setSubprotocols({u"json.webpubsub.azure.v1"_s});
        json->open(
            QNetworkRequest(QUrl(u"ws://"_s + authority() + u"/client/hubs/chat?access_token="_s +
                                 QString::fromLatin1(token(kAllRoles, u"chat"_s, user, u"/client/hubs/"_s)))),
            options);
        EXPECT_TRUE(QTest::qWaitFor([&] { return !texts->isEmpty(); }, 5000)); // connected
        json->sendTextMessage(uR"({"type":"joinGroup","group":")"_s + group + uR"(","ackId":1})"_s);
        EXPECT_TRUE(QTest::qWaitFor([&] { return texts->size() >= 2; }, 5000)); // ack
        return json;
    }

    std::unique_ptr<Emulator> m_emulator;
    quint16 m_port = 0;
    quint16 m_packetId = 0;
    QNetworkAccessManager m_nam;
};

} // namespace

TEST_F(MqttTest, ClientsOf311And5PublishAndSubscribeThroughTopicsAsGroups)
{
    auto a = connected(u"alice"_s, mq::Version::V311);
    auto b = connected(u"bob"_s, mq::Version::V5);
    EXPECT_EQ(subscribe(*a, {u"room"_s}), QList<quint8>{1});
    EXPECT_EQ(subscribe(*b, {u"room"_s}, 2), QList<quint8>{2}); // granted as asked

    mq::Publish publish;
    publish.topic = u"room"_s;
    publish.qos = 1;
    publish.packetId = 7;
    publish.payload = "hello from 3.1.1";
    a->send(publish);
    const auto ack = a->next<mq::PubAck>();
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(ack->packetId, 7);
    const auto got = b->next<mq::Publish>();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->topic, u"room"_s);
    EXPECT_EQ(got->payload, QByteArray("hello from 3.1.1"));
    EXPECT_EQ(got->qos, 1); // out at QoS 1, whatever was granted
    b->send(mq::PubAck{mq::PacketType::Puback, got->packetId, 0, {}});
    // The publisher is subscribed too, and gets its own message.
    const auto echo = a->next<mq::Publish>();
    ASSERT_TRUE(echo.has_value());
    EXPECT_EQ(echo->payload, QByteArray("hello from 3.1.1"));

    // QoS 2 from 5.0: PUBREC, then PUBCOMP after PUBREL; a resend before PUBREL is not delivered twice.
    mq::Publish exactlyOnce;
    exactlyOnce.topic = u"room"_s;
    exactlyOnce.qos = 2;
    exactlyOnce.packetId = 9;
    exactlyOnce.payload = "once";
    b->send(exactlyOnce);
    exactlyOnce.dup = true;
    b->send(exactlyOnce);
    const auto rec = b->next<mq::PubAck>();
    ASSERT_TRUE(rec.has_value());
    EXPECT_EQ(rec->type, mq::PacketType::Pubrec);
    b->send(mq::PubAck{mq::PacketType::Pubrel, 9, 0, {}});
    std::optional<mq::PubAck> comp;
    for (int i = 0; i < 3 && (!comp || comp->type != mq::PacketType::Pubcomp); ++i)
        comp = b->next<mq::PubAck>();
    ASSERT_TRUE(comp.has_value());
    EXPECT_EQ(comp->type, mq::PacketType::Pubcomp);
    const auto once = a->next<mq::Publish>();
    ASSERT_TRUE(once.has_value());
    EXPECT_EQ(once->payload, QByteArray("once"));
    // A ping bounds the wait for a second copy: it is answered after anything published before it.
    a->send(mq::Pingreq{});
    ASSERT_TRUE(a->next<mq::Pingresp>().has_value());
    EXPECT_FALSE(a->has<mq::Publish>());
}

TEST_F(MqttTest, ConnectRefusalsAreConnackCodes)
{
    struct Case
    {
        QUrl url;
        mq::Connect connect;
        quint8 expected;
    };
    mq::Connect badId = connectPacket(u"bad-id"_s);
    mq::Connect badId5 = connectPacket(u"bad_id"_s, mq::Version::V5);
    mq::Connect noKeepAlive = connectPacket(u"k0"_s);
    noKeepAlive.keepAlive = 0;
    mq::Connect longKeepAlive = connectPacket(u"k181"_s);
    longKeepAlive.keepAlive = 181;
    mq::Connect bigWill = connectPacket(u"will1"_s, mq::Version::V5);
    bigWill.will = mq::Will{u"room"_s, QByteArray(2001, 'w'), 0, false, {}};
    const QList<Case> cases{
        {url(token(kAllRoles, u"chat"_s, {}, u"/client/hubs/"_s)), connectPacket(u"aud"_s),
         5}, // wrong audience
        {url(token(kAllRoles, u"chat"_s, {}, u"/client/hubs/"_s)), connectPacket(u"aud5"_s, mq::Version::V5),
         mq::Reason::NotAuthorized},
        {url("not-a-token"), connectPacket(u"garbage"_s), 5},
        {url({}), connectPacket(u"anonymous"_s), 5}, // hub chat allows no anonymous connections
        {url(token()), badId, mq::ConnectReturn311::IdentifierRejected},
        {url(token()), badId5, mq::Reason::ClientIdentifierNotValid},
        {url(token()), connectPacket(QString(129, u'a')), mq::ConnectReturn311::IdentifierRejected},
        {url(token()), noKeepAlive, mq::ConnectReturn311::ServerUnavailable},
        {url(token()), longKeepAlive, mq::ConnectReturn311::ServerUnavailable},
        {url(token()), bigWill, mq::Reason::PacketTooLarge},
    };
    for (const Case &c : cases) {
        SCOPED_TRACE(c.connect.clientId.toStdString());
        MqttClient client(c.url, c.connect);
        const auto ack = client.next<mq::Connack>();
        ASSERT_TRUE(ack.has_value());
        EXPECT_EQ(ack->code, c.expected);
        if (c.connect.version == mq::Version::V5)
            EXPECT_TRUE(ack->properties.reasonString.has_value());
        EXPECT_TRUE(client.waitClosed());
    }
    // The anonymous hub lets a client in without a token; the 5.0 keep-alive is not limited.
    mq::Connect anonymous = connectPacket(u"anon1"_s, mq::Version::V5);
    anonymous.keepAlive = 0;
    MqttClient client(url({}, u"anon"_s), anonymous);
    const auto ack = client.next<mq::Connack>();
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(ack->code, 0);
    EXPECT_EQ(ack->properties.retainAvailable, std::optional<quint8>(0));
    EXPECT_EQ(ack->properties.wildcardSubscriptionAvailable, std::optional<quint8>(0));
    EXPECT_EQ(ack->properties.sharedSubscriptionAvailable, std::optional<quint8>(0));
}

TEST_F(MqttTest, AnEmptyClientIdIsAssigned)
{
    MqttClient client(url(token()), connectPacket({}, mq::Version::V5));
    const auto ack = client.next<mq::Connack>();
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(ack->code, 0);
    ASSERT_TRUE(ack->properties.assignedClientIdentifier.has_value());
    const QString id = *ack->properties.assignedClientIdentifier;
    EXPECT_TRUE(
        QTest::qWaitFor([&] { return m_emulator->hubs().hub(u"chat"_s).connection(id) != nullptr; }, 5000));
}

TEST_F(MqttTest, HandshakeWithoutTheMqttSubprotocolIsRefused)
{
    MqttClient client(url(token()), connectPacket(u"x"_s), {u"json.webpubsub.azure.v1"_s});
    EXPECT_TRUE(client.waitClosed());
    EXPECT_TRUE(client.packets.isEmpty());
}

TEST_F(MqttTest, RolesWildcardsAndSharedSubscriptionsDecideSubackAndPuback)
{
    auto none311 = connected(u"none311"_s, mq::Version::V311, {});
    EXPECT_EQ(subscribe(*none311, {u"room"_s, u"room/+"_s, u"#"_s}), (QList<quint8>{0x80, 0x80, 0x80}));
    auto none5 = connected(u"none5"_s, mq::Version::V5, {});
    EXPECT_EQ(subscribe(*none5, {u"room"_s, u"a/+"_s, u"#"_s, u"$share/g/room"_s}),
              (QList<quint8>{mq::Reason::NotAuthorized, mq::Reason::WildcardSubscriptionsNotSupported,
                             mq::Reason::WildcardSubscriptionsNotSupported,
                             mq::Reason::SharedSubscriptionsNotSupported}));
    auto scoped = connected(u"scoped"_s, mq::Version::V5,
                            {u"webpubsub.joinLeaveGroup.room"_s, u"webpubsub.sendToGroup.room"_s});
    EXPECT_EQ(subscribe(*scoped, {u"room"_s, u"other"_s}), (QList<quint8>{1, mq::Reason::NotAuthorized}));

    // A 5.0 PUBLISH without sendToGroup: PUBACK "not authorized", and nobody receives it.
    mq::Publish refused;
    refused.topic = u"other"_s;
    refused.qos = 1;
    refused.packetId = 3;
    refused.payload = "nope";
    scoped->send(refused);
    const auto ack = scoped->next<mq::PubAck>();
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(ack->reasonCode, mq::Reason::NotAuthorized);
    EXPECT_TRUE(ack->properties.reasonString.has_value());
    // 3.1.1 cannot say no: the PUBACK is plain and the message is dropped.
    refused.topic = u"room"_s;
    none311->send(refused);
    const auto ack311 = none311->next<mq::PubAck>();
    ASSERT_TRUE(ack311.has_value());
    EXPECT_EQ(ack311->reasonCode, 0);
    mq::Publish allowed = refused;
    allowed.payload = "allowed";
    scoped->send(allowed);
    const auto got = scoped->next<mq::Publish>();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->payload, QByteArray("allowed")); // the first PUBLISH to reach room

    // A REST grant opens the topic.
    EXPECT_EQ(rest("PUT", u"/api/hubs/chat/permissions/joinLeaveGroup/connections/none5?targetName=other&"
                          "api-version=2024-12-01"_s),
              200);
    EXPECT_EQ(subscribe(*none5, {u"other"_s}, 0), QList<quint8>{0});
}

TEST_F(MqttTest, RestSendsReachMqttClientsAndRestManagesTheirGroups)
{
    auto device = connected(u"device42"_s, mq::Version::V5, {});
    // The client ID is the connection ID.
    EXPECT_EQ(rest("HEAD", u"/api/hubs/chat/connections/device42?api-version=2024-12-01"_s), 200);
    EXPECT_EQ(rest("POST", u"/api/hubs/chat/connections/device42/:send?api-version=2024-12-01"_s, "to one"),
              202);
    auto got = device->next<mq::Publish>();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->topic, u"$webpubsub/server/messages"_s);
    EXPECT_EQ(got->payload, QByteArray("to one"));
    EXPECT_EQ(got->qos, 1);
    device->send(mq::PubAck{mq::PacketType::Puback, got->packetId, 0, {}});

    EXPECT_EQ(
        rest("POST", u"/api/hubs/chat/:send?api-version=2024-12-01"_s, R"({"a":1})", "application/json"),
        202);
    got = device->next<mq::Publish>();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->payload, QByteArray(R"({"a":1})"));

    // REST adds the connection to a group: it receives the group's messages on that topic.
    EXPECT_EQ(rest("PUT", u"/api/hubs/chat/groups/news/connections/device42?api-version=2024-12-01"_s), 200);
    EXPECT_EQ(rest("POST", u"/api/hubs/chat/groups/news/:send?api-version=2024-12-01"_s, "headline"), 202);
    got = device->next<mq::Publish>();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->topic, u"news"_s);
    EXPECT_EQ(got->payload, QByteArray("headline"));

    // REST close: 5.0 clients get a DISCONNECT saying why.
    EXPECT_EQ(
        rest("DELETE", u"/api/hubs/chat/connections/device42?reason=maintenance&api-version=2024-12-01"_s),
        204);
    const auto disconnect = device->next<mq::Disconnect>();
    ASSERT_TRUE(disconnect.has_value());
    EXPECT_EQ(disconnect->reasonCode, 0x98); // administrative action
    EXPECT_EQ(disconnect->properties.reasonString, std::optional<QString>(u"maintenance"_s));
    EXPECT_TRUE(device->waitClosed());
    EXPECT_EQ(rest("HEAD", u"/api/hubs/chat/connections/device42?api-version=2024-12-01"_s), 404);
}

TEST_F(MqttTest, MqttAndJsonClientsTalkThroughGroups)
{
    auto device = connected(u"sensor"_s, mq::Version::V5);
    EXPECT_EQ(subscribe(*device, {u"room"_s}), QList<quint8>{1});

    QStringList texts;
    const auto json = openJsonMember(u"web"_s, u"room"_s, &texts);
    ASSERT_GE(texts.size(), 2);

    // json -> MQTT: the payload as its bytes.
    json->sendTextMessage(
        uR"({"type":"sendToGroup","group":"room","dataType":"text","data":"hi mqtt","noEcho":true})"_s);
    const auto got = device->next<mq::Publish>();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->topic, u"room"_s);
    EXPECT_EQ(got->payload, QByteArray("hi mqtt"));

    // MQTT -> json: the 5.0 Content Type decides the data type (text/plain -> text); absent: binary.
    mq::Publish publish;
    publish.topic = u"room"_s;
    publish.payload = "hi json";
    publish.properties.contentType = u"text/plain"_s;
    device->send(publish);
    ASSERT_TRUE(QTest::qWaitFor([&] { return texts.size() >= 3; }, 5000));
    const QJsonObject message = QJsonDocument::fromJson(texts.at(2).toUtf8()).object();
    EXPECT_EQ(message.value(u"from"_s).toString(), u"group"_s);
    EXPECT_EQ(message.value(u"group"_s).toString(), u"room"_s);
    EXPECT_EQ(message.value(u"dataType"_s).toString(), u"text"_s);
    EXPECT_EQ(message.value(u"data"_s).toString(), u"hi json"_s);
    publish.properties = {};
    publish.payload = QByteArray("\x00\x01", 2);
    device->send(publish);
    ASSERT_TRUE(QTest::qWaitFor([&] { return texts.size() >= 4; }, 5000));
    const QJsonObject binary = QJsonDocument::fromJson(texts.at(3).toUtf8()).object();
    EXPECT_EQ(binary.value(u"dataType"_s).toString(), u"binary"_s);
    EXPECT_EQ(binary.value(u"data"_s).toString(), u"AAE="_s);
}

TEST_F(MqttTest, MqttMembersGetStreamFragmentsAsPlainPublishesAndNoEndMarker)
{
    auto device = connected(u"sensor"_s, mq::Version::V5);
    EXPECT_EQ(subscribe(*device, {u"room"_s}), QList<quint8>{1});
    QStringList texts;
    const auto publisher = openJsonMember(u"ann"_s, u"lobby"_s, &texts);
    ASSERT_GE(texts.size(), 2);
    auto waitFor = [&](const QString &type) {
        return QTest::qWaitFor([&] { return !texts.filter(uR"("type":")"_s + type + u'"').isEmpty(); }, 5000);
    };

    publisher->sendTextMessage(uR"({"type":"sendToGroup","group":"room","stream":{"streamId":"s"}})"_s);
    ASSERT_TRUE(waitFor(u"streamAck"_s)) << texts.join(u" | "_s).toStdString();
    publisher->sendTextMessage(
        uR"({"type":"streamData","streamId":"s","streamSequenceId":1,"dataType":"text","data":"one"})"_s);
    publisher->sendTextMessage(
        uR"({"type":"streamData","streamId":"s","streamSequenceId":2,"dataType":"json","data":{"n":2}})"_s);
    publisher->sendTextMessage(uR"({"type":"streamEnd","streamId":"s"})"_s);
    ASSERT_TRUE(waitFor(u"streamClosed"_s)) << texts.join(u" | "_s).toStdString();
    // A plain group message after the end: had an end marker reached the MQTT member, it would come before.
    publisher->sendTextMessage(
        uR"({"type":"sendToGroup","group":"room","dataType":"text","data":"after"})"_s);

    QList<QByteArray> payloads;
    QStringList contentTypes;
    for (int i = 0; i < 3; ++i) {
        const auto got = device->next<mq::Publish>();
        ASSERT_TRUE(got.has_value()) << i;
        EXPECT_EQ(got->topic, u"room"_s);
        payloads << got->payload;
        contentTypes << got->properties.contentType.value_or(QString());
    }
    EXPECT_EQ(payloads, (QList<QByteArray>{"one", R"({"n":2})", "after"}));
    EXPECT_EQ(contentTypes, (QStringList{u"text/plain"_s, u"application/json"_s, u"text/plain"_s}));
}

TEST_F(MqttTest, TheWillIsPublishedWhenTheConnectionDropsNotAfterDisconnect)
{
    auto listener = connected(u"listener"_s);
    EXPECT_EQ(subscribe(*listener, {u"status"_s}), QList<quint8>{1});

    mq::Connect withWill = connectPacket(u"dying"_s);
    withWill.will = mq::Will{u"status"_s, "dying is gone", 1, false, {}};
    auto dying = std::make_unique<MqttClient>(url(token()), withWill);
    ASSERT_TRUE(dying->next<mq::Connack>().has_value());
    dying->ws.abort(); // no DISCONNECT
    const auto will = listener->next<mq::Publish>();
    ASSERT_TRUE(will.has_value());
    EXPECT_EQ(will->payload, QByteArray("dying is gone"));

    withWill.clientId = u"polite"_s;
    withWill.will->payload = "polite is gone";
    auto polite = std::make_unique<MqttClient>(url(token()), withWill);
    ASSERT_TRUE(polite->next<mq::Connack>().has_value());
    polite->send(mq::Disconnect{});
    EXPECT_TRUE(polite->waitClosed());
    // A REST send after the DISCONNECT bounds the wait: the will would have come first.
    EXPECT_EQ(rest("POST", u"/api/hubs/chat/groups/status/:send?api-version=2024-12-01"_s, "marker"), 202);
    const auto next = listener->next<mq::Publish>();
    ASSERT_TRUE(next.has_value());
    EXPECT_EQ(next->payload, QByteArray("marker"));
}

TEST_F(MqttTest, ASecondConnectionWithTheSameClientIdTakesTheSessionOver)
{
    auto first = connected(u"twin"_s, mq::Version::V5);
    auto second = connected(u"twin"_s, mq::Version::V5);
    const auto disconnect = first->next<mq::Disconnect>();
    ASSERT_TRUE(disconnect.has_value());
    EXPECT_EQ(disconnect->reasonCode, mq::Reason::SessionTakenOver);
    EXPECT_TRUE(first->waitClosed());
    second->send(mq::Pingreq{});
    EXPECT_TRUE(second->next<mq::Pingresp>().has_value());
    EXPECT_EQ(rest("HEAD", u"/api/hubs/chat/connections/twin?api-version=2024-12-01"_s), 200);
}

TEST_F(MqttTest, ProtocolViolationsCloseWithAReason)
{
    auto client = connected(u"violator"_s, mq::Version::V5);
    mq::Publish retained;
    retained.topic = u"room"_s;
    retained.retain = true;
    client->send(retained);
    const auto disconnect = client->next<mq::Disconnect>();
    ASSERT_TRUE(disconnect.has_value());
    EXPECT_EQ(disconnect->reasonCode, mq::Reason::RetainNotSupported);
    EXPECT_TRUE(client->waitClosed());

    auto aliased = connected(u"aliased"_s, mq::Version::V5);
    mq::Publish alias;
    alias.topic = u"room"_s;
    alias.properties.topicAlias = 1;
    aliased->send(alias);
    const auto d2 = aliased->next<mq::Disconnect>();
    ASSERT_TRUE(d2.has_value());
    EXPECT_EQ(d2->reasonCode, mq::Reason::TopicAliasInvalid);

    // Garbage instead of a packet: a 5.0 DISCONNECT "malformed packet".
    auto garbage = connected(u"garbage"_s, mq::Version::V5);
    garbage->ws.sendBinaryMessage(QByteArray("\x00\x00", 2));
    const auto d3 = garbage->next<mq::Disconnect>();
    ASSERT_TRUE(d3.has_value());
    EXPECT_EQ(d3->reasonCode, mq::Reason::MalformedPacket);
    EXPECT_TRUE(garbage->waitClosed());
    EXPECT_TRUE(QTest::qWaitFor([&] { return m_emulator->mqttEndpoint()->sessionCount() == 0; }, 5000));
}

TEST_F(MqttTest, ContentTypeMapsToDataTypesBothWays)
{
    auto device = connected(u"typed"_s, mq::Version::V5);
    EXPECT_EQ(subscribe(*device, {u"room"_s}), QList<quint8>{1});
    auto old = connected(u"plain"_s, mq::Version::V311);
    EXPECT_EQ(subscribe(*old, {u"room"_s}), QList<quint8>{1});

    // A REST JSON send reaches a 5.0 receiver with Content Type application/json; a 3.1.1 one has no field.
    EXPECT_EQ(rest("POST", u"/api/hubs/chat/groups/room/:send?api-version=2024-12-01"_s, R"({"a":1})",
                   "application/json"),
              202);
    const auto got = device->next<mq::Publish>();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->payload, QByteArray(R"({"a":1})"));
    EXPECT_EQ(got->properties.contentType, u"application/json"_s);
    const auto got311 = old->next<mq::Publish>();
    ASSERT_TRUE(got311.has_value());
    EXPECT_EQ(got311->payload, QByteArray(R"({"a":1})"));

    // Binary REST send: application/octet-stream.
    EXPECT_EQ(rest("POST", u"/api/hubs/chat/groups/room/:send?api-version=2024-12-01"_s,
                   QByteArray("\x01\x02", 2), "application/octet-stream"),
              202);
    const auto bin = device->next<mq::Publish>();
    ASSERT_TRUE(bin.has_value());
    EXPECT_EQ(bin->properties.contentType, u"application/octet-stream"_s);
}

TEST_F(MqttTest, OneMessageToManyReceiversGetsItsOwnPacketIdentifierEach)
{
    // The PUBLISH is encoded once per fan-out and the packet identifier patched per receiver: every receiver
    // sees the same bytes with its own identifier sequence, and acknowledging one does not confuse another.
    std::vector<std::unique_ptr<MqttClient>> receivers;
    for (int i = 0; i < 3; ++i) {
        receivers.push_back(connected(u"fan%1"_s.arg(i), i == 2 ? mq::Version::V5 : mq::Version::V311));
        EXPECT_EQ(subscribe(*receivers.back(), {u"fan"_s}), QList<quint8>{1});
    }
    // One receiver holds an unacknowledged message first, so its identifiers run ahead of the others'.
    EXPECT_EQ(rest("POST", u"/api/hubs/chat/connections/fan1/:send?api-version=2024-12-01"_s, "first"), 202);
    const auto first = receivers[1]->next<mq::Publish>();
    ASSERT_TRUE(first.has_value());
    for (int round = 0; round < 2; ++round) {
        EXPECT_EQ(rest("POST", u"/api/hubs/chat/groups/fan/:send?api-version=2024-12-01"_s,
                       u"round %1"_s.arg(round).toUtf8()),
                  202);
        QSet<quint16> ids;
        for (auto &r : receivers) {
            const auto got = r->next<mq::Publish>();
            ASSERT_TRUE(got.has_value());
            EXPECT_EQ(got->topic, u"fan"_s);
            EXPECT_EQ(got->payload, u"round %1"_s.arg(round).toUtf8());
            EXPECT_EQ(got->qos, 1);
            EXPECT_NE(got->packetId, 0);
            ids.insert(got->packetId);
            r->send(mq::PubAck{mq::PacketType::Puback, got->packetId, 0, {}});
        }
        EXPECT_EQ(ids.size(), 2) << "fan1's identifier is one ahead of the others'";
    }
}

TEST_F(MqttTest, ASessionWithoutCleanStartResumesItsSubscriptionsAndQueuedMessages)
{
    auto sender = connected(u"sender"_s);
    mq::Connect keep = connectPacket(u"keeper"_s);
    keep.cleanStart = false;
    auto first = std::make_unique<MqttClient>(url(token()), keep);
    const auto ack1 = first->next<mq::Connack>();
    ASSERT_TRUE(ack1.has_value());
    EXPECT_FALSE(ack1->sessionPresent); // nothing to resume yet
    EXPECT_EQ(subscribe(*first, {u"kept"_s}), QList<quint8>{1});
    first->ws.abort(); // the network goes away, the session stays
    ASSERT_TRUE(first->waitClosed());
    // The hub still has the connection while the session is kept; messages for it are queued.
    EXPECT_TRUE(QTest::qWaitFor(
        [&] { return rest("HEAD", u"/api/hubs/chat/connections/keeper?api-version=2024-12-01"_s) == 200; },
        5000));
    mq::Publish publish;
    publish.topic = u"kept"_s;
    publish.qos = 1;
    publish.packetId = 1;
    publish.payload = "while away";
    sender->send(publish);
    ASSERT_TRUE(sender->next<mq::PubAck>().has_value());

    auto second = std::make_unique<MqttClient>(url(token()), keep);
    const auto ack2 = second->next<mq::Connack>();
    ASSERT_TRUE(ack2.has_value());
    EXPECT_EQ(ack2->code, 0);
    EXPECT_TRUE(ack2->sessionPresent);
    const auto queued = second->next<mq::Publish>();
    ASSERT_TRUE(queued.has_value());
    EXPECT_EQ(queued->payload, QByteArray("while away"));
    second->send(mq::PubAck{mq::PacketType::Puback, queued->packetId, 0, {}});
    // Still subscribed without a new SUBSCRIBE.
    publish.packetId = 2;
    publish.payload = "after";
    sender->send(publish);
    const auto live = second->next<mq::Publish>();
    ASSERT_TRUE(live.has_value());
    EXPECT_EQ(live->payload, QByteArray("after"));

    // Clean start drops the kept session: no subscriptions.
    second->ws.abort();
    ASSERT_TRUE(second->waitClosed());
    auto fresh = connected(u"keeper"_s);
    publish.packetId = 3;
    publish.payload = "not for the fresh session";
    sender->send(publish);
    ASSERT_TRUE(sender->next<mq::PubAck>().has_value());
    fresh->send(mq::Pingreq{});
    ASSERT_TRUE(fresh->next<mq::Pingresp>().has_value());
    EXPECT_FALSE(fresh->has<mq::Publish>());
}

TEST_F(MqttTest, Mqtt5SessionExpiryIsCappedAndAResumedSessionKeepsItsGroups)
{
    mq::Connect keep = connectPacket(u"expiring"_s, mq::Version::V5);
    keep.properties.sessionExpiryInterval = 3600;
    auto first = std::make_unique<MqttClient>(url(token()), keep);
    const auto ack = first->next<mq::Connack>();
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(ack->properties.sessionExpiryInterval, 30u); // the service keeps sessions up to 30 s
    EXPECT_EQ(subscribe(*first, {u"g5"_s}), QList<quint8>{1});
    first->send(mq::Disconnect{}); // a normal DISCONNECT keeps a session with an expiry too
    ASSERT_TRUE(first->waitClosed());
    EXPECT_EQ(rest("POST", u"/api/hubs/chat/groups/g5/:send?api-version=2024-12-01"_s, "queued"), 202);

    keep.cleanStart = false;
    auto second = std::make_unique<MqttClient>(url(token()), keep);
    const auto ack2 = second->next<mq::Connack>();
    ASSERT_TRUE(ack2.has_value());
    EXPECT_TRUE(ack2->sessionPresent);
    const auto queued = second->next<mq::Publish>();
    ASSERT_TRUE(queued.has_value());
    EXPECT_EQ(queued->payload, QByteArray("queued"));

    // A REST close ends the session, not just the network connection: nothing is kept.
    EXPECT_EQ(rest("DELETE", u"/api/hubs/chat/connections/expiring?api-version=2024-12-01"_s), 204);
    EXPECT_TRUE(second->waitClosed());
    EXPECT_EQ(rest("HEAD", u"/api/hubs/chat/connections/expiring?api-version=2024-12-01"_s), 404);
}

TEST_F(MqttTest, KeepAliveClosesASilentClientAndEveryPacketKeepsAClientOpen)
{
    // Keep-alive 1 s: closed after 1.5 s without a packet. The talker pings every 400 ms past that deadline
    // several times over (the emulator's keep-alive timer fires, sees the packets and re-arms itself).
    mq::Connect silentConnect = connectPacket(u"silent"_s, mq::Version::V5);
    silentConnect.keepAlive = 1;
    MqttClient silent(url(token()), silentConnect);
    mq::Connect talkerConnect = connectPacket(u"talker"_s, mq::Version::V5);
    talkerConnect.keepAlive = 1;
    MqttClient talker(url(token()), talkerConnect);
    ASSERT_TRUE(silent.next<mq::Connack>().has_value());
    ASSERT_TRUE(talker.next<mq::Connack>().has_value());
    QTimer pings;
    pings.setInterval(400);
    QObject::connect(&pings, &QTimer::timeout, &talker.ws, [&] { talker.send(mq::Pingreq{}); });
    pings.start();

    const auto disconnect = silent.next<mq::Disconnect>(10000);
    ASSERT_TRUE(disconnect.has_value());
    EXPECT_EQ(disconnect->reasonCode, mq::Reason::KeepAliveTimeout);
    EXPECT_TRUE(silent.waitClosed());

    // 8 answered pings span 3.2 s, over twice the 1.5 s deadline.
    const auto pingResponses = [&] {
        return std::count_if(talker.packets.cbegin(), talker.packets.cend(),
                             [](const mq::Packet &p) { return std::holds_alternative<mq::Pingresp>(p); });
    };
    EXPECT_TRUE(QTest::qWaitFor([&] { return pingResponses() >= 8 || talker.closed; }, 15000));
    pings.stop();
    EXPECT_GE(pingResponses(), 8);
    EXPECT_FALSE(talker.closed);
    EXPECT_FALSE(talker.has<mq::Disconnect>());
}

TEST_F(MqttTest, APubackFreesItsSlotOfTheClientsReceiveMaximum)
{
    // Receive Maximum 1: with one QoS 1 message unacknowledged the next goes out at QoS 0; the 4-byte PUBACK
    // (the emulator's short path) frees the slot, so the one after is QoS 1 again.
    mq::Connect connect = connectPacket(u"narrow"_s, mq::Version::V5);
    connect.properties.receiveMaximum = 1;
    MqttClient client(url(token()), connect);
    ASSERT_TRUE(client.next<mq::Connack>().has_value());
    EXPECT_EQ(subscribe(client, {u"flow"_s}), QList<quint8>{1});
    const auto sendToFlow = [&](const QByteArray &text) {
        return rest("POST", u"/api/hubs/chat/groups/flow/:send?api-version=2024-12-01"_s, text);
    };
    EXPECT_EQ(sendToFlow("a"), 202);
    const auto a = client.next<mq::Publish>();
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->qos, 1);
    EXPECT_EQ(sendToFlow("b"), 202);
    const auto b = client.next<mq::Publish>();
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->payload, QByteArray("b"));
    EXPECT_EQ(b->qos, 0);

    const auto puback = mq::encode(mq::PubAck{mq::PacketType::Puback, a->packetId, 0, {}}, mq::Version::V5);
    ASSERT_TRUE(puback.hasValue());
    EXPECT_EQ(puback->size(), 4);
    client.ws.sendBinaryMessage(*puback);
    // A ping orders the PUBACK before the next send: its answer comes after the PUBACK was read.
    client.send(mq::Pingreq{});
    ASSERT_TRUE(client.next<mq::Pingresp>().has_value());
    EXPECT_EQ(sendToFlow("c"), 202);
    const auto c = client.next<mq::Publish>();
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->payload, QByteArray("c"));
    EXPECT_EQ(c->qos, 1);
    EXPECT_FALSE(client.closed);
}
