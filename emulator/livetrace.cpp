#include "emulator/livetrace.h"

#include "emulator/httpserver.h"
#include "emulator/upstream/upstreamclient.h"
#include "emulator/websocket.h"
#include "protocol/jwt.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTcpSocket>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcLiveTrace, "wps.emulator.livetrace")

namespace wps::emulator {

namespace {

constexpr char kSeparator = '\x1e';

struct EventTemplate
{
    int id;
    const char16_t *name;
    const char16_t *text;
    int level; ///< SignalR / Microsoft.Extensions.Logging level: 2 Information, 3 Warning
};

/// The templates; values are given in placeholder order.
constexpr EventTemplate kTemplates[] = {
    {LiveTraceHub::ConnectionConnected, u"ConnectionConnected",
     u"Connection {connectionId} of user {userId} connected to hub {hub}.", 2},
    {LiveTraceHub::ConnectionDisconnected, u"ConnectionDisconnected",
     u"Connection {connectionId} disconnected from hub {hub}: {reason}", 2},
    {LiveTraceHub::ConnectionRecovered, u"ConnectionRecovered",
     u"Connection {connectionId} recovered in hub {hub}.", 2},
    {LiveTraceHub::ConnectionRefused, u"ConnectionRefused",
     u"A client's connection to hub {hub} was refused with {statusCode}: {reason}", 3},
    {LiveTraceHub::MessageReceived, u"MessageReceived",
     u"Received a {messageType} message of {size} bytes from connection {connectionId}.", 2},
    {LiveTraceHub::MessageSent, u"MessageSent",
     u"Sent a {messageType} message of {size} bytes to connection {connectionId} (group '{group}').", 2},
    {LiveTraceHub::GroupStreamEvent, u"GroupStreamEvent",
     u"Stream {streamId} of connection {connectionId} to group '{group}' {streamEvent}: {detail}", 2},
    {LiveTraceHub::InvocationFinished, u"InvocationFinished",
     u"Invocation {invocationId} of event {event} by connection {connectionId}: {outcome} after {elapsedMs} "
     u"ms.",
     2},
    {LiveTraceHub::HttpRequestHandled, u"HttpRequestHandled",
     u"{method} {url} answered {statusCode} in {durationMs} ms.", 2},
    {LiveTraceHub::UpstreamRequestSent, u"UpstreamRequestSent",
     u"Event {event} sent to {method} {url}: {statusCode} in {durationMs} ms (attempt {attempt}) {error}", 2},
};

QByteArray record(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + kSeparator;
}

QByteArray invocation(const QString &target, const QJsonArray &arguments)
{
    return record(QJsonObject{{u"type"_s, 1}, {u"target"_s, target}, {u"arguments"_s, arguments}});
}

void refuse(QTcpSocket *socket, int status, const QString &message)
{
    HttpResponse response = HttpResponse::json(
        status, QJsonObject{{u"code"_s, status == 401 ? u"Unauthorized"_s : u"Error.BadRequest"_s},
                            {u"message"_s, message}});
    socket->write(serializeResponse(response, false, false));
    socket->disconnectFromHost();
}

} // namespace

LiveTraceHub::LiveTraceHub(std::function<QList<QByteArray>()> keys, QObject *parent)
    : QObject(parent)
    , m_keys(std::move(keys))
{
    m_pingTimer.setInterval(15000);
    connect(&m_pingTimer, &QTimer::timeout, this, &LiveTraceHub::pingAll);
}

LiveTraceHub::~LiveTraceHub()
{
    for (auto it = m_clients.keyBegin(); it != m_clients.keyEnd(); ++it)
        disconnect(*it, nullptr, this, nullptr);
}

bool LiveTraceHub::handles(QByteArrayView path)
{
    return path == "/livetrace" || path == "/livetrace/";
}

void LiveTraceHub::setPingInterval(int ms)
{
    m_pingTimer.setInterval(ms);
}

void LiveTraceHub::takeOver(QTcpSocket *socket, const HttpRequest &request, const QByteArray &fallbackHost)
{
    socket->setParent(this);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    if (request.method != "GET")
        return refuse(socket, 400, u"A WebSocket upgrade must be a GET request."_s);
    if (request.header("sec-websocket-version").trimmed() != "13" ||
        QByteArray::fromBase64(request.header("sec-websocket-key").trimmed()).size() != 16)
        return refuse(socket, 400, u"Not a valid WebSocket version 13 upgrade."_s);

    QUrlQuery query(QString::fromUtf8(request.query));
    QString token = query.queryItemValue(u"access_token"_s, QUrl::FullyDecoded);
    if (token.isEmpty()) {
        const QByteArray auth = request.header("authorization").trimmed();
        if (auth.startsWith("Bearer ") || auth.startsWith("bearer "))
            token = QString::fromLatin1(auth.mid(7).trimmed());
    }
    if (token.isEmpty())
        return refuse(socket, 401, u"The live trace needs an access_token."_s);
    const auto claims = jwt::verifyHs256(token.toLatin1(), m_keys());
    if (!claims)
        return refuse(socket, 401, u"Invalid live trace token: "_s + claims.error().message);
    QByteArray host = request.header("host").trimmed();
    if (host.isEmpty())
        host = fallbackHost;
    const QUrl requestUrl(u"http://"_s + QString::fromLatin1(host) + u"/livetrace"_s);
    bool audienceOk = false;
    const QStringList audiences = jwt::audiences(*claims);
    for (const QString &audience : audiences)
        audienceOk = audienceOk || jwt::audienceMatches(audience, requestUrl);
    if (!audienceOk)
        return refuse(socket, 401, u"The token's audience is not this live trace endpoint."_s);

    socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Accept: " +
                  ws::acceptKey(request.header("sec-websocket-key").trimmed()) + "\r\n\r\n");
    disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    ws::Limits limits;
    limits.maxMessageBytes = 64 * 1024;
    limits.maxQueuedMessages = m_maxQueuedMessages;
    auto *wsSocket = new ws::Socket(socket, limits, this);
    m_clients.insert(wsSocket, Client{});
    wsSocket->setMessageHandler(
        [this, wsSocket](QByteArrayView payload, bool) { onMessage(wsSocket, payload.toByteArray()); });
    connect(wsSocket, &ws::Socket::closed, this, [this, wsSocket] { onClosed(wsSocket); });
    if (!m_pingTimer.isActive())
        m_pingTimer.start();
    qCInfo(lcLiveTrace) << "trace client connected";
    wsSocket->start();
}

