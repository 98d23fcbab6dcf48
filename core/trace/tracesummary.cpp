#include "trace/tracesummary.h"

#include "protocol/messages.h"
#include "trace/tracestore.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

namespace {

constexpr int previewChars = 40;

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("wps::trace::TraceSummary", text, disambiguation, n);
}

QString bytesText(qint64 n)
{
    return n == 1 ? tr("1 byte") : tr("%1 bytes").arg(n);
}

/// The frame as a JSON object: JSON frames parse as they are; protobuf frames are decoded and shown through
/// the JSON codec (requests when the console sent them, service messages when it received them).
QJsonObject frameObject(const TraceRecordView &r)
{
    QByteArray json = r.payload;
    if (r.binary) {
        if (r.direction == Direction::Out) {
            const auto request = wps::messages::protobuf::decodeRequest(r.payload);
            if (!request)
                return {};
            json = wps::messages::json::encode(*request);
        } else {
            const auto message = wps::messages::protobuf::decodeMessage(r.payload);
            if (!message)
                return {};
            json = wps::messages::json::encode(*message);
        }
    }
    return QJsonDocument::fromJson(json).object();
}

/// "(text, 12 bytes)" and, for short text, the text itself.
QString dataNote(const QJsonObject &o)
{
    const QString dataType = o.value(u"dataType"_s).toString();
    const QJsonValue data = o.value(u"data"_s);
    qint64 bytes = 0;
    QString preview;
    if (data.isString()) {
        bytes = data.toString().toUtf8().size();
        if (dataType == u"text"_s) {
            preview = data.toString().simplified();
            if (preview.size() > previewChars)
                preview = preview.left(previewChars) + u'…';
        }
    } else if (data.isObject() || data.isArray()) {
        bytes = (data.isObject() ? QJsonDocument(data.toObject()) : QJsonDocument(data.toArray()))
                    .toJson(QJsonDocument::Compact)
                    .size();
    } else if (!data.isUndefined() && !data.isNull()) {
        bytes = QJsonDocument(QJsonObject{{u"d"_s, data}}).toJson(QJsonDocument::Compact).size() - 6;
    }
    QString note = u" ("_s + (dataType.isEmpty() ? tr("data") : dataType) + u", "_s + bytesText(bytes) + u')';
    if (!preview.isEmpty())
        note += u": \u201c"_s + preview + u"\u201d"_s;
    return note;
}

QString who(const TraceRecordView &r)
{
    if (!r.userId.isEmpty())
        return r.userId;
    if (!r.connectionId.isEmpty())
        return r.connectionId;
    return tr("the client");
}

