// `webpubsub listen` (WPS_CLI_BIN) through QProcess against the real emulator: JSON lines out, stdin lines
// in, exit codes.
#include "support/emulatorprocess.h"
#include "support/printers.h"
#include "support/wait.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

#include <gtest/gtest.h>

#include <functional>

using namespace Qt::Literals::StringLiterals;

namespace {

using wps::test::kWaitMs;

class ListenTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(m_emulator.start()) << m_emulator.errorText().toStdString(); }

    static QString binary()
    {
        const QString fromEnv = qEnvironmentVariable("WPS_CLI_BIN");
        return fromEnv.isEmpty() ? QCoreApplication::applicationDirPath() + u"/../app/webpubsub"_s : fromEnv;
    }

    QProcessEnvironment environment(const QString &connectionString = {}) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"WEBPUBSUB_CONNECTION_STRING"_s,
                   connectionString.isEmpty() ? m_emulator.connectionString().toString() : connectionString);
        env.insert(u"AZURE_WEBPUBSUB_HUB"_s, u"hub1"_s);
        return env;
    }

    /// Starts `webpubsub listen` with \a args; stdin stays open.
    void startListen(QProcess &process, const QStringList &args, const QString &connectionString = {})
    {
        process.setProcessEnvironment(environment(connectionString));
        process.start(binary(), QStringList{u"listen"_s} + args);
        ASSERT_TRUE(process.waitForStarted(10000)) << process.errorString().toStdString();
    }

    /// Reads stdout lines of \a process into m_lines until \a predicate holds for one of them.
    bool waitForLine(QProcess &process, const std::function<bool(const QJsonObject &)> &predicate)
    {
        return QTest::qWaitFor(
            [&] {
                while (process.canReadLine()) {
                    const QByteArray line = process.readLine().trimmed();
                    QJsonParseError error;
                    const QJsonObject object = QJsonDocument::fromJson(line, &error).object();
                    EXPECT_EQ(error.error, QJsonParseError::NoError)
                        << "not a JSON line: " << line.toStdString();
                    m_lines.append(object);
                    if (predicate(object))
                        return true;
                }
                return false;
            },
            kWaitMs);
    }

    /// Waits for \a process to end (it may already have ended while the event loop ran).
    static bool finished(QProcess &process)
    {
        return QTest::qWaitFor([&process] { return process.state() == QProcess::NotRunning; }, kWaitMs);
    }

    /// Runs another CLI command to completion.
    int runCli(const QStringList &args)
    {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(binary(), args);
        EXPECT_TRUE(process.waitForFinished(kWaitMs));
        EXPECT_EQ(process.exitCode(), 0) << process.readAllStandardError().toStdString();
        return process.exitCode();
    }

    wps::test::EmulatorProcess m_emulator;
    QList<QJsonObject> m_lines;
};

bool isEvent(const QJsonObject &line, const QString &event)
{
    return line.value(u"type"_s) == u"system"_s && line.value(u"event"_s) == event;
}

