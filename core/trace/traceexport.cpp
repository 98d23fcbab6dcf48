#include "trace/traceexport.h"

#include "trace/traceevent.h"
#include "trace/tracestore.h"

#include <QDateTime>
#include <QHash>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>
#include <QUrl>
#include <QUrlQuery>

#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

namespace {

/// Calls \a visit for the selected records (all when \a ids is empty), in order.
void visitSelection(const TraceStore &store, const RecordSelection &ids, bool withPayload,
                    const std::function<void(const TraceRecordView &)> &visit)
{
    if (ids.isEmpty()) {
        store.forEach(store.firstId(), store.endId(), visit, withPayload);
        return;
    }
    TraceRecordView view;
    for (const quint64 id : ids) {
        if (store.record(id, &view, withPayload))
            visit(view);
    }
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODateWithMs);
}

QByteArray csvField(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n') || bytes.contains('\r')) {
        bytes.replace("\"", "\"\"");
        return '"' + bytes + '"';
    }
    return bytes;
}

/// Splits "Name: value\r\n...\r\n\r\nbody" (the adapters' HTTP payload) into HAR headers and the body.
QJsonArray parseHeaders(const QByteArray &payload, QByteArray *body, QString *mimeType)
{
    QJsonArray headers;
    const qsizetype end = payload.indexOf("\r\n\r\n");
    const QByteArray block = end >= 0 ? payload.left(end) : QByteArray();
    *body = end >= 0 ? payload.mid(end + 4) : payload;
    for (const QByteArray &line : block.split('\n')) {
        const QByteArray trimmed = line.trimmed();
        const qsizetype colon = trimmed.indexOf(':');
        if (colon <= 0)
            continue;
        const QString name = QString::fromLatin1(trimmed.left(colon)).trimmed();
        const QString value = QString::fromUtf8(trimmed.mid(colon + 1)).trimmed();
        if (name.compare(u"content-type"_s, Qt::CaseInsensitive) == 0)
            *mimeType = value;
        headers.append(QJsonObject{{u"name"_s, name}, {u"value"_s, value}});
    }
    return headers;
}

QJsonObject harRequest(const TraceRecordView &request)
{
    const QString detail = request.detail;
    const qsizetype space = detail.indexOf(u' ');
    const QString method = space > 0 ? detail.left(space) : u"GET"_s;
    QString url = space > 0 ? detail.mid(space + 1) : detail;
    if (const qsizetype attempt = url.indexOf(u" (attempt "_s); attempt > 0)
        url.truncate(attempt);
    QByteArray body;
    QString mimeType;
    const QJsonArray headers = parseHeaders(request.payload, &body, &mimeType);
    QJsonArray query;
    const QUrlQuery items(QUrl(url).query());
    for (const auto &[name, value] : items.queryItems(QUrl::FullyDecoded))
        query.append(QJsonObject{{u"name"_s, name}, {u"value"_s, value}});
    QJsonObject out{{u"method"_s, method},
                    {u"url"_s, url},
                    {u"httpVersion"_s, u"HTTP/1.1"_s},
                    {u"cookies"_s, QJsonArray()},
                    {u"headers"_s, headers},
                    {u"queryString"_s, query},
                    {u"headersSize"_s, -1},
                    {u"bodySize"_s, request.size}};
    if (!body.isEmpty() || request.size > 0)
        out.insert(u"postData"_s,
                   QJsonObject{{u"mimeType"_s, mimeType.isEmpty() ? u"application/octet-stream"_s : mimeType},
                               {u"text"_s, QString::fromUtf8(body)}});
    return out;
}

QJsonObject harResponse(const TraceRecordView *response)
{
    QByteArray body;
    QString mimeType;
    const QJsonArray headers = response ? parseHeaders(response->payload, &body, &mimeType) : QJsonArray();
    QJsonObject content{{u"size"_s, response ? response->size : 0},
                        {u"mimeType"_s, mimeType.isEmpty() ? u"x-unknown"_s : mimeType}};
    if (!body.isEmpty())
        content.insert(u"text"_s, QString::fromUtf8(body));
    return QJsonObject{{u"status"_s, response ? response->status : 0},
                       {u"statusText"_s, QString()},
                       {u"httpVersion"_s, u"HTTP/1.1"_s},
                       {u"cookies"_s, QJsonArray()},
                       {u"headers"_s, headers},
                       {u"content"_s, content},
                       {u"redirectURL"_s, QString()},
                       {u"headersSize"_s, -1},
                       {u"bodySize"_s, response ? response->size : -1}};
}

} // namespace

