// Issue 15 (hardening), hostile client input against the real emulator on loopback: a protobuf client's
// json_data cannot forge members of the JSON frames other clients get, JSON payloads are forwarded byte for
// byte, lone surrogates are refused with an error ack, a hostile wildcard role costs linear time, event
// names cannot move a handler request to another path, a newline in an event name cannot forge a log line,
// and a loopback emulator answers the demo routes and client upgrades only under its own host names.
#include "emulator/emulator.h"
#include "emulator/hubstate.h"
#include "emulator/upstream/eventhandlers.h"
#include "protocol/clienttoken.h"
#include "protocol/glob.h"
#include "protocol/jwt.h"
#include "protocol/messages.h"
#include "support/emulatorprocess.h"
#include "support/faultserver.h"
#include "support/printers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace wps::emulator;
namespace msg = wps::messages;

namespace {

const QString kKey = u"input-validation-key-0123456789abcdefghij"_s;
const QString kJson = u"json.webpubsub.azure.v1"_s;
const QString kProtobuf = u"protobuf.webpubsub.azure.v1"_s;

/// A QWebSocket that records what it receives.
struct Peer
{
    Peer(const QUrl &url, const QString &protocol)
    {
        QObject::connect(&ws, &QWebSocket::textMessageReceived, &ws,
                         [this](const QString &m) { texts << m; });
        QObject::connect(&ws, &QWebSocket::binaryMessageReceived, &ws,
                         [this](const QByteArray &m) { binaries << m; });
        QObject::connect(&ws, &QWebSocket::disconnected, &ws, [this] { closed = true; });
        QWebSocketHandshakeOptions options;
        options.setSubprotocols({protocol});
        ws.open(QNetworkRequest(url), options);
    }
    bool waitTexts(qsizetype n)
    {
        return QTest::qWaitFor([&] { return texts.size() >= n || closed; }, 5000) && texts.size() >= n;
    }
    bool waitBinaries(qsizetype n)
    {
        return QTest::qWaitFor([&] { return binaries.size() >= n || closed; }, 5000) && binaries.size() >= n;
    }
    QJsonObject json(qsizetype i) const { return QJsonDocument::fromJson(texts.value(i).toUtf8()).object(); }
    /// The protobuf service message \a i.
    msg::ServiceMessage proto(qsizetype i) const
    {
        auto decoded = msg::protobuf::decodeMessage(binaries.value(i));
        return decoded ? *decoded : msg::ServiceMessage(msg::Unknown{u"undecodable"_s});
    }
    void sendRaw(const QByteArray &utf8) { ws.sendTextMessage(QString::fromUtf8(utf8)); }

    QWebSocket ws;
    QStringList texts;
    QList<QByteArray> binaries;
    bool closed = false;
};

msg::Ack ackOf(const msg::ServiceMessage &message)
{
    const auto *ack = std::get_if<msg::Ack>(&message);
    return ack ? *ack : msg::Ack{0, true, u"not an ack"_s, {}};
}

class InputValidationTest : public ::testing::Test
{
protected:
    void SetUp() override { start({}); }

    void start(const HubSettings &chat)
    {
        m_emulator.reset();
        EmulatorOptions options;
        options.accessKey = kKey;
        options.config.hubs[u"chat"_s] = chat;
        options.upstream.retryDelays = {1ms, 1ms, 1ms};
        options.upstream.eventTimeout = 3s;
        options.upstream.validationTimeout = 3s;
        m_emulator = std::make_unique<Emulator>(options);
        auto started = m_emulator->start();
        ASSERT_TRUE(started) << started.error().toStdString();
        m_port = *started;
    }

    QString authority() const { return u"127.0.0.1:%1"_s.arg(m_port); }

