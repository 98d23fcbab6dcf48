#include "trace/traceadapters.h"

#include "protocol/messages.h"
#include "service/serviceclient.h"
#include "trace/tracestore.h"

#include <QDateTime>
#include <QHash>
#include <QUrl>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

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

/// Where the value of a `"<key>":` member starts (after the colon and any spaces), or -1. The key must be
/// followed by a colon: `"from":"group"` holds the text "group" as a value, not as a member name.
qsizetype memberValueAt(const QByteArray &preview, const QByteArray &quotedKey)
{
    for (qsizetype at = preview.indexOf(quotedKey); at >= 0; at = preview.indexOf(quotedKey, at + 1)) {
        qsizetype i = at + quotedKey.size();
        while (i < preview.size() && preview.at(i) == ' ')
            ++i;
        if (i >= preview.size() || preview.at(i) != ':')
            continue;
        ++i;
        while (i < preview.size() && preview.at(i) == ' ')
            ++i;
        return i < preview.size() ? i : -1;
    }
    return -1;
}

/// The string value of a top-level `"group":"..."` member, without parsing the JSON.
QString groupOf(const QByteArray &preview)
{
    const qsizetype i = memberValueAt(preview, QByteArrayLiteral("\"group\""));
    if (i < 0 || preview.at(i) != '"')
        return {};
    const qsizetype close = preview.indexOf('"', i + 1);
    return close < 0 ? QString() : QString::fromUtf8(preview.mid(i + 1, close - i - 1));
}

/// The raw value of a top-level `"<key>":` member (string without quotes, or a number); empty if absent.
QByteArray jsonMember(const QByteArray &preview, const QByteArray &key)
{
    const qsizetype i = memberValueAt(preview, '"' + key + '"');
    if (i < 0)
        return {};
    if (preview.at(i) == '"') {
        const qsizetype close = preview.indexOf('"', i + 1);
        return close < 0 ? QByteArray() : preview.mid(i + 1, close - i - 1);
    }
    qsizetype end = i;
    while (end < preview.size() && preview.at(end) >= '0' && preview.at(end) <= '9')
        ++end;
    // A number cut off by the preview bound is not trusted.
    return end == preview.size() ? QByteArray() : preview.mid(i, end - i);
}

/// The ackId a frame carries (requests with an ackId, and acks), from the JSON text or, for protobuf,
/// by decoding the preview (complete for the short frames that carry one).
std::optional<quint64> ackIdOf(const live::FrameRecord &record)
{
    if (record.direction == live::FrameRecord::Direction::Event || record.preview.isEmpty())
        return std::nullopt;
    if (live::isProtobuf(record.subprotocol)) {
        if (record.direction == live::FrameRecord::Direction::In) {
            const auto decoded = messages::protobuf::decodeMessage(record.preview);
            if (decoded) {
                if (const auto *ack = std::get_if<messages::Ack>(&decoded.value()))
                    return ack->ackId;
            }
            return std::nullopt;
        }
        const auto decoded = messages::protobuf::decodeRequest(record.preview);
        if (!decoded)
            return std::nullopt;
        return std::visit(
            [](const auto &r) -> std::optional<quint64> {
                if constexpr (requires { r.ackId; })
                    return r.ackId;
                else
                    return std::nullopt;
            },
            decoded.value());
    }
    if (record.type == u"binary" || record.type == u"text")
        return std::nullopt; // raw WebSocket client: no protocol
    const QByteArray value = jsonMember(record.preview, QByteArrayLiteral("ackId"));
    bool ok = false;
    const quint64 id = value.toULongLong(&ok);
    return ok ? std::optional<quint64>(id) : std::nullopt;
}

/// The connection id named by a `connected` frame (JSON or protobuf).
QString connectedId(const live::FrameRecord &record)
{
    if (live::isProtobuf(record.subprotocol)) {
        const auto decoded = messages::protobuf::decodeMessage(record.preview);
        if (decoded) {
            if (const auto *c = std::get_if<messages::Connected>(&decoded.value()))
                return c->connectionId;
        }
        return {};
    }
    return QString::fromUtf8(jsonMember(record.preview, QByteArrayLiteral("connectionId")));
}

/// The group a protobuf frame names: joinGroup, leaveGroup, sendToGroup, or a message from a group.
QString protobufGroup(const live::FrameRecord &record)
{
    if (record.direction == live::FrameRecord::Direction::In) {
        const auto decoded = messages::protobuf::decodeMessage(record.preview);
        if (decoded) {
            if (const auto *message = std::get_if<messages::DataMessage>(&decoded.value()))
                return message->group;
        }
        return {};
    }
    const auto decoded = messages::protobuf::decodeRequest(record.preview);
    if (!decoded)
        return {};
    return std::visit(
        [](const auto &r) -> QString {
            if constexpr (requires { r.group; })
                return r.group;
            else
                return {};
        },
        decoded.value());
}

