// Invocations end to end (docs/emulator.md "Invocations"): a client's `invoke` reaches the hub's event
// handler as the user event's CloudEvent, the handler's answer comes back as the `invokeResponse`, failures,
// timeouts and a missing handler are error answers, cancelInvocation forgets the invocation, and the
// per-connection bound refuses with an answer. The event handler is a small routed HTTP server on 127.0.0.1
// written here (the handler side of the protocol, not our code); clients are QWebSocket with hand-written
// JSON frames and the console's LiveClient over protobuf.
#include "emulator/emulator.h"
#include "live/invocations.h"
#include "live/liveclient.h"
#include "protocol/jwt.h"
#include "support/printers.h"
#include "support/wait.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <gtest/gtest.h>

#include <functional>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using wps::test::kWaitMs;
using namespace std::chrono_literals;
using namespace wps::emulator;

namespace {

const QString kKey = u"invoke-test-key-0123456789abcdefghijklmnop"_s;
const QString kJson = u"json.webpubsub.azure.v1"_s;
const QString kJsonReliable = u"json.reliable.webpubsub.azure.v1"_s;

struct HandlerRequest
{
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; ///< lower-case names
    QByteArray body;
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

/// A loopback event handler, HTTP/1.1 keep-alive with Content-Length bodies. Routes by the event name in
/// the path (/upstream/{event}): echo (200, the body back with its Content-Type), fail (500), empty (204),
/// slow (never answers). The abuse-protection OPTIONS is allowed.
class Handler
{
public:
    Handler()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { onRead(socket); });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        EXPECT_TRUE(m_server.listen(QHostAddress::LocalHost, 0));
    }
    QString urlTemplate() const
    {
        return u"http://127.0.0.1:%1/upstream/{event}"_s.arg(m_server.serverPort());
    }
    QList<HandlerRequest> posts;

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
            const QByteArray method = requestLine.value(0);
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
            QByteArray out;
            if (method != "POST") {
                out = "HTTP/1.1 200 OK\r\nWebHook-Allowed-Origin: *\r\nContent-Length: 0\r\n\r\n";
            } else {
                posts << request;
                if (request.path.endsWith("/echo"))
                    out = "HTTP/1.1 200 OK\r\nContent-Type: " + request.header("content-type") +
                          "\r\nContent-Length: " + QByteArray::number(request.body.size()) + "\r\n\r\n" +
                          request.body;
                else if (request.path.endsWith("/fail"))
                    out = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops";
                else if (request.path.endsWith("/empty"))
                    out = "HTTP/1.1 204 No Content\r\n\r\n";
                else
                    continue; // slow: never answered
            }
            socket->write(out);
        }
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

/// A QWebSocket that records the JSON frames it receives.
struct Client
{
    Client(const QUrl &url, const QString &protocol)
    {
        QObject::connect(&ws, &QWebSocket::textMessageReceived, &ws, [this](const QString &m) {
            texts << m;
            frames << QJsonDocument::fromJson(m.toUtf8()).object();
        });
        QObject::connect(&ws, &QWebSocket::disconnected, &ws, [this] { closed = true; });
        QWebSocketHandshakeOptions options;
        options.setSubprotocols({protocol});
        ws.open(QNetworkRequest(url), options);
    }
    bool waitConnected()
    {
        return QTest::qWaitFor([this] { return !frames.isEmpty() || closed; }, kWaitMs) && !frames.isEmpty();
    }
    void send(const QByteArray &json) { ws.sendTextMessage(QString::fromUtf8(json)); }
    /// The invokeResponse for \a id (empty until it came).
    QJsonObject response(const QString &id) const
    {
        for (const QJsonObject &f : frames)
            if (f.value(u"type"_s) == u"invokeResponse"_s && f.value(u"invocationId"_s).toString() == id)
                return f;
        return {};
    }
    QString rawResponse(const QString &id) const
    {
        for (const QString &t : texts)
            if (t.contains(u"\"invokeResponse\""_s) && t.contains(u"\"invocationId\":\"%1\""_s.arg(id)))
                return t;
        return {};
    }
    QJsonObject waitResponse(const QString &id)
    {
        EXPECT_TRUE(QTest::qWaitFor([&] { return !response(id).isEmpty() || closed; }, kWaitMs))
            << "no invokeResponse for " << id.toStdString();
        return response(id);
    }

