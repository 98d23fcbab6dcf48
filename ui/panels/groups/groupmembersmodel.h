#pragma once

#include "service/serviceclient.h"

#include <QAbstractTableModel>
#include <QSet>

namespace wps::ui {

/// The members of one group as a table (connection id, user id), filled page by page: each "load more"
/// brings a longer prefix of the listing and only the members not seen yet are appended, so the rows the
/// user is looking at never move.
class GroupMembersModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ConnectionIdColumn, UserIdColumn, ColumnCount };

    explicit GroupMembersModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Empties the table and names the group it lists.
    void reset(const QString &group);
    /// Appends the members of \a members not in the table yet; returns how many were new.
    int append(const QList<wps::service::GroupMember> &members);
    QString group() const { return m_group; }
    const QList<wps::service::GroupMember> &members() const { return m_members; }

private:
    QString m_group;
    QList<wps::service::GroupMember> m_members;
    QSet<QString> m_known;
};

} // namespace wps::ui
