#include "panels/connections/connectioninventorymodel.h"

#include "trace/tracestore.h"
#include "trace/tracesummary.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {
constexpr quint64 kPassBudget = 200'000; ///< records read per pass before yielding to the event loop
constexpr int kCoalesceMs = 100;

QString timeText(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(u"HH:mm:ss.zzz"_s) : QString();
}
} // namespace

ConnectionInventoryModel::ConnectionInventoryModel(wps::trace::TraceStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kCoalesceMs);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (pass(kPassBudget))
            schedule();
    });
    if (m_store) {
        connect(m_store, &wps::trace::TraceStore::changed, this, [this] { schedule(); });
        schedule();
    }
}

void ConnectionInventoryModel::schedule()
{
    if (!m_timer.isActive())
        m_timer.start();
}

void ConnectionInventoryModel::catchUp()
{
    m_timer.stop();
    for (int i = 0; i < 1000 && pass(kPassBudget); ++i) {
    }
}

bool ConnectionInventoryModel::pass(quint64 budget)
{
    if (!m_store)
        return false;
    const quint64 from = qMax(m_next, m_store->firstId());
    const quint64 end = m_store->endId();
    const quint64 to = qMin(end, from + budget);
    std::vector<quint64> listResponses; // and connected frames without a user
    m_store->forEach(
        from, to,
        [this, &listResponses](const wps::trace::TraceRecordView &r) { consume(r, &listResponses); }, false);
    m_next = to;
    // List responses need their body: read them outside forEach (which holds the store's lock).
    for (quint64 id : listResponses) {
        wps::trace::TraceRecordView record;
        if (!m_store->record(id, &record, true))
            continue;
        if (record.kind == wps::trace::Kind::Frame && record.type == u"ack"_s) {
            const GroupOp op = m_groupOps.take(record.correlation);
            // A failed ack is an error row (a Duplicate is not: it was done before).
            if (!wps::trace::isErrorRecord(record) && !op.connectionId.isEmpty())
                applyGroupOp(op, record.timestampMs, record.hub);
            continue;
        }
        if (record.kind != wps::trace::Kind::Http) {
            // A `connected` frame of an own client whose user was not known yet: the frame names it.
            const QJsonObject frame = QJsonDocument::fromJson(record.payload).object();
            const QString user = frame.value(u"userId"_s).toString();
            const int row = m_rows.value(record.connectionId, -1);
            if (row >= 0 && !user.isEmpty() && m_entries[static_cast<size_t>(row)].userId.isEmpty())
                touch(record.connectionId, record.timestampMs, 0, record.hub).userId = user;
            continue;
        }
        const qsizetype bodyAt = record.payload.indexOf("\r\n\r\n");
        const QJsonObject body =
            QJsonDocument::fromJson(bodyAt < 0 ? QByteArray() : record.payload.mid(bodyAt + 4)).object();
        const QJsonArray members = body.value(u"value"_s).toArray();
        for (const QJsonValue &member : members) {
            const QJsonObject object = member.toObject();
            const QString connectionId = object.value(u"connectionId"_s).toString();
            if (connectionId.isEmpty())
                continue;
            Entry &e = touch(connectionId, record.timestampMs, ListInGroup, record.hub);
            if (e.userId.isEmpty())
                e.userId = object.value(u"userId"_s).toString();
            if (!record.group.isEmpty() && !e.groups.contains(record.group))
                e.groups << record.group;
        }
    }
    flush();
    return to < end;
}

