#include "trace/traceexport.h"

#include "trace/traceevent.h"
#include "trace/tracestore.h"

#include <QDateTime>
#include <QHash>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTimeZone>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>
#include <deque>
#include <optional>
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
QJsonArray parseHeaders(const QByteArray &payload, QByteArray *body, QString *mimeType, QString *location)
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
        else if (location && name.compare(u"location"_s, Qt::CaseInsensitive) == 0)
            *location = value;
        headers.append(QJsonObject{{u"name"_s, name}, {u"value"_s, value}});
    }
    return headers;
}

/// A row the service's live trace reported as a log record (its payload is the record itself, with its
/// `logContext`): an account of a request, not the request or its response.
bool isServiceLog(const TraceRecordView &r)
{
    return r.payload.startsWith('{') && r.payload.contains("\"logContext\"");
}

/// "POST https://host/api/...": the method and the URL of a request row's detail.
bool methodAndUrl(const QString &detail, QString *method, QString *url)
{
    static const QRegularExpression pattern(u"^([A-Z]+) (\\S+)"_s);
    const auto match = pattern.match(detail);
    if (!match.hasMatch())
        return false;
    *method = match.captured(1);
    *url = match.captured(2);
    return true;
}

QString reasonPhraseOf(int status)
{
    static const QHash<int, QString> phrases{{100, u"Continue"_s},
                                             {101, u"Switching Protocols"_s},
                                             {200, u"OK"_s},
                                             {201, u"Created"_s},
                                             {202, u"Accepted"_s},
                                             {204, u"No Content"_s},
                                             {301, u"Moved Permanently"_s},
                                             {302, u"Found"_s},
                                             {304, u"Not Modified"_s},
                                             {307, u"Temporary Redirect"_s},
                                             {308, u"Permanent Redirect"_s},
                                             {400, u"Bad Request"_s},
                                             {401, u"Unauthorized"_s},
                                             {403, u"Forbidden"_s},
                                             {404, u"Not Found"_s},
                                             {405, u"Method Not Allowed"_s},
                                             {409, u"Conflict"_s},
                                             {413, u"Payload Too Large"_s},
                                             {415, u"Unsupported Media Type"_s},
                                             {429, u"Too Many Requests"_s},
                                             {500, u"Internal Server Error"_s},
                                             {501, u"Not Implemented"_s},
                                             {502, u"Bad Gateway"_s},
                                             {503, u"Service Unavailable"_s},
                                             {504, u"Gateway Timeout"_s}};
    return phrases.value(status);
}

/// A body for HAR: text when it is valid UTF-8, else base64 (\a base64 set).
QString bodyText(const QByteArray &body, bool *base64)
{
    const QString text = QString::fromUtf8(body);
    *base64 = text.toUtf8() != body;
    return *base64 ? QString::fromLatin1(body.toBase64()) : text;
}

QString truncationNote(const TraceRecordView &r, qsizetype bodyBytes, const QString &what)
{
    if (!r.truncated)
        return {};
    return QObject::tr("%1 body cut to %2 of %3 bytes by the capture limit")
        .arg(what)
        .arg(bodyBytes)
        .arg(r.size);
}

QJsonObject harRequest(const TraceRecordView &request, QStringList *notes)
{
    QString method;
    QString url;
    if (!methodAndUrl(request.detail, &method, &url)) {
        method = u"GET"_s;
        url = request.detail.isEmpty() ? u"about:blank"_s : request.detail;
    }
    QByteArray body;
    QString mimeType;
    const QJsonArray headers = parseHeaders(request.payload, &body, &mimeType, nullptr);
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
    if (!body.isEmpty() || request.size > 0) {
        bool base64 = false;
        QJsonObject postData{{u"mimeType"_s, mimeType.isEmpty() ? u"application/octet-stream"_s : mimeType},
                             {u"params"_s, QJsonArray()},
                             {u"text"_s, bodyText(body, &base64)}};
        if (base64) {
            postData.insert(u"_encoding"_s, u"base64"_s); // HAR 1.2 has no encoding for postData
            postData.insert(u"comment"_s, QObject::tr("binary body, base64"));
        }
        out.insert(u"postData"_s, postData);
    }
    if (const QString note = truncationNote(request, body.size(), QObject::tr("Request")); !note.isEmpty())
        *notes << note;
    return out;
}

