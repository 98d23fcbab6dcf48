#include "trace/livetrace.h"

#include "protocol/connectionstring.h"
#include "protocol/jwt.h"
#include "service/credential.h"
#include "trace/tracelogging.h"
#include "trace/tracestore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>
#include <atomic>

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

namespace {

constexpr char kSeparator = '\x1e';

/// The category of a log event: logContext.category when the service names it, else the emulator's id
/// ranges, else a guess from the context keys (an HTTP event has a URL or method).
LiveTraceCategory categoryOf(const QJsonObject &data, const QJsonObject &context)
{
    const QString category = context.value(u"category"_s).toString();
    if (category.startsWith(u"Connectivity"_s, Qt::CaseInsensitive))
        return LiveTraceCategory::Connectivity;
    if (category.startsWith(u"Messaging"_s, Qt::CaseInsensitive))
        return LiveTraceCategory::Messaging;
    if (category.startsWith(u"Http"_s, Qt::CaseInsensitive))
        return LiveTraceCategory::HttpRequests;
    const int id = data.value(u"eventId"_s).toInt();
    if (id >= 1000 && id < 2000)
        return LiveTraceCategory::Connectivity;
    if (id >= 2000 && id < 3000)
        return LiveTraceCategory::Messaging;
    if (id >= 3000 && id < 4000)
        return LiveTraceCategory::HttpRequests;
    if (context.contains(u"url"_s) || context.contains(u"httpMethod"_s) || context.contains(u"statusCode"_s))
        return LiveTraceCategory::HttpRequests;
    if (context.contains(u"messageType"_s) || context.contains(u"group"_s))
        return LiveTraceCategory::Messaging;
    return LiveTraceCategory::Connectivity;
}

/// The template with each {placeholder} replaced by the next value.
QString render(const QString &text, const QJsonArray &values)
{
    static const QRegularExpression placeholder(u"\\{[^{}]*\\}"_s);
    QString out;
    qsizetype last = 0;
    qsizetype next = 0;
    auto it = placeholder.globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        out += QStringView(text).mid(last, match.capturedStart() - last);
        const QJsonValue value = values.at(next++);
        out += value.isString()   ? value.toString()
               : value.isDouble() ? QString::number(value.toDouble())
                                  : QString();
        last = match.capturedEnd();
    }
    out += QStringView(text).mid(last);
    return out;
}

QString stringOf(const QJsonObject &context, const QString &key)
{
    const QJsonValue value = context.value(key);
    return value.isDouble() ? QString::number(value.toInteger()) : value.toString();
}

/// "Name: value" lines of a header object, a blank line, then the body (decoded when base64): the payload
/// form of an HTTP row (docs/trace.md, "Upstream exchanges").
QByteArray httpPayload(const QJsonObject &headers, const QJsonObject &context, const QString &prefix)
{
    QByteArray payload;
    for (auto it = headers.begin(); it != headers.end(); ++it)
        payload += it.key().toUtf8() + ": " + it.value().toString().toUtf8() + "\r\n";
    payload += "\r\n";
    const QString body = context.value(prefix + u"Body"_s).toString();
    if (context.value(prefix + u"BodyEncoding"_s).toString() == u"base64"_s)
        payload += QByteArray::fromBase64(body.toLatin1());
    else
        payload += body.toUtf8();
    return payload;
}

/// Distinguishes upstream exchanges when the service does not number them.
std::atomic<quint64> nextUpstreamExchange{1};

} // namespace

