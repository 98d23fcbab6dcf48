#include "panels/groups/groupmembersmodel.h"

namespace wps::ui {

GroupMembersModel::GroupMembersModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int GroupMembersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_members.size());
}

int GroupMembersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant GroupMembersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &member = m_members.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        if (index.column() == ConnectionIdColumn)
            return member.connectionId;
        return member.hasUser ? member.userId : tr("(no user)");
    }
    return {};
}

QVariant GroupMembersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    if (section == ConnectionIdColumn)
        return tr("Connection ID");
    if (section == UserIdColumn)
        return tr("User ID");
    return {};
}

void GroupMembersModel::reset(const QString &group)
{
    beginResetModel();
    m_group = group;
    m_members.clear();
    m_known.clear();
    endResetModel();
}

int GroupMembersModel::append(const QList<wps::service::GroupMember> &members)
{
    QList<wps::service::GroupMember> fresh;
    for (const auto &member : members) {
        if (!m_known.contains(member.connectionId)) {
            m_known.insert(member.connectionId);
            fresh.append(member);
        }
    }
    if (fresh.isEmpty())
        return 0;
    const int first = int(m_members.size());
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    m_members.append(fresh);
    endInsertRows();
    return int(fresh.size());
}

} // namespace wps::ui
