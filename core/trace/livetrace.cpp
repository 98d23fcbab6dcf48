#include "trace/livetrace.h"

#include "protocol/connectionstring.h"
#include "protocol/jwt.h"
#include "service/credential.h"
#include "trace/livetrace_p.h"
#include "trace/tracelogging.h"
#include "trace/tracestore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

namespace {

constexpr char kSeparator = '\x1e';

} // namespace

using detail::categoryOf;
using detail::stringOf;

LiveTraceClient::LiveTraceClient(TraceStore *store, LiveTraceOptions options, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_options(options)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &LiveTraceClient::connectNow);
    connect(&m_pingTimer, &QTimer::timeout, this, [this] { sendRecord(QJsonObject{{u"type"_s, 6}}); });
    m_watchdog.setSingleShot(true);
    connect(&m_watchdog, &QTimer::timeout, this, [this] {
        if (!m_socket)
            return;
        m_lastError = tr("The live trace went silent; reconnecting.");
        Q_EMIT errorOccurred(m_lastError);
        m_socket->abort();
        onDisconnected(); // abort() of a socket that never opened emits nothing
    });
}

LiveTraceClient::~LiveTraceClient()
{
    m_running = false;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
    }
}

QUrl LiveTraceClient::liveTraceUrl(const QUrl &endpoint)
{
    QUrl url = endpoint;
    url.setScheme(endpoint.scheme() == u"https"_s || endpoint.scheme() == u"wss"_s ? u"wss"_s : u"ws"_s);
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + u"/livetrace"_s);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

QString LiveTraceClient::accessKeyToken(const ConnectionString &connection, int lifetimeSeconds)
{
    QUrl audience = connection.endpoint();
    QString path = audience.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    audience.setPath(path + u"/livetrace"_s);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QJsonObject claims{{u"aud"_s, audience.toString(QUrl::FullyEncoded)},
                             {u"iat"_s, now},
                             {u"exp"_s, now + std::max(60, lifetimeSeconds)}};
    return QString::fromLatin1(jwt::signHs256(claims, connection.accessKey().toUtf8()));
}

void LiveTraceClient::start(const ConnectionString &connection)
{
    const int lifetime = m_options.tokenLifetimeSeconds;
    start(connection.endpoint(), [connection, lifetime]() -> Expected<QString, QString> {
        if (!connection.hasAccessKey())
            return Expected<QString, QString>::failure(tr("The connection string has no access key."));
        return accessKeyToken(connection, lifetime);
    });
}

void LiveTraceClient::start(const QUrl &endpoint, const service::Credential *credential)
{
    const QUrl url = liveTraceUrl(endpoint);
    start(endpoint, [credential, url]() -> Expected<QString, QString> {
        using R = Expected<QString, QString>;
        if (!credential)
            return R::failure(tr("No credential for the live trace."));
        const auto header = credential->authorization(url);
        if (!header)
            return R::failure(header.error());
        QByteArray value = header.value();
        if (value.startsWith("Bearer ") || value.startsWith("bearer "))
            value = value.mid(7);
        return QString::fromLatin1(value.trimmed());
    });
}

void LiveTraceClient::start(const QUrl &endpoint, TokenProvider tokens)
{
    stop();
    m_url = liveTraceUrl(endpoint);
    m_tokens = std::move(tokens);
    m_running = true;
    m_authFailed = false;
    m_attempt = 0;
    m_received = 0;
    m_lastError.clear();
    connectNow();
}

void LiveTraceClient::stop()
{
    m_running = false;
    m_retryTimer.stop();
    m_pingTimer.stop();
    m_watchdog.stop();
    if (m_socket) {
        QWebSocket *socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
        if (m_handshaken)
            socket->sendTextMessage(QString::fromUtf8(
                QJsonDocument(QJsonObject{{u"type"_s, 7}}).toJson(QJsonDocument::Compact) + kSeparator));
        socket->close();
        socket->deleteLater();
    }
    m_handshaken = false;
    setState(State::Disconnected);
}

void LiveTraceClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void LiveTraceClient::fail(const QString &message)
{
    m_lastError = message;
    qCWarning(lcTrace).noquote() << "live trace:" << message;
    Q_EMIT errorOccurred(message);
}

void LiveTraceClient::connectNow()
{
    if (!m_running)
        return;
    if (m_state != State::Reconnecting)
        setState(State::Connecting);
    const auto token = m_tokens ? m_tokens() : Expected<QString, QString>::failure(tr("No token source."));
    if (!token) {
        fail(tr("Cannot make a live trace token: %1").arg(token.error()));
        m_running = false;
        setState(State::Disconnected);
        return;
    }
    QUrl url = m_url;
    QUrlQuery query;
    query.addQueryItem(u"access_token"_s, QString::fromLatin1(QUrl::toPercentEncoding(*token)));
    url.setQuery(query.query(QUrl::FullyEncoded), QUrl::StrictMode);
    m_handshaken = false;
    m_buffer.clear();
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    QWebSocket *socket = m_socket;
    connect(socket, &QWebSocket::connected, this, [this, socket] {
        if (socket == m_socket)
            onConnected();
    });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        if (socket == m_socket)
            onDisconnected();
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &text) {
        if (socket == m_socket)
            onText(text);
    });
    connect(
        socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
        [this, socket](QAbstractSocket::SocketError) {
            if (socket != m_socket)
                return;
            const QString why = socket->errorString();
            if (why.contains(u"401"_s) || why.contains(u"403"_s)) {
                m_authFailed = true;
                fail(
                    tr("The live trace refused the access token (HTTP %1): check the access key or the role.")
                        .arg(why.contains(u"401"_s) ? u"401"_s : u"403"_s));
            } else {
                // The URL in Qt's text has no token: it is never part of errorString.
                fail(tr("Live trace connection failed: %1").arg(why));
            }
        });
    m_watchdog.start(m_options.serverTimeoutMs); // also bounds a handshake that hangs
    socket->open(url);
}

void LiveTraceClient::onConnected()
{
    // SignalR handshake: the protocol request, answered by {} (or an error).
    m_socket->sendTextMessage(
        QString::fromUtf8(QJsonDocument(QJsonObject{{u"protocol"_s, u"json"_s}, {u"version"_s, 1}})
                              .toJson(QJsonDocument::Compact) +
                          kSeparator));
    m_watchdog.start(m_options.serverTimeoutMs);
}

void LiveTraceClient::onDisconnected()
{
    if (!m_socket)
        return;
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    socket->deleteLater();
    m_pingTimer.stop();
    m_watchdog.stop();
    m_handshaken = false;
    if (!m_running || m_authFailed) {
        m_running = false;
        setState(State::Disconnected);
        return;
    }
    scheduleReconnect();
}

void LiveTraceClient::scheduleReconnect()
{
    setState(State::Reconnecting);
    qint64 delay = m_options.initialBackoffMs;
    for (int i = 0; i < m_attempt && delay < m_options.maxBackoffMs; ++i)
        delay *= 2;
    delay = std::min<qint64>(delay, m_options.maxBackoffMs);
    ++m_attempt;
    m_retryTimer.start(int(delay));
}

void LiveTraceClient::sendRecord(const QJsonObject &object)
{
    if (m_socket && m_handshaken)
        m_socket->sendTextMessage(
            QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact) + kSeparator));
}

void LiveTraceClient::onText(const QString &text)
{
    m_watchdog.start(m_options.serverTimeoutMs);
    m_buffer += text.toUtf8();
    qsizetype start = 0;
    for (qsizetype end = m_buffer.indexOf(kSeparator); end >= 0 && m_socket;
         end = m_buffer.indexOf(kSeparator, start)) {
        handleRecord(m_buffer.mid(start, end - start));
        start = end + 1;
    }
    m_buffer.remove(0, start);
    if (m_buffer.size() > 1024 * 1024) { // a record without an end: not the hub protocol
        fail(tr("The live trace sent a malformed message."));
        m_buffer.clear();
        if (m_socket)
            m_socket->abort();
    }
}

