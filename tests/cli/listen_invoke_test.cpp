// `webpubsub listen --invoke EVENT` (WPS_CLI_BIN) through QProcess against the real emulator, whose event
// handler is a small loopback HTTP server in this test (the handler side of the protocol): each stdin line is
// an invocation, each answer one JSON line; usage errors exit 2.
#include "support/emulatorprocess.h"
#include "support/printers.h"
#include "support/shouthandler.h"
#include "support/wait.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using wps::test::kWaitMs;

namespace {

QString cliBinary()
{
    const QString fromEnv = qEnvironmentVariable("WPS_CLI_BIN");
    return fromEnv.isEmpty() ? QCoreApplication::applicationDirPath() + u"/../app/webpubsub"_s : fromEnv;
}

} // namespace

TEST(ListenInvoke, EachLineIsAnInvocationAndEachAnswerALine)
{
    wps::test::ShoutHandler handler;
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QFile config(dir.filePath(u"emulator.json"_s));
    ASSERT_TRUE(config.open(QIODevice::WriteOnly));
    config.write(handler.emulatorConfig(u"hub1"_s));
    config.close();
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start({u"--config"_s, config.fileName()})) << emulator.errorText().toStdString();

    QProcess listen;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"WEBPUBSUB_CONNECTION_STRING"_s, emulator.connectionString().toString());
    env.insert(u"AZURE_WEBPUBSUB_HUB"_s, u"hub1"_s);
    listen.setProcessEnvironment(env);
    listen.start(cliBinary(), {u"listen"_s, u"--protocol"_s, u"json"_s, u"--invoke"_s, u"shout"_s});
    ASSERT_TRUE(listen.waitForStarted(10000)) << listen.errorString().toStdString();
    listen.write("hello\nsecond line\n");
    listen.closeWriteChannel(); // EOF: listen waits for both answers, then stops

    QList<QJsonObject> answers;
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            while (listen.canReadLine()) {
                const QJsonObject line = QJsonDocument::fromJson(listen.readLine().trimmed()).object();
                if (line.value(u"type"_s) == u"invokeResponse"_s)
                    answers << line;
            }
            return answers.size() == 2;
        },
        kWaitMs))
        << listen.readAllStandardError().toStdString();
    QStringList data;
    for (const QJsonObject &answer : answers) {
        EXPECT_EQ(answer.value(u"event"_s).toString(), u"shout"_s);
        EXPECT_TRUE(answer.value(u"success"_s).toBool());
        EXPECT_EQ(answer.value(u"dataType"_s).toString(), u"text"_s);
        EXPECT_FALSE(answer.value(u"invocationId"_s).toString().isEmpty());
        data << answer.value(u"data"_s).toString();
    }
    data.sort();
    EXPECT_EQ(data, (QStringList{u"HELLO"_s, u"SECOND LINE"_s}));
    ASSERT_TRUE(QTest::qWaitFor([&] { return listen.state() == QProcess::NotRunning; }, kWaitMs));
    EXPECT_EQ(listen.exitCode(), 0);
}

TEST(ListenInvoke, InvokeWithARawClientIsAUsageError)
{
    QProcess listen;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(
        u"WEBPUBSUB_CONNECTION_STRING"_s,
        u"Endpoint=http://127.0.0.1:9;AccessKey=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH;Version=1.0;"_s);
    env.insert(u"AZURE_WEBPUBSUB_HUB"_s, u"hub1"_s);
    listen.setProcessEnvironment(env);
    listen.start(cliBinary(), {u"listen"_s, u"--protocol"_s, u"raw"_s, u"--invoke"_s, u"shout"_s});
    ASSERT_TRUE(listen.waitForFinished(kWaitMs));
    EXPECT_EQ(listen.exitCode(), 2);
    EXPECT_NE(listen.readAllStandardError().indexOf("--invoke"), -1);
}
