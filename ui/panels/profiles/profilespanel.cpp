#include "panels/profiles/profilespanel.h"

#include "panels/common/jobaction.h"
#include "panels/common/pageheading.h"
#include "panels/profiles/profileconnector.h"
#include "panels/profiles/profilelistmodel.h"
#include "profiles/profilestore.h"
#include "service/connectionprobe.h"
#include "service/serviceclient.h"
#include "service/servicejob.h"
#include "session/consolesession.h"
#include "session/localservice.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

using wps::profiles::AuthKind;
using wps::profiles::Profile;

namespace {

QPushButton *button(const QString &text, const QString &name, QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(name);
    return b;
}

} // namespace

ProfilesPanel::ProfilesPanel(ConsoleSession *session, wps::profiles::ProfileStore *store,
                             ProfileConnector *connector, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_store(store)
    , m_connector(connector)
{
    setPagePurpose(this, tr("Saved connections to Web PubSub services; their keys stay in the system "
                            "keychain."));
    m_model = new ProfileListModel(store, this);
    buildUi();
    wire();

    selectProfile(Profile::localEmulatorId());
    updateSessionState();
    updateLocalEndpoint();
}

ProfilesPanel::~ProfilesPanel() = default;

void ProfilesPanel::buildUi()
{
    QVBoxLayout *left = buildListColumn();
    QFormLayout *form = buildForm();
    buildProfileActions();
    left->insertLayout(0, buildSessionRow());

    auto *editButtons = new QHBoxLayout;
    editButtons->addWidget(m_save);
    editButtons->addWidget(m_export);
    editButtons->addStretch(1);
    auto *connectButtons = new QHBoxLayout;
    connectButtons->addWidget(m_test);
    connectButtons->addWidget(m_open);
    connectButtons->addWidget(m_openNew);
    connectButtons->addStretch(1);

    auto *box = new QGroupBox(tr("Profile"), this);
    auto *right = new QVBoxLayout(box);
    right->addLayout(form);
    right->addLayout(editButtons);
    right->addWidget(m_status);
    right->addWidget(m_sessionOnly, 0, Qt::AlignLeft);
    right->addSpacing(8);
    right->addLayout(connectButtons);
    right->addWidget(m_testResult);
    right->addStretch(1);

    auto *layout = new QHBoxLayout(this);
    layout->addLayout(left, 2);
    layout->addWidget(box, 3);
}

QVBoxLayout *ProfilesPanel::buildListColumn()
{
    m_list = new QListView(this);
    m_list->setObjectName(u"profileList"_s);
    m_list->setModel(m_model);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);

    m_new = button(tr("New"), u"newButton"_s, this);
    m_duplicate = button(tr("Duplicate"), u"duplicateButton"_s, this);
    m_remove = button(tr("Remove"), u"removeButton"_s, this);
    m_importClipboard = button(tr("Import from clipboard"), u"importClipboardButton"_s, this);
    m_importClipboard->setToolTip(tr("Make a profile from a connection string on the clipboard"));
    m_importEnv = button(tr("Import from environment"), u"importEnvButton"_s, this);
    m_importEnv->setToolTip(tr("Make a profile from WEBPUBSUB_CONNECTION_STRING"));

    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(m_new);
    listButtons->addWidget(m_duplicate);
    listButtons->addWidget(m_remove);
    auto *importButtons = new QHBoxLayout;
    importButtons->addWidget(m_importClipboard);
    importButtons->addWidget(m_importEnv);
    auto *left = new QVBoxLayout;
    left->addWidget(m_list, 1);
    left->addLayout(listButtons);
    left->addLayout(importButtons);
    return left;
}

