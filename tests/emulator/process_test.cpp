// The real `webpubsub-emulator` executable: connection-string line, REST over loopback, request log, exit
// codes.
#include "protocol/jwt.h"
#include "support/emulatorprocess.h"
#include "support/printers.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;

namespace {

int runToExit(const QStringList &args, QByteArray *stderrText)
{
    QProcess process;
    process.start(wps::test::EmulatorProcess::binaryPath(), args);
    EXPECT_TRUE(process.waitForFinished(15000));
    *stderrText = process.readAllStandardError();
    return process.exitCode();
}

} // namespace

TEST(EmulatorProcess, PrintsConnectionStringServesRestAndLogsWithoutTokens)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start({u"--access-key"_s, u"process-test-key-0123456789abcdefghij"_s}))
        << emulator.errorText().toStdString();
    EXPECT_EQ(emulator.connectionString().accessKey(), u"process-test-key-0123456789abcdefghij"_s);
    EXPECT_EQ(emulator.endpoint().host(), u"127.0.0.1"_s);
    EXPECT_GT(emulator.port(), 0);

    const QUrl url(emulator.endpoint().toString() + u"/api/hubs/chat/:send?api-version=2024-12-01"_s);
    const QByteArray token = wps::jwt::signHs256(
        QJsonObject{{u"aud"_s, url.toString()}, {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 600}},
        emulator.connectionString().accessKey().toUtf8());
    QNetworkAccessManager nam;
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token);
    request.setRawHeader("Content-Type", "text/plain");
    QNetworkReply *reply = nam.post(request, "hello");
    QSignalSpy finished(reply, &QNetworkReply::finished);
    ASSERT_TRUE(finished.wait(10000));
    EXPECT_EQ(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202);
    reply->deleteLater();

    EXPECT_TRUE(
        QTest::qWaitFor([&] { return emulator.log().contains(u"POST /api/hubs/chat/:send 202"_s); }, 10000))
        << emulator.log().toStdString();
    EXPECT_FALSE(emulator.log().contains(QString::fromLatin1(token)));
    EXPECT_FALSE(emulator.log().contains(u"api-version"_s)) << "the log shows paths without the query";
}

TEST(EmulatorProcess, RandomKeyWhenNoneGiven)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    EXPECT_GE(emulator.connectionString().accessKey().size(), 32);
    EXPECT_FALSE(emulator.connectionString().accessKey().contains(u';'));
}

TEST(EmulatorProcess, StopsCleanlyOnSigterm)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    emulator.process().terminate();
    ASSERT_TRUE(emulator.process().waitForFinished(10000));
    EXPECT_EQ(emulator.process().exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(emulator.process().exitCode(), 0);
}

TEST(EmulatorProcess, BadConfigExitsWithCode2NamingThePath)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(u"config.json"_s);
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(R"({"hubs": {"chat": {"eventHandlers": [{"urlTemplate": 42}]}}})");
    file.close();
    QByteArray err;
    EXPECT_EQ(runToExit({u"--port"_s, u"0"_s, u"--config"_s, path}, &err), 2);
    EXPECT_TRUE(err.contains("hubs.chat.eventHandlers[0].urlTemplate")) << err.toStdString();
}

TEST(EmulatorProcess, GoodConfigIsAccepted)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(u"config.json"_s);
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(R"({"hubs": {"chat": {"anonymousConnect": false, "eventHandlers": [{"urlTemplate":
        "http://127.0.0.1:3000/eventhandler/{event}", "userEventPattern": "*", "systemEvents": ["connect",
        "connected", "disconnected"]}]}}})");
    file.close();
    wps::test::EmulatorProcess emulator;
    EXPECT_TRUE(emulator.start({u"--config"_s, path})) << emulator.errorText().toStdString();
}

TEST(EmulatorProcess, TakenPortIsAClearError)
{
    wps::test::EmulatorProcess first;
    ASSERT_TRUE(first.start()) << first.errorText().toStdString();
    QByteArray err;
    EXPECT_NE(runToExit({u"--host"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(first.port())}, &err), 0);
    EXPECT_TRUE(err.contains("Cannot listen")) << err.toStdString();
}

TEST(EmulatorProcess, BadArgumentsExitWith2)
{
    QByteArray err;
    EXPECT_EQ(runToExit({u"--port"_s, u"70000"_s}, &err), 2);
    EXPECT_TRUE(err.contains("--port")) << err.toStdString();
    EXPECT_EQ(runToExit({u"--no-such-option"_s}, &err), 2);
}

namespace {
int demoPageStatus(const wps::test::EmulatorProcess &emulator)
{
    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.get(QNetworkRequest(QUrl(emulator.endpoint().toString() + u"/demo/chat"_s)));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    EXPECT_TRUE(finished.wait(10000));
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return status;
}
} // namespace

TEST(EmulatorProcess, DemoRoutesAreOnForLoopbackUnlessTurnedOff)
{
    wps::test::EmulatorProcess on;
    ASSERT_TRUE(on.start()) << on.errorText().toStdString();
    EXPECT_EQ(demoPageStatus(on), 200);

    wps::test::EmulatorProcess off;
    ASSERT_TRUE(off.start({u"--no-demo"_s})) << off.errorText().toStdString();
    EXPECT_EQ(demoPageStatus(off), 404);

    QByteArray err;
    EXPECT_EQ(runToExit({u"--demo"_s, u"--no-demo"_s}, &err), 2);
    EXPECT_TRUE(err.contains("exclude each other")) << err.toStdString();
}
