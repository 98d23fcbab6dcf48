// The upstream HTTP/1.1 client (emulator/upstream/httpclient.*) against a loopback server that writes raw
// bytes: chunked and Content-Length bodies, keep-alive reuse and its bound, Connection: close, answers that
// break HTTP or pass the bounds, a handler that closes a kept-alive connection, timeouts and cancel
// (docs/emulator.md#upstream-http-client).
#include "emulator/upstream/httpclient.h"
#include "emulator/upstream/httpresponseparser.h"
#include "support/wait.h"

#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <optional>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace wps::emulator::upstream;

namespace {

using wps::test::kWaitMs;

/// A loopback server that answers each request (head and Content-Length body) with the next scripted
/// bytes, then keeps the connection, closes it, or closes it instead of answering.
class RawServer : public QObject
{
public:
    enum class After { Keep, Close };
    struct Step
    {
        QByteArray bytes; ///< written as they are; empty with CloseInstead
        After after = After::Keep;
        bool closeInstead = false;
        bool hang = false;
    };

    RawServer()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                ++accepted;
                if (!greeting.isEmpty())
                    socket->write(greeting);
                QObject::connect(socket, &QTcpSocket::readyRead, this,
                                 [this, socket] { onReadyRead(socket); });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        EXPECT_TRUE(m_server.listen(QHostAddress::LocalHost, 0));
    }

    QUrl url(const QString &pathAndQuery = u"/api/event?code=secret"_s) const
    {
        return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server.serverPort()).arg(pathAndQuery));
    }
    quint16 port() const { return m_server.serverPort(); }

    QList<Step> script;
    QByteArray greeting; ///< written on every new connection before anything is read
    int accepted = 0;
    QList<QByteArray> heads;
    QList<QByteArray> bodies;

private:
    void onReadyRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        for (;;) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            qsizetype length = 0;
            for (const QByteArray &line : buffer.left(end).split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (buffer.size() < end + 4 + length)
                return;
            heads.append(buffer.left(end));
            bodies.append(buffer.mid(end + 4, length));
            buffer.remove(0, end + 4 + length);
            const Step step = script.isEmpty() ? Step{} : script.takeFirst();
            if (step.hang)
                return;
            if (step.closeInstead) {
                socket->disconnectFromHost();
                return;
            }
            socket->write(step.bytes);
            if (step.after == After::Close) {
                socket->disconnectFromHost();
                return;
            }
        }
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

RawServer::Step answer(QByteArray bytes, RawServer::After after = RawServer::After::Keep)
{
    return {std::move(bytes), after, false, false};
}

QByteArray ok(const QByteArray &body)
{
    return "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

HttpClientRequest post(const QUrl &url, QByteArray body = "{}")
{
    HttpClientRequest request;
    request.method = "POST";
    request.url = url;
    request.headers = {{"Content-Type", "application/json"}, {"ce-id", "1"}};
    request.body = std::move(body);
    return request;
}

/// Sends \a request and waits for its one answer.
HttpClientResponse exchange(HttpClient &client, HttpClientRequest request)
{
    std::optional<HttpClientResponse> response;
    client.send(std::move(request), [&](const HttpClientResponse &r) {
        EXPECT_FALSE(response.has_value()) << "a second callback";
        response = r;
    });
    EXPECT_TRUE(QTest::qWaitFor([&] { return response.has_value(); }, kWaitMs));
    return response.value_or(HttpClientResponse{});
}

QByteArray headerOf(const QByteArray &head, const QByteArray &name)
{
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return "<absent>"_ba;
}

} // namespace

