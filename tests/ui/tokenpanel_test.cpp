#include "mainwindow/mainwindow.h"
#include "panels/token/tokenpanel.h"
#include "protocol/jwt.h"

#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTest>
#include <QUrlQuery>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;

namespace {
wps::ConnectionString testConnection()
{
    return *wps::ConnectionString::parse(
        u"Endpoint=http://127.0.0.1:7071;AccessKey=test-key-0123456789abcdef0123456789;Version=1.0;"_s);
}
} // namespace

TEST(TokenPanel, GeneratesASignedClientUrlForTheFormsClaims)
{
    wps::ui::TokenPanel panel;
    panel.setConnection(testConnection());
    panel.findChild<QLineEdit *>(u"hub"_s)->setText(u"chat"_s);
    QTest::keyClicks(panel.findChild<QLineEdit *>(u"userId"_s), u"alice"_s);
    panel.findChild<QLineEdit *>(u"roles"_s)
        ->setText(u"webpubsub.joinLeaveGroup.room1, webpubsub.sendToGroup"_s);
    panel.findChild<QLineEdit *>(u"groups"_s)->setText(u"room1"_s);

    ASSERT_TRUE(panel.generate());
    const QUrl url(panel.clientUrl());
    EXPECT_EQ(url.scheme(), u"ws"_s);
    EXPECT_EQ(url.path(), u"/client/hubs/chat"_s);
    const QByteArray token = QUrlQuery(url).queryItemValue(u"access_token"_s).toLatin1();
    auto claims = wps::jwt::verifyHs256(token, {QByteArrayLiteral("test-key-0123456789abcdef0123456789")});
    ASSERT_TRUE(claims.hasValue());
    EXPECT_EQ(claims->value(u"sub"_s).toString(), u"alice"_s);
    EXPECT_EQ(claims->value(u"aud"_s).toString(), u"http://127.0.0.1:7071/client/hubs/chat"_s);
    EXPECT_TRUE(panel.claimsText().contains(u"webpubsub.sendToGroup"_s));
}

TEST(TokenPanel, RefusesAnInvalidHubNameAndKeepsTheForm)
{
    wps::ui::TokenPanel panel;
    panel.setConnection(testConnection());
    panel.findChild<QLineEdit *>(u"hub"_s)->setText(u"1-not a hub"_s);
    EXPECT_FALSE(panel.generate());
    EXPECT_TRUE(panel.clientUrl().isEmpty());
    EXPECT_EQ(panel.findChild<QLineEdit *>(u"hub"_s)->text(), u"1-not a hub"_s);
}

TEST(MainWindow, ListsEveryPanelAndShowsTheConnection)
{
    wps::ui::MainWindow window;
    window.setConnection(testConnection(), u"embedded emulator"_s);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    auto *navigation = window.findChild<QListWidget *>(u"navigation"_s);
    ASSERT_NE(navigation, nullptr);
    EXPECT_GE(navigation->count(), 8);
    window.showPanel(5);
    EXPECT_EQ(navigation->currentRow(), 5);
}