QFormLayout *ProfilesPanel::buildForm()
{
    m_name = new QLineEdit(this);
    m_name->setObjectName(u"nameEdit"_s);
    m_endpoint = new QLineEdit(this);
    m_endpoint->setObjectName(u"endpointEdit"_s);
    m_endpoint->setPlaceholderText(u"https://<name>.webpubsub.azure.com"_s);
    m_auth = new QComboBox(this);
    m_auth->setObjectName(u"authCombo"_s);
    m_auth->addItem(tr("Access key"), int(AuthKind::AccessKey));
    m_auth->addItem(tr("Connection string"), int(AuthKind::ConnectionString));
    m_auth->addItem(tr("Entra ID"), int(AuthKind::EntraId));
    m_auth->addItem(tr("Local emulator"), int(AuthKind::LocalEmulator));
    m_secret = new QLineEdit(this);
    m_secret->setObjectName(u"secretEdit"_s);
    m_secret->setEchoMode(QLineEdit::Password);
    m_revealSecret = new QCheckBox(tr("Show"), this);
    m_revealSecret->setObjectName(u"revealSecretCheck"_s);
    m_revealSecret->setToolTip(tr("Show the access key or secret in full"));
    m_tenant = new QLineEdit(this);
    m_tenant->setObjectName(u"tenantEdit"_s);
    m_tenant->setPlaceholderText(tr("Tenant id (optional: the environment's otherwise)"));
    m_clientId = new QLineEdit(this);
    m_clientId->setObjectName(u"clientIdEdit"_s);
    m_clientId->setPlaceholderText(tr("Client id (optional)"));
    m_hubs = new QLineEdit(this);
    m_hubs->setObjectName(u"hubsEdit"_s);
    m_hubs->setPlaceholderText(tr("chat, notifications"));

    auto *form = new QFormLayout;
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Endpoint"), m_endpoint);
    form->addRow(tr("Authentication"), m_auth);
    m_secretLabel = new QLabel(tr("Access key"), this);
    auto *secretRow = new QHBoxLayout;
    secretRow->addWidget(m_secret, 1);
    secretRow->addWidget(m_revealSecret);
    form->addRow(m_secretLabel, secretRow);
    form->addRow(tr("Tenant id"), m_tenant);
    form->addRow(tr("Client id"), m_clientId);
    form->addRow(tr("Hubs"), m_hubs);
    return form;
}

