// The client WebSocket endpoint: handshake refusals, subprotocols, every request type and ack outcome, roles,
// REST -> client delivery, closes, reliable recovery, limits and malformed frames. Clients are Qt's
// QWebSocket (an independent implementation) or hand-written frames over a QTcpSocket, all on loopback.
#include "emulator/clientendpoint.h"
#include "emulator/emulator.h"
#include "protocol/jwt.h"
#include "protocol/messages.h"
#include "support/emulatorprocess.h"
#include "support/faultserver.h"
#include "support/printers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace wps::emulator;

namespace {

const QString kKey = u"client-test-key-0123456789abcdefghijklmnop"_s;
const QString kJson = u"json.webpubsub.azure.v1"_s;
const QString kJsonReliable = u"json.reliable.webpubsub.azure.v1"_s;
const QString kProtobuf = u"protobuf.webpubsub.azure.v1"_s;

/// A QWebSocket that records what it receives.
struct Client
{
    Client(const QUrl &url, const QStringList &protocols)
    {
        QObject::connect(&ws, &QWebSocket::textMessageReceived, &ws,
                         [this](const QString &m) { texts << m; });
        QObject::connect(&ws, &QWebSocket::binaryMessageReceived, &ws,
                         [this](const QByteArray &m) { binaries << m; });
        QObject::connect(&ws, &QWebSocket::disconnected, &ws, [this] { closed = true; });
        QWebSocketHandshakeOptions options;
        options.setSubprotocols(protocols);
        ws.open(QNetworkRequest(url), options);
    }
    bool waitOpen()
    {
        return QTest::qWaitFor([this] { return ws.state() == QAbstractSocket::ConnectedState || closed; },
                               5000) &&
               ws.state() == QAbstractSocket::ConnectedState;
    }
    bool waitTexts(qsizetype n)
    {
        return QTest::qWaitFor([&] { return texts.size() >= n || closed; }, 5000) && texts.size() >= n;
    }
    bool waitBinaries(qsizetype n)
    {
        return QTest::qWaitFor([&] { return binaries.size() >= n || closed; }, 5000) && binaries.size() >= n;
    }
    bool waitClosed()
    {
        return QTest::qWaitFor([this] { return closed; }, 5000);
    }
    QJsonObject json(qsizetype i) const { return QJsonDocument::fromJson(texts.value(i).toUtf8()).object(); }
    QJsonObject last() const { return json(texts.size() - 1); }
    void send(const QJsonObject &o)
    {
        ws.sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    }

    QWebSocket ws;
    QStringList texts;
    QList<QByteArray> binaries;
    bool closed = false;
};

struct RawReply
{
    int status = 0;
    QByteArray head;
    QByteArray rest; ///< body, or frames after a 101
};

/// One masked client frame.
QByteArray clientFrame(quint8 opcode, const QByteArray &payload, bool fin = true, bool masked = true)
{
    QByteArray out;
    out += static_cast<char>((fin ? 0x80 : 0) | opcode);
    const char maskBit = masked ? static_cast<char>(0x80) : 0;
    if (payload.size() < 126) {
        out += static_cast<char>(maskBit | static_cast<char>(payload.size()));
    } else {
        out += static_cast<char>(maskBit | 126);
        out += static_cast<char>(payload.size() >> 8);
        out += static_cast<char>(payload.size() & 0xFF);
    }
    const QByteArray mask = "\x12\x34\x56\x78";
    if (masked)
        out += mask;
    for (qsizetype i = 0; i < payload.size(); ++i)
        out += masked ? static_cast<char>(payload.at(i) ^ mask.at(i % 4)) : payload.at(i);
    return out;
}

/// (opcode, payload) of the unmasked server frames in \a bytes.
QList<QPair<int, QByteArray>> serverFrames(const QByteArray &bytes)
{
    QList<QPair<int, QByteArray>> frames;
    qsizetype pos = 0;
    while (pos + 2 <= bytes.size()) { // bounded: every turn advances pos
        const int opcode = static_cast<quint8>(bytes.at(pos)) & 0x0F;
        qsizetype length = static_cast<quint8>(bytes.at(pos + 1)) & 0x7F;
        qsizetype header = 2;
        if (length == 126) {
            if (pos + 4 > bytes.size())
                break;
            length = (static_cast<quint8>(bytes.at(pos + 2)) << 8) | static_cast<quint8>(bytes.at(pos + 3));
            header = 4;
        }
        if (pos + header + length > bytes.size())
            break;
        frames.append({opcode, bytes.mid(pos + header, length)});
        pos += header + length;
    }
    return frames;
}

int closeCodeOf(const QList<QPair<int, QByteArray>> &frames)
{
    for (const auto &[opcode, payload] : frames)
        if (opcode == 8 && payload.size() >= 2)
            return (static_cast<quint8>(payload.at(0)) << 8) | static_cast<quint8>(payload.at(1));
    return 0;
}

class ClientTest : public ::testing::Test
{
protected:
    void start(const ClientLimits &limits = {})
    {
        EmulatorOptions options;
        options.accessKey = kKey;
        options.config.hubs[u"anon"_s].anonymousConnect = true;
        options.client = limits;
        options.client.socket.closeTimeout = 300ms; // raw test sockets never answer a close frame
        m_emulator = std::make_unique<Emulator>(options);
        auto started = m_emulator->start();
        ASSERT_TRUE(started) << started.error().toStdString();
        m_port = *started;
    }
    void SetUp() override { start(); }

