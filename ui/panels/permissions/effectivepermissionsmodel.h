#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace wps::ui {

/// What the console knows about the permissions of connections: the roles their tokens carried and the
/// grants, revokes and checks made from the Permissions panel, one fact per row with where it came from and
/// when. Facts are appended (a later fact about the same permission and group supersedes earlier ones in
/// effect(), but every fact stays visible as history).
class EffectivePermissionsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Connection, Permission, Group, Effect, Source, When, ColumnCount };

    struct Fact
    {
        QString connectionId;
        QString permission; ///< joinLeaveGroup / sendToGroup, or a role as the token names it
        QString group;      ///< empty: every group
        bool allowed = false;
        QString source; ///< "token role", "grant", "revoke", "check", ...
        QDateTime when;
    };

    explicit EffectivePermissionsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void addFact(const Fact &fact);
    /// One fact per role of \a roles (webpubsub.joinLeaveGroup[.group], webpubsub.sendToGroup[.group], or
    /// any other role as it is) for \a connectionId, from \a source.
    void addTokenRoles(const QString &connectionId, const QStringList &roles, const QString &source);
    const QList<Fact> &facts() const { return m_facts; }
    /// The latest fact about \a permission in \a group for \a connectionId (a group-less fact covers every
    /// group); nullptr when nothing is known.
    const Fact *effect(const QString &connectionId, const QString &permission, const QString &group) const;

private:
    QList<Fact> m_facts;
};

} // namespace wps::ui
