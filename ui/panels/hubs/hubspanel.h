#pragma once

#include "arm/armclient.h"
#include "arm/armmodels.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QTableView;

namespace wps::auth {
class CredentialChain;
}

namespace wps::ui {

class ConsoleSession;
class EventHandlerModel;
class HubListModel;

/// Panel 2 of the console window: the hubs of the connected service. Lists the hubs the user worked with and
/// those the service reports over ARM, switches the session's hub, probes health, and edits a hub's settings
/// (anonymous policy, event handlers) and the resource's keys through wps::arm::ArmClient.
///
/// One code path for the emulator and Azure: only the ArmClient's base URL and credential differ. A loopback
/// endpoint is the emulator, which serves ARM itself (base URL = the endpoint; the session's access key, or
/// the Entra chain); any other endpoint uses https://management.azure.com with the Entra chain. The resource
/// is found by listing subscriptions, then their webPubSub resources, and taking the one whose hostName is
/// the session's endpoint (docs/arm.md).
class HubsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit HubsPanel(ConsoleSession *session, QWidget *parent = nullptr);
    ~HubsPanel() override;

    /// Hub names the user worked with (the profile's hubs); kept in the list across refreshes.
    void setRememberedHubs(const QStringList &hubs);
    /// The ARM id of the session's Web PubSub resource; empty until discovery found it.
    QString resourceId() const { return m_resourceId; }
    /// Overrides the ArmClient options (tests shrink timeouts); the base URL is still chosen by the panel.
    void setArmOptions(const wps::arm::ArmClientOptions &options);
    /// Probes health and (re)discovers the resource and its hubs.
    void refresh();

Q_SIGNALS:
    /// Discovery and the hub listing finished (\a error empty on success).
    void hubsLoaded(const QString &error);
    /// A hub's settings were loaded into the editor or saved (\a error empty on success).
    void settingsLoaded(const QString &hub, const QString &error);
    void settingsSaved(const QString &hub, const QString &error);

private:
    void onConnectionChanged();
    /// Endpoint plus a short fingerprint of the key: a different value means a different service client.
    QByteArray serviceId() const;
    void setupArm(quint64 generation);
    void discover(quint64 generation);
    void listResources(quint64 generation, QStringList subscriptions);
    void loadHubs(quint64 generation);
    void loadSettings(const QString &hub);
    void saveSettings();
    void loadKeys();
    void regenerate(wps::arm::KeyType type);
    void showKeys();
    void useHub(const QString &hub);
    QString selectedHub() const;
    void setArmStatus(bool ok, const QString &text);

    QPointer<ConsoleSession> m_session;
    HubListModel *m_hubs = nullptr;
    EventHandlerModel *m_handlers = nullptr;
    std::optional<wps::arm::ArmClientOptions> m_options;
    QPointer<wps::arm::ArmClient> m_arm;
    QPointer<wps::auth::CredentialChain> m_ownChain;
    QString m_resourceId;
    QString m_editedHub;
    quint64 m_generation = 0;
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
};

} // namespace wps::ui