std::vector<TraceEvent> LiveTraceClient::upstreamExchange(const TraceEvent &base, const QJsonObject &context)
{
    // The request the service sent to the event handler (out), then the handler's answer (in), as a pair
    // sharing one correlation -- the shape of the console's own REST rows.
    const QString connectionId = base.connectionId;
    QString exchangeId = stringOf(context, u"exchangeId"_s);
    if (exchangeId.isEmpty())
        exchangeId = u"c"_s + QString::number(nextUpstreamExchange.fetch_add(1));
    const QString correlation =
        u"upstream:"_s + (connectionId.isEmpty() ? u"-"_s : connectionId) + u':' + exchangeId;
    const QString method = context.value(u"httpMethod"_s).toString();
    const QString url = context.value(u"url"_s).toString();
    const QString eventName = context.value(u"event"_s).toString();
    const int attempt = stringOf(context, u"attempt"_s).toInt();
    QString line = method + u' ' + url;
    if (attempt > 1)
        line += u" (attempt "_s + QString::number(attempt) + u')';

    TraceEvent request = base;
    request.kind = Kind::Http;
    request.direction = Direction::Out;
    request.type = u"upstream "_s + eventName;
    request.correlation = correlation;
    request.status = 0;
    request.durationMs = -1;
    request.detail = line;
    request.payload = httpPayload(context.value(u"requestHeaders"_s).toObject(), context, u"request"_s);
    const QString requestBody = context.value(u"requestBody"_s).toString();
    request.size = stringOf(context, u"requestBodySize"_s).toLongLong();
    request.truncated = context.value(u"requestBodyEncoding"_s).toString() != u"base64"_s &&
                        requestBody.toUtf8().size() < request.size;
    const QDateTime started =
        QDateTime::fromString(context.value(u"startTime"_s).toString(), Qt::ISODateWithMs);
    if (started.isValid())
        request.timestampMs = started.toMSecsSinceEpoch();

    TraceEvent response = base;
    response.kind = Kind::Http;
    response.direction = Direction::In;
    response.type = request.type;
    response.correlation = correlation;
    response.status = stringOf(context, u"statusCode"_s).toInt();
    const QString duration = stringOf(context, u"durationMs"_s);
    response.durationMs = duration.isEmpty() ? -1 : duration.toLongLong();
    const QString error = context.value(u"error"_s).toString();
    response.detail = line;
    if (response.status > 0)
        response.detail = QString::number(response.status) + u' ' + line;
    if (!error.isEmpty())
        response.detail += u" — "_s + error;
    response.payload = httpPayload(context.value(u"responseHeaders"_s).toObject(), context, u"response"_s);
    const QString responseBody = context.value(u"responseBody"_s).toString();
    response.size = stringOf(context, u"responseBodySize"_s).toLongLong();
    response.truncated = context.value(u"responseBodyEncoding"_s).toString() != u"base64"_s &&
                         responseBody.toUtf8().size() < response.size;
    if (request.timestampMs > response.timestampMs)
        request.timestampMs = response.timestampMs;
    if (eventName == u"joined"_s || eventName == u"left"_s) {
        // A group presence event: its group (the body {"group": ...}) and user (ce-userId) on both rows, for
        // the summary "alice joined room1".
        const qsizetype bodyAt = request.payload.indexOf("\r\n\r\n");
        const QJsonObject body =
            QJsonDocument::fromJson(bodyAt < 0 ? QByteArray() : request.payload.mid(bodyAt + 4)).object();
        request.group = response.group = body.value(u"group"_s).toString();
        if (request.userId.isEmpty()) {
            const QJsonObject headers = context.value(u"requestHeaders"_s).toObject();
            for (auto it = headers.begin(); it != headers.end(); ++it)
                if (it.key().compare(u"ce-userId"_s, Qt::CaseInsensitive) == 0)
                    request.userId = response.userId = it.value().toString();
        }
    }
    return {std::move(request), std::move(response)};
}

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

TraceEvent LiveTraceClient::toTraceEvent(const QJsonObject &data, const QHash<int, QJsonObject> &templates)
{
    std::vector<TraceEvent> events = toTraceEvents(data, templates);
    return events.empty() ? TraceEvent() : std::move(events.back());
}

