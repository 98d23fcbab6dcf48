// The Profiles panel and the ProfileConnector against the real `webpubsub-emulator` over loopback: profiles
// are edited through the panel's widgets (secrets only in a MemorySecretStore), opened into a ConsoleSession
// whose REST client then really talks to the emulator, and tested inline (health + authenticated call).
#include "panels/profiles/profileconnector.h"
#include "panels/profiles/profilelistmodel.h"
#include "panels/profiles/profilespanel.h"
#include "profiles/profilestore.h"
#include "secrets/fallbacksecretstore.h"
#include "secrets/memorysecretstore.h"
#include "service/connectionprobe.h"
#include "service/serviceclient.h"
#include "service/servicejob.h"
#include "session/consolesession.h"
#include "session/localservice.h"
#include "support/panelfixture.h"
#include "support/printers.h"
#include "support/tokenendpoint.h"
#include "support/wait.h"
#include "support/widgets.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <gtest/gtest.h>

#include <memory>
#include <optional>

using namespace Qt::Literals::StringLiterals;
using wps::profiles::AuthKind;

namespace {

using wps::test::child;

using wps::test::kWaitMs;

class ProfilesPanelTest : public wps::test::PanelTest<wps::ui::ProfilesPanel>
{
protected:
    bool connectOnSetUp() const override { return false; }
    std::unique_ptr<wps::ui::ProfilesPanel> makePanel() override
    {
        EXPECT_TRUE(m_dir.isValid());
        m_store =
            std::make_unique<wps::profiles::ProfileStore>(m_dir.filePath(u"profiles.ini"_s), &m_secrets);
        m_connector = std::make_unique<wps::ui::ProfileConnector>(m_store.get(), nullptr);
        return std::make_unique<wps::ui::ProfilesPanel>(&m_session, m_store.get(), m_connector.get());
    }
    void panelReady() override
    {
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_panel->findChild<QListView *>(u"profileList"_s)->model(),
            QAbstractItemModelTester::FailureReportingMode::Fatal);
    }
    // The panel refers to the store and the connector: it goes first.
    void TearDown() override
    {
        m_tester.reset();
        m_panel.reset();
    }

    QString key() const { return m_emulator.connectionString().accessKey(); }
    QString endpoint() const { return m_emulator.endpoint().toString(); }
    QString status() { return child<QLabel>(*m_panel, u"statusLabel"_s)->text(); }
    QString testResult() { return child<QLabel>(*m_panel, u"testResultLabel"_s)->text(); }

    /// Fills the form with an access-key profile of the emulator.
    void fillForm(const QString &name, const QString &secret)
    {
        child<QLineEdit>(*m_panel, u"nameEdit"_s)->setText(name);
        child<QLineEdit>(*m_panel, u"endpointEdit"_s)->setText(endpoint());
        auto *auth = child<QComboBox>(*m_panel, u"authCombo"_s);
        auth->setCurrentIndex(auth->findData(int(AuthKind::AccessKey)));
        child<QLineEdit>(*m_panel, u"secretEdit"_s)->setText(secret);
        child<QLineEdit>(*m_panel, u"hubsEdit"_s)->setText(u"chat"_s);
    }

    /// Adds an access-key profile through the panel and waits until its key is stored.
    QString addThroughPanel(const QString &name, const QString &secret = {})
    {
        child<QPushButton>(*m_panel, u"newButton"_s)->click();
        fillForm(name, secret.isEmpty() ? key() : secret);
        child<QPushButton>(*m_panel, u"saveButton"_s)->click();
        EXPECT_TRUE(QTest::qWaitFor([&] { return status().contains(u"secret store"_s); }, kWaitMs))
            << status().toStdString();
        return m_panel->currentProfileId();
    }

    QString storedSecret(const QString &id)
    {
        QString value;
        bool done = false;
        m_store->secret(id, wps::secrets::SecretKind::AccessKey, m_panel.get(),
                        [&](const wps::profiles::ProfileSecret &s) {
                            value = s ? *s : QString();
                            done = true;
                        });
        EXPECT_TRUE(QTest::qWaitFor([&] { return done; }, kWaitMs));
        return value;
    }