void ProfilesPanel::buildProfileActions()
{
    m_save = button(tr("Save"), u"saveButton"_s, this);
    m_export = button(tr("Export..."), u"exportButton"_s, this);
    m_export->setToolTip(tr("Save the profile as JSON, without its secret"));
    m_test = button(tr("Test connection"), u"testButton"_s, this);
    m_open = button(tr("Open"), u"openButton"_s, this);
    m_openNew = button(tr("Open in new window"), u"openNewWindowButton"_s, this);
    m_sessionOnly = button(tr("Keep secrets for this session only"), u"sessionOnlyButton"_s, this);
    m_sessionOnly->setVisible(false);

    m_status = new QLabel(this);
    m_status->setObjectName(u"statusLabel"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_testResult = new QLabel(this);
    m_testResult->setObjectName(u"testResultLabel"_s);
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
}

QHBoxLayout *ProfilesPanel::buildSessionRow()
{
    m_sessionState = new QLabel(this);
    m_sessionState->setObjectName(u"sessionStateLabel"_s);
    m_sessionState->setWordWrap(true);
    m_sessionState->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_cancelOpen = button(tr("Cancel"), u"cancelOpenButton"_s, this);
    m_cancelOpen->setToolTip(tr("Stop connecting: the window stays on the connection it has"));
    m_cancelOpen->setVisible(false);
    auto *sessionRow = new QHBoxLayout;
    sessionRow->addWidget(m_sessionState, 1);
    sessionRow->addWidget(m_cancelOpen);
    return sessionRow;
}

void ProfilesPanel::wire()
{
    connect(m_revealSecret, &QCheckBox::toggled, this, [this] { showSecret(); });
    connect(m_secret, &QLineEdit::textChanged, this, &ProfilesPanel::onSecretChanged);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                // A reset after a save reselects the profile in the form: keep the form (and its secret).
                if (current.isValid() && current.data(ProfileListModel::IdRole).toString() != m_currentId)
                    showProfile(m_model->profileAt(current.row()));
            });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        const int row = m_model->rowOf(m_currentId);
        if (row >= 0)
            m_list->setCurrentIndex(m_model->index(row, 0));
    });
    connect(m_auth, &QComboBox::currentIndexChanged, this, [this] { updateAuthFields(); });
    connect(m_new, &QPushButton::clicked, this, [this] { newProfile(); });
    connect(m_save, &QPushButton::clicked, this, [this] { save(); });
    connect(m_duplicate, &QPushButton::clicked, this, [this] { duplicate(); });
    connect(m_remove, &QPushButton::clicked, this, [this] { remove(); });
    connect(m_importClipboard, &QPushButton::clicked, this, [this] { importFromClipboard(); });
    connect(m_importEnv, &QPushButton::clicked, this, [this] { importFromEnvironment(); });
    connect(m_export, &QPushButton::clicked, this, [this] { exportProfile(); });
    connect(m_test, &QPushButton::clicked, this, [this] { testConnection(); });
    connect(m_open, &QPushButton::clicked, this, [this] { openProfile(); });
    connect(m_openNew, &QPushButton::clicked, this, [this] {
        if (!m_currentId.isEmpty())
            Q_EMIT openInNewWindowRequested(m_currentId);
    });
    connect(m_sessionOnly, &QPushButton::clicked, this, [this] {
        m_sessionOnly->setVisible(false);
        m_sessionOnlyChosen = true;
        Q_EMIT sessionOnlyStorageRequested();
        // The save the keychain refused is finished now: no second Save.
        if (!m_pendingId.isEmpty()) {
            const QString id = std::exchange(m_pendingId, QString());
            storeSecret(id, std::exchange(m_pendingSecret, QString()));
        } else {
            showOutcome(m_status, Outcome::Neutral, tr("Secrets are kept in memory for this session only."));
        }
    });

    connect(m_cancelOpen, &QPushButton::clicked, this, [this] {
        if (m_session)
            m_session->cancelOpen();
    });
    if (m_session) {
        connect(m_session, &ConsoleSession::connectionChanged, this, [this] { updateSessionState(); });
        connect(m_session, &ConsoleSession::healthChanged, this, [this] { updateSessionState(); });
    }
    if (m_connector && m_connector->localService()) {
        connect(m_connector->localService(), &LocalService::statusChanged, this,
                [this] { updateLocalEndpoint(); });
    }
}

void ProfilesPanel::updateSessionState()
{
    using wps::service::ConnectionHealth;
    if (!m_session)
        return;
    m_cancelOpen->setVisible(m_session->isOpening());
    const QString profile =
        m_session->profileName().isEmpty() ? m_session->origin() : m_session->profileName();
    const ConnectionHealth health = m_session->health();
    const bool connected = m_session->state() == ConsoleSession::State::Connected;
    ConnectionHealth shown = connected ? health
                             : m_session->state() == ConsoleSession::State::Failed
                                 ? health
                                 : ConnectionHealth::Unknown;
    QString text;
    Outcome outcome = Outcome::Neutral;
    if (connected) {
        text = tr("In use: %1 — %2").arg(profile, wps::service::healthName(health));
        if (health == ConnectionHealth::Connected)
            outcome = Outcome::Success;
        else if (health != ConnectionHealth::Connecting && health != ConnectionHealth::Unknown) {
            outcome = Outcome::Failure;
            text += u": "_s + m_session->healthText();
        }
    } else if (m_session->state() == ConsoleSession::State::Failed) {
        text = m_session->stateText();
        outcome = Outcome::Failure;
    } else {
        text = m_session->stateText().isEmpty() ? tr("No profile is open.") : m_session->stateText();
    }
    if (m_session->isOpening()) {
        text = m_session->openingText() + (connected ? u' ' + tr("(still on %1)").arg(profile) : QString());
        outcome = Outcome::Neutral;
    } else if (connected && !m_session->lastOpenError().isEmpty()) {
        text = m_session->lastOpenError() + u' ' + tr("Still on %1.").arg(profile);
        outcome = Outcome::Failure;
    }
    showOutcome(m_sessionState, outcome, text);
    updateLocalEndpoint(); // the emulator may have started for this open
    if (!m_session->isOpening() && !m_session->lastOpenError().isEmpty() && !connected)
        shown = m_session->lastOpenHealth();
    m_model->setActive(connected ? m_session->profileId() : QString(), shown,
                       connected ? m_session->healthText() : m_session->lastOpenError());
}

