#include "trace/traceadapters.h"

#include "service/serviceclient.h"
#include "trace/tracestore.h"

#include <QDateTime>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

namespace {

/// The path segment after \a key ("hubs", "users", "groups"), percent-decoded; empty when absent.
QString segmentAfter(const QStringList &segments, QStringView key)
{
    for (qsizetype i = 0; i + 1 < segments.size(); ++i) {
        if (segments.at(i) == key)
            return QUrl::fromPercentEncoding(segments.at(i + 1).toUtf8());
    }
    return {};
}

/// The string value of a top-level `"group":"..."` member, without parsing the JSON.
QString groupOf(const QByteArray &preview)
{
    static const QByteArray key = QByteArrayLiteral("\"group\"");
    const qsizetype at = preview.indexOf(key);
    if (at < 0)
        return {};
    qsizetype i = at + key.size();
    while (i < preview.size() && (preview.at(i) == ' ' || preview.at(i) == ':'))
        ++i;
    if (i >= preview.size() || preview.at(i) != '"')
        return {};
    const qsizetype close = preview.indexOf('"', i + 1);
    return close < 0 ? QString() : QString::fromUtf8(preview.mid(i + 1, close - i - 1));
}

} // namespace

TraceEvent fromHttpTrace(const service::HttpTrace &trace)
{
    TraceEvent event;
    event.timestampMs =
        trace.timestamp.isValid() ? trace.timestamp.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
    event.kind = Kind::Http;
    const bool request = trace.phase == service::HttpTrace::Phase::Request;
    event.direction = request ? Direction::Out : Direction::In;
    event.type = trace.operation;
    const QUrl url(trace.url);
    const QStringList segments = url.path(QUrl::FullyEncoded).split(u'/', Qt::SkipEmptyParts);
    event.hub = segmentAfter(segments, u"hubs");
    event.userId = segmentAfter(segments, u"users");
    event.group = segmentAfter(segments, u"groups");
    event.connectionId = segmentAfter(segments, u"connections");
    event.status = trace.status;
    event.size = trace.bodySize;
    event.durationMs = request ? -1 : trace.durationMs;
    if (request)
        event.detail = QString::fromLatin1(trace.method) + u' ' + trace.url;
    else
        event.detail =
            trace.error.isEmpty() ? QString::fromLatin1(trace.method) + u' ' + trace.url : trace.error;
    if (trace.attempt > 1)
        event.detail += u" (attempt "_s + QString::number(trace.attempt) + u')';
    QByteArray payload;
    for (const auto &[name, value] : trace.headers)
        payload += name + ": " + service::redactHeaderValue(name, value) + "\r\n";
    payload += "\r\n";
    payload += trace.bodyPreview;
    event.payload = payload;
    event.truncated = trace.bodyPreview.size() < trace.bodySize;
    return event;
}

TraceEvent fromFrameRecord(const live::FrameRecord &record, const LiveContext &context, qint64 timestampMs)
{
    TraceEvent event;
    event.timestampMs = timestampMs;
    switch (record.direction) {
    case live::FrameRecord::Direction::In:
        event.kind = Kind::Frame;
        event.direction = Direction::In;
        break;
    case live::FrameRecord::Direction::Out:
        event.kind = Kind::Frame;
        event.direction = Direction::Out;
        break;
    case live::FrameRecord::Direction::Event:
        event.kind = Kind::Lifecycle;
        event.direction = Direction::None;
        break;
    }
    event.hub = context.hub;
    event.userId = context.userId;
    event.connectionId = record.connectionId;
    event.type = record.type;
    event.size = record.size;
    event.payload = record.preview;
    event.binary = live::isProtobuf(record.subprotocol) || record.type == u"binary";
    event.truncated = record.preview.size() < record.size && event.kind == Kind::Frame;
    if (!event.binary)
        event.group = groupOf(record.preview);
    return event;
}

QMetaObject::Connection attach(live::LiveClient *client, TraceStore *store, const QString &hub)
{
    QPointer<TraceStore> target(store);
    return QObject::connect(client, &live::LiveClient::frameObserved, client,
                            [client, target, hub](const live::FrameRecord &record) {
                                if (!target)
                                    return;
                                target->append(fromFrameRecord(record, LiveContext{hub, client->userId()},
                                                               QDateTime::currentMSecsSinceEpoch()));
                            });
}

QMetaObject::Connection attach(service::ServiceClient *client, TraceStore *store)
{
    QPointer<TraceStore> target(store);
    return QObject::connect(client, &service::ServiceClient::traced, client,
                            [target](const service::HttpTrace &trace) {
                                if (target)
                                    target->append(fromHttpTrace(trace));
                            });
}

} // namespace wps::trace