    QTemporaryDir m_dir;
    wps::secrets::MemorySecretStore m_secrets;
    std::unique_ptr<wps::profiles::ProfileStore> m_store;
    std::unique_ptr<wps::ui::ProfileConnector> m_connector;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

TEST_F(ProfilesPanelTest, ListsBuiltInLocalEmulatorFirst)
{
    QAbstractItemModel *model = child<QListView>(*m_panel, u"profileList"_s)->model();
    ASSERT_GE(model->rowCount(), 1);
    EXPECT_EQ(model->index(0, 0).data(Qt::UserRole + 1).toString(),
              wps::profiles::Profile::localEmulatorId());
    EXPECT_FALSE(child<QPushButton>(*m_panel, u"removeButton"_s)->isEnabled());
}

TEST_F(ProfilesPanelTest, AddEditDuplicateRemoveKeepsSecretsOutOfSettings)
{
    QAbstractItemModel *model = child<QListView>(*m_panel, u"profileList"_s)->model();
    const QString id = addThroughPanel(u"Emulator by key"_s);
    ASSERT_FALSE(id.isEmpty());
    EXPECT_EQ(m_store->profiles().size(), 2);
    EXPECT_EQ(model->rowCount(), 2);
    EXPECT_TRUE(storedSecret(id) == key());
    EXPECT_TRUE(child<QLineEdit>(*m_panel, u"secretEdit"_s)->text().isEmpty());

    // Edit: the name changes, the key stays.
    child<QLineEdit>(*m_panel, u"nameEdit"_s)->setText(u"Renamed"_s);
    child<QPushButton>(*m_panel, u"saveButton"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return status().contains(u"Saved"_s); }, kWaitMs));
    EXPECT_EQ(m_store->profile(id)->name, u"Renamed"_s);
    EXPECT_TRUE(storedSecret(id) == key());

    // Duplicate copies the profile and its secret.
    child<QPushButton>(*m_panel, u"duplicateButton"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return status().contains(u"Duplicated"_s); }, kWaitMs));
    EXPECT_EQ(m_store->profiles().size(), 3);
    const QString copy = m_panel->currentProfileId();
    EXPECT_NE(copy, id);
    EXPECT_TRUE(storedSecret(copy) == key());
    EXPECT_TRUE(QTest::qWaitFor([&] { return model->rowCount() == 3; }, kWaitMs));

    // The settings file never holds the key.
    m_store->sync();
    QFile settings(m_store->settingsPath());
    ASSERT_TRUE(settings.open(QIODevice::ReadOnly));
    const QByteArray text = settings.readAll();
    EXPECT_TRUE(text.contains("Renamed"));
    EXPECT_FALSE(text.contains(key().toUtf8()));

    // Export writes JSON without the secret.
    const QString exportPath = m_dir.filePath(u"export.json"_s);
    ASSERT_TRUE(m_panel->exportProfileTo(exportPath));
    QFile exported(exportPath);
    ASSERT_TRUE(exported.open(QIODevice::ReadOnly));
    const QByteArray json = exported.readAll();
    EXPECT_FALSE(json.contains(key().toUtf8()));
    EXPECT_EQ(QJsonDocument::fromJson(json).object().value(u"format"_s).toString(),
              u"webpubsub-console-profile"_s);

    // Remove deletes the copy and its secret.
    child<QPushButton>(*m_panel, u"removeButton"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return status().contains(u"Removed"_s); }, kWaitMs));
    EXPECT_FALSE(m_store->profile(copy).has_value());
    EXPECT_TRUE(storedSecret(copy).isEmpty());
    EXPECT_EQ(model->rowCount(), 2);
}

