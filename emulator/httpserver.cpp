#include "emulator/httpserver.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <http_parser.h>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcHttp, "wps.emulator.http")

namespace wps::emulator {

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers)
        if (key == name)
            return value;
    return {};
}

bool HttpRequest::isWebSocketUpgrade() const
{
    return header("upgrade").trimmed().toLower() == "websocket";
}

void HttpResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &entry : headers) {
        if (entry.first.compare(name, Qt::CaseInsensitive) == 0) {
            entry.second = value;
            return;
        }
    }
    headers.append({name, value});
}

QByteArray HttpResponse::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers)
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

HttpResponse HttpResponse::json(int status, const QJsonObject &body)
{
    HttpResponse response;
    response.status = status;
    response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    response.setHeader("Content-Type", "application/json; charset=utf-8");
    return response;
}

HttpResponse HttpResponse::empty(int status)
{
    HttpResponse response;
    response.status = status;
    return response;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
#define WPS_STATUS_CASE(num, name, string)                                                                   \
    case num:                                                                                                \
        return QByteArrayLiteral(#string);
        HTTP_STATUS_MAP(WPS_STATUS_CASE)
#undef WPS_STATUS_CASE
    default:
        return "Status"_ba;
    }
}

QByteArray serializeResponse(const HttpResponse &response, bool headRequest, bool keepAlive)
{
    QByteArray out =
        "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) + "\r\n";
    for (const auto &[name, value] : response.headers)
        out += name + ": " + value + "\r\n";
    const bool bodiless = response.status == 204 || response.status == 304 || response.status < 200;
    if (!bodiless)
        out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    out += "Date: " +
           QLocale::c()
               .toString(QDateTime::currentDateTimeUtc(), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s)
               .toLatin1() +
           "\r\n";
    out += keepAlive ? "Connection: keep-alive\r\n\r\n"_ba : "Connection: close\r\n\r\n"_ba;
    if (!headRequest && !bodiless)
        out += response.body;
    return out;
}

namespace {

/// Work done for one connection before the event loop gets a turn (other connections, timers, writes).
constexpr int kRequestsPerTurn = 64;
constexpr qsizetype kBytesPerTurn = 256 * 1024;
/// Bytes looked at per parser call; the parser keeps its state between calls.
constexpr qsizetype kChunkBytes = 16 * 1024;
/// Input Qt buffers per connection; more waits in the kernel (TCP back-pressure on the client).
constexpr qint64 kSocketReadBuffer = 64 * 1024;

/// Parses the requests of one socket. The parser sees bytes that are only peeked, and exactly the bytes it
/// has parsed are consumed from the socket, so each byte is parsed once (from an offset, never the whole
/// buffer again), and an upgrade request's later bytes are still unread when the socket is handed over.
class HttpConnection : public QObject
{
public:
    HttpConnection(QTcpSocket *socket, HttpServer *server);

private:
    void onReadyRead();
    void onBytesWritten();
    void scheduleRead();
    void fail(int status, const QString &message);
    /// Fails the connection for an error the parser or its callbacks found; true when it did.
    bool failOnParseError();
    /// Hands the socket, its upgrade request consumed, to the server's WebSocket endpoints; this object ends.
    void handOverUpgrade();
    void finishRequest(const HttpResponse &response);
    void restartIdleTimer();
    bool overUnsentLimit() const;

    static int onMessageBegin(http_parser *parser);
    static int onUrl(http_parser *parser, const char *at, size_t length);
    static int onHeaderField(http_parser *parser, const char *at, size_t length);
    static int onHeaderValue(http_parser *parser, const char *at, size_t length);
    static int onHeadersComplete(http_parser *parser);
    static int onBody(http_parser *parser, const char *at, size_t length);
    static int onMessageComplete(http_parser *parser);
    static const http_parser_settings &settings();
    bool countHead(size_t length);

