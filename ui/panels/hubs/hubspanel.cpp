#include "panels/hubs/hubspanel.h"

#include "arm/hubdirectory.h"
#include "panels/common/confirm.h"
#include "panels/common/jobaction.h"
#include "panels/common/pageheading.h"
#include "panels/hubs/handlercheckbox.h"
#include "panels/hubs/hubmodels.h"
#include "panels/hubs/presenceeditor.h"
#include "profiles/profile.h"
#include "protocol/names.h"
#include "service/serviceclient.h"
#include "service/servicejob.h"
#include "session/consolesession.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {

QString masked(const QString &key)
{
    if (key.isEmpty())
        return QString();
    return key.left(4) + u"\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022"_s;
}

QPushButton *button(const QString &text, const QString &name, QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(name);
    return b;
}

} // namespace

HubsPanel::HubsPanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    setPagePurpose(this, tr("The hubs of the service: their settings, event handlers and access keys."));
    m_hubs = new HubListModel(this);
    m_handlers = new EventHandlerModel(this);
    buildUi();
    wireHandlerEditing();
    wire();
    onConnectionChanged();
}

HubsPanel::~HubsPanel() = default;

void HubsPanel::buildUi()
{
    QHBoxLayout *top = buildStatusRow();
    QGroupBox *hubBox = buildHubsBox();
    QGroupBox *settingsBox = buildSettingsBox();
    QGroupBox *keysBox = buildKeysBox();

    auto *right = new QVBoxLayout;
    right->addWidget(settingsBox, 2);
    right->addWidget(keysBox);
    auto *columns = new QHBoxLayout;
    columns->addWidget(hubBox, 2);
    columns->addLayout(right, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(columns, 1);
    // Validate handler: its own section (and slots), fed by the selected handler row.
    m_handlerCheck = new HandlerCheckBox(m_session, this);
    layout->addWidget(m_handlerCheck);
}

QHBoxLayout *HubsPanel::buildStatusRow()
{
    m_connection = new QLabel(this);
    m_connection->setObjectName(u"connectionLabel"_s);
    m_health = new QLabel(this);
    m_health->setObjectName(u"healthLabel"_s);
    m_refresh = button(tr("Refresh"), u"refreshButton"_s, this);
    auto *top = new QHBoxLayout;
    top->addWidget(m_connection, 1);
    top->addWidget(m_health);
    top->addWidget(m_refresh);
    return top;
}

QGroupBox *HubsPanel::buildHubsBox()
{
    m_list = new QListView(this);
    m_list->setObjectName(u"hubList"_s);
    m_list->setModel(m_hubs);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_newHub = new QLineEdit(this);
    m_newHub->setObjectName(u"hubNameEdit"_s);
    m_newHub->setPlaceholderText(tr("Another hub name"));
    m_use = button(tr("Use hub"), u"useHubButton"_s, this);
    m_use->setToolTip(tr("Make the selected (or typed) hub the one every panel works on"));
    m_armStatus = new QLabel(this);
    m_armStatus->setObjectName(u"armStatusLabel"_s);
    m_armStatus->setWordWrap(true);

    auto *hubBox = new QGroupBox(tr("Hubs"), this);
    auto *hubLayout = new QVBoxLayout(hubBox);
    hubLayout->addWidget(m_list, 1);
    auto *useRow = new QHBoxLayout;
    useRow->addWidget(m_newHub, 1);
    useRow->addWidget(m_use);
    hubLayout->addLayout(useRow);
    hubLayout->addWidget(m_armStatus);
    return hubBox;
}

QGroupBox *HubsPanel::buildSettingsBox()
{
    auto *settingsBox = new QGroupBox(tr("Hub settings"), this);
    auto *settings = new QVBoxLayout(settingsBox);
    m_settingsTitle = new QLabel(tr("Select a hub to see its settings."), this);
    m_settingsTitle->setObjectName(u"settingsTitle"_s);
    m_anonymous = new QCheckBox(tr("Allow anonymous clients (no access token)"), this);
    m_anonymous->setObjectName(u"anonymousCheck"_s);
    m_handlerView = new QTableView(this);
    m_handlerView->setObjectName(u"handlerView"_s);
    m_handlerView->setModel(m_handlers);
    m_handlerView->horizontalHeader()->setSectionResizeMode(EventHandlerModel::UrlTemplate,
                                                            QHeaderView::Stretch);
    m_handlerView->verticalHeader()->setVisible(false);
    m_addHandler = button(tr("Add handler"), u"addHandlerButton"_s, this);
    m_removeHandler = button(tr("Remove handler"), u"removeHandlerButton"_s, this);
    m_save = button(tr("Save settings"), u"saveSettingsButton"_s, this);
    m_settingsStatus = new QLabel(this);
    m_settingsStatus->setObjectName(u"settingsStatusLabel"_s);
    m_settingsStatus->setWordWrap(true);
    m_settingsStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *handlerButtons = new QHBoxLayout;
    handlerButtons->addWidget(m_addHandler);
    handlerButtons->addWidget(m_removeHandler);
    handlerButtons->addStretch(1);
    handlerButtons->addWidget(m_save);
    settings->addWidget(m_settingsTitle);
    settings->addWidget(m_anonymous);
    settings->addWidget(
        new QLabel(tr("Event handlers ({hub} and {event} are filled in by the service):"), this));
    settings->addWidget(m_handlerView, 1);
    m_presence = new PresenceEditor(this);
    m_presence->setObjectName(u"presenceEditor"_s);
    settings->addWidget(m_presence);
    settings->addLayout(handlerButtons);
    settings->addWidget(m_settingsStatus);
    return settingsBox;
}

QGroupBox *HubsPanel::buildKeysBox()
{
    auto *keysBox = new QGroupBox(tr("Access keys"), this);
    auto *keys = new QFormLayout(keysBox);
    m_primaryKey = new QLabel(this);
    m_primaryKey->setObjectName(u"primaryKeyLabel"_s);
    m_primaryKey->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_secondaryKey = new QLabel(this);
    m_secondaryKey->setObjectName(u"secondaryKeyLabel"_s);
    m_secondaryKey->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reveal = new QCheckBox(tr("Reveal"), this);
    m_reveal->setObjectName(u"revealCheck"_s);
    m_loadKeys = button(tr("Load keys"), u"loadKeysButton"_s, this);
    m_regenPrimary = button(tr("Regenerate primary"), u"regeneratePrimaryButton"_s, this);
    m_regenSecondary = button(tr("Regenerate secondary"), u"regenerateSecondaryButton"_s, this);
    m_regenPrimary->setToolTip(tr("Clients and tokens signed with the old primary key stop working"));
    m_regenSecondary->setToolTip(tr("Clients and tokens signed with the old secondary key stop working"));
    m_keysStatus = new QLabel(this);
    m_keysStatus->setObjectName(u"keysStatusLabel"_s);
    m_keysStatus->setWordWrap(true);
    auto *keyButtons = new QHBoxLayout;
    keyButtons->addWidget(m_loadKeys);
    keyButtons->addWidget(m_reveal);
    keyButtons->addStretch(1);
    keyButtons->addWidget(m_regenPrimary);
    keyButtons->addWidget(m_regenSecondary);
    keys->addRow(tr("Primary"), m_primaryKey);
    keys->addRow(tr("Secondary"), m_secondaryKey);
    m_keyInUse = new QLabel(this);
    m_keyInUse->setObjectName(u"keyInUseLabel"_s);
    m_keyInUse->setWordWrap(true);
    keys->addRow(tr("This profile"), m_keyInUse);
    keys->addRow(keyButtons);
    keys->addRow(m_keysStatus);
    return keysBox;
}

void HubsPanel::wireHandlerEditing()
{
    connect(m_handlerView->selectionModel(), &QItemSelectionModel::currentChanged, m_handlerCheck,
            [this](const QModelIndex &index) {
                if (index.isValid())
                    m_handlerCheck->setUrl(
                        index.siblingAtColumn(EventHandlerModel::UrlTemplate).data(Qt::EditRole).toString());
            });

    // Group presence events: the editor shows the selected handler's and writes edits back into the model.
    auto showPresence = [this] {
        const int row = m_handlerView->currentIndex().row();
        const bool valid = row >= 0 && row < m_handlers->rowCount();
        m_presence->setValue(valid ? m_handlers->groupPresence(row) : std::nullopt, valid);
    };
    connect(m_handlerView->selectionModel(), &QItemSelectionModel::currentChanged, m_presence, showPresence);
    connect(m_handlers, &QAbstractItemModel::modelReset, m_presence, showPresence);
    connect(m_handlers, &QAbstractItemModel::rowsRemoved, m_presence, showPresence);
    connect(m_presence, &PresenceEditor::edited, this, [this] {
        m_handlers->setGroupPresence(m_handlerView->currentIndex().row(), m_presence->value());
    });

    connect(m_addHandler, &QPushButton::clicked, this, [this] {
        m_handlers->insertRows(m_handlers->rowCount(), 1);
        const QModelIndex index =
            m_handlers->index(m_handlers->rowCount() - 1, EventHandlerModel::UrlTemplate);
        m_handlerView->setCurrentIndex(index);
        m_handlerView->edit(index);
    });
    connect(m_removeHandler, &QPushButton::clicked, this, [this] {
        const QModelIndex index = m_handlerView->currentIndex();
        if (index.isValid())
            m_handlers->removeRows(index.row(), 1);
    });
}

void HubsPanel::wire()
{
    connect(m_refresh, &QPushButton::clicked, this, [this] { refresh(); });
    connect(m_use, &QPushButton::clicked, this, [this] {
        const QString typed = m_newHub->text().trimmed();
        useHub(typed.isEmpty() ? selectedHub() : typed);
    });
    connect(m_list, &QListView::doubleClicked, this,
            [this](const QModelIndex &index) { useHub(index.data(HubListModel::NameRole).toString()); });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &index) {
                if (index.isValid())
                    loadSettings(index.data(HubListModel::NameRole).toString());
            });
    connect(m_save, &QPushButton::clicked, this, [this] { saveSettings(); });
    connect(m_loadKeys, &QPushButton::clicked, this, [this] { loadKeys(); });
    connect(m_reveal, &QCheckBox::toggled, this, [this] { showKeys(); });
    connect(m_regenPrimary, &QPushButton::clicked, this, [this] { regenerate(wps::arm::KeyType::Primary); });
    connect(m_regenSecondary, &QPushButton::clicked, this,
            [this] { regenerate(wps::arm::KeyType::Secondary); });

    m_healthAction = new JobAction(nullptr, m_health, this);
    m_settingsAction = new JobAction(nullptr, m_settingsStatus, this);
    m_saveAction = new JobAction(m_save, m_settingsStatus, this);
    m_keysAction = new JobAction(m_loadKeys, m_keysStatus, this);
    m_regenAction = new JobAction(nullptr, m_keysStatus, this);
    connect(m_settingsAction, &JobAction::failed, this,
            [this](const QString &error) { Q_EMIT settingsLoaded(m_editedHub, error); });
    connect(m_saveAction, &JobAction::failed, this,
            [this](const QString &error) { Q_EMIT settingsSaved(m_editedHub, error); });

    if (m_session) {
        m_directory = m_session->hubDirectory();
        connect(m_directory, &wps::arm::HubDirectory::stateChanged, this, &HubsPanel::onDirectoryState);
        connect(m_directory, &wps::arm::HubDirectory::hubsLoaded, this, &HubsPanel::hubsLoaded);
        connect(m_directory, &wps::arm::HubDirectory::hubsChanged, this, [this] { showServiceHubs(); });
        connect(m_session, &ConsoleSession::connectionChanged, this, [this] {
            onConnectionChanged();
            showKeys(); // which key the new connection uses
        });
        connect(m_session, &ConsoleSession::hubChanged, this,
                [this](const QString &hub) { m_hubs->setCurrentHub(hub); });
        m_hubs->setCurrentHub(m_session->hub());
    }
}

