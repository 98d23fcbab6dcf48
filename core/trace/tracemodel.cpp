#include "trace/tracemodel.h"

#include "trace/tracelogging.h"
#include "trace/tracestore.h"
#include "trace/tracesummary.h"

#include <QDateTime>

#include <algorithm>
#include <climits>
#include <limits>
#include <numeric>

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

namespace {

constexpr int flushIntervalMs = 16; // <= 60 Hz

/// The records that can have a partner on the other side: a cheap pre-selection by the store's compact
/// columns, so only these are read in full.
const auto kPairQuery = u"(kind==http and dir==in) or (kind==frame and source==service and dir==in) or "
                        "(kind==frame and source==console and dir==out) or type==connected or type==close or "
                        "type==ConnectionConnected or type==ConnectionDisconnected"_s;

/// RawValueRole: the stored value behind a column (the time in ms, the kind and direction as numbers, ...).
QVariant rawValue(const TraceRecordView &r, int column)
{
    switch (column) {
    case TraceModel::TimeColumn:
        return r.timestampMs;
    case TraceModel::KindColumn:
        return int(r.kind);
    case TraceModel::DirectionColumn:
        return int(r.direction);
    case TraceModel::HubColumn:
        return r.hub;
    case TraceModel::ConnectionColumn:
        return r.connectionId;
    case TraceModel::UserColumn:
        return r.userId;
    case TraceModel::GroupColumn:
        return r.group;
    case TraceModel::TypeColumn:
        return r.type;
    case TraceModel::StatusColumn:
        return r.status;
    case TraceModel::SizeColumn:
        return r.size;
    case TraceModel::DurationColumn:
        return r.durationMs;
    case TraceModel::SourceColumn:
        return int(r.source);
    case TraceModel::SummaryColumn:
        return r.detail;
    default:
        return {};
    }
}

} // namespace

TraceModel::TraceModel(TraceStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
    , m_serviceFilter([] {
        TraceFilterSpec spec;
        spec.query = u"source==service"_s;
        return spec;
    }())
    , m_pairFilter([] {
        TraceFilterSpec spec;
        spec.query = kPairQuery;
        return spec;
    }())
    , m_textCache(20000)
{
    Q_ASSERT(m_serviceFilter.isValid() && m_pairFilter.isValid());
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &TraceModel::flush);
    m_sinceFlush.start();
    if (m_store) {
        m_scanned = m_store->firstId();
        m_accountedFirst = m_scanned;
        m_store->setReaderPin(m_scanned);
        connect(m_store, &TraceStore::changed, this, &TraceModel::onStoreChanged);
        onStoreChanged();
    }
}

TraceModel::~TraceModel()
{
    if (m_store)
        m_store->setReaderPin(~quint64(0));
}

int TraceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size() - m_head);
}

int TraceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

quint64 TraceModel::recordId(int row) const
{
    if (row < 0 || row >= rowCount())
        return 0;
    return m_rows[m_head + std::size_t(row)];
}

QVariant TraceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return u"Time"_s;
    case KindColumn:
        return u"Kind"_s;
    case DirectionColumn:
        return u"Dir"_s;
    case HubColumn:
        return u"Hub"_s;
    case ConnectionColumn:
        return u"Connection"_s;
    case UserColumn:
        return u"User"_s;
    case GroupColumn:
        return u"Group"_s;
    case TypeColumn:
        return u"Type"_s;
    case StatusColumn:
        return u"Status"_s;
    case SizeColumn:
        return u"Size"_s;
    case DurationColumn:
        return u"ms"_s;
    case SourceColumn:
        return u"Source"_s;
    case SummaryColumn:
        return u"Summary"_s;
    default:
        return {};
    }
}