void LiveTraceHub::onMessage(ws::Socket *socket, const QByteArray &payload)
{
    auto it = m_clients.find(socket);
    if (it == m_clients.end())
        return;
    // One WebSocket message may hold several records, each ended by 0x1e.
    qsizetype start = 0;
    while (start < payload.size()) {
        const qsizetype end = payload.indexOf(kSeparator, start);
        if (end < 0) {
            socket->close(ws::CloseCode::InvalidPayload, u"A hub message without its 0x1e separator."_s);
            return;
        }
        handleHubMessage(socket, it.value(), payload.mid(start, end - start));
        if (!m_clients.contains(socket) || !socket->isOpen())
            return;
        start = end + 1;
    }
}

void LiveTraceHub::handleHubMessage(ws::Socket *socket, Client &client, const QByteArray &json)
{
    const QJsonObject message = QJsonDocument::fromJson(json).object();
    if (!client.handshaken) {
        if (message.value(u"protocol"_s).toString() != u"json"_s ||
            message.value(u"version"_s).toInt() != 1) {
            sendRecord(socket,
                       record(QJsonObject{
                           {u"error"_s, u"Only the 'json' hub protocol, version 1, is supported."_s}}));
            socket->close(ws::CloseCode::Normal, u"Unsupported hub protocol."_s);
            return;
        }
        client.handshaken = true;
        sendRecord(socket, record(QJsonObject{}));
        return;
    }
    switch (message.value(u"type"_s).toInt()) {
    case 1: { // invocation
        const QString target = message.value(u"target"_s).toString();
        const QJsonArray arguments = message.value(u"arguments"_s).toArray();
        if (target.compare(u"startListeningToLogEvents"_s, Qt::CaseInsensitive) == 0) {
            if (!client.listening) {
                client.listening = true;
                ++m_listeners;
            }
        } else if (target.compare(u"LogProperty"_s, Qt::CaseInsensitive) == 0 && !arguments.isEmpty()) {
            const int eventId = arguments.at(0).toInt();
            for (const EventTemplate &t : kTemplates) {
                if (t.id != eventId)
                    continue;
                sendRecord(socket,
                           invocation(u"LogProperty"_s,
                                      QJsonArray{QJsonObject{{u"eventId"_s, t.id},
                                                             {u"eventName"_s, QString::fromUtf16(t.name)},
                                                             {u"template"_s, QString::fromUtf16(t.text)},
                                                             {u"logLevel"_s, t.level}}}));
            }
        }
        // A blocking invocation (with invocationId) gets a completion, as SignalR hubs answer.
        if (const QString id = message.value(u"invocationId"_s).toString(); !id.isEmpty())
            sendRecord(socket, record(QJsonObject{{u"type"_s, 3}, {u"invocationId"_s, id}}));
        break;
    }
    case 6: // ping: nothing to answer, it only keeps the connection alive
        break;
    case 7: // close
        socket->close(ws::CloseCode::Normal, QString());
        break;
    default:
        break;
    }
}