    QUrl url(const QString &user, const QStringList &roles) const
    {
        const QJsonObject claims{{u"sub"_s, user},
                                 {u"role"_s, QJsonArray::fromStringList(roles)},
                                 {u"aud"_s, QString(u"http://"_s + authority() + u"/client/hubs/chat"_s)},
                                 {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 3600}};
        return QUrl(u"ws://"_s + authority() + u"/client/hubs/chat?access_token="_s +
                    QString::fromLatin1(wps::jwt::signHs256(claims, kKey.toUtf8())));
    }

    /// A JSON client whose `connected` message has arrived.
    std::unique_ptr<Peer> json(const QString &user, const QStringList &roles)
    {
        auto peer = std::make_unique<Peer>(url(user, roles), kJson);
        EXPECT_TRUE(peer->waitTexts(1));
        return peer;
    }
    std::unique_ptr<Peer> protobuf(const QString &user, const QStringList &roles)
    {
        auto peer = std::make_unique<Peer>(url(user, roles), kProtobuf);
        EXPECT_TRUE(peer->waitBinaries(1));
        return peer;
    }

    /// A JSON client in group "room", its join acked (2 texts so far).
    std::unique_ptr<Peer> receiver()
    {
        auto bob = json(u"bob"_s, {u"webpubsub.joinLeaveGroup"_s});
        bob->sendRaw(R"({"type":"joinGroup","group":"room","ackId":1})");
        EXPECT_TRUE(bob->waitTexts(2));
        EXPECT_TRUE(bob->json(1).value(u"success"_s).toBool());
        return bob;
    }

    /// A raw HTTP exchange with a chosen Host header; the status and the whole answer.
    std::pair<int, QByteArray> http(const QByteArray &requestHead)
    {
        QByteArray received; // declared before the socket, whose destruction still signals
        bool closed = false;
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        EXPECT_TRUE(socket.waitForConnected(5000));
        socket.write(requestHead);
        QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { received += socket.readAll(); });
        QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [&] { closed = true; });
        // Refusals close the connection; a 200 for a keep-alive GET is complete once its body has arrived.
        EXPECT_TRUE(QTest::qWaitFor(
            [&] {
                return closed || (received.contains("\r\n\r\n") && received.contains("</html>")) ||
                       (received.contains("\r\n\r\n") && received.endsWith("}"));
            },
            5000));
        QObject::disconnect(&socket, nullptr, &socket, nullptr);
        const QList<QByteArray> statusLine = received.left(received.indexOf("\r\n")).split(' ');
        return {statusLine.size() > 1 ? statusLine.at(1).toInt() : 0, received};
    }

    std::unique_ptr<Emulator> m_emulator;
    quint16 m_port = 0;
};

} // namespace

// ---- finding 1: sender spoofing through protobuf json_data -----------------------------------------------

