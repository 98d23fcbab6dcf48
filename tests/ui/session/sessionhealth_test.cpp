// ConsoleSession::open(): the probe decides what the session says. Against the real emulator and loopback
// faults: a closed port is Unreachable with the network error, a wrong key Unauthorized with the service's
// message, a failed open keeps the working connection, an open can be cancelled, and the health follows
// reality afterwards (the service going away turns it red).
#include "service/connectionprobe.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/emulatorprocess.h"
#include "support/faultserver.h"
#include "support/wait.h"
#include "trace/tracestore.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using wps::service::ConnectionHealth;
using wps::ui::ConsoleSession;

namespace {

using wps::test::kWaitMs;

quint16 closedPort()
{
    QTcpServer server;
    EXPECT_TRUE(server.listen(QHostAddress::LocalHost, 0));
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

ConsoleSession::OpenRequest request(const wps::ConnectionString &connection, const QString &name)
{
    ConsoleSession::OpenRequest r;
    r.connection = connection;
    r.origin = name;
    r.profileName = name;
    r.profileId = name;
    return r;
}

wps::ConnectionString connectionTo(quint16 port, const QString &key = u"a2V5LWtleS1rZXk="_s)
{
    return *wps::ConnectionString::parse(
        u"Endpoint=http://127.0.0.1:%1;AccessKey=%2;Version=1.0;"_s.arg(port).arg(key));
}

/// Opens \a r in \a session and waits for the verdict; returns openFinished's (ok, message).
std::pair<bool, QString> openAndWait(ConsoleSession &session, const ConsoleSession::OpenRequest &r)
{
    QSignalSpy finished(&session, &ConsoleSession::openFinished);
    session.open(r);
    EXPECT_TRUE(finished.count() > 0 || finished.wait(kWaitMs));
    if (finished.isEmpty())
        return {false, QString()};
    return {finished.first().at(0).toBool(), finished.first().at(1).toString()};
}

template <typename Predicate>
bool anyRecord(wps::trace::TraceStore *store, Predicate predicate)
{
    bool found = false;
    if (store->count() == 0)
        return false;
    store->forEach(store->firstId(), store->endId(),
                   [&](const wps::trace::TraceRecordView &view) { found = found || predicate(view); });
    return found;
}

} // namespace

TEST(SessionHealth, OpenProbesBeforeSayingConnected)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    ConsoleSession session;
    QSignalSpy changes(&session, &ConsoleSession::connectionChanged);
    session.open(request(emulator.connectionString(), u"Dev"_s));
    EXPECT_TRUE(session.isOpening());
    EXPECT_EQ(session.state(), ConsoleSession::State::Connecting);
    EXPECT_EQ(session.client(), nullptr); // nothing said before the service answered
    EXPECT_TRUE(QTest::qWaitFor([&] { return !session.isOpening(); }, kWaitMs));
    EXPECT_EQ(session.state(), ConsoleSession::State::Connected);
    EXPECT_EQ(session.health(), ConnectionHealth::Connected);
    EXPECT_EQ(session.profileName(), u"Dev"_s);
    EXPECT_EQ(session.endpoint(), emulator.endpoint());
    ASSERT_NE(session.client(), nullptr);
    // The probe's calls are in the trace: health and the authenticated read.
    EXPECT_TRUE(anyRecord(session.traceStore(), [](const wps::trace::TraceRecordView &v) {
        return v.kind == wps::trace::Kind::Http && v.type == u"health"_s && v.status == 200;
    }));
}

TEST(SessionHealth, ClosedPortIsUnreachableWithTheReason)
{
    ConsoleSession session;
    const auto [ok, message] = openAndWait(session, request(connectionTo(closedPort()), u"Gone"_s));
    EXPECT_FALSE(ok);
    EXPECT_EQ(session.state(), ConsoleSession::State::Failed);
    EXPECT_EQ(session.health(), ConnectionHealth::Unreachable);
    EXPECT_TRUE(session.healthText().contains(u"refused"_s, Qt::CaseInsensitive))
        << session.healthText().toStdString();
    EXPECT_TRUE(message.contains(u"Unreachable"_s)) << message.toStdString();
    EXPECT_EQ(session.client(), nullptr);
    EXPECT_TRUE(anyRecord(session.traceStore(), [](const wps::trace::TraceRecordView &v) {
        return v.kind == wps::trace::Kind::Lifecycle && v.type == u"open failed"_s;
    }));
}

