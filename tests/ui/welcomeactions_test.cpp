// Welcome > "Add an Azure hub…" opens the Profiles page on a fresh form, whatever profile the form showed
// before (nothing of it, least of all its secret, carries over).
#include "mainwindow/mainwindow.h"
#include "panels/profiles/profileconnector.h"
#include "panels/profiles/profilespanel.h"
#include "profiles/profile.h"
#include "profiles/profilestore.h"
#include "secrets/memorysecretstore.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/widgets.h"

#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPushButton>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;

TEST(WelcomeActions, AddAnAzureHubOpensAFreshProfileForm)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    wps::secrets::MemorySecretStore secrets;
    wps::profiles::ProfileStore store(dir.filePath(u"profiles.ini"_s), &secrets);
    wps::ui::ProfileConnector connector(&store, nullptr);
    wps::ui::ConsoleSession session;
    wps::ui::WindowServices services;
    services.profiles = &store;
    services.connector = &connector;
    wps::ui::MainWindow window(&session, services); // with the Profiles page, as app/ builds it
    window.setSettingsFile(dir.filePath(u"settings.ini"_s));
    auto *profiles = window.findChild<wps::ui::ProfilesPanel *>();
    ASSERT_NE(profiles, nullptr);

    // The form shows the built-in local emulator profile, and the user typed into it.
    profiles->selectProfile(wps::profiles::Profile::localEmulatorId());
    ASSERT_EQ(profiles->currentProfileId(), wps::profiles::Profile::localEmulatorId());
    auto *name = wps::test::child<QLineEdit>(*profiles, u"nameEdit"_s);
    auto *secret = wps::test::child<QLineEdit>(*profiles, u"secretEdit"_s);
    auto *endpoint = wps::test::child<QLineEdit>(*profiles, u"endpointEdit"_s);
    ASSERT_TRUE(name && secret && endpoint);
    secret->setText(u"typed-secret"_s);
    window.showPanel(u"welcome"_s);

    auto *addHub = wps::test::child<QPushButton>(window, u"addAzureHub"_s);
    ASSERT_NE(addHub, nullptr);
    addHub->click();

    // The Profiles page, on a new profile: no id, a new name, nothing of the previous one.
    auto *navigation = window.findChild<QListWidget *>(u"navigation"_s);
    ASSERT_NE(navigation->currentItem(), nullptr);
    EXPECT_EQ(navigation->currentItem()->data(Qt::UserRole).toString(), u"profiles"_s);
    EXPECT_TRUE(profiles->currentProfileId().isEmpty());
    EXPECT_EQ(name->text(), u"New profile"_s);
    EXPECT_TRUE(secret->text().isEmpty());
    EXPECT_TRUE(endpoint->text().isEmpty());
    auto *list = wps::test::child<QListView>(*profiles, u"profileList"_s);
    ASSERT_NE(list, nullptr);
    EXPECT_TRUE(list->selectionModel()->selectedIndexes().isEmpty());
}