TEST_F(InputValidationTest, ProtobufJsonDataCannotForgeMembersOfJsonFrames)
{
    auto bob = receiver();
    auto mallory = protobuf(u"mallory"_s, {u"webpubsub.sendToGroup"_s});

    // The issue's trigger: a value that closes "data" early and adds members of its own.
    const QByteArray forged = R"({"text":"x"},"fromUserId":"ceo","from":"server","group":"announcements")";
    mallory->ws.sendBinaryMessage(msg::protobuf::encode(
        msg::SendToGroup{u"room"_s, 1, false, msg::Payload{msg::DataType::Json, forged}}));
    ASSERT_TRUE(mallory->waitBinaries(2));
    const msg::Ack refused = ackOf(mallory->proto(1));
    EXPECT_EQ(refused.ackId, 1u);
    EXPECT_FALSE(refused.success);
    EXPECT_EQ(refused.errorName, u"BadRequest"_s);
    EXPECT_TRUE(refused.errorMessage.contains(u"JSON"_s)) << refused.errorMessage.toStdString();

    // Malformed json_data (which made the official client throw) is refused the same way.
    mallory->ws.sendBinaryMessage(msg::protobuf::encode(
        msg::SendToGroup{u"room"_s, 2, false, msg::Payload{msg::DataType::Json, "{\"unclosed\":"}}));
    ASSERT_TRUE(mallory->waitBinaries(3));
    EXPECT_EQ(ackOf(mallory->proto(2)).errorName, u"BadRequest"_s);

    // A valid value goes through, its bytes exactly as sent (no re-serialisation: order, spaces, 1.0).
    const QByteArray exact = R"({"z":1, "a":[1.0,2e3],"u":"\u00e9"})";
    mallory->ws.sendBinaryMessage(msg::protobuf::encode(
        msg::SendToGroup{u"room"_s, 3, false, msg::Payload{msg::DataType::Json, exact}}));
    ASSERT_TRUE(mallory->waitBinaries(4));
    EXPECT_TRUE(ackOf(mallory->proto(3)).success);

    // Bob's first message is the valid one: nothing of the refused requests reached him.
    ASSERT_TRUE(bob->waitTexts(3));
    const QByteArray frame = bob->texts.at(2).toUtf8();
    EXPECT_TRUE(frame.contains(QByteArray(",\"data\":" + exact + "}"))) << frame.toStdString();
    const QJsonObject message = bob->json(2);
    EXPECT_EQ(message.value(u"fromUserId"_s).toString(), u"mallory"_s);
    EXPECT_EQ(message.value(u"group"_s).toString(), u"room"_s);
    EXPECT_EQ(message.value(u"from"_s).toString(), u"group"_s);
}

TEST_F(InputValidationTest, JsonPayloadsAreForwardedByteForByte)
{
    auto bob = receiver();
    auto alice = json(u"alice"_s, {u"webpubsub.sendToGroup"_s});
    const QByteArray data = R"( {"z": 1,"a" :[1.0, 2E3, -0.0],"s":"\u00e9\/"} )";
    alice->sendRaw(R"({"type":"sendToGroup","group":"room","ackId":7,"dataType":"json","data":)" + data +
                   "}");
    ASSERT_TRUE(bob->waitTexts(3));
    // The value without its surrounding spaces, every byte inside it as sent.
    EXPECT_TRUE(bob->texts.at(2).toUtf8().contains(QByteArray(",\"data\":" + data.trimmed() + "}")))
        << bob->texts.at(2).toStdString();
}

// ---- finding 10: lone surrogates
// ----------------------------------------------------------------------------

TEST_F(InputValidationTest, LoneSurrogatesAreRefusedWithAnErrorAck)
{
    auto bob = receiver();
    auto alice = json(u"alice"_s, {u"webpubsub.sendToGroup"_s, u"webpubsub.joinLeaveGroup"_s});
    alice->sendRaw(R"({"type":"joinGroup","group":"a\ud800","ackId":1})");
    alice->sendRaw(R"({"type":"sendToGroup","group":"room","ackId":2,"dataType":"text","data":"x\udc00y"})");
    alice->sendRaw(R"({"type":"event","event":"e\ud800","ackId":3,"dataType":"text","data":"x"})");
    ASSERT_TRUE(alice->waitTexts(4));
    for (qsizetype i = 1; i <= 3; ++i) {
        const QJsonObject ack = alice->json(i);
        EXPECT_EQ(ack.value(u"ackId"_s).toInt(), i);
        EXPECT_FALSE(ack.value(u"success"_s).toBool()) << alice->texts.at(i).toStdString();
        EXPECT_EQ(ack.value(u"error"_s).toObject().value(u"name"_s).toString(), u"BadRequest"_s);
        EXPECT_TRUE(ack.value(u"error"_s).toObject().value(u"message"_s).toString().contains(u"surrogate"_s));
    }
    EXPECT_EQ(m_emulator->hubs().hub(u"chat"_s).connectionsInGroup(u"a?"_s).size(), 0);
    EXPECT_EQ(m_emulator->hubs().hub(u"chat"_s).connectionsInGroup(u"room"_s).size(), 1); // bob only

    // A protobuf client cannot send such text at all: proto3 strings must be UTF-8 and the frame does not
    // parse (the connection is closed with 1008; no message is forwarded).
    auto carol = protobuf(u"carol"_s, {u"webpubsub.sendToGroup"_s});
    QByteArray frame = msg::protobuf::encode(
        msg::SendToGroup{u"room"_s, 4, false, msg::Payload{msg::DataType::Text, "xyz"}});
    frame.replace("xyz", QByteArray("\xED\xA0\x80")); // a surrogate's three-byte form
    carol->ws.sendBinaryMessage(frame);
    EXPECT_TRUE(QTest::qWaitFor([&] { return carol->closed; }, 5000));
    EXPECT_EQ(carol->ws.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);

    // Then a valid message: the first bob sees.
    alice->sendRaw(
        R"({"type":"sendToGroup","group":"room","ackId":5,"dataType":"text","data":"ok \ud83d\ude00"})");
    ASSERT_TRUE(bob->waitTexts(3));
    EXPECT_EQ(bob->json(2).value(u"data"_s).toString(), u"ok \U0001F600"_s);
}

