// The Client tokens panel's MQTT URL against the real emulator: the URL it shows for protocol MQTT lets an
// MqttLiveClient connect and subscribe where the token allows, and "Connect with this URL" opens it as an
// MQTT client (not a Web PubSub one, which the MQTT endpoint would refuse).
#include "live/mqttclient.h"
#include "panels/token/tokenpanel.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/panelfixture.h"
#include "support/wait.h"
#include "support/widgets.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using wps::test::child;

namespace {

using wps::test::kWaitMs;

class TokenMqttTest : public wps::test::PanelTest<wps::ui::TokenPanel>
{
protected:
    QString generateMqtt()
    {
        auto *protocol = child<QComboBox>(*m_panel, u"protocol"_s);
        const int mqtt = protocol->findText(u"MQTT"_s);
        EXPECT_GE(mqtt, 0);
        protocol->setCurrentIndex(mqtt);
        QSignalSpy done(m_panel.get(), &wps::ui::TokenPanel::generated);
        child<QPushButton>(*m_panel, u"generate"_s)->click();
        EXPECT_TRUE(done.wait(kWaitMs));
        return m_panel->clientUrl();
    }
};

} // namespace

TEST_F(TokenMqttTest, TheMqttUrlConnectsAnMqttClientThatSubscribesWhereTheTokenAllows)
{
    child<QLineEdit>(*m_panel, u"userId"_s)->setText(u"alice"_s);
    child<QLineEdit>(*m_panel, u"roles"_s)->setText(u"webpubsub.joinLeaveGroup.room1"_s);
    const QString url = generateMqtt();
    ASSERT_TRUE(url.contains(u"/clients/mqtt/hubs/"_s)) << url.toStdString();

    for (const auto version : {wps::mqtt::Version::V311, wps::mqtt::Version::V5}) {
        wps::live::MqttLiveClient::Settings settings;
        settings.version = version;
        settings.clientId = version == wps::mqtt::Version::V5 ? u"alice5"_s : u"alice4"_s;
        wps::live::MqttLiveClient client(QUrl(url), settings);
        QSignalSpy connected(&client, &wps::live::MqttLiveClient::connected);
        QSignalSpy subscribed(&client, &wps::live::MqttLiveClient::subscribed);
        client.start();
        ASSERT_TRUE(connected.wait(kWaitMs));
        client.subscribe(u"room1"_s, 1);
        ASSERT_TRUE(subscribed.wait(kWaitMs));
        EXPECT_EQ(subscribed.at(0).at(2).toInt(), 1); // granted: the token's role covers room1
        client.subscribe(u"room2"_s, 1);
        ASSERT_TRUE(subscribed.wait(kWaitMs));
        EXPECT_GE(subscribed.at(1).at(2).toInt(), 0x80); // refused: no role for room2
        client.stop();
    }
}

TEST_F(TokenMqttTest, ConnectWithThisUrlOpensAnMqttClient)
{
    ASSERT_FALSE(generateMqtt().isEmpty());
    QSignalSpy finished(m_panel.get(), &wps::ui::TokenPanel::connectFinished);
    QSignalSpy added(&m_session, &wps::ui::ConsoleSession::mqttClientAdded);
    child<QPushButton>(*m_panel, u"connectUrl"_s)->click();
    ASSERT_TRUE(finished.wait(kWaitMs));
    EXPECT_TRUE(finished.at(0).at(0).toBool()) << m_panel->connectResultText().toStdString();
    EXPECT_TRUE(m_panel->connectResultText().contains(u"MQTT client"_s));
    EXPECT_EQ(added.size(), 1);
}