TEST_F(ListenTest, RestSendToAllArrivesAsAJsonLine)
{
    QProcess listen;
    startListen(listen, {u"--user"_s, u"alice"_s, u"--protocol"_s, u"json"_s});
    ASSERT_TRUE(waitForLine(listen, [](const QJsonObject &line) { return isEvent(line, u"connected"_s); }))
        << listen.readAllStandardError().toStdString();
    EXPECT_EQ(m_lines.constLast().value(u"userId"_s), u"alice"_s);
    EXPECT_FALSE(m_lines.constLast().value(u"connectionId"_s).toString().isEmpty());

    runCli({u"send-to-all"_s, u"--json"_s, uR"({"hello":"world"})"_s});
    ASSERT_TRUE(
        waitForLine(listen, [](const QJsonObject &line) { return line.value(u"type"_s) == u"message"_s; }));
    EXPECT_EQ(m_lines.constLast(), (QJsonObject{{u"type"_s, u"message"_s},
                                                {u"from"_s, u"server"_s},
                                                {u"dataType"_s, u"json"_s},
                                                {u"data"_s, QJsonObject{{u"hello"_s, u"world"_s}}}}));

    // stdin EOF: a clean stop, exit 0.
    listen.closeWriteChannel();
    ASSERT_TRUE(finished(listen));
    EXPECT_EQ(listen.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(listen.exitCode(), 0) << listen.readAllStandardError().toStdString();
}

TEST_F(ListenTest, StdinLinesGoToTheGroupAndComeBack)
{
    QProcess listen;
    startListen(listen, {u"--user"_s, u"bob"_s, u"--group"_s, u"room"_s, u"--role"_s,
                         u"webpubsub.sendToGroup.room"_s, u"--send-group"_s, u"room"_s});
    ASSERT_TRUE(waitForLine(listen, [](const QJsonObject &line) { return isEvent(line, u"connected"_s); }))
        << listen.readAllStandardError().toStdString();
    listen.write("hello room\n");
    ASSERT_TRUE(
        waitForLine(listen, [](const QJsonObject &line) { return line.value(u"from"_s) == u"group"_s; }));
    const QJsonObject echo = m_lines.constLast();
    EXPECT_EQ(echo.value(u"group"_s), u"room"_s);
    EXPECT_EQ(echo.value(u"fromUserId"_s), u"bob"_s);
    EXPECT_EQ(echo.value(u"dataType"_s), u"text"_s);
    EXPECT_EQ(echo.value(u"data"_s), u"hello room"_s);
    EXPECT_EQ(echo.value(u"sequenceId"_s).toInt(), 1); // json.reliable is the default
    ASSERT_TRUE(
        waitForLine(listen, [](const QJsonObject &line) { return line.value(u"type"_s) == u"ack"_s; }));
    EXPECT_EQ(m_lines.constLast().value(u"success"_s), true);

    listen.closeWriteChannel();
    ASSERT_TRUE(finished(listen));
    EXPECT_EQ(listen.exitCode(), 0) << listen.readAllStandardError().toStdString();
}

TEST_F(ListenTest, EventWithoutHandlerIsReportedAsAFailedAck)
{
    QProcess listen;
    startListen(listen, {u"--protocol"_s, u"protobuf"_s, u"--event"_s, u"chat"_s});
    listen.write("queued before connected\n"); // sent once connected
    listen.closeWriteChannel();
    ASSERT_TRUE(waitForLine(listen, [](const QJsonObject &line) {
        return line.value(u"type"_s) == u"ack"_s;
    })) << listen.readAllStandardError().toStdString();
    const QJsonObject ack = m_lines.constLast();
    EXPECT_EQ(ack.value(u"operation"_s), u"sendEvent"_s);
    EXPECT_EQ(ack.value(u"success"_s), false);
    EXPECT_EQ(ack.value(u"error"_s).toObject().value(u"name"_s), u"InternalServerError"_s);
    ASSERT_TRUE(finished(listen));
    EXPECT_EQ(listen.exitCode(), 0);
}

TEST_F(ListenTest, RefusedConnectionExitsThreeWithTheStatus)
{
    QProcess listen;
    const QString wrongKey =
        u"Endpoint=%1;AccessKey=not-the-key;Version=1.0;"_s.arg(m_emulator.endpoint().toString());
    startListen(listen, {u"--user"_s, u"mallory"_s}, wrongKey);
    ASSERT_TRUE(finished(listen));
    EXPECT_EQ(listen.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(listen.exitCode(), 3);
    const QByteArray err = listen.readAllStandardError();
    EXPECT_TRUE(err.contains("status: 401")) << err.toStdString();
    EXPECT_FALSE(err.contains("not-the-key"));
}

} // namespace

TEST_F(ListenTest, MqttClientPublishesStdinLinesAndReceivesRestSends)
{
    QProcess listen;
    startListen(listen, {u"--protocol"_s, u"mqtt5"_s, u"--group"_s, u"room"_s, u"--role"_s,
                         u"webpubsub.sendToGroup.room"_s, u"--send-group"_s, u"room"_s});
    ASSERT_TRUE(waitForLine(listen, [](const QJsonObject &line) { return isEvent(line, u"connected"_s); }))
        << listen.readAllStandardError().toStdString();
    // The client ID is the connection ID.
    EXPECT_TRUE(m_lines.constLast().value(u"connectionId"_s).toString().startsWith(u"listen"_s));
    listen.write("hello mqtt\n");
    ASSERT_TRUE(
        waitForLine(listen, [](const QJsonObject &line) { return line.value(u"from"_s) == u"group"_s; }));
    EXPECT_EQ(m_lines.constLast(), (QJsonObject{{u"type"_s, u"message"_s},
                                                {u"from"_s, u"group"_s},
                                                {u"group"_s, u"room"_s},
                                                {u"dataType"_s, u"text"_s},
                                                {u"data"_s, u"hello mqtt"_s}}));
    ASSERT_TRUE(
        waitForLine(listen, [](const QJsonObject &line) { return line.value(u"type"_s) == u"ack"_s; }));
    EXPECT_EQ(m_lines.constLast().value(u"success"_s), true);

    // REST sends to all arrive on the server topic.
    runCli({u"send-to-all"_s, u"--text"_s, u"to everyone"_s});
    ASSERT_TRUE(
        waitForLine(listen, [](const QJsonObject &line) { return line.value(u"from"_s) == u"server"_s; }));
    EXPECT_EQ(m_lines.constLast().value(u"data"_s), u"to everyone"_s);

    listen.closeWriteChannel();
    ASSERT_TRUE(finished(listen));
    EXPECT_EQ(listen.exitCode(), 0) << listen.readAllStandardError().toStdString();
}

TEST_F(ListenTest, JsonDataIsPrintedAsItCameKeyOrderAndDigitsKept)
{
    QProcess listen;
    startListen(listen, {u"--user"_s, u"erin"_s, u"--protocol"_s, u"json"_s});
    ASSERT_TRUE(waitForLine(listen, [](const QJsonObject &line) { return isEvent(line, u"connected"_s); }))
        << listen.readAllStandardError().toStdString();
    runCli({u"send-to-all"_s, u"--json"_s, uR"({"b":1,"a":12345678901234567890,"c":1.10})"_s});
    QByteArray out;
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            out += listen.readAllStandardOutput();
            return out.contains("\"type\":\"message\"");
        },
        kWaitMs));
    EXPECT_TRUE(out.contains(R"("data":{"b":1,"a":12345678901234567890,"c":1.10})")) << out.toStdString();
    listen.closeWriteChannel();
    ASSERT_TRUE(finished(listen));
}
