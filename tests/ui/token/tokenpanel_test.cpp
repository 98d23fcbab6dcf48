// The Tokens panel against the real `webpubsub-emulator`: the URL it makes lets a LiveClient connect, the QR
// code follows the URL, and the decoder tells a valid, an expired and a forged token apart.
#include "live/liveclient.h"
#include "panels/token/qrcode.h"
#include "panels/token/tokenpanel.h"
#include "protocol/jwt.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/panelfixture.h"
#include "support/wait.h"
#include "support/widgets.h"

#include <QCheckBox>
#include <QDateTime>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {

using wps::test::child;

using wps::test::kWaitMs;

class TokenPanelTest : public wps::test::PanelTest<wps::ui::TokenPanel>
{
protected:
    QString generate()
    {
        QSignalSpy done(m_panel.get(), &wps::ui::TokenPanel::generated);
        child<QPushButton>(*m_panel, u"generate"_s)->click();
        EXPECT_TRUE(done.wait(kWaitMs));
        return m_panel->clientUrl();
    }

    QByteArray key() const { return m_emulator.connectionString().accessKey().toUtf8(); }
};

} // namespace

TEST_F(TokenPanelTest, MakesAUrlALiveClientConnectsWith)
{
    child<QLineEdit>(*m_panel, u"userId"_s)->setText(u"alice"_s);
    child<QCheckBox>(*m_panel, u"roleSendToGroupScoped"_s)->setChecked(true);
    child<QLineEdit>(*m_panel, u"roleGroup"_s)->setText(u"room1"_s);
    child<QLineEdit>(*m_panel, u"roles"_s)->setText(u"webpubsub.joinLeaveGroup.room*"_s);
    child<QLineEdit>(*m_panel, u"groups"_s)->setText(u"room1"_s);

    const QString url = generate();
    ASSERT_FALSE(url.isEmpty());
    EXPECT_TRUE(child<QLabel>(*m_panel, u"hint"_s)->text().contains(u"locally"_s));
    const QByteArray token = QUrlQuery(QUrl(url)).queryItemValue(u"access_token"_s).toLatin1();
    auto claims = wps::jwt::verifyHs256(token, {key()});
    ASSERT_TRUE(claims.hasValue());
    EXPECT_EQ(claims->value(u"sub"_s).toString(), u"alice"_s);
    const QJsonArray role = claims->value(u"role"_s).toArray();
    EXPECT_TRUE(role.contains(u"webpubsub.sendToGroup.room1"_s));
    EXPECT_TRUE(role.contains(u"webpubsub.joinLeaveGroup.room*"_s));

    wps::live::LiveClient client(QUrl(url), wps::live::Subprotocol::Json);
    QSignalSpy connected(&client, &wps::live::LiveClient::connected);
    client.start();
    ASSERT_TRUE(connected.wait(kWaitMs));
    EXPECT_EQ(client.userId(), u"alice"_s);
    EXPECT_FALSE(client.connectionId().isEmpty());
    client.stop();
}

TEST_F(TokenPanelTest, RefusesAnInvalidHubNameAndKeepsTheForm)
{
    child<QLineEdit>(*m_panel, u"hub"_s)->setText(u"1-not a hub"_s);
    EXPECT_FALSE(m_panel->generate());
    EXPECT_TRUE(m_panel->clientUrl().isEmpty());
    EXPECT_EQ(child<QLineEdit>(*m_panel, u"hub"_s)->text(), u"1-not a hub"_s);
}

TEST_F(TokenPanelTest, QrCodeFollowsTheUrl)
{
    EXPECT_TRUE(m_panel->qrImage().isNull());
    const QString first = generate();
    const QImage qr1 = m_panel->qrImage();
    ASSERT_FALSE(qr1.isNull());
    EXPECT_EQ(qr1.width(), qr1.height());
    EXPECT_GE(qr1.width(), 21 + 8);                     // version 1 plus the quiet zone
    EXPECT_EQ(qr1.pixelColor(0, 0), QColor(Qt::white)); // quiet zone
    EXPECT_EQ(qr1.pixelColor(4, 4), QColor(Qt::black)); // finder pattern corner
    EXPECT_NE(child<QLabel>(*m_panel, u"qrCode"_s)->pixmap().isNull(), true);

    child<QLineEdit>(*m_panel, u"userId"_s)->setText(u"someone-with-a-longer-name"_s);
    const QString second = generate();
    ASSERT_NE(first, second);
    EXPECT_NE(m_panel->qrImage(), qr1);

    const QImage scaled = wps::ui::renderQrCode(second, 3);
    EXPECT_EQ(scaled.width(), m_panel->qrImage().width() * 3);
}

TEST_F(TokenPanelTest, DecoderShowsClaimsAndTellsValidExpiredAndForgedApart)
{
    child<QLineEdit>(*m_panel, u"userId"_s)->setText(u"alice"_s);
    child<QCheckBox>(*m_panel, u"roleSendToGroup"_s)->setChecked(true);
    const QString url = generate();
    ASSERT_FALSE(url.isEmpty());
    m_panel->inspect(url);
    EXPECT_TRUE(m_panel->validityText().startsWith(u"Valid"_s)) << m_panel->validityText().toStdString();
    EXPECT_TRUE(m_panel->decodedText().contains(u"\"aud\""_s));
    EXPECT_TRUE(m_panel->decodedText().contains(u"exp: "_s));
    EXPECT_TRUE(m_panel->decodedText().contains(u"HS256"_s));
    EXPECT_FALSE(child<QLabel>(*m_panel, u"countdown"_s)->text().isEmpty());
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QJsonObject old{{u"aud"_s, u"x"_s}, {u"iat"_s, now - 7200}, {u"exp"_s, now - 3600}};
    m_panel->inspect(QString::fromLatin1(wps::jwt::signHs256(old, key())));
    EXPECT_TRUE(m_panel->validityText().startsWith(u"Expired"_s)) << m_panel->validityText().toStdString();
    EXPECT_TRUE(child<QLabel>(*m_panel, u"countdown"_s)->text().startsWith(u"expired"_s));

    QJsonObject fresh{{u"aud"_s, u"x"_s}, {u"sub"_s, u"mallory"_s}, {u"exp"_s, now + 3600}};
    m_panel->inspect(QString::fromLatin1(wps::jwt::signHs256(fresh, QByteArrayLiteral("not-the-key"))));
    EXPECT_TRUE(m_panel->validityText().startsWith(u"Invalid signature"_s))
        << m_panel->validityText().toStdString();
    EXPECT_TRUE(m_panel->decodedText().contains(u"mallory"_s));

    m_panel->inspect(u"not a token"_s);
    EXPECT_TRUE(m_panel->validityText().startsWith(u"Not a JWT"_s));
}

TEST(TokenPanelOffline, UnverifiedWithoutAKey)
{
    wps::ui::ConsoleSession session;
    wps::ui::TokenPanel panel(&session);
    QJsonObject claims{{u"sub"_s, u"bob"_s}, {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 60}};
    panel.inspect(QString::fromLatin1(wps::jwt::signHs256(claims, QByteArrayLiteral("k"))));
    EXPECT_TRUE(panel.validityText().contains(u"not verified"_s)) << panel.validityText().toStdString();
    EXPECT_FALSE(panel.generate());
}