TEST(SessionHealth, WrongKeyIsUnauthorizedAndKeepsTheWorkingSession)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    ConsoleSession session;
    ASSERT_TRUE(openAndWait(session, request(emulator.connectionString(), u"Good"_s)).first);
    const auto *client = session.client();
    ASSERT_NE(client, nullptr);

    const QString wrong = u"d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmc="_s;
    const auto [ok, message] =
        openAndWait(session, request(connectionTo(emulator.port(), wrong), u"Wrong key"_s));
    EXPECT_FALSE(ok);
    EXPECT_TRUE(message.contains(u"Unauthorized"_s)) << message.toStdString();
    EXPECT_TRUE(message.contains(u"401"_s)) << message.toStdString();
    EXPECT_FALSE(message.contains(wrong));
    EXPECT_EQ(session.lastOpenHealth(), ConnectionHealth::Unauthorized);
    // The window stays on what it had.
    EXPECT_EQ(session.state(), ConsoleSession::State::Connected);
    EXPECT_EQ(session.health(), ConnectionHealth::Connected);
    EXPECT_EQ(session.profileName(), u"Good"_s);
    EXPECT_EQ(session.client(), client);
    EXPECT_EQ(session.connectionString()->accessKey(), emulator.connectionString().accessKey());
}

TEST(SessionHealth, CancelStopsAnOpenAndKeepsWhatWasThere)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    wps::test::FaultServer silent;
    silent.setDefault(wps::test::FaultServer::Response::hang());
    const quint16 port = silent.listen();

    ConsoleSession session;
    ASSERT_TRUE(openAndWait(session, request(emulator.connectionString(), u"Good"_s)).first);
    QSignalSpy finished(&session, &ConsoleSession::openFinished);
    QSignalSpy received(&silent, &wps::test::FaultServer::requestReceived);
    session.open(request(connectionTo(port), u"Silent"_s));
    ASSERT_TRUE(received.wait(kWaitMs));
    EXPECT_TRUE(session.isOpening());
    session.cancelOpen();
    ASSERT_TRUE(finished.count() > 0 || finished.wait(kWaitMs));
    EXPECT_FALSE(finished.first().at(0).toBool());
    EXPECT_TRUE(finished.first().at(1).toString().contains(u"cancelled"_s));
    EXPECT_FALSE(session.isOpening());
    EXPECT_EQ(session.profileName(), u"Good"_s);
    EXPECT_EQ(session.endpoint(), emulator.endpoint());

    // With nothing to keep, a cancelled open leaves the session idle, not "connecting".
    ConsoleSession fresh;
    QSignalSpy freshFinished(&fresh, &ConsoleSession::openFinished);
    fresh.open(request(connectionTo(port), u"Silent"_s));
    fresh.cancelOpen();
    ASSERT_TRUE(freshFinished.count() > 0 || freshFinished.wait(kWaitMs));
    EXPECT_EQ(fresh.state(), ConsoleSession::State::Idle);
    EXPECT_EQ(fresh.client(), nullptr);
}

TEST(SessionHealth, FollowsRealityWhenTheServiceGoesAway)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    ConsoleSession session;
    ASSERT_TRUE(openAndWait(session, request(emulator.connectionString(), u"Dev"_s)).first);
    emulator.stop();
    // A later call that gets no answer re-probes at once: the state turns red with the reason.
    session.client()->groupExists(u"g"_s);
    EXPECT_TRUE(QTest::qWaitFor([&] { return session.health() == ConnectionHealth::Unreachable; }, kWaitMs))
        << session.healthText().toStdString();
    EXPECT_FALSE(session.healthText().isEmpty());
    EXPECT_EQ(session.state(),
              ConsoleSession::State::Connected); // the session is kept, only its health is red
    EXPECT_TRUE(anyRecord(session.traceStore(), [](const wps::trace::TraceRecordView &v) {
        return v.kind == wps::trace::Kind::Lifecycle && v.type == u"connection unreachable"_s;
    }));
}

TEST(SessionHealth, DirectConnectionIsCheckedToo)
{
    ConsoleSession session;
    session.setConnection(connectionTo(closedPort()), u"direct"_s);
    EXPECT_EQ(session.health(), ConnectionHealth::Connecting); // not claimed before the check answered
    EXPECT_TRUE(QTest::qWaitFor([&] { return session.health() == ConnectionHealth::Unreachable; }, kWaitMs));
}
