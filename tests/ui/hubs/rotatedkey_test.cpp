// The session's state follows reality: regenerating the primary key (over ARM, as the Hubs panel does) makes
// the next call of the window's REST client a 401, and the session turns Unauthorized with the reason.
#include "arm/armclient.h"
#include "panels/hubs/hubspanel.h"
#include "service/connectionprobe.h"
#include "service/credential.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/emulatorprocess.h"
#include "support/wait.h"
#include "trace/tracestore.h"

#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using wps::service::ConnectionHealth;

namespace {
using wps::test::kWaitMs;
} // namespace

TEST(SessionFollowsReality, ARegeneratedKeyTurnsTheStateUnauthorized)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    wps::ui::ConsoleSession session;
    wps::ui::ConsoleSession::OpenRequest request;
    request.connection = emulator.connectionString();
    request.origin = u"Dev"_s;
    QSignalSpy opened(&session, &wps::ui::ConsoleSession::openFinished);
    session.open(request);
    ASSERT_TRUE(opened.wait(kWaitMs));
    ASSERT_EQ(session.health(), ConnectionHealth::Connected);

    // The Hubs panel finds the resource; an ArmClient of our own regenerates the primary key.
    wps::ui::HubsPanel panel(&session);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !panel.resourceId().isEmpty(); }, kWaitMs));
    wps::arm::ArmClientOptions options;
    options.baseUrl = emulator.endpoint();
    wps::arm::ArmClient arm(
        std::make_shared<wps::service::AccessKeyCredential>(emulator.connectionString().accessKey()),
        options);
    auto *job = arm.regenerateKey(panel.resourceId(), wps::arm::KeyType::Primary);
    QSignalSpy regenerated(job, &wps::arm::ArmJob::finished);
    ASSERT_TRUE(regenerated.wait(kWaitMs));
    ASSERT_FALSE(job->hasError()) << job->error().toString().toStdString();

    // The next call is refused: the session re-probes at once and turns red, with the service's reason.
    session.client()->groupExists(u"g"_s);
    EXPECT_TRUE(QTest::qWaitFor([&] { return session.health() == ConnectionHealth::Unauthorized; }, kWaitMs))
        << wps::service::healthName(session.health()).toStdString();
    EXPECT_TRUE(session.healthText().contains(u"401"_s)) << session.healthText().toStdString();
    EXPECT_FALSE(session.healthText().contains(emulator.connectionString().accessKey()));
}
