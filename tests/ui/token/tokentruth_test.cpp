// The JWT decoder tells the truth a support engineer needs: a token for another hub is a 401 before anyone
// tries it, a token that expires on screen turns red, nbf is honoured, roles that grant nothing are named,
// and "Connect with this URL" reproduces the customer's client with the handshake's answer.
#include "live/liveclient.h"
#include "panels/token/tokenpanel.h"
#include "protocol/jwt.h"
#include "protocol/tokencheck.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/panelfixture.h"
#include "support/wait.h"
#include "support/widgets.h"

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

class TokenTruthTest : public wps::test::PanelTest<wps::ui::TokenPanel>
{
protected:
    QString generate(const QString &hub)
    {
        child<QLineEdit>(*m_panel, u"hub"_s)->setText(hub);
        QSignalSpy done(m_panel.get(), &wps::ui::TokenPanel::generated);
        child<QPushButton>(*m_panel, u"generate"_s)->click();
        EXPECT_TRUE(done.wait(kWaitMs));
        return m_panel->clientUrl();
    }

    QString audience(const QString &hub) const
    {
        return m_emulator.endpoint().toString() + u"/client/hubs/"_s + hub;
    }

    QString sign(QJsonObject claims) const
    {
        return QString::fromLatin1(
            wps::jwt::signHs256(claims, m_emulator.connectionString().accessKey().toUtf8()));
    }

    /// Waits until the decoder's verdict starts with \a prefix, on its validityChanged signal.
    bool waitForVerdict(const QString &prefix)
    {
        QSignalSpy changed(m_panel.get(), &wps::ui::TokenPanel::validityChanged);
        for (int i = 0; i < 10 && !m_panel->validityText().startsWith(prefix); ++i)
            changed.wait(kWaitMs / 5);
        return m_panel->validityText().startsWith(prefix);
    }
};

QString tokenOf(const QString &url)
{
    return QUrlQuery(QUrl(url)).queryItemValue(u"access_token"_s, QUrl::FullyDecoded);
}

} // namespace

TEST_F(TokenTruthTest, TokenForAnotherHubSaysTheServiceWillAnswer401)
{
    const QString url = generate(u"other"_s);
    ASSERT_FALSE(url.isEmpty());
    m_panel->inspect(url); // the URL it was made for: fine
    EXPECT_TRUE(m_panel->validityText().startsWith(u"Valid"_s)) << m_panel->validityText().toStdString();

    // The same token on hub chat: signed with the right key, but for hub other.
    child<QLineEdit>(*m_panel, u"hub"_s)->setText(u"chat"_s);
    m_panel->inspect(tokenOf(url));
    const QString verdict = m_panel->validityText();
    EXPECT_TRUE(
        verdict.contains(u"the service will answer 401: this token is for hub other"_s, Qt::CaseInsensitive))
        << verdict.toStdString();
    EXPECT_FALSE(verdict.startsWith(u"Valid"_s));

    // ...and a pasted URL for chat carrying it.
    QUrl chat(url);
    chat.setPath(u"/client/hubs/chat"_s);
    m_panel->inspect(chat.toString());
    EXPECT_TRUE(m_panel->validityText().contains(u"for hub other, not chat"_s))
        << m_panel->validityText().toStdString();
}

TEST_F(TokenTruthTest, ExpiredWhileOnScreenTurnsRed)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    m_panel->inspect(sign({{u"aud"_s, audience(u"chat"_s)}, {u"iat"_s, now}, {u"exp"_s, now + 2}}));
    ASSERT_TRUE(m_panel->validityText().startsWith(u"Valid"_s)) << m_panel->validityText().toStdString();
    EXPECT_TRUE(waitForVerdict(u"Expired"_s)) << m_panel->validityText().toStdString();
    EXPECT_TRUE(child<QLabel>(*m_panel, u"validity"_s)->text().startsWith(u"Expired"_s));
    EXPECT_TRUE(child<QLabel>(*m_panel, u"countdown"_s)->text().startsWith(u"expired"_s));
}

TEST_F(TokenTruthTest, NotBeforeIsHonouredAndPasses)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    m_panel->inspect(sign({{u"aud"_s, audience(u"chat"_s)}, {u"nbf"_s, now + 2}, {u"exp"_s, now + 3600}}));
    ASSERT_TRUE(m_panel->validityText().startsWith(u"Not yet valid"_s))
        << m_panel->validityText().toStdString();
    EXPECT_TRUE(waitForVerdict(u"Valid"_s)) << m_panel->validityText().toStdString();
}

