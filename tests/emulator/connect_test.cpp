// The emulator's upstream wiring end to end: the blocking `connect` event (overrides, custom subprotocols,
// anonymous users, relayed refusals, a client giving up while it waits), per-connection ce-id and
// ce-connectionState, user-event replies, server keepalive pings and dead clients, and the real executable
// with a --config file. The event handler is a small routed HTTP server on 127.0.0.1 written here (the
// handler side of the protocol, not our code); clients are QWebSocket or hand-made frames on a QTcpSocket.
#include "emulator/clientendpoint.h"
#include "emulator/emulator.h"
#include "protocol/cloudevents.h"
#include "protocol/jwt.h"
#include "support/emulatorprocess.h"
#include "support/printers.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <gtest/gtest.h>

#include <functional>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace wps::emulator;

namespace {

const QString kKey = u"connect-test-key-0123456789abcdefghijklmn"_s;
const QString kJson = u"json.webpubsub.azure.v1"_s;
const QString kJsonReliable = u"json.reliable.webpubsub.azure.v1"_s;

/// One request the handler server received.
struct HandlerRequest
{
    QByteArray method;
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; ///< lower-case names
    QByteArray body;

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QString eventName() const { return QString::fromUtf8(header("ce-eventName")); }
    int eventId() const { return header("ce-id").toInt(); }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

/// How the handler server answers one request.
struct HandlerReply
{
    int status = 204;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    bool hang = false; ///< never answer

    static HandlerReply json(const QJsonObject &o, QList<QPair<QByteArray, QByteArray>> headers = {})
    {
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        return {200, QJsonDocument(o).toJson(QJsonDocument::Compact), headers, false};
    }
};

/// A loopback event handler: HTTP/1.1 with keep-alive and Content-Length bodies, answers chosen per request
/// by a function. The abuse-protection OPTIONS is allowed unless the function says otherwise.
class HandlerServer
{
public:
    using Route = std::function<HandlerReply(const HandlerRequest &)>;

    HandlerServer()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { onRead(socket); });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        EXPECT_TRUE(m_server.listen(QHostAddress::LocalHost, 0));
    }
    quint16 port() const { return m_server.serverPort(); }
    QString urlTemplate() const { return u"http://127.0.0.1:%1/upstream/{event}"_s.arg(port()); }
    void setRoute(Route route) { m_route = std::move(route); }

    /// Event requests (POST) received so far, in arrival order.
    QList<HandlerRequest> events() const
    {
        QList<HandlerRequest> result;
        for (const HandlerRequest &r : m_requests)
            if (r.method == "POST")
                result << r;
        return result;
    }
    QList<HandlerRequest> events(const QString &name) const
    {
        QList<HandlerRequest> result;
        for (const HandlerRequest &r : events())
            if (r.eventName() == name)
                result << r;
        return result;
    }
    /// Waits for at least \a n events named \a name.
    bool waitEvents(const QString &name, qsizetype n)
    {
        return QTest::qWaitFor([&] { return events(name).size() >= n; }, 10000);
    }

private:
    void onRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        for (int guard = 0; guard < 100; ++guard) { // bounded: each turn consumes one request or stops
            const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
            if (headEnd < 0)
                return;
            HandlerRequest request;
            const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
            const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
            request.method = requestLine.value(0);
            request.path = requestLine.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    request.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                           lines[i].mid(colon + 1).trimmed());
            }
            const qsizetype length = request.headers.value("content-length").toLongLong();
            if (buffer.size() < headEnd + 4 + length)
                return;
            request.body = buffer.mid(headEnd + 4, length);
            buffer.remove(0, headEnd + 4 + length);
            m_requests << request;

            HandlerReply reply;
            if (request.method == "OPTIONS" || request.method == "GET")
                reply = {200, {}, {{"WebHook-Allowed-Origin", "*"}}, false};
            if (m_route && request.method == "POST")
                reply = m_route(request);
            if (reply.hang)
                continue;
            QByteArray out = "HTTP/1.1 " + QByteArray::number(reply.status) + " X\r\n";
            for (const auto &[name, value] : reply.headers)
                out += name + ": " + value + "\r\n";
            out += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n\r\n" + reply.body;
            socket->write(out);
        }
    }

    QTcpServer m_server;
    Route m_route;
    QList<HandlerRequest> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

