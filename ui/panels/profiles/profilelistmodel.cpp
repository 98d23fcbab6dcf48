#include "panels/profiles/profilelistmodel.h"

#include "profiles/profilestore.h"

#include <QColor>
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
    case Qt::ToolTipRole: {
        QString tip = p.isBuiltIn() ? (m_localEndpoint.isEmpty()
                                           ? tr("The local emulator, started on demand")
                                           : tr("The local emulator at %1").arg(m_localEndpoint.toString()))
                                    : p.endpoint.toString(QUrl::RemoveUserInfo);
        if (p.id == m_activeId && !m_activeId.isEmpty()) {
            tip += u'\n' + wps::service::healthName(m_activeHealth);
            if (!m_activeReason.isEmpty())
                tip += u": "_s + m_activeReason;
        }
        return tip;
    }
    case Qt::DecorationRole: {
        if (p.id != m_activeId || m_activeId.isEmpty())
            return {};
        switch (m_activeHealth) {
        case wps::service::ConnectionHealth::Connected:
            return QColor(u"#2e9d3a"_s);
        case wps::service::ConnectionHealth::Unreachable:
        case wps::service::ConnectionHealth::Unauthorized:
        case wps::service::ConnectionHealth::Misconfigured:
            return QColor(u"#d13438"_s);
        case wps::service::ConnectionHealth::Connecting:
        case wps::service::ConnectionHealth::Unknown:
            return QColor(Qt::gray);
        }
        return {};
    }
    case StateRole:
        return p.id == m_activeId && !m_activeId.isEmpty() ? wps::service::healthName(m_activeHealth)
                                                           : QString();
    case IdRole:
        return p.id;
    case AuthKindRole:
        return wps::profiles::authKindName(p.auth);
    default:
        return {};
    }
}

void ProfileListModel::setActive(const QString &id, wps::service::ConnectionHealth health,
                                 const QString &reason)
{
    if (id == m_activeId && health == m_activeHealth && reason == m_activeReason)
        return;
    m_activeId = id;
    m_activeHealth = health;
    m_activeReason = reason;
    if (!m_profiles.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, 0));
}

void ProfileListModel::setLocalEndpoint(const QUrl &endpoint)
{
    if (endpoint == m_localEndpoint)
        return;
    m_localEndpoint = endpoint;
    if (!m_profiles.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, 0));
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