/// The invocationId of an `invoke`, `cancelInvocation` or `invokeResponse` frame; empty for other frames.
QString invocationIdOf(const live::FrameRecord &record)
{
    if (record.type != u"invoke" && record.type != u"cancelInvocation" && record.type != u"invokeResponse")
        return {};
    if (!live::isProtobuf(record.subprotocol))
        return QString::fromUtf8(jsonMember(record.preview, QByteArrayLiteral("invocationId")));
    QString id;
    if (record.direction == live::FrameRecord::Direction::In) {
        if (const auto decoded = messages::protobuf::decodeMessage(record.preview))
            if (const auto *response = std::get_if<messages::InvokeResponse>(&decoded.value()))
                id = response->invocationId;
    } else if (const auto decoded = messages::protobuf::decodeRequest(record.preview)) {
        if (const auto *invoke = std::get_if<messages::Invoke>(&decoded.value()))
            id = invoke->invocationId;
        else if (const auto *cancel = std::get_if<messages::CancelInvocation>(&decoded.value()))
            id = cancel->invocationId;
    }
    return id;
}

bool isConnectionEvent(const live::FrameRecord &record)
{
    return record.direction == live::FrameRecord::Direction::Event || record.type == u"connected" ||
           record.type == u"disconnected";
}

/// Distinguishes ServiceClients in "http:<client>:<exchangeId>".
std::atomic<quint64> nextHttpClient{1};

} // namespace

QString frameCorrelation(const live::FrameRecord &record, const QString &connectionId)
{
    if (connectionId.isEmpty())
        return {};
    if (isConnectionEvent(record))
        return u"conn:"_s + connectionId;
    if (const auto ackId = ackIdOf(record))
        return u"ack:"_s + connectionId + u':' + QString::number(*ackId);
    // An invocation's frames and the service's InvocationFinished record share "invoke:<connection>:<id>".
    if (const QString invocationId = invocationIdOf(record); !invocationId.isEmpty())
        return u"invoke:"_s + connectionId + u':' + invocationId;
    return {};
}

TraceEvent fromHttpTrace(const service::HttpTrace &trace, QStringView client)
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
    QByteArray requestId;
    for (const auto &[name, value] : trace.headers) {
        if (name.compare("x-ms-client-request-id", Qt::CaseInsensitive) == 0)
            requestId = value;
        else if (requestId.isEmpty() && name.compare("x-ms-request-id", Qt::CaseInsensitive) == 0)
            requestId = value;
    }
    event.correlation = requestId.isEmpty() ? u"http:"_s + client + u':' + QString::number(trace.exchangeId)
                                            : QString::fromLatin1(requestId);
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
    event.type = record.type;
    event.size = record.size;
    event.status = record.status;
    event.detail = record.detail;
    event.payload = record.preview;
    event.binary = live::isProtobuf(record.subprotocol) || record.type == u"binary";
    event.truncated = record.preview.size() < record.size && event.kind == Kind::Frame;
    if (!event.binary)
        event.group = groupOf(record.preview);
    else if (live::isProtobuf(record.subprotocol) && record.direction != live::FrameRecord::Direction::Event)
        event.group = protobufGroup(record); // the Group column is filled for both subprotocols
    QString connectionId = record.connectionId;
    if (record.type == u"connected" && record.direction == live::FrameRecord::Direction::In) {
        if (const QString named = connectedId(record); !named.isEmpty())
            connectionId = named;
    }
    event.connectionId = connectionId;
    event.correlation = frameCorrelation(record, connectionId);
    return event;
}

QMetaObject::Connection attach(live::LiveClient *client, TraceStore *store, const QString &hub)
{
    QPointer<TraceStore> target(store);
    // An `open` comes before the service names the connection: it is held back until the next event of
    // this client (normally `connected`) says which connection it opened, so it can carry "conn:<id>".
    auto heldOpen = std::make_shared<std::optional<TraceEvent>>();
    return QObject::connect(
        client, &live::LiveClient::frameObserved, client,
        [client, target, hub, heldOpen](const live::FrameRecord &record) {
            if (!target)
                return;
            TraceEvent event = fromFrameRecord(record, LiveContext{hub, client->userId()},
                                               QDateTime::currentMSecsSinceEpoch());
            if (record.direction == live::FrameRecord::Direction::Event && record.type == u"open" &&
                record.connectionId.isEmpty()) {
                if (*heldOpen)
                    target->append(**heldOpen);
                *heldOpen = std::move(event);
                return;
            }
            if (*heldOpen) {
                TraceEvent open = std::move(**heldOpen);
                heldOpen->reset();
                if (!event.connectionId.isEmpty() && record.type == u"connected") {
                    open.connectionId = event.connectionId;
                    open.correlation = event.correlation;
                }
                target->append(std::vector<TraceEvent>{std::move(open), std::move(event)});
                return;
            }
            target->append(event);
        });
}

QMetaObject::Connection attach(service::HttpClient *client, TraceStore *store)
{
    QPointer<TraceStore> target(store);
    const QString tag = QString::number(nextHttpClient.fetch_add(1));
    // A response answers with its request's correlation even when only the request had the id header.
    auto open = std::make_shared<QHash<quint64, QString>>();
    return QObject::connect(
        client, &service::HttpClient::traced, client, [target, tag, open](const service::HttpTrace &trace) {
            if (!target)
                return;
            TraceEvent event = fromHttpTrace(trace, tag);
            if (trace.phase == service::HttpTrace::Phase::Request) {
                if (open->size() < 100'000)
                    open->insert(trace.exchangeId, event.correlation);
            } else if (const auto it = open->constFind(trace.exchangeId); it != open->constEnd()) {
                event.correlation = it.value();
                open->erase(it);
            }
            target->append(event);
        });
}

} // namespace wps::trace