/// A QWebSocket that records what it receives.
struct Client
{
    Client(const QUrl &url, const QStringList &protocols, const QByteArray &authorization = {})
    {
        QObject::connect(&ws, &QWebSocket::textMessageReceived, &ws,
                         [this](const QString &m) { texts << m; });
        QObject::connect(&ws, &QWebSocket::disconnected, &ws, [this] { closed = true; });
        QWebSocketHandshakeOptions options;
        options.setSubprotocols(protocols);
        QNetworkRequest request(url);
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        ws.open(request, options);
    }
    bool waitOpen()
    {
        return QTest::qWaitFor([this] { return ws.state() == QAbstractSocket::ConnectedState || closed; },
                               10000) &&
               ws.state() == QAbstractSocket::ConnectedState;
    }
    bool waitTexts(qsizetype n)
    {
        return QTest::qWaitFor([&] { return texts.size() >= n || closed; }, 10000) && texts.size() >= n;
    }
    QJsonObject json(qsizetype i) const { return QJsonDocument::fromJson(texts.value(i).toUtf8()).object(); }
    void send(const QJsonObject &o)
    {
        ws.sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    }

    QWebSocket ws;
    QStringList texts;
    bool closed = false;
};

/// (opcode, payload) of the unmasked server frames in \a bytes.
QList<QPair<int, QByteArray>> serverFrames(const QByteArray &bytes)
{
    QList<QPair<int, QByteArray>> frames;
    qsizetype pos = 0;
    while (pos + 2 <= bytes.size()) { // bounded: every turn advances pos
        const int opcode = static_cast<quint8>(bytes.at(pos)) & 0x0F;
        const qsizetype length = static_cast<quint8>(bytes.at(pos + 1)) & 0x7F;
        if (length >= 126 || pos + 2 + length > bytes.size())
            break;
        frames.append({opcode, bytes.mid(pos + 2, length)});
        pos += 2 + length;
    }
    return frames;
}

/// A masked client frame (payload < 126 bytes).
QByteArray clientFrame(quint8 opcode, const QByteArray &payload)
{
    QByteArray out;
    out += static_cast<char>(0x80 | opcode);
    out += static_cast<char>(0x80 | payload.size());
    const QByteArray mask = "\x01\x02\x03\x04";
    out += mask;
    for (qsizetype i = 0; i < payload.size(); ++i)
        out += static_cast<char>(payload.at(i) ^ mask.at(i % 4));
    return out;
}

/// A handshake over a plain TCP socket that stays open for frames.
struct RawClient
{
    void open(quint16 port, const QByteArray &target, const QByteArray &host)
    {
        QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [this] { received += socket.readAll(); });
        QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [this] { closed = true; });
        socket.connectToHost(QHostAddress::LocalHost, port);
        EXPECT_TRUE(socket.waitForConnected(5000));
        socket.write("GET " + target + " HTTP/1.1\r\nHost: " + host +
                     "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    }
    bool waitHead()
    {
        return QTest::qWaitFor([this] { return received.contains("\r\n\r\n") || closed; }, 10000) &&
               received.contains("\r\n\r\n");
    }
    bool waitClosed()
    {
        return QTest::qWaitFor([this] { return closed; }, 10000);
    }
    int status() const { return received.left(received.indexOf("\r\n")).split(' ').value(1).toInt(); }
    QByteArray head() const { return received.left(received.indexOf("\r\n\r\n")); }
    QByteArray rest() const { return received.mid(received.indexOf("\r\n\r\n") + 4); }
    int pings() const
    {
        int n = 0;
        for (const auto &[opcode, payload] : serverFrames(rest()))
            n += opcode == 0x9 ? 1 : 0;
        return n;
    }

    QTcpSocket socket;
    QByteArray received;
    bool closed = false;
};

class ConnectTest : public ::testing::Test
{
protected:
    void SetUp() override { start(); }

    void start(const ClientLimits &limits = {})
    {
        m_emulator.reset();
        EmulatorOptions options;
        options.accessKey = kKey;
        const EventHandlerSettings handler{
            m_handler.urlTemplate(), u"*"_s, {u"connect"_s, u"connected"_s, u"disconnected"_s}};
        options.config.hubs[u"chat"_s].eventHandlers = {handler};
        options.config.hubs[u"anon"_s].anonymousConnect = true;
        options.config.hubs[u"anon"_s].eventHandlers = {handler};
        options.client = limits;
        options.client.socket.closeTimeout = 300ms;
        options.upstream.retryDelays = {1ms, 1ms, 1ms};
        options.upstream.eventTimeout = 3s;
        options.upstream.validationTimeout = 3s;
        m_emulator = std::make_unique<Emulator>(options);
        auto started = m_emulator->start();
        ASSERT_TRUE(started) << started.error().toStdString();
        m_port = *started;
    }