    QString authority() const { return u"127.0.0.1:%1"_s.arg(m_port); }

    QByteArray token(QJsonObject claims = {}, const QString &hub = u"chat"_s, qint64 lifetime = 3600,
                     const QString &key = kKey) const
    {
        if (!claims.contains(u"aud"_s))
            claims.insert(u"aud"_s, QString(u"http://"_s + authority() + u"/client/hubs/"_s + hub));
        claims.insert(u"exp"_s, QDateTime::currentSecsSinceEpoch() + lifetime);
        return wps::jwt::signHs256(claims, key.toUtf8());
    }

    QUrl url(const QJsonObject &claims = {}, const QString &extraQuery = {},
             const QString &hub = u"chat"_s) const
    {
        return QUrl(u"ws://"_s + authority() + u"/client/hubs/"_s + hub + u"?access_token="_s +
                    QString::fromLatin1(token(claims, hub)) + extraQuery);
    }

    std::unique_ptr<Client> open(const QJsonObject &claims = {}, const QStringList &protocols = {kJson},
                                 const QString &extraQuery = {})
    {
        auto client = std::make_unique<Client>(url(claims, extraQuery), protocols);
        EXPECT_TRUE(client->waitOpen());
        return client;
    }
    /// A JSON client whose `connected` message has arrived.
    std::unique_ptr<Client> openJson(const QJsonObject &claims = {}, const QString &protocol = kJson)
    {
        auto client = open(claims, {protocol});
        EXPECT_TRUE(client->waitTexts(1));
        EXPECT_EQ(client->json(0).value(u"event"_s).toString(), u"connected"_s);
        return client;
    }

    int rest(const QString &pathAndQuery, const QByteArray &body, const QByteArray &contentType)
    {
        const QUrl target(u"http://"_s + authority() + pathAndQuery);
        QNetworkRequest request(target);
        request.setRawHeader("Content-Type", contentType);
        const QJsonObject claims{{u"aud"_s, target.toString(QUrl::FullyEncoded)},
                                 {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 3600}};
        request.setRawHeader("Authorization", "Bearer " + wps::jwt::signHs256(claims, kKey.toUtf8()));
        QNetworkReply *reply = m_nam.sendCustomRequest(request,
                                                       pathAndQuery.contains(u"/connections/"_s) &&
                                                               !pathAndQuery.contains(u":send"_s)
                                                           ? QByteArray("DELETE")
                                                           : QByteArray("POST"),
                                                       body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished()) {
            EXPECT_TRUE(finished.wait(10000));
        }
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return status;
    }

    /// A handshake over a plain TCP socket; \a then is written right after it.
    RawReply rawUpgrade(const QByteArray &target, const QByteArray &extraHeaders = {},
                        const QByteArray &then = {}, bool waitForClose = true)
    {
        m_raw = std::make_unique<QTcpSocket>();
        m_raw->connectToHost(QHostAddress::LocalHost, m_port);
        EXPECT_TRUE(m_raw->waitForConnected(5000));
        m_raw->write("GET " + target + " HTTP/1.1\r\nHost: " + authority().toLatin1() +
                     "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
                     extraHeaders + "\r\n" + then);
        QByteArray received;
        bool closed = false;
        QObject::connect(m_raw.get(), &QTcpSocket::readyRead, m_raw.get(),
                         [&] { received += m_raw->readAll(); });
        QObject::connect(m_raw.get(), &QTcpSocket::disconnected, m_raw.get(), [&] { closed = true; });
        EXPECT_TRUE(
            QTest::qWaitFor([&] { return waitForClose ? closed : received.contains("\r\n\r\n"); }, 5000));
        received += m_raw->readAll();
        QObject::disconnect(m_raw.get(), nullptr, m_raw.get(), nullptr);
        RawReply reply;
        const qsizetype end = received.indexOf("\r\n\r\n");
        reply.head = received.left(end);
        reply.rest = end < 0 ? QByteArray() : received.mid(end + 4);
        const QList<QByteArray> statusLine = reply.head.split(' ');
        reply.status = statusLine.size() > 1 ? statusLine.at(1).toInt() : 0;
        return reply;
    }

    HubState &chat() { return m_emulator->hubs().hub(u"chat"_s); }

    std::unique_ptr<Emulator> m_emulator;
    quint16 m_port = 0;
    QNetworkAccessManager m_nam;
    std::unique_ptr<QTcpSocket> m_raw;
};

QJsonObject roles(const QStringList &list, const QString &user = u"alice"_s)
{
    return QJsonObject{{u"sub"_s, user}, {u"role"_s, QJsonArray::fromStringList(list)}};
}

} // namespace

// ---- handshake --------------------------------------------------------------------------------------------