std::vector<TraceEvent> LiveTraceClient::toTraceEvents(const QJsonObject &data,
                                                       const QHash<int, QJsonObject> &templates)
{
    const QJsonObject context = data.value(u"logContext"_s).toObject();
    const int eventId = data.value(u"eventId"_s).toInt();
    const QJsonArray values = data.value(u"values"_s).toArray();
    TraceEvent event;
    event.source = Source::Service;
    const QDateTime time = QDateTime::fromString(data.value(u"time"_s).toString(), Qt::ISODateWithMs);
    event.timestampMs = time.isValid() ? time.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
    event.hub = context.value(u"hub"_s).toString();
    event.connectionId = context.value(u"connectionId"_s).toString();
    event.userId = context.value(u"userId"_s).toString();
    event.group = context.value(u"group"_s).toString();
    const QJsonObject property = templates.value(eventId);
    const QString eventName = property.value(u"eventName"_s).toString();
    if (property.contains(u"template"_s)) {
        event.detail = render(property.value(u"template"_s).toString(), values);
    } else {
        QStringList parts;
        for (const QJsonValue &value : values)
            parts << (value.isDouble() ? QString::number(value.toDouble()) : value.toString());
        event.detail = u"event "_s + QString::number(eventId) + u": "_s + parts.join(u", "_s);
    }
    if (const QString exception = data.value(u"exceptionMessage"_s).toString(); !exception.isEmpty())
        event.detail += u" ("_s + exception + u')';
    event.payload = QJsonDocument(data).toJson(QJsonDocument::Compact);
    const QString traceId = stringOf(context, u"traceId"_s);

    switch (categoryOf(data, context)) {
    case LiveTraceCategory::Connectivity: {
        event.kind = Kind::Lifecycle;
        event.direction = Direction::None;
        event.type = !eventName.isEmpty() ? eventName
                     : eventId == 1001    ? u"ConnectionConnected"_s
                     : eventId == 1002    ? u"ConnectionDisconnected"_s
                     : eventId == 1003    ? u"ConnectionRecovered"_s
                     : eventId == 1004    ? u"ConnectionRefused"_s
                                          : u"connectivity"_s;
        if (!event.connectionId.isEmpty())
            event.correlation = u"conn:"_s + event.connectionId;
        // A refused upgrade (ConnectionRefused): the status and the service's reason, in the row itself.
        if (const int status = stringOf(context, u"statusCode"_s).toInt(); status > 0) {
            event.status = status;
            const QString reason = context.value(u"reason"_s).toString();
            QString refused = tr("Connection refused with HTTP %1").arg(status);
            if (!reason.isEmpty())
                refused += u": "_s + reason;
            if (const QString path = context.value(u"url"_s).toString(); !path.isEmpty())
                refused += u" ("_s + path + u')';
            if (!property.contains(u"template"_s) || eventId == 1004)
                event.detail = refused;
        }
        break;
    }
    case LiveTraceCategory::Messaging: {
        event.kind = Kind::Frame;
        const QString direction = context.value(u"direction"_s).toString();
        const bool out = direction == u"out"_s || (direction.isEmpty() && eventId == 2002);
        event.direction = out ? Direction::Out : Direction::In;
        event.type = context.value(u"messageType"_s).toString();
        if (event.type.isEmpty())
            event.type = eventName.isEmpty() ? u"message"_s : eventName;
        event.size = stringOf(context, u"size"_s).toLongLong();
        event.correlation = traceId;
        break;
    }
    case LiveTraceCategory::HttpRequests: {
        event.kind = Kind::Http;
        // A request the service received, or (direction "out") one it sent to an event handler.
        if (context.value(u"direction"_s).toString() == u"out"_s)
            return upstreamExchange(event, context);
        event.direction = Direction::In;
        const QString method = context.value(u"httpMethod"_s).toString();
        const QString url = context.value(u"url"_s).toString();
        event.type = method.isEmpty() ? u"http"_s : method;
        event.status = stringOf(context, u"statusCode"_s).toInt();
        const QString duration = stringOf(context, u"durationMs"_s);
        event.durationMs = duration.isEmpty() ? -1 : duration.toLongLong();
        if (!method.isEmpty() || !url.isEmpty())
            event.detail = method + u' ' + url;
        event.correlation = traceId;
        // A send: how many connections it reached, when the service says.
        const QString delivered = stringOf(context, u"deliveredCount"_s);
        if (bool ok = false; delivered.toInt(&ok) >= 0 && ok) {
            const int count = delivered.toInt();
            event.detail += u" — "_s + (count == 1 ? tr("delivered to 1 connection")
                                                   : tr("delivered to %1 connections").arg(count));
            if (const QString note = context.value(u"deliveryNote"_s).toString(); !note.isEmpty())
                event.detail += u" — "_s + note;
        }
        break;
    }
    }
    return {event};
}

} // namespace wps::trace
