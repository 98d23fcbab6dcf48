// The HTTP/1.1 layer over a raw QTcpSocket: pipelining, chunked bodies, limits, garbage, slow clients and the
// WebSocket upgrade hand-off point.
#include "emulator/emulator.h"
#include "protocol/jwt.h"
#include "support/printers.h"

#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace wps::emulator;

namespace {

const QString kKey = u"http-test-key-0123456789abcdefghijklmnop"_s;

class RecordingSink : public ConnectionSink
{
public:
    void deliver(const Delivery &message) override { delivered << message; }
    void close(const QString &) override {}
    QList<Delivery> delivered;
};

struct RawResponse
{
    int status = 0;
    QByteArray head;
    QByteArray body;
};

/// Splits what the server sent into responses (Content-Length framed; no body for HEAD requests).
QList<RawResponse> parseResponses(QByteArray data, int headCount = 0)
{
    QList<RawResponse> responses;
    for (int i = 0; i < 100; ++i) {
        const qsizetype end = data.indexOf("\r\n\r\n");
        if (end < 0)
            break;
        RawResponse r;
        r.head = data.left(end);
        r.status = r.head.mid(9, 3).toInt();
        qsizetype length = 0;
        for (const QByteArray &line : r.head.split('\n'))
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        if (static_cast<int>(responses.size()) < headCount)
            length = 0;
        if (data.size() < end + 4 + length)
            break;
        r.body = data.mid(end + 4, length);
        responses << r;
        data.remove(0, end + 4 + length);
    }
    return responses;
}

class HttpTest : public ::testing::Test
{
protected:
    void start(HttpLimits limits = {})
    {
        EmulatorOptions options;
        options.accessKey = kKey;
        options.limits = limits;
        m_emulator = std::make_unique<Emulator>(options);
        auto started = m_emulator->start();
        ASSERT_TRUE(started) << started.error().toStdString();
        m_socket.connectToHost(QHostAddress::LocalHost, m_emulator->port());
        ASSERT_TRUE(m_socket.waitForConnected(5000));
        QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket,
                         [this] { m_received += m_socket.readAll(); });
    }

    QByteArray bearer(const QByteArray &target) const
    {
        const QJsonObject claims{{u"aud"_s, QString(u"http://127.0.0.1:%1"_s.arg(m_emulator->port()) +
                                                    QString::fromLatin1(target))},
                                 {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 600}};
        return "Authorization: Bearer " + wps::jwt::signHs256(claims, kKey.toUtf8()) + "\r\n";
    }

    QByteArray host() const { return "Host: 127.0.0.1:" + QByteArray::number(m_emulator->port()) + "\r\n"; }

    bool waitForResponses(int count, int headCount = 0)
    {
        return QTest::qWaitFor([&] { return parseResponses(m_received, headCount).size() >= count; }, 10000);
    }
    bool waitForClose()
    {
        return QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, 10000);
    }

    std::unique_ptr<Emulator> m_emulator;
    QTcpSocket m_socket;
    QByteArray m_received;
};

} // namespace

TEST_F(HttpTest, PipelinedRequestsAreAnsweredInOrder)
{
    start();
    m_socket.write("HEAD /api/health HTTP/1.1\r\n" + host() + "\r\n" + "GET /nothing HTTP/1.1\r\n" + host() +
                   "\r\n" + "HEAD /api/health?api-version=2024-12-01 HTTP/1.1\r\n" + host() + "\r\n");
    ASSERT_TRUE(waitForResponses(3, 1));
    // The first is a HEAD: its Content-Length describes a body that is not sent.
    QList<RawResponse> responses = parseResponses(m_received, 1);
    ASSERT_EQ(responses.size(), 3);
    EXPECT_EQ(responses[0].status, 200);
    EXPECT_EQ(responses[1].status, 404);
    EXPECT_EQ(responses[2].status, 200);
    EXPECT_TRUE(responses[1].head.contains("Connection: keep-alive"));
    EXPECT_EQ(m_socket.state(), QAbstractSocket::ConnectedState);
}