TEST_F(ProfilesPanelTest, OpenAccessKeyProfileConnectsSessionAndRestWorks)
{
    const QString id = addThroughPanel(u"Emulator"_s);
    QSignalSpy opened(m_connector.get(), &wps::ui::ProfileConnector::opened);
    child<QPushButton>(*m_panel, u"openButton"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor(
        [&] { return m_session.state() == wps::ui::ConsoleSession::State::Connected; }, kWaitMs))
        << m_session.stateText().toStdString();
    ASSERT_GE(opened.size(), 1);
    EXPECT_TRUE(opened.at(0).at(1).toString().isEmpty());
    EXPECT_EQ(m_session.profileName(), u"Emulator"_s);
    EXPECT_EQ(m_session.hub(), u"chat"_s);
    EXPECT_TRUE(QTest::qWaitFor([&] { return status().contains(u"Connected"_s); }, kWaitMs));

    ASSERT_NE(m_session.client(), nullptr);
    wps::service::ServiceJob *job = m_session.client()->connectionExists(u"nobody"_s);
    QSignalSpy finished(job, &wps::service::ServiceJob::finished);
    ASSERT_TRUE(finished.wait(kWaitMs));
    EXPECT_FALSE(job->hasError()) << job->error().toString().toStdString();

    QSignalSpy newWindow(m_panel.get(), &wps::ui::ProfilesPanel::openInNewWindowRequested);
    child<QPushButton>(*m_panel, u"openNewWindowButton"_s)->click();
    ASSERT_EQ(newWindow.size(), 1);
    EXPECT_EQ(newWindow.at(0).at(0).toString(), id);

    // Switching the hub is remembered in the profile.
    m_session.setHub(u"other"_s);
    EXPECT_EQ(m_store->profile(id)->hubs.constLast(), u"other"_s);
}

TEST_F(ProfilesPanelTest, OpenWithoutStoredKeySaysSo)
{
    wps::profiles::Profile p;
    p.name = u"No key"_s;
    p.endpoint = m_emulator.endpoint();
    auto added = m_store->add(p);
    ASSERT_TRUE(added);
    m_connector->open(added->id, &m_session);
    EXPECT_TRUE(QTest::qWaitFor([&] { return m_session.state() == wps::ui::ConsoleSession::State::Failed; },
                                kWaitMs));
    EXPECT_TRUE(m_session.stateText().contains(u"no stored key"_s)) << m_session.stateText().toStdString();
}

TEST_F(ProfilesPanelTest, TestConnectionOkAndWrongKeyShows401Inline)
{
    child<QPushButton>(*m_panel, u"newButton"_s)->click();
    fillForm(u"Probe"_s, key());
    child<QPushButton>(*m_panel, u"testButton"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return testResult().contains(u"Connection OK"_s); }, kWaitMs))
        << testResult().toStdString();

    const QString wrong = QString::fromLatin1(QByteArray(32, 'x').toBase64());
    fillForm(u"Probe"_s, wrong);
    child<QPushButton>(*m_panel, u"testButton"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return testResult().contains(u"401"_s); }, kWaitMs))
        << testResult().toStdString();
    EXPECT_FALSE(testResult().contains(wrong));
    EXPECT_TRUE(m_store->profiles().size() == 1); // testing saved nothing
}

TEST_F(ProfilesPanelTest, ImportFromEnvironmentStoresKeyOnly)
{
    qputenv("WEBPUBSUB_CONNECTION_STRING", m_emulator.connectionString().toString().toUtf8());
    child<QPushButton>(*m_panel, u"importEnvButton"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return status().contains(u"Imported"_s); }, kWaitMs))
        << status().toStdString();
    qunsetenv("WEBPUBSUB_CONNECTION_STRING");
    const QString id = m_panel->currentProfileId();
    ASSERT_FALSE(id.isEmpty());
    EXPECT_TRUE(storedSecret(id) == key());
    EXPECT_EQ(child<QLineEdit>(*m_panel, u"endpointEdit"_s)->text(), endpoint());
}

/// The window's LocalService over a real emulator process, started on the first ensureStarted().
class ProcessLocalService : public wps::ui::LocalService
{
public:
    void ensureStarted() override
    {
        ++starts;
        if (!m_emulator.process().processId() && !m_emulator.start()) {
            m_status = Status::Failed;
            QTimer::singleShot(0, this, [this] { Q_EMIT failed(m_emulator.errorText()); });
            return;
        }
        m_status = Status::Running;
        QTimer::singleShot(0, this, [this] { Q_EMIT started(m_emulator.connectionString()); });
    }
    Status status() const override { return m_status; }
    std::optional<wps::ConnectionString> connectionString() const override
    {
        if (m_status != Status::Running)
            return std::nullopt;
        return m_emulator.connectionString();
    }
    QString statusText() const override { return QString(); }