QJsonObject harResponse(const TraceRecordView *response, QStringList *notes)
{
    QByteArray body;
    QString mimeType;
    QString location;
    const QJsonArray headers =
        response ? parseHeaders(response->payload, &body, &mimeType, &location) : QJsonArray();
    QJsonObject content{{u"size"_s, response ? response->size : 0},
                        {u"mimeType"_s, mimeType.isEmpty() ? u"x-unknown"_s : mimeType}};
    if (!body.isEmpty()) {
        bool base64 = false;
        content.insert(u"text"_s, bodyText(body, &base64));
        if (base64)
            content.insert(u"encoding"_s, u"base64"_s);
    }
    const int status = response ? response->status : 0;
    QJsonObject out{{u"status"_s, status},
                    {u"statusText"_s, reasonPhraseOf(status)},
                    {u"httpVersion"_s, status ? u"HTTP/1.1"_s : QString()},
                    {u"cookies"_s, QJsonArray()},
                    {u"headers"_s, headers},
                    {u"content"_s, content},
                    {u"redirectURL"_s, location},
                    {u"headersSize"_s, -1},
                    {u"bodySize"_s, response ? response->size : -1}};
    if (!response) {
        *notes << QObject::tr("No response was recorded for this request.");
    } else if (status == 0) {
        // As Chromium's HAR marks a failed request: no HTTP answer, the reason in _error.
        QString method;
        QString url;
        const QString error = methodAndUrl(response->detail, &method, &url) ? QString() : response->detail;
        out.insert(u"_error"_s, error.isEmpty() ? QObject::tr("no HTTP answer") : error);
        *notes << QObject::tr("No HTTP answer: %1").arg(error.isEmpty() ? QObject::tr("unknown") : error);
    } else if (const QString note = truncationNote(*response, body.size(), QObject::tr("Response"));
               !note.isEmpty()) {
        *notes << note;
    }
    return out;
}

/// An entry for a live client's WebSocket: the upgrade (GET of the client URL, access token redacted) and its
/// frames in `_webSocketMessages`, as Chromium's HAR writes them.
struct SocketEntry
{
    TraceRecordView open;
    bool upgraded = false;
    QJsonArray messages;
    QStringList lifecycle;
    qsizetype cutFrames = 0;
};

QJsonObject socketMessage(const TraceRecordView &frame)
{
    bool base64 = false;
    QString data = bodyText(frame.payload, &base64);
    return QJsonObject{
        {u"type"_s, frame.direction == Direction::Out ? u"send"_s : u"receive"_s},
        {u"time"_s, double(frame.timestampMs) / 1000.0},
        {u"opcode"_s, frame.binary || base64 ? 2 : 1},
        {u"data"_s, frame.binary && !base64 ? QString::fromLatin1(frame.payload.toBase64()) : data}};
}

/// Custom fields (HAR allows names starting with "_") that let Trace > Import rebuild the rows.
void putRowFields(QJsonObject *entry, const TraceRecordView &r)
{
    auto put = [entry](const QString &key, const QString &value) {
        if (!value.isEmpty())
            entry->insert(key, value);
    };
    put(u"_type"_s, r.type);
    put(u"_hub"_s, r.hub);
    put(u"_connectionId"_s, r.connectionId);
    put(u"_userId"_s, r.userId);
    put(u"_group"_s, r.group);
    put(u"_correlation"_s, r.correlation);
}

/// The selected records sorted for the HAR in one pass: the requests (HTTP rows going out) in order; each
/// response row queued under its correlation id; the service's own log rows kept aside as notes on the
/// entries they concern; live clients' sockets from their `open` rows with their frames; the rest counted.
struct HarSelection
{
    std::vector<TraceRecordView> requests;
    QHash<QString, std::deque<TraceRecordView>> responses;
    QHash<QString, QStringList> serviceLogs;
    std::vector<SocketEntry> sockets;
    QHash<QString, qsizetype> socketOf; // connection id -> index in sockets
    qint64 leftOutLogs = 0;
    qint64 leftOutNotes = 0;
    qint64 leftOutFrames = 0;

    void add(const TraceRecordView &r)
    {
        switch (r.kind) {
        case Kind::Http:
            addHttp(r);
            return;
        case Kind::Lifecycle:
            addLifecycle(r);
            return;
        case Kind::Frame:
            addFrame(r);
            return;
        case Kind::Note:
            ++leftOutNotes;
            return;
        }
    }

    void addHttp(const TraceRecordView &r)
    {
        if (isServiceLog(r)) {
            if (!r.correlation.isEmpty())
                serviceLogs[r.correlation] << r.detail;
            ++leftOutLogs;
        } else if (r.direction == Direction::Out) {
            requests.push_back(r);
        } else if (!r.correlation.isEmpty()) {
            responses[r.correlation].push_back(r);
        } else {
            ++leftOutLogs;
        }
    }