TEST(HttpClient, ChunkedAndLengthBodiesShareOneKeptAliveConnection)
{
    RawServer server;
    server.script = {
        answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-One: 1\r\nX-One: 2\r\n\r\n"
               "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nTrailer-Field: dropped\r\n\r\n"),
        answer("HTTP/1.1 204 No Content\r\n\r\n"),
        answer(ok("third")),
    };
    HttpClient client;
    const HttpClientResponse first = exchange(client, post(server.url(), "payload"));
    EXPECT_EQ(first.error, HttpClientResponse::Error::None) << first.errorText.toStdString();
    EXPECT_EQ(first.status, 200);
    EXPECT_EQ(first.body, "hello world"_ba);
    const QList<QPair<QByteArray, QByteArray>> expected{
        {"Transfer-Encoding", "chunked"}, {"X-One", "1"}, {"X-One", "2"}};
    EXPECT_EQ(first.headers, expected); // as received: repeated fields stay apart, no trailer
    EXPECT_FALSE(first.reusedConnection);

    const HttpClientResponse second = exchange(client, post(server.url()));
    EXPECT_EQ(second.status, 204);
    EXPECT_TRUE(second.reusedConnection);
    const HttpClientResponse third = exchange(client, post(server.url()));
    EXPECT_EQ(third.body, "third"_ba);
    EXPECT_EQ(server.accepted, 1);
    EXPECT_EQ(client.idleConnectionCount(), 1);

    ASSERT_EQ(server.heads.size(), 3);
    const QByteArray head = server.heads.at(0);
    EXPECT_TRUE(head.startsWith("POST /api/event?code=secret HTTP/1.1\r\n")) << head.toStdString();
    EXPECT_EQ(headerOf(head, "Host"), "127.0.0.1:" + QByteArray::number(server.port()));
    EXPECT_EQ(headerOf(head, "Accept-Encoding"), "identity");
    EXPECT_EQ(headerOf(head, "Content-Length"), "7");
    EXPECT_EQ(headerOf(head, "ce-id"), "1");
    EXPECT_EQ(server.bodies.at(0), "payload"_ba);
}

TEST(HttpClient, ConnectionCloseAndCloseDelimitedBodiesEndTheConnection)
{
    RawServer server;
    server.script = {
        answer("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"),
        answer("HTTP/1.1 200 OK\r\n\r\nuntil the close", RawServer::After::Close),
        answer("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\n1.0"),
        answer(ok("last")),
    };
    HttpClient client;
    EXPECT_EQ(exchange(client, post(server.url())).body, "ok"_ba);
    const HttpClientResponse delimited = exchange(client, post(server.url()));
    EXPECT_EQ(delimited.error, HttpClientResponse::Error::None) << delimited.errorText.toStdString();
    EXPECT_EQ(delimited.body, "until the close"_ba);
    EXPECT_EQ(exchange(client, post(server.url())).body, "1.0"_ba); // HTTP/1.0 without keep-alive
    EXPECT_EQ(exchange(client, post(server.url())).body, "last"_ba);
    EXPECT_EQ(server.accepted, 4); // not one connection reused
}

TEST(HttpClient, HugeResponseHeadersFailAtTheBound)
{
    RawServer server;
    QByteArray huge = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; huge.size() < 2 * 1024 * 1024; ++i)
        huge += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(40, 'h') + "\r\n";
    server.script = {answer(huge + "Content-Length: 0\r\n\r\n")};
    HttpClient client;
    const HttpClientResponse response = exchange(client, post(server.url()));
    EXPECT_EQ(response.error, HttpClientResponse::Error::HeadTooLarge);
    EXPECT_EQ(response.errorText, u"The handler's response headers exceed 64 KiB."_s);
    EXPECT_EQ(response.status, 0);
    EXPECT_TRUE(response.headers.isEmpty());
    EXPECT_EQ(client.connectionCount(), 0); // the connection is closed, not reused

    // Just under the bound is fine.
    HttpClientOptions options;
    options.limits.maxHeadBytes = 1024;
    client.setOptions(options);
    const QByteArray start = "HTTP/1.1 200 OK\r\nX-Pad: ", end = "\r\nContent-Length: 0\r\n\r\n";
    const QByteArray fits = start + QByteArray(1024 - start.size() - end.size(), 'p') + end;
    ASSERT_EQ(fits.size(), 1024);
    const QByteArray over = start + QByteArray(1025 - start.size() - end.size(), 'p') + end;
    server.script = {answer(fits), answer(over)};
    EXPECT_EQ(exchange(client, post(server.url())).error, HttpClientResponse::Error::None);
    EXPECT_EQ(exchange(client, post(server.url())).error, HttpClientResponse::Error::HeadTooLarge);
}

