// The Groups panel's destructive actions against the real `webpubsub-emulator`: each asks first, naming the
// hub and the resource; Cancel changes nothing on the service; off the local emulator profile "Close all"
// needs the hub name typed; confirming runs the action.
#include "live/liveclient.h"
#include "panels/groups/groupspanel.h"
#include "protocol/clienttoken.h"
#include "service/serviceclient.h"
#include "service/servicejob.h"
#include "session/consolesession.h"
#include "support/panelfixture.h"
#include "support/wait.h"
#include "support/widgets.h"

#include <QApplication>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <gtest/gtest.h>

#include <functional>
#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {

using wps::test::child;

using wps::test::kWaitMs;

QDialog *visibleConfirmation()
{
    return wps::test::visibleDialog(u"confirmDialog"_s);
}

void onConfirmation(std::function<void(QDialog *)> act, bool *seen)
{
    wps::test::onDialog(u"confirmDialog"_s, std::move(act), seen);
}

class GroupsConfirmTest : public wps::test::PanelTest<wps::ui::GroupsPanel>
{
protected:
    std::unique_ptr<wps::ui::GroupsPanel> makePanel() override
    {
        m_session.setHub(u"chat"_s);
        EXPECT_NE(m_session.client(), nullptr);
        return std::make_unique<wps::ui::GroupsPanel>(&m_session);
    }

    void panelReady() override
    {
        m_client = openClient(u"alice"_s, u"room1"_s);
        ASSERT_NE(m_client, nullptr);
        m_id = m_client->connectionId();
        ASSERT_FALSE(m_id.isEmpty());
    }

    /// A connected live client of \a user in \a group, not traced through the session.
    wps::live::LiveClient *openClient(const QString &user, const QString &group)
    {
        wps::ClientTokenOptions options;
        options.userId = user;
        options.groups = {group};
        const wps::ClientAccess access =
            wps::makeClientAccess(m_emulator.connectionString(), u"chat"_s, options);
        auto *client = new wps::live::LiveClient(access.url, wps::live::Subprotocol::Json, &m_owner);
        QSignalSpy connected(client, &wps::live::LiveClient::connected);
        client->start();
        EXPECT_TRUE(connected.wait(kWaitMs));
        return client;
    }

    /// Asks the emulator itself whether the connection is still there.
    bool connectionExists()
    {
        wps::service::ExistsJob *job = m_session.client()->connectionExists(m_id);
        QSignalSpy finished(job, &wps::service::ExistsJob::finished);
        EXPECT_TRUE(finished.wait(kWaitMs));
        return job->exists();
    }

    wps::live::LiveClient *m_client = nullptr;
    QString m_id;
};

} // namespace

TEST_F(GroupsConfirmTest, CancellingCloseAllKeepsTheConnection)
{
    bool seen = false;
    QString text;
    onConfirmation(
        [&](QDialog *dialog) {
            text = dialog->findChild<QLabel *>(u"confirmText"_s)->text();
            dialog->findChild<QPushButton *>(u"confirmCancel"_s)->click();
        },
        &seen);
    child<QPushButton>(*m_panel, u"closeAll"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return seen && !visibleConfirmation(); }, kWaitMs));
    EXPECT_TRUE(text.contains(u"chat"_s)) << text.toStdString();
    EXPECT_TRUE(text.contains(m_session.client()->endpoint().host())) << text.toStdString();
    EXPECT_TRUE(connectionExists());
    EXPECT_TRUE(child<QLabel>(*m_panel, u"closeResult"_s)->text().isEmpty());
}

TEST_F(GroupsConfirmTest, CloseAllOffTheLocalProfileNeedsTheHubNameTyped)
{
    m_panel->setTypedConfirmation(true);
    QSignalSpy disconnected(m_client, &wps::live::LiveClient::disconnected);
    bool seen = false, enabledOnWrongName = true, enabledOnHubName = false;
    onConfirmation(
        [&](QDialog *dialog) {
            auto *typed = dialog->findChild<QLineEdit *>(u"confirmHubName"_s);
            auto *ok = dialog->findChild<QPushButton *>(u"confirmOk"_s);
            if (!typed || !ok) {
                dialog->reject();
                return;
            }
            typed->setText(u"chat2"_s);
            enabledOnWrongName = ok->isEnabled();
            typed->setText(u"chat"_s);
            enabledOnHubName = ok->isEnabled();
            ok->click();
        },
        &seen);
    child<QPushButton>(*m_panel, u"closeAll"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return seen; }, kWaitMs));
    EXPECT_FALSE(enabledOnWrongName);
    EXPECT_TRUE(enabledOnHubName);
    EXPECT_TRUE(disconnected.count() > 0 || disconnected.wait(kWaitMs));
    EXPECT_TRUE(QTest::qWaitFor([&] { return !connectionExists(); }, kWaitMs));
}

TEST_F(GroupsConfirmTest, OnTheLocalProfileConfirmingCloseGroupClosesIt)
{
    m_panel->setTypedConfirmation(false);
    child<QLineEdit>(*m_panel, u"group"_s)->setText(u"room1"_s);
    QSignalSpy disconnected(m_client, &wps::live::LiveClient::disconnected);
    bool seen = false, hadNameField = true;
    onConfirmation(
        [&](QDialog *dialog) {
            hadNameField = dialog->findChild<QLineEdit *>(u"confirmHubName"_s) != nullptr;
            dialog->findChild<QPushButton *>(u"confirmOk"_s)->click();
        },
        &seen);
    child<QPushButton>(*m_panel, u"closeGroup"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return seen; }, kWaitMs));
    EXPECT_FALSE(hadNameField);
    EXPECT_TRUE(disconnected.count() > 0 || disconnected.wait(kWaitMs));
}

TEST_F(GroupsConfirmTest, CancellingRemoveFromAllGroupsKeepsTheMembership)
{
    child<QLineEdit>(*m_panel, u"connection"_s)->setText(m_id);
    bool seen = false;
    onConfirmation([](QDialog *dialog) { dialog->reject(); }, &seen);
    child<QPushButton>(*m_panel, u"removeConnectionFromAll"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return seen; }, kWaitMs));
    wps::service::ExistsJob *job = m_session.client()->groupExists(u"room1"_s);
    QSignalSpy finished(job, &wps::service::ExistsJob::finished);
    ASSERT_TRUE(finished.wait(kWaitMs));
    EXPECT_TRUE(job->exists());
}
