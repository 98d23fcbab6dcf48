// The Hubs panel against the real `webpubsub-emulator`, which serves ARM itself: the panel discovers the
// resource (subscriptions -> webPubSub), lists hubs, switches the session's hub, and edits a hub's event
// handlers with a read-modify-PUT that an independent ArmClient GET then sees.
#include "arm/armclient.h"
#include "auth/credentialchain.h"
#include "auth/entracredential.h"
#include "live/liveclient.h"
#include "panels/hubs/hubmodels.h"
#include "panels/hubs/hubspanel.h"
#include "protocol/clienttoken.h"
#include "service/credential.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/faultserver.h"
#include "support/panelfixture.h"
#include "support/printers.h"
#include "support/tokenendpoint.h"
#include "support/wait.h"
#include "support/widgets.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {

using wps::test::child;

using wps::test::kWaitMs;

class HubsPanelTest : public wps::test::PanelTest<wps::ui::HubsPanel>
{
protected:
    void panelReady() override
    {
        m_hubTester =
            std::make_unique<QAbstractItemModelTester>(child<QListView>(*m_panel, u"hubList"_s)->model(),
                                                       QAbstractItemModelTester::FailureReportingMode::Fatal);
        m_handlerTester =
            std::make_unique<QAbstractItemModelTester>(child<QTableView>(*m_panel, u"handlerView"_s)->model(),
                                                       QAbstractItemModelTester::FailureReportingMode::Fatal);
    }

    /// An ArmClient of our own, to check what the emulator really stores.
    std::unique_ptr<wps::arm::ArmClient> arm()
    {
        wps::arm::ArmClientOptions options;
        options.baseUrl = m_emulator.endpoint();
        return std::make_unique<wps::arm::ArmClient>(
            std::make_shared<wps::service::AccessKeyCredential>(m_emulator.connectionString().accessKey()),
            options);
    }

    void waitLoaded()
    {
        EXPECT_TRUE(QTest::qWaitFor([&] { return !m_panel->resourceId().isEmpty(); }, kWaitMs))
            << child<QLabel>(*m_panel, u"armStatusLabel"_s)->text().toStdString();
    }

    std::unique_ptr<QAbstractItemModelTester> m_hubTester;
    std::unique_ptr<QAbstractItemModelTester> m_handlerTester;
};

TEST_F(HubsPanelTest, DiscoversEmulatorResourceAndListsItsHubs)
{
    // A hub configured over ARM before the panel looks.
    auto client = arm();
    wps::arm::ArmListJob *subs = client->listSubscriptions();
    QSignalSpy subsDone(subs, &wps::arm::ArmJob::finished);
    ASSERT_TRUE(subsDone.wait(kWaitMs));
    ASSERT_FALSE(subs->hasError());
    waitLoaded();
    wps::arm::HubSettings settings;
    settings.anonymousConnect = true;
    wps::arm::HubJob *put = client->createOrUpdateHub(m_panel->resourceId(), u"lobby"_s, settings);
    QSignalSpy putDone(put, &wps::arm::ArmJob::finished);
    ASSERT_TRUE(putDone.wait(kWaitMs));
    ASSERT_FALSE(put->hasError()) << put->error().toString().toStdString();

    QSignalSpy loaded(m_panel.get(), &wps::ui::HubsPanel::hubsLoaded);
    child<QPushButton>(*m_panel, u"refreshButton"_s)->click();
    ASSERT_TRUE(loaded.wait(kWaitMs));
    EXPECT_TRUE(loaded.last().at(0).toString().isEmpty()) << loaded.last().at(0).toString().toStdString();
    QAbstractItemModel *model = child<QListView>(*m_panel, u"hubList"_s)->model();
    const auto *hubs = static_cast<wps::ui::HubListModel *>(model);
    const int lobby = hubs->rowOf(u"lobby"_s);
    ASSERT_GE(lobby, 0);
    EXPECT_TRUE(model->index(lobby, 0).data(wps::ui::HubListModel::OnServiceRole).toBool());
    EXPECT_GE(hubs->rowOf(u"chat"_s), 0); // the session's hub is always listed
    EXPECT_TRUE(QTest::qWaitFor(
        [&] { return child<QLabel>(*m_panel, u"healthLabel"_s)->text().contains(u"OK"_s); }, kWaitMs));
}