TEST_F(ClientTest, RefusesBadTokensWithHttp401)
{
    const QByteArray good = "/client/hubs/chat?access_token=";
    EXPECT_EQ(rawUpgrade("/client/hubs/chat").status, 401);
    EXPECT_EQ(rawUpgrade(good + token({}, u"chat"_s, 3600, u"wrong-key"_s)).status, 401);
    EXPECT_EQ(rawUpgrade(good + token({}, u"chat"_s, -3600)).status, 401);
    const RawReply wrongAudience =
        rawUpgrade(good + token({{u"aud"_s, QString(u"http://"_s + authority() + u"/client/hubs/other"_s)}}));
    EXPECT_EQ(wrongAudience.status, 401);
    EXPECT_TRUE(wrongAudience.rest.contains("audience"));
    EXPECT_FALSE(wrongAudience.rest.contains("eyJ")) << "no token in the answer";
    // Authorization: Bearer works as the query parameter does; the /client/?hub= form too.
    EXPECT_EQ(rawUpgrade("/client/hubs/chat", "Authorization: Bearer " + token() + "\r\n", {}, false).status,
              101);
    EXPECT_EQ(rawUpgrade("/client/?hub=chat&access_token=" + token(), {}, {}, false).status, 101);
    // A wss audience and an upper-case host are accepted.
    EXPECT_EQ(rawUpgrade(good + token({{u"aud"_s, u"wss://LOCALHOST:%1/client/hubs/chat"_s.arg(m_port)}}), {},
                         {}, false)
                  .status,
              401); // a different host is not the same audience
    EXPECT_EQ(rawUpgrade(good + token({{u"aud"_s, u"WSS://127.0.0.1:%1/client/hubs/chat"_s.arg(m_port)}}), {},
                         {}, false)
                  .status,
              101);
}

TEST_F(ClientTest, AnonymousConnectFollowsTheHubPolicy)
{
    EXPECT_EQ(rawUpgrade("/client/hubs/anon", {}, {}, false).status, 101);
    EXPECT_EQ(rawUpgrade("/client/hubs/chat").status, 401);
}

TEST_F(ClientTest, RefusesBadQueryValuesAndPaths)
{
    const QByteArray t = "/client/hubs/chat?access_token=" + token();
    EXPECT_EQ(rawUpgrade(t + "&webpubsub_mode=broadcast").status, 400);
    EXPECT_EQ(rawUpgrade(t + "&webpubsub_mode=sendToGroup").status, 400); // group missing
    EXPECT_EQ(rawUpgrade(t + "&noEcho=maybe").status, 400);
    EXPECT_EQ(rawUpgrade("/client/?access_token=" + token()).status, 400);
    EXPECT_EQ(rawUpgrade("/client/hubs/1bad").status, 400);
    EXPECT_EQ(rawUpgrade("/elsewhere").status, 404);
}

TEST_F(ClientTest, NegotiatesTheFirstSupportedSubprotocol)
{
    auto json = open(roles({}), {u"custom"_s, kJson, kProtobuf});
    EXPECT_EQ(json->ws.subprotocol(), kJson);
    ASSERT_TRUE(json->waitTexts(1));
    const QJsonObject connected = json->json(0);
    EXPECT_EQ(connected.value(u"type"_s).toString(), u"system"_s);
    EXPECT_EQ(connected.value(u"userId"_s).toString(), u"alice"_s);
    EXPECT_EQ(connected.value(u"connectionId"_s).toString().size(), 31);
    EXPECT_FALSE(connected.contains(u"reconnectionToken"_s));

    auto reliable = open({}, {kJsonReliable});
    EXPECT_EQ(reliable->ws.subprotocol(), kJsonReliable);
    ASSERT_TRUE(reliable->waitTexts(1));
    EXPECT_FALSE(reliable->json(0).value(u"reconnectionToken"_s).toString().isEmpty());
    EXPECT_TRUE(reliable->json(0).value(u"userId"_s).isNull());

    auto raw = open({}, {u"custom"_s});
    EXPECT_TRUE(raw->ws.subprotocol().isEmpty());
    EXPECT_EQ(chat().connectionIds().size(), 3);
    const Connection *rawConnection = nullptr;
    for (const QString &id : chat().connectionIds())
        if (!chat().connection(id)->protocol)
            rawConnection = chat().connection(id);
    ASSERT_NE(rawConnection, nullptr);
}

// ---- requests, acks and roles -----------------------------------------------------------------------------