TEST_F(TokenTruthTest, RolesThatGrantNothingAreFlagged)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    m_panel->inspect(
        sign({{u"aud"_s, audience(u"chat"_s)},
              {u"exp"_s, now + 3600},
              {u"role"_s, QJsonArray{u"webpubsub.sendToGroup.room*"_s, u"webpubsub.sendToGroups.room*"_s,
                                     u"webpubsub.joinLeaveGroup"_s}}}));
    const QString roles = m_panel->roleCheckText();
    EXPECT_TRUE(roles.contains(u"webpubsub.sendToGroup.room*"_s)) << roles.toStdString();
    EXPECT_TRUE(roles.contains(u"webpubsub.sendToGroups.room*"_s)) << roles.toStdString(); // the form meant
    EXPECT_EQ(roles.count(u"grants nothing"_s), 1) << roles.toStdString();
    // The custom-roles hint suggests the wildcard form.
    EXPECT_TRUE(child<QLineEdit>(*m_panel, u"roles"_s)->placeholderText().contains(u"sendToGroups.room*"_s));
}

TEST_F(TokenTruthTest, ConnectWithThisUrlConnectsAndShowsARefusal)
{
    QList<wps::live::LiveClient *> added;
    QObject::connect(&m_session, &wps::ui::ConsoleSession::liveClientAdded,
                     [&](wps::live::LiveClient *client, const QString &) { added.append(client); });
    const QString url = generate(u"chat"_s);
    m_panel->inspect(url);
    QSignalSpy finished(m_panel.get(), &wps::ui::TokenPanel::connectFinished);
    child<QPushButton>(*m_panel, u"connectUrl"_s)->click();
    ASSERT_TRUE(finished.wait(kWaitMs));
    EXPECT_TRUE(finished.first().at(0).toBool()) << m_panel->connectResultText().toStdString();
    EXPECT_TRUE(m_panel->connectResultText().startsWith(u"Connected"_s));
    ASSERT_EQ(added.count(), 1);
    wps::live::LiveClient *client = added.first();
    ASSERT_NE(client, nullptr);
    EXPECT_EQ(client->state(), wps::live::State::Connected);

    // A token for another hub, pasted as a URL for chat: the service refuses the handshake with 401.
    const QString other = generate(u"other"_s);
    QUrl wrong(other);
    wrong.setPath(u"/client/hubs/chat"_s);
    m_panel->inspect(wrong.toString());
    finished.clear();
    child<QPushButton>(*m_panel, u"connectUrl"_s)->click();
    ASSERT_TRUE(finished.wait(kWaitMs));
    EXPECT_FALSE(finished.first().at(0).toBool());
    const QString refusal = m_panel->connectResultText();
    EXPECT_TRUE(refusal.startsWith(u"Refused"_s)) << refusal.toStdString();
    EXPECT_TRUE(refusal.contains(u"401"_s)) << refusal.toStdString();
    EXPECT_TRUE(refusal.contains(u"for hub other"_s)) << refusal.toStdString();
    EXPECT_FALSE(refusal.contains(tokenOf(other))); // never the token
}

TEST(TokenCheck, ServiceRoleFormsPassAndEachMalformedRoleIsReportedOnce)
{
    using wps::tokencheck::checkRoles;
    EXPECT_TRUE(checkRoles({u"webpubsub.joinLeaveGroup"_s, u"webpubsub.sendToGroup"_s,
                            u"webpubsub.sendToGroup.room1"_s, u"webpubsub.joinLeaveGroups.chat-*"_s,
                            u"webpubsub.SendToGroup"_s, u"webpubsub.sendToGroup.literal\\*star"_s})
                    .isEmpty());
    EXPECT_EQ(checkRoles({u"webpubsub.sendToGroup.room*"_s}).size(), 1);
    EXPECT_EQ(checkRoles({u"webpubsub.sendToGroups"_s}).size(), 1);
    EXPECT_EQ(checkRoles({u"webpubsub.sendToGroups.*.*.*.*.*.*"_s}).size(), 1);
    EXPECT_EQ(checkRoles({u"admin"_s}).size(), 1);
    EXPECT_EQ(checkRoles({u"webpubsub.sendToGrup"_s}).size(), 1);
    EXPECT_EQ(wps::tokencheck::audienceHub(u"https://x.webpubsub.azure.com/client/hubs/other"_s), u"other"_s);
}
