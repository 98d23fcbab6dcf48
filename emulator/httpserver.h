#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QTcpServer>

#include <chrono>
#include <functional>

class QTcpSocket;
class QJsonObject;

namespace wps::emulator {

/// One parsed HTTP/1.1 request. Header names are lower-case; path and query are raw (still percent-encoded)
/// so that routing can decode each path segment exactly once (docs/protocol.md#paths-names-and-bodies).
struct HttpRequest
{
    QByteArray method;
    QByteArray target; ///< the request-target as sent: path plus '?' and query
    QByteArray path;
    QByteArray query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool keepAlive = true;

    /// The first value of a header (name in lower case), or an empty array.
    QByteArray header(QByteArrayView name) const;
    /// True for `Upgrade: websocket` requests, which are handed to the client endpoint.
    bool isWebSocketUpgrade() const;
};

/// A response; Content-Length, Connection and Date are added when it is written.
struct HttpResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool close = false; ///< close the connection after writing
    /// Not sent: what a REST send did, for the live trace (docs/trace.md). -1 when not a send.
    int deliveredCount = -1;
    QString deliveryNote; ///< why nothing was delivered (deliveredCount 0), in the user's words

    void setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(QByteArrayView name) const;
    static HttpResponse json(int status, const QJsonObject &body);
    static HttpResponse empty(int status);
};

/// Reason phrase for a status code.
QByteArray reasonPhrase(int status);

/// Serializes \a response; for HEAD requests the body is left out but Content-Length still tells its size.
QByteArray serializeResponse(const HttpResponse &response, bool headRequest, bool keepAlive);

/// Limits that keep one bad client from hurting the others. Tests shrink the timeouts.
struct HttpLimits
{
    qsizetype maxBodyBytes = 1024 * 1024;            ///< larger bodies get 413
    qsizetype maxHeaderBytes = 32 * 1024;            ///< request line plus headers; larger gets 431
    std::chrono::milliseconds requestTimeout{30000}; ///< from a request's first byte to its last; then 400
    std::chrono::milliseconds idleTimeout{120000};   ///< a keep-alive connection with nothing to do is closed
    /// Back-pressure: while more than this many response bytes wait to be sent, the connection's next
    /// pipelined request is not read (the client's bytes wait in the kernel).
    qsizetype maxUnsentResponseBytes = 1024 * 1024;
    /// A connection that stays over maxUnsentResponseBytes this long (its client does not read) is dropped.
    std::chrono::milliseconds backPressureTimeout{30000};
};

/// A small HTTP/1.1 server on QTcpServer with the nodejs http-parser: keep-alive, pipelining, chunked and
/// Content-Length bodies, and size and time limits. WebSocket upgrade requests are not answered here: their
/// socket is handed, with the handshake read (and parsed into the HttpRequest) and any later bytes unread,
/// to the upgrade handler, so one port serves REST and client WebSockets alike.
class HttpServer : public QObject
{
    Q_OBJECT
public:
    /// Answers one request synchronously; called on the server's thread, in request order per connection.
    using Handler = std::function<HttpResponse(const HttpRequest &)>;
    /// Takes over a socket whose upgrade request \a request has been read; later bytes are still unread.
    /// The socket's parent is the server; the handler may reparent it.
    using UpgradeHandler = std::function<void(QTcpSocket *socket, const HttpRequest &request)>;

    explicit HttpServer(QObject *parent = nullptr);
    ~HttpServer() override;

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    void setUpgradeHandler(UpgradeHandler handler) { m_upgradeHandler = std::move(handler); }
    void setLimits(const HttpLimits &limits) { m_limits = limits; }
    const HttpLimits &limits() const { return m_limits; }

    /// Listens on \a address : \a port (0 picks a free port). False with a reason in \a error.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    void close();
    quint16 port() const { return m_server.serverPort(); }

    /// Used by the per-socket parsers.
    HttpResponse handle(const HttpRequest &request) const;
    void upgrade(QTcpSocket *socket, const HttpRequest &request);

private:
    void onNewConnection();

    QTcpServer m_server;
    Handler m_handler;
    UpgradeHandler m_upgradeHandler;
    HttpLimits m_limits;
};

} // namespace wps::emulator
