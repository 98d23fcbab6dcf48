#include "panels/hubs/hubmodels.h"

#include "panels/hubs/presenceeditor.h"

#include <QFont>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

int HubListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant HubListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (e.name == m_current)
            return tr("%1 (current)").arg(e.name);
        return e.name;
    case Qt::ToolTipRole:
        if (e.onService)
            return tr("Configured on the service");
        return tr("Used before; no settings on the service (defaults apply)");
    case Qt::FontRole:
        if (e.name == m_current) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case NameRole:
        return e.name;
    case OnServiceRole:
        return e.onService;
    case RememberedRole:
        return e.remembered;
    default:
        return {};
    }
}

int HubListModel::rowOf(const QString &hub) const
{
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).name == hub)
            return i;
    }
    return -1;
}

int HubListModel::ensure(const QString &hub)
{
    int row = rowOf(hub);
    if (row >= 0)
        return row;
    // Sorted by name, so the list reads the same however the names arrived.
    row = 0;
    while (row < m_entries.size() && m_entries.at(row).name.compare(hub, Qt::CaseInsensitive) < 0)
        ++row;
    beginInsertRows({}, row, row);
    m_entries.insert(row, Entry{hub, false, false});
    endInsertRows();
    return row;
}

void HubListModel::changed(int row)
{
    const QModelIndex i = index(row, 0);
    Q_EMIT dataChanged(i, i);
}

void HubListModel::setServiceHubs(const QStringList &hubs)
{
    for (int row = 0; row < m_entries.size(); ++row) {
        const bool on = hubs.contains(m_entries.at(row).name);
        if (m_entries.at(row).onService != on) {
            m_entries[row].onService = on;
            changed(row);
        }
    }
    for (const QString &hub : hubs) {
        const int row = ensure(hub);
        if (!m_entries[row].onService) {
            m_entries[row].onService = true;
            changed(row);
        }
    }
}

void HubListModel::setCurrentHub(const QString &hub)
{
    const int old = rowOf(m_current);
    m_current = hub;
    if (old >= 0)
        changed(old);
    if (!hub.isEmpty()) {
        const int row = ensure(hub);
        m_entries[row].remembered = true;
        changed(row);
    }
}

QStringList HubListModel::names() const
{
    QStringList out;
    for (const Entry &e : m_entries)
        out.append(e.name);
    return out;
}

int EventHandlerModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_handlers.size());
}

int EventHandlerModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventHandlerModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    const wps::arm::EventHandler &h = m_handlers.at(index.row());
    switch (index.column()) {
    case UrlTemplate:
        return h.urlTemplate;
    case UserEvents:
        return h.userEventPattern;
    case SystemEvents:
        return h.systemEvents.join(u", "_s);
    case GroupPresence:
        return PresenceEditor::summary(h.groupPresenceEvents);
    default:
        return {};
    }
}

bool EventHandlerModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    wps::arm::EventHandler &h = m_handlers[index.row()];
    const QString text = value.toString().trimmed();
    switch (index.column()) {
    case UrlTemplate:
        h.urlTemplate = text;
        break;
    case UserEvents:
        h.userEventPattern = text;
        break;
    case SystemEvents: {
        QStringList events;
        const QStringList parts = text.split(u',', Qt::SkipEmptyParts);
        for (const QString &part : parts) {
            if (!part.trimmed().isEmpty())
                events.append(part.trimmed().toLower());
        }
        h.systemEvents = events;
        break;
    }
    default:
        return false;
    }
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    return true;
}

Qt::ItemFlags EventHandlerModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (index.column() == GroupPresence)
        return Qt::ItemIsSelectable | Qt::ItemIsEnabled;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable;
}

QVariant EventHandlerModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case UrlTemplate:
        return tr("URL template");
    case UserEvents:
        return tr("User events");
    case SystemEvents:
        return tr("System events");
    case GroupPresence:
        return tr("Group presence");
    default:
        return {};
    }
}

bool EventHandlerModel::insertRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || row > m_handlers.size() || count < 1)
        return false;
    beginInsertRows(parent, row, row + count - 1);
    for (int i = 0; i < count; ++i)
        m_handlers.insert(row, wps::arm::EventHandler{});
    endInsertRows();
    return true;
}

bool EventHandlerModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count < 1 || row + count > m_handlers.size())
        return false;
    beginRemoveRows(parent, row, row + count - 1);
    m_handlers.remove(row, count);
    endRemoveRows();
    return true;
}

void EventHandlerModel::setHandlers(const QList<wps::arm::EventHandler> &handlers)
{
    beginResetModel();
    m_handlers = handlers;
    endResetModel();
}

std::optional<wps::arm::GroupPresenceEvents> EventHandlerModel::groupPresence(int row) const
{
    if (row < 0 || row >= m_handlers.size())
        return std::nullopt;
    return m_handlers.at(row).groupPresenceEvents;
}

bool EventHandlerModel::setGroupPresence(int row, const std::optional<wps::arm::GroupPresenceEvents> &value)
{
    if (row < 0 || row >= m_handlers.size())
        return false;
    m_handlers[row].groupPresenceEvents = value;
    const QModelIndex cell = index(row, GroupPresence);
    Q_EMIT dataChanged(cell, cell, {Qt::DisplayRole, Qt::EditRole});
    return true;
}

} // namespace wps::ui
