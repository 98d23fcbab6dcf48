#include "trace/tracejsonl.h"

#include "trace/tracelogging.h"
#include "trace/tracestore.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>

#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

namespace {

constexpr int formatVersion = 1;

bool isValidUtf8(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        int extra = 0;
        if (c < 0x80)
            extra = 0;
        else if ((c & 0xE0) == 0xC0 && c >= 0xC2)
            extra = 1;
        else if ((c & 0xF0) == 0xE0)
            extra = 2;
        else if ((c & 0xF8) == 0xF0 && c <= 0xF4)
            extra = 3;
        else
            return false;
        if (extra > 0 && i + extra >= n)
            return false;
        for (int k = 1; k <= extra; ++k) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
        }
        // Reject overlongs and surrogates, which QString would not give back unchanged.
        if (extra == 2) {
            const unsigned char d = p[i + 1];
            if ((c == 0xE0 && d < 0xA0) || (c == 0xED && d >= 0xA0))
                return false;
        } else if (extra == 3) {
            const unsigned char d = p[i + 1];
            if ((c == 0xF0 && d < 0x90) || (c == 0xF4 && d >= 0x90))
                return false;
        }
        i += extra + 1;
    }
    return true;
}

QJsonObject toJson(const TraceRecordView &r)
{
    QJsonObject o;
    o.insert(u"t"_s, r.timestampMs);
    o.insert(u"kind"_s, kindName(r.kind));
    if (r.direction != Direction::None)
        o.insert(u"dir"_s, directionName(r.direction));
    auto put = [&o](const QString &key, const QString &value) {
        if (!value.isEmpty())
            o.insert(key, value);
    };
    put(u"hub"_s, r.hub);
    put(u"connection"_s, r.connectionId);
    put(u"user"_s, r.userId);
    put(u"group"_s, r.group);
    put(u"type"_s, r.type);
    put(u"detail"_s, r.detail);
    put(u"correlation"_s, r.correlation);
    if (r.source != Source::Console)
        o.insert(u"source"_s, sourceName(r.source));
    if (r.status)
        o.insert(u"status"_s, r.status);
    o.insert(u"size"_s, r.size);
    if (r.durationMs >= 0)
        o.insert(u"durationMs"_s, r.durationMs);
    if (r.binary)
        o.insert(u"binary"_s, true);
    if (r.truncated)
        o.insert(u"truncated"_s, true);
    if (!r.payload.isEmpty()) {
        if (isValidUtf8(r.payload)) {
            o.insert(u"payload"_s, QString::fromUtf8(r.payload));
        } else {
            o.insert(u"payload64"_s, QString::fromLatin1(r.payload.toBase64()));
        }
    }
    return o;
}

} // namespace

Expected<qint64, QString> exportJsonl(const TraceStore &store, QIODevice *device)
{
    using Result = Expected<qint64, QString>;
    if (!device || !device->isWritable())
        return Result::failure(u"The trace file is not open for writing."_s);
    QJsonObject header{{u"format"_s, u"wps-trace"_s}, {u"version"_s, formatVersion}};
    if (device->write(QJsonDocument(header).toJson(QJsonDocument::Compact) + '\n') < 0)
        return Result::failure(u"Could not write the trace file: "_s + device->errorString());
    qint64 written = 0;
    bool failed = false;
    // In slices, so ingest from other threads is not held up for the whole export.
    const quint64 end = store.endId();
    for (quint64 from = store.firstId(); from < end && !failed; from += 4096) {
        QByteArray block;
        store.forEach(from, std::min(end, from + 4096), [&block, &written](const TraceRecordView &r) {
            block += QJsonDocument(toJson(r)).toJson(QJsonDocument::Compact);
            block += '\n';
            ++written;
        });
        failed = device->write(block) != block.size();
    }
    if (failed)
        return Result::failure(u"Could not write the trace file: "_s + device->errorString());
    return written;
}

Expected<qint64, QString> importJsonl(QIODevice *device, TraceStore *store)
{
    using Result = Expected<qint64, QString>;
    if (!device || !device->isReadable())
        return Result::failure(u"The trace file is not open for reading."_s);
    qint64 lineNo = 0;
    qint64 imported = 0;
    std::vector<TraceEvent> batch;
    while (!device->atEnd()) {
        QByteArray line = device->readLine();
        ++lineNo;
        if (line.endsWith('\n'))
            line.chop(1);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return Result::failure(u"Line "_s + QString::number(lineNo) + u" is not a JSON object: "_s +
                                   error.errorString());
        const QJsonObject o = doc.object();
        if (lineNo == 1) {
            if (o.value(u"format"_s).toString() != u"wps-trace"_s)
                return Result::failure(u"Not a trace session file (no wps-trace header)."_s);
            if (o.value(u"version"_s).toInt() > formatVersion)
                return Result::failure(u"The trace file is from a newer version ("_s +
                                       QString::number(o.value(u"version"_s).toInt()) + u")."_s);
            continue;
        }
        TraceEvent e;
        if (!parseKind(o.value(u"kind"_s).toString(), &e.kind))
            return Result::failure(u"Line "_s + QString::number(lineNo) + u" has an unknown kind."_s);
        if (o.contains(u"dir"_s) && !parseDirection(o.value(u"dir"_s).toString(), &e.direction))
            return Result::failure(u"Line "_s + QString::number(lineNo) + u" has an unknown direction."_s);
        e.timestampMs = o.value(u"t"_s).toInteger();
        e.hub = o.value(u"hub"_s).toString();
        e.connectionId = o.value(u"connection"_s).toString();
        e.userId = o.value(u"user"_s).toString();
        e.group = o.value(u"group"_s).toString();
        e.type = o.value(u"type"_s).toString();
        e.detail = o.value(u"detail"_s).toString();
        e.correlation = o.value(u"correlation"_s).toString();
        if (o.contains(u"source"_s) && !parseSource(o.value(u"source"_s).toString(), &e.source))
            return Result::failure(u"Line "_s + QString::number(lineNo) + u" has an unknown source."_s);
        e.status = o.value(u"status"_s).toInt();
        e.size = o.value(u"size"_s).toInteger();
        e.durationMs = o.value(u"durationMs"_s).toInteger(-1);
        e.binary = o.value(u"binary"_s).toBool();
        e.truncated = o.value(u"truncated"_s).toBool();
        if (o.contains(u"payload64"_s)) {
            const auto decoded = QByteArray::fromBase64Encoding(o.value(u"payload64"_s).toString().toLatin1(),
                                                                QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return Result::failure(u"Line "_s + QString::number(lineNo) +
                                       u" has a bad base64 payload."_s);
            e.payload = decoded.decoded;
        } else {
            e.payload = o.value(u"payload"_s).toString().toUtf8();
        }
        batch.push_back(std::move(e));
        if (batch.size() >= 4096) {
            store->append(batch);
            imported += qint64(batch.size());
            batch.clear();
        }
    }
    if (lineNo == 0)
        return Result::failure(u"The trace file is empty."_s);
    store->append(batch);
    imported += qint64(batch.size());
    qCDebug(lcTrace) << "imported" << imported << "trace records";
    return imported;
}

} // namespace wps::trace
