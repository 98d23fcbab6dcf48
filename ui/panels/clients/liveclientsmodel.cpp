#include "panels/clients/liveclientsmodel.h"

#include <QTime>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

LiveClientsModel::LiveClientsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(100);
    connect(&m_coalesce, &QTimer::timeout, this, [this] {
        if (!m_rows.empty())
            Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
        Q_EMIT timelineChanged();
    });
}

int LiveClientsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LiveClientsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LiveClientsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const Row &row = m_rows[std::size_t(index.row())];
    const wps::live::LiveClient *c = row.client;
    if (role == Qt::ToolTipRole) {
        // The whole reason a client stopped, where the cell may cut it.
        if (c && index.column() == State && c->state() == wps::live::State::Stopped &&
            !c->lastReason().isEmpty())
            return tr("Stopped: %1").arg(c->lastReason());
        return index.column() == LastEvent ? QVariant(row.last) : QVariant();
    }
    if (!c)
        return index.column() == State ? QVariant(tr("deleted")) : QVariant();
    switch (index.column()) {
    case Name:
        return c->name();
    case Hub:
        return row.hub;
    case User:
        return c->userId();
    case Connection:
        return c->connectionId();
    case Protocol: {
        const QString name = wps::live::subprotocolName(c->subprotocol());
        return name.isEmpty() ? tr("raw") : QString(name).remove(u".webpubsub.azure.v1"_s);
    }
    case State: {
        QString state = wps::live::stateName(c->state());
        if (c->state() == wps::live::State::Stopped) {
            // A stopped client says why (a refused handshake, the service's close, the user).
            if (!c->lastReason().isEmpty())
                state += u" — "_s + c->lastReason();
            return state;
        }
        if (wps::live::isReliable(c->subprotocol()) && c->lastSequenceId() > 0)
            state += tr(" · seq %1").arg(c->lastSequenceId());
        return state;
    }
    case Groups:
        return c->joinedGroups().join(u", "_s);
    case In:
        return row.in;
    case Out:
        return row.out;
    case LastEvent:
        return row.last;
    default:
        return {};
    }
}

QVariant LiveClientsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {QT_TR_NOOP("Name"),       QT_TR_NOOP("Hub"),      QT_TR_NOOP("User"),
                                        QT_TR_NOOP("Connection"), QT_TR_NOOP("Protocol"), QT_TR_NOOP("State"),
                                        QT_TR_NOOP("Groups"),     QT_TR_NOOP("In"),       QT_TR_NOOP("Out"),
                                        QT_TR_NOOP("Last event")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

void LiveClientsModel::add(wps::live::LiveClient *client, const QString &hub)
{
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at);
    m_rows.push_back(Row{client, hub, 0, 0, {}, {}});
    endInsertRows();
    connect(client, &wps::live::LiveClient::frameObserved, this,
            [this, client](const wps::live::FrameRecord &f) {
                const int r = rowOf(client);
                if (r < 0)
                    return;
                Row &row = m_rows[std::size_t(r)];
                const bool in = f.direction == wps::live::FrameRecord::Direction::In;
                if (f.direction == wps::live::FrameRecord::Direction::In)
                    ++row.in;
                else if (f.direction == wps::live::FrameRecord::Direction::Out)
                    ++row.out;
                addLine(row, (in                                                      ? u"← "_s
                              : f.direction == wps::live::FrameRecord::Direction::Out ? u"→ "_s
                                                                                      : u"· "_s) +
                                 f.type + u"  "_s +
                                 (f.detail.isEmpty() ? QString::fromUtf8(f.preview.left(160)) : f.detail));
            });
    connect(client, &wps::live::LiveClient::stateChanged, this, [this, client](wps::live::State state) {
        if (const int r = rowOf(client); r >= 0)
            addLine(m_rows[std::size_t(r)], tr("state: %1").arg(wps::live::stateName(state)));
    });
    connect(client, &wps::live::LiveClient::disconnected, this,
            [this, client](const QString &message) { note(client, tr("disconnected: %1").arg(message)); });
}

void LiveClientsModel::addLine(Row &row, const QString &line)
{
    row.last = line;
    row.timeline.append(QTime::currentTime().toString(u"HH:mm:ss.zzz"_s) + u"  "_s + line);
    if (row.timeline.size() > timelineLines)
        row.timeline.removeFirst();
    touch();
}

void LiveClientsModel::note(wps::live::LiveClient *client, const QString &text)
{
    if (const int r = rowOf(client); r >= 0)
        addLine(m_rows[std::size_t(r)], text);
}

void LiveClientsModel::touch()
{
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

int LiveClientsModel::rowOf(const wps::live::LiveClient *client) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].client == client)
            return int(i);
    }
    return -1;
}

int LiveClientsModel::removeStopped()
{
    int removed = 0;
    for (int r = int(m_rows.size()) - 1; r >= 0; --r) {
        wps::live::LiveClient *c = m_rows[std::size_t(r)].client;
        if (c && c->state() != wps::live::State::Stopped)
            continue;
        beginRemoveRows({}, r, r);
        m_rows.erase(m_rows.begin() + r);
        endRemoveRows();
        if (c)
            c->deleteLater();
        ++removed;
    }
    return removed;
}

wps::live::LiveClient *LiveClientsModel::client(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[std::size_t(row)].client.data() : nullptr;
}

QStringList LiveClientsModel::timeline(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[std::size_t(row)].timeline : QStringList();
}

QString LiveClientsModel::summary() const
{
    int counts[6] = {};
    for (const Row &row : m_rows) {
        if (row.client)
            ++counts[int(row.client->state())];
    }
    return tr("%n client(s): %1 connected, %2 connecting, %3 recovering, %4 reconnecting, %5 stopped",
              nullptr, int(m_rows.size()))
        .arg(counts[int(wps::live::State::Connected)])
        .arg(counts[int(wps::live::State::Connecting)] + counts[int(wps::live::State::Disconnected)])
        .arg(counts[int(wps::live::State::Recovering)])
        .arg(counts[int(wps::live::State::Reconnecting)])
        .arg(counts[int(wps::live::State::Stopped)]);
}

} // namespace wps::ui
