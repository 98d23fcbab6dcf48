#pragma once

#include "arm/armclient.h"
#include "arm/armmodels.h"
#include "arm/hubdirectory.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QGroupBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QTableView;

namespace wps::ui {

class ConsoleSession;
class EventHandlerModel;
class HandlerCheckBox;
class HubListModel;
class JobAction;
class PresenceEditor;

/// Panel 2 of the console window: the hubs of the connected service. Lists the hubs the user worked with and
/// those the service reports over ARM, switches the session's hub, probes health, and edits a hub's settings
/// (anonymous policy, event handlers) and the resource's keys. A view over the session's
/// wps::arm::HubDirectory, which holds the ARM workflow (credential, resource discovery, the calls); every
/// call's outcome is shown by a JobAction.
class HubsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit HubsPanel(ConsoleSession *session, QWidget *parent = nullptr);
    ~HubsPanel() override;

    /// The ARM id of the session's Web PubSub resource; empty until discovery found it.
    QString resourceId() const;
    /// Overrides the ArmClient options (tests shrink timeouts); the base URL is still chosen by the panel.
    void setArmOptions(const wps::arm::ArmClientOptions &options);
    /// Probes health and (re)discovers the resource and its hubs.
    void refresh();
    /// The "Validate handler" section (abuse-protection check of any handler URL).
    HandlerCheckBox *handlerCheck() const { return m_handlerCheck; }

Q_SIGNALS:
    /// Discovery and the hub listing finished (\a error empty on success).
    void hubsLoaded(const QString &error);
    /// A hub's settings were loaded into the editor or saved (\a error empty on success).
    void settingsLoaded(const QString &hub, const QString &error);
    void settingsSaved(const QString &hub, const QString &error);

private:
    /// Creates the widgets and lays them out: the status row, the hub list, and the settings and keys boxes.
    void buildUi();
    QHBoxLayout *buildStatusRow();
    QGroupBox *buildHubsBox();
    QGroupBox *buildSettingsBox();
    QGroupBox *buildKeysBox();
    /// The event-handler table's connections: validate-handler URL, presence editor, add and remove rows.
    void wireHandlerEditing();
    /// The buttons' and the list's connections, the job actions, and the session's and directory's signals.
    void wire();
    void onConnectionChanged();
    void onDirectoryState(wps::arm::HubDirectory::State state, const QString &text);
    void showServiceHubs();
    void loadSettings(const QString &hub);
    void saveSettings();
    void loadKeys();
    void regenerate(wps::arm::KeyType type);
    void showKeys();
    void useHub(const QString &hub);
    QString selectedHub() const;

    QPointer<ConsoleSession> m_session;
    QPointer<wps::arm::HubDirectory> m_directory;
    HubListModel *m_hubs = nullptr;
    EventHandlerModel *m_handlers = nullptr;
    QString m_editedHub;
    wps::arm::AccessKeys m_keys;
    bool m_haveKeys = false;

    QLabel *m_connection = nullptr;
    QLabel *m_health = nullptr;
    QLabel *m_armStatus = nullptr;
    QListView *m_list = nullptr;
    QLineEdit *m_newHub = nullptr;
    QPushButton *m_use = nullptr;
    QPushButton *m_refresh = nullptr;
    QLabel *m_settingsTitle = nullptr;
    QCheckBox *m_anonymous = nullptr;
    QTableView *m_handlerView = nullptr;
    QPushButton *m_addHandler = nullptr;
    QPushButton *m_removeHandler = nullptr;
    QPushButton *m_save = nullptr;
    QLabel *m_settingsStatus = nullptr;
    QLabel *m_primaryKey = nullptr;
    QLabel *m_secondaryKey = nullptr;
    QCheckBox *m_reveal = nullptr;
    QPushButton *m_loadKeys = nullptr;
    QPushButton *m_regenPrimary = nullptr;
    QPushButton *m_regenSecondary = nullptr;
    QLabel *m_keysStatus = nullptr;
    QLabel *m_keyInUse = nullptr; ///< which key the current profile's connection uses
    JobAction *m_healthAction = nullptr;
    JobAction *m_settingsAction = nullptr;
    JobAction *m_saveAction = nullptr;
    JobAction *m_keysAction = nullptr;
    JobAction *m_regenAction = nullptr;
    HandlerCheckBox *m_handlerCheck = nullptr;
    PresenceEditor *m_presence = nullptr; ///< groupPresenceEvents of the selected handler
};

} // namespace wps::ui
