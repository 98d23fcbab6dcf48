#pragma once

#include "arm/armmodels.h"

#include <QAbstractListModel>
#include <QAbstractTableModel>
#include <QList>
#include <QString>
#include <QStringList>

namespace wps::ui {

/// The hubs of a profile: names the user worked with and those the service reports over ARM, the current
/// one marked. Updates are merged by name (rows are inserted, never reset) so a view keeps its selection.
class HubListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { NameRole = Qt::UserRole + 1, OnServiceRole, RememberedRole };

    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    /// Replaces which hubs the service reports; remembered ones stay.
    void setServiceHubs(const QStringList &hubs);
    void setCurrentHub(const QString &hub);
    QStringList names() const;
    int rowOf(const QString &hub) const;

private:
    struct Entry
    {
        QString name;
        bool remembered = false;
        bool onService = false;
    };
    int ensure(const QString &hub);
    void changed(int row);

    QList<Entry> m_entries;
    QString m_current;
};

/// The upstream event handlers of one hub, editable in a table: URL template, user event pattern and system
/// events (comma separated); the group presence column is a read-only summary, edited through
/// setGroupPresence() (the panel's PresenceEditor). Keeps each handler's raw JSON, so unknown fields survive
/// an edit.
class EventHandlerModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { UrlTemplate, UserEvents, SystemEvents, GroupPresence, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool insertRows(int row, int count, const QModelIndex &parent = {}) override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

    void setHandlers(const QList<wps::arm::EventHandler> &handlers);
    std::optional<wps::arm::GroupPresenceEvents> groupPresence(int row) const;
    /// Sets a handler's `groupPresenceEvents` (nullopt: absent); false for a bad row.
    bool setGroupPresence(int row, const std::optional<wps::arm::GroupPresenceEvents> &value);
    QList<wps::arm::EventHandler> handlers() const { return m_handlers; }

private:
    QList<wps::arm::EventHandler> m_handlers;
};

} // namespace wps::ui