// ---- finding 9: wildcard roles in linear time
// ---------------------------------------------------------------

TEST_F(InputValidationTest, HostileWildcardRoleIsMatchedWithoutBacktracking)
{
    // The issue's trigger: 0.5 s per check with the former regex, 20 pipelined joins stalled the server for
    // 8.5 s. Here the 20 answers, and an independent client's, arrive within the usual waits.
    auto mallory = json(u"mallory"_s, {u"webpubsub.joinLeaveGroups.*a*a*a*a*b"_s});
    auto other = json(u"other"_s, {});
    const QString name(1023, u'a');
    for (int i = 0; i < 20; ++i)
        mallory->sendRaw(u"{\"type\":\"joinGroup\",\"group\":\"%1%2\",\"ackId\":%3}"_s.arg(name)
                             .arg(QChar(u'c' + i % 20))
                             .arg(i + 1)
                             .toUtf8());
    other->sendRaw(R"({"type":"ping"})");
    ASSERT_TRUE(mallory->waitTexts(21));
    ASSERT_TRUE(other->waitTexts(2));
    for (qsizetype i = 1; i <= 20; ++i)
        EXPECT_EQ(mallory->json(i).value(u"error"_s).toObject().value(u"name"_s).toString(), u"Forbidden"_s);
    // The pattern still matches what it should.
    EXPECT_TRUE(groupPatternMatches(u"*a*a*a*a*b"_s, name + u'b'));
    EXPECT_FALSE(groupPatternMatches(u"*a*a*a*a*b"_s, name + u'c'));
}

TEST(Glob, StarsQuestionMarksAndEscapesMatchPerSyntax)
{
    using wps::glob::matches;
    using wps::glob::Syntax;
    EXPECT_TRUE(matches(u"chat-*", u"chat-"));
    EXPECT_TRUE(matches(u"**", u""));
    EXPECT_TRUE(matches(u"a**b", u"a.x.y.b"));
    EXPECT_FALSE(matches(u"a*b", u"a.b"));
    EXPECT_TRUE(matches(u"?.?", u"a.b"));
    EXPECT_FALSE(matches(u"?", u"."));
    EXPECT_FALSE(matches(u"?", u""));
    EXPECT_TRUE(matches(u"\\?\\\\", u"?\\"));
    bool valid = true;
    EXPECT_FALSE(matches(u"a\\b", u"a\\b", Syntax{}, &valid));
    EXPECT_FALSE(valid);
    // Event patterns: '\' is literal, case-insensitive, and a trailing newline is not ignored.
    const Syntax events{false, Qt::CaseInsensitive};
    EXPECT_TRUE(matches(u"a\\b", u"A\\B", events));
    EXPECT_TRUE(matches(u"Chat.*", u"chat.JOIN", events));
    EXPECT_FALSE(matches(u"chat", u"chat\n", events));
    EXPECT_TRUE(upstream::matchesUserEventPattern(u"x, chat.**"_s, u"chat.a.b"_s));
    EXPECT_FALSE(upstream::matchesUserEventPattern(u"chat"_s, u"chat\n"_s));
}

