// HAR files read back as trace rows: the inverse of exportHar() (traceexport.cpp), from the `_` fields it
// writes when present.
#include "trace/traceevent.h"
#include "trace/traceexport.h"
#include "trace/tracestore.h"

#include <QDateTime>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>

#include <algorithm>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

namespace {

QByteArray headerBlock(const QJsonArray &headers)
{
    QByteArray block;
    for (const QJsonValue &header : headers) {
        const QJsonObject h = header.toObject();
        block +=
            h.value(u"name"_s).toString().toUtf8() + ": " + h.value(u"value"_s).toString().toUtf8() + "\r\n";
    }
    return block + "\r\n";
}

QByteArray harBody(const QJsonObject &holder, const QString &encodingKey)
{
    const QString text = holder.value(u"text"_s).toString();
    if (holder.value(encodingKey).toString() == u"base64"_s)
        return QByteArray::fromBase64(text.toLatin1());
    return text.toUtf8();
}

qint64 harTime(const QJsonObject &entry)
{
    const QDateTime started =
        QDateTime::fromString(entry.value(u"startedDateTime"_s).toString(), Qt::ISODateWithMs);
    return started.isValid() ? started.toMSecsSinceEpoch() : 0;
}

TraceEvent rowFields(const QJsonObject &entry, qsizetype index)
{
    TraceEvent e;
    e.timestampMs = harTime(entry);
    e.hub = entry.value(u"_hub"_s).toString();
    e.connectionId = entry.value(u"_connectionId"_s).toString();
    e.userId = entry.value(u"_userId"_s).toString();
    e.group = entry.value(u"_group"_s).toString();
    e.type = entry.value(u"_type"_s).toString();
    e.correlation = entry.value(u"_correlation"_s).toString();
    if (e.correlation.isEmpty())
        e.correlation = u"har:"_s + QString::number(index);
    return e;
}

} // namespace

bool looksLikeHar(const QByteArray &head)
{
    // A HAR is one JSON object whose first member is normally "log"; a trace session starts with its header.
    const QByteArray start = head.left(512).simplified();
    return start.startsWith('{') && !start.contains("\"wps-trace\"") && start.contains("\"log\"");
}

Expected<qint64, QString> importHar(QIODevice *device, TraceStore *store)
{
    using Result = Expected<qint64, QString>;
    if (!device || !device->isReadable())
        return Result::failure(QObject::tr("The HAR file is not open for reading."));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(device->readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        return Result::failure(QObject::tr("The HAR file is not valid JSON: %1").arg(error.errorString()));
    const QJsonObject log = document.object().value(u"log"_s).toObject();
    if (!log.value(u"entries"_s).isArray())
        return Result::failure(QObject::tr("Not a HAR file (no log.entries)."));
    std::vector<TraceEvent> rows;
    const QJsonArray entries = log.value(u"entries"_s).toArray();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonObject entry = entries.at(i).toObject();
        const QJsonObject request = entry.value(u"request"_s).toObject();
        const QJsonObject response = entry.value(u"response"_s).toObject();
        const QString method = request.value(u"method"_s).toString();
        const QString url = request.value(u"url"_s).toString();
        if (method.isEmpty() || url.isEmpty())
            return Result::failure(QObject::tr("HAR entry %1 has no request method or URL.").arg(i + 1));
        if (entry.value(u"_webSocketMessages"_s).isArray()) {
            TraceEvent open = rowFields(entry, i);
            open.kind = Kind::Lifecycle;
            open.direction = Direction::None;
            open.type = u"open"_s;
            open.payload = url.toUtf8();
            if (!open.connectionId.isEmpty())
                open.correlation = u"conn:"_s + open.connectionId;
            rows.push_back(open);
            for (const QJsonValue &value : entry.value(u"_webSocketMessages"_s).toArray()) {
                const QJsonObject message = value.toObject();
                TraceEvent frame = open;
                frame.kind = Kind::Frame;
                frame.type = message.value(u"opcode"_s).toInt() == 2 ? u"binary"_s : u"text"_s;
                frame.direction =
                    message.value(u"type"_s).toString() == u"send"_s ? Direction::Out : Direction::In;
                frame.timestampMs = qRound64(message.value(u"time"_s).toDouble() * 1000.0);
                frame.binary = message.value(u"opcode"_s).toInt() == 2;
                const QString data = message.value(u"data"_s).toString();
                frame.payload = frame.binary ? QByteArray::fromBase64(data.toLatin1()) : data.toUtf8();
                frame.size = frame.payload.size();
                frame.correlation.clear();
                rows.push_back(frame);
            }
            continue;
        }
        TraceEvent out = rowFields(entry, i);
        out.kind = Kind::Http;
        out.direction = Direction::Out;
        out.detail = method + u' ' + url;
        const QJsonObject postData = request.value(u"postData"_s).toObject();
        const QByteArray requestBody = harBody(postData, u"_encoding"_s);
        out.payload = headerBlock(request.value(u"headers"_s).toArray()) + requestBody;
        out.size = std::max<qint64>(request.value(u"bodySize"_s).toInteger(), requestBody.size());
        out.truncated = out.size > requestBody.size();
        out.binary = postData.value(u"_encoding"_s).toString() == u"base64"_s;
        rows.push_back(out);
        if (response.isEmpty() ||
            (response.value(u"status"_s).toInt() == 0 && !response.contains(u"_error"_s)))
            continue; // no response was recorded
        TraceEvent in = rowFields(entry, i);
        in.kind = Kind::Http;
        in.direction = Direction::In;
        in.status = response.value(u"status"_s).toInt();
        in.durationMs = qRound64(entry.value(u"time"_s).toDouble());
        in.timestampMs += std::max<qint64>(in.durationMs, 0);
        in.detail = in.status ? out.detail : response.value(u"_error"_s).toString();
        const QJsonObject content = response.value(u"content"_s).toObject();
        const QByteArray responseBody = harBody(content, u"encoding"_s);
        in.payload = headerBlock(response.value(u"headers"_s).toArray()) + responseBody;
        in.size = std::max<qint64>(content.value(u"size"_s).toInteger(), responseBody.size());
        in.truncated = in.size > responseBody.size();
        in.binary = content.value(u"encoding"_s).toString() == u"base64"_s;
        rows.push_back(in);
    }
    store->append(rows);
    return qint64(rows.size());
}

} // namespace wps::trace