void LiveTraceHub::onClosed(ws::Socket *socket)
{
    const auto it = m_clients.constFind(socket);
    if (it == m_clients.constEnd())
        return;
    if (it->listening)
        --m_listeners;
    m_clients.erase(it);
    socket->deleteLater();
    if (m_clients.isEmpty())
        m_pingTimer.stop();
    qCInfo(lcLiveTrace) << "trace client gone";
}

void LiveTraceHub::sendRecord(ws::Socket *socket, const QByteArray &json)
{
    send(socket, ws::frame(ws::Opcode::Text, json));
}

void LiveTraceHub::send(ws::Socket *socket, const QByteArray &frame)
{
    if (socket->sendFrame(frame, true))
        return;
    ++m_dropped;
    // At its bound the trace client is closed, so a listener that stopped reading holds no memory for long.
    if (socket->isOpen()) {
        qCInfo(lcLiveTrace) << "closing a trace client that does not read its events";
        socket->close(ws::CloseCode::PolicyViolation, u"The trace client does not read its events."_s);
    }
}

void LiveTraceHub::pingAll()
{
    const QByteArray ping = ws::frame(ws::Opcode::Text, record(QJsonObject{{u"type"_s, 6}}));
    for (auto it = m_clients.cbegin(); it != m_clients.cend(); ++it) {
        if (it.value().handshaken)
            send(it.key(), ping);
    }
}

void LiveTraceHub::abortAll()
{
    const QList<ws::Socket *> sockets = m_clients.keys();
    for (ws::Socket *socket : sockets)
        socket->abort();
}