TEST_F(ClientTest, JoinSendLeaveWithAcksAndEcho)
{
    auto alice = openJson(roles({u"webpubsub.joinLeaveGroup"_s, u"webpubsub.sendToGroup.room"_s}));
    auto bob = openJson(roles({u"webpubsub.joinLeaveGroup.room"_s}, u"bob"_s));
    alice->send({{u"type"_s, u"joinGroup"_s}, {u"group"_s, u"room"_s}, {u"ackId"_s, 1}});
    bob->send({{u"type"_s, u"joinGroup"_s}, {u"group"_s, u"room"_s}, {u"ackId"_s, 1}});
    ASSERT_TRUE(alice->waitTexts(2));
    ASSERT_TRUE(bob->waitTexts(2));
    EXPECT_EQ(alice->json(1), (QJsonObject{{u"type"_s, u"ack"_s}, {u"ackId"_s, 1}, {u"success"_s, true}}));
    EXPECT_TRUE(bob->json(1).value(u"success"_s).toBool());

    // A repeated ackId of a successful request is a Duplicate and is not executed again.
    alice->send({{u"type"_s, u"sendToGroup"_s},
                 {u"group"_s, u"room"_s},
                 {u"ackId"_s, 2},
                 {u"dataType"_s, u"json"_s},
                 {u"data"_s, QJsonObject{{u"n"_s, 1}}}});
    ASSERT_TRUE(bob->waitTexts(3));
    const QJsonObject message = bob->json(2);
    EXPECT_EQ(message.value(u"from"_s).toString(), u"group"_s);
    EXPECT_EQ(message.value(u"group"_s).toString(), u"room"_s);
    EXPECT_EQ(message.value(u"fromUserId"_s).toString(), u"alice"_s);
    EXPECT_EQ(message.value(u"dataType"_s).toString(), u"json"_s);
    EXPECT_EQ(message.value(u"data"_s).toObject().value(u"n"_s).toInt(), 1);
    ASSERT_TRUE(alice->waitTexts(4)); // her own echo and the ack
    alice->send({{u"type"_s, u"sendToGroup"_s}, {u"group"_s, u"room"_s}, {u"ackId"_s, 2}, {u"data"_s, 2}});
    ASSERT_TRUE(alice->waitTexts(5));
    EXPECT_EQ(alice->last().value(u"error"_s).toObject().value(u"name"_s).toString(), u"Duplicate"_s);

    // noEcho: bob gets it, alice does not.
    alice->send({{u"type"_s, u"sendToGroup"_s},
                 {u"group"_s, u"room"_s},
                 {u"ackId"_s, 3},
                 {u"noEcho"_s, true},
                 {u"dataType"_s, u"text"_s},
                 {u"data"_s, u"quiet"_s}});
    ASSERT_TRUE(alice->waitTexts(6));
    EXPECT_EQ(alice->last().value(u"ackId"_s).toInt(), 3);
    ASSERT_TRUE(bob->waitTexts(4));
    EXPECT_EQ(bob->json(3).value(u"data"_s).toString(), u"quiet"_s);

    // Bob may not send: Forbidden with the service's text; the failed ackId can be retried.
    bob->send({{u"type"_s, u"sendToGroup"_s}, {u"group"_s, u"room"_s}, {u"ackId"_s, 9}, {u"data"_s, 1}});
    ASSERT_TRUE(bob->waitTexts(5));
    const QJsonObject forbidden = bob->last();
    EXPECT_FALSE(forbidden.value(u"success"_s).toBool());
    EXPECT_EQ(forbidden.value(u"error"_s).toObject().value(u"name"_s).toString(), u"Forbidden"_s);
    EXPECT_EQ(forbidden.value(u"error"_s).toObject().value(u"message"_s).toString(),
              u"The client has no permission to send message to group 'room'."_s);

    bob->send({{u"type"_s, u"leaveGroup"_s}, {u"group"_s, u"room"_s}, {u"ackId"_s, 10}});
    ASSERT_TRUE(bob->waitTexts(6));
    EXPECT_TRUE(bob->last().value(u"success"_s).toBool());
    EXPECT_EQ(chat().connectionsInGroup(u"room"_s).size(), 1);
}

TEST_F(ClientTest, WithoutRolesOnlyEventsAndPingWork)
{
    auto client = openJson();
    client->send({{u"type"_s, u"joinGroup"_s}, {u"group"_s, u"g"_s}, {u"ackId"_s, 1}});
    client->send({{u"type"_s, u"event"_s},
                  {u"event"_s, u"hello"_s},
                  {u"ackId"_s, 2},
                  {u"data"_s, u"x"_s},
                  {u"dataType"_s, u"text"_s}});
    client->send({{u"type"_s, u"ping"_s}});
    ASSERT_TRUE(client->waitTexts(4));
    // The event is answered asynchronously (upstream), so the pong may overtake its ack.
    QHash<int, QString> errors;
    bool pong = false;
    for (qsizetype i = 1; i < 4; ++i) {
        const QJsonObject m = client->json(i);
        pong = pong || m == QJsonObject{{u"type"_s, u"pong"_s}};
        if (m.contains(u"ackId"_s))
            errors.insert(m.value(u"ackId"_s).toInt(),
                          m.value(u"error"_s).toObject().value(u"name"_s).toString());
    }
    EXPECT_TRUE(pong);
    EXPECT_EQ(errors.value(1), u"Forbidden"_s);
    EXPECT_EQ(errors.value(2), u"InternalServerError"_s);
    EXPECT_TRUE(chat().connectionsInGroup(u"g"_s).isEmpty());
}

TEST_F(ClientTest, WildcardRolesCoverMatchingGroupsAndRestGrantsApplyAtOnce)
{
    auto client = openJson(roles({u"webpubsub.joinLeaveGroups.chat-*"_s, u"webpubsub.sendToGroups.a.**"_s}));
    const QString id = chat().connectionIds().value(0);
    auto ack = [&](const QString &type, const QString &group, int ackId) {
        client->send({{u"type"_s, type}, {u"group"_s, group}, {u"ackId"_s, ackId}, {u"data"_s, 1}});
        EXPECT_TRUE(client->waitTexts(client->texts.size() + 1));
        // skip a group echo, if any, to find the ack
        for (qsizetype i = client->texts.size() - 1; i >= 0; --i)
            if (client->json(i).value(u"ackId"_s).toInt() == ackId)
                return client->json(i).value(u"success"_s).toBool();
        return false;
    };
    EXPECT_TRUE(ack(u"joinGroup"_s, u"chat-1"_s, 1));
    EXPECT_FALSE(ack(u"joinGroup"_s, u"chat.1"_s, 2));
    EXPECT_TRUE(ack(u"sendToGroup"_s, u"a.b.c"_s, 3));
    EXPECT_FALSE(ack(u"sendToGroup"_s, u"b.c"_s, 4));
    EXPECT_FALSE(ack(u"joinGroup"_s, u"other"_s, 5));
    chat().grant(id, u"joinLeaveGroup"_s, u"other"_s); // a REST grant takes effect at once
    EXPECT_TRUE(ack(u"joinGroup"_s, u"other"_s, 6));
}