// ---- finding 6: event names in handler URLs
// -----------------------------------------------------------------

TEST(HandlerUrl, NamesArePercentEncodedAsOnePathSegment)
{
    const QUrl url = upstream::expandUrlTemplate(u"http://127.0.0.1:9/api/{hub}/{event}?e={event}"_s,
                                                 u"chat"_s, u"../../admin?x=1#"_s);
    ASSERT_TRUE(url.isValid());
    EXPECT_EQ(url.host(), u"127.0.0.1"_s);
    EXPECT_EQ(url.path(QUrl::FullyEncoded), u"/api/chat/..%2F..%2Fadmin%3Fx%3D1%23"_s);
    EXPECT_FALSE(url.hasFragment());
    EXPECT_TRUE(url.query(QUrl::FullyEncoded).startsWith(u"e=..%2F..%2Fadmin%3F"_s))
        << url.query(QUrl::FullyEncoded).toStdString();
    // Dot segments cannot be encoded (QUrl decodes %2E): such names have no handler URL.
    EXPECT_TRUE(upstream::expandUrlTemplate(u"http://h/api/{event}"_s, u"chat"_s, u".."_s).isEmpty());
    EXPECT_TRUE(upstream::expandUrlTemplate(u"http://h/api/{event}"_s, u"chat"_s, u"."_s).isEmpty());
    EXPECT_EQ(upstream::expandUrlTemplate(u"http://h/api/{EVENT}"_s, u"chat"_s, u"a b/c"_s)
                  .path(QUrl::FullyEncoded),
              u"/api/a%20b%2Fc"_s);
    // Placeholders where they would choose the destination are refused.
    EXPECT_FALSE(upstream::checkUrlTemplate(u"http://{event}.example/x"_s).isEmpty());
    EXPECT_FALSE(upstream::checkUrlTemplate(u"http://user:{hub}@h/x"_s).isEmpty());
    EXPECT_FALSE(upstream::checkUrlTemplate(u"http://h:{event}/x"_s).isEmpty());
    EXPECT_TRUE(upstream::checkUrlTemplate(u"http://h:8080/{hub}/api?event={event}"_s).isEmpty());
    EXPECT_TRUE(upstream::checkUrlTemplate(u"https://h?x={event}"_s).isEmpty());
}