void ConnectionInventoryModel::consume(const wps::trace::TraceRecordView &r,
                                       std::vector<quint64> *listResponses)
{
    using wps::trace::Kind;
    if (r.kind == Kind::Http) {
        if (r.direction != wps::trace::Direction::In || r.status < 200 || r.status >= 300)
            return;
        if (r.status == 200 && r.type == u"listConnectionsInGroup"_s) {
            listResponses->push_back(r.id);
        } else if (!r.connectionId.isEmpty() && m_rows.contains(r.connectionId)) {
            // The service confirmed a REST change of a known connection's groups.
            if (r.type == u"addConnectionToGroup"_s && !r.group.isEmpty()) {
                Entry &e = touch(r.connectionId, r.timestampMs, 0, r.hub);
                if (!e.groups.contains(r.group))
                    e.groups << r.group;
            } else if (r.type == u"removeConnectionFromGroup"_s && !r.group.isEmpty()) {
                touch(r.connectionId, r.timestampMs, 0, r.hub).groups.removeAll(r.group);
            } else if (r.type == u"removeConnectionFromAllGroups"_s) {
                touch(r.connectionId, r.timestampMs, 0, r.hub).groups.clear();
            }
        }
        return;
    }
    if (r.connectionId.isEmpty())
        return;
    const bool liveTrace = r.type.startsWith(u"Connection"_s);
    if (r.kind == Kind::Lifecycle && liveTrace) {
        Entry &e = touch(r.connectionId, r.timestampMs, LiveTrace, r.hub);
        if (!r.userId.isEmpty())
            e.userId = r.userId;
        if (r.type == u"ConnectionConnected"_s || r.type == u"ConnectionRecovered"_s)
            e.state = ConnState::Connected;
        else if (r.type == u"ConnectionDisconnected"_s)
            e.state = ConnState::Disconnected;
        return;
    }
    if (r.type == u"connected"_s && r.direction != wps::trace::Direction::Out) {
        Entry &e = touch(r.connectionId, r.timestampMs, OwnClient, r.hub);
        if (!r.userId.isEmpty())
            e.userId = r.userId;
        else if (r.kind == Kind::Frame && e.userId.isEmpty())
            listResponses->push_back(r.id);
        e.state = ConnState::Connected;
    } else if (r.type == u"disconnected"_s || (r.kind == Kind::Lifecycle && r.type == u"close"_s)) {
        const int row = m_rows.value(r.connectionId, -1);
        if (row < 0)
            return;
        Entry &e = touch(r.connectionId, r.timestampMs, OwnClient, r.hub);
        e.state = ConnState::Disconnected;
    } else if (r.kind == Kind::Frame && r.direction == wps::trace::Direction::Out && !r.group.isEmpty() &&
               (r.type == u"joinGroup"_s || r.type == u"leaveGroup"_s)) {
        // An own client's join or leave counts once the service acknowledged it (the ack row with the
        // same correlation); one sent without an ackId counts at once.
        if (!m_rows.contains(r.connectionId))
            return;
        const GroupOp op{r.connectionId, r.group, r.type == u"leaveGroup"_s};
        if (r.correlation.startsWith(u"ack:"_s)) {
            if (m_groupOps.size() > 10'000)
                m_groupOps.clear(); // acks that never came: forget them rather than grow
            m_groupOps.insert(r.correlation, op);
        } else {
            applyGroupOp(op, r.timestampMs, r.hub);
        }
    } else if (r.kind == Kind::Frame && r.direction == wps::trace::Direction::In && r.type == u"ack"_s &&
               m_groupOps.contains(r.correlation)) {
        listResponses->push_back(r.id); // read with its payload: did it succeed?
    }
}

ConnectionInventoryModel::Entry &ConnectionInventoryModel::touch(const QString &connectionId,
                                                                 qint64 timestampMs, int source,
                                                                 const QString &hub)
{
    int row = m_rows.value(connectionId, -1);
    if (row < 0) {
        row = static_cast<int>(m_entries.size());
        Entry entry;
        entry.connectionId = connectionId;
        entry.firstSeenMs = timestampMs;
        m_entries.push_back(entry);
        m_rows.insert(connectionId, row);
    } else if (row < m_committedRows) {
        m_changedFirst = m_changedFirst < 0 ? row : qMin(m_changedFirst, row);
        m_changedLast = qMax(m_changedLast, row);
    }
    Entry &e = m_entries[static_cast<size_t>(row)];
    // A connection id belongs to one hub: the first record that names it says which.
    if (e.hub.isEmpty() && !hub.isEmpty())
        e.hub = hub;
    e.sources |= source;
    e.lastSeenMs = qMax(e.lastSeenMs, timestampMs);
    if (e.firstSeenMs == 0 || (timestampMs > 0 && timestampMs < e.firstSeenMs))
        e.firstSeenMs = timestampMs;
    return e;
}

void ConnectionInventoryModel::applyGroupOp(const GroupOp &op, qint64 timestampMs, const QString &hub)
{
    if (!m_rows.contains(op.connectionId))
        return;
    Entry &e = touch(op.connectionId, timestampMs, 0, hub);
    if (op.leave)
        e.groups.removeAll(op.group);
    else if (!e.groups.contains(op.group))
        e.groups << op.group;
}

void ConnectionInventoryModel::observe(const QString &connectionId, ConnState state)
{
    if (connectionId.isEmpty())
        return;
    Entry &e = touch(connectionId, QDateTime::currentMSecsSinceEpoch(), 0);
    e.state = state;
    flush();
}

void ConnectionInventoryModel::flush()
{
    if (m_changedFirst >= 0) {
        Q_EMIT dataChanged(index(m_changedFirst, 0), index(m_changedLast, ColumnCount - 1));
        m_changedFirst = m_changedLast = -1;
    }
    const int total = static_cast<int>(m_entries.size());
    if (total > m_committedRows) {
        // The entries are already stored; rowCount() reports only committed rows until endInsertRows.
        beginInsertRows({}, m_committedRows, total - 1);
        m_committedRows = total;
        endInsertRows();
    }
}

int ConnectionInventoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_committedRows;
}

int ConnectionInventoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ConnectionInventoryModel::sourceText(int sources)
{
    QStringList parts;
    if (sources & OwnClient)
        parts << tr("own client");
    if (sources & ListInGroup)
        parts << tr("list in group");
    if (sources & LiveTrace)
        parts << tr("live trace");
    return parts.join(u", "_s);
}

QVariant ConnectionInventoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_entries.at(static_cast<size_t>(index.row()));
    if (role == Qt::UserRole)
        return e.connectionId;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case ConnectionId:
        return e.connectionId;
    case Hub:
        return e.hub;
    case User:
        return e.userId;
    case Groups:
        return e.groups.join(u", "_s);
    case State:
        return e.state == ConnState::Connected      ? tr("connected")
               : e.state == ConnState::Disconnected ? tr("disconnected")
                                                    : tr("unknown");
    case Source:
        return sourceText(e.sources);
    case FirstSeen:
        return timeText(e.firstSeenMs);
    case LastSeen:
        return timeText(e.lastSeenMs);
    default:
        return {};
    }
}

QVariant ConnectionInventoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ConnectionId:
        return tr("Connection");
    case Hub:
        return tr("Hub");
    case User:
        return tr("User");
    case Groups:
        return tr("Groups known");
    case State:
        return tr("State");
    case Source:
        return tr("Source");
    case FirstSeen:
        return tr("First seen");
    case LastSeen:
        return tr("Last seen");
    default:
        return {};
    }
}

} // namespace wps::ui
