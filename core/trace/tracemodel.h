#pragma once

#include "trace/tracefilter.h"

#include <QAbstractTableModel>
#include <QCache>
#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <vector>

namespace wps::trace {

class TraceStore;

/// The trace table over a TraceStore (docs/style.md rules 17, 18, 20, 21). It keeps its own index of visible
/// record ids instead of a QSortFilterProxyModel, so filtering a million rows is a scan of compact records:
/// - rows are in time order (then store order): the service's live-trace records arrive after the
///   console's rows of the same moment and are inserted where their timestamp puts them; new records are
///   inserted at most once per ~16 ms (<= 60 Hz), in one beginInsertRows per flush for those that come
///   last (the common case) and one per place for late ones;
/// - records the store's cap evicted are removed (beginRemoveRows) before new ones are inserted, and the
///   store keeps their memory until then (reader pin), so a view never paints a ghost row;
/// - a filter change resets the model and rebuilds the index in time-boxed slices, one per event-loop
///   turn, never freezing the UI; filterApplied() says when the rebuild caught up;
/// - display text is made on demand and cached (QCache, bounded); raw values for sorting and filtering
///   come from RawValueRole;
/// - one row per event: where the console and the service's live trace saw the same thing (a REST call's
///   response and the service's record of that request; a live client's frame with an ackId and the
///   service's record of receiving it; a client's `connected` and `close` and the service's
///   ConnectionConnected and ConnectionDisconnected), the service's record joins the console's row (Source
///   "console + service", MergedRole) instead of a row of its own, whichever of the two arrived first.
///   Both stay in the store (exports, Show related); the pair is made among the rows the filter shows.
class TraceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        KindColumn,
        DirectionColumn,
        HubColumn,
        ConnectionColumn,
        UserColumn,
        GroupColumn,
        TypeColumn,
        StatusColumn,
        SizeColumn,
        DurationColumn,
        SourceColumn,
        SummaryColumn,
        ColumnCount
    };
    enum Role {
        RawValueRole =
            Qt::UserRole + 1, ///< qint64 time/size/duration, int kind/direction/status, QString text
        RecordIdRole,         ///< the store id (quint64)
        PayloadRole,          ///< the stored payload bytes (already redacted, maybe truncated)
        TruncatedRole,        ///< bool: the payload was cut
        ErrorRole,            ///< bool: an error or refusal (isErrorRecord()): the view colours the row
        MergedRole ///< quint64: the service record merged into this console row (0 when none), see below
    };

    explicit TraceModel(TraceStore *store, QObject *parent = nullptr);
    ~TraceModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Applies \a spec (rebuild in idle slices). An invalid regex leaves the current filter in place and
    /// emits filterError(); returns false then.
    bool setFilter(const TraceFilterSpec &spec);
    TraceFilterSpec filter() const { return m_filter.spec(); }
    /// True while a filter rebuild has not yet caught up with the store.
    bool isRebuilding() const { return m_rebuilding; }
    /// Store ids below this have been through the filter (the benchmark waits on it to catch up).
    quint64 scannedUpTo() const { return m_scanned; }
    /// The store id shown in \a row; 0 past the end.
    quint64 recordId(int row) const;

    /// Time box of one slice of filtering work (default 8 ms).
    void setSliceBudget(std::chrono::milliseconds budget) { m_sliceBudget = budget; }
    /// Upper bound of cached display strings (default 20,000 cells).
    void setMaxCachedTexts(int cells) { m_textCache.setMaxCost(cells); }

    /// Does pending work now instead of on the next timer: removes evicted rows and inserts new ones (one
    /// time-boxed slice). For tests and the benchmark; the UI never needs it.
    void flushNow() { flush(); }

    /// The Source column's text of a console row that has the service's record merged into it.
    static QString mergedSourceName();

Q_SIGNALS:
    /// A filter rebuild reached the end of the store.
    void filterApplied();
    void filterError(const QString &message);

private:
    void onStoreChanged();
    void flush();
    QString render(quint64 id, int column) const;

    /// The text cache's keys: id * cacheStride + column; the extra slot caches ErrorRole.
    static constexpr int ErrorColumnKey = ColumnCount;
    static constexpr quint64 cacheStride = ColumnCount + 1;

    QPointer<TraceStore> m_store;
    TraceFilter m_filter;
    void removeEvicted(quint64 first);
    void insertFound(std::vector<quint64> found, std::vector<qint64> times);
    /// Pairs console and service records of one event among \a found (the ids of [from, to) the filter
    /// accepted): drops the service records that join a console row, removes the shown service rows their
    /// console record now replaces, and repaints console rows already shown.
    void pairFound(quint64 from, quint64 to, std::vector<quint64> *found, std::vector<qint64> *times);
    /// The row showing record \a id (timestamp \a ms), or -1.
    int rowOfRecord(quint64 id, qint64 ms) const;
    void resetPairing();

    /// Records waiting for their other side, per side, before the stale ones are dropped.
    static constexpr int kMaxWaiting = 8192;
    /// A record waiting for the other side of its event.
    struct PairWaiting
    {
        quint64 id = 0;
        qint64 ms = 0;
    };
    /// Whether a service record is among \a found (of [from, to)), i.e. the service's live trace is on; the
    /// first time, the console's rows of the last minute start waiting for their partners.
    bool noticeService(quint64 from, quint64 to, const std::vector<quint64> &found,
                       const std::vector<qint64> &times);
    /// Pairs the records among \a found with the waiting records of the other side, or makes them wait: marks
    /// in \a drop the service records that join a console row (in this batch or shown), lists in \a repaint
    /// the shown console rows a service record joins and in \a remove the shown service rows a console
    /// record replaces.
    void matchPartners(quint64 from, quint64 to, const std::vector<quint64> &found, std::vector<char> *drop,
                       std::vector<PairWaiting> *repaint, std::vector<PairWaiting> *remove);
    /// Removes the shown rows of \a remove and repaints those of \a repaint.
    void showPairs(const std::vector<PairWaiting> &remove, const std::vector<PairWaiting> &repaint);
    TraceFilter m_serviceFilter;               ///< source==service
    TraceFilter m_pairFilter;                  ///< the records that can have a partner (cheap pre-selection)
    bool m_serviceSeen = false;                ///< a service record passed the filter (live trace is on)
    QHash<QString, PairWaiting> m_waitConsole; ///< pair key -> console record waiting for the service's
    QHash<QString, PairWaiting> m_waitService; ///< pair key -> service record shown alone for now
    QHash<quint64, quint64> m_merged;          ///< console record id -> service record id merged into it
    qsizetype m_mergedPruneAt = 8192;          ///< m_merged's size at which evicted ids are dropped from it

    std::vector<quint64> m_rows; ///< visible ids in (time, id) order, from m_head
    std::vector<qint64> m_times; ///< their timestamps (parallel to m_rows)
    std::size_t m_head = 0;
    quint64 m_accountedFirst = 0; ///< the store's firstId() at the last flush: rows below it are removed
    quint64 m_scanned = 0;        ///< next store id to run the filter on
    bool m_rebuilding = false;
    std::chrono::milliseconds m_sliceBudget{8};
    QTimer m_flushTimer;
    QElapsedTimer m_sinceFlush;
    mutable QCache<quint64, QString> m_textCache;
};

} // namespace wps::trace
