#pragma once

#include "live/liveclient.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <vector>

namespace wps::ui {

/// The console's own live clients as a table: one row per client, never a widget per client, and changes
/// (state, counters) coalesced into one dataChanged per 100 ms however busy the clients are, so a thousand
/// clients at a message a second each cost a repaint ten times a second.
class LiveClientsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Hub, User, Connection, Protocol, State, Groups, In, Out, LastEvent, ColumnCount };

    explicit LiveClientsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Adds \a client (owned by the caller, usually the panel) of hub \a hub as the last row.
    void add(wps::live::LiveClient *client, const QString &hub = {});
    /// Removes the rows of clients that are stopped (and deletes those clients).
    int removeStopped();
    wps::live::LiveClient *client(int row) const;
    /// The last lines of what \a row's client did (frames in/out, acks), oldest first.
    QStringList timeline(int row) const;
    /// Records an action's outcome for \a client (shown in LastEvent and the timeline).
    void note(wps::live::LiveClient *client, const QString &text);
    /// Counts per state, for the summary line.
    QString summary() const;

Q_SIGNALS:
    /// A client's timeline got a line (coalesced like the table).
    void timelineChanged();

private:
    struct Row
    {
        QPointer<wps::live::LiveClient> client;
        QString hub;
        qint64 in = 0;
        qint64 out = 0;
        QString last;
        QStringList timeline;
    };
    int rowOf(const wps::live::LiveClient *client) const;
    void touch();
    void addLine(Row &row, const QString &line);

    std::vector<Row> m_rows;
    QTimer m_coalesce;
    static constexpr int timelineLines = 200;
};

} // namespace wps::ui
