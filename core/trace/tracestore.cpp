#include "trace/tracestore.h"

#include "trace/tracefilter.h"
#include "trace/tracelogging.h"
#include "trace/traceredact.h"

#include <QElapsedTimer>
#include <QMutexLocker>

#include <algorithm>
#include <limits>

Q_LOGGING_CATEGORY(lcTrace, "wps.trace")

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

namespace {

constexpr quint64 chunkSize = 4096;

enum Flag : quint8 { DirectionMask = 0x3, BinaryFlag = 0x4, TruncatedFlag = 0x8, ServiceFlag = 0x10 };
// The string slots are QueryStringSlot (tracequery.h): the query evaluator reads them as they are.

/// Cuts \a bytes to \a limit, backing off so a UTF-8 sequence is not split (text only).
qsizetype cutPoint(const QByteArray &bytes, qsizetype limit, bool binary)
{
    qsizetype cut = limit;
    if (!binary) {
        for (int back = 0; back < 3 && cut > 0 && (static_cast<unsigned char>(bytes.at(cut)) & 0xC0) == 0x80;
             ++back)
            --cut;
    }
    return cut;
}

/// A filter's exact-value criteria (hub, connection, user, group; correlation) as interned string ids.
struct WantedIds
{
    static constexpr quint32 any = ~quint32(0);      ///< no criterion
    static constexpr quint32 none = ~quint32(0) - 1; ///< a value never seen: matches nothing (yet)
    quint32 fields[4];
    quint32 correlation;

    bool matchNothing() const
    {
        return std::find(std::begin(fields), std::end(fields), none) != std::end(fields) ||
               correlation == none;
    }
};

WantedIds wantedIds(const TraceFilterSpec &spec, const QHash<QString, quint32> &stringIds)
{
    auto wanted = [&stringIds](const QString &value) {
        if (value.isEmpty())
            return WantedIds::any;
        const auto it = stringIds.constFind(value);
        return it == stringIds.constEnd() ? WantedIds::none : it.value();
    };
    return WantedIds{{wanted(spec.hub), wanted(spec.connectionId), wanted(spec.userId), wanted(spec.group)},
                     wanted(spec.correlation)};
}

} // namespace

/// 64 bytes per row; strings are interned ids, text lives in the chunk's arena.
struct TraceStore::Record
{
    qint64 timestampMs;
    qint64 size;
    quint32 arenaOffset; ///< detail bytes, then payload bytes
    quint32 detailLength;
    quint32 payloadLength;
    quint32 strings[SlotCount];
    qint32 durationMs;
    quint16 status;
    quint8 kind;
    quint8 flags;

    /// Whether the record passes the filter's column criteria: kind, direction, time, status, exact values.
    bool matchesColumns(const TraceFilterSpec &spec, const WantedIds &want) const
    {
        if (!(spec.kinds & (1u << kind)) || !(spec.directions & (1u << (flags & DirectionMask))))
            return false;
        if (timestampMs < spec.fromMs || timestampMs > spec.toMs)
            return false;
        if ((spec.statusMin > 0 && status < spec.statusMin) ||
            (spec.statusMax > 0 && status > spec.statusMax))
            return false;
        for (int slot = 0; slot < 4; ++slot)
            if (want.fields[slot] != WantedIds::any && strings[slot] != want.fields[slot])
                return false;
        return want.correlation == WantedIds::any || strings[CorrelationSlot] == want.correlation;
    }

    /// The record as the display filter's query reads it; \a arena: its chunk's arena.
    QueryRow queryRow(const char *arena) const
    {
        QueryRow row;
        row.strings = strings;
        row.detail = arena + arenaOffset;
        row.detailLength = detailLength;
        row.payload = row.detail + detailLength;
        row.payloadLength = payloadLength;
        row.size = size;
        row.durationMs = durationMs;
        row.status = status;
        row.kind = Kind(kind);
        row.direction = Direction(flags & DirectionMask);
        row.source = (flags & ServiceFlag) ? Source::Service : Source::Console;
        row.binary = flags & BinaryFlag;
        return row;
    }
};

struct TraceStore::Chunk
{
    std::vector<Record> records;
    std::vector<char> arena;
};

