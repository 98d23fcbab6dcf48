#include "panels/permissions/effectivepermissionsmodel.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

EffectivePermissionsModel::EffectivePermissionsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int EffectivePermissionsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_facts.size());
}

int EffectivePermissionsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EffectivePermissionsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Fact &fact = m_facts.at(index.row());
    if (role == Qt::UserRole)
        return fact.connectionId;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Connection:
        return fact.connectionId;
    case Permission:
        return fact.permission;
    case Group:
        return fact.group.isEmpty() ? tr("(every group)") : fact.group;
    case Effect:
        return fact.allowed ? tr("allowed") : tr("not allowed");
    case Source:
        return fact.source;
    case When:
        return fact.when.toLocalTime().toString(u"HH:mm:ss"_s);
    default:
        return {};
    }
}

QVariant EffectivePermissionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Connection:
        return tr("Connection");
    case Permission:
        return tr("Permission");
    case Group:
        return tr("Group");
    case Effect:
        return tr("Effect");
    case Source:
        return tr("Source");
    case When:
        return tr("When");
    default:
        return {};
    }
}

void EffectivePermissionsModel::addFact(const Fact &fact)
{
    const int row = static_cast<int>(m_facts.size());
    beginInsertRows({}, row, row);
    m_facts.append(fact);
    if (!m_facts.last().when.isValid())
        m_facts.last().when = QDateTime::currentDateTimeUtc();
    endInsertRows();
}

void EffectivePermissionsModel::addTokenRoles(const QString &connectionId, const QStringList &roles,
                                              const QString &source)
{
    if (roles.isEmpty())
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const int first = static_cast<int>(m_facts.size());
    beginInsertRows({}, first, first + static_cast<int>(roles.size()) - 1);
    for (const QString &role : roles) {
        Fact fact;
        fact.connectionId = connectionId;
        fact.allowed = true;
        fact.source = source;
        fact.when = now;
        fact.permission = role;
        for (const QString &name : {u"joinLeaveGroup"_s, u"sendToGroup"_s}) {
            const QString prefix = u"webpubsub."_s + name;
            if (role == prefix) {
                fact.permission = name;
            } else if (role.startsWith(prefix + u'.')) {
                fact.permission = name;
                fact.group = role.mid(prefix.size() + 1);
            }
        }
        m_facts.append(fact);
    }
    endInsertRows();
}

const EffectivePermissionsModel::Fact *EffectivePermissionsModel::effect(const QString &connectionId,
                                                                         const QString &permission,
                                                                         const QString &group) const
{
    for (qsizetype i = m_facts.size() - 1; i >= 0; --i) {
        const Fact &fact = m_facts.at(i);
        if (fact.connectionId == connectionId && fact.permission == permission &&
            (fact.group == group || fact.group.isEmpty()))
            return &fact;
    }
    return nullptr;
}

} // namespace wps::ui