    QTcpSocket *m_socket;
    HttpServer *m_server;
    http_parser m_parser{};
    qsizetype m_messageBytes = 0; ///< bytes of the current request the parser has seen
    qsizetype m_headBytes = 0;    ///< size of the current request's target and headers
    qint64 m_drainRemaining = 0;  ///< after a failure: body bytes still to discard before closing
    HttpRequest m_request;
    QByteArray m_field;
    bool m_lastWasValue = false;
    bool m_inMessage = false;
    bool m_headersDone = false;
    bool m_messageDone = false;
    bool m_closing = false;
    bool m_readScheduled = false;
    int m_failStatus = 0;
    QString m_failMessage;
    QElapsedTimer m_elapsed;
    QTimer m_requestTimer;
    QTimer m_idleTimer;
    QTimer m_drainTimer;
    QTimer m_backPressureTimer;
};

HttpConnection::HttpConnection(QTcpSocket *socket, HttpServer *server)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
{
    socket->setParent(this);
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
    m_requestTimer.setSingleShot(true);
    m_requestTimer.setInterval(server->limits().requestTimeout);
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(server->limits().idleTimeout);
    connect(&m_requestTimer, &QTimer::timeout, this,
            [this] { fail(400, u"The request was not complete in time."_s); });
    connect(&m_idleTimer, &QTimer::timeout, this, [this] { m_socket->disconnectFromHost(); });
    m_drainTimer.setSingleShot(true);
    m_drainTimer.setInterval(std::chrono::milliseconds(2000));
    connect(&m_drainTimer, &QTimer::timeout, this, [this] { m_socket->disconnectFromHost(); });
    m_backPressureTimer.setSingleShot(true);
    m_backPressureTimer.setInterval(server->limits().backPressureTimeout);
    connect(&m_backPressureTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcHttp) << "dropping a connection whose client does not read its" << m_socket->bytesToWrite()
                       << "bytes of responses";
        m_closing = true;
        m_socket->abort();
    });
    socket->setReadBufferSize(kSocketReadBuffer);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    restartIdleTimer();
    if (socket->bytesAvailable() > 0)
        scheduleRead();
}

bool HttpConnection::overUnsentLimit() const
{
    return m_socket->bytesToWrite() > m_server->limits().maxUnsentResponseBytes;
}

void HttpConnection::scheduleRead()
{
    if (m_readScheduled)
        return;
    m_readScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_readScheduled = false;
        onReadyRead();
    });
}

void HttpConnection::onBytesWritten()
{
    if (!m_backPressureTimer.isActive() || overUnsentLimit())
        return;
    m_backPressureTimer.stop();
    if (!m_closing && m_socket->bytesAvailable() > 0)
        scheduleRead();
}

const http_parser_settings &HttpConnection::settings()
{
    static const http_parser_settings s = [] {
        http_parser_settings v{};
        v.on_message_begin = &HttpConnection::onMessageBegin;
        v.on_url = &HttpConnection::onUrl;
        v.on_header_field = &HttpConnection::onHeaderField;
        v.on_header_value = &HttpConnection::onHeaderValue;
        v.on_headers_complete = &HttpConnection::onHeadersComplete;
        v.on_body = &HttpConnection::onBody;
        v.on_message_complete = &HttpConnection::onMessageComplete;
        return v;
    }();
    return s;
}

bool HttpConnection::countHead(size_t length)
{
    m_headBytes += static_cast<qsizetype>(length) + 4; // plus separators, roughly
    if (m_headBytes <= m_server->limits().maxHeaderBytes)
        return true;
    m_failStatus = 431;
    m_failMessage = u"The request headers are too large."_s;
    return false;
}

int HttpConnection::onMessageBegin(http_parser *parser)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    self->m_request = HttpRequest();
    self->m_field.clear();
    self->m_lastWasValue = false;
    self->m_headBytes = 0;
    self->m_headersDone = false;
    self->m_messageDone = false;
    return 0;
}

int HttpConnection::onUrl(http_parser *parser, const char *at, size_t length)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    if (!self->countHead(length))
        return -1;
    self->m_request.target.append(at, static_cast<qsizetype>(length));
    return 0;
}

int HttpConnection::onHeaderField(http_parser *parser, const char *at, size_t length)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    if (!self->countHead(length))
        return -1;
    if (self->m_lastWasValue) {
        self->m_field.clear();
        self->m_lastWasValue = false;
    }
    self->m_field.append(at, static_cast<qsizetype>(length));
    return 0;
}

int HttpConnection::onHeaderValue(http_parser *parser, const char *at, size_t length)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    if (!self->countHead(length))
        return -1;
    if (!self->m_lastWasValue) {
        self->m_request.headers.append({self->m_field.toLower(), QByteArray()});
        self->m_lastWasValue = true;
    }
    self->m_request.headers.last().second.append(at, static_cast<qsizetype>(length));
    return 0;
}