TEST(GroupPattern, StarStaysInASegmentDoubleStarCrossesAndTheRestIsLiteral)
{
    EXPECT_TRUE(groupPatternMatches(u"chat-*"_s, u"chat-1"_s));
    EXPECT_FALSE(groupPatternMatches(u"chat-*"_s, u"chat.1"_s));
    EXPECT_TRUE(groupPatternMatches(u"clientA.**"_s, u"clientA.alpha.room1"_s));
    EXPECT_TRUE(groupPatternMatches(u"clientA.rooms.?1"_s, u"clientA.rooms.a1"_s));
    EXPECT_FALSE(groupPatternMatches(u"clientA.rooms.?1"_s, u"clientA.rooms.ab1"_s));
    EXPECT_TRUE(groupPatternMatches(u"literal\\*star"_s, u"literal*star"_s));
    EXPECT_FALSE(groupPatternMatches(u"literal\\*star"_s, u"literalXstar"_s));
    EXPECT_TRUE(groupPatternMatches(u"a(b)+"_s, u"a(b)+"_s));              // regex characters are literal
    EXPECT_FALSE(groupPatternMatches(u"*-*-*-*-*-*"_s, u"a-b-c-d-e-f"_s)); // more than five '*'
    EXPECT_FALSE(groupPatternMatches(u"bad\\"_s, u"bad\\"_s));
}

// ---- REST -> clients --------------------------------------------------------------------------------------

TEST_F(ClientTest, RestDeliversEachContentTypeToEachKindOfClient)
{
    auto json = openJson();
    auto proto = open({}, {kProtobuf});
    ASSERT_TRUE(proto->waitBinaries(1));
    auto raw = open({}, {});
    const QString v = u"?api-version=2024-12-01"_s;
    ASSERT_EQ(rest(u"/api/hubs/chat/:send"_s + v, "{\"a\": [1]}", "application/json"), 202);
    ASSERT_EQ(rest(u"/api/hubs/chat/:send"_s + v, "hi", "text/plain"), 202);
    ASSERT_EQ(rest(u"/api/hubs/chat/:send"_s + v, "\x01\x02", "application/octet-stream"), 202);

    ASSERT_TRUE(json->waitTexts(4));
    EXPECT_EQ(json->json(1).value(u"dataType"_s).toString(), u"json"_s);
    EXPECT_EQ(json->json(1).value(u"from"_s).toString(), u"server"_s);
    EXPECT_EQ(json->json(1).value(u"data"_s).toObject().value(u"a"_s).toArray().at(0).toInt(), 1);
    EXPECT_EQ(json->json(2).value(u"data"_s).toString(), u"hi"_s);
    EXPECT_EQ(json->json(3).value(u"dataType"_s).toString(), u"binary"_s);
    EXPECT_EQ(json->json(3).value(u"data"_s).toString(), u"AQI="_s);

    ASSERT_TRUE(proto->waitBinaries(4));
    using namespace wps::messages;
    auto connected = protobuf::decodeMessage(proto->binaries.at(0));
    ASSERT_TRUE(connected);
    EXPECT_EQ(std::get<Connected>(*connected).connectionId.size(), 31);
    const QList<Payload> expected{Payload::json("{\"a\": [1]}"), Payload::text(u"hi"_s),
                                  Payload::binary("\x01\x02")};
    for (int i = 0; i < 3; ++i) {
        auto decoded = protobuf::decodeMessage(proto->binaries.at(i + 1));
        ASSERT_TRUE(decoded);
        EXPECT_EQ(std::get<DataMessage>(*decoded).data, expected.at(i)) << i;
    }

    ASSERT_TRUE(raw->waitTexts(2));
    ASSERT_TRUE(raw->waitBinaries(1));
    EXPECT_EQ(raw->texts, (QStringList{u"{\"a\": [1]}"_s, u"hi"_s}));
    EXPECT_EQ(raw->binaries.at(0), QByteArray("\x01\x02"));
}

TEST_F(ClientTest, RestCloseSendsDisconnectedThenCloses)
{
    auto json = openJson();
    auto raw = open({}, {});
    const QString jsonId = json->json(0).value(u"connectionId"_s).toString();
    ASSERT_EQ(
        rest(u"/api/hubs/chat/connections/"_s + jsonId + u"?api-version=2024-12-01&reason=bye"_s, {}, {}),
        204);
    ASSERT_TRUE(json->waitClosed());
    EXPECT_EQ(
        json->last(),
        (QJsonObject{{u"type"_s, u"system"_s}, {u"event"_s, u"disconnected"_s}, {u"message"_s, u"bye"_s}}));
    EXPECT_EQ(json->ws.closeCode(), QWebSocketProtocol::CloseCodeNormal);
    EXPECT_EQ(json->ws.closeReason(), u"bye"_s);

    ASSERT_EQ(rest(u"/api/hubs/chat/:closeConnections?api-version=2024-12-01&reason=all"_s, {}, {}), 204);
    ASSERT_TRUE(raw->waitClosed());
    EXPECT_TRUE(raw->texts.isEmpty());
    EXPECT_EQ(raw->ws.closeReason(), u"all"_s);
    EXPECT_TRUE(QTest::qWaitFor([&] { return m_emulator->clientEndpoint()->sessionCount() == 0; }, 5000));
}