    QString authority() const { return u"127.0.0.1:%1"_s.arg(m_port); }
    QByteArray token(QJsonObject claims, const QString &hub = u"chat"_s) const
    {
        claims.insert(u"aud"_s, QString(u"http://"_s + authority() + u"/client/hubs/"_s + hub));
        claims.insert(u"exp"_s, QDateTime::currentSecsSinceEpoch() + 3600);
        return wps::jwt::signHs256(claims, kKey.toUtf8());
    }
    QUrl url(const QJsonObject &claims, const QString &extraQuery = {}) const
    {
        return QUrl(u"ws://"_s + authority() + u"/client/hubs/chat?access_token="_s +
                    QString::fromLatin1(token(claims)) + extraQuery);
    }
    QByteArray rawTarget(const QJsonObject &claims) const
    {
        return "/client/hubs/chat?access_token=" + token(claims);
    }
    HubState &chat() { return m_emulator->hubs().hub(u"chat"_s); }
    /// Upstream deliveries have all finished (so an event that was never sent will not come later).
    bool upstreamIdle()
    {
        return QTest::qWaitFor([this] { return m_emulator->upstream()->pendingCount() == 0; }, 10000);
    }

    HandlerServer m_handler;
    std::unique_ptr<Emulator> m_emulator;
    quint16 m_port = 0;
};

QJsonObject alice()
{
    return QJsonObject{{u"sub"_s, u"alice"_s},
                       {u"role"_s, QJsonArray{u"webpubsub.joinLeaveGroup"_s}},
                       {u"custom"_s, u"v"_s}};
}

} // namespace

// ---- connect
// ------------------------------------------------------------------------------------------------

TEST_F(ConnectTest, AcceptedConnectAppliesTheHandlersOverrides)
{
    m_handler.setRoute([](const HandlerRequest &r) {
        if (r.eventName() == u"connect"_s)
            return HandlerReply::json({{u"userId"_s, u"bob"_s},
                                       {u"groups"_s, QJsonArray{u"g1"_s}},
                                       {u"roles"_s, QJsonArray{u"webpubsub.sendToGroup.g1"_s}},
                                       {u"subprotocol"_s, kJson}},
                                      {{"ce-connectionState", "s1"}});
        return HandlerReply{};
    });
    Client client(url(alice(), u"&foo=bar&foo=baz"_s), {kJsonReliable, kJson}, "Bearer " + token(alice()));
    ASSERT_TRUE(client.waitOpen());
    EXPECT_EQ(client.ws.subprotocol(), kJson); // the handler's choice, not the first supported offer
    ASSERT_TRUE(client.waitTexts(1));
    EXPECT_EQ(client.json(0).value(u"event"_s).toString(), u"connected"_s);
    EXPECT_EQ(client.json(0).value(u"userId"_s).toString(), u"bob"_s);
    EXPECT_FALSE(client.json(0).contains(u"reconnectionToken"_s)); // not reliable
    const QString id = client.json(0).value(u"connectionId"_s).toString();

    // Groups joined, roles replaced (the token's joinLeaveGroup is gone).
    EXPECT_EQ(chat().connectionsInGroup(u"g1"_s), QStringList{id});
    EXPECT_TRUE(chat().hasPermission(id, u"sendToGroup"_s, u"g1"_s));
    EXPECT_FALSE(chat().hasPermission(id, u"joinLeaveGroup"_s, u"g2"_s));
    ASSERT_NE(chat().connection(id), nullptr);
    EXPECT_EQ(chat().connection(id)->userId, u"bob"_s);

    // The connect request: ce-id 0, the emulator's host:port as origin, a valid signature, the body of
    // docs/protocol.md#connect-event.
    ASSERT_TRUE(m_handler.waitEvents(u"connected"_s, 1));
    const HandlerRequest connect = m_handler.events(u"connect"_s).value(0);
    EXPECT_EQ(connect.path, "/upstream/connect");
    EXPECT_EQ(connect.eventId(), 0);
    EXPECT_EQ(connect.header("WebHook-Request-Origin"), authority().toUtf8());
    EXPECT_EQ(connect.header("ce-userId"), "alice");
    EXPECT_EQ(connect.header("ce-connectionId"), id.toUtf8());
    EXPECT_TRUE(wps::cloudevents::verifySignature(connect.header("ce-signature"), id, {kKey.toUtf8()}));
    auto body = wps::cloudevents::decodeConnectRequest(connect.body);
    ASSERT_TRUE(body) << body.error().toStdString();
    EXPECT_EQ(body->claims.value(u"sub"_s), QStringList{u"alice"_s});
    EXPECT_EQ(body->claims.value(u"role"_s), QStringList{u"webpubsub.joinLeaveGroup"_s});
    EXPECT_EQ(body->claims.value(u"custom"_s), QStringList{u"v"_s});
    EXPECT_EQ(body->claims.value(u"exp"_s).size(), 1);
    EXPECT_EQ(body->query.value(u"foo"_s), (QStringList{u"bar"_s, u"baz"_s}));
    EXPECT_FALSE(body->query.contains(u"access_token"_s));
    for (auto it = body->headers.cbegin(); it != body->headers.cend(); ++it)
        EXPECT_NE(it.key().toLower(), u"authorization"_s);
    EXPECT_FALSE(body->headers.isEmpty());
    EXPECT_EQ(body->subprotocols, (QStringList{kJsonReliable, kJson}));
    EXPECT_FALSE(connect.body.contains(token(alice())));

    // connected: ce-id 1, the overridden user, the chosen subprotocol, the state the connect answer set.
    const HandlerRequest connected = m_handler.events(u"connected"_s).value(0);
    EXPECT_EQ(connected.eventId(), 1);
    EXPECT_EQ(connected.header("ce-userId"), "bob");
    EXPECT_EQ(connected.header("ce-subprotocol"), kJson.toUtf8());
    EXPECT_EQ(connected.header("ce-connectionState"), "s1");
}