int HttpConnection::onHeadersComplete(http_parser *parser)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    HttpRequest &request = self->m_request;
    self->m_headersDone = true;
    request.method = http_method_str(static_cast<http_method>(parser->method));
    request.keepAlive = http_should_keep_alive(parser) != 0;
    const qsizetype queryStart = request.target.indexOf('?');
    request.path = queryStart < 0 ? request.target : request.target.left(queryStart);
    request.query = queryStart < 0 ? QByteArray() : request.target.mid(queryStart + 1);
    for (auto &header : request.headers)
        header.second = header.second.trimmed();
    if (request.target.isEmpty() || request.target.at(0) != '/') {
        self->m_failStatus = 400;
        self->m_failMessage = u"The request target must be an absolute path."_s;
        return -1;
    }
    const qsizetype limit = self->m_server->limits().maxBodyBytes;
    if (parser->content_length != ULLONG_MAX && parser->content_length > static_cast<quint64>(limit)) {
        self->m_drainRemaining = static_cast<qint64>(std::min<quint64>(parser->content_length, 64ull << 20));
        self->m_failStatus = 413;
        self->m_failMessage = u"The request body is larger than %1 bytes."_s.arg(limit);
        return -1;
    }
    if (request.header("expect").toLower() == "100-continue")
        self->m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    return 0;
}

int HttpConnection::onBody(http_parser *parser, const char *at, size_t length)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    const qsizetype limit = self->m_server->limits().maxBodyBytes;
    if (self->m_request.body.size() + static_cast<qsizetype>(length) > limit) {
        self->m_failStatus = 413;
        self->m_failMessage = u"The request body is larger than %1 bytes."_s.arg(limit);
        return -1;
    }
    self->m_request.body.append(at, static_cast<qsizetype>(length));
    return 0;
}

int HttpConnection::onMessageComplete(http_parser *parser)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    self->m_messageDone = true;
    http_parser_pause(parser, 1); // one request at a time: its end is where the socket is consumed up to
    return 0;
}

void HttpConnection::restartIdleTimer()
{
    if (!m_closing)
        m_idleTimer.start();
}

void HttpConnection::onReadyRead()
{
    // Bounded: at most kRequestsPerTurn requests and kBytesPerTurn bytes per turn, then the event loop gets a
    // turn (other clients are served in between); every inner step consumes bytes, fails, or stops for more.
    int requests = 0;
    qsizetype bytes = 0;
    while (!m_closing) {
        if (overUnsentLimit()) {
            // Back-pressure: the client is not reading its answers. Read nothing more until they drain
            // (onBytesWritten), and drop the connection if that does not happen in time.
            if (!m_backPressureTimer.isActive())
                m_backPressureTimer.start();
            return;
        }
        if (requests >= kRequestsPerTurn || bytes >= kBytesPerTurn) {
            scheduleRead();
            return;
        }
        const qsizetype available = m_socket->bytesAvailable();
        if (available <= 0)
            return;
        const QByteArray chunk = m_socket->peek(std::min(available, kChunkBytes));
        qsizetype offset = 0;
        while (offset < chunk.size() && !m_closing) {
            if (!m_inMessage) {
                m_inMessage = true;
                m_messageBytes = 0;
                m_elapsed.start();
                m_idleTimer.stop();
                m_requestTimer.start();
            }
            const size_t parsed = http_parser_execute(&m_parser, &settings(), chunk.constData() + offset,
                                                      static_cast<size_t>(chunk.size() - offset));
            // Consumed: the parser has seen these bytes (it pauses at the end of each request, so bytes of
            // the next request, or frames after an upgrade, stay in the socket).
            // read(), not skip(): reading the buffer empty is what lets Qt read from the kernel again.
            m_socket->read(static_cast<qint64>(parsed));
            offset += static_cast<qsizetype>(parsed);
            bytes += static_cast<qsizetype>(parsed);
            m_messageBytes += static_cast<qsizetype>(parsed);
            if (failOnParseError())
                return;
            if (!m_messageDone) {
                if (!m_headersDone && m_messageBytes > m_server->limits().maxHeaderBytes) {
                    fail(431, u"The request headers are too large."_s);
                    return;
                }
                if (parsed == 0)
                    return;
                continue;
            }
            // A complete request.
            m_requestTimer.stop();
            m_inMessage = false;
            m_messageDone = false;
            http_parser_pause(&m_parser, 0);
            if (m_request.isWebSocketUpgrade())
                return handOverUpgrade();
            finishRequest(m_server->handle(m_request));
            ++requests;
            if (requests >= kRequestsPerTurn || overUnsentLimit())
                break; // the outer loop yields or applies back-pressure
        }
    }
}