void LiveTraceClient::handleRecord(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonObject message = QJsonDocument::fromJson(json, &error).object();
    if (error.error != QJsonParseError::NoError)
        return;
    if (!m_handshaken) {
        if (message.contains(u"error"_s)) {
            m_authFailed = true; // a refused protocol does not heal by retrying
            fail(tr("The live trace refused the handshake: %1").arg(message.value(u"error"_s).toString()));
            m_socket->close();
            return;
        }
        m_handshaken = true;
        m_attempt = 0;
        m_lastError.clear();
        sendRecord(QJsonObject{
            {u"type"_s, 1}, {u"target"_s, u"startListeningToLogEvents"_s}, {u"arguments"_s, QJsonArray{}}});
        m_pingTimer.start(m_options.pingIntervalMs);
        setState(State::Connected);
        return;
    }
    switch (message.value(u"type"_s).toInt()) {
    case 1: {
        const QString target = message.value(u"target"_s).toString();
        const QJsonArray arguments = message.value(u"arguments"_s).toArray();
        if (target.compare(u"logEvent"_s, Qt::CaseInsensitive) == 0) {
            for (const QJsonValue &argument : arguments)
                handleLogEvent(argument.toObject());
        } else if (target.compare(u"LogProperty"_s, Qt::CaseInsensitive) == 0) {
            for (const QJsonValue &argument : arguments) {
                const QJsonObject property = argument.toObject();
                m_templates.insert(property.value(u"eventId"_s).toInt(), property);
            }
        }
        break;
    }
    case 7: {
        const QString why = message.value(u"error"_s).toString();
        if (!why.isEmpty())
            fail(tr("The live trace closed: %1").arg(why));
        if (!message.value(u"allowReconnect"_s).toBool(true))
            m_running = false;
        if (m_socket)
            m_socket->close();
        break;
    }
    default: // ping (6) and anything newer: the watchdog was already fed
        break;
    }
}

void LiveTraceClient::handleLogEvent(const QJsonObject &data)
{
    const int eventId = data.value(u"eventId"_s).toInt();
    if (!m_templates.contains(eventId) && !m_asked.contains(eventId) && m_asked.size() < 10000) {
        m_asked.insert(eventId);
        sendRecord(QJsonObject{
            {u"type"_s, 1}, {u"target"_s, u"LogProperty"_s}, {u"arguments"_s, QJsonArray{eventId}}});
    }
    const LiveTraceCategory category = categoryOf(data, data.value(u"logContext"_s).toObject());
    if (!(m_options.categories & quint8(category)))
        return;
    ++m_received;
    const QJsonObject context = data.value(u"logContext"_s).toObject();
    if (category == LiveTraceCategory::HttpRequests && context.value(u"direction"_s).toString() != u"out"_s) {
        // A REST call the service handled: kept by request id, so a panel can tell what a send reached.
        const QString requestId = stringOf(context, u"traceId"_s);
        if (!requestId.isEmpty()) {
            RequestReport report;
            report.status = stringOf(context, u"statusCode"_s).toInt();
            const QString delivered = stringOf(context, u"deliveredCount"_s);
            bool ok = false;
            const int count = delivered.toInt(&ok);
            report.deliveredCount = ok && count >= 0 ? count : -1;
            report.deliveryNote = context.value(u"deliveryNote"_s).toString();
            if (!m_reports.contains(requestId)) {
                m_reportOrder.append(requestId);
                if (m_reportOrder.size() > 512)
                    m_reports.remove(m_reportOrder.takeFirst());
            }
            m_reports.insert(requestId, report);
            Q_EMIT requestReported(requestId, report);
        }
    }
    if (m_store)
        m_store->append(toTraceEvents(data, m_templates));
}

std::optional<RequestReport> LiveTraceClient::requestReport(const QString &requestId) const
{
    const auto it = m_reports.constFind(requestId);
    if (it == m_reports.constEnd())
        return std::nullopt;
    return it.value();
}

} // namespace wps::trace