    QWebSocket ws;
    QStringList texts;
    QList<QJsonObject> frames;
    bool closed = false;
};

/// A live-trace listener (/livetrace, SignalR JSON hub protocol): collects the logEvent data objects.
struct TraceClient
{
    QWebSocket socket;
    QList<QJsonObject> events;
    bool handshaken = false;
    bool listening = false;

    bool listen(const QUrl &url)
    {
        QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket, [this](const QString &text) {
            for (const QByteArray &part : text.toUtf8().split('\x1e')) {
                if (part.isEmpty())
                    continue;
                const QJsonObject record = QJsonDocument::fromJson(part).object();
                if (record.isEmpty() && part == "{}")
                    handshaken = true;
                if (record.value(u"type"_s).toInt() == 3)
                    listening = true;
                if (record.value(u"target"_s).toString() == u"logEvent"_s)
                    for (const QJsonValue &argument : record.value(u"arguments"_s).toArray())
                        events << argument.toObject();
            }
        });
        QSignalSpy connected(&socket, &QWebSocket::connected);
        socket.open(url);
        if (!connected.wait(kWaitMs))
            return false;
        socket.sendTextMessage(u"{\"protocol\":\"json\",\"version\":1}\x1e"_s);
        if (!QTest::qWaitFor([this] { return handshaken; }, kWaitMs))
            return false;
        socket.sendTextMessage(
            u"{\"type\":1,\"invocationId\":\"1\",\"target\":\"startListeningToLogEvents\",\"arguments\":[]}\x1e"_s);
        return QTest::qWaitFor([this] { return listening; }, kWaitMs);
    }
    /// The logContext of the InvocationFinished record for \a invocationId (empty until it came).
    QJsonObject invocation(const QString &invocationId) const
    {
        for (const QJsonObject &e : events) {
            const QJsonObject context = e.value(u"logContext"_s).toObject();
            if (e.value(u"eventId"_s).toInt() == 2003 &&
                context.value(u"invocationId"_s).toString() == invocationId)
                return context;
        }
        return {};
    }
};

QByteArray invokeFrame(const QString &id, const QString &event, const QByteArray &payloadMembers = {})
{
    return "{\"type\":\"invoke\",\"invocationId\":\"" + id.toUtf8() + "\",\"target\":\"event\",\"event\":\"" +
           event.toUtf8() + "\"" + payloadMembers + "}";
}

class InvokeTest : public ::testing::Test
{
protected:
    void SetUp() override { start(); }
    void start(const ClientLimits &limits = {})
    {
        m_emulator.reset();
        EmulatorOptions options;
        options.accessKey = kKey;
        // No handler for "nohandler": the pattern lists the others.
        options.config.hubs[u"chat"_s].eventHandlers = {
            EventHandlerSettings{m_handler.urlTemplate(), u"echo,fail,empty,slow"_s, {}}};
        options.client = limits;
        options.upstream.retryDelays = {1ms};
        options.upstream.eventTimeout = 1500ms;
        options.upstream.validationTimeout = 3s;
        m_emulator = std::make_unique<Emulator>(options);
        auto started = m_emulator->start();
        ASSERT_TRUE(started) << started.error().toStdString();
        m_port = *started;
    }
    QUrl traceUrl() const
    {
        const QString authority = u"127.0.0.1:%1"_s.arg(m_port);
        const QByteArray token =
            wps::jwt::signHs256(QJsonObject{{u"aud"_s, QString(u"http://"_s + authority + u"/livetrace"_s)},
                                            {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 3600}},
                                kKey.toUtf8());
        return QUrl(u"ws://"_s + authority + u"/livetrace?access_token="_s + QString::fromLatin1(token));
    }
    QUrl url() const
    {
        const QString authority = u"127.0.0.1:%1"_s.arg(m_port);
        const QByteArray token = wps::jwt::signHs256(
            QJsonObject{{u"aud"_s, QString(u"http://"_s + authority + u"/client/hubs/chat"_s)},
                        {u"sub"_s, u"ivy"_s},
                        {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 3600}},
            kKey.toUtf8());
        return QUrl(u"ws://"_s + authority + u"/client/hubs/chat?access_token="_s +
                    QString::fromLatin1(token));
    }
    bool upstreamIdle()
    {
        return QTest::qWaitFor([this] { return m_emulator->upstream()->pendingCount() == 0; }, kWaitMs);
    }