QString TraceModel::render(quint64 id, int column) const
{
    TraceRecordView r;
    if (!m_store || !m_store->record(id, &r, column == SummaryColumn || column == ErrorColumnKey))
        return {};
    switch (column) {
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(r.timestampMs).toLocalTime().toString(u"HH:mm:ss.zzz"_s);
    case KindColumn:
        return kindName(r.kind);
    case DirectionColumn:
        return directionName(r.direction);
    case HubColumn:
        return r.hub;
    case ConnectionColumn:
        return r.connectionId;
    case UserColumn:
        return r.userId;
    case GroupColumn:
        return r.group;
    case TypeColumn:
        return r.type;
    case StatusColumn:
        return r.status ? QString::number(r.status) : QString();
    case SizeColumn:
        return QString::number(r.size);
    case DurationColumn:
        return r.durationMs >= 0 ? QString::number(r.durationMs) : QString();
    case SourceColumn:
        return m_merged.contains(id) ? mergedSourceName() : sourceName(r.source);
    case SummaryColumn: {
        QString summary = humanSummary(r);
        // What only the service knows (how many connections a send reached) follows the console's words.
        TraceRecordView service;
        if (const quint64 merged = m_merged.value(id); merged && m_store->record(merged, &service, false)) {
            if (const qsizetype note = service.detail.indexOf(u" — "_s); note >= 0)
                summary += service.detail.mid(note);
        }
        return summary;
    }
    default:
        return {};
    }
}

QString TraceModel::mergedSourceName()
{
    return u"console + service"_s;
}

QVariant TraceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const quint64 id = m_rows[m_head + std::size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::ToolTipRole:
        if (column == SourceColumn) {
            TraceRecordView service;
            if (const quint64 merged = m_merged.value(id);
                merged && m_store && m_store->record(merged, &service))
                return tr("Seen by the console and in the service's live trace: %1").arg(service.detail);
        }
        Q_FALLTHROUGH();
    case Qt::DisplayRole: {
        const quint64 key = id * cacheStride + quint64(column);
        if (const QString *cached = m_textCache.object(key))
            return *cached;
        QString text = render(id, column);
        m_textCache.insert(key, new QString(text));
        return text;
    }
    case Qt::TextAlignmentRole:
        if (column == StatusColumn || column == SizeColumn || column == DurationColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case RecordIdRole:
        return QVariant::fromValue(id);
    case MergedRole:
        return QVariant::fromValue(m_merged.value(id));
    case ErrorRole: {
        const quint64 key = id * cacheStride + quint64(ErrorColumnKey);
        if (const QString *cached = m_textCache.object(key))
            return !cached->isEmpty();
        TraceRecordView r;
        bool error = m_store && m_store->record(id, &r, true) && isErrorRecord(r);
        if (const quint64 merged = m_merged.value(id); !error && merged && m_store)
            error = m_store->record(merged, &r, true) && isErrorRecord(r);
        m_textCache.insert(key, new QString(error ? u"1"_s : QString()));
        return error;
    }
    case RawValueRole:
    case PayloadRole:
    case TruncatedRole: {
        TraceRecordView r;
        if (!m_store || !m_store->record(id, &r, role == PayloadRole))
            return {};
        if (role == PayloadRole)
            return r.payload;
        if (role == TruncatedRole)
            return r.truncated;
        return rawValue(r, column);
    }
    default:
        return {};
    }
}

bool TraceModel::setFilter(const TraceFilterSpec &spec)
{
    TraceFilter compiled(spec);
    QString error;
    if (!compiled.isValid(&error)) {
        Q_EMIT filterError(error);
        return false;
    }
    beginResetModel();
    m_filter = std::move(compiled);
    m_rows.clear();
    m_times.clear();
    m_head = 0;
    m_scanned = m_store ? m_store->firstId() : 0;
    m_accountedFirst = m_scanned;
    m_rebuilding = true;
    resetPairing();
    m_textCache.clear();
    endResetModel();
    m_flushTimer.start(0);
    return true;
}