TEST_F(HubsPanelTest, SwitchingHubChangesSessionHub)
{
    waitLoaded();
    child<QLineEdit>(*m_panel, u"hubNameEdit"_s)->setText(u"notifications"_s);
    child<QPushButton>(*m_panel, u"useHubButton"_s)->click();
    EXPECT_EQ(m_session.hub(), u"notifications"_s);
    const auto *hubs =
        static_cast<wps::ui::HubListModel *>(child<QListView>(*m_panel, u"hubList"_s)->model());
    EXPECT_GE(hubs->rowOf(u"notifications"_s), 0);

    // An invalid name is refused inline; the hub stays.
    child<QLineEdit>(*m_panel, u"hubNameEdit"_s)->setText(u"bad name!"_s);
    child<QPushButton>(*m_panel, u"useHubButton"_s)->click();
    EXPECT_EQ(m_session.hub(), u"notifications"_s);
}

TEST_F(HubsPanelTest, EditsEventHandlerAndEmulatorStoresIt)
{
    waitLoaded();
    auto *list = child<QListView>(*m_panel, u"hubList"_s);
    const auto *hubs = static_cast<wps::ui::HubListModel *>(list->model());
    const int chat = hubs->rowOf(u"chat"_s);
    ASSERT_GE(chat, 0);
    QSignalSpy settingsLoaded(m_panel.get(), &wps::ui::HubsPanel::settingsLoaded);
    list->setCurrentIndex(list->model()->index(chat, 0));
    ASSERT_TRUE(settingsLoaded.wait(kWaitMs));
    EXPECT_TRUE(settingsLoaded.last().at(1).toString().isEmpty());

    auto *view = child<QTableView>(*m_panel, u"handlerView"_s);
    const int before = view->model()->rowCount();
    child<QPushButton>(*m_panel, u"addHandlerButton"_s)->click();
    QAbstractItemModel *handlers = view->model();
    ASSERT_EQ(handlers->rowCount(), before + 1);
    // A loopback event handler that passes abuse protection and accepts every event.
    wps::test::FaultServer upstream;
    upstream.setDefault(wps::test::FaultServer::Response::answer(200, {}, {{"WebHook-Allowed-Origin", "*"}}));
    const quint16 upstreamPort = upstream.listen();
    ASSERT_NE(upstreamPort, 0);
    const QString url = u"http://127.0.0.1:%1/upstream/{event}"_s.arg(upstreamPort);
    EXPECT_TRUE(handlers->setData(handlers->index(before, wps::ui::EventHandlerModel::UrlTemplate), url));
    EXPECT_TRUE(handlers->setData(handlers->index(before, wps::ui::EventHandlerModel::UserEvents), u"*"_s));
    EXPECT_TRUE(handlers->setData(handlers->index(before, wps::ui::EventHandlerModel::SystemEvents),
                                  u"Connect, connected"_s));
    child<QCheckBox>(*m_panel, u"anonymousCheck"_s)->setChecked(true);

    QSignalSpy saved(m_panel.get(), &wps::ui::HubsPanel::settingsSaved);
    child<QPushButton>(*m_panel, u"saveSettingsButton"_s)->click();
    ASSERT_TRUE(saved.wait(kWaitMs));
    EXPECT_TRUE(saved.last().at(1).toString().isEmpty()) << saved.last().at(1).toString().toStdString();
    EXPECT_TRUE(child<QLabel>(*m_panel, u"settingsStatusLabel"_s)->text().contains(u"chat"_s));

    // The emulator's own ARM GET shows the handler.
    auto client = arm();
    wps::arm::HubJob *get = client->getHub(m_panel->resourceId(), u"chat"_s);
    QSignalSpy got(get, &wps::arm::ArmJob::finished);
    ASSERT_TRUE(got.wait(kWaitMs));
    ASSERT_FALSE(get->hasError()) << get->error().toString().toStdString();
    EXPECT_TRUE(get->hub().anonymousConnect);
    ASSERT_EQ(get->hub().eventHandlers.size(), before + 1);
    const wps::arm::EventHandler &h = get->hub().eventHandlers.constLast();
    EXPECT_EQ(h.urlTemplate, url);
    EXPECT_EQ(h.userEventPattern, u"*"_s);
    EXPECT_EQ(h.systemEvents, (QStringList{u"connect"_s, u"connected"_s}));

    // The emulator really uses it: a client connecting to the hub makes it call the handler.
    wps::ClientTokenOptions token;
    token.userId = u"alice"_s;
    const wps::ClientAccess access = wps::makeClientAccess(m_emulator.connectionString(), u"chat"_s, token);
    wps::live::LiveClient live(access.url, wps::live::Subprotocol::Json);
    wps::live::LiveClientSettings liveSettings;
    liveSettings.autoReconnect = false;
    live.setSettings(liveSettings);
    live.start();
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            for (const QByteArray &request : upstream.requests()) {
                if (request.startsWith("POST /upstream/connect"))
                    return true;
            }
            return false;
        },
        kWaitMs))
        << upstream.requestCount();
}

