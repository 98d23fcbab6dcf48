#pragma once

#include "trace/traceevent.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QStringList>

#include <array>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace wps::trace {

class TraceFilter;

/// Limits of a store (issue part 2). Both can change at run time.
struct TraceStoreOptions
{
    qint64 maxRecords = 1'000'000; ///< cap; the oldest records are dropped first
    int maxPayloadBytes = 4096;    ///< payload kept in full up to this, then cut and marked truncated
};

/// A record as readers see it: the compact row resolved to values (strings are shared, not copied).
struct TraceRecordView
{
    quint64 id = 0;
    qint64 timestampMs = 0;
    Kind kind = Kind::Note;
    Direction direction = Direction::None;
    bool binary = false;
    bool truncated = false;
    int status = 0;
    qint64 size = 0;
    qint64 durationMs = -1;
    QString hub;
    QString connectionId;
    QString userId;
    QString group;
    QString type;
    QString detail;
    QString correlation; ///< TraceEvent::correlation
    Source source = Source::Console;
    QByteArray payload; ///< filled only when asked for (withPayload)
};

/// The trace's append-only store: compact fixed-size records in chunks of 4096, each chunk with its own
/// byte arena for detail text and payloads, and repeated strings (hub, connection, user, group, type,
/// correlation)
/// interned once. Records have ids that grow by one per append and never change, so a reader can hold ids
/// across evictions. Thread-safe: append from any thread; signals are delivered in the store's thread.
///
/// Eviction is logical at once (firstId() moves when the cap is reached), physical later: a chunk is freed
/// only when every record in it is below both firstId() and the reader pin, so a model can still read the
/// rows it shows until it has removed them (no ghost rows, docs/style.md rule 21).
class TraceStore : public QObject
{
    Q_OBJECT
public:
    explicit TraceStore(TraceStoreOptions options = {}, QObject *parent = nullptr);
    ~TraceStore() override;

    TraceStoreOptions options() const;
    /// A smaller cap evicts at once.
    void setOptions(const TraceStoreOptions &options);

    /// Redacts, bounds and stores \a event; returns its id. Any thread.
    quint64 append(const TraceEvent &event);
    /// The same for many events under one lock (adapters that batch, import).
    void append(const std::vector<TraceEvent> &events);
    /// Drops every record (ids keep growing).
    void clear();

    quint64 firstId() const; ///< oldest live record
    quint64 endId() const;   ///< one past the newest record
    qint64 count() const;
    /// Records evicted by the cap so far.
    quint64 droppedCount() const;
    /// Approximate bytes held by records, arenas and interned strings.
    qint64 memoryUsage() const;

    /// The record \a id, resolved; false when it is gone (evicted and freed) or not yet written.
    bool record(quint64 id, TraceRecordView *out, bool withPayload = false) const;
    /// Calls \a visit for each live record in [from, to) in order, under the lock: keep \a visit short.
    void forEach(quint64 from, quint64 to, const std::function<void(const TraceRecordView &)> &visit,
                 bool withPayload = true) const;

    /// Distinct values seen in the string column \a slot (QueryStringSlot: hub, user, group, …), in order of
    /// first appearance, at most \a limit (filter completion). Includes values of evicted records.
    QStringList knownValues(int slot, int limit = 200) const;

    /// The oldest id a reader may still ask for; chunks at or after it are kept even when evicted.
    /// UINT64_MAX (the default) means "no reader to wait for".
    void setReaderPin(quint64 id);

    /// Runs \a filter over [from, to) (clamped to live records) appending matching ids to \a out; stops
    /// once \a budgetNs is spent (checked every 256 records) and returns the id where it stopped.
    /// \a times, when given, receives the timestamp of each id appended to \a out.
    quint64 match(const TraceFilter &filter, quint64 from, quint64 to, std::vector<quint64> *out,
                  qint64 budgetNs, std::vector<qint64> *times = nullptr) const;
    /// The newest timestamp among the records [from, to) still readable (evicted but pinned ones
    /// included); INT64_MAX when one of them is gone.
    qint64 maxTimestamp(quint64 from, quint64 to) const;

Q_SIGNALS:
    /// Records were appended or evicted. Coalesced: at most one is queued at a time.
    void changed();

private:
    friend class TraceFilter;
    struct Record;
    struct Chunk;

    /// The part of an append that needs no lock: redaction and the payload bound.
    struct Prepared
    {
        QByteArray detail;
        QByteArray payload;
        qsizetype payloadLength = 0;
        bool truncated = false;
    };
    Prepared prepare(const TraceEvent &event) const;
    quint32 intern(const QString &text);
    void appendLocked(const TraceEvent &event, const Prepared &prepared);
    void evictLocked();
    void notify();
    const Record *recordLocked(quint64 id, const Chunk **chunk) const;
    void resolveLocked(const Record &record, const Chunk &chunk, quint64 id, TraceRecordView *out,
                       bool withPayload) const;

    mutable QMutex m_mutex;
    TraceStoreOptions m_options;
    std::atomic<int> m_maxPayloadBytes{4096}; ///< m_options.maxPayloadBytes, readable without the lock
    std::deque<std::unique_ptr<Chunk>> m_chunks;
    quint64 m_frontChunkNo = 0; ///< chunk number (id / chunkSize) of m_chunks.front()
    quint64 m_firstId = 0;
    quint64 m_endId = 0;
    quint64 m_dropped = 0;
    quint64 m_pin = ~quint64(0);
    qint64 m_arenaBytes = 0;

    QList<QString> m_strings;          ///< id 0 is the empty string
    std::vector<quint8> m_stringSlots; ///< per string id: bit (1 << slot) for each column it appeared in
    QHash<QString, quint32> m_stringIds;
    qint64 m_stringBytes = 0;
    /// Interned ids by the address of the caller's string data. Valid while the pool entry shares that
    /// data: the pool holds a reference, so the address cannot be reused for other text meanwhile.
    std::array<quint32, 4096> m_pointerCache{};

    std::atomic<bool> m_notifyQueued{false};
};

} // namespace wps::trace