void HubsPanel::setArmOptions(const wps::arm::ArmClientOptions &options)
{
    if (m_directory)
        m_directory->setArmOptions(options);
}

QString HubsPanel::resourceId() const
{
    return m_directory ? m_directory->resourceId() : QString();
}

QString HubsPanel::selectedHub() const
{
    return m_list->currentIndex().data(HubListModel::NameRole).toString();
}

void HubsPanel::useHub(const QString &hub)
{
    if (!m_session || hub.isEmpty())
        return;
    const QString problem = wps::names::checkHub(hub);
    if (!problem.isEmpty()) {
        showOutcome(m_armStatus, Outcome::Failure, problem);
        return;
    }
    m_session->setHub(hub);
    m_newHub->clear();
}

void HubsPanel::onDirectoryState(wps::arm::HubDirectory::State state, const QString &text)
{
    using State = wps::arm::HubDirectory::State;
    showOutcome(m_armStatus, state == State::Failed ? Outcome::Failure : Outcome::Neutral, text);
    const bool found = m_directory && !m_directory->resourceId().isEmpty();
    for (QPushButton *b : {m_loadKeys, m_regenPrimary, m_regenSecondary})
        b->setEnabled(found);
    if (state == State::Ready || state == State::Idle)
        showServiceHubs();
}