QString frameSummary(const TraceRecordView &r)
{
    const QJsonObject o = frameObject(r);
    if (o.isEmpty())
        return {};
    const QString type = o.value(u"type"_s).toString();
    const QString group = o.value(u"group"_s).toString();
    const QString ack =
        o.contains(u"ackId"_s) ? tr(" (ack %1)").arg(o.value(u"ackId"_s).toInteger()) : QString();
    if (type == u"joinGroup"_s)
        return tr("%1 joins %2").arg(who(r), group) + ack;
    if (type == u"leaveGroup"_s)
        return tr("%1 leaves %2").arg(who(r), group) + ack;
    if (type == u"sendToGroup"_s)
        return tr("sent to group %1").arg(group) + dataNote(o) + ack;
    if (type == u"event"_s)
        return tr("event %1").arg(o.value(u"event"_s).toString()) + dataNote(o) + ack;
    if (type == u"sequenceAck"_s)
        return tr("acknowledges messages up to %1").arg(o.value(u"sequenceId"_s).toInteger());
    if (type == u"ping"_s || type == u"pong"_s)
        return tr("keep-alive %1").arg(type);
    if (type == u"ack"_s) {
        const qint64 id = o.value(u"ackId"_s).toInteger();
        if (o.value(u"success"_s).toBool())
            return tr("ack %1: done").arg(id);
        const QJsonObject error = o.value(u"error"_s).toObject();
        const QString name = error.value(u"name"_s).toString();
        if (name == u"Duplicate"_s)
            return tr("ack %1: duplicate (already done)").arg(id);
        const QString message = error.value(u"message"_s).toString();
        return tr("ack %1 failed: %2").arg(id).arg(message.isEmpty() ? name : name + u" \u2014 "_s + message);
    }
    if (type == u"message"_s) {
        const QString from = o.value(u"from"_s).toString();
        QString text =
            from == u"group"_s ? tr("message from group %1").arg(group) : tr("message from the server");
        if (const QString user = o.value(u"fromUserId"_s).toString(); !user.isEmpty())
            text += tr(" by %1").arg(user);
        return text + dataNote(o);
    }
    if (type == u"system"_s) {
        const QString event = o.value(u"event"_s).toString();
        if (event == u"connected"_s) {
            const QString user = o.value(u"userId"_s).toString();
            return user.isEmpty() ? tr("connected (connection %1)").arg(o.value(u"connectionId"_s).toString())
                                  : tr("connected as %1 (connection %2)")
                                        .arg(user, o.value(u"connectionId"_s).toString());
        }
        if (event == u"disconnected"_s)
            return tr("disconnected: %1").arg(o.value(u"message"_s).toString());
        return tr("system event %1").arg(event);
    }
    return type.isEmpty() ? QString() : tr("%1 frame").arg(type);
}

/// "headers\r\n\r\nbody" → the body's error text: a JSON "message"/"error"/"title", else short plain text.
QString bodyReason(const QByteArray &payload)
{
    const qsizetype end = payload.indexOf("\r\n\r\n");
    const QByteArray body = (end >= 0 ? payload.mid(end + 4) : payload).trimmed();
    if (body.isEmpty())
        return {};
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (document.isObject()) {
        const QJsonObject o = document.object();
        for (const QString &key : {u"message"_s, u"error"_s, u"title"_s, u"detail"_s}) {
            const QJsonValue value = o.value(key);
            if (value.isString())
                return value.toString().simplified().left(120);
            if (value.isObject() && value.toObject().value(u"message"_s).isString())
                return value.toObject().value(u"message"_s).toString().simplified().left(120);
        }
        return {};
    }
    if (document.isArray() || body.startsWith('<'))
        return {};
    QString text = QString::fromUtf8(body).simplified();
    return text.size() > 120 ? text.left(120) + u'…' : text;
}

/// "POST https://host/api/hubs/chat/:send?api-version=…" → "POST /api/hubs/chat/:send".
QString shortRequest(const QString &detail)
{
    const qsizetype space = detail.indexOf(u' ');
    if (space < 0)
        return detail;
    const QUrl url(detail.mid(space + 1));
    if (!url.isValid() || url.path().isEmpty())
        return detail;
    return detail.left(space) + u' ' + url.path();
}

/// A group presence event to an event handler (type "upstream joined" / "upstream left"): "alice joined room1
/// (presence event → handler 200)" for the answer, "presence event: alice joined room1 → POST /path" for the
/// request. Empty for other rows.
QString presenceSummary(const TraceRecordView &r)
{
    const bool joined = r.type == u"upstream joined"_s;
    if ((!joined && r.type != u"upstream left"_s) || r.group.isEmpty())
        return {};
    const QString what = (joined ? tr("%1 joined %2") : tr("%1 left %2")).arg(who(r), r.group);
    if (r.status == 0) {
        if (const qsizetype dash = r.detail.indexOf(u" \u2014 "_s); dash >= 0)
            return tr("%1 (presence event not delivered: %2)").arg(what, r.detail.mid(dash + 3));
        if (r.direction == Direction::In)
            return tr("%1 (presence event, no answer)").arg(what);
        return tr("presence event: %1 \u2192 %2").arg(what, shortRequest(r.detail));
    }
    QString answer = tr("handler %1").arg(r.status);
    if (const qsizetype dash = r.detail.indexOf(u" \u2014 "_s); dash >= 0)
        answer += u": "_s + r.detail.mid(dash + 3);
    return tr("%1 (presence event \u2192 %2)").arg(what, answer);
}