TEST_F(HubsPanelTest, KeysAreMaskedUntilRevealed)
{
    waitLoaded();
    EXPECT_TRUE(QTest::qWaitFor(
        [&] { return child<QPushButton>(*m_panel, u"loadKeysButton"_s)->isEnabled(); }, kWaitMs));
    child<QPushButton>(*m_panel, u"loadKeysButton"_s)->click();
    auto *primary = child<QLabel>(*m_panel, u"primaryKeyLabel"_s);
    EXPECT_TRUE(QTest::qWaitFor([&] { return primary->text().contains(u"\u2022"_s); }, kWaitMs))
        << primary->text().toStdString();
    const QString key = m_emulator.connectionString().accessKey();
    EXPECT_FALSE(primary->text().contains(key));
    child<QCheckBox>(*m_panel, u"revealCheck"_s)->setChecked(true);
    EXPECT_TRUE(primary->text() == key);
}

TEST_F(HubsPanelTest, ShowsWhichKeyTheCurrentProfileUses)
{
    waitLoaded();
    auto *inUse = child<QLabel>(*m_panel, u"keyInUseLabel"_s);
    // Before the keys are loaded it cannot say which.
    EXPECT_TRUE(inUse->text().contains(u"load the keys"_s)) << inUse->text().toStdString();
    EXPECT_TRUE(QTest::qWaitFor(
        [&] { return child<QPushButton>(*m_panel, u"loadKeysButton"_s)->isEnabled(); }, kWaitMs));
    child<QPushButton>(*m_panel, u"loadKeysButton"_s)->click();
    // The test's connection string carries the emulator's primary key.
    EXPECT_TRUE(QTest::qWaitFor([&] { return inUse->text() == u"Uses the primary key."_s; }, kWaitMs))
        << inUse->text().toStdString();
    EXPECT_FALSE(inUse->text().contains(m_emulator.connectionString().accessKey()));

    // A connection with the secondary key (the emulator starts without one: one is made): the panel says so.
    const auto keys = arm();
    auto *made = keys->regenerateKey(m_panel->resourceId(), wps::arm::KeyType::Secondary);
    QSignalSpy regenerated(made, &wps::arm::ArmJob::finished);
    ASSERT_TRUE(regenerated.wait(kWaitMs));
    ASSERT_FALSE(made->hasError()) << made->error().toString().toStdString();
    const QString secondary = made->keys().secondaryKey;
    ASSERT_FALSE(secondary.isEmpty());
    auto connection = wps::ConnectionString::parse(
        u"Endpoint=%1;AccessKey=%2;Version=1.0;"_s.arg(m_emulator.endpoint().toString(), secondary));
    ASSERT_TRUE(bool(connection));
    m_session.setConnection(*connection, u"secondary"_s);
    EXPECT_TRUE(QTest::qWaitFor(
        [&] { return child<QPushButton>(*m_panel, u"loadKeysButton"_s)->isEnabled(); }, kWaitMs));
    child<QPushButton>(*m_panel, u"loadKeysButton"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return inUse->text() == u"Uses the secondary key."_s; }, kWaitMs))
        << inUse->text().toStdString();
}