void HubsPanel::showServiceHubs()
{
    QStringList names;
    if (m_directory) {
        const auto hubs = m_directory->hubs();
        for (const auto &h : hubs)
            names.append(h.name);
    }
    m_hubs->setServiceHubs(names);
}

void HubsPanel::onConnectionChanged()
{
    const bool connected = m_session && m_session->state() == ConsoleSession::State::Connected;
    m_connection->setText(m_session ? tr("Service: %1").arg(m_session->stateText()) : QString());
    // The session keeps the directory (and what it found) while the service stays the same.
    const bool sameService = connected && m_directory && m_directory->client();
    if (sameService)
        return;
    for (JobAction *action : {m_healthAction, m_settingsAction, m_saveAction, m_keysAction, m_regenAction})
        action->reset();
    m_haveKeys = false;
    m_keys = {};
    showKeys();
    m_keysStatus->clear();
    m_settingsStatus->clear();
    m_settingsTitle->setText(tr("Select a hub to see its settings."));
    m_handlers->setHandlers({});
    m_save->setEnabled(false);
    if (connected)
        refresh();
    else
        showOutcome(m_armStatus, Outcome::Neutral, tr("Not connected."));
}

void HubsPanel::refresh()
{
    if (!m_session || m_session->state() != ConsoleSession::State::Connected)
        return;
    if (auto *client = m_session->client())
        m_healthAction->run(client->health(), [](auto *) { return tr("Health: OK"); });
    if (m_directory)
        m_directory->refresh();
}