TEST_F(InputValidationTest, EventNameCannotMoveTheHandlerRequest)
{
    wps::test::FaultServer handler;
    const quint16 port = handler.listen();
    handler.setDefault(wps::test::FaultServer::Response::answer(200, {}, {{"WebHook-Allowed-Origin", "*"}}));
    HubSettings chat;
    chat.eventHandlers.append({u"http://127.0.0.1:%1/upstream/{hub}/{event}"_s.arg(port), u"*"_s, {}});
    start(chat);

    auto alice = json(u"alice"_s, {});
    alice->sendRaw(R"({"type":"event","event":"../../admin?x=1#","ackId":1,"dataType":"text","data":"x"})");
    alice->sendRaw(R"({"type":"event","event":"..","ackId":2,"dataType":"text","data":"x"})");
    ASSERT_TRUE(alice->waitTexts(3));
    QHash<int, QJsonObject> acks;
    for (qsizetype i = 1; i <= 2; ++i)
        acks.insert(alice->json(i).value(u"ackId"_s).toInt(), alice->json(i));
    EXPECT_TRUE(acks.value(1).value(u"success"_s).toBool()) << alice->texts.join(u'\n').toStdString();
    EXPECT_FALSE(acks.value(2).value(u"success"_s).toBool()); // ".." has no handler URL

    QList<QByteArray> posts;
    for (const QByteArray &head : handler.requests())
        if (head.startsWith("POST "))
            posts << head.left(head.indexOf("\r\n"));
    ASSERT_EQ(posts.size(), 1) << handler.requests().join("\n---\n").toStdString();
    EXPECT_EQ(posts.at(0), "POST /upstream/chat/..%2F..%2Fadmin%3Fx%3D1%23 HTTP/1.1");
}

// ---- finding 10: DNS-rebinding guard
// ------------------------------------------------------------------------

TEST_F(InputValidationTest, LoopbackEmulatorAnswersOnlyItsOwnHostNames)
{
    const QByteArray port = QByteArray::number(m_port);
    for (const QByteArray &host :
         QList<QByteArray>{"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port,
                           "localhost:9000"_ba /* a local proxy or tunnel */, "127.0.0.1"_ba}) {
        const auto [status, body] =
            http("GET /demo HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        EXPECT_EQ(status, 200) << host.toStdString() << body.left(300).toStdString();
    }
    for (const QByteArray &host :
         QList<QByteArray>{"evil.example:" + port, "evil.example"_ba, "localhost.evil.example:" + port,
                           "127.0.0.2:" + port, "localhost:x"_ba, "[::1]x"_ba, ""_ba}) {
        const auto [status, body] =
            http("GET /demo/negotiate?hub=chat HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        EXPECT_EQ(status, 403) << host.toStdString();
        EXPECT_TRUE(body.contains("DNS rebinding")) << body.toStdString();
        EXPECT_FALSE(body.contains("access_token")) << "no client URL is negotiated for a foreign host";
    }
    // The client endpoint: the upgrade is refused before any token is looked at.
    const auto [status, body] =
        http("GET /client/hubs/chat HTTP/1.1\r\nHost: rebound.example:" + port +
             "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    EXPECT_EQ(status, 403);
    EXPECT_TRUE(body.contains("Error.Forbidden")) << body.toStdString();
    EXPECT_TRUE(body.contains("DNS rebinding")) << body.toStdString();
    // The REST API is not behind the guard (SDKs and tools reach it by any name; it needs a key anyway).
    const auto [restStatus, restBody] =
        http("GET /api/health HTTP/1.1\r\nHost: other.example\r\nConnection: close\r\n\r\n");
    EXPECT_NE(restStatus, 403) << restBody.toStdString();
}

// ---- finding 10: control characters in logs
// -----------------------------------------------------------------

TEST(InputValidationProcess, NewlineInAnEventNameCannotForgeALogLine)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    wps::ClientTokenOptions options;
    options.userId = u"alice"_s;
    const wps::ClientAccess access = wps::makeClientAccess(emulator.connectionString(), u"chat"_s, options);
    Peer alice(access.url, kJson);
    ASSERT_TRUE(alice.waitTexts(1));
    alice.sendRaw(
        R"({"type":"event","event":"x\n2026-01-01T00:00:00.000 wps.emulator.rest: FORGED\r\u0085y","ackId":1,"dataType":"text","data":"x"})");
    ASSERT_TRUE(alice.waitTexts(2));
    EXPECT_FALSE(alice.json(1).value(u"success"_s).toBool()); // no handler
    ASSERT_TRUE(QTest::qWaitFor([&] { return emulator.log().contains(u"FORGED"_s); }, 5000))
        << emulator.log().toStdString();
    const QString log = emulator.log();
    EXPECT_TRUE(log.contains(u"x\\n2026-01-01T00:00:00.000 wps.emulator.rest: FORGED\\r\\u{0085}y"_s))
        << log.toStdString();
    for (const QString &line : log.split(u'\n'))
        EXPECT_FALSE(line.startsWith(u"2026-01-01T00:00:00.000"_s)) << line.toStdString();
}