TraceStore::TraceStore(TraceStoreOptions options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_maxPayloadBytes(std::max(0, options.maxPayloadBytes))
{
    m_options.maxRecords = std::max<qint64>(1, m_options.maxRecords);
    m_options.maxPayloadBytes = m_maxPayloadBytes;
    m_strings.append(QString());
    m_stringSlots.push_back(0);
}

TraceStore::~TraceStore() = default;

TraceStoreOptions TraceStore::options() const
{
    QMutexLocker lock(&m_mutex);
    return m_options;
}

void TraceStore::setOptions(const TraceStoreOptions &options)
{
    {
        QMutexLocker lock(&m_mutex);
        m_options = options;
        m_options.maxRecords = std::max<qint64>(1, m_options.maxRecords);
        m_options.maxPayloadBytes = std::max(0, m_options.maxPayloadBytes);
        m_maxPayloadBytes = m_options.maxPayloadBytes;
        evictLocked();
    }
    notify();
}

quint32 TraceStore::intern(const QString &text)
{
    if (text.isEmpty())
        return 0;
    // Repeats are the common case and usually share their data with the pool entry (implicit sharing):
    // then the address identifies the string without hashing it.
    const auto slotOf = std::size_t(((quintptr(text.constData()) >> 4) * 0x9E3779B97F4A7C15ull) >> 52) %
                        m_pointerCache.size();
    if (const quint32 cached = m_pointerCache[slotOf]; cached != 0) {
        const QString &pooled = m_strings.at(cached);
        if (pooled.constData() == text.constData() && pooled.size() == text.size())
            return cached;
    }
    auto it = m_stringIds.constFind(text);
    quint32 id = 0;
    if (it != m_stringIds.constEnd()) {
        id = it.value();
    } else {
        id = quint32(m_strings.size());
        // New strings are redacted once; the redacted form is what every record with this value shows.
        const QString clean = redactSecrets(text);
        m_strings.append(clean);
        m_stringSlots.push_back(0);
        m_stringIds.insert(text, id);
        m_stringBytes += (text.size() + clean.size()) * 2 + 64;
    }
    m_pointerCache[slotOf] = id;
    return id;
}

TraceStore::Prepared TraceStore::prepare(const TraceEvent &event) const
{
    Prepared p;
    if (!event.detail.isEmpty())
        p.detail = redactSecrets(event.detail.toUtf8()).left(0xffff);
    p.payload = redactSecrets(event.payload);
    p.truncated = event.truncated;
    p.payloadLength = p.payload.size();
    const int limit = m_maxPayloadBytes.load(std::memory_order_relaxed);
    if (p.payloadLength > limit) {
        p.payloadLength = cutPoint(p.payload, limit, event.binary);
        p.truncated = true;
    }
    return p;
}

void TraceStore::appendLocked(const TraceEvent &event, const Prepared &prepared)
{
    // Drop first, then insert (rule 21): the count never exceeds the cap, not even for a moment.
    if (qint64(m_endId - m_firstId) + 1 > m_options.maxRecords) {
        ++m_firstId;
        ++m_dropped;
    }
    const quint64 id = m_endId;
    if (m_chunks.empty() || id / chunkSize != m_frontChunkNo + m_chunks.size() - 1) {
        if (!m_chunks.empty()) {
            Chunk &full = *m_chunks.back();
            m_arenaBytes -= qint64(full.arena.capacity());
            full.arena.shrink_to_fit();
            m_arenaBytes += qint64(full.arena.capacity());
        }
        auto chunk = std::make_unique<Chunk>();
        chunk->records.reserve(chunkSize);
        if (m_chunks.empty())
            m_frontChunkNo = id / chunkSize;
        m_chunks.push_back(std::move(chunk));
    }
    Chunk &chunk = *m_chunks.back();
    const QByteArray &detail = prepared.detail;
    const QByteArray &payload = prepared.payload;
    // A cap lowered since prepare() still bounds this payload.
    qsizetype payloadLength = std::min<qsizetype>(prepared.payloadLength, m_options.maxPayloadBytes);
    const bool truncated = prepared.truncated || payloadLength < prepared.payloadLength;
    if (payloadLength < prepared.payloadLength)
        payloadLength = cutPoint(payload, payloadLength, event.binary);
    const qsizetype detailLength = detail.size();

    Record record;
    record.timestampMs = event.timestampMs;
    record.size = event.size;
    const std::size_t capacityBefore = chunk.arena.capacity();
    record.arenaOffset = quint32(chunk.arena.size());
    record.detailLength = quint32(detailLength);
    record.payloadLength = quint32(payloadLength);
    chunk.arena.insert(chunk.arena.end(), detail.constData(), detail.constData() + detailLength);
    chunk.arena.insert(chunk.arena.end(), payload.constData(), payload.constData() + payloadLength);
    m_arenaBytes += qint64(chunk.arena.capacity()) - qint64(capacityBefore);
    record.strings[HubSlot] = intern(event.hub);
    record.strings[ConnectionSlot] = intern(event.connectionId);
    record.strings[UserSlot] = intern(event.userId);
    record.strings[GroupSlot] = intern(event.group);
    record.strings[TypeSlot] = intern(event.type);
    record.strings[CorrelationSlot] = intern(event.correlation);
    for (int slot = 0; slot < SlotCount; ++slot)
        m_stringSlots[record.strings[slot]] |= quint8(1u << slot);
    record.durationMs = qint32(std::clamp<qint64>(event.durationMs, -1, std::numeric_limits<qint32>::max()));
    record.status = quint16(std::clamp(event.status, 0, 0xffff));
    record.kind = quint8(event.kind);
    record.flags = quint8(quint8(event.direction) & DirectionMask) | (event.binary ? BinaryFlag : 0) |
                   (truncated ? TruncatedFlag : 0) | (event.source == Source::Service ? ServiceFlag : 0);
    chunk.records.push_back(record);
    ++m_endId;
    evictLocked();
}

void TraceStore::evictLocked()
{
    const auto max = quint64(m_options.maxRecords);
    if (m_endId - m_firstId > max) {
        m_dropped += m_endId - m_firstId - max;
        m_firstId = m_endId - max;
    }
    const quint64 keepFrom = std::min(m_firstId, m_pin);
    while (!m_chunks.empty() && (m_frontChunkNo + 1) * chunkSize <= keepFrom) {
        m_arenaBytes -= qint64(m_chunks.front()->arena.capacity());
        m_chunks.pop_front();
        ++m_frontChunkNo;
    }
}

void TraceStore::notify()
{
    if (m_notifyQueued.load(std::memory_order_relaxed) || m_notifyQueued.exchange(true))
        return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_notifyQueued.store(false);
            Q_EMIT changed();
        },
        Qt::QueuedConnection);
}