    int starts = 0;

private:
    wps::test::EmulatorProcess m_emulator;
    Status m_status = Status::Stopped;
};

/// A secret store whose keychain is missing: every operation fails as Unavailable (as KeychainSecretStore
/// does without a session bus), so the panel's session-only offer can be seen without a keyring.
class NoKeychainStore : public wps::secrets::SecretStore
{
public:
    void read(const wps::secrets::SecretKey &, QObject *context,
              wps::secrets::SecretReadCallback done) override
    {
        deliver(context, [done] { done(wps::secrets::SecretValue::failure(unavailable())); });
    }
    void write(const wps::secrets::SecretKey &, const QString &, QObject *context,
               wps::secrets::SecretDoneCallback done) override
    {
        deliver(context, [done] { done(wps::secrets::SecretDone::failure(unavailable())); });
    }
    void remove(const wps::secrets::SecretKey &, QObject *context,
                wps::secrets::SecretDoneCallback done) override
    {
        deliver(context, [done] { done(wps::secrets::SecretDone::failure(unavailable())); });
    }
    void probe(QObject *context, std::function<void(const wps::secrets::SecretBackendStatus &)> done) override
    {
        deliver(context, [done] {
            done(wps::secrets::SecretBackendStatus{false, false, u"none"_s, u"no bus"_s});
        });
    }

private:
    static wps::secrets::SecretError unavailable()
    {
        return {wps::secrets::SecretErrorKind::Unavailable, u"no secret service"_s};
    }
};

TEST_F(ProfilesPanelTest, ImportFromClipboardAndRejectsGarbage)
{
    QGuiApplication::clipboard()->setText(u"not a connection string"_s);
    child<QPushButton>(*m_panel, u"importClipboardButton"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return !status().isEmpty(); }, kWaitMs));
    EXPECT_FALSE(status().contains(u"Imported"_s));
    EXPECT_EQ(m_store->profiles().size(), 1);

    QGuiApplication::clipboard()->setText(m_emulator.connectionString().toString());
    child<QPushButton>(*m_panel, u"importClipboardButton"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return status().contains(u"Imported"_s); }, kWaitMs))
        << status().toStdString();
    EXPECT_EQ(m_store->profiles().size(), 2);
    EXPECT_TRUE(storedSecret(m_panel->currentProfileId()) == key());
    EXPECT_FALSE(status().contains(key()));
}

TEST_F(ProfilesPanelTest, OpenLocalEmulatorStartsItAndConnects)
{
    ProcessLocalService local;
    wps::ui::ProfileConnector connector(m_store.get(), &local);
    wps::ui::ConsoleSession session;
    connector.open(wps::profiles::Profile::localEmulatorId(), &session);
    EXPECT_EQ(session.state(), wps::ui::ConsoleSession::State::Connecting);
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.state() == wps::ui::ConsoleSession::State::Connected; },
                                kWaitMs))
        << session.stateText().toStdString();
    EXPECT_EQ(local.starts, 1);
    ASSERT_NE(session.client(), nullptr);
    wps::service::ServiceJob *job = session.client()->health();
    QSignalSpy finished(job, &wps::service::ServiceJob::finished);
    ASSERT_TRUE(finished.wait(kWaitMs));
    EXPECT_FALSE(job->hasError());
}