TEST_F(HubsPanelTest, RegeneratingAKeyAsksNamingHubAndResource)
{
    waitLoaded();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return child<QPushButton>(*m_panel, u"regenerateSecondaryButton"_s)->isEnabled(); }, kWaitMs));
    // The secondary key: the session and our ArmClient authenticate with the primary one.
    auto storedSecondary = [&] {
        auto client = arm();
        wps::arm::KeysJob *job = client->listKeys(m_panel->resourceId());
        QSignalSpy finished(job, &wps::arm::ArmJob::finished);
        EXPECT_TRUE(finished.wait(kWaitMs));
        EXPECT_FALSE(job->hasError()) << job->error().toString().toStdString();
        return job->keys().secondaryKey;
    };
    const QString key = storedSecondary();

    // Cancel: the dialog names the hub and the resource, and the emulator keeps the key.
    bool seen = false;
    QString text;
    wps::test::onDialog(
        u"confirmDialog"_s,
        [&](QDialog *dialog) {
            text = dialog->findChild<QLabel *>(u"confirmText"_s)->text();
            dialog->reject();
        },
        &seen);
    child<QPushButton>(*m_panel, u"regenerateSecondaryButton"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return seen; }, kWaitMs));
    EXPECT_TRUE(text.contains(u"chat"_s)) << text.toStdString();
    EXPECT_TRUE(text.contains(m_emulator.endpoint().host())) << text.toStdString();
    EXPECT_EQ(storedSecondary(), key);

    // This session's profile is not the local emulator: the hub name must be typed, then the key changes.
    seen = false;
    bool okBeforeTyping = true;
    wps::test::onDialog(
        u"confirmDialog"_s,
        [&](QDialog *dialog) {
            auto *typed = dialog->findChild<QLineEdit *>(u"confirmHubName"_s);
            auto *ok = dialog->findChild<QPushButton *>(u"confirmOk"_s);
            if (!typed || !ok) {
                dialog->reject();
                return;
            }
            okBeforeTyping = ok->isEnabled();
            typed->setText(u"chat"_s);
            ok->click();
        },
        &seen);
    child<QPushButton>(*m_panel, u"regenerateSecondaryButton"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return seen; }, kWaitMs));
    EXPECT_FALSE(okBeforeTyping);
    auto *status = child<QLabel>(*m_panel, u"keysStatusLabel"_s);
    EXPECT_TRUE(QTest::qWaitFor([&] { return status->text().startsWith(u"Key regenerated"_s); }, kWaitMs))
        << status->text().toStdString();
    EXPECT_NE(storedSecondary(), key);
}

TEST(HubsPanelEntra, UsesTheSessionsEntraChainForArm)
{
    wps::test::TokenEndpoint tokens;
    ASSERT_NE(tokens.listen(), 0);
    tokens.addClientSecret(u"app-1"_s, u"app-secret-1"_s);
    tokens.setRoles({u"Web PubSub Service Owner"_s, u"Contributor"_s});
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QFile config(dir.filePath(u"config.json"_s));
    ASSERT_TRUE(config.open(QIODevice::WriteOnly));
    config.write(tokens.entraConfig());
    config.close();
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start({u"--config"_s, config.fileName()})) << emulator.errorText().toStdString();

    // What ProfileConnector does for an Entra ID profile: the session gets the credential and its chain.
    wps::ui::ConsoleSession session;
    wps::auth::AuthEnvironment env;
    env.authorityHost = tokens.authorityHost();
    env.tenantId = tokens.tenant();
    env.clientId = u"app-1"_s;
    env.clientSecret = u"app-secret-1"_s;
    env.noImds = true;
    env.tokenCredentials = u"EnvironmentCredential"_s;
    auto chain = wps::auth::CredentialChain::create(env, {}, &session);
    ASSERT_TRUE(chain);
    wps::auth::TokenRequest *first = (*chain)->getToken(QString::fromUtf16(wps::auth::DataPlaneScope));
    ASSERT_TRUE(QTest::qWaitFor([first] { return first->isFinished(); }, kWaitMs));
    ASSERT_TRUE(first->result().ok()) << first->result().reason.toStdString();
    session.setCredentialConnection(emulator.endpoint(), std::make_shared<wps::auth::EntraCredential>(*chain),
                                    u"entra"_s, *chain);
    EXPECT_EQ(session.credentialChain(), *chain);

    wps::ui::HubsPanel panel(&session);
    EXPECT_TRUE(QTest::qWaitFor([&] { return !panel.resourceId().isEmpty(); }, kWaitMs))
        << child<QLabel>(panel, u"armStatusLabel"_s)->text().toStdString();
    auto *list = child<QListView>(panel, u"hubList"_s);
    const int chat = static_cast<wps::ui::HubListModel *>(list->model())->rowOf(u"chat"_s);
    ASSERT_GE(chat, 0);
    QSignalSpy loaded(&panel, &wps::ui::HubsPanel::settingsLoaded);
    list->setCurrentIndex(list->model()->index(chat, 0));
    ASSERT_TRUE(loaded.wait(kWaitMs));
    child<QCheckBox>(panel, u"anonymousCheck"_s)->setChecked(true);
    QSignalSpy saved(&panel, &wps::ui::HubsPanel::settingsSaved);
    child<QPushButton>(panel, u"saveSettingsButton"_s)->click();
    ASSERT_TRUE(saved.wait(kWaitMs));
    EXPECT_TRUE(saved.last().at(1).toString().isEmpty()) << saved.last().at(1).toString().toStdString();
}

} // namespace