TEST_F(ConnectTest, CustomSubprotocolChosenByTheHandlerMakesARawClient)
{
    m_handler.setRoute([](const HandlerRequest &r) {
        if (r.eventName() == u"connect"_s)
            return HandlerReply::json({{u"subprotocol"_s, u"custom.v1"_s}});
        if (r.eventName() == u"message"_s)
            return HandlerReply{200, "echo:" + r.body, {{"Content-Type", "text/plain"}}, false};
        return HandlerReply{};
    });
    Client client(url(alice()), {u"custom.v1"_s, kJson});
    ASSERT_TRUE(client.waitOpen());
    EXPECT_EQ(client.ws.subprotocol(), u"custom.v1"_s);
    client.ws.sendTextMessage(u"hello"_s);
    ASSERT_TRUE(client.waitTexts(1));
    EXPECT_EQ(client.texts.value(0), u"echo:hello"_s); // a raw frame, no `connected` message before it
    const HandlerRequest message = m_handler.events(u"message"_s).value(0);
    EXPECT_EQ(message.header("ce-subprotocol"), "custom.v1");
    EXPECT_EQ(message.body, "hello");
}

TEST_F(ConnectTest, AnonymousClientGetsItsUserIdFromTheHandler)
{
    m_handler.setRoute([](const HandlerRequest &r) {
        if (r.eventName() == u"connect"_s)
            return HandlerReply::json({{u"userId"_s, u"guest-7"_s}});
        return HandlerReply{};
    });
    Client client(QUrl(u"ws://"_s + authority() + u"/client/hubs/anon"_s), {kJson});
    ASSERT_TRUE(client.waitTexts(1));
    EXPECT_EQ(client.json(0).value(u"userId"_s).toString(), u"guest-7"_s);
    auto body = wps::cloudevents::decodeConnectRequest(m_handler.events(u"connect"_s).value(0).body);
    ASSERT_TRUE(body);
    EXPECT_TRUE(body->claims.isEmpty());
    EXPECT_FALSE(m_handler.events(u"connect"_s).value(0).headers.contains("ce-userid"));
}