quint64 TraceStore::append(const TraceEvent &event)
{
    quint64 id = 0;
    {
        const Prepared prepared = prepare(event);
        QMutexLocker lock(&m_mutex);
        id = m_endId;
        appendLocked(event, prepared);
    }
    notify();
    return id;
}

void TraceStore::append(const std::vector<TraceEvent> &events)
{
    if (events.empty())
        return;
    std::vector<Prepared> prepared;
    prepared.reserve(events.size());
    for (const TraceEvent &event : events)
        prepared.push_back(prepare(event));
    {
        QMutexLocker lock(&m_mutex);
        for (std::size_t i = 0; i < events.size(); ++i)
            appendLocked(events[i], prepared[i]);
    }
    notify();
}

void TraceStore::clear()
{
    {
        QMutexLocker lock(&m_mutex);
        m_firstId = m_endId;
        evictLocked();
    }
    notify();
}

quint64 TraceStore::firstId() const
{
    QMutexLocker lock(&m_mutex);
    return m_firstId;
}

quint64 TraceStore::endId() const
{
    QMutexLocker lock(&m_mutex);
    return m_endId;
}

qint64 TraceStore::count() const
{
    QMutexLocker lock(&m_mutex);
    return qint64(m_endId - m_firstId);
}

quint64 TraceStore::droppedCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_dropped;
}

qint64 TraceStore::memoryUsage() const
{
    QMutexLocker lock(&m_mutex);
    return qint64(m_chunks.size() * chunkSize * sizeof(Record)) + m_arenaBytes + m_stringBytes;
}

void TraceStore::setReaderPin(quint64 id)
{
    QMutexLocker lock(&m_mutex);
    m_pin = id;
    evictLocked();
}

const TraceStore::Record *TraceStore::recordLocked(quint64 id, const Chunk **chunk) const
{
    if (id >= m_endId || m_chunks.empty() || id / chunkSize < m_frontChunkNo)
        return nullptr;
    const Chunk &c = *m_chunks[id / chunkSize - m_frontChunkNo];
    *chunk = &c;
    return &c.records[id % chunkSize];
}

void TraceStore::resolveLocked(const Record &record, const Chunk &chunk, quint64 id, TraceRecordView *out,
                               bool withPayload) const
{
    out->id = id;
    out->timestampMs = record.timestampMs;
    out->kind = Kind(record.kind);
    out->direction = Direction(record.flags & DirectionMask);
    out->binary = record.flags & BinaryFlag;
    out->truncated = record.flags & TruncatedFlag;
    out->status = record.status;
    out->size = record.size;
    out->durationMs = record.durationMs;
    out->hub = m_strings.at(record.strings[HubSlot]);
    out->connectionId = m_strings.at(record.strings[ConnectionSlot]);
    out->userId = m_strings.at(record.strings[UserSlot]);
    out->group = m_strings.at(record.strings[GroupSlot]);
    out->type = m_strings.at(record.strings[TypeSlot]);
    out->correlation = m_strings.at(record.strings[CorrelationSlot]);
    out->source = (record.flags & ServiceFlag) ? Source::Service : Source::Console;
    const char *base = chunk.arena.data() + record.arenaOffset;
    out->detail = QString::fromUtf8(base, record.detailLength);
    if (withPayload)
        out->payload = QByteArray(base + record.detailLength, record.payloadLength);
    else
        out->payload.clear();
}

