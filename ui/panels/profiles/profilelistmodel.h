#pragma once

#include "profiles/profile.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>

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
    enum Role { IdRole = Qt::UserRole + 1, AuthKindRole };

    explicit ProfileListModel(wps::profiles::ProfileStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    /// The row of profile \a id, -1 when it is not listed.
    int rowOf(const QString &id) const;
    wps::profiles::Profile profileAt(int row) const { return m_profiles.value(row); }
    /// Reads the store now (the coalesced refresh calls this).
    void reload();

private:
    QPointer<wps::profiles::ProfileStore> m_store;
    QList<wps::profiles::Profile> m_profiles;
    bool m_reloadPending = false;
};

} // namespace wps::ui