Expected<qint64, QString> exportCsv(const TraceStore &store, const RecordSelection &ids, QIODevice *device)
{
    using Result = Expected<qint64, QString>;
    if (!device->isWritable())
        return Result::failure(QObject::tr("The file is not open for writing."));
    device->write("time,kind,direction,hub,connection,user,group,type,status,size,duration_ms,correlation,"
                  "detail\r\n");
    qint64 rows = 0;
    bool failed = false;
    visitSelection(store, ids, false, [&](const TraceRecordView &r) {
        if (failed)
            return;
        const QByteArray line =
            csvField(isoTime(r.timestampMs)) + ',' + csvField(kindName(r.kind)) + ',' +
            csvField(directionName(r.direction)) + ',' + csvField(r.hub) + ',' + csvField(r.connectionId) +
            ',' + csvField(r.userId) + ',' + csvField(r.group) + ',' + csvField(r.type) + ',' +
            (r.status ? QByteArray::number(r.status) : QByteArray()) + ',' + QByteArray::number(r.size) +
            ',' + (r.durationMs >= 0 ? QByteArray::number(r.durationMs) : QByteArray()) + ',' +
            csvField(r.correlation) + ',' + csvField(r.detail) + "\r\n";
        failed = device->write(line) != line.size();
        ++rows;
    });
    if (failed)
        return Result::failure(QObject::tr("Writing the file failed: %1").arg(device->errorString()));
    return rows;
}

Expected<qint64, QString> exportHar(const TraceStore &store, const RecordSelection &ids, QIODevice *device,
                                    const QString &creatorVersion)
{
    using Result = Expected<qint64, QString>;
    if (!device->isWritable())
        return Result::failure(QObject::tr("The file is not open for writing."));
    // Requests in order; the response of each found by correlation id (a response comes after its request).
    std::vector<TraceRecordView> requests;
    QHash<QString, TraceRecordView> responses;
    visitSelection(store, ids, true, [&](const TraceRecordView &r) {
        if (r.kind != Kind::Http)
            return;
        if (r.direction == Direction::Out)
            requests.push_back(r);
        else if (r.direction == Direction::In && !r.correlation.isEmpty())
            responses.insert(r.correlation, r); // the last answer (after retries) wins
    });
    QJsonArray entries;
    for (const TraceRecordView &request : requests) {
        const auto found =
            request.correlation.isEmpty() ? responses.cend() : responses.constFind(request.correlation);
        const TraceRecordView *response = found != responses.cend() ? &found.value() : nullptr;
        const qint64 wait = response && response->durationMs >= 0 ? response->durationMs : 0;
        entries.append(
            QJsonObject{{u"startedDateTime"_s, isoTime(request.timestampMs)},
                        {u"time"_s, wait},
                        {u"request"_s, harRequest(request)},
                        {u"response"_s, harResponse(response)},
                        {u"cache"_s, QJsonObject()},
                        {u"timings"_s, QJsonObject{{u"send"_s, 0}, {u"wait"_s, wait}, {u"receive"_s, 0}}},
                        {u"comment"_s, request.type}});
    }
    const QJsonObject har{
        {u"log"_s, QJsonObject{{u"version"_s, u"1.2"_s},
                               {u"creator"_s, QJsonObject{{u"name"_s, u"Web PubSub Console"_s},
                                                          {u"version"_s, creatorVersion}}},
                               {u"pages"_s, QJsonArray()},
                               {u"entries"_s, entries}}}};
    const QByteArray bytes = QJsonDocument(har).toJson(QJsonDocument::Indented);
    if (device->write(bytes) != bytes.size())
        return Result::failure(QObject::tr("Writing the file failed: %1").arg(device->errorString()));
    return qint64(entries.size());
}

} // namespace wps::trace