TEST(HttpClient, BrokenAndOversizedAnswersFailInWords)
{
    struct Case
    {
        RawServer::Step step;
        HttpClientResponse::Error error;
        QString text;
    };
    const QList<Case> cases{
        {{{}, RawServer::After::Keep, true, false},
         HttpClientResponse::Error::Closed,
         u"The handler closed the connection before answering."_s},
        {answer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", RawServer::After::Close),
         HttpClientResponse::Error::Closed,
         u"The handler closed the connection in the middle of its answer (in its body)."_s},
        {answer("HTTP/1.1 200 OK\r\nContent-Le", RawServer::After::Close), HttpClientResponse::Error::Closed,
         u"The handler closed the connection in the middle of its answer (in its headers)."_s},
        {answer("HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n"),
         HttpClientResponse::Error::BodyTooLarge, u"The handler's answer is larger than 1000 bytes."_s},
        {answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e9\r\n"),
         HttpClientResponse::Error::BodyTooLarge, u"The handler's answer is larger than 1000 bytes."_s},
        {answer("HTTP/1.1 2000 OK\r\n\r\n"), HttpClientResponse::Error::Malformed,
         u"The handler's answer is not valid HTTP/1.1: the status line is not 'HTTP/1.x <status> <reason>'."_s},
        {answer("SSH-2.0-OpenSSH\r\n\r\n"), HttpClientResponse::Error::Malformed,
         u"The handler's answer is not valid HTTP/1.1: the status line is not 'HTTP/1.x <status> <reason>'."_s},
        {answer("HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nx"), HttpClientResponse::Error::Malformed,
         u"The handler's answer is not valid HTTP/1.1: the Content-Length is not one decimal number."_s},
        {answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
         HttpClientResponse::Error::Malformed,
         u"The handler's answer is not valid HTTP/1.1: the transfer coding is not 'chunked'."_s},
        {answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
         HttpClientResponse::Error::Malformed,
         u"The handler's answer is not valid HTTP/1.1: a chunk size is not a hexadecimal number."_s},
        // 16 hex digits: refused before the size could overflow (the long fuzzing run found the overflow).
        {answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff0\r\n"),
         HttpClientResponse::Error::Malformed,
         u"The handler's answer is not valid HTTP/1.1: a chunk size is not a hexadecimal number."_s},
        {answer("HTTP/1.1 200 OK\r\nX: a\r\n folded\r\n\r\n"), HttpClientResponse::Error::Malformed,
         u"The handler's answer is not valid HTTP/1.1: a header line is folded onto the previous one."_s},
        {answer("HTTP/1.1 101 Switching Protocols\r\n\r\n"), HttpClientResponse::Error::Malformed,
         u"The handler's answer is not valid HTTP/1.1: it switched protocols (101) without being asked to."_s},
    };
    HttpClientOptions options;
    options.limits.maxBodyBytes = 1000;
    HttpClient client(options);
    for (const Case &c : cases) {
        RawServer server;
        server.script = {c.step};
        const HttpClientResponse response = exchange(client, post(server.url()));
        EXPECT_EQ(response.error, c.error) << c.step.bytes.toStdString();
        EXPECT_EQ(response.errorText, c.text) << c.step.bytes.toStdString();
        EXPECT_FALSE(response.errorText.contains(u"secret"_s));
    }
    EXPECT_EQ(client.connectionCount(), 0);
}