TEST_F(ConnectTest, HandlerRefusalsAreRelayedAndLeaveNoConnection)
{
    struct Case
    {
        HandlerReply reply;
        int status;
        QByteArray body; ///< expected in the answer's body
    };
    const QList<Case> cases{
        {{401, "who are you", {{"Content-Type", "text/plain"}}, false}, 401, "who are you"},
        {{403, R"({"detail":"banned"})", {{"Content-Type", "application/json"}}, false}, 403, "banned"},
        {{400, "bad query", {}, false}, 400, "bad query"},
        {{200, "{not json", {}, false}, 500, "InternalServerError"},
        {HandlerReply::json({{u"subprotocol"_s, u"never-offered"_s}}), 500, "InternalServerError"},
        {HandlerReply::json({{u"groups"_s, QJsonArray{u""_s}}}), 500, "InternalServerError"},
        // retried, then relayed (docs/protocol.md#open-question-14)
        {{503, "down", {}, false}, 503, "InternalServerError"},
    };
    for (const Case &c : cases) {
        SCOPED_TRACE(c.status);
        m_handler.setRoute([&c](const HandlerRequest &r) {
            return r.eventName() == u"connect"_s ? c.reply : HandlerReply{};
        });
        RawClient client;
        client.open(m_port, rawTarget(alice()), authority().toUtf8());
        ASSERT_TRUE(client.waitClosed());
        EXPECT_EQ(client.status(), c.status);
        EXPECT_TRUE(client.rest().contains(c.body)) << client.rest().toStdString();
        EXPECT_FALSE(client.head().contains("Sec-WebSocket-Accept"));
    }
    ASSERT_TRUE(upstreamIdle());
    EXPECT_EQ(m_emulator->clientEndpoint()->sessionCount(), 0);
    EXPECT_EQ(m_emulator->clientEndpoint()->pendingConnectCount(), 0);
    EXPECT_TRUE(chat().connectionIds().isEmpty());
    EXPECT_TRUE(m_handler.events(u"connected"_s).isEmpty());
    EXPECT_TRUE(m_handler.events(u"disconnected"_s).isEmpty());
    EXPECT_GE(m_handler.events(u"connect"_s).size(), cases.size());
}

TEST_F(ConnectTest, ClientGivingUpDuringAPendingConnectLeavesNothingBehind)
{
    bool hang = true;
    m_handler.setRoute([&hang](const HandlerRequest &r) {
        if (r.eventName() == u"connect"_s && hang)
            return HandlerReply{0, {}, {}, true};
        return HandlerReply{};
    });
    {
        RawClient client;
        client.open(m_port, rawTarget(alice()), authority().toUtf8());
        ASSERT_TRUE(m_handler.waitEvents(u"connect"_s, 1));
        EXPECT_TRUE(
            QTest::qWaitFor([&] { return m_emulator->clientEndpoint()->pendingConnectCount() == 1; }, 5000));
        EXPECT_TRUE(client.received.isEmpty()); // the upgrade is not answered while the handler thinks
        client.socket.abort();
    }
    EXPECT_TRUE(
        QTest::qWaitFor([&] { return m_emulator->clientEndpoint()->pendingConnectCount() == 0; }, 5000));
    // The handler never answers: the delivery ends with its timeout and its outcome is dropped.
    ASSERT_TRUE(upstreamIdle());
    EXPECT_EQ(m_emulator->clientEndpoint()->sessionCount(), 0);
    EXPECT_TRUE(chat().connectionIds().isEmpty());
    EXPECT_TRUE(m_handler.events(u"connected"_s).isEmpty());

    // The endpoint still works.
    hang = false;
    Client client(url(alice()), {kJson});
    ASSERT_TRUE(client.waitTexts(1));
    EXPECT_EQ(client.json(0).value(u"event"_s).toString(), u"connected"_s);
}

// ---- event IDs and connection state
// -------------------------------------------------------------------------

