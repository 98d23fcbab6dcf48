#include "emulator/upstream/httpclient.h"

#include <QMetaEnum>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;

namespace wps::emulator::upstream {

namespace {

/// Bytes Qt buffers from a handler's socket between two reads (the parser keeps its own bounded copy).
constexpr qint64 kSocketReadBuffer = 256 * 1024;

bool isTokenChar(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

/// Header fields we write ourselves; a caller's copy would frame the request twice.
bool isFramingHeader(QByteArrayView name)
{
    for (const char *own : {"Host", "Content-Length", "Transfer-Encoding", "Connection"}) {
        if (name.compare(own, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

/// Why \a request cannot be sent, or an empty string.
QString requestProblem(const HttpClientRequest &request)
{
    const QString scheme = request.url.scheme().toLower();
    if (!request.url.isValid() || (scheme != u"http"_s && scheme != u"https"_s) ||
        request.url.host().isEmpty())
        return u"The handler URL is not an absolute http or https URL."_s;
    if (request.method.isEmpty() || !std::all_of(request.method.begin(), request.method.end(), isTokenChar))
        return u"The request method is not an HTTP token."_s;
    for (const auto &[name, value] : request.headers) {
        if (name.isEmpty() || !std::all_of(name.begin(), name.end(), isTokenChar))
            return u"A request header name is not an HTTP token; the request was not sent."_s;
        if (value.contains('\r') || value.contains('\n') || value.contains('\0'))
            return u"The request header %1 holds a line break or NUL; the request was not sent."_s.arg(
                QString::fromLatin1(name));
    }
    return {};
}

int defaultPort(const QUrl &url)
{
    return url.port(url.scheme().compare(u"https"_s, Qt::CaseInsensitive) == 0 ? 443 : 80);
}

QString connectionKey(const QUrl &url)
{
    return url.scheme().toLower() + u"://"_s + url.host(QUrl::FullyEncoded).toLower() + u':' +
           QString::number(defaultPort(url));
}

QByteArray serialize(const HttpClientRequest &request)
{
    const QUrl &url = request.url;
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    const bool https = url.scheme().compare(u"https"_s, Qt::CaseInsensitive) == 0;
    if (url.port() != -1 && url.port() != (https ? 443 : 80))
        host += ':' + QByteArray::number(url.port());

    QByteArray out;
    out.reserve(512 + request.body.size());
    out += request.method + ' ' + target + " HTTP/1.1\r\nHost: " + host +
           "\r\nUser-Agent: webpubsub-emulator\r\nAccept-Encoding: identity\r\n";
    for (const auto &[name, value] : request.headers) {
        if (!isFramingHeader(name))
            out += name + ": " + value + "\r\n";
    }
    const bool bodyExpected =
        request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
    if (bodyExpected || !request.body.isEmpty())
        out += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    out += "\r\n";
    out += request.body;
    return out;
}

QString socketErrorText(QAbstractSocket::SocketError error)
{
    const QString key =
        QString::fromLatin1(QMetaEnum::fromType<QAbstractSocket::SocketError>().valueToKey(error));
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return u"Network error: the handler refused the connection (%1)."_s.arg(key);
    case QAbstractSocket::HostNotFoundError:
        return u"Network error: the handler's host name was not found (%1)."_s.arg(key);
    case QAbstractSocket::NetworkError:
        return u"Network error: the handler's host cannot be reached (%1)."_s.arg(key);
    default:
        return u"Network error: %1."_s.arg(key);
    }
}

QString httpErrorText(const HttpResponseParser &parser)
{
    const HttpResponseLimits &limits = parser.limits();
    switch (parser.error()) {
    case HttpResponseParser::Error::None:
        return {};
    case HttpResponseParser::Error::ClosedBeforeAnswer:
        return u"The handler closed the connection before answering."_s;
    case HttpResponseParser::Error::Truncated:
        return u"The handler closed the connection in the middle of its answer (%1)."_s.arg(
            parser.errorDetail());
    case HttpResponseParser::Error::HeadTooLarge:
        return u"The handler's response headers exceed %1 KiB."_s.arg(limits.maxHeadBytes / 1024);
    case HttpResponseParser::Error::BodyTooLarge:
        return u"The handler's answer is larger than %1 bytes."_s.arg(limits.maxBodyBytes);
    case HttpResponseParser::Error::Malformed:
        return u"The handler's answer is not valid HTTP/1.1: %1."_s.arg(parser.errorDetail());
    }
    return {};
}

HttpClientResponse::Error responseError(HttpResponseParser::Error error)
{
    switch (error) {
    case HttpResponseParser::Error::None:
        return HttpClientResponse::Error::None;
    case HttpResponseParser::Error::ClosedBeforeAnswer:
    case HttpResponseParser::Error::Truncated:
        return HttpClientResponse::Error::Closed;
    case HttpResponseParser::Error::HeadTooLarge:
        return HttpClientResponse::Error::HeadTooLarge;
    case HttpResponseParser::Error::BodyTooLarge:
        return HttpClientResponse::Error::BodyTooLarge;
    case HttpResponseParser::Error::Malformed:
        return HttpClientResponse::Error::Malformed;
    }
    return HttpClientResponse::Error::Malformed;
}

} // namespace

/// One request waiting for or using a connection.
struct HttpClient::Pending
{
    quint64 id = 0;
    HttpClientRequest request;
    Callback done;
    QString key;
    std::unique_ptr<QTimer> timer;
    Connection *connection = nullptr;
    bool retriedStale = false;
};

/// One TCP (or TLS) connection to a handler's host, carrying one request at a time.
class HttpClient::Connection : public QObject
{
public:
    Connection(HttpClient *client, QString key, const QUrl &url)
        : QObject(client)
        , key(std::move(key))
    {
        const bool https = url.scheme().compare(u"https"_s, Qt::CaseInsensitive) == 0;
        QSslSocket *ssl = nullptr;
        if (https) {
            ssl = new QSslSocket(this);
            QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
            configuration.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
            ssl->setSslConfiguration(configuration);
            socket = ssl;
        } else {
            socket = new QTcpSocket(this);
        }
        socket->setReadBufferSize(kSocketReadBuffer);
        connectTimer.setSingleShot(true);
        idleTimer.setSingleShot(true);
        host = url.host(QUrl::FullyEncoded);
        port = static_cast<quint16>(defaultPort(url));
        if (ssl) {
            QObject::connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
                for (const QSslError &error : errors)
                    sslErrors.append(error.errorString());
            });
            QObject::connect(ssl, &QSslSocket::encrypted, this,
                             [this, client] { client->connectionReady(this); });
        } else {
            QObject::connect(socket, &QTcpSocket::connected, this,
                             [this, client] { client->connectionReady(this); });
        }
    }

    /// Connects (a failure may be reported at once, from inside this call).
    void open()
    {
        if (auto *ssl = qobject_cast<QSslSocket *>(socket))
            ssl->connectToHostEncrypted(host, port);
        else
            socket->connectToHost(host, port);
    }

    QString key;
    QString host;
    quint16 port = 0;
    QTcpSocket *socket = nullptr;
    QTimer connectTimer;
    QTimer idleTimer;
    HttpResponseParser parser;
    QStringList sslErrors;
    quint64 current = 0; ///< the request on it, 0 when idle
    bool ready = false;  ///< connected (and encrypted)
    bool answered = false;
    bool closing = false;
};

HttpClient::HttpClient(HttpClientOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
}

HttpClient::~HttpClient()
{
    for (const QList<Connection *> &connections : std::as_const(m_connections)) {
        for (Connection *connection : connections) {
            connection->socket->disconnect(this);
            connection->disconnect();
            connection->socket->disconnect();
            connection->socket->abort();
        }
    }
    qDeleteAll(m_pending);
}

int HttpClient::connectionCount() const
{
    int count = 0;
    for (const QList<Connection *> &connections : m_connections)
        count += static_cast<int>(connections.size());
    return count;
}

int HttpClient::idleConnectionCount() const
{
    int count = 0;
    for (const QList<Connection *> &connections : m_connections) {
        for (const Connection *connection : connections)
            count += connection->current == 0 ? 1 : 0;
    }
    return count;
}

quint64 HttpClient::send(HttpClientRequest request, Callback done)
{
    const quint64 id = m_nextId++;
    auto *pending = new Pending;
    pending->id = id;
    pending->done = std::move(done);
    pending->key = connectionKey(request.url);
    const QString problem = requestProblem(request);
    pending->request = std::move(request);
    m_pending.insert(id, pending);
    if (!problem.isEmpty()) {
        QTimer::singleShot(0, this, [this, id, problem] {
            HttpClientResponse response;
            response.error = HttpClientResponse::Error::InvalidRequest;
            response.errorText = problem;
            complete(id, std::move(response));
        });
        return id;
    }
    if (pending->request.timeout > 0ms) {
        pending->timer = std::make_unique<QTimer>();
        pending->timer->setSingleShot(true);
        connect(pending->timer.get(), &QTimer::timeout, this, [this, id] { onTimeout(id); });
        pending->timer->start(pending->request.timeout);
    }
    m_queues[pending->key].append(id);
    pump(pending->key);
    return id;
}

void HttpClient::cancel(quint64 id)
{
    Pending *pending = m_pending.take(id);
    if (!pending)
        return;
    const QString key = pending->key;
    if (pending->connection)
        dropConnection(pending->connection);
    else
        m_queues[key].removeOne(id);
    delete pending;
    pump(key);
}

void HttpClient::onTimeout(quint64 id)
{
    Pending *pending = m_pending.value(id);
    if (!pending)
        return;
    const QString key = pending->key;
    const auto timeout = pending->request.timeout;
    if (pending->connection)
        dropConnection(pending->connection);
    else
        m_queues[key].removeOne(id);
    HttpClientResponse response;
    response.error = HttpClientResponse::Error::Timeout;
    response.errorText = u"No answer within %1 ms."_s.arg(timeout.count());
    pump(key);
    complete(id, std::move(response));
}

void HttpClient::pump(const QString &key)
{
    QList<quint64> &queue = m_queues[key];
    while (!queue.isEmpty()) {
        Connection *idle = nullptr;
        const QList<Connection *> connections = m_connections.value(key);
        for (Connection *connection : connections) {
            if (connection->current == 0 && connection->ready && !connection->closing) {
                idle = connection;
                break;
            }
        }
        const quint64 id = queue.front();
        Pending *pending = m_pending.value(id);
        if (!pending) {
            queue.removeFirst();
            continue;
        }
        if (!idle && connections.size() >= std::max(m_options.maxConnectionsPerHost, 1))
            break;
        queue.removeFirst();
        if (!idle)
            idle = openConnection(key, pending->request.url);
        startOn(idle, id);
    }
    if (queue.isEmpty())
        m_queues.remove(key);
}

HttpClient::Connection *HttpClient::openConnection(const QString &key, const QUrl &url)
{
    auto *connection = new Connection(this, key, url);
    m_connections[key].append(connection);
    QTcpSocket *socket = connection->socket;
    connect(socket, &QTcpSocket::readyRead, connection, [this, connection] { onReadyRead(connection); });
    connect(socket, &QTcpSocket::disconnected, connection,
            [this, connection] { onClosed(connection, QAbstractSocket::RemoteHostClosedError); });
    connect(socket, &QTcpSocket::errorOccurred, connection,
            [this, connection](QAbstractSocket::SocketError e) {
                if (e != QAbstractSocket::RemoteHostClosedError) // disconnected() follows
                    onClosed(connection, e);
            });
    connect(&connection->connectTimer, &QTimer::timeout, connection, [this, connection] {
        onConnectionFailed(connection, HttpClientResponse::Error::Timeout,
                           u"Network error: no connection to the handler within %1 ms."_s.arg(
                               m_options.connectTimeout.count()));
    });
    connect(&connection->idleTimer, &QTimer::timeout, connection, [this, connection] {
        if (connection->current == 0)
            dropConnection(connection);
    });
    connection->connectTimer.start(m_options.connectTimeout);
    // From the event loop: a failure Qt reports inside connectToHost() (a refusal on loopback comes at once)
    // then reaches the handlers connected above and a connection that carries its request, and never calls
    // back inside send(). A connection dropped before that turn never connects.
    QTimer::singleShot(0, connection, [connection] {
        if (!connection->closing)
            connection->open();
    });
    return connection;
}

void HttpClient::startOn(Connection *connection, quint64 id)
{
    Pending *pending = m_pending.value(id);
    connection->current = id;
    connection->idleTimer.stop();
    HttpResponseLimits limits = m_options.limits;
    if (pending->request.maxBodyBytes >= 0)
        limits.maxBodyBytes = pending->request.maxBodyBytes;
    connection->parser = HttpResponseParser(limits);
    pending->connection = connection;
    if (connection->ready)
        connection->socket->write(serialize(pending->request));
}

void HttpClient::connectionReady(Connection *connection)
{
    connection->connectTimer.stop();
    connection->ready = true;
    if (Pending *pending = m_pending.value(connection->current))
        connection->socket->write(serialize(pending->request));
}

void HttpClient::onReadyRead(Connection *connection)
{
    if (connection->closing)
        return;
    const QByteArray bytes = connection->socket->readAll();
    if (connection->current == 0) {
        dropConnection(connection); // an idle connection that talks is not one to reuse
        pump(connection->key);
        return;
    }
    connection->parser.feed(bytes);
    settle(connection);
}

void HttpClient::onClosed(Connection *connection, QAbstractSocket::SocketError error)
{
    if (connection->closing)
        return;
    if (!connection->ready) {
        QString text = socketErrorText(error);
        HttpClientResponse::Error kind = HttpClientResponse::Error::Connect;
        if (!connection->sslErrors.isEmpty() || error == QAbstractSocket::SslHandshakeFailedError ||
            error == QAbstractSocket::SslInternalError || error == QAbstractSocket::SslInvalidUserDataError) {
            kind = HttpClientResponse::Error::Tls;
            text = u"TLS error: %1"_s.arg(connection->sslErrors.isEmpty()
                                              ? u"the handshake with the handler failed."_s
                                              : connection->sslErrors.join(u"; "_s));
        }
        onConnectionFailed(connection, kind, text);
        return;
    }
    if (connection->current == 0) {
        dropConnection(connection); // an idle connection the handler closed
        pump(connection->key);
        return;
    }
    if (connection->socket->bytesAvailable() > 0)
        connection->parser.feed(connection->socket->readAll());
    if (connection->parser.state() == HttpResponseParser::State::Head ||
        connection->parser.state() == HttpResponseParser::State::Body)
        connection->parser.finish();
    Pending *pending = m_pending.value(connection->current);
    if (pending && connection->answered && !pending->retriedStale &&
        connection->parser.error() == HttpResponseParser::Error::ClosedBeforeAnswer) {
        // A kept-alive connection the handler closed as we reused it: send once more on a new one.
        pending->retriedStale = true;
        pending->connection = nullptr;
        connection->current = 0;
        dropConnection(connection);
        m_queues[pending->key].prepend(pending->id);
        pump(pending->key);
        return;
    }
    settle(connection);
}

void HttpClient::settle(Connection *connection)
{
    const quint64 id = connection->current;
    Pending *pending = m_pending.value(id);
    const HttpResponseParser &parser = connection->parser;
    if (!pending || parser.state() == HttpResponseParser::State::Head ||
        parser.state() == HttpResponseParser::State::Body)
        return;
    HttpClientResponse response;
    response.reusedConnection = connection->answered;
    if (parser.headComplete() || parser.error() == HttpResponseParser::Error::BodyTooLarge)
        response.status = parser.status();
    const QString key = connection->key;
    if (parser.state() == HttpResponseParser::State::Complete) {
        response.headers = parser.headers();
        response.body = parser.body();
        connection->answered = true;
        connection->current = 0;
        pending->connection = nullptr;
        std::chrono::milliseconds idle = m_options.idleTimeout;
        if (const auto advertised = parser.keepAliveTimeout())
            idle = std::min(idle, std::chrono::milliseconds(std::chrono::seconds(*advertised) - 1s));
        const bool reusable = parser.keepAlive() && idle > 0ms &&
                              connection->socket->state() == QAbstractSocket::ConnectedState;
        if (reusable)
            connection->idleTimer.start(idle);
        else
            dropConnection(connection);
    } else {
        response.error = responseError(parser.error());
        response.errorText = httpErrorText(parser);
        dropConnection(connection);
    }
    pump(key);
    complete(id, std::move(response));
}

void HttpClient::onConnectionFailed(Connection *connection, HttpClientResponse::Error error,
                                    const QString &text)
{
    const quint64 id = connection->current;
    const QString key = connection->key;
    dropConnection(connection);
    pump(key);
    if (id != 0) {
        HttpClientResponse response;
        response.error = error;
        response.errorText = text;
        complete(id, std::move(response));
    }
}

void HttpClient::dropConnection(Connection *connection)
{
    if (connection->closing)
        return;
    connection->closing = true;
    if (Pending *pending = m_pending.value(connection->current))
        pending->connection = nullptr;
    m_connections[connection->key].removeOne(connection);
    if (m_connections[connection->key].isEmpty())
        m_connections.remove(connection->key);
    connection->connectTimer.stop();
    connection->idleTimer.stop();
    connection->socket->disconnect(this);
    connection->socket->disconnect(connection);
    connection->socket->abort();
    connection->deleteLater();
}

void HttpClient::complete(quint64 id, HttpClientResponse response)
{
    Pending *pending = m_pending.take(id);
    if (!pending)
        return;
    Callback done = std::move(pending->done);
    delete pending;
    if (done)
        done(response);
}

} // namespace wps::emulator::upstream