TEST_F(ProfilesPanelTest, NoKeychainOffersSessionOnlyAndStoresNothing)
{
    NoKeychainStore keychain;
    wps::secrets::MemorySecretStore memory;
    wps::secrets::FallbackSecretStore secrets(&keychain, &memory);
    wps::profiles::ProfileStore store(m_dir.filePath(u"nokeychain.ini"_s), &secrets);
    wps::ui::ProfilesPanel panel(&m_session, &store, m_connector.get());
    QSignalSpy sessionOnly(&panel, &wps::ui::ProfilesPanel::sessionOnlyStorageRequested);
    // As the application wires it: the choice switches the store at once.
    QObject::connect(&panel, &wps::ui::ProfilesPanel::sessionOnlyStorageRequested, &secrets,
                     [&secrets] { secrets.setSessionOnly(true); });
    child<QPushButton>(panel, u"newButton"_s)->click();
    child<QLineEdit>(panel, u"nameEdit"_s)->setText(u"Keyless"_s);
    child<QLineEdit>(panel, u"endpointEdit"_s)->setText(endpoint());
    child<QLineEdit>(panel, u"secretEdit"_s)->setText(key());
    child<QPushButton>(panel, u"saveButton"_s)->click();
    auto *status = child<QLabel>(panel, u"statusLabel"_s);
    EXPECT_TRUE(QTest::qWaitFor([&] { return status->text().contains(u"No keychain"_s); }, kWaitMs))
        << status->text().toStdString();
    // Plain words: not the backend's own message (D-Bus names and paths).
    EXPECT_FALSE(status->text().contains(u"no bus"_s)) << status->text().toStdString();
    EXPECT_FALSE(status->text().contains(u"D-Bus"_s));
    auto *offer = child<QPushButton>(panel, u"sessionOnlyButton"_s);
    EXPECT_FALSE(offer->isHidden());
    EXPECT_TRUE(child<QLineEdit>(panel, u"secretEdit"_s)->text() == key()); // kept for a retry
    offer->click();
    EXPECT_EQ(sessionOnly.size(), 1);
    // No second Save: the refused secret is stored in memory at once.
    EXPECT_TRUE(QTest::qWaitFor([&] { return status->text().contains(u"for this session only"_s); }, kWaitMs))
        << status->text().toStdString();
    EXPECT_TRUE(status->text().startsWith(u"Saved"_s)) << status->text().toStdString();
    QString value;
    bool done = false;
    store.secret(panel.currentProfileId(), wps::secrets::SecretKind::AccessKey, &panel,
                 [&](const wps::profiles::ProfileSecret &s) {
                     value = s ? *s : QString();
                     done = true;
                 });
    ASSERT_TRUE(QTest::qWaitFor([&] { return done; }, kWaitMs));
    EXPECT_TRUE(value == key());
    store.sync();
    QFile settings(store.settingsPath());
    ASSERT_TRUE(settings.open(QIODevice::ReadOnly));
    EXPECT_FALSE(settings.readAll().contains(key().toUtf8()));
}

TEST_F(ProfilesPanelTest, OpeningAProfileWithoutAKeychainSaysSoInPlainWords)
{
    NoKeychainStore keychain;
    wps::profiles::ProfileStore store(m_dir.filePath(u"nokeychain-open.ini"_s), &keychain);
    wps::profiles::Profile p;
    p.name = u"Saved elsewhere"_s;
    p.endpoint = m_emulator.endpoint();
    p.auth = AuthKind::AccessKey;
    const auto added = store.add(p);
    ASSERT_TRUE(added);
    wps::ui::ProfileConnector connector(&store, nullptr);
    std::optional<wps::ui::ProfileConnector::ResolveResult> result;
    connector.resolve(*added, QString(), &connector,
                      [&](const wps::ui::ProfileConnector::ResolveResult &r) { result = r; });
    ASSERT_TRUE(QTest::qWaitFor([&] { return result.has_value(); }, kWaitMs));
    ASSERT_FALSE(*result);
    const QString text = result->error();
    EXPECT_TRUE(text.contains(u"No keychain is available"_s)) << text.toStdString();
    EXPECT_TRUE(text.contains(u"session only"_s)) << text.toStdString();
    // The backend's own words (here "no secret service"; on a desktop, D-Bus names) stay in the log.
    EXPECT_FALSE(text.contains(u"no secret service"_s)) << text.toStdString();
    EXPECT_FALSE(text.contains(u'('));
}

