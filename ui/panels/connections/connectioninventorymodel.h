#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QStringList>
#include <QTimer>

#include <vector>

namespace wps::trace {
class TraceStore;
struct TraceRecordView;
} // namespace wps::trace

namespace wps::ui {

/// The connections the console has seen, built from the trace alone: its own live clients (connected /
/// disconnected frames), list-in-group REST responses, and live-trace connectivity events. "Groups known"
/// grows from list-in-group results, own clients' acknowledged joins and successful REST adds, and shrinks
/// with acknowledged leaves and REST removals. The store is read
/// incrementally (only records appended since the last pass, a bounded number per pass) and updates are
/// coalesced into one insert and one dataChanged per pass, so it stays cheap with millions of trace records
/// and many thousand connections.
class ConnectionInventoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ConnectionId, Hub, User, Groups, State, Source, FirstSeen, LastSeen, ColumnCount };
    enum SourceFlag { OwnClient = 1, ListInGroup = 2, LiveTrace = 4 };
    enum class ConnState { Unknown, Connected, Disconnected };

    struct Entry
    {
        QString connectionId;
        QString hub;
        QString userId;
        QStringList groups;
        ConnState state = ConnState::Unknown;
        int sources = 0;
        qint64 firstSeenMs = 0;
        qint64 lastSeenMs = 0;
    };

    explicit ConnectionInventoryModel(wps::trace::TraceStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const Entry &entry(int row) const { return m_entries.at(static_cast<size_t>(row)); }
    /// The row of \a connectionId, or -1.
    int rowOf(const QString &connectionId) const { return m_rows.value(connectionId, -1); }
    /// Reads every record appended since the last pass now (tests, and the panel's Refresh).
    void catchUp();
    /// Marks \a connectionId as seen now in \a state (the panel's own actions: close, exists).
    void observe(const QString &connectionId, ConnState state);

    static QString sourceText(int sources);

private:
    void schedule();
    /// One bounded pass over new records; returns true when more are waiting.
    bool pass(quint64 budget);
    Entry &touch(const QString &connectionId, qint64 timestampMs, int source, const QString &hub = {});
    void consume(const wps::trace::TraceRecordView &record, std::vector<quint64> *listResponses);
    void flush();
    /// An own client's join or leave the service confirmed.
    struct GroupOp
    {
        QString connectionId;
        QString group;
        bool leave = false;
    };
    void applyGroupOp(const GroupOp &op, qint64 timestampMs, const QString &hub);

    wps::trace::TraceStore *m_store = nullptr;
    quint64 m_next = 0;
    std::vector<Entry> m_entries;
    QHash<QString, int> m_rows;
    QHash<QString, GroupOp> m_groupOps; ///< ack correlation -> the join or leave waiting for its ack
    int m_committedRows = 0;            ///< rows the views know about
    int m_changedFirst = -1;
    int m_changedLast = -1;
    QTimer m_timer;
};

} // namespace wps::ui
