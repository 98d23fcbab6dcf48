// The window says only what a probe verified: the status bar, the Welcome page and the Connection menu over
// a real session, against the real emulator and a closed loopback port.
#include "mainwindow/mainwindow.h"
#include "panels/clients/liveclientsmodel.h"
#include "panels/clients/liveclientspanel.h"
#include "panels/token/tokenpanel.h"
#include "panels/welcome/welcomepanel.h"
#include "service/connectionprobe.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/emulatorprocess.h"
#include "support/faultserver.h"
#include "support/wait.h"

#include <QAction>
#include <QLabel>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTcpServer>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using wps::service::ConnectionHealth;
using wps::ui::ConsoleSession;

namespace {

using wps::test::kWaitMs;

QString labelText(const QWidget &parent, const QString &name)
{
    auto *label = parent.findChild<QLabel *>(name);
    EXPECT_NE(label, nullptr) << name.toStdString();
    return label ? label->text() : QString();
}

quint16 closedPort()
{
    QTcpServer server;
    EXPECT_TRUE(server.listen(QHostAddress::LocalHost, 0));
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

ConsoleSession::OpenRequest request(quint16 port, const QString &key, const QString &name)
{
    ConsoleSession::OpenRequest r;
    r.connection = *wps::ConnectionString::parse(
        u"Endpoint=http://127.0.0.1:%1;AccessKey=%2;Version=1.0;"_s.arg(port).arg(key));
    r.origin = name;
    r.profileName = name;
    return r;
}

} // namespace

TEST(WindowConnectionState, UnreachableProfileSaysSoWithTheReason)
{
    ConsoleSession session;
    wps::ui::MainWindow window(&session);
    QSignalSpy finished(&session, &ConsoleSession::openFinished);
    session.open(request(closedPort(), u"a2V5"_s, u"Customer hub"_s));
    EXPECT_TRUE(labelText(window, u"statusState"_s).contains(u"Connecting"_s));
    EXPECT_TRUE(window.action(u"actionCancelConnect"_s)->isEnabled());
    ASSERT_TRUE(finished.count() > 0 || finished.wait(kWaitMs));
    EXPECT_TRUE(labelText(window, u"statusState"_s).contains(u"Unreachable"_s))
        << labelText(window, u"statusState"_s).toStdString();
    EXPECT_TRUE(window.statusBar()->currentMessage().contains(u"refused"_s, Qt::CaseInsensitive))
        << window.statusBar()->currentMessage().toStdString();
    const QString welcome = labelText(*window.welcomePanel(), u"welcomeState"_s);
    EXPECT_TRUE(welcome.contains(u"Unreachable"_s)) << welcome.toStdString();
    EXPECT_FALSE(window.action(u"actionCancelConnect"_s)->isEnabled());
}

TEST(WindowConnectionState, WrongKeyIsUnauthorizedAndTheWindowKeepsItsSession)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    ConsoleSession session;
    wps::ui::MainWindow window(&session);
    QSignalSpy finished(&session, &ConsoleSession::openFinished);
    session.open(request(emulator.port(), emulator.connectionString().accessKey(), u"Dev"_s));
    ASSERT_TRUE(finished.count() > 0 || finished.wait(kWaitMs));
    EXPECT_TRUE(labelText(window, u"statusState"_s).contains(u"Connected"_s));
    EXPECT_TRUE(labelText(window, u"statusProfile"_s).contains(u"Dev"_s));

    finished.clear();
    session.open(request(emulator.port(), u"d3Jvbmcta2V5LXdyb25nLWtleQ=="_s, u"Rotated"_s));
    ASSERT_TRUE(finished.count() > 0 || finished.wait(kWaitMs));
    // The working session stays (profile, endpoint, green state) and the status bar says what failed.
    EXPECT_TRUE(labelText(window, u"statusProfile"_s).contains(u"Dev"_s));
    EXPECT_TRUE(labelText(window, u"statusState"_s).contains(u"Connected"_s));
    EXPECT_EQ(labelText(window, u"statusEndpoint"_s), emulator.endpoint().toString());
    const QString message = window.statusBar()->currentMessage();
    EXPECT_TRUE(message.contains(u"Unauthorized"_s)) << message.toStdString();
    EXPECT_TRUE(message.contains(u"401"_s)) << message.toStdString();
    EXPECT_TRUE(message.contains(u"Still on Dev"_s)) << message.toStdString();
}

TEST(WindowConnectionState, CancelFromTheConnectionMenuLeavesNotConnected)
{
    wps::test::FaultServer silent;
    silent.setDefault(wps::test::FaultServer::Response::hang());
    const quint16 port = silent.listen();
    ConsoleSession session;
    wps::ui::MainWindow window(&session);
    QSignalSpy finished(&session, &ConsoleSession::openFinished);
    QSignalSpy received(&silent, &wps::test::FaultServer::requestReceived);
    session.open(request(port, u"a2V5"_s, u"Silent"_s));
    ASSERT_TRUE(received.wait(kWaitMs));
    window.action(u"actionCancelConnect"_s)->trigger();
    ASSERT_TRUE(finished.count() > 0 || finished.wait(kWaitMs));
    EXPECT_TRUE(labelText(window, u"statusState"_s).contains(u"Not connected"_s));
    EXPECT_TRUE(window.statusBar()->currentMessage().contains(u"cancelled"_s))
        << window.statusBar()->currentMessage().toStdString();
}

// Client tokens > Connect with this URL: the pasted URL becomes one more live client of the window, listed in
// the Live clients dock.
TEST(WindowConnectWithUrl, PastedUrlShowsInTheLiveClientsDock)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    ConsoleSession session;
    wps::ui::MainWindow window(&session);
    QSignalSpy opened(&session, &ConsoleSession::openFinished);
    session.open(request(emulator.port(), emulator.connectionString().accessKey(), u"Dev"_s));
    ASSERT_TRUE(opened.count() > 0 || opened.wait(kWaitMs));
    auto *tokens = window.findChild<wps::ui::TokenPanel *>();
    auto *clients = window.findChild<wps::ui::LiveClientsPanel *>();
    ASSERT_NE(tokens, nullptr);
    ASSERT_NE(clients, nullptr);
    QSignalSpy generated(tokens, &wps::ui::TokenPanel::generated);
    ASSERT_TRUE(tokens->generate());
    ASSERT_TRUE(generated.wait(kWaitMs));
    tokens->inspect(tokens->clientUrl());
    QSignalSpy finished(tokens, &wps::ui::TokenPanel::connectFinished);
    ASSERT_TRUE(tokens->connectWithUrl());
    ASSERT_TRUE(finished.wait(kWaitMs));
    EXPECT_TRUE(finished.first().at(0).toBool()) << tokens->connectResultText().toStdString();
    EXPECT_EQ(clients->model()->rowCount(), 1);
}