TEST_F(ProfilesPanelTest, ConnectionStringFieldMasksOnlyTheKey)
{
    child<QPushButton>(*m_panel, u"newButton"_s)->click();
    child<QLineEdit>(*m_panel, u"nameEdit"_s)->setText(u"From string"_s);
    auto *auth = child<QComboBox>(*m_panel, u"authCombo"_s);
    auth->setCurrentIndex(auth->findData(int(AuthKind::ConnectionString)));
    auto *field = child<QLineEdit>(*m_panel, u"secretEdit"_s);
    const QString full = m_emulator.connectionString().toString();
    field->setText(full);
    // The endpoint stays readable, the key does not.
    EXPECT_EQ(field->echoMode(), QLineEdit::Normal);
    EXPECT_TRUE(field->text().contains(m_emulator.endpoint().host())) << field->text().toStdString();
    EXPECT_FALSE(field->text().contains(key()));
    EXPECT_TRUE(field->text().contains(u"AccessKey=\u2022"_s));
    auto *reveal = child<QCheckBox>(*m_panel, u"revealSecretCheck"_s);
    reveal->setChecked(true);
    EXPECT_TRUE(field->text() == full);
    reveal->setChecked(false);
    EXPECT_FALSE(field->text().contains(key()));
    // Editing outside the key keeps the real key: the saved profile stores it.
    field->setText(field->text() + u" "_s);
    EXPECT_FALSE(field->text().contains(key()));
    child<QPushButton>(*m_panel, u"saveButton"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return status().contains(u"secret store"_s); }, kWaitMs))
        << status().toStdString();
    EXPECT_TRUE(storedSecret(m_panel->currentProfileId()) == key());
    EXPECT_FALSE(status().contains(key()));
}

TEST(ProfileConnectorEntra, OpensEntraProfileWithClientSecretFromStore)
{
    wps::test::TokenEndpoint tokens;
    ASSERT_NE(tokens.listen(), 0);
    tokens.addClientSecret(u"app-1"_s, u"app-secret-1"_s);
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QFile config(dir.filePath(u"config.json"_s));
    ASSERT_TRUE(config.open(QIODevice::WriteOnly));
    config.write(tokens.entraConfig());
    config.close();
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start({u"--config"_s, config.fileName()})) << emulator.errorText().toStdString();

    wps::secrets::MemorySecretStore secrets;
    wps::profiles::ProfileStore store(dir.filePath(u"profiles.ini"_s), &secrets);
    wps::profiles::Profile p;
    p.name = u"Entra"_s;
    p.endpoint = emulator.endpoint();
    p.auth = AuthKind::EntraId;
    p.tenantId = tokens.tenant();
    p.clientId = u"app-1"_s;
    auto added = store.add(p);
    ASSERT_TRUE(added);
    bool stored = false;
    store.setSecret(added->id, wps::secrets::SecretKind::ClientSecret, u"app-secret-1"_s, &store,
                    [&](const wps::profiles::ProfileDone &done) { stored = bool(done); });
    ASSERT_TRUE(QTest::qWaitFor([&] { return stored; }, kWaitMs));

    wps::ui::ProfileConnector connector(&store, nullptr);
    wps::auth::AuthEnvironment env;
    env.authorityHost = tokens.authorityHost();
    env.noImds = true;
    env.tokenCredentials = u"EnvironmentCredential"_s;
    connector.setAuthEnvironment(env);
    wps::ui::ConsoleSession session;
    connector.open(added->id, &session);
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.state() != wps::ui::ConsoleSession::State::Connecting; },
                                kWaitMs));
    ASSERT_EQ(session.state(), wps::ui::ConsoleSession::State::Connected)
        << session.stateText().toStdString();
    EXPECT_FALSE(session.connectionString().has_value());
    EXPECT_NE(session.credential(), nullptr);
    ASSERT_NE(session.client(), nullptr);
    wps::service::ServiceJob *job = session.client()->connectionExists(u"nobody"_s);
    QSignalSpy finished(job, &wps::service::ServiceJob::finished);
    ASSERT_TRUE(finished.wait(kWaitMs));
    EXPECT_FALSE(job->hasError()) << job->error().toString().toStdString();

    // A wrong client secret is a clear error on the session, without the secret.
    bool replaced = false;
    store.setSecret(added->id, wps::secrets::SecretKind::ClientSecret, u"wrong-secret"_s, &store,
                    [&](const wps::profiles::ProfileDone &done) { replaced = bool(done); });
    ASSERT_TRUE(QTest::qWaitFor([&] { return replaced; }, kWaitMs));
    // The working Entra connection stays (a failed open never throws it away); the failure is reported.
    QSignalSpy opened(&connector, &wps::ui::ProfileConnector::opened);
    connector.open(added->id, &session);
    ASSERT_TRUE(opened.wait(kWaitMs));
    const QString error = opened.first().at(1).toString();
    EXPECT_TRUE(error.contains(u"Entra"_s)) << error.toStdString();
    EXPECT_FALSE(error.contains(u"wrong-secret"_s));
    EXPECT_EQ(session.lastOpenError(), error);
    EXPECT_EQ(session.state(), wps::ui::ConsoleSession::State::Connected);
    EXPECT_NE(session.client(), nullptr);

    // In a session with nothing to keep, the failure is the session's state.
    wps::ui::ConsoleSession fresh;
    connector.open(added->id, &fresh);
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return fresh.state() == wps::ui::ConsoleSession::State::Failed; }, kWaitMs));
    EXPECT_TRUE(fresh.stateText().contains(u"Entra"_s)) << fresh.stateText().toStdString();
    EXPECT_FALSE(fresh.stateText().contains(u"wrong-secret"_s));
}

} // namespace

