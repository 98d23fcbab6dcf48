// Live trace records (LiveTraceLogData) as trace events: the conversion half of LiveTraceClient, apart from
// its connection (livetrace.cpp).
#include "trace/livetrace.h"
#include "trace/livetrace_p.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <atomic>

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

namespace detail {

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

QString stringOf(const QJsonObject &context, const QString &key)
{
    const QJsonValue value = context.value(key);
    return value.isDouble() ? QString::number(value.toInteger()) : value.toString();
}

} // namespace detail

namespace {

using detail::categoryOf;
using detail::stringOf;

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

/// A connection's lifecycle row; \a templated: the service gave the event id a template (its text is already
/// the detail).
void setConnectivityFields(TraceEvent &event, const QJsonObject &context, int eventId,
                           const QString &eventName, bool templated)
{
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
        QString refused = LiveTraceClient::tr("Connection refused with HTTP %1").arg(status);
        if (!reason.isEmpty())
            refused += u": "_s + reason;
        if (const QString path = context.value(u"url"_s).toString(); !path.isEmpty())
            refused += u" ("_s + path + u')';
        if (!templated || eventId == 1004)
            event.detail = refused;
    }
}

/// A message frame row, in or out of the service.
void setMessagingFields(TraceEvent &event, const QJsonObject &context, int eventId, const QString &eventName)
{
    event.kind = Kind::Frame;
    const QString direction = context.value(u"direction"_s).toString();
    const bool out = direction == u"out"_s || (direction.isEmpty() && eventId == 2002);
    event.direction = out ? Direction::Out : Direction::In;
    event.type = context.value(u"messageType"_s).toString();
    if (event.type.isEmpty())
        event.type = eventName.isEmpty() ? u"message"_s : eventName;
    event.size = stringOf(context, u"size"_s).toLongLong();
    event.correlation = stringOf(context, u"traceId"_s);
}

/// A REST request the service received (an upstream exchange is LiveTraceClient::upstreamExchange()).
void setHttpRequestFields(TraceEvent &event, const QJsonObject &context)
{
    event.direction = Direction::In;
    const QString method = context.value(u"httpMethod"_s).toString();
    const QString url = context.value(u"url"_s).toString();
    event.type = method.isEmpty() ? u"http"_s : method;
    event.status = stringOf(context, u"statusCode"_s).toInt();
    const QString duration = stringOf(context, u"durationMs"_s);
    event.durationMs = duration.isEmpty() ? -1 : duration.toLongLong();
    if (!method.isEmpty() || !url.isEmpty())
        event.detail = method + u' ' + url;
    event.correlation = stringOf(context, u"traceId"_s);
    // A send: how many connections it reached, when the service says.
    const QString delivered = stringOf(context, u"deliveredCount"_s);
    if (bool ok = false; delivered.toInt(&ok) >= 0 && ok) {
        const int count = delivered.toInt();
        event.detail +=
            u" — "_s + (count == 1 ? LiveTraceClient::tr("delivered to 1 connection")
                                   : LiveTraceClient::tr("delivered to %1 connections").arg(count));
        if (const QString note = context.value(u"deliveryNote"_s).toString(); !note.isEmpty())
            event.detail += u" — "_s + note;
    }
}

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

    switch (categoryOf(data, context)) {
    case LiveTraceCategory::Connectivity:
        setConnectivityFields(event, context, eventId, eventName, property.contains(u"template"_s));
        break;
    case LiveTraceCategory::Messaging:
        setMessagingFields(event, context, eventId, eventName);
        break;
    case LiveTraceCategory::HttpRequests:
        event.kind = Kind::Http;
        // A request the service received, or (direction "out") one it sent to an event handler.
        if (context.value(u"direction"_s).toString() == u"out"_s)
            return upstreamExchange(event, context);
        setHttpRequestFields(event, context);
        break;
    }
    return {event};
}

} // namespace wps::trace