    Handler m_handler;
    std::unique_ptr<Emulator> m_emulator;
    quint16 m_port = 0;
};

} // namespace

TEST_F(InvokeTest, TheHandlerGetsTheUserEventAndItsAnswerIsTheResponse)
{
    Client client(url(), kJson);
    ASSERT_TRUE(client.waitConnected());
    const QString connectionId = client.frames[0].value(u"connectionId"_s).toString();
    client.send(invokeFrame(u"1"_s, u"echo"_s, R"(,"dataType":"text","data":"hi")"));
    EXPECT_EQ(client.waitResponse(u"1"_s), (QJsonObject{{u"type"_s, u"invokeResponse"_s},
                                                        {u"invocationId"_s, u"1"_s},
                                                        {u"success"_s, true},
                                                        {u"dataType"_s, u"text"_s},
                                                        {u"data"_s, u"hi"_s}}));
    ASSERT_EQ(m_handler.posts.size(), 1);
    const HandlerRequest &event = m_handler.posts[0];
    // The CloudEvent of a user event, nothing more.
    EXPECT_EQ(event.header("ce-type"), "azure.webpubsub.user.echo");
    EXPECT_EQ(event.header("ce-eventName"), "echo");
    EXPECT_EQ(event.header("ce-connectionId"), connectionId.toUtf8());
    EXPECT_EQ(event.header("ce-userId"), "ivy");
    EXPECT_TRUE(event.header("content-type").startsWith("text/plain"));
    EXPECT_EQ(event.body, "hi");

    // JSON byte for byte both ways, binary, and an answer without a body.
    client.send(
        invokeFrame(u"2"_s, u"echo"_s, R"(,"dataType":"json","data":{"b":1, "a":12345678901234567890})"));
    client.waitResponse(u"2"_s);
    EXPECT_EQ(m_handler.posts.value(1).body, R"({"b":1, "a":12345678901234567890})");
    EXPECT_TRUE(client.rawResponse(u"2"_s).endsWith(
        QStringLiteral(R"("dataType":"json","data":{"b":1, "a":12345678901234567890}})")))
        << client.rawResponse(u"2"_s).toStdString();
    client.send(invokeFrame(u"3"_s, u"echo"_s, R"(,"dataType":"binary","data":"AAEC")"));
    const QJsonObject binary = client.waitResponse(u"3"_s);
    EXPECT_EQ(binary.value(u"dataType"_s).toString(), u"binary"_s);
    EXPECT_EQ(binary.value(u"data"_s).toString(), u"AAEC"_s);
    EXPECT_TRUE(m_handler.posts.value(2).header("content-type").startsWith("application/octet-stream"));
    client.send(invokeFrame(u"4"_s, u"empty"_s));
    EXPECT_EQ(
        client.waitResponse(u"4"_s),
        (QJsonObject{{u"type"_s, u"invokeResponse"_s}, {u"invocationId"_s, u"4"_s}, {u"success"_s, true}}));
    // An invoke without data is an empty binary body.
    EXPECT_TRUE(m_handler.posts.value(3).header("content-type").startsWith("application/octet-stream"));
    EXPECT_TRUE(m_handler.posts.value(3).body.isEmpty());
    EXPECT_FALSE(client.closed);
}