// The panel says the session's verified state: a profile with a wrong key is Unauthorized with the service's
// 401, and the working profile stays open (marked Connected in the list).
TEST_F(ProfilesPanelTest, WrongKeyProfileIsUnauthorizedAndTheOpenProfileStays)
{
    const QString good = addThroughPanel(u"Good"_s);
    child<QPushButton>(*m_panel, u"openButton"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor(
        [&] { return child<QLabel>(*m_panel, u"sessionStateLabel"_s)->text().contains(u"Connected"_s); },
        kWaitMs))
        << child<QLabel>(*m_panel, u"sessionStateLabel"_s)->text().toStdString();
    QAbstractItemModel *model = child<QListView>(*m_panel, u"profileList"_s)->model();
    auto stateOf = [&](const QString &id) {
        for (int row = 0; row < model->rowCount(); ++row) {
            const QModelIndex index = model->index(row, 0);
            if (index.data(wps::ui::ProfileListModel::IdRole).toString() == id)
                return index.data(wps::ui::ProfileListModel::StateRole).toString();
        }
        return QString();
    };
    EXPECT_EQ(stateOf(good), u"Connected"_s);

    const QString wrong = QString::fromLatin1(QByteArray(32, 'y').toBase64());
    addThroughPanel(u"Rotated"_s, wrong);
    child<QPushButton>(*m_panel, u"openButton"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor(
        [&] { return child<QLabel>(*m_panel, u"sessionStateLabel"_s)->text().contains(u"Unauthorized"_s); },
        kWaitMs))
        << child<QLabel>(*m_panel, u"sessionStateLabel"_s)->text().toStdString();
    const QString text = child<QLabel>(*m_panel, u"sessionStateLabel"_s)->text();
    EXPECT_TRUE(text.contains(u"401"_s)) << text.toStdString();
    EXPECT_TRUE(text.contains(u"Still on Good"_s)) << text.toStdString();
    EXPECT_FALSE(text.contains(wrong));
    EXPECT_EQ(m_session.profileName(), u"Good"_s);
    EXPECT_EQ(m_session.connectionString()->accessKey(), key());
    EXPECT_EQ(stateOf(good), u"Connected"_s);
    EXPECT_TRUE(status().contains(u"Unauthorized"_s)) << status().toStdString();
}

TEST_F(ProfilesPanelTest, LocalEmulatorProfileShowsItsRealEndpoint)
{
    ProcessLocalService local;
    wps::ui::ProfileConnector connector(m_store.get(), &local);
    wps::ui::ConsoleSession session;
    wps::ui::ProfilesPanel panel(&session, m_store.get(), &connector);
    panel.selectProfile(wps::profiles::Profile::localEmulatorId());
    EXPECT_TRUE(child<QLineEdit>(panel, u"endpointEdit"_s)->text().isEmpty()); // not running: no made-up port
    child<QPushButton>(panel, u"openButton"_s)->click();
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.health() == wps::service::ConnectionHealth::Connected; },
                                kWaitMs))
        << session.lastOpenError().toStdString();
    const QUrl endpoint = local.connectionString()->endpoint();
    EXPECT_EQ(child<QLineEdit>(panel, u"endpointEdit"_s)->text(), endpoint.toString());
    EXPECT_NE(endpoint.port(), 8080);
    EXPECT_EQ(session.profileName(), u"Local emulator"_s);
    EXPECT_TRUE(child<QLabel>(panel, u"sessionStateLabel"_s)->text().contains(u"Connected"_s));
}