void LiveTraceHub::publish(int eventId, const QString &hub, const QString &connectionId,
                           const QString &userId, const QString &category, const QJsonObject &extra,
                           const QStringList &values)
{
    if (m_listeners <= 0)
        return;
    QJsonObject context{{u"category"_s, category}};
    if (!hub.isEmpty())
        context.insert(u"hub"_s, hub);
    if (!connectionId.isEmpty())
        context.insert(u"connectionId"_s, connectionId);
    if (!userId.isEmpty())
        context.insert(u"userId"_s, userId);
    if (!m_correlation.isEmpty())
        context.insert(u"traceId"_s, m_correlation);
    for (auto it = extra.begin(); it != extra.end(); ++it)
        context.insert(it.key(), it.value());
    QJsonArray valueArray;
    for (const QString &value : values)
        valueArray.append(value);
    const QJsonObject data{
        {u"time"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {u"eventId"_s, eventId},
        {u"logContext"_s, context},
        {u"values"_s, valueArray},
        {u"exceptionMessage"_s, QJsonValue::Null},
    };
    // Built once, written to every listener.
    const QByteArray frame = ws::frame(ws::Opcode::Text, invocation(u"logEvent"_s, QJsonArray{data}));
    for (auto it = m_clients.cbegin(); it != m_clients.cend(); ++it) {
        if (it.value().listening)
            send(it.key(), frame);
    }
}

void LiveTraceHub::connectionConnected(const QString &hub, const QString &connectionId, const QString &userId)
{
    publish(ConnectionConnected, hub, connectionId, userId, u"ConnectivityLogs"_s, {},
            {connectionId, userId, hub});
}

void LiveTraceHub::connectionDisconnected(const QString &hub, const QString &connectionId,
                                          const QString &userId, const QString &reason)
{
    publish(ConnectionDisconnected, hub, connectionId, userId, u"ConnectivityLogs"_s,
            QJsonObject{{u"reason"_s, reason}}, {connectionId, hub, reason});
}

void LiveTraceHub::connectionRecovered(const QString &hub, const QString &connectionId, const QString &userId,
                                       int expiredMessages)
{
    QJsonObject extra;
    if (expiredMessages > 0)
        extra.insert(u"expiredMessageCount"_s, QString::number(expiredMessages));
    publish(ConnectionRecovered, hub, connectionId, userId, u"ConnectivityLogs"_s, extra,
            {connectionId, hub});
}

void LiveTraceHub::messageReceived(const QString &hub, const QString &connectionId, const QString &userId,
                                   QByteArrayView payload, bool text)
{
    const QString type = text ? u"text"_s : u"binary"_s;
    const QString sizeText = QString::number(payload.size());
    QJsonObject extra{{u"direction"_s, u"in"_s}, {u"messageType"_s, type}, {u"size"_s, sizeText}};
    // Only the top of the frame is looked at (copied): the ackId comes before the data in the JSON codec.
    const QByteArray head =
        text ? payload.first(std::min<qsizetype>(payload.size(), 512)).toByteArray() : QByteArray();
    if (const qsizetype at = head.indexOf("\"ackId\""); at >= 0) {
        qsizetype i = at + 7;
        while (i < head.size() && (head.at(i) == ' ' || head.at(i) == ':'))
            ++i;
        qsizetype end = i;
        while (end < head.size() && head.at(end) >= '0' && head.at(end) <= '9')
            ++end;
        if (end > i && end < head.size())
            extra.insert(u"traceId"_s, QString(u"ack:"_s + connectionId + u':' +
                                               QString::fromLatin1(head.mid(i, end - i))));
    }
    publish(MessageReceived, hub, connectionId, userId, u"MessagingLogs"_s, extra,
            {type, sizeText, connectionId});
}

void LiveTraceHub::messageSent(const QString &hub, const QString &connectionId, const QString &userId,
                               const QString &group, const QString &type, qint64 size)
{
    const QString sizeText = QString::number(size);
    QJsonObject extra{{u"direction"_s, u"out"_s}, {u"messageType"_s, type}, {u"size"_s, sizeText}};
    if (!group.isEmpty())
        extra.insert(u"group"_s, group);
    publish(MessageSent, hub, connectionId, userId, u"MessagingLogs"_s, extra,
            {type, sizeText, connectionId, group});
}

void LiveTraceHub::groupStream(const QString &hub, const QString &connectionId, const QString &userId,
                               const QString &group, const QString &streamId, const QString &event,
                               const QString &detail)
{
    QJsonObject extra{{u"streamId"_s, streamId}, {u"streamEvent"_s, event}, {u"detail"_s, detail}};
    if (!group.isEmpty())
        extra.insert(u"group"_s, group);
    publish(GroupStreamEvent, hub, connectionId, userId, u"MessagingLogs"_s, extra,
            {streamId, connectionId, group, event, detail});
}

void LiveTraceHub::invocationFinished(const QString &hub, const QString &connectionId, const QString &userId,
                                      const QString &invocationId, const QString &event,
                                      const QString &outcome, qint64 elapsedMs)
{
    const QString elapsed = QString::number(elapsedMs);
    const QJsonObject extra{{u"direction"_s, u"out"_s},
                            {u"messageType"_s, u"invokeResponse"_s},
                            {u"invocationId"_s, invocationId},
                            {u"event"_s, event},
                            {u"outcome"_s, outcome},
                            {u"elapsedMs"_s, elapsed},
                            {u"traceId"_s, QString(u"invoke:"_s + connectionId + u':' + invocationId)}};
    publish(InvocationFinished, hub, connectionId, userId, u"MessagingLogs"_s, extra,
            {invocationId, event, connectionId, outcome, elapsed});
}

void LiveTraceHub::connectionRefused(const QString &hub, int status, const QString &reason,
                                     const QString &path, const QString &userId, const QString &subprotocol)
{
    if (m_listeners <= 0)
        return;
    const QString statusText = QString::number(status);
    QJsonObject extra{{u"statusCode"_s, statusText}, {u"reason"_s, reason}, {u"url"_s, path}};
    if (!subprotocol.isEmpty())
        extra.insert(u"subprotocol"_s, subprotocol);
    const QString saved = m_correlation;
    m_correlation.clear();
    publish(ConnectionRefused, hub, QString(), userId, u"ConnectivityLogs"_s, extra,
            {hub, statusText, reason});
    m_correlation = saved;
}

void LiveTraceHub::httpRequest(const QString &hub, const QByteArray &method, const QString &path, int status,
                               qint64 durationMs, const QString &requestId, int deliveredCount,
                               const QString &deliveryNote)
{
    const QString methodText = QString::fromLatin1(method);
    const QString statusText = QString::number(status);
    const QString durationText = QString::number(durationMs);
    const QString saved = m_correlation;
    m_correlation = requestId;
    QJsonObject extra{{u"httpMethod"_s, methodText},
                      {u"url"_s, path},
                      {u"statusCode"_s, statusText},
                      {u"durationMs"_s, durationText}};
    if (deliveredCount >= 0) {
        extra.insert(u"deliveredCount"_s, QString::number(deliveredCount));
        if (deliveredCount == 0 && !deliveryNote.isEmpty())
            extra.insert(u"deliveryNote"_s, deliveryNote);
    }
    publish(HttpRequestHandled, hub, QString(), QString(), u"HttpRequestLogs"_s, extra,
            {methodText, path, statusText, durationText});
    m_correlation = saved;
}

namespace {

/// Headers of an upstream exchange as a JSON object (repeated names joined with ", "), with the values
/// that are credentials masked: the signature is an HMAC of the access key over the connection id.
QJsonObject headerObject(const cloudevents::Headers &headers)
{
    QJsonObject object;
    for (const auto &[name, value] : headers) {
        const QString key = QString::fromLatin1(name);
        QString shown = QString::fromUtf8(value);
        const QByteArray lower = name.toLower();
        if (lower == "ce-signature" || lower == "x-functions-key" || lower == "cookie" ||
            lower == "set-cookie") {
            shown = u"***"_s;
        } else if (lower == "authorization" || lower == "proxy-authorization") {
            const qsizetype space = shown.indexOf(u' ');
            shown = space > 0 ? shown.left(space) + u" ***"_s : u"***"_s;
        }
        if (object.contains(key))
            shown = object.value(key).toString() + u", "_s + shown;
        object.insert(key, shown);
    }
    return object;
}

/// A body for the record: UTF-8 text as is, anything else as base64 (flagged), cut at \a max bytes.
void insertBody(QJsonObject &context, const QString &prefix, const QByteArray &body, qsizetype max)
{
    context.insert(prefix + u"BodySize"_s, QString::number(body.size()));
    if (body.isEmpty())
        return;
    QByteArray cut = body.left(max);
    const QString text = QString::fromUtf8(cut);
    // A cut in the middle of a UTF-8 sequence leaves one replacement character at the end: drop it.
    const bool utf8 = QString::fromUtf8(body).toUtf8() == body;
    if (utf8) {
        QString shown = text;
        if (cut.size() < body.size() && shown.endsWith(QChar::ReplacementCharacter))
            shown.chop(1);
        context.insert(prefix + u"Body"_s, shown);
    } else {
        context.insert(prefix + u"Body"_s, QString::fromLatin1(cut.toBase64()));
        context.insert(prefix + u"BodyEncoding"_s, u"base64"_s);
    }
}

} // namespace

void LiveTraceHub::upstreamRequest(const UpstreamExchange &e)
{
    if (m_listeners <= 0)
        return;
    QUrl safe(e.url);
    const bool hadQuery = safe.hasQuery();
    safe.setQuery(QString());
    safe.setUserInfo(QString());
    const QString shown = safe.toString() + (hadQuery ? u"?…"_s : QString());
    const QString methodText = QString::fromLatin1(e.method);
    const QString statusText = QString::number(e.status);
    const QString durationText = QString::number(e.elapsedMs);
    const QString attemptText = QString::number(e.attempt);
    QJsonObject extra{{u"direction"_s, u"out"_s},
                      {u"event"_s, e.eventName},
                      {u"httpMethod"_s, methodText},
                      {u"url"_s, shown},
                      {u"statusCode"_s, statusText},
                      {u"durationMs"_s, durationText},
                      {u"attempt"_s, attemptText},
                      {u"error"_s, e.error},
                      {u"exchangeId"_s, QString::number(m_nextUpstream++)},
                      {u"requestHeaders"_s, headerObject(e.requestHeaders)},
                      {u"responseHeaders"_s, headerObject(e.responseHeaders)}};
    if (e.started.isValid())
        extra.insert(u"startTime"_s, e.started.toUTC().toString(Qt::ISODateWithMs));
    insertBody(extra, u"request"_s, e.requestBody, maxBodyBytes);
    insertBody(extra, u"response"_s, e.responseBody, maxBodyBytes);
    const QString saved = m_correlation;
    m_correlation = e.connectionId.isEmpty() ? QString() : u"conn:"_s + e.connectionId;
    publish(UpstreamRequestSent, e.hub, e.connectionId, QString(), u"HttpRequestLogs"_s, extra,
            {e.eventName, methodText, shown, statusText, durationText, attemptText, e.error});
    m_correlation = saved;
}

HttpResponse LiveTraceHub::traceRest(const HttpRequest &request, const std::function<HttpResponse()> &handle)
{
    QString requestId = QString::fromLatin1(request.header("x-ms-client-request-id").trimmed().left(128));
    if (requestId.isEmpty())
        requestId = u"emulator:"_s + QString::number(m_nextRequest++);
    QString hub;
    const QList<QByteArray> segments = request.path.split('/');
    for (qsizetype i = 0; i + 1 < segments.size(); ++i) {
        if (segments.at(i) == "hubs") {
            hub = QUrl::fromPercentEncoding(segments.at(i + 1));
            break;
        }
    }
    QElapsedTimer clock;
    clock.start();
    m_correlation = requestId;
    HttpResponse response = handle();
    m_correlation.clear();
    if (response.header("x-ms-request-id").isEmpty())
        response.setHeader("x-ms-request-id", requestId.toLatin1());
    // The path only: secrets travel in the query (signature, access_token) and headers, never here.
    httpRequest(hub, request.method, QString::fromUtf8(request.path), response.status, clock.elapsed(),
                requestId, response.deliveredCount, response.deliveryNote);
    return response;
}

} // namespace wps::emulator