TEST_F(ConnectTest, EventIdsCountPerConnectionAndTheStateIsCarried)
{
    m_handler.setRoute([](const HandlerRequest &r) {
        const QString name = r.eventName();
        if (name == u"connect"_s)
            return HandlerReply{204, {}, {{"ce-connectionState", "s1"}}, false};
        if (name == u"first"_s)
            return HandlerReply{
                200, "r1", {{"Content-Type", "text/plain"}, {"ce-connectionState", "s2"}}, false};
        if (name == u"second"_s)
            return HandlerReply{204, {}, {}, false}; // no header: the state is kept
        if (name == u"failing"_s)
            return HandlerReply{400, {}, {{"ce-connectionState", "never"}}, false}; // failures change nothing
        return HandlerReply{};
    });
    Client a(url(alice()), {kJson});
    ASSERT_TRUE(a.waitTexts(1));
    const QString idA = a.json(0).value(u"connectionId"_s).toString();
    Client b(url(QJsonObject{{u"sub"_s, u"bea"_s}}), {kJson});
    ASSERT_TRUE(b.waitTexts(1));
    ASSERT_TRUE(m_handler.waitEvents(u"connected"_s, 2));

    auto event = [](const QString &name, int ackId) {
        return QJsonObject{{u"type"_s, u"event"_s},
                           {u"event"_s, name},
                           {u"ackId"_s, ackId},
                           {u"dataType"_s, u"text"_s},
                           {u"data"_s, u"x"_s}};
    };
    a.send(event(u"first"_s, 1));
    ASSERT_TRUE(a.waitTexts(3));
    // The reply comes first, then the ack.
    EXPECT_EQ(a.json(1).value(u"from"_s).toString(), u"server"_s);
    EXPECT_EQ(a.json(1).value(u"data"_s).toString(), u"r1"_s);
    EXPECT_EQ(a.json(2), (QJsonObject{{u"type"_s, u"ack"_s}, {u"ackId"_s, 1}, {u"success"_s, true}}));
    a.send(event(u"second"_s, 2));
    ASSERT_TRUE(a.waitTexts(4));
    a.send(event(u"failing"_s, 3));
    ASSERT_TRUE(a.waitTexts(5));
    EXPECT_EQ(a.json(4).value(u"success"_s).toBool(true), false);
    EXPECT_EQ(a.json(4).value(u"error"_s).toObject().value(u"name"_s).toString(), u"InternalServerError"_s);
    a.send(event(u"third"_s, 4));
    ASSERT_TRUE(a.waitTexts(6));
    a.ws.close();
    ASSERT_TRUE(m_handler.waitEvents(u"disconnected"_s, 1));

    QList<HandlerRequest> ofA;
    for (const HandlerRequest &r : m_handler.events())
        if (r.header("ce-connectionId") == idA.toUtf8())
            ofA << r;
    QStringList names;
    QList<int> ids;
    QList<QByteArray> states;
    for (const HandlerRequest &r : ofA) {
        names << r.eventName();
        ids << r.eventId();
        states << (r.headers.contains("ce-connectionstate") ? r.header("ce-connectionState") : "-"_ba);
    }
    // connected is not blocking, so it may arrive after the first user event: sort by ce-id.
    QList<qsizetype> order;
    for (qsizetype i = 0; i < ofA.size(); ++i)
        order << i;
    std::sort(order.begin(), order.end(), [&](qsizetype x, qsizetype y) { return ids[x] < ids[y]; });
    QStringList sortedNames;
    QList<int> sortedIds;
    QList<QByteArray> sortedStates;
    for (qsizetype i : order) {
        sortedNames << names[i];
        sortedIds << ids[i];
        sortedStates << states[i];
    }
    EXPECT_EQ(sortedNames, (QStringList{u"connect"_s, u"connected"_s, u"first"_s, u"second"_s, u"failing"_s,
                                        u"third"_s, u"disconnected"_s}));
    EXPECT_EQ(sortedIds, (QList<int>{0, 1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(sortedStates, (QList<QByteArray>{"-", "s1", "s1", "s2", "s2", "s2", "s2"}));
    // connected reached the handler before disconnected.
    EXPECT_LT(names.indexOf(u"connected"_s), names.indexOf(u"disconnected"_s));

    // The other connection has its own sequence.
    const QList<HandlerRequest> connected = m_handler.events(u"connected"_s);
    for (const HandlerRequest &r : connected)
        EXPECT_EQ(r.eventId(), 1);
}

// ---- keepalive
// ----------------------------------------------------------------------------------------------

TEST_F(ConnectTest, ServerPingsKeepAnsweringClientsAndDropDeadOnes)
{
    ClientLimits limits;
    limits.socket.keepAliveInterval = 150ms;
    limits.socket.keepAliveMaxMissed = 3;
    start(limits);
    m_handler.setRoute([](const HandlerRequest &) { return HandlerReply{}; });

    // A QWebSocket answers pings by itself; it connects first, so its pings are due first.
    Client alive(url(alice()), {kJson});
    ASSERT_TRUE(alive.waitTexts(1));
    const QString aliveId = alive.json(0).value(u"connectionId"_s).toString();

    // A client that answers some pings by hand, then goes silent.
    RawClient silent;
    silent.open(m_port, rawTarget(QJsonObject{{u"sub"_s, u"quiet"_s}}), authority().toUtf8());
    ASSERT_TRUE(silent.waitHead());
    EXPECT_EQ(silent.status(), 101);
    for (int answered = 1; answered <= 4; ++answered) {
        ASSERT_TRUE(QTest::qWaitFor([&] { return silent.pings() >= answered || silent.closed; }, 5000));
        ASSERT_FALSE(silent.closed);
        silent.socket.write(clientFrame(0xA, {})); // pong
    }
    ASSERT_TRUE(silent.waitClosed()); // now silent: dropped after three unanswered pings
    EXPECT_GE(silent.pings(), 4 + 3); // at least three went unanswered before the drop

    ASSERT_TRUE(m_handler.waitEvents(u"disconnected"_s, 1));
    const HandlerRequest disconnected = m_handler.events(u"disconnected"_s).value(0);
    EXPECT_EQ(disconnected.header("ce-userId"), "quiet");
    EXPECT_TRUE(disconnected.json().value(u"reason"_s).toString().contains(u"keepalive"_s));

    // The QWebSocket client, connected longer, is still there.
    EXPECT_EQ(alive.ws.state(), QAbstractSocket::ConnectedState);
    EXPECT_FALSE(alive.closed);
    EXPECT_TRUE(chat().connectionIds().contains(aliveId));
}

TEST(ConnectKeepAlive, TheHubsIntervalOverridesTheDefault)
{
    EmulatorOptions options;
    options.accessKey = kKey;
    options.client.socket.keepAliveInterval = 0ms; // no pings by default ...
    options.config.hubs[u"anon"_s].anonymousConnect = true;
    options.config.hubs[u"anon"_s].keepAliveSeconds = 1; // ... but this hub asks for them
    Emulator emulator(options);
    auto port = emulator.start();
    ASSERT_TRUE(port);
    RawClient client;
    client.open(*port, "/client/hubs/anon", u"127.0.0.1:%1"_s.arg(*port).toUtf8());
    ASSERT_TRUE(client.waitHead());
    EXPECT_EQ(client.status(), 101);
    EXPECT_TRUE(QTest::qWaitFor([&] { return client.pings() >= 1 || client.closed; }, 10000));
    EXPECT_GE(client.pings(), 1);
}

// ---- the real executable
// --------------------------------------------------------------------------------------

TEST(ConnectProcess, ConfigFileHandlersAndAnonymousConnectTakeEffect)
{
    HandlerServer handler;
    handler.setRoute([](const HandlerRequest &r) {
        if (r.eventName() == u"connect"_s)
            return HandlerReply::json({{u"userId"_s, u"from-handler"_s}});
        return HandlerReply{};
    });
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(u"emulator.json"_s);
    {
        QFile file(path);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        const QJsonObject hub{
            {u"anonymousConnect"_s, true},
            {u"eventHandlers"_s,
             QJsonArray{QJsonObject{{u"urlTemplate"_s, handler.urlTemplate()},
                                    {u"systemEvents"_s, QJsonArray{u"connect"_s, u"connected"_s}}}}}};
        file.write(QJsonDocument(QJsonObject{{u"hubs"_s, QJsonObject{{u"chat"_s, hub}}}}).toJson());
    }
    wps::test::EmulatorProcess process;
    ASSERT_TRUE(process.start({u"--config"_s, path})) << process.errorText().toStdString();
    const QString authority = u"127.0.0.1:%1"_s.arg(process.port());

    Client client(QUrl(u"ws://"_s + authority + u"/client/hubs/chat"_s), {kJson}); // no token
    ASSERT_TRUE(client.waitTexts(1));
    EXPECT_EQ(client.json(0).value(u"userId"_s).toString(), u"from-handler"_s);
    ASSERT_TRUE(handler.waitEvents(u"connected"_s, 1));
    const HandlerRequest connect = handler.events(u"connect"_s).value(0);
    EXPECT_EQ(connect.eventId(), 0);
    EXPECT_EQ(connect.header("WebHook-Request-Origin"), authority.toUtf8());
    EXPECT_EQ(handler.events(u"connected"_s).value(0).eventId(), 1);
    EXPECT_EQ(handler.events(u"connected"_s).value(0).header("ce-userId"), "from-handler");
}
