// The Permissions panel against the real `webpubsub-emulator`: grant/check/revoke through the session's
// client, and the effective-permissions table built from the client's token roles plus those actions.
#include "live/liveclient.h"
#include "panels/permissions/effectivepermissionsmodel.h"
#include "panels/permissions/permissionspanel.h"
#include "protocol/clienttoken.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/panelfixture.h"
#include "support/wait.h"
#include "support/widgets.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using wps::ui::EffectivePermissionsModel;

namespace {

using wps::test::child;

using wps::test::kWaitMs;

class PermissionsPanelTest : public wps::test::PanelTest<wps::ui::PermissionsPanel>
{
protected:
    void panelReady() override
    {
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_panel->effectivePermissions(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    }

    void clickAndWait(const QString &button, const QString &expectedPrefix)
    {
        auto *result = child<QLabel>(*m_panel, u"result"_s);
        result->clear();
        child<QPushButton>(*m_panel, button)->click();
        EXPECT_TRUE(QTest::qWaitFor([&] { return result->text().startsWith(expectedPrefix); }, kWaitMs))
            << result->text().toStdString();
    }

    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

} // namespace

TEST_F(PermissionsPanelTest, EffectivePermissionsCombineTokenRolesAndGrants)
{
    wps::ClientTokenOptions options;
    options.userId = u"heidi"_s;
    options.roles = {u"webpubsub.joinLeaveGroup.room1"_s};
    const wps::ClientAccess access = wps::makeClientAccess(m_emulator.connectionString(), u"chat"_s, options);
    wps::live::LiveClient client(access.url, wps::live::Subprotocol::Json);
    QSignalSpy connected(&client, &wps::live::LiveClient::connected);
    client.start();
    ASSERT_TRUE(connected.wait(kWaitMs));
    const QString id = client.connectionId();

    ASSERT_TRUE(m_panel->noteClientToken(id, access.url.toString(QUrl::FullyEncoded), u"own client token"_s));
    auto *model = m_panel->effectivePermissions();
    ASSERT_EQ(model->rowCount(), 1);
    const auto *role = model->effect(id, u"joinLeaveGroup"_s, u"room1"_s);
    ASSERT_NE(role, nullptr);
    EXPECT_TRUE(role->allowed);
    EXPECT_EQ(role->source, u"own client token"_s);
    EXPECT_EQ(model->effect(id, u"sendToGroup"_s, u"room9"_s), nullptr);

    auto *permission = child<QComboBox>(*m_panel, u"permission"_s);
    permission->setCurrentIndex(permission->findText(u"sendToGroup"_s));
    child<QLineEdit>(*m_panel, u"connection"_s)->setText(id);
    child<QLineEdit>(*m_panel, u"targetGroup"_s)->setText(u"room9"_s);
    clickAndWait(u"check"_s, u"Does not have sendToGroup"_s);
    clickAndWait(u"grant"_s, u"Granted"_s);

    // The emulator really granted it: the client may now send to room9.
    auto *send = client.sendToGroup(u"room9"_s, wps::messages::Payload::text(u"hi"_s));
    QSignalSpy sent(send, &wps::live::AckJob::finished);
    ASSERT_TRUE(send->isFinished() || sent.wait(kWaitMs));
    EXPECT_TRUE(send->succeeded());

    const auto *granted = model->effect(id, u"sendToGroup"_s, u"room9"_s);
    ASSERT_NE(granted, nullptr);
    EXPECT_TRUE(granted->allowed);
    EXPECT_EQ(granted->source, u"grant"_s);
    EXPECT_EQ(model->rowCount(), 3); // token role, check, grant
    auto *view = child<QTableView>(*m_panel, u"effectivePermissions"_s);
    EXPECT_EQ(view->model()->rowCount(), 3); // filtered to this connection
    EXPECT_EQ(view->model()->index(2, EffectivePermissionsModel::Effect).data().toString(), u"allowed"_s);

    clickAndWait(u"revoke"_s, u"Revoked"_s);
    EXPECT_FALSE(model->effect(id, u"sendToGroup"_s, u"room9"_s)->allowed);
    child<QLineEdit>(*m_panel, u"connection"_s)->setText(u"someone-else"_s);
    EXPECT_EQ(view->model()->rowCount(), 0);
    client.stop();
}

TEST_F(PermissionsPanelTest, RefusesAPastedTextThatIsNotAToken)
{
    child<QLineEdit>(*m_panel, u"connection"_s)->setText(u"c1"_s);
    child<QLineEdit>(*m_panel, u"clientToken"_s)->setText(u"nonsense"_s);
    child<QPushButton>(*m_panel, u"readRoles"_s)->click();
    EXPECT_TRUE(child<QLabel>(*m_panel, u"result"_s)->text().startsWith(u"Not a JWT"_s));
    EXPECT_EQ(m_panel->effectivePermissions()->rowCount(), 0);
}

TEST_F(PermissionsPanelTest, CheckOnAMissingConnectionSaysItIsMissing)
{
    auto *permission = child<QComboBox>(*m_panel, u"permission"_s);
    permission->setCurrentIndex(permission->findText(u"sendToGroup"_s));
    child<QLineEdit>(*m_panel, u"connection"_s)->setText(u"no-such-connection"_s);
    child<QLineEdit>(*m_panel, u"targetGroup"_s)->setText(u"room9"_s);
    clickAndWait(u"check"_s, u"Connection “no-such-connection” does not exist"_s);
    EXPECT_FALSE(child<QLabel>(*m_panel, u"result"_s)->text().contains(u"Does not have"_s));
    // Nothing was learnt about a connection that is not there.
    EXPECT_EQ(m_panel->effectivePermissions()->rowCount(), 0);
}

TEST_F(PermissionsPanelTest, OwnLiveClientsTokenRolesAreListedWithoutPasting)
{
    wps::ClientTokenOptions options;
    options.userId = u"ivan"_s;
    options.roles = {u"webpubsub.sendToGroup.room5"_s, u"webpubsub.joinLeaveGroup"_s};
    const wps::ClientAccess access = wps::makeClientAccess(m_emulator.connectionString(), u"chat"_s, options);
    wps::live::LiveClient client(access.url, wps::live::Subprotocol::Json);
    client.setName(u"client-7"_s);
    EXPECT_EQ(client.tokenRoles(), options.roles);
    // A live client of the console: the session traces it, and the panel hears of it.
    m_session.traceLiveClient(&client, u"chat"_s);
    QSignalSpy connected(&client, &wps::live::LiveClient::connected);
    client.start();
    ASSERT_TRUE(connected.wait(kWaitMs));
    const QString id = client.connectionId();
    auto *model = m_panel->effectivePermissions();
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return model->effect(id, u"sendToGroup"_s, u"room5"_s) != nullptr; }, kWaitMs));
    const auto *send = model->effect(id, u"sendToGroup"_s, u"room5"_s);
    EXPECT_TRUE(send->allowed);
    EXPECT_TRUE(send->source.contains(u"own client token"_s)) << send->source.toStdString();
    EXPECT_TRUE(send->source.contains(u"client-7"_s)) << send->source.toStdString();
    const auto *join = model->effect(id, u"joinLeaveGroup"_s, u"anygroup"_s);
    ASSERT_NE(join, nullptr);
    EXPECT_TRUE(join->allowed);
    EXPECT_EQ(model->effect(id, u"sendToGroup"_s, u"room6"_s), nullptr);
    client.stop();
}

TEST_F(PermissionsPanelTest, OwnLiveClientWithoutRolesSaysSo)
{
    wps::ClientTokenOptions options;
    options.userId = u"judy"_s;
    const wps::ClientAccess access = wps::makeClientAccess(m_emulator.connectionString(), u"chat"_s, options);
    wps::live::LiveClient client(access.url, wps::live::Subprotocol::Json);
    EXPECT_TRUE(client.tokenRoles().isEmpty());
    m_session.traceLiveClient(&client, u"chat"_s);
    QSignalSpy connected(&client, &wps::live::LiveClient::connected);
    client.start();
    ASSERT_TRUE(connected.wait(kWaitMs));
    const QString id = client.connectionId();
    auto *model = m_panel->effectivePermissions();
    ASSERT_TRUE(QTest::qWaitFor([&] { return model->rowCount() > 0; }, kWaitMs));
    EXPECT_EQ(model->facts().last().connectionId, id);
    EXPECT_EQ(model->facts().last().permission, u"(no roles)"_s);
    client.stop();
}