TEST_F(InvokeTest, FailuresTimeoutsAndAMissingHandlerAreErrorAnswers)
{
    Client client(url(), kJsonReliable);
    ASSERT_TRUE(client.waitConnected());
    client.send(invokeFrame(u"f"_s, u"fail"_s, R"(,"dataType":"text","data":"x")"));
    client.send(invokeFrame(u"n"_s, u"nohandler"_s, R"(,"dataType":"text","data":"x")"));
    client.send(invokeFrame(u"s"_s, u"slow"_s, R"(,"dataType":"text","data":"x")"));
    const QJsonObject failed = client.waitResponse(u"f"_s);
    EXPECT_FALSE(failed.value(u"success"_s).toBool(true));
    EXPECT_EQ(failed.value(u"error"_s).toObject().value(u"name"_s).toString(), u"InternalServerError"_s);
    EXPECT_NE(failed.value(u"error"_s).toObject().value(u"message"_s).toString().indexOf(u"500"_s), -1)
        << failed.value(u"error"_s).toObject().value(u"message"_s).toString().toStdString();
    EXPECT_FALSE(failed.contains(u"sequenceId"_s)); // never sequenced, also on a reliable subprotocol
    const QJsonObject missing = client.waitResponse(u"n"_s);
    EXPECT_EQ(missing.value(u"error"_s).toObject().value(u"message"_s).toString(),
              u"No event handler is registered for event 'nohandler'."_s);
    const QJsonObject slow = client.waitResponse(u"s"_s);
    EXPECT_EQ(slow.value(u"error"_s).toObject().value(u"name"_s).toString(), u"Timeout"_s);
    EXPECT_FALSE(client.closed);
}

TEST_F(InvokeTest, RefusedInvocationsAreAnsweredAndTheConnectionStays)
{
    ClientLimits limits;
    limits.maxPendingInvocations = 2;
    start(limits);
    Client client(url(), kJson);
    ASSERT_TRUE(client.waitConnected());
    client.send(R"({"type":"invoke","invocationId":"t","target":"group","event":"echo"})");
    const QJsonObject target = client.waitResponse(u"t"_s);
    EXPECT_EQ(target.value(u"error"_s).toObject().value(u"name"_s).toString(), u"BadRequest"_s);
    client.send(invokeFrame(u"a"_s, u"slow"_s));
    client.send(invokeFrame(u"a"_s, u"slow"_s)); // the same id while it waits
    client.send(invokeFrame(u"b"_s, u"slow"_s));
    client.send(invokeFrame(u"c"_s, u"slow"_s)); // over the bound of 2
    EXPECT_EQ(client.waitResponse(u"c"_s).value(u"error"_s).toObject().value(u"name"_s).toString(),
              u"TooManyRequests"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !client.response(u"a"_s).isEmpty(); }, kWaitMs));
    EXPECT_EQ(client.response(u"a"_s).value(u"error"_s).toObject().value(u"name"_s).toString(),
              u"BadRequest"_s);
    EXPECT_FALSE(client.closed);
    // A malformed invoke (no invocationId) is a malformed frame: closed like any other.
    client.send(R"({"type":"invoke","event":"echo"})");
    EXPECT_TRUE(QTest::qWaitFor([&] { return client.closed; }, kWaitMs));
}

TEST_F(InvokeTest, CancelledInvocationsAreForgottenAndNeverAnswered)
{
    Client client(url(), kJson);
    ASSERT_TRUE(client.waitConnected());
    client.send(invokeFrame(u"1"_s, u"slow"_s));
    ASSERT_TRUE(QTest::qWaitFor([&] { return m_handler.posts.size() == 1; }, kWaitMs));
    client.send(R"({"type":"cancelInvocation","invocationId":"1"})");
    client.send(R"({"type":"cancelInvocation","invocationId":"unknown"})"); // ignored
    // The id is free again at once: the same id now reaches the handler and is answered.
    client.send(invokeFrame(u"1"_s, u"echo"_s, R"(,"dataType":"text","data":"again")"));
    EXPECT_EQ(client.waitResponse(u"1"_s).value(u"data"_s).toString(), u"again"_s);
    // The cancelled one's timeout passes without a second answer.
    ASSERT_TRUE(upstreamIdle());
    int answers = 0;
    for (const QJsonObject &f : client.frames)
        answers += f.value(u"type"_s) == u"invokeResponse"_s ? 1 : 0;
    EXPECT_EQ(answers, 1);
    EXPECT_FALSE(client.closed);
}