void ProfilesPanel::updateLocalEndpoint()
{
    const QUrl endpoint = m_connector ? m_connector->localEndpoint() : QUrl();
    m_model->setLocalEndpoint(endpoint);
    if (m_currentId == Profile::localEmulatorId()) {
        m_endpoint->setText(endpoint.isEmpty() ? QString() : endpoint.toString());
        m_endpoint->setPlaceholderText(endpoint.isEmpty() ? tr("chosen when the local emulator starts")
                                                          : QString());
    }
}

void ProfilesPanel::selectProfile(const QString &id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return;
    m_list->setCurrentIndex(m_model->index(row, 0));
    showProfile(m_model->profileAt(row));
}

void ProfilesPanel::newProfile()
{
    Profile p;
    p.name = tr("New profile");
    m_list->clearSelection();
    showProfile(p);
    m_name->setFocus();
    m_name->selectAll();
}

void ProfilesPanel::showError(const wps::profiles::ProfileError &error)
{
    const bool unavailable = error.kind == wps::profiles::ProfileErrorKind::Secret &&
                             error.secretKind == wps::secrets::SecretErrorKind::Unavailable;
    showOutcome(m_status, Outcome::Failure,
                unavailable
                    ? tr("No keychain is available on this computer (no secret service is running), "
                         "so the secret was not saved. Keep it in memory for this session only? It is "
                         "never written to a file, and you will be asked for it again next time.")
                    : error.message);
    m_sessionOnly->setVisible(unavailable);
}

void ProfilesPanel::save()
{
    if (!m_store)
        return;
    Profile p = formProfile();
    QString secret = secretText().trimmed();
    if (p.auth == AuthKind::ConnectionString && secret.contains(u'=')) {
        auto parsed = wps::ConnectionString::parse(secret);
        if (!parsed) {
            showOutcome(m_status, Outcome::Failure, parsed.error());
            return;
        }
        secret = parsed->accessKey();
    }
    const wps::profiles::ProfileResult result = p.id.isEmpty() ? m_store->add(p) : m_store->update(p);
    if (!result) {
        showError(result.error());
        return;
    }
    m_currentId = result->id;
    const QString typed = secretText();
    m_model->reload();
    selectProfile(m_currentId);
    // Reselecting clears the form's secret; it stays there until the store has it (a retry needs it).
    setSecretText(typed);
    if (secret.isEmpty() || result->auth == AuthKind::LocalEmulator) {
        showOutcome(m_status, Outcome::Success, tr("Saved."));
        return;
    }
    storeSecret(result->id, secret);
}

void ProfilesPanel::storeSecret(const QString &id, const QString &secret)
{
    const std::optional<Profile> p = m_store->profile(id);
    const auto kind = p && p->auth == AuthKind::EntraId ? wps::secrets::SecretKind::ClientSecret
                                                        : wps::secrets::SecretKind::AccessKey;
    showOutcome(m_status, Outcome::Neutral, tr("Storing the secret..."));
    m_store->setSecret(id, kind, secret, this, [this, id, secret](const wps::profiles::ProfileDone &done) {
        if (!done) {
            m_pendingId = id; // stored at once if the user picks session-only storage
            m_pendingSecret = secret;
            // The form keeps the secret so the user can save again after choosing session-only storage.
            showError(done.error());
            return;
        }
        m_pendingId.clear();
        m_pendingSecret.clear();
        if (m_currentId == id)
            setSecretText(QString());
        showOutcome(m_status, Outcome::Success,
                    m_sessionOnlyChosen ? tr("Saved; the secret is kept in memory for this session only.")
                                        : tr("Saved; the secret is in the secret store."));
    });
}

void ProfilesPanel::duplicate()
{
    if (!m_store || m_currentId.isEmpty())
        return;
    m_store->duplicate(m_currentId, QString(), this, [this](const wps::profiles::ProfileResult &result) {
        if (!result) {
            showError(result.error());
            return;
        }
        m_model->reload();
        selectProfile(result->id);
        showOutcome(m_status, Outcome::Success, tr("Duplicated as \"%1\".").arg(result->name));
    });
}