TEST(HttpClient, InterimAnswersAreSkipped)
{
    RawServer server;
    server.script = {
        answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + ok("final"))};
    HttpClient client;
    const HttpClientResponse response = exchange(client, post(server.url()));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "final"_ba);
    EXPECT_EQ(response.headers.size(), 1); // only the final answer's Content-Length
}

TEST(HttpClient, ConnectionsPerHostAreBoundedAndRequestsWaitInOrder)
{
    RawServer server;
    for (int i = 0; i < 8; ++i)
        server.script.append(answer(ok(QByteArray::number(i))));
    HttpClientOptions options;
    options.maxConnectionsPerHost = 2;
    HttpClient client(options);
    QList<QByteArray> bodies;
    for (int i = 0; i < 8; ++i) {
        client.send(post(server.url(), QByteArray::number(i)),
                    [&](const HttpClientResponse &r) { bodies.append(r.body); });
    }
    EXPECT_EQ(client.connectionCount(), 2);
    EXPECT_TRUE(QTest::qWaitFor([&] { return bodies.size() == 8; }, kWaitMs));
    EXPECT_EQ(server.accepted, 2);
    EXPECT_EQ(client.idleConnectionCount(), 2);
    // Requests left the queue in the order they were sent.
    ASSERT_EQ(server.bodies.size(), 8);
    QList<QByteArray> sentOrder = server.bodies;
    std::sort(sentOrder.begin(), sentOrder.end());
    EXPECT_EQ(sentOrder, (QList<QByteArray>{"0", "1", "2", "3", "4", "5", "6", "7"}));
}

TEST(HttpClient, AKeptAliveConnectionTheHandlerClosedIsRetriedOnceOnANewOne)
{
    RawServer server;
    server.script = {answer(ok("first")), {{}, RawServer::After::Keep, true, false}, answer(ok("again"))};
    HttpClient client;
    EXPECT_EQ(exchange(client, post(server.url())).body, "first"_ba);
    const HttpClientResponse second = exchange(client, post(server.url(), "second"));
    EXPECT_EQ(second.error, HttpClientResponse::Error::None) << second.errorText.toStdString();
    EXPECT_EQ(second.body, "again"_ba);
    EXPECT_FALSE(second.reusedConnection);
    EXPECT_EQ(server.accepted, 2);
    ASSERT_EQ(server.bodies.size(), 3);
    EXPECT_EQ(server.bodies.at(2), "second"_ba); // the same request, sent again

    // A new connection that closes without answering is not retried.
    RawServer fresh;
    fresh.script = {{{}, RawServer::After::Keep, true, false}, answer(ok("unused"))};
    EXPECT_EQ(exchange(client, post(fresh.url())).error, HttpClientResponse::Error::Closed);
    EXPECT_EQ(fresh.heads.size(), 1);
}