TEST_F(HttpTest, ChunkedBodyIsReassembled)
{
    start();
    auto sink = std::make_shared<RecordingSink>();
    Connection c;
    c.id = u"c1"_s;
    c.sink = sink;
    ASSERT_TRUE(m_emulator->hubs().hub(u"chat"_s).addConnection(c));
    const QByteArray target = "/api/hubs/chat/:send?api-version=2024-12-01";
    m_socket.write("POST " + target + " HTTP/1.1\r\n" + host() + bearer(target) +
                   "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
    m_socket.flush();
    m_socket.write("6\r\n world\r\n0\r\n\r\n");
    ASSERT_TRUE(waitForResponses(1));
    EXPECT_EQ(parseResponses(m_received).value(0).status, 202);
    ASSERT_EQ(sink->delivered.size(), 1);
    EXPECT_EQ(sink->delivered[0].data, "hello world");
}

TEST_F(HttpTest, OversizedContentLengthIs413AndCloses)
{
    start();
    m_socket.write("POST /api/hubs/chat/:send HTTP/1.1\r\n" + host() +
                   "Content-Type: text/plain\r\nContent-Length: 1048577\r\n\r\nabc");
    ASSERT_TRUE(waitForResponses(1));
    EXPECT_EQ(parseResponses(m_received).value(0).status, 413);
    EXPECT_TRUE(waitForClose());
}

TEST_F(HttpTest, OversizedChunkedBodyIs413)
{
    start();
    m_socket.write("POST /api/hubs/chat/:send HTTP/1.1\r\n" + host() +
                   "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
    const QByteArray chunk = "10000\r\n" + QByteArray(0x10000, 'x') + "\r\n";
    for (int i = 0; i < 17 && m_socket.state() == QAbstractSocket::ConnectedState; ++i)
        m_socket.write(chunk);
    ASSERT_TRUE(waitForResponses(1));
    EXPECT_EQ(parseResponses(m_received).value(0).status, 413);
    EXPECT_TRUE(waitForClose());
}

TEST_F(HttpTest, GarbageIs400AndCloses)
{
    start();
    m_socket.write("\x16\x03\x01 this is not http\r\n\r\n");
    ASSERT_TRUE(waitForResponses(1));
    const RawResponse response = parseResponses(m_received).value(0);
    EXPECT_EQ(response.status, 400);
    EXPECT_TRUE(response.head.contains("Connection: close"));
    EXPECT_TRUE(waitForClose());
}

TEST_F(HttpTest, HugeHeadersAre431)
{
    start();
    m_socket.write("GET /api/health HTTP/1.1\r\n" + host() + "X-Big: " + QByteArray(40 * 1024, 'a') +
                   "\r\n\r\n");
    ASSERT_TRUE(waitForResponses(1));
    EXPECT_EQ(parseResponses(m_received).value(0).status, 431);
    EXPECT_TRUE(waitForClose());
}

TEST_F(HttpTest, SlowClientIsClosedWith400)
{
    HttpLimits limits;
    limits.requestTimeout = 200ms;
    start(limits);
    m_socket.write("GET /api/health HTTP/1.1\r\nHo");
    ASSERT_TRUE(waitForResponses(1));
    EXPECT_EQ(parseResponses(m_received).value(0).status, 400);
    EXPECT_TRUE(waitForClose());
}

TEST_F(HttpTest, IdleKeepAliveConnectionIsClosed)
{
    HttpLimits limits;
    limits.idleTimeout = 200ms;
    start(limits);
    EXPECT_TRUE(waitForClose());
    EXPECT_TRUE(m_received.isEmpty());
}

TEST_F(HttpTest, Http10WithoutKeepAliveCloses)
{
    start();
    m_socket.write("HEAD /api/health HTTP/1.0\r\n\r\n");
    ASSERT_TRUE(waitForClose());
    const QList<RawResponse> responses = parseResponses(m_received, 1);
    ASSERT_EQ(responses.size(), 1);
    EXPECT_EQ(responses[0].status, 200);
    EXPECT_TRUE(responses[0].head.contains("Connection: close"));
}

TEST_F(HttpTest, WebSocketUpgradeIsHandedToTheClientEndpoint)
{
    start();
    // A pipelined ordinary request first: it is answered, then the upgrade goes to the client endpoint.
    m_socket.write("HEAD /api/health HTTP/1.1\r\n" + host() + "\r\n" +
                   "GET /client/hubs/chat?access_token=x HTTP/1.1\r\n" + host() +
                   "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    ASSERT_TRUE(waitForClose());
    const QList<RawResponse> responses = parseResponses(m_received, 1);
    ASSERT_EQ(responses.size(), 2);
    EXPECT_EQ(responses[0].status, 200);
    EXPECT_EQ(responses[1].status, 401); // the endpoint refuses the invalid token with an HTTP answer
    EXPECT_TRUE(responses[1].body.contains("Unauthorized"));
}
