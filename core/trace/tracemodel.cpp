#include "trace/tracemodel.h"

#include "trace/tracelogging.h"
#include "trace/tracestore.h"

#include <QDateTime>

#include <algorithm>
#include <climits>

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

namespace {

constexpr int flushIntervalMs = 16; // <= 60 Hz
constexpr int summaryChars = 200;

QString oneLine(const QByteArray &payload, bool binary)
{
    if (binary) {
        const QByteArray head = payload.left(48).toHex(' ');
        return payload.size() > 48 ? QString::fromLatin1(head) + u" …"_s : QString::fromLatin1(head);
    }
    QString text =
        QString::fromUtf8(payload.constData(), std::min<qsizetype>(payload.size(), summaryChars * 4));
    if (text.size() > summaryChars)
        text = text.left(summaryChars) + u'…';
    for (QChar &c : text) {
        if (c.unicode() < 0x20)
            c = u' ';
    }
    return text;
}

} // namespace

TraceModel::TraceModel(TraceStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
    , m_textCache(20000)
{
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &TraceModel::flush);
    m_sinceFlush.start();
    if (m_store) {
        m_scanned = m_store->firstId();
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
    case SummaryColumn:
        return u"Summary"_s;
    default:
        return {};
    }
}

QString TraceModel::render(quint64 id, int column) const
{
    TraceRecordView r;
    if (!m_store || !m_store->record(id, &r, column == SummaryColumn))
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
    case SummaryColumn: {
        QString text = r.detail;
        if (!r.payload.isEmpty())
            text =
                text.isEmpty() ? oneLine(r.payload, r.binary) : text + u"  "_s + oneLine(r.payload, r.binary);
        if (r.truncated)
            text += u" [truncated, "_s + QString::number(r.size) + u" bytes]"_s;
        return text;
    }
    default:
        return {};
    }
}

QVariant TraceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const quint64 id = m_rows[m_head + std::size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole: {
        const quint64 key = id * ColumnCount + quint64(column);
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
        switch (column) {
        case TimeColumn:
            return r.timestampMs;
        case KindColumn:
            return int(r.kind);
        case DirectionColumn:
            return int(r.direction);
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
            return r.status;
        case SizeColumn:
            return r.size;
        case DurationColumn:
            return r.durationMs;
        case SummaryColumn:
            return r.detail;
        default:
            return {};
        }
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
    m_head = 0;
    m_scanned = m_store ? m_store->firstId() : 0;
    m_rebuilding = true;
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

void TraceModel::flush()
{
    m_sinceFlush.restart();
    if (!m_store)
        return;
    const quint64 first = m_store->firstId();

    // 1. Rows the cap evicted go first (rule 21).
    const auto begin = m_rows.begin() + std::ptrdiff_t(m_head);
    const auto evictedEnd = std::lower_bound(begin, m_rows.end(), first);
    const auto evicted = int(evictedEnd - begin);
    if (evicted > 0) {
        beginRemoveRows({}, 0, evicted - 1);
        m_head += std::size_t(evicted);
        // Evicted ids never come back: drop their cached text (all of it at once after a mass eviction).
        if (evicted > 256) {
            m_textCache.clear();
        } else {
            for (auto it = begin; it != evictedEnd; ++it) {
                for (int column = 0; column < ColumnCount; ++column)
                    m_textCache.remove(*it * ColumnCount + quint64(column));
            }
        }
        endRemoveRows();
        if (m_head > 4096 && m_head * 2 > m_rows.size()) {
            m_rows.erase(m_rows.begin(), m_rows.begin() + std::ptrdiff_t(m_head));
            m_head = 0;
        }
    }
    m_scanned = std::max(m_scanned, first);
    // The evicted rows are gone from the view: the store may free them now.
    m_store->setReaderPin(first);

    // 2. Then the new rows, matched in one time-boxed slice.
    const quint64 end = m_store->endId();
    std::vector<quint64> found;
    const auto budget = std::chrono::duration_cast<std::chrono::nanoseconds>(m_sliceBudget).count();
    m_scanned = m_store->match(m_filter, m_scanned, end, &found, budget);
    const int rows = rowCount();
    const auto room = std::size_t(INT_MAX - rows);
    if (found.size() > room) {
        qCWarning(lcTrace) << "trace view is full; rows past INT_MAX are not shown";
        found.resize(room);
    }
    if (!found.empty()) {
        beginInsertRows({}, rows, rows + int(found.size()) - 1);
        m_rows.insert(m_rows.end(), found.begin(), found.end());
        endInsertRows();
    }

    if (m_scanned < end) {
        m_flushTimer.start(0); // more of this slice's work: next event-loop turn
    } else if (m_rebuilding) {
        m_rebuilding = false;
        Q_EMIT filterApplied();
    }
}

} // namespace wps::trace
