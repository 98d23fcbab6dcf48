// The whole console window as MainWindow composes it from a session and the application's WindowServices:
// the Profiles and Hubs pages and what they ask of the application, and the OpenTarget a window opens at
// once and again on Connection > Reconnect -- against the real `webpubsub-emulator`.
#include "mainwindow/mainwindow.h"
#include "mainwindow/windowservices.h"
#include "panels/profiles/profileconnector.h"
#include "panels/profiles/profilespanel.h"
#include "profiles/profile.h"
#include "profiles/profilestore.h"
#include "secrets/fallbacksecretstore.h"
#include "secrets/memorysecretstore.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/emulatorprocess.h"
#include "support/wait.h"
#include "support/widgets.h"

#include <QAction>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace {

using wps::test::kWaitMs;

QStringList navigationOrder(const wps::ui::MainWindow &window)
{
    QStringList ids;
    auto *navigation = window.findChild<QListWidget *>(u"navigation"_s);
    for (int row = 0; navigation && row < navigation->count(); ++row)
        ids << navigation->item(row)->data(Qt::UserRole).toString();
    return ids;
}

QString currentPanel(const wps::ui::MainWindow &window)
{
    auto *navigation = window.findChild<QListWidget *>(u"navigation"_s);
    return navigation->currentItem() ? navigation->currentItem()->data(Qt::UserRole).toString() : QString();
}

/// The services app/webpubsub-console gives its windows, over memory secret stores and a temporary profile
/// store (no local emulator: the tests open the emulator process by connection string or profile).
class WindowCompositionTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_services.profiles = &m_store;
        m_services.connector = &m_connector;
        m_services.secrets = &m_secrets;
    }

    /// Saves the emulator's connection string as profile \a name; its id.
    QString saveProfile(const wps::ConnectionString &connection, const QString &name)
    {
        std::optional<wps::profiles::ProfileResult> result;
        m_store.importConnectionString(connection.toString(), name, &m_store,
                                       [&](const wps::profiles::ProfileResult &r) { result = r; });
        EXPECT_TRUE(QTest::qWaitFor([&] { return result.has_value(); }, kWaitMs));
        EXPECT_TRUE(result && *result) << (result && !*result ? result->error().message.toStdString() : "");
        return result && *result ? (*result)->id : QString();
    }

    QTemporaryDir m_dir;
    wps::secrets::MemorySecretStore m_keychain;
    wps::secrets::MemorySecretStore m_sessionSecrets;
    wps::secrets::FallbackSecretStore m_secrets{&m_keychain, &m_sessionSecrets};
    wps::profiles::ProfileStore m_store{m_dir.filePath(u"profiles.ini"_s), &m_secrets};
    wps::ui::ProfileConnector m_connector{&m_store, nullptr};
    wps::ui::WindowServices m_services;
    wps::ui::ConsoleSession m_session;
};

} // namespace

TEST_F(WindowCompositionTest, TheWholeConsoleHasProfilesAndHubsInFrontOfOverview)
{
    wps::ui::MainWindow window(&m_session, m_services);
    window.setSettingsFile(m_dir.filePath(u"settings.ini"_s));
    const QStringList order = navigationOrder(window);
    ASSERT_GE(order.size(), 4);
    EXPECT_EQ(order.mid(0, 4), (QStringList{u"welcome"_s, u"profiles"_s, u"hubs"_s, u"overview"_s}));
    // The Profiles page is the one on the services' store.
    auto *profiles = window.findChild<wps::ui::ProfilesPanel *>();
    ASSERT_NE(profiles, nullptr);
    profiles->selectProfile(wps::profiles::Profile::localEmulatorId());
    EXPECT_EQ(profiles->currentProfileId(), wps::profiles::Profile::localEmulatorId());

    // A window without profile services (the other panels' tests) has neither page.
    wps::ui::MainWindow bare;
    EXPECT_FALSE(bare.panelIds().contains(u"profiles"_s));
    EXPECT_FALSE(bare.panelIds().contains(u"hubs"_s));
    EXPECT_EQ(bare.findChild<wps::ui::ProfilesPanel *>(), nullptr);
}