void TraceModel::onStoreChanged()
{
    if (m_flushTimer.isActive())
        return;
    const qint64 since = m_sinceFlush.elapsed();
    m_flushTimer.start(since >= flushIntervalMs ? 0 : int(flushIntervalMs - since));
}

void TraceModel::removeEvicted(quint64 first)
{
    if (first <= m_accountedFirst || m_head == m_rows.size()) {
        m_accountedFirst = std::max(m_accountedFirst, first);
        return;
    }
    // The rows of ids [m_accountedFirst, first) are gone. In time order they all lie before the first row
    // newer than the newest of them (still readable: the reader pin keeps them until this is done).
    const qint64 newest = m_store->maxTimestamp(m_accountedFirst, first);
    const auto limit = std::size_t(
        std::upper_bound(m_times.begin() + std::ptrdiff_t(m_head), m_times.end(), newest) - m_times.begin());
    // Runs [start, end) of evicted rows, removed from the last so earlier positions stay valid (rule 21:
    // removed before new rows go in).
    std::vector<std::pair<std::size_t, std::size_t>> runs;
    for (std::size_t i = m_head; i < limit; ++i) {
        if (m_rows[i] >= first)
            continue;
        if (!runs.empty() && runs.back().second == i)
            runs.back().second = i + 1;
        else
            runs.emplace_back(i, i + 1);
    }
    std::size_t removed = 0;
    for (const auto &run : runs)
        removed += run.second - run.first;
    const bool clearCache = removed > 256;
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
        const auto [start, end] = *it;
        beginRemoveRows({}, int(start - m_head), int(end - m_head) - 1);
        if (!clearCache) {
            for (std::size_t i = start; i < end; ++i) {
                for (int column = 0; column <= ErrorColumnKey; ++column)
                    m_textCache.remove(m_rows[i] * cacheStride + quint64(column));
            }
        }
        if (start == m_head) {
            m_head = end;
        } else {
            m_rows.erase(m_rows.begin() + std::ptrdiff_t(start), m_rows.begin() + std::ptrdiff_t(end));
            m_times.erase(m_times.begin() + std::ptrdiff_t(start), m_times.begin() + std::ptrdiff_t(end));
        }
        endRemoveRows();
    }
    // Evicted ids never come back: drop their cached text (all of it at once after a mass eviction).
    if (clearCache)
        m_textCache.clear();
    if (m_head > 4096 && m_head * 2 > m_rows.size()) {
        m_rows.erase(m_rows.begin(), m_rows.begin() + std::ptrdiff_t(m_head));
        m_times.erase(m_times.begin(), m_times.begin() + std::ptrdiff_t(m_head));
        m_head = 0;
    }
    m_accountedFirst = first;
}