    /// A socket's `open` row starts its entry; its other lifecycle rows become notes on it.
    void addLifecycle(const TraceRecordView &r)
    {
        if (isServiceLog(r)) {
            ++leftOutLogs;
            return;
        }
        if (r.type == u"open" && (r.payload.startsWith("ws://") || r.payload.startsWith("wss://"))) {
            SocketEntry socket;
            socket.open = r;
            if (!r.connectionId.isEmpty())
                socketOf.insert(r.connectionId, qsizetype(sockets.size()));
            sockets.push_back(std::move(socket));
            return;
        }
        const auto found = socketOf.constFind(r.connectionId);
        if (r.connectionId.isEmpty() || found == socketOf.cend()) {
            ++leftOutFrames;
            return;
        }
        const QString text = QString::fromUtf8(r.payload).trimmed();
        sockets[found.value()].lifecycle
            << isoTime(r.timestampMs) + u' ' + r.type + (text.isEmpty() ? QString() : u": "_s + text);
    }

    void addFrame(const TraceRecordView &r)
    {
        const auto found = socketOf.constFind(r.connectionId);
        if (isServiceLog(r) || r.connectionId.isEmpty() || found == socketOf.cend()) {
            ++(isServiceLog(r) ? leftOutLogs : leftOutFrames);
            return;
        }
        SocketEntry &socket = sockets[found.value()];
        if (r.direction == Direction::In)
            socket.upgraded = true; // the service spoke: the upgrade was accepted
        if (r.truncated)
            ++socket.cutFrames;
        socket.messages.append(socketMessage(r));
    }
};

/// Takes the response of \a request's attempt out of \a responses: the first answer with its correlation id
/// (unique per attempt) and, by preference, its operation; a row typed like an HTTP method is another
/// party's account of it.
std::optional<TraceRecordView> takeResponse(QHash<QString, std::deque<TraceRecordView>> *responses,
                                            const TraceRecordView &request)
{
    std::optional<TraceRecordView> response;
    if (auto it = responses->find(request.correlation); it != responses->end()) {
        static const QRegularExpression methodName(u"^([A-Z]+|http)$"_s);
        auto candidate = std::find_if(it->begin(), it->end(),
                                      [&](const TraceRecordView &r) { return r.type == request.type; });
        if (candidate == it->end())
            candidate = std::find_if(it->begin(), it->end(), [](const TraceRecordView &r) {
                return !methodName.match(r.type).hasMatch();
            });
        if (candidate != it->end()) {
            response = *candidate;
            it->erase(candidate);
        }
    }
    return response;
}

/// The entry of an HTTP exchange; \a serviceLogs: the service's live-trace records of the same request.
QJsonObject httpEntry(const TraceRecordView &request, const std::optional<TraceRecordView> &response,
                      const QStringList &serviceLogs)
{
    QStringList notes;
    if (!request.type.isEmpty())
        notes << request.type;
    const QJsonObject harReq = harRequest(request, &notes);
    const QJsonObject harResp = harResponse(response ? &*response : nullptr, &notes);
    for (const QString &log : serviceLogs)
        notes << QObject::tr("The service's live trace: %1").arg(log);
    const qint64 wait = response && response->durationMs >= 0 ? response->durationMs : 0;
    QJsonObject entry{{u"startedDateTime"_s, isoTime(request.timestampMs)},
                      {u"time"_s, wait},
                      {u"request"_s, harReq},
                      {u"response"_s, harResp},
                      {u"cache"_s, QJsonObject()},
                      {u"timings"_s, QJsonObject{{u"send"_s, 0}, {u"wait"_s, wait}, {u"receive"_s, 0}}},
                      {u"comment"_s, notes.join(u"; "_s)}};
    putRowFields(&entry, request);
    return entry;
}

