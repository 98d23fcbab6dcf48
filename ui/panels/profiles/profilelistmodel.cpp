#include "panels/profiles/profilelistmodel.h"

#include "profiles/profilestore.h"

#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

ProfileListModel::ProfileListModel(wps::profiles::ProfileStore *store, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
{
    if (m_store) {
        m_profiles = m_store->profiles();
        connect(m_store, &wps::profiles::ProfileStore::profilesChanged, this, [this] {
            if (m_reloadPending)
                return;
            m_reloadPending = true;
            QTimer::singleShot(0, this, [this] { reload(); });
        });
    }
}

void ProfileListModel::reload()
{
    m_reloadPending = false;
    beginResetModel();
    m_profiles = m_store ? m_store->profiles() : QList<wps::profiles::Profile>();
    endResetModel();
}

int ProfileListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_profiles.size());
}

QVariant ProfileListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const wps::profiles::Profile &p = m_profiles.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return p.name;
    case Qt::ToolTipRole:
        return p.isBuiltIn() ? tr("The local emulator, started on demand")
                             : p.endpoint.toString(QUrl::RemoveUserInfo);
    case IdRole:
        return p.id;
    case AuthKindRole:
        return wps::profiles::authKindName(p.auth);
    default:
        return {};
    }
}

int ProfileListModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles.at(i).id == id)
            return i;
    }
    return -1;
}

} // namespace wps::ui