QString httpSummary(const TraceRecordView &r)
{
    if (QString presence = presenceSummary(r); !presence.isEmpty())
        return presence;
    const bool upstream = r.type.startsWith(u"upstream"_s);
    if (r.status == 0) {
        // A request (or a network error: then the detail says so).
        const QString request = shortRequest(r.detail);
        return request.isEmpty() ? r.type : request;
    }
    QString text = upstream ? tr("handler answered %1").arg(r.status) : tr("answered %1").arg(r.status);
    if (r.status >= 400) {
        const QString reason = upstream ? QString() : bodyReason(r.payload);
        if (!reason.isEmpty())
            text += u": "_s + reason;
    }
    if (upstream) {
        // The live trace's detail: "METHOD url — error".
        if (const qsizetype dash = r.detail.indexOf(u" \u2014 "_s); dash >= 0)
            text += u": "_s + r.detail.mid(dash + 3);
    }
    if (r.durationMs >= 0)
        text += tr(" in %1 ms").arg(r.durationMs);
    if (upstream)
        text += u" ("_s + r.type.mid(9) + u')';
    return text;
}

int closeCode(const TraceRecordView &r)
{
    if (r.type != u"close"_s)
        return 0;
    const QByteArray text = r.payload.isEmpty() ? r.detail.toUtf8() : r.payload;
    const qsizetype space = text.indexOf(' ');
    return (space < 0 ? text : text.left(space)).toInt();
}

} // namespace

bool isKeepAliveType(const QString &type)
{
    return type == u"ping"_s || type == u"pong"_s || type == u"sequenceAck"_s;
}

QString humanSummary(const TraceRecordView &r)
{
    QString text;
    if (r.source == Source::Service && !(r.kind == Kind::Http && r.type.startsWith(u"upstream"_s))) {
        text = r.detail; // the service's own words (its log template, rendered)
    } else {
        switch (r.kind) {
        case Kind::Http:
            text = httpSummary(r);
            break;
        case Kind::Frame:
            text = frameSummary(r);
            break;
        case Kind::Lifecycle: {
            const int code = closeCode(r);
            if (code != 0)
                text = tr("closed with code %1").arg(code) +
                       (r.payload.size() > 5
                            ? u": "_s + QString::fromUtf8(r.payload.mid(r.payload.indexOf(' ') + 1))
                            : QString());
            else if (!r.detail.isEmpty())
                text = r.detail;
            else if (r.type == u"connected"_s || r.type == u"disconnected"_s)
                text = frameSummary(r);
            break;
        }
        case Kind::Note:
            text = r.detail;
            break;
        }
    }
    if (text.isEmpty())
        text = r.detail.isEmpty() ? r.type + u" ("_s + bytesText(r.size) + u')' : r.detail;
    if (r.truncated && r.kind != Kind::Http)
        text += tr(" [payload cut, %1 on the wire]").arg(bytesText(r.size));
    for (QChar &c : text) {
        if (c.unicode() < 0x20)
            c = u' ';
    }
    return text;
}

bool isErrorRecord(const TraceRecordView &r)
{
    if (r.status >= 400)
        return true;
    if (r.kind == Kind::Frame && r.type == u"ack"_s) {
        const QJsonObject o = frameObject(r);
        return o.value(u"success"_s) == QJsonValue(false) &&
               o.value(u"error"_s).toObject().value(u"name"_s).toString() != u"Duplicate"_s;
    }
    if (r.kind == Kind::Lifecycle) {
        const int code = closeCode(r);
        if (code != 0 && code != 1000 && code != 1001)
            return true;
    }
    if (r.source == Source::Service && r.detail.endsWith(u')') && r.payload.contains("\"exceptionMessage\""))
        return true;
    return false;
}

} // namespace wps::trace