/// The entry of a live client's WebSocket.
QJsonObject socketEntry(const SocketEntry &socket)
{
    QString url = QString::fromUtf8(socket.open.payload).trimmed();
    QJsonArray query;
    const QUrlQuery items(QUrl(url).query());
    for (const auto &[name, value] : items.queryItems(QUrl::FullyDecoded))
        query.append(QJsonObject{{u"name"_s, name}, {u"value"_s, value}});
    QStringList notes{QObject::tr("WebSocket of a live client; the upgrade's headers are not captured")};
    if (!socket.upgraded)
        notes << QObject::tr("The service never answered on this socket (no frame received).");
    if (socket.cutFrames > 0)
        notes << QObject::tr("%n frame(s) cut to the capture limit", nullptr, int(socket.cutFrames));
    notes << socket.lifecycle;
    QJsonObject response{{u"status"_s, socket.upgraded ? 101 : 0},
                         {u"statusText"_s, socket.upgraded ? reasonPhraseOf(101) : QString()},
                         {u"httpVersion"_s, socket.upgraded ? u"HTTP/1.1"_s : QString()},
                         {u"cookies"_s, QJsonArray()},
                         {u"headers"_s, QJsonArray()},
                         {u"content"_s, QJsonObject{{u"size"_s, 0}, {u"mimeType"_s, u"x-unknown"_s}}},
                         {u"redirectURL"_s, QString()},
                         {u"headersSize"_s, -1},
                         {u"bodySize"_s, -1}};
    if (!socket.upgraded)
        response.insert(u"_error"_s, QObject::tr("no WebSocket frame from the service"));
    QJsonObject entry{{u"startedDateTime"_s, isoTime(socket.open.timestampMs)},
                      {u"time"_s, 0},
                      {u"request"_s, QJsonObject{{u"method"_s, u"GET"_s},
                                                 {u"url"_s, url},
                                                 {u"httpVersion"_s, u"HTTP/1.1"_s},
                                                 {u"cookies"_s, QJsonArray()},
                                                 {u"headers"_s, QJsonArray()},
                                                 {u"queryString"_s, query},
                                                 {u"headersSize"_s, -1},
                                                 {u"bodySize"_s, 0}}},
                      {u"response"_s, response},
                      {u"cache"_s, QJsonObject()},
                      {u"timings"_s, QJsonObject{{u"send"_s, 0}, {u"wait"_s, 0}, {u"receive"_s, 0}}},
                      {u"_resourceType"_s, u"websocket"_s},
                      {u"_webSocketMessages"_s, socket.messages},
                      {u"comment"_s, notes.join(u"; "_s)}};
    putRowFields(&entry, socket.open);
    return entry;
}

/// `log.comment`: what the file holds and which rows it left out.
QString logComment(const HarSelection &selection)
{
    QStringList leftOut;
    if (selection.leftOutLogs > 0)
        leftOut << QObject::tr(
            "%n row(s) that are not a request with its response (the service's live-trace log records, "
            "answers whose request is not selected)",
            nullptr, int(selection.leftOutLogs));
    if (selection.leftOutFrames > 0)
        leftOut << QObject::tr(
            "%n frame or lifecycle row(s) of sockets whose upgrade is not in the selection", nullptr,
            int(selection.leftOutFrames));
    if (selection.leftOutNotes > 0)
        leftOut << QObject::tr("%n note(s)", nullptr, int(selection.leftOutNotes));
    QString comment =
        QObject::tr("Exported from the Web PubSub Console trace: one entry per HTTP request "
                    "and response the console made or the service reported, one per live-client "
                    "WebSocket. Secrets are redacted.");
    if (!leftOut.isEmpty())
        comment +=
            u' ' +
            QObject::tr("Left out: %1. The JSON Lines export keeps every row.").arg(leftOut.join(u"; "_s));
    return comment;
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

    HarSelection selection;
    visitSelection(store, ids, true, [&selection](const TraceRecordView &r) { selection.add(r); });

    std::vector<std::pair<qint64, QJsonObject>> entries;
    for (const TraceRecordView &request : selection.requests) {
        const std::optional<TraceRecordView> response = takeResponse(&selection.responses, request);
        entries.emplace_back(request.timestampMs,
                             httpEntry(request, response, selection.serviceLogs.value(request.correlation)));
    }
    for (const SocketEntry &socket : selection.sockets)
        entries.emplace_back(socket.open.timestampMs, socketEntry(socket));
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    QJsonArray entryArray;
    for (auto &[time, entry] : entries)
        entryArray.append(entry);

    for (const auto &unanswered : std::as_const(selection.responses))
        selection.leftOutLogs += qint64(unanswered.size()); // answers whose request is not in the selection
    const QJsonObject har{
        {u"log"_s, QJsonObject{{u"version"_s, u"1.2"_s},
                               {u"creator"_s, QJsonObject{{u"name"_s, u"Web PubSub Console"_s},
                                                          {u"version"_s, creatorVersion}}},
                               {u"pages"_s, QJsonArray()},
                               {u"entries"_s, entryArray},
                               {u"comment"_s, logComment(selection)}}}};
    const QByteArray bytes = QJsonDocument(har).toJson(QJsonDocument::Indented);
    if (device->write(bytes) != bytes.size())
        return Result::failure(QObject::tr("Writing the file failed: %1").arg(device->errorString()));
    return qint64(entryArray.size());
}

QString httpReasonPhrase(int status)
{
    return reasonPhraseOf(status);
}

} // namespace wps::trace