TEST(HttpClient, TimeoutCancelAndRefusalsCallBackOnceOrNever)
{
    RawServer server;
    server.script = {{{}, RawServer::After::Keep, false, true}}; // hangs
    HttpClient client;
    HttpClientRequest slow = post(server.url());
    slow.timeout = 200ms;
    const HttpClientResponse timedOut = exchange(client, slow);
    EXPECT_EQ(timedOut.error, HttpClientResponse::Error::Timeout);
    EXPECT_EQ(timedOut.errorText, u"No answer within 200 ms."_s);
    EXPECT_EQ(client.connectionCount(), 0);

    server.script = {{{}, RawServer::After::Keep, false, true}};
    bool called = false;
    const quint64 id = client.send(post(server.url()), [&](const HttpClientResponse &) { called = true; });
    EXPECT_TRUE(QTest::qWaitFor([&] { return server.heads.size() == 2; }, kWaitMs));
    client.cancel(id);
    EXPECT_EQ(client.connectionCount(), 0);
    server.script = {answer(ok("after cancel"))};
    EXPECT_EQ(exchange(client, post(server.url())).body, "after cancel"_ba);
    EXPECT_FALSE(called);

    QTcpServer closed;
    ASSERT_TRUE(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    const HttpClientResponse refused = exchange(client, post(QUrl(u"http://127.0.0.1:%1/x"_s.arg(port))));
    EXPECT_EQ(refused.error, HttpClientResponse::Error::Connect);
    EXPECT_EQ(refused.errorText,
              u"Network error: the handler refused the connection (ConnectionRefusedError)."_s);

    HttpClientRequest injected = post(server.url());
    injected.headers.append(qMakePair("ce-userId"_ba, "alice\r\nX-Evil: 1"_ba));
    const HttpClientResponse invalid = exchange(client, injected);
    EXPECT_EQ(invalid.error, HttpClientResponse::Error::InvalidRequest);
    EXPECT_EQ(server.heads.size(), 3); // nothing sent
}

TEST(HttpClient, AHandlerThatNeverAcceptsTheConnectionTimesOut)
{
    // A listening socket with a backlog of 0 that never accepts: after one queued connection, the kernel
    // drops further SYNs, so the next connect stays pending (the only unreachable host a loopback test has).
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)), 0);
    ASSERT_EQ(::listen(fd, 0), 0);
    ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length), 0);
    const quint16 port = ntohs(address.sin_port);
    QTcpSocket filler; // takes the one place in the accept queue
    filler.connectToHost(QHostAddress::LocalHost, port);
    ASSERT_TRUE(filler.waitForConnected(5000));

    HttpClientOptions options;
    options.connectTimeout = 300ms;
    HttpClient client(options);
    HttpClientRequest request = post(QUrl(u"http://127.0.0.1:%1/x"_s.arg(port)));
    request.timeout = 10s; // bounds the test if the kernel ever accepted it
    const HttpClientResponse response = exchange(client, request);
    EXPECT_EQ(response.error, HttpClientResponse::Error::Timeout) << response.errorText.toStdString();
    EXPECT_EQ(response.errorText, u"Network error: no connection to the handler within 300 ms."_s);
    EXPECT_EQ(client.connectionCount(), 0);
    ::close(fd);
}

TEST(HttpClient, HttpsChecksTheHandlersCertificate)
{
    if (!QSslSocket::supportsSsl())
        GTEST_SKIP() << "no TLS backend";
    RawServer server;
    server.greeting = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"; // not a TLS server
    HttpClient client;
    QUrl url = server.url();
    url.setScheme(u"https"_s);
    const HttpClientResponse response = exchange(client, post(url));
    EXPECT_EQ(response.error, HttpClientResponse::Error::Tls) << response.errorText.toStdString();
    EXPECT_TRUE(response.errorText.startsWith(u"TLS error: "_s)) << response.errorText.toStdString();
    EXPECT_TRUE(server.heads.isEmpty()); // nothing sent in clear text
}

TEST(HttpResponseParser, BytesArriveOneAtATime)
{
    const QByteArray answer = "HTTP/1.1 201 Created\r\nKeep-Alive: timeout=5, max=100\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n";
    HttpResponseParser parser;
    for (const char c : answer) {
        EXPECT_NE(parser.state(), HttpResponseParser::State::Complete);
        parser.feed(QByteArrayView(&c, 1));
    }
    ASSERT_EQ(parser.state(), HttpResponseParser::State::Complete);
    EXPECT_EQ(parser.status(), 201);
    EXPECT_EQ(parser.body(), "Wikipedia"_ba);
    EXPECT_TRUE(parser.keepAlive());
    EXPECT_EQ(parser.keepAliveTimeout(), std::optional<int>(5));
    parser.feed("x");
    EXPECT_FALSE(parser.keepAlive()); // bytes after the answer: the connection is not reused
}
