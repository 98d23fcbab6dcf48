#pragma once

#include "profiles/profile.h"
#include "service/connectionprobe.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QUrl>

namespace wps::profiles {
class ProfileStore;
}

namespace wps::ui {

/// The profiles of a ProfileStore for a list view: the built-in "Local emulator" first, then the user's
/// profiles. Follows ProfileStore::profilesChanged, coalescing bursts into one reset per event-loop turn.
class ProfileListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole + 1, AuthKindRole, StateRole };

    explicit ProfileListModel(wps::profiles::ProfileStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    /// The row of profile \a id, -1 when it is not listed.
    int rowOf(const QString &id) const;
    wps::profiles::Profile profileAt(int row) const { return m_profiles.value(row); }
    /// Reads the store now (the coalesced refresh calls this).
    void reload();
    /// The profile the session has open (\a id, empty for none) and its verified state, shown as a coloured
    /// mark, in StateRole ("Connected", "Unreachable", ...) and in the tooltip with \a reason.
    void setActive(const QString &id, wps::service::ConnectionHealth health, const QString &reason);
    /// The running local emulator's endpoint for the built-in profile's tooltip (empty when not running).
    void setLocalEndpoint(const QUrl &endpoint);

private:
    QPointer<wps::profiles::ProfileStore> m_store;
    QList<wps::profiles::Profile> m_profiles;
    bool m_reloadPending = false;
    QString m_activeId;
    wps::service::ConnectionHealth m_activeHealth = wps::service::ConnectionHealth::Unknown;
    QString m_activeReason;
    QUrl m_localEndpoint;
};

} // namespace wps::ui