void TraceModel::insertFound(std::vector<quint64> found, std::vector<qint64> times)
{
    if (found.empty())
        return;
    // The batch in (time, id) order (ids come ascending, so a stable sort by time is enough).
    std::vector<std::size_t> order(found.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&times](std::size_t a, std::size_t b) { return times[a] < times[b]; });
    std::vector<quint64> ids(found.size());
    std::vector<qint64> stamps(found.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        ids[i] = found[order[i]];
        stamps[i] = times[order[i]];
    }
    // Late rows (older than the last row shown) go where their time puts them; the rest are appended.
    const bool empty = m_head == m_rows.size();
    const qint64 last = empty ? std::numeric_limits<qint64>::min() : m_times.back();
    const auto late = std::size_t(std::lower_bound(stamps.begin(), stamps.end(), last) - stamps.begin());
    if (late > 0) {
        std::vector<std::size_t> positions(late);
        std::size_t places = 0;
        for (std::size_t i = 0; i < late; ++i) {
            positions[i] = std::size_t(
                std::upper_bound(m_times.begin() + std::ptrdiff_t(m_head), m_times.end(), stamps[i]) -
                m_times.begin());
            places += (i == 0 || positions[i] != positions[i - 1]) ? 1 : 0;
        }
        if (places > 64) {
            // Many places (an old session imported into a live one): one merge and a reset.
            beginResetModel();
            std::vector<quint64> rows;
            std::vector<qint64> rowTimes;
            rows.reserve(m_rows.size() - m_head + ids.size());
            rowTimes.reserve(rows.capacity());
            std::size_t a = m_head;
            std::size_t b = 0;
            while (a < m_rows.size() || b < ids.size()) {
                const bool takeOld = b == ids.size() || (a < m_rows.size() && m_times[a] <= stamps[b]);
                rows.push_back(takeOld ? m_rows[a] : ids[b]);
                rowTimes.push_back(takeOld ? m_times[a++] : stamps[b++]);
            }
            m_rows = std::move(rows);
            m_times = std::move(rowTimes);
            m_head = 0;
            endResetModel();
            return;
        }
        // From the last place back, so the earlier places stay valid.
        std::size_t groupEnd = late;
        while (groupEnd > 0) {
            std::size_t groupStart = groupEnd - 1;
            while (groupStart > 0 && positions[groupStart - 1] == positions[groupEnd - 1])
                --groupStart;
            const std::size_t at = positions[groupStart];
            const int row = int(at - m_head);
            beginInsertRows({}, row, row + int(groupEnd - groupStart) - 1);
            m_rows.insert(m_rows.begin() + std::ptrdiff_t(at), ids.begin() + std::ptrdiff_t(groupStart),
                          ids.begin() + std::ptrdiff_t(groupEnd));
            m_times.insert(m_times.begin() + std::ptrdiff_t(at), stamps.begin() + std::ptrdiff_t(groupStart),
                           stamps.begin() + std::ptrdiff_t(groupEnd));
            endInsertRows();
            groupEnd = groupStart;
        }
    }
    if (late < ids.size()) {
        const int rows = rowCount();
        beginInsertRows({}, rows, rows + int(ids.size() - late) - 1);
        m_rows.insert(m_rows.end(), ids.begin() + std::ptrdiff_t(late), ids.end());
        m_times.insert(m_times.end(), stamps.begin() + std::ptrdiff_t(late), stamps.end());
        endInsertRows();
    }
}

void TraceModel::flush()
{
    m_sinceFlush.restart();
    if (!m_store)
        return;
    const quint64 first = m_store->firstId();

    // 1. Rows the cap evicted go first (rule 21).
    removeEvicted(first);
    m_scanned = std::max(m_scanned, first);
    // The evicted rows are gone from the view: the store may free them now.
    m_store->setReaderPin(first);
    // Merges of evicted console rows are forgotten (now and then: the table only grows with the rows).
    if (m_merged.size() > m_mergedPruneAt) {
        m_merged.removeIf([first](QHash<quint64, quint64>::iterator it) { return it.key() < first; });
        m_mergedPruneAt = std::max<qsizetype>(kMaxWaiting, m_merged.size() * 2);
    }

    // 2. Then the new rows, matched in one time-boxed slice.
    const quint64 end = m_store->endId();
    std::vector<quint64> found;
    std::vector<qint64> times;
    const auto budget = std::chrono::duration_cast<std::chrono::nanoseconds>(m_sliceBudget).count();
    const quint64 scanFrom = m_scanned;
    m_scanned = m_store->match(m_filter, m_scanned, end, &found, budget, &times);
    pairFound(scanFrom, m_scanned, &found, &times);
    const int rows = rowCount();
    const auto room = std::size_t(INT_MAX - rows);
    if (found.size() > room) {
        qCWarning(lcTrace) << "trace view is full; rows past INT_MAX are not shown";
        found.resize(room);
        times.resize(room);
    }
    insertFound(std::move(found), std::move(times));

    if (m_scanned < end) {
        m_flushTimer.start(0); // more of this slice's work: next event-loop turn
    } else if (m_rebuilding) {
        m_rebuilding = false;
        Q_EMIT filterApplied();
    }
}

} // namespace wps::trace
