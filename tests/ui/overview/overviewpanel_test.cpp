// The Overview panel follows its session: the real `webpubsub-emulator`'s connection is shown (the access key
// only when asked for), and a failed connection says why.
#include "panels/overview/overviewpanel.h"
#include "service/credential.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/panelfixture.h"
#include "support/widgets.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {

using wps::test::child;

class OverviewPanelTest : public wps::test::SessionTest
{
protected:
    bool connectOnSetUp() const override { return false; } // each test connects when its panel needs it
};

} // namespace

TEST_F(OverviewPanelTest, ShowsTheSessionsConnectionWithTheKeyHiddenUntilAsked)
{
    wps::ui::OverviewPanel panel(&m_session);
    auto *reveal = child<QPushButton>(panel, u"reveal"_s);
    auto *connectionString = child<QLineEdit>(panel, u"connectionString"_s);
    EXPECT_FALSE(reveal->isEnabled()); // nothing to show yet
    EXPECT_FALSE(child<QPushButton>(panel, u"copy"_s)->isEnabled());
    EXPECT_TRUE(connectionString->text().isEmpty());

    const wps::ConnectionString connection = m_emulator.connectionString();
    m_session.setConnection(connection, u"test emulator"_s);
    EXPECT_EQ(child<QLineEdit>(panel, u"endpoint"_s)->text(), connection.endpoint().toString());
    EXPECT_EQ(child<QLineEdit>(panel, u"restApi"_s)->text(),
              connection.endpoint().toString() + u"/api/hubs/{hub}"_s);
    EXPECT_TRUE(child<QLabel>(panel, u"origin"_s)->text().contains(u"test emulator"_s));
    EXPECT_TRUE(reveal->isEnabled());
    EXPECT_TRUE(child<QPushButton>(panel, u"copy"_s)->isEnabled());
    EXPECT_FALSE(connectionString->text().contains(connection.accessKey()));
    EXPECT_TRUE(child<QLabel>(panel, u"nextSteps"_s)->text().contains(u"WEBPUBSUB_CONNECTION_STRING"_s));

    reveal->click();
    EXPECT_EQ(connectionString->text(), connection.toString());
    reveal->click();
    EXPECT_FALSE(connectionString->text().contains(connection.accessKey()));
}

TEST_F(OverviewPanelTest, APanelMadeAfterTheConnectionShowsItAtOnce)
{
    m_session.setConnection(m_emulator.connectionString(), u"test emulator"_s);
    wps::ui::OverviewPanel panel(&m_session);
    EXPECT_EQ(child<QLineEdit>(panel, u"endpoint"_s)->text(),
              m_emulator.connectionString().endpoint().toString());
}

TEST_F(OverviewPanelTest, AFailedConnectionSaysWhy)
{
    wps::ui::OverviewPanel panel(&m_session);
    panel.show();
    auto *error = child<QLabel>(panel, u"error"_s);
    EXPECT_FALSE(error->isVisible());
    m_session.setConnectionError(u"The emulator did not start."_s);
    EXPECT_TRUE(error->isVisible());
    EXPECT_EQ(error->text(), u"The emulator did not start."_s);

    m_session.setConnection(m_emulator.connectionString(), u"test emulator"_s);
    EXPECT_FALSE(error->isVisible()); // the new connection replaces the error
}

TEST_F(OverviewPanelTest, AnEntraConnectionShowsItsEndpointAndSaysItHasNoConnectionString)
{
    wps::ui::OverviewPanel panel(&m_session);
    auto *connectionString = child<QLineEdit>(panel, u"connectionString"_s);
    auto *reveal = child<QPushButton>(panel, u"reveal"_s);
    const wps::ConnectionString keyed = m_emulator.connectionString();
    m_session.setConnection(keyed, u"test emulator"_s);
    reveal->click(); // the key is on screen when the connection changes
    ASSERT_EQ(connectionString->text(), keyed.toString());

    // The same emulator through a bearer credential: nothing of the previous connection may stay.
    QUrl entraEndpoint = keyed.endpoint();
    entraEndpoint.setHost(u"localhost"_s);
    m_session.setCredentialConnection(
        entraEndpoint, std::make_shared<wps::service::AccessKeyCredential>(keyed.accessKey()), u"entra"_s);
    EXPECT_EQ(child<QLineEdit>(panel, u"endpoint"_s)->text(), entraEndpoint.toString());
    EXPECT_EQ(child<QLineEdit>(panel, u"clientWebSocket"_s)->text(),
              u"ws://localhost:%1/client/hubs/{hub}"_s.arg(entraEndpoint.port()));
    EXPECT_TRUE(child<QLabel>(panel, u"origin"_s)->text().contains(u"entra"_s));
    EXPECT_FALSE(connectionString->text().contains(keyed.accessKey()));
    EXPECT_TRUE(connectionString->text().contains(u"Entra ID"_s)) << connectionString->text().toStdString();
    EXPECT_FALSE(reveal->isEnabled());
    EXPECT_FALSE(reveal->isChecked());
    EXPECT_FALSE(child<QPushButton>(panel, u"copy"_s)->isEnabled());
    // The command line suggested takes the same connection.
    const QString nextSteps = child<QLabel>(panel, u"nextSteps"_s)->text();
    EXPECT_TRUE(nextSteps.contains(u"--endpoint "_s + entraEndpoint.toString())) << nextSteps.toStdString();
    EXPECT_FALSE(nextSteps.contains(u"WEBPUBSUB_CONNECTION_STRING"_s));
}