TEST_F(ClientTest, TokenGroupsAreJoinedAndRawClientsPublishInSendToGroupMode)
{
    auto listener = openJson({{u"webpubsub.group"_s, QJsonArray{u"room"_s}}});
    auto publisher = open(roles({u"webpubsub.sendToGroup"_s}, u"pub"_s), {},
                          u"&webpubsub_mode=sendToGroup&group=room&noEcho=true"_s);
    publisher->ws.sendTextMessage(u"plain"_s);
    publisher->ws.sendBinaryMessage("\x05");
    ASSERT_TRUE(listener->waitTexts(3));
    EXPECT_EQ(listener->json(1).value(u"data"_s).toString(), u"plain"_s);
    EXPECT_EQ(listener->json(1).value(u"fromUserId"_s).toString(), u"pub"_s);
    EXPECT_EQ(listener->json(2).value(u"dataType"_s).toString(), u"binary"_s);
    EXPECT_TRUE(publisher->texts.isEmpty());
}

TEST_F(ClientTest, RawClientWithoutHandlerIsClosedWith1011)
{
    auto raw = open({}, {});
    raw->ws.sendTextMessage(u"hello"_s);
    ASSERT_TRUE(raw->waitClosed());
    EXPECT_EQ(raw->ws.closeCode(), QWebSocketProtocol::CloseCodeBadOperation); // 1011
}

// ---- reliable ---------------------------------------------------------------------------------------------

TEST_F(ClientTest, ReliableRecoveryReplaysUnackedMessagesWithoutLossOrDuplicates)
{
    auto client = openJson(roles({}), kJsonReliable);
    const QString id = client->json(0).value(u"connectionId"_s).toString();
    const QString reconnection = client->json(0).value(u"reconnectionToken"_s).toString();
    const QString v = u"?api-version=2024-12-01"_s;
    for (int i = 1; i <= 3; ++i)
        ASSERT_EQ(rest(u"/api/hubs/chat/connections/"_s + id + u"/:send"_s + v, QByteArray::number(i),
                       "text/plain"),
                  202);
    ASSERT_TRUE(client->waitTexts(4));
    EXPECT_EQ(client->json(1).value(u"sequenceId"_s).toInt(), 1);
    EXPECT_EQ(client->json(3).value(u"sequenceId"_s).toInt(), 3);
    client->send({{u"type"_s, u"sequenceAck"_s}, {u"sequenceId"_s, 2}});
    client->send({{u"type"_s, u"ping"_s}}); // the pong proves the ack was processed
    ASSERT_TRUE(client->waitTexts(5));
    client->ws.abort();

    // While the client is away the connection still exists and keeps receiving.
    ASSERT_TRUE(QTest::qWaitFor([&] { return chat().connection(id) != nullptr; }, 1000));
    ASSERT_EQ(rest(u"/api/hubs/chat/connections/"_s + id + u"/:send"_s + v, "4", "text/plain"), 202);

    Client again(
        QUrl(url(roles({}), u"&awps_connection_id="_s + id + u"&awps_reconnection_token="_s + reconnection)),
        {kJsonReliable});
    ASSERT_TRUE(again.waitOpen());
    EXPECT_EQ(again.ws.subprotocol(), kJsonReliable);
    ASSERT_TRUE(again.waitTexts(3));
    EXPECT_EQ(again.json(0).value(u"event"_s).toString(), u"connected"_s);
    EXPECT_EQ(again.json(0).value(u"connectionId"_s).toString(), id);
    EXPECT_EQ(again.json(1).value(u"sequenceId"_s).toInt(), 3);
    EXPECT_EQ(again.json(1).value(u"data"_s).toString(), u"3"_s);
    EXPECT_EQ(again.json(2).value(u"sequenceId"_s).toInt(), 4);
    EXPECT_EQ(again.json(2).value(u"data"_s).toString(), u"4"_s);
    ASSERT_EQ(rest(u"/api/hubs/chat/connections/"_s + id + u"/:send"_s + v, "5", "text/plain"), 202);
    ASSERT_TRUE(again.waitTexts(4));
    EXPECT_EQ(again.json(3).value(u"sequenceId"_s).toInt(), 5);
}