TEST_F(WindowCompositionTest, ProfileActionsReachTheWindowAndTheApplication)
{
    wps::ui::MainWindow window(&m_session, m_services);
    window.setSettingsFile(m_dir.filePath(u"settings.ini"_s));
    auto *profiles = window.findChild<wps::ui::ProfilesPanel *>();
    ASSERT_NE(profiles, nullptr);

    // File > Open profile in new window... shows the Profiles page to choose from.
    window.showPanel(u"overview"_s);
    QSignalSpy openProfile(&window, &wps::ui::MainWindow::openProfileRequested);
    window.action(u"actionOpenProfile"_s)->trigger();
    EXPECT_EQ(openProfile.count(), 1);
    EXPECT_EQ(currentPanel(window), u"profiles"_s);

    // The page's "Open in new window" asks the application for a window on that profile.
    QSignalSpy newWindow(&window, &wps::ui::MainWindow::profileWindowRequested);
    profiles->selectProfile(wps::profiles::Profile::localEmulatorId());
    auto *openNew = wps::test::child<QPushButton>(*profiles, u"openNewWindowButton"_s);
    ASSERT_NE(openNew, nullptr);
    openNew->click();
    ASSERT_EQ(newWindow.count(), 1);
    EXPECT_EQ(newWindow.at(0).at(0).toString(), wps::profiles::Profile::localEmulatorId());

    // "Keep secrets for this session only" switches the services' secret store.
    EXPECT_FALSE(m_secrets.isSessionOnly());
    auto *sessionOnly = wps::test::child<QPushButton>(*profiles, u"sessionOnlyButton"_s);
    ASSERT_NE(sessionOnly, nullptr);
    sessionOnly->click();
    EXPECT_TRUE(m_secrets.isSessionOnly());
}

TEST_F(WindowCompositionTest, ReconnectOpensTheConnectionStringAgain)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    wps::ui::MainWindow window(&m_session, m_services);
    window.setSettingsFile(m_dir.filePath(u"settings.ini"_s));
    QSignalSpy finished(&m_session, &wps::ui::ConsoleSession::openFinished);

    window.openTarget({emulator.connectionString(), {}});
    EXPECT_TRUE(QTest::qWaitFor([&] { return finished.count() == 1; }, kWaitMs));
    ASSERT_EQ(finished.count(), 1);
    EXPECT_TRUE(finished.at(0).at(0).toBool()) << finished.at(0).at(1).toString().toStdString();
    EXPECT_EQ(m_session.endpoint(), emulator.endpoint());

    QSignalSpy reconnect(&window, &wps::ui::MainWindow::reconnectRequested);
    window.action(u"actionReconnect"_s)->trigger();
    EXPECT_EQ(reconnect.count(), 1);
    EXPECT_TRUE(m_session.isOpening()); // probed again, like the first time
    EXPECT_TRUE(QTest::qWaitFor([&] { return finished.count() == 2; }, kWaitMs));
    ASSERT_EQ(finished.count(), 2);
    EXPECT_TRUE(finished.at(1).at(0).toBool()) << finished.at(1).at(1).toString().toStdString();
    EXPECT_EQ(m_session.state(), wps::ui::ConsoleSession::State::Connected);
}

TEST_F(WindowCompositionTest, AProfileTargetOpensThroughTheConnector)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    const QString id = saveProfile(emulator.connectionString(), u"Dev hub"_s);
    ASSERT_FALSE(id.isEmpty());
    wps::ui::MainWindow window(&m_session, m_services);
    window.setSettingsFile(m_dir.filePath(u"settings.ini"_s));
    QSignalSpy finished(&m_session, &wps::ui::ConsoleSession::openFinished);

    window.openTarget({std::nullopt, id});
    EXPECT_TRUE(QTest::qWaitFor([&] { return finished.count() == 1; }, kWaitMs));
    ASSERT_EQ(finished.count(), 1);
    EXPECT_TRUE(finished.at(0).at(0).toBool()) << finished.at(0).at(1).toString().toStdString();
    EXPECT_EQ(m_session.profileName(), u"Dev hub"_s);
    EXPECT_EQ(m_session.endpoint(), emulator.endpoint());

    window.action(u"actionReconnect"_s)->trigger();
    EXPECT_TRUE(QTest::qWaitFor([&] { return finished.count() == 2; }, kWaitMs));
    ASSERT_EQ(finished.count(), 2);
    EXPECT_TRUE(finished.at(1).at(0).toBool()) << finished.at(1).at(1).toString().toStdString();
}