bool HttpConnection::failOnParseError()
{
    const auto error = static_cast<http_errno>(m_parser.http_errno);
    if (m_failStatus != 0) {
        fail(m_failStatus, m_failMessage);
        return true;
    }
    if (error == HPE_HEADER_OVERFLOW) {
        fail(431, u"The request headers are too large."_s);
        return true;
    }
    if (error != HPE_OK && error != HPE_PAUSED) {
        fail(400, u"Malformed HTTP request: %1."_s.arg(QString::fromLatin1(http_errno_description(error))));
        return true;
    }
    return false;
}

void HttpConnection::handOverUpgrade()
{
    // The handshake is consumed; bytes the client sent after it (early frames) stay unread for the endpoint.
    m_idleTimer.stop();
    m_backPressureTimer.stop();
    m_closing = true;
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->setParent(m_server);
    const HttpRequest request = m_request;
    QTcpSocket *socket = m_socket;
    deleteLater();
    m_server->upgrade(socket, request);
}

void HttpConnection::finishRequest(const HttpResponse &response)
{
    const bool keepAlive = m_request.keepAlive && !response.close;
    m_socket->write(serializeResponse(response, m_request.method == "HEAD", keepAlive));
    qCInfo(lcHttp).noquote() << QString::fromLatin1(m_request.method) << QString::fromUtf8(m_request.path)
                             << response.status
                             << QString::number(m_elapsed.nsecsElapsed() / 1e6, 'f', 1) + u"ms"_s;
    if (!keepAlive) {
        m_closing = true;
        m_socket->disconnectFromHost();
        return;
    }
    restartIdleTimer();
}

void HttpConnection::fail(int status, const QString &message)
{
    if (m_closing)
        return;
    m_requestTimer.stop();
    m_idleTimer.stop();
    HttpResponse response = HttpResponse::json(
        status, QJsonObject{{u"code"_s, status == 413 ? u"Error.PayloadTooLarge"_s : u"Error.BadRequest"_s},
                            {u"message"_s, message},
                            {u"target"_s, u"Request"_s},
                            {u"details"_s, QJsonValue::Null},
                            {u"inner"_s, QJsonValue::Null}});
    response.setHeader("x-ms-error-code", status == 413 ? "Error.PayloadTooLarge" : "Error.BadRequest");
    if (m_request.method.isEmpty())
        m_request.method = "-";
    if (m_request.path.isEmpty())
        m_request.path = "-";
    if (!m_elapsed.isValid())
        m_elapsed.start();
    m_closing = true;
    m_socket->write(serializeResponse(response, m_request.method == "HEAD", false));
    qCInfo(lcHttp).noquote() << QString::fromLatin1(m_request.method) << QString::fromUtf8(m_request.path)
                             << status << QString::number(m_elapsed.nsecsElapsed() / 1e6, 'f', 1) + u"ms"_s;
    // Discard what the client is still sending (e.g. the rest of a too-large body) for a moment, so it can
    // read the answer instead of seeing a reset; then close. Bounded by the drain timer and 64 MiB.
    auto drain = [this] {
        m_drainRemaining -= m_socket->read(m_socket->bytesAvailable()).size(); // read(): see onReadyRead()
        if (m_drainRemaining <= 0)
            m_socket->disconnectFromHost();
    };
    m_backPressureTimer.stop();
    connect(m_socket, &QTcpSocket::readyRead, this, drain);
    m_drainTimer.start();
    drain();
}

} // namespace

HttpServer::HttpServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
}

HttpServer::~HttpServer() = default;

bool HttpServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_server.listen(address, port))
        return true;
    if (error)
        *error = m_server.errorString();
    return false;
}

void HttpServer::close()
{
    m_server.close();
    // Children are the live connections (and handed-over sockets not yet reparented): drop them.
    const auto children = findChildren<QObject *>(QString(), Qt::FindDirectChildrenOnly);
    for (QObject *child : children)
        if (child != &m_server)
            delete child;
}

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        // Small answers and frames go out at once (as Node's ws does): without it, Nagle's algorithm held
        // messages back for tens of milliseconds at moderate rates (bench/README.md).
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        new HttpConnection(socket, this);
    }
}

HttpResponse HttpServer::handle(const HttpRequest &request) const
{
    if (m_handler)
        return m_handler(request);
    return HttpResponse::empty(404);
}

void HttpServer::upgrade(QTcpSocket *socket, const HttpRequest &request)
{
    if (m_upgradeHandler) {
        m_upgradeHandler(socket, request);
        return;
    }
    socket->write(serializeResponse(HttpResponse::empty(404), false, false));
    socket->disconnectFromHost();
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
}

} // namespace wps::emulator
