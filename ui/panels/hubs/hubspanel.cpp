#include "panels/hubs/hubspanel.h"

#include "auth/credentialchain.h"
#include "auth/entracredential.h"
#include "auth/tokencredential.h"
#include "panels/common/jobaction.h"
#include "panels/hubs/hubmodels.h"
#include "protocol/names.h"
#include "service/credential.h"
#include "service/serviceclient.h"
#include "service/servicejob.h"
#include "session/consolesession.h"

#include <QCheckBox>
#include <QCryptographicHash>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLoggingCategory>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcHubsPanel, "wps.ui.hubs")

namespace wps::ui {

namespace {

/// The object name ProfileConnector gives the Entra chain it parents to a session (profileconnector.h).
constexpr char16_t SessionChainName[] = u"wps.profile.credentialChain";
/// Bounded discovery: at most this many subscriptions are searched for the resource.
constexpr int MaxSubscriptions = 50;

bool isLoopback(const QUrl &url)
{
    const QString host = url.host();
    if (host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

/// "host" or "host:port" as ARM's properties.hostName spells it.
QString hostName(const QUrl &url)
{
    return url.port() > 0 ? url.host() + u':' + QString::number(url.port()) : url.host();
}

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
    m_hubs = new HubListModel(this);
    m_handlers = new EventHandlerModel(this);

    m_connection = new QLabel(this);
    m_connection->setObjectName(u"connectionLabel"_s);
    m_health = new QLabel(this);
    m_health->setObjectName(u"healthLabel"_s);
    m_armStatus = new QLabel(this);
    m_armStatus->setObjectName(u"armStatusLabel"_s);
    m_armStatus->setWordWrap(true);
    m_refresh = button(tr("Refresh"), u"refreshButton"_s, this);

    m_list = new QListView(this);
    m_list->setObjectName(u"hubList"_s);
    m_list->setModel(m_hubs);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_newHub = new QLineEdit(this);
    m_newHub->setObjectName(u"hubNameEdit"_s);
    m_newHub->setPlaceholderText(tr("Another hub name"));
    m_use = button(tr("Use hub"), u"useHubButton"_s, this);
    m_use->setToolTip(tr("Make the selected (or typed) hub the one every panel works on"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_connection, 1);
    top->addWidget(m_health);
    top->addWidget(m_refresh);

    auto *hubBox = new QGroupBox(tr("Hubs"), this);
    auto *hubLayout = new QVBoxLayout(hubBox);
    hubLayout->addWidget(m_list, 1);
    auto *useRow = new QHBoxLayout;
    useRow->addWidget(m_newHub, 1);
    useRow->addWidget(m_use);
    hubLayout->addLayout(useRow);
    hubLayout->addWidget(m_armStatus);

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
    settings->addLayout(handlerButtons);
    settings->addWidget(m_settingsStatus);

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
    keys->addRow(keyButtons);
    keys->addRow(m_keysStatus);

    auto *right = new QVBoxLayout;
    right->addWidget(settingsBox, 2);
    right->addWidget(keysBox);
    auto *columns = new QHBoxLayout;
    columns->addWidget(hubBox, 2);
    columns->addLayout(right, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(columns, 1);

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
    connect(m_save, &QPushButton::clicked, this, [this] { saveSettings(); });
    connect(m_loadKeys, &QPushButton::clicked, this, [this] { loadKeys(); });
    connect(m_reveal, &QCheckBox::toggled, this, [this] { showKeys(); });
    connect(m_regenPrimary, &QPushButton::clicked, this, [this] { regenerate(wps::arm::KeyType::Primary); });
    connect(m_regenSecondary, &QPushButton::clicked, this,
            [this] { regenerate(wps::arm::KeyType::Secondary); });

    if (m_session) {
        connect(m_session, &ConsoleSession::connectionChanged, this, [this] { onConnectionChanged(); });
        connect(m_session, &ConsoleSession::hubChanged, this,
                [this](const QString &hub) { m_hubs->setCurrentHub(hub); });
        m_hubs->setCurrentHub(m_session->hub());
    }
    onConnectionChanged();
}

HubsPanel::~HubsPanel() = default;

void HubsPanel::setRememberedHubs(const QStringList &hubs)
{
    m_hubs->addRemembered(hubs);
}

void HubsPanel::setArmOptions(const wps::arm::ArmClientOptions &options)
{
    m_options = options;
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

void HubsPanel::setArmStatus(bool ok, const QString &text)
{
    showOutcome(m_armStatus, ok ? Outcome::Neutral : Outcome::Failure, text);
}

void HubsPanel::onConnectionChanged()
{
    const bool connected = m_session && m_session->state() == ConsoleSession::State::Connected;
    m_connection->setText(m_session ? tr("Service: %1").arg(m_session->stateText()) : QString());
    // Same endpoint and same key (compared by fingerprint, never kept): keep the ArmClient and what it found.
    const bool sameService = connected && m_arm && m_arm->property("wpsService").toByteArray() == serviceId();
    if (sameService)
        return;
    ++m_generation;
    if (m_arm)
        m_arm->deleteLater();
    m_resourceId.clear();
    m_haveKeys = false;
    m_keys = {};
    showKeys();
    m_hubs->setServiceHubs({});
    m_settingsTitle->setText(tr("Select a hub to see its settings."));
    m_handlers->setHandlers({});
    const bool enable = false;
    for (QWidget *w : {static_cast<QWidget *>(m_save), static_cast<QWidget *>(m_loadKeys),
                       static_cast<QWidget *>(m_regenPrimary), static_cast<QWidget *>(m_regenSecondary)})
        w->setEnabled(enable);
    if (connected)
        refresh();
    else
        setArmStatus(true, tr("Not connected."));
}

QByteArray HubsPanel::serviceId() const
{
    if (!m_session)
        return {};
    QByteArray id = m_session->endpoint().toString().toUtf8();
    if (m_session->connectionString()) {
        id += ' ' + QCryptographicHash::hash(m_session->connectionString()->accessKey().toUtf8(),
                                             QCryptographicHash::Sha256)
                        .toHex()
                        .left(16);
    }
    return id;
}

void HubsPanel::refresh()
{
    if (!m_session || m_session->state() != ConsoleSession::State::Connected)
        return;
    const quint64 generation = ++m_generation;
    if (auto *client = m_session->client()) {
        showOutcome(m_health, Outcome::Neutral, tr("Health: checking..."));
        wps::service::ServiceJob *job = client->health();
        connect(job, &wps::service::ServiceJob::finished, this, [this, job, generation] {
            if (generation != m_generation)
                return;
            if (job->hasError())
                showOutcome(m_health, Outcome::Failure, tr("Health: %1").arg(describeError(job->error())));
            else
                showOutcome(m_health, Outcome::Success, tr("Health: OK"));
        });
    }
    if (m_arm && !m_resourceId.isEmpty()) {
        loadHubs(generation);
        return;
    }
    setupArm(generation);
}

void HubsPanel::setupArm(quint64 generation)
{
    const QUrl endpoint = m_session->endpoint();
    wps::arm::ArmClientOptions options = m_options.value_or(wps::arm::ArmClientOptions{});
    const bool emulator = isLoopback(endpoint);
    if (emulator) {
        QUrl base = endpoint;
        base.setPath(QString());
        options.baseUrl = base;
    } else {
        options.baseUrl = QUrl(u"https://management.azure.com"_s);
    }
    auto makeClient = [this, options, generation](std::shared_ptr<const wps::service::Credential> c) {
        m_arm = new wps::arm::ArmClient(std::move(c), options, this);
        m_arm->setProperty("wpsService", serviceId());
        discover(generation);
    };
    if (emulator && m_session->connectionString()) {
        makeClient(
            std::make_shared<wps::service::AccessKeyCredential>(m_session->connectionString()->accessKey()));
        return;
    }
    // Entra ID: the profile's chain when the session has one, else one from the environment.
    wps::auth::CredentialChain *chain = m_session->findChild<wps::auth::CredentialChain *>(
        QString::fromUtf16(SessionChainName), Qt::FindDirectChildrenOnly);
    if (!chain) {
        if (!m_ownChain) {
            auto created =
                wps::auth::CredentialChain::create(wps::auth::AuthEnvironment::fromProcess(), {}, this);
            if (!created) {
                setArmStatus(false,
                             tr("Hub settings need Azure Resource Manager access: %1").arg(created.error()));
                Q_EMIT hubsLoaded(created.error());
                return;
            }
            m_ownChain = *created;
        }
        chain = m_ownChain;
    }
    setArmStatus(true, tr("Getting a management token..."));
    const QString scope = QString::fromUtf16(wps::auth::ManagementScope);
    wps::auth::TokenRequest *request = chain->getToken(scope);
    QPointer<wps::auth::CredentialChain> guard(chain);
    connect(
        request, &wps::auth::TokenRequest::finished, this,
        [this, request, guard, scope, generation, makeClient] {
            request->deleteLater();
            if (generation != m_generation || !guard)
                return;
            if (!request->result().ok()) {
                const QString error =
                    tr("Hub settings need Azure Resource Manager access: %1").arg(request->result().reason);
                setArmStatus(false, error);
                Q_EMIT hubsLoaded(error);
                return;
            }
            guard->setAutoRefresh(true);
            makeClient(std::make_shared<wps::auth::EntraCredential>(guard.data(), scope));
        });
}

void HubsPanel::discover(quint64 generation)
{
    setArmStatus(true, tr("Looking for the service's resource..."));
    wps::arm::ArmListJob *job = m_arm->listSubscriptions();
    connect(job, &wps::arm::ArmJob::finished, this, [this, job, generation] {
        job->deleteLater();
        if (generation != m_generation)
            return;
        if (job->hasError()) {
            setArmStatus(false, tr("Subscriptions: %1").arg(describeError(job->error())));
            Q_EMIT hubsLoaded(describeError(job->error()));
            return;
        }
        QStringList ids;
        const auto subscriptions = job->subscriptions();
        for (const auto &s : subscriptions) {
            if (ids.size() < MaxSubscriptions)
                ids.append(s.subscriptionId);
        }
        listResources(generation, ids);
    });
}

void HubsPanel::listResources(quint64 generation, QStringList subscriptions)
{
    if (subscriptions.isEmpty()) {
        const QString error = tr("No Web PubSub resource with host %1 in your subscriptions.")
                                  .arg(hostName(m_session->endpoint()));
        setArmStatus(false, error);
        Q_EMIT hubsLoaded(error);
        return;
    }
    const QString subscription = subscriptions.takeFirst();
    wps::arm::ArmListJob *job = m_arm->listWebPubSub(subscription);
    connect(job, &wps::arm::ArmJob::finished, this, [this, job, generation, subscriptions] {
        job->deleteLater();
        if (generation != m_generation)
            return;
        if (!job->hasError()) {
            const QString want = hostName(m_session->endpoint());
            const auto resources = job->resources();
            for (const auto &r : resources) {
                if (r.hostName.compare(want, Qt::CaseInsensitive) == 0 ||
                    r.hostName.compare(m_session->endpoint().host(), Qt::CaseInsensitive) == 0) {
                    m_resourceId = r.id;
                    break;
                }
            }
            if (m_resourceId.isEmpty() && resources.size() == 1 && isLoopback(m_session->endpoint()))
                m_resourceId = resources.constFirst().id;
        }
        if (m_resourceId.isEmpty()) {
            listResources(generation, subscriptions);
            return;
        }
        qCInfo(lcHubsPanel) << "resource" << m_resourceId;
        m_loadKeys->setEnabled(true);
        m_regenPrimary->setEnabled(true);
        m_regenSecondary->setEnabled(true);
        loadHubs(generation);
    });
}

void HubsPanel::loadHubs(quint64 generation)
{
    setArmStatus(true, tr("Reading hub settings..."));
    wps::arm::ArmListJob *job = m_arm->listHubs(m_resourceId);
    connect(job, &wps::arm::ArmJob::finished, this, [this, job, generation] {
        job->deleteLater();
        if (generation != m_generation)
            return;
        if (job->hasError()) {
            setArmStatus(false, tr("Hubs: %1").arg(describeError(job->error())));
            Q_EMIT hubsLoaded(describeError(job->error()));
            return;
        }
        QStringList names;
        const auto hubs = job->hubs();
        for (const auto &h : hubs)
            names.append(h.name);
        m_hubs->setServiceHubs(names);
        setArmStatus(true, tr("Resource %1: %n hub(s) configured on the service.", nullptr, int(names.size()))
                               .arg(m_resourceId.section(u'/', -1)));
        Q_EMIT hubsLoaded(QString());
    });
}

void HubsPanel::loadSettings(const QString &hub)
{
    m_editedHub = hub;
    m_settingsTitle->setText(tr("Settings of hub \"%1\"").arg(hub));
    m_settingsStatus->clear();
    if (!m_arm || m_resourceId.isEmpty()) {
        m_save->setEnabled(false);
        return;
    }
    const quint64 generation = m_generation;
    showOutcome(m_settingsStatus, Outcome::Neutral, tr("Loading..."));
    wps::arm::HubJob *job = m_arm->getHub(m_resourceId, hub);
    connect(job, &wps::arm::ArmJob::finished, this, [this, job, generation, hub] {
        job->deleteLater();
        if (generation != m_generation || hub != m_editedHub)
            return;
        if (job->hasError() && job->httpStatus() != 404) {
            showOutcome(m_settingsStatus, Outcome::Failure, describeError(job->error()));
            m_save->setEnabled(false);
            Q_EMIT settingsLoaded(hub, describeError(job->error()));
            return;
        }
        const wps::arm::HubSettings settings = job->hasError() ? wps::arm::HubSettings{} : job->hub();
        m_anonymous->setChecked(settings.anonymousConnect);
        m_handlers->setHandlers(settings.eventHandlers);
        m_save->setEnabled(true);
        showOutcome(m_settingsStatus, Outcome::Neutral,
                    job->hasError() ? tr("Not configured on the service: defaults apply (deny anonymous, no "
                                         "handlers). Saving creates the setting.")
                                    : QString());
        Q_EMIT settingsLoaded(hub, QString());
    });
}

void HubsPanel::saveSettings()
{
    if (!m_arm || m_resourceId.isEmpty() || m_editedHub.isEmpty())
        return;
    const QString hub = m_editedHub;
    const quint64 generation = m_generation;
    const bool anonymous = m_anonymous->isChecked();
    const QList<wps::arm::EventHandler> handlers = m_handlers->handlers();
    m_save->setEnabled(false);
    showOutcome(m_settingsStatus, Outcome::Neutral, tr("Saving..."));
    // Read-modify-write: start from what the service has now, so fields this panel does not show survive.
    wps::arm::HubJob *read = m_arm->getHub(m_resourceId, hub);
    connect(read, &wps::arm::ArmJob::finished, this, [this, read, generation, hub, anonymous, handlers] {
        read->deleteLater();
        if (generation != m_generation)
            return;
        if (read->hasError() && read->httpStatus() != 404) {
            m_save->setEnabled(true);
            showOutcome(m_settingsStatus, Outcome::Failure, describeError(read->error()));
            Q_EMIT settingsSaved(hub, describeError(read->error()));
            return;
        }
        wps::arm::HubSettings settings = read->hasError() ? wps::arm::HubSettings{} : read->hub();
        settings.anonymousConnect = anonymous;
        settings.eventHandlers = handlers;
        wps::arm::HubJob *put = m_arm->createOrUpdateHub(m_resourceId, hub, settings);
        connect(put, &wps::arm::ArmJob::finished, this, [this, put, generation, hub] {
            put->deleteLater();
            if (generation != m_generation)
                return;
            m_save->setEnabled(true);
            if (put->hasError()) {
                showOutcome(m_settingsStatus, Outcome::Failure, describeError(put->error()));
                Q_EMIT settingsSaved(hub, describeError(put->error()));
                return;
            }
            if (hub == m_editedHub) {
                m_anonymous->setChecked(put->hub().anonymousConnect);
                m_handlers->setHandlers(put->hub().eventHandlers);
            }
            showOutcome(m_settingsStatus, Outcome::Success,
                        put->created() ? tr("Created the settings of hub \"%1\".").arg(hub)
                                       : tr("Saved the settings of hub \"%1\".").arg(hub));
            loadHubs(generation);
            Q_EMIT settingsSaved(hub, QString());
        });
    });
}

void HubsPanel::showKeys()
{
    const bool reveal = m_reveal->isChecked();
    const QString none = m_haveKeys ? QString() : tr("(not loaded)");
    m_primaryKey->setText(m_haveKeys ? (reveal ? m_keys.primaryKey : masked(m_keys.primaryKey)) : none);
    m_secondaryKey->setText(m_haveKeys ? (reveal ? m_keys.secondaryKey : masked(m_keys.secondaryKey)) : none);
}

void HubsPanel::loadKeys()
{
    if (!m_arm || m_resourceId.isEmpty())
        return;
    const quint64 generation = m_generation;
    showOutcome(m_keysStatus, Outcome::Neutral, tr("Loading keys..."));
    wps::arm::KeysJob *job = m_arm->listKeys(m_resourceId);
    connect(job, &wps::arm::ArmJob::finished, this, [this, job, generation] {
        job->deleteLater();
        if (generation != m_generation)
            return;
        if (job->hasError()) {
            // 403 means the identity may read but not list keys: say so instead of hiding the section.
            showOutcome(m_keysStatus, Outcome::Failure, describeError(job->error()));
            return;
        }
        m_keys = job->keys();
        m_haveKeys = true;
        m_keysStatus->clear();
        showKeys();
    });
}

void HubsPanel::regenerate(wps::arm::KeyType type)
{
    if (!m_arm || m_resourceId.isEmpty())
        return;
    const quint64 generation = m_generation;
    showOutcome(m_keysStatus, Outcome::Neutral, tr("Regenerating..."));
    wps::arm::KeysJob *job = m_arm->regenerateKey(m_resourceId, type);
    connect(job, &wps::arm::ArmJob::finished, this, [this, job, generation] {
        job->deleteLater();
        if (generation != m_generation)
            return;
        if (job->hasError()) {
            showOutcome(m_keysStatus, Outcome::Failure, describeError(job->error()));
            return;
        }
        m_keys = job->keys();
        m_haveKeys = true;
        showKeys();
        showOutcome(m_keysStatus, Outcome::Success,
                    tr("Key regenerated. Connections using the old key must be updated (edit the profile)."));
    });
}

} // namespace wps::ui