TEST_F(InvokeTest, TheConsolesLiveClientInvokesOverProtobuf)
{
    wps::live::LiveClient client(url(), wps::live::Subprotocol::Protobuf);
    QSignalSpy connected(&client, &wps::live::LiveClient::connected);
    client.start();
    ASSERT_TRUE(connected.wait(kWaitMs));
    wps::live::InvocationJob *echo = client.invoke(u"echo"_s, wps::messages::Payload::text(u"hé"_s));
    wps::live::InvocationJob *fail = client.invoke(u"fail"_s, wps::messages::Payload::json(R"({"k":[1,2]})"));
    wps::live::InvocationJob *slow = client.invoke(u"slow"_s, std::nullopt, 100ms);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return echo->isFinished() && fail->isFinished() && slow->isFinished(); }, kWaitMs));
    ASSERT_TRUE(echo->succeeded()) << echo->summary().toStdString();
    EXPECT_EQ(echo->data(), wps::messages::Payload::text(u"hé"_s));
    QByteArray failBody;
    for (const HandlerRequest &post : m_handler.posts)
        if (post.path.endsWith("/fail"))
            failBody = post.body;
    EXPECT_EQ(failBody, R"({"k":[1,2]})");
    ASSERT_TRUE(fail->error().has_value());
    EXPECT_EQ(fail->error()->name, u"InternalServerError"_s);
    EXPECT_TRUE(
        fail->summary().startsWith(u"invoke fail → failed: InternalServerError: The event handler failed"_s))
        << fail->summary().toStdString();
    EXPECT_EQ(slow->error()->name, u"Timeout"_s);
    // The client's cancelInvocation reached the emulator: the slow one is never answered, the connection
    // stays usable.
    wps::live::InvocationJob *after = client.invoke(u"empty"_s, std::nullopt);
    ASSERT_TRUE(QTest::qWaitFor([&] { return after->isFinished(); }, kWaitMs));
    EXPECT_TRUE(after->succeeded());
    EXPECT_EQ(client.state(), wps::live::State::Connected);
}

TEST_F(InvokeTest, TheLiveTraceTellsHowEachInvocationEnded)
{
    TraceClient trace;
    ASSERT_TRUE(trace.listen(traceUrl()));
    Client client(url(), kJson);
    ASSERT_TRUE(client.waitConnected());
    const QString connectionId = client.frames[0].value(u"connectionId"_s).toString();
    client.send(invokeFrame(u"1"_s, u"echo"_s, R"(,"dataType":"text","data":"hi")"));
    client.send(invokeFrame(u"2"_s, u"slow"_s));
    ASSERT_TRUE(QTest::qWaitFor([&] { return m_handler.posts.size() == 2; }, kWaitMs));
    client.send(R"({"type":"cancelInvocation","invocationId":"2"})");
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return !trace.invocation(u"1"_s).isEmpty() && !trace.invocation(u"2"_s).isEmpty(); }, kWaitMs));
    const QJsonObject answered = trace.invocation(u"1"_s);
    EXPECT_EQ(answered.value(u"event"_s).toString(), u"echo"_s);
    EXPECT_EQ(answered.value(u"outcome"_s).toString(), u"answered text (2 bytes)"_s);
    EXPECT_EQ(answered.value(u"connectionId"_s).toString(), connectionId);
    EXPECT_EQ(answered.value(u"traceId"_s).toString(), u"invoke:"_s + connectionId + u":1"_s);
    EXPECT_EQ(answered.value(u"category"_s).toString(), u"MessagingLogs"_s);
    EXPECT_EQ(trace.invocation(u"2"_s).value(u"outcome"_s).toString(),
              u"cancelled by the client; no answer sent"_s);
}