void HubsPanel::loadSettings(const QString &hub)
{
    m_editedHub = hub;
    m_settingsTitle->setText(tr("Settings of hub \"%1\"").arg(hub));
    m_settingsStatus->clear();
    m_save->setEnabled(false);
    wps::arm::HubJob *job = m_directory ? m_directory->readHub(hub) : nullptr;
    if (!job)
        return;
    m_settingsAction->run(job, [this, hub](wps::arm::HubJob *read) {
        m_anonymous->setChecked(read->hub().anonymousConnect);
        m_handlers->setHandlers(read->hub().eventHandlers);
        m_save->setEnabled(true);
        Q_EMIT settingsLoaded(hub, QString());
        return read->found()
                   ? QString()
                   : tr("Not configured on the service: defaults apply (deny anonymous, no handlers). "
                        "Saving creates the setting.");
    });
}

void HubsPanel::saveSettings()
{
    const QString hub = m_editedHub;
    const bool anonymous = m_anonymous->isChecked();
    const QList<wps::arm::EventHandler> handlers = m_handlers->handlers();
    // Read-modify-write in one job: fields this panel does not show survive.
    wps::arm::HubJob *job =
        hub.isEmpty() || !m_directory
            ? nullptr
            : m_directory->updateHub(hub, [anonymous, handlers](wps::arm::HubSettings &s) {
                  s.anonymousConnect = anonymous;
                  s.eventHandlers = handlers;
              });
    if (!job)
        return;
    m_saveAction->run(job, [this, hub](wps::arm::HubJob *put) {
        if (hub == m_editedHub) {
            m_anonymous->setChecked(put->hub().anonymousConnect);
            m_handlers->setHandlers(put->hub().eventHandlers);
        }
        Q_EMIT settingsSaved(hub, QString());
        return put->created() ? tr("Created the settings of hub \"%1\".").arg(hub)
                              : tr("Saved the settings of hub \"%1\".").arg(hub);
    });
}