bool TraceStore::record(quint64 id, TraceRecordView *out, bool withPayload) const
{
    QMutexLocker lock(&m_mutex);
    const Chunk *chunk = nullptr;
    const Record *record = recordLocked(id, &chunk);
    if (!record)
        return false;
    resolveLocked(*record, *chunk, id, out, withPayload);
    return true;
}

void TraceStore::forEach(quint64 from, quint64 to, const std::function<void(const TraceRecordView &)> &visit,
                         bool withPayload) const
{
    QMutexLocker lock(&m_mutex);
    TraceRecordView view;
    for (quint64 id = std::max(from, m_firstId); id < std::min(to, m_endId); ++id) {
        const Chunk *chunk = nullptr;
        const Record *record = recordLocked(id, &chunk);
        if (!record)
            continue;
        resolveLocked(*record, *chunk, id, &view, withPayload);
        visit(view);
    }
}

QStringList TraceStore::knownValues(int slot, int limit) const
{
    QMutexLocker lock(&m_mutex);
    QStringList values;
    if (slot < 0 || slot >= SlotCount)
        return values;
    const quint8 bit = quint8(1u << slot);
    for (std::size_t id = 1; id < m_stringSlots.size() && values.size() < limit; ++id) {
        if (m_stringSlots[id] & bit)
            values << m_strings.at(qsizetype(id));
    }
    return values;
}

qint64 TraceStore::maxTimestamp(quint64 from, quint64 to) const
{
    QMutexLocker lock(&m_mutex);
    qint64 newest = std::numeric_limits<qint64>::min();
    for (quint64 id = from; id < to; ++id) {
        const Chunk *chunk = nullptr;
        const Record *r = recordLocked(id, &chunk);
        if (!r)
            return std::numeric_limits<qint64>::max();
        newest = std::max(newest, r->timestampMs);
    }
    return newest;
}

quint64 TraceStore::match(const TraceFilter &filter, quint64 from, quint64 to, std::vector<quint64> *out,
                          qint64 budgetNs, std::vector<qint64> *times) const
{
    QElapsedTimer clock;
    clock.start();
    QMutexLocker lock(&m_mutex);
    const TraceFilterSpec &spec = filter.spec();
    quint64 id = std::max(from, m_firstId);
    const quint64 end = std::min(to, m_endId);
    if (filter.isEmpty()) {
        for (; id < end; ++id) {
            out->push_back(id);
            if (times) {
                const Chunk *chunk = nullptr;
                const Record *r = recordLocked(id, &chunk);
                times->push_back(r ? r->timestampMs : 0);
            }
        }
        return id;
    }
    // Exact string criteria become interned ids; a value never seen matches nothing (yet).
    const WantedIds want = wantedIds(spec, m_stringIds);
    if (want.matchNothing())
        return end;
    const quint8 required = filter.requiredHits();
    const BoundQuery *query = filter.m_query.get();
    if (query) {
        query->resolve([this](const QString &value) {
            const auto it = m_stringIds.constFind(value);
            return it == m_stringIds.constEnd() ? 0u : it.value();
        });
    }
    const bool hideKeepAlives = spec.hideKeepAlives;

    int sinceCheck = 0;
    while (id < end) {
        if (++sinceCheck == 256) {
            sinceCheck = 0;
            if (clock.nsecsElapsed() > budgetNs)
                break;
        }
        const Chunk *chunk = nullptr;
        const Record *r = recordLocked(id, &chunk);
        const quint64 current = id++;
        if (!r)
            continue;
        if (!r->matchesColumns(spec, want))
            continue;
        if (required != 0) {
            quint8 hits = 0;
            for (int slot = 0; slot < SlotCount && hits != required; ++slot)
                hits |= filter.stringHits(r->strings[slot], m_strings.at(r->strings[slot]));
            const char *base = chunk->arena.data() + r->arenaOffset;
            if (hits != required && r->detailLength > 0)
                hits |= filter.fieldHits(base, r->detailLength, false, quint8(required & ~hits));
            if (hits != required && r->payloadLength > 0)
                hits |= filter.fieldHits(base + r->detailLength, r->payloadLength, r->flags & BinaryFlag,
                                         quint8(required & ~hits));
            if (hits != required)
                continue;
        }
        if (hideKeepAlives && r->kind == quint8(Kind::Frame) &&
            filter.isKeepAlive(r->strings[TypeSlot], m_strings.at(r->strings[TypeSlot])))
            continue;
        if (query && !query->matches(r->queryRow(chunk->arena.data()), m_strings))
            continue;
        out->push_back(current);
        if (times)
            times->push_back(r->timestampMs);
    }
    return id;
}

} // namespace wps::trace
