// EmbeddedEmulator: the emulator on its own thread, reached over loopback from the test's thread.
#include "emulator/emulator.h"
#include "support/printers.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using namespace wps::emulator;

TEST(EmbeddedEmulator, StartsOnItsThreadAndServes)
{
    EmbeddedEmulator embedded;
    QSignalSpy started(&embedded, &EmbeddedEmulator::started);
    QSignalSpy failed(&embedded, &EmbeddedEmulator::failed);
    embedded.start(EmulatorOptions());
    ASSERT_TRUE(started.wait(10000));
    EXPECT_EQ(failed.count(), 0);
    const wps::ConnectionString connection = embedded.connectionString();
    EXPECT_GT(connection.endpoint().port(), 0);
    EXPECT_GE(connection.accessKey().size(), 32);

    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.head(
        QNetworkRequest(QUrl(connection.endpoint().toString() + u"/api/health?api-version=2024-12-01"_s)));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    ASSERT_TRUE(finished.wait(10000));
    EXPECT_EQ(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    reply->deleteLater();
}

TEST(EmbeddedEmulator, ReportsATakenPort)
{
    Emulator first(EmulatorOptions{});
    auto port = first.start();
    ASSERT_TRUE(port);
    EmbeddedEmulator embedded;
    QSignalSpy failed(&embedded, &EmbeddedEmulator::failed);
    EmulatorOptions options;
    options.port = *port;
    embedded.start(options);
    ASSERT_TRUE(failed.wait(10000));
    EXPECT_TRUE(failed.at(0).at(0).toString().contains(u"Cannot listen"_s));
}
