// ConnectionProbe against the real emulator and loopback faults: each verdict the console shows
// (Connected, Unreachable, Unauthorized, Misconfigured) comes from a real answer, or its absence.
#include "protocol/connectionstring.h"
#include "service/connectionprobe.h"
#include "service/credential.h"
#include "support/emulatorprocess.h"
#include "support/faultserver.h"
#include "support/wait.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using wps::service::ConnectionHealth;
using wps::service::ConnectionProbe;

namespace {

using wps::test::kWaitMs;

std::shared_ptr<const wps::service::Credential> keyCredential(const QString &key)
{
    return std::make_shared<wps::service::AccessKeyCredential>(key);
}

/// A loopback port nothing listens on (bound, then closed): connecting to it is refused at once.
quint16 closedPort()
{
    QTcpServer server;
    EXPECT_TRUE(server.listen(QHostAddress::LocalHost, 0));
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

wps::service::ProbeResult run(ConnectionProbe &probe)
{
    QSignalSpy finished(&probe, &ConnectionProbe::finished);
    probe.start();
    EXPECT_TRUE(finished.count() == 1 || finished.wait(kWaitMs));
    EXPECT_EQ(finished.count(), 1);
    return probe.result();
}

} // namespace

TEST(ConnectionProbe, ConnectedWithTheRightKey)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    ConnectionProbe probe(emulator.endpoint(), keyCredential(emulator.connectionString().accessKey()));
    const auto result = run(probe);
    EXPECT_EQ(result.health, ConnectionHealth::Connected) << result.reason.toStdString();
    EXPECT_EQ(result.healthStatus, 200);
    EXPECT_EQ(result.readStatus, 200);
}

TEST(ConnectionProbe, WrongKeyIsUnauthorizedWithTheServiceMessage)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    const QString wrong = u"d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmc="_s;
    ConnectionProbe probe(emulator.endpoint(), keyCredential(wrong));
    const auto result = run(probe);
    EXPECT_EQ(result.health, ConnectionHealth::Unauthorized);
    EXPECT_EQ(result.healthStatus, 200);
    EXPECT_EQ(result.readStatus, 401);
    EXPECT_TRUE(result.reason.contains(u"401"_s)) << result.reason.toStdString();
    EXPECT_FALSE(result.reason.contains(wrong)); // never the key
}

TEST(ConnectionProbe, ClosedPortIsUnreachableWithTheNetworkError)
{
    const quint16 port = closedPort();
    ConnectionProbe probe(QUrl(u"http://127.0.0.1:%1"_s.arg(port)), keyCredential(u"a2V5"_s));
    QElapsedTimer clock;
    clock.start();
    const auto result = run(probe);
    std::printf("refused probe answered in %lld ms\n", static_cast<long long>(clock.elapsed()));
    EXPECT_EQ(result.health, ConnectionHealth::Unreachable);
    EXPECT_TRUE(result.reason.contains(u"refused"_s, Qt::CaseInsensitive)) << result.reason.toStdString();
    EXPECT_EQ(result.healthStatus, 0);
}

TEST(ConnectionProbe, SilentServerTimesOutAsUnreachable)
{
    wps::test::FaultServer server;
    server.setDefault(wps::test::FaultServer::Response::hang());
    const quint16 port = server.listen();
    wps::service::ProbeOptions options;
    options.timeout = 300ms;
    ConnectionProbe probe(QUrl(u"http://127.0.0.1:%1"_s.arg(port)), keyCredential(u"a2V5"_s), options);
    const auto result = run(probe);
    EXPECT_EQ(result.health, ConnectionHealth::Unreachable);
    EXPECT_TRUE(result.reason.contains(u"did not answer"_s)) << result.reason.toStdString();
    EXPECT_EQ(server.requestCount(), 1); // no retry
}

TEST(ConnectionProbe, NotAWebPubSubEndpointIsMisconfigured)
{
    wps::test::FaultServer server;
    server.setDefault(wps::test::FaultServer::Response::answer(404));
    const quint16 port = server.listen();
    ConnectionProbe probe(QUrl(u"http://127.0.0.1:%1"_s.arg(port)), keyCredential(u"a2V5"_s));
    const auto result = run(probe);
    EXPECT_EQ(result.health, ConnectionHealth::Misconfigured);
    EXPECT_TRUE(result.reason.contains(u"404"_s)) << result.reason.toStdString();
}

TEST(ConnectionProbe, CancelEndsAHangingProbe)
{
    wps::test::FaultServer server;
    server.setDefault(wps::test::FaultServer::Response::hang());
    const quint16 port = server.listen();
    ConnectionProbe probe(QUrl(u"http://127.0.0.1:%1"_s.arg(port)), keyCredential(u"a2V5"_s));
    QSignalSpy finished(&probe, &ConnectionProbe::finished);
    QSignalSpy received(&server, &wps::test::FaultServer::requestReceived);
    probe.start();
    ASSERT_TRUE(received.wait(kWaitMs));
    probe.cancel();
    ASSERT_TRUE(finished.count() == 1 || finished.wait(kWaitMs));
    EXPECT_TRUE(probe.result().cancelled);
    EXPECT_FALSE(probe.isRunning());
}

TEST(ConnectionProbe, UnusableEndpointIsMisconfigured)
{
    ConnectionProbe probe(QUrl(), keyCredential(u"a2V5"_s));
    const auto result = run(probe);
    EXPECT_EQ(result.health, ConnectionHealth::Misconfigured);
    EXPECT_FALSE(result.reason.isEmpty());
}
