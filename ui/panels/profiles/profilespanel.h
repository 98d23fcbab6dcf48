#pragma once

#include "profiles/profilestore.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QVBoxLayout;

namespace wps::profiles {
class ProfileStore;
}

namespace wps::ui {

class ConsoleSession;
class ProfileConnector;
class ProfileListModel;

/// Panel 1 of the console window: connection profiles. Lists them (built-in "Local emulator" first), edits
/// them (the secret field goes only to the SecretStore, never into the profile), imports a connection string
/// from the clipboard or WEBPUBSUB_CONNECTION_STRING, exports a profile without its secret, tests a
/// connection (health probe plus one authenticated call, result inline) and opens a profile in the session
/// through the ProfileConnector. Errors are shown inline, never as dialogs.
class ProfilesPanel : public QWidget
{
    Q_OBJECT
public:
    ProfilesPanel(ConsoleSession *session, wps::profiles::ProfileStore *store, ProfileConnector *connector,
                  QWidget *parent = nullptr);
    ~ProfilesPanel() override;

    /// The id of the profile in the form ("" while a new one is being entered).
    QString currentProfileId() const { return m_currentId; }
    /// Shows profile \a id in the form and selects it in the list.
    void selectProfile(const QString &id);
    /// Writes the selected profile (no secret) to \a path; the result is also shown inline.
    bool exportProfileTo(const QString &path);

    /// A fresh form for a new profile, nothing of the profile shown before in it (New, and Welcome > Add an
    /// Azure hub…).
    void newProfile();

Q_SIGNALS:
    /// "Open in new window" on profile \a id: the window opens a second window on it.
    void openInNewWindowRequested(const QString &profileId);
    /// The keychain is unavailable and the user chose to keep secrets for this session only; the owner of
    /// the SecretStore switches it (FallbackSecretStore::setSessionOnly, connected directly) and the panel
    /// stores the refused secret again at once.
    void sessionOnlyStorageRequested();

private:
    // Construction (profilespanel.cpp).
    /// Creates the widgets and lays them out: the list column (with the session row on top) and the profile
    /// box.
    void buildUi();
    /// The profile list with its New / Duplicate / Remove and import buttons.
    QVBoxLayout *buildListColumn();
    /// The profile form: name, endpoint, authentication, secret, tenant, client id, hubs.
    QFormLayout *buildForm();
    /// The profile box's buttons (save, export, test, open) and its status lines.
    void buildProfileActions();
    /// The session's state and the Cancel button of an open in progress.
    QHBoxLayout *buildSessionRow();
    /// Connects the buttons, the list, the form's secret field, the session and the local emulator.
    void wire();
    // The form (profilespanel_form.cpp).
    void showProfile(const wps::profiles::Profile &profile);
    wps::profiles::Profile formProfile() const;
    void updateAuthFields();
    /// The secret as typed: the field itself may show the connection string with its key masked.
    QString secretText() const { return m_secretValue; }
    void setSecretText(const QString &text);
    /// Shows the secret: in full when revealed, else a connection string with only its AccessKey masked
    /// (other kinds are a password field).
    void showSecret();
    void onSecretChanged(const QString &text);
    // Import and export (profilespanel_importexport.cpp).
    void importFromClipboard();
    void importFromEnvironment();
    void importDone(const wps::profiles::ProfileResult &result);
    void exportProfile();
    // The list's actions, the connection test, opening and the session's state (profilespanel.cpp).
    void save();
    void storeSecret(const QString &id, const QString &secret);
    void duplicate();
    void remove();
    void testConnection();
    void openProfile();
    void showError(const wps::profiles::ProfileError &error);
    /// The session's verified state (open profile, Connecting / Connected / Unreachable / Unauthorized /
    /// Misconfigured with the reason) in the panel and the list.
    void updateSessionState();
    /// The built-in profile shows the running emulator's real endpoint and port.
    void updateLocalEndpoint();

    QPointer<ConsoleSession> m_session;
    QPointer<wps::profiles::ProfileStore> m_store;
    QPointer<ProfileConnector> m_connector;
    ProfileListModel *m_model = nullptr;
    QString m_currentId;
    quint64 m_testGeneration = 0;

    QListView *m_list = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_endpoint = nullptr;
    QComboBox *m_auth = nullptr;
    QLabel *m_secretLabel = nullptr;
    QLineEdit *m_secret = nullptr;
    QCheckBox *m_revealSecret = nullptr;
    QString m_secretValue;
    bool m_showingSecret = false;
    /// The profile and secret of a save the keychain refused, retried when the user picks session-only.
    QString m_pendingId;
    QString m_pendingSecret;
    bool m_sessionOnlyChosen = false;
    QLineEdit *m_tenant = nullptr;
    QLineEdit *m_clientId = nullptr;
    QLineEdit *m_hubs = nullptr;
    QPushButton *m_new = nullptr;
    QPushButton *m_importClipboard = nullptr;
    QPushButton *m_importEnv = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_duplicate = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_test = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_openNew = nullptr;
    QPushButton *m_sessionOnly = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_testResult = nullptr;
    QLabel *m_sessionState = nullptr;
    QPushButton *m_cancelOpen = nullptr;
};

} // namespace wps::ui