TEST_F(ClientTest, RecoveryDropsMessagesWhoseTtlPassedAndReplaysTheRest)
{
    auto client = openJson(roles({}), kJsonReliable);
    const QString id = client->json(0).value(u"connectionId"_s).toString();
    const QString reconnection = client->json(0).value(u"reconnectionToken"_s).toString();
    client->ws.abort();
    ASSERT_TRUE(QTest::qWaitFor([&] { return chat().connection(id) != nullptr; }, 1000));
    const QString send = u"/api/hubs/chat/connections/"_s + id + u"/:send?api-version=2024-12-01"_s;
    ASSERT_EQ(rest(send + u"&messageTtlSeconds=1"_s, "short-lived", "text/plain"), 202);
    ASSERT_EQ(rest(send, "kept", "text/plain"), 202);

    // Outlive the 1 s TTL on a timer this test owns, then recover.
    QTimer ttlPassed;
    ttlPassed.setSingleShot(true);
    QSignalSpy passed(&ttlPassed, &QTimer::timeout);
    ttlPassed.start(1200ms);
    ASSERT_TRUE(passed.wait(5000));

    Client again(
        QUrl(url(roles({}), u"&awps_connection_id="_s + id + u"&awps_reconnection_token="_s + reconnection)),
        {kJsonReliable});
    ASSERT_TRUE(again.waitOpen());
    ASSERT_TRUE(again.waitTexts(2));
    EXPECT_EQ(again.json(0).value(u"event"_s).toString(), u"connected"_s);
    EXPECT_EQ(again.json(1).value(u"data"_s).toString(), u"kept"_s);
    EXPECT_EQ(again.json(1).value(u"sequenceId"_s).toInt(), 2);
    // A later send proves nothing else was queued behind the replay: the expired message never arrives.
    ASSERT_EQ(rest(send, "after", "text/plain"), 202);
    ASSERT_TRUE(again.waitTexts(3));
    EXPECT_EQ(again.json(2).value(u"data"_s).toString(), u"after"_s);
    for (const QString &text : std::as_const(again.texts))
        EXPECT_FALSE(text.contains(u"short-lived"_s)) << text.toStdString();
}