void HubsPanel::showKeys()
{
    const bool reveal = m_reveal->isChecked();
    const QString none = m_haveKeys ? QString() : tr("(not loaded)");
    m_primaryKey->setText(m_haveKeys ? (reveal ? m_keys.primaryKey : masked(m_keys.primaryKey)) : none);
    m_secondaryKey->setText(m_haveKeys ? (reveal ? m_keys.secondaryKey : masked(m_keys.secondaryKey)) : none);
    // Which of the two the current connection signs with: compared here, never shown unless revealed.
    const auto &connection = m_session ? m_session->connectionString() : std::nullopt;
    const QString used = connection ? connection->accessKey() : QString();
    if (!m_session || m_session->state() != ConsoleSession::State::Connected)
        m_keyInUse->setText(tr("Not connected."));
    else if (used.isEmpty())
        m_keyInUse->setText(tr("Signs in with Microsoft Entra ID: it uses neither key."));
    else if (!m_haveKeys)
        m_keyInUse->setText(tr("Uses an access key; load the keys to see which."));
    else if (used == m_keys.primaryKey)
        m_keyInUse->setText(tr("Uses the primary key."));
    else if (used == m_keys.secondaryKey)
        m_keyInUse->setText(tr("Uses the secondary key."));
    else
        m_keyInUse->setText(
            tr("Uses a key that is neither of these (regenerated since?): edit the profile."));
}

void HubsPanel::loadKeys()
{
    // A 403 (the identity may read but not list keys) shows in the status line instead of hiding the section.
    if (wps::arm::KeysJob *job = m_directory ? m_directory->listKeys() : nullptr)
        m_keysAction->run(job, [this](wps::arm::KeysJob *done) {
            m_keys = done->keys();
            m_haveKeys = true;
            showKeys();
            return QString();
        });
}

void HubsPanel::regenerate(wps::arm::KeyType type)
{
    if (!m_session || !m_directory)
        return;
    // Naming the hub and the resource; off the built-in local emulator profile the hub name must be typed.
    const bool typed = m_session->profileId() != wps::profiles::Profile::localEmulatorId();
    const QString action = type == wps::arm::KeyType::Primary ? tr("Regenerate the primary key")
                                                              : tr("Regenerate the secondary key");
    const QPointer<wps::arm::HubDirectory> directory = m_directory;
    confirmAction(
        this, {action, m_session->hub(), m_session->endpoint().host(), typed}, [this, type, directory] {
            if (!directory || directory != m_directory)
                return; // the resource changed while the dialog was open
            if (wps::arm::KeysJob *job = m_directory->regenerateKey(type))
                m_regenAction->run(job, [this](wps::arm::KeysJob *done) {
                    m_keys = done->keys();
                    m_haveKeys = true;
                    showKeys();
                    return tr(
                        "Key regenerated. Connections using the old key must be updated (edit the profile).");
                });
        });
}

} // namespace wps::ui