void ProfilesPanel::remove()
{
    if (!m_store || m_currentId.isEmpty())
        return;
    const QString id = m_currentId;
    m_store->remove(id, this, [this](const wps::profiles::ProfileDone &done) {
        m_model->reload();
        selectProfile(Profile::localEmulatorId());
        if (!done)
            showError(done.error());
        else
            showOutcome(m_status, Outcome::Success, tr("Removed, with its secrets."));
    });
}

void ProfilesPanel::testConnection()
{
    if (!m_connector)
        return;
    const Profile p = formProfile();
    const quint64 generation = ++m_testGeneration;
    m_test->setEnabled(false);
    showOutcome(m_testResult, Outcome::Neutral, tr("Testing..."));
    const QString hub = p.hubs.isEmpty() ? (m_session ? m_session->hub() : u"chat"_s) : p.hubs.constFirst();
    m_connector->resolve(
        p, secretText().trimmed(), this,
        [this, generation, hub](const ProfileConnector::ResolveResult &resolved) {
            if (generation != m_testGeneration)
                return;
            if (!resolved) {
                m_test->setEnabled(true);
                showOutcome(m_testResult, Outcome::Failure, resolved.error());
                return;
            }
            auto *client =
                new wps::service::ServiceClient(resolved->endpoint, hub, resolved->credential, this);
            if (resolved->chain)
                resolved->chain->setParent(client);
            auto requestId = std::make_shared<QString>();
            connect(client, &wps::service::ServiceClient::traced, client,
                    [requestId](const wps::service::HttpTrace &trace) {
                        for (const auto &header : trace.headers) {
                            if (header.first.compare("x-ms-request-id", Qt::CaseInsensitive) == 0)
                                *requestId = QString::fromLatin1(header.second);
                        }
                    });
            auto finish = [this, client, generation](Outcome outcome, const QString &text) {
                client->deleteLater();
                if (generation != m_testGeneration)
                    return;
                m_test->setEnabled(true);
                showOutcome(m_testResult, outcome, text);
            };
            wps::service::ServiceJob *health = client->health();
            connect(health, &wps::service::ServiceJob::finished, this, [=, this] {
                if (health->hasError()) {
                    finish(Outcome::Failure,
                           tr("Health probe failed: %1").arg(describeError(health->error())));
                    return;
                }
                const int healthStatus = health->httpStatus();
                wps::service::ExistsJob *exists = client->connectionExists(u"wps-console-probe"_s);
                connect(exists, &wps::service::ServiceJob::finished, this,
                        [exists, finish, healthStatus, hub, requestId] {
                            if (exists->hasError()) {
                                finish(Outcome::Failure,
                                       tr("Health OK (HTTP %1), but the authenticated call failed: %2")
                                           .arg(healthStatus)
                                           .arg(describeError(exists->error())));
                                return;
                            }
                            QString text =
                                tr("Connection OK: health HTTP %1; authenticated call on hub \"%2\" HTTP %3")
                                    .arg(healthStatus)
                                    .arg(hub)
                                    .arg(exists->httpStatus());
                            if (!requestId->isEmpty())
                                text += tr(" (request id %1)").arg(*requestId);
                            finish(Outcome::Success, text);
                        });
            });
        });
}

void ProfilesPanel::openProfile()
{
    if (!m_connector || !m_session || m_currentId.isEmpty())
        return;
    showOutcome(m_status, Outcome::Neutral, tr("Opening..."));
    const QString id = m_currentId;
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m_connector, &ProfileConnector::opened, this,
                          [this, id, connection](const QString &openedId, const QString &error) {
                              if (openedId != id)
                                  return;
                              disconnect(*connection);
                              if (error.isEmpty())
                                  showOutcome(m_status, Outcome::Success, tr("Connected."));
                              else
                                  showOutcome(m_status, Outcome::Failure, error);
                          });
    m_connector->open(id, m_session);
}

} // namespace wps::ui