TEST_F(ClientTest, RecoveryAfterTheWindowOrWithABadTokenIsClosedWith1008)
{
    ClientLimits limits;
    limits.recoveryWindow = 100ms;
    m_emulator.reset();
    start(limits);
    auto client = openJson({}, kJsonReliable);
    const QString id = client->json(0).value(u"connectionId"_s).toString();
    const QString reconnection = client->json(0).value(u"reconnectionToken"_s).toString();

    Client wrongToken(QUrl(url({}, u"&awps_connection_id="_s + id + u"&awps_reconnection_token=nope"_s)),
                      {kJsonReliable});
    ASSERT_TRUE(wrongToken.waitClosed());
    EXPECT_EQ(wrongToken.ws.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);

    client->ws.abort();
    ASSERT_TRUE(QTest::qWaitFor([&] { return chat().connection(id) == nullptr; }, 5000));
    Client late(QUrl(url({}, u"&awps_connection_id="_s + id + u"&awps_reconnection_token="_s + reconnection)),
                {kJsonReliable});
    ASSERT_TRUE(late.waitClosed());
    EXPECT_EQ(late.ws.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    EXPECT_TRUE(late.texts.isEmpty());
}

TEST_F(ClientTest, ReliableBufferOverflowCloses1008)
{
    ClientLimits limits;
    limits.maxUnackedMessages = 3;
    m_emulator.reset();
    start(limits);
    auto client = openJson({}, kJsonReliable);
    const QString id = client->json(0).value(u"connectionId"_s).toString();
    Delivery message;
    message.data = "x";
    for (int i = 0; i < 4; ++i)
        chat().deliver(id, message);
    ASSERT_TRUE(client->waitClosed());
    EXPECT_EQ(client->ws.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    EXPECT_EQ(client->ws.closeReason(), u"The reliable message buffer is full."_s);
    EXPECT_TRUE(QTest::qWaitFor([&] { return chat().connection(id) == nullptr; }, 5000));
}

TEST_F(ClientTest, SlowConsumerIsClosed1008)
{
    ClientLimits limits;
    limits.socket.maxQueuedMessages = 5;
    m_emulator.reset();
    start(limits);
    auto client = openJson();
    const QString id = client->json(0).value(u"connectionId"_s).toString();
    Delivery message;
    message.data = "x";
    for (int i = 0; i < 50; ++i) // no event loop turn in between: nothing is flushed
        chat().deliver(id, message);
    ASSERT_TRUE(client->waitClosed());
    EXPECT_EQ(client->ws.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    EXPECT_EQ(client->ws.closeReason(), u"The outbound message queue is full."_s);
}

// ---- framing ----------------------------------------------------------------------------------------------

TEST_F(ClientTest, FragmentedMessagesAreReassembled)
{
    auto client = openJson(roles({u"webpubsub.joinLeaveGroup"_s}));
    client->ws.setOutgoingFrameSize(8);
    client->send({{u"type"_s, u"joinGroup"_s}, {u"group"_s, u"a-long-group-name"_s}, {u"ackId"_s, 1}});
    ASSERT_TRUE(client->waitTexts(2));
    EXPECT_TRUE(client->json(1).value(u"success"_s).toBool());
}

TEST_F(ClientTest, OversizedMessageIsClosed1009)
{
    ClientLimits limits;
    limits.socket.maxMessageBytes = 1024;
    m_emulator.reset();
    start(limits);
    auto client = openJson();
    client->ws.sendTextMessage(QString(2000, u'a'));
    ASSERT_TRUE(client->waitClosed());
    EXPECT_EQ(client->ws.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
}

TEST_F(ClientTest, MalformedFramesAreClosedWithTheirCodes)
{
    const QByteArray target = "/client/hubs/chat?access_token=" + token();
    const QByteArray json = "Sec-WebSocket-Protocol: json.webpubsub.azure.v1\r\n";
    struct Case
    {
        QByteArray frames;
        int code;
    };
    const QList<Case> cases{
        {clientFrame(0x1, "{\"type\":\"ping\"}", true, false), 1002}, // unmasked
        {clientFrame(0x0, "x"), 1002},                                // continuation without a start
        {clientFrame(0x3, "x"), 1002},                                // unknown opcode
        {clientFrame(0x1, "\xff\xfe"), 1007},                         // not UTF-8
        {clientFrame(0x1, "{not json"), 1008},                        // not a request
        {clientFrame(0x1, "{\"type\":\"nonsense\"}"), 1008},          // unknown request type
    };
    for (const Case &c : cases) {
        const RawReply reply = rawUpgrade(target, json, c.frames);
        EXPECT_EQ(reply.status, 101);
        EXPECT_EQ(closeCodeOf(serverFrames(reply.rest)), c.code) << c.frames.toHex().toStdString();
    }
    // A ping split by a control frame between its fragments still works; then a clean client close.
    const RawReply ok = rawUpgrade(target, json,
                                   clientFrame(0x1, "{\"type\":", false) + clientFrame(0x9, "p") +
                                       clientFrame(0x0, "\"ping\"}") + clientFrame(0x8, "\x03\xe8"));
    const auto frames = serverFrames(ok.rest);
    ASSERT_GE(frames.size(), 4);
    EXPECT_EQ(frames.at(1), (QPair<int, QByteArray>{0xA, "p"}));
    EXPECT_EQ(frames.at(2), (QPair<int, QByteArray>{0x1, "{\"type\":\"pong\"}"}));
    EXPECT_EQ(closeCodeOf(frames), 1000);
}

// ---- upstream ---------------------------------------------------------------------------------------------

TEST(ClientUpstream, UserEventReplyArrivesBeforeTheAck)
{
    using Response = wps::test::FaultServer::Response;
    wps::test::FaultServer handler;
    const quint16 handlerPort = handler.listen();
    ASSERT_NE(handlerPort, 0);
    handler.enqueue(Response::answer(200, {}, {{"WebHook-Allowed-Origin", "*"}})); // validation
    handler.setDefault(Response::answer(200, "echo", {{"Content-Type", "text/plain"}}));
    EmulatorOptions options;
    options.accessKey = kKey;
    options.config.hubs[u"chat"_s].eventHandlers.append(
        {u"http://127.0.0.1:%1/upstream/{event}"_s.arg(handlerPort), u"*"_s, {u"connected"_s}});
    Emulator emulator(options);
    auto port = emulator.start();
    ASSERT_TRUE(port);
    const QString authority = u"127.0.0.1:%1"_s.arg(*port);
    const QJsonObject claims{{u"aud"_s, QString(u"http://"_s + authority + u"/client/hubs/chat"_s)},
                             {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 600}};
    Client client(QUrl(u"ws://"_s + authority + u"/client/hubs/chat?access_token="_s +
                       QString::fromLatin1(wps::jwt::signHs256(claims, kKey.toUtf8()))),
                  {kJson});
    ASSERT_TRUE(client.waitTexts(1));
    client.send({{u"type"_s, u"event"_s},
                 {u"event"_s, u"hello"_s},
                 {u"ackId"_s, 1},
                 {u"dataType"_s, u"text"_s},
                 {u"data"_s, u"hi"_s}});
    ASSERT_TRUE(client.waitTexts(3));
    EXPECT_EQ(client.json(1).value(u"from"_s).toString(), u"server"_s);
    EXPECT_EQ(client.json(1).value(u"data"_s).toString(), u"echo"_s);
    EXPECT_EQ(client.json(2), (QJsonObject{{u"type"_s, u"ack"_s}, {u"ackId"_s, 1}, {u"success"_s, true}}));
    // The handler saw the connected event and the user event with the client's payload.
    EXPECT_TRUE(QTest::qWaitFor([&] { return handler.requestCount() >= 3; }, 5000));
    EXPECT_TRUE(handler.bodies().contains("hi"));
}

// ---- the real executable ----------------------------------------------------------------------------------

TEST(ClientProcess, JsonClientConnectsAndReceivesFromRest)
{
    wps::test::EmulatorProcess process;
    ASSERT_TRUE(process.start()) << process.errorText().toStdString();
    const QString authority = u"127.0.0.1:%1"_s.arg(process.port());
    const QByteArray key = process.connectionString().accessKey().toUtf8();
    const QJsonObject claims{{u"aud"_s, QString(u"http://"_s + authority + u"/client/hubs/chat"_s)},
                             {u"sub"_s, u"zoe"_s},
                             {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 600}};
    Client client(QUrl(u"ws://"_s + authority + u"/client/hubs/chat?access_token="_s +
                       QString::fromLatin1(wps::jwt::signHs256(claims, key))),
                  {kJson});
    ASSERT_TRUE(client.waitOpen());
    ASSERT_TRUE(client.waitTexts(1));
    EXPECT_EQ(client.json(0).value(u"userId"_s).toString(), u"zoe"_s);

    QNetworkAccessManager nam;
    const QUrl target(u"http://"_s + authority + u"/api/hubs/chat/users/zoe/:send?api-version=2024-12-01"_s);
    QNetworkRequest request(target);
    request.setRawHeader("Content-Type", "text/plain");
    request.setRawHeader("Authorization",
                         "Bearer " +
                             wps::jwt::signHs256({{u"aud"_s, target.toString(QUrl::FullyEncoded)},
                                                  {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 600}},
                                                 key));
    std::unique_ptr<QNetworkReply> reply(nam.post(request, QByteArray("from rest")));
    ASSERT_TRUE(client.waitTexts(2));
    EXPECT_EQ(client.json(1).value(u"data"_s).toString(), u"from rest"_s);
}
