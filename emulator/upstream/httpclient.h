#pragma once

#include "emulator/upstream/httpresponseparser.h"

#include <QAbstractSocket>
#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>

namespace wps::emulator::upstream {

/// Tunables of the upstream HTTP client (docs/emulator.md#upstream-http-client).
struct HttpClientOptions
{
    HttpResponseLimits limits;
    /// From the start of the TCP connect to the end of the TLS handshake (https).
    std::chrono::milliseconds connectTimeout{10'000};
    /// Connections per scheme://host:port, busy and idle together; further requests wait in order.
    int maxConnectionsPerHost = 6;
    /// An idle connection is closed after this, or 1 s before the handler's `Keep-Alive: timeout=N` if
    /// shorter.
    std::chrono::milliseconds idleTimeout{30'000};
};

struct HttpClientRequest
{
    QByteArray method;
    QUrl url; ///< absolute http or https
    /// Sent as given, after Host, User-Agent and Accept-Encoding: identity; Content-Length is added.
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    /// From send() to the end of the answer, queueing and connecting included; 0: no bound.
    std::chrono::milliseconds timeout{0};
    /// A larger body fails the request; negative: HttpClientOptions::limits.
    qint64 maxBodyBytes = -1;
};

struct HttpClientResponse
{
    enum class Error {
        None,
        InvalidRequest, ///< not an absolute http(s) URL, or a header with a line break
        Connect,        ///< refused, host not found, unreachable ...
        Tls,            ///< the TLS handshake failed (certificate not trusted, not TLS ...)
        Timeout,        ///< HttpClientRequest::timeout or HttpClientOptions::connectTimeout passed
        Closed,         ///< the handler closed the connection before answering, or in the middle
        Malformed,      ///< the answer is not HTTP/1.x
        HeadTooLarge,   ///< status line and headers over HttpResponseLimits::maxHeadBytes
        BodyTooLarge,   ///< body over HttpResponseLimits::maxBodyBytes
    };
    Error error = Error::None;
    /// Why it failed, in words for a user; never holds the URL (its query may hold a secret).
    QString errorText;
    int status = 0; ///< 0 without a complete head
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool reusedConnection = false; ///< sent on a connection that had answered before
};

/// The emulator's own small HTTP/1.1 client for event handlers, on QTcpSocket (QSslSocket for https, with
/// Qt's default certificate checks). Replaces QNetworkAccessManager, which in Qt 6.4 reads response headers
/// without any bound. One request at a time per connection (no pipelining), keep-alive reuse per
/// scheme://host:port in a small bounded pool, no redirects, no cookies, no cache, no content decoding.
/// Every callback runs from the event loop, never inside send(), and exactly once unless cancelled.
class HttpClient : public QObject
{
public:
    using Callback = std::function<void(const HttpClientResponse &)>;

    explicit HttpClient(HttpClientOptions options = {}, QObject *parent = nullptr);
    ~HttpClient() override;

    const HttpClientOptions &options() const { return m_options; }
    /// Applies to requests sent afterwards.
    void setOptions(const HttpClientOptions &options) { m_options = options; }

    /// Queues \a request; returns its id for cancel().
    quint64 send(HttpClientRequest request, Callback done);
    /// Drops a request without calling its callback; its connection is closed if it was in use.
    void cancel(quint64 id);

    /// Open connections (busy and idle), for tests and diagnostics.
    int connectionCount() const;
    int idleConnectionCount() const;

private:
    class Connection;
    struct Pending;

    void pump(const QString &key);
    Connection *openConnection(const QString &key, const QUrl &url);
    void startOn(Connection *connection, quint64 id);
    void connectionReady(Connection *connection);
    void onReadyRead(Connection *connection);
    void onClosed(Connection *connection, QAbstractSocket::SocketError error);
    void onTimeout(quint64 id);
    /// Reports the request on \a connection once its parser completed or failed.
    void settle(Connection *connection);
    void onConnectionFailed(Connection *connection, HttpClientResponse::Error error, const QString &text);
    void complete(quint64 id, HttpClientResponse response);
    void dropConnection(Connection *connection);

    HttpClientOptions m_options;
    quint64 m_nextId = 1;
    QHash<quint64, Pending *> m_pending;
    QHash<QString, QList<quint64>> m_queues; ///< per key, requests waiting for a connection
    QHash<QString, QList<Connection *>> m_connections;
};

} // namespace wps::emulator::upstream
