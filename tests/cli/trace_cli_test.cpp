// `webpubsub trace record` and `trace convert` (WPS_CLI_BIN) through QProcess against the real emulator:
// the recorded file holds the CLI's own call and the service's live trace, every HAR validates against the
// HAR 1.2 schema (tests/support/har-1.2.schema.json), and failures exit 3 leaving their evidence in the file.
#include "protocol/connectionstring.h"
#include "support/emulatorprocess.h"
#include "support/jsonschema.h"
#include "support/wait.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;

namespace {

using wps::test::kWaitMs;

class TraceCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_emulator.start()) << m_emulator.errorText().toStdString();
        ASSERT_TRUE(m_dir.isValid());
    }

    static QString binary()
    {
        const QString fromEnv = qEnvironmentVariable("WPS_CLI_BIN");
        return fromEnv.isEmpty() ? QCoreApplication::applicationDirPath() + u"/../app/webpubsub"_s : fromEnv;
    }

    void start(QProcess &process, const QStringList &args, const QString &connectionString = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"WEBPUBSUB_CONNECTION_STRING"_s,
                   connectionString.isEmpty() ? m_emulator.connectionString().toString() : connectionString);
        env.insert(u"AZURE_WEBPUBSUB_HUB"_s, u"hub1"_s);
        process.setProcessEnvironment(env);
        process.start(binary(), args);
        ASSERT_TRUE(process.waitForStarted(10000)) << process.errorString().toStdString();
    }

    /// Runs a CLI command to its end; returns the exit code (-1 if it crashed or hung).
    int run(const QStringList &args, QByteArray *err = nullptr, const QString &connectionString = {})
    {
        QProcess process;
        start(process, args, connectionString);
        process.closeWriteChannel();
        EXPECT_TRUE(process.waitForFinished(kWaitMs));
        if (err)
            *err = process.readAllStandardError();
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }

    /// Waits until the recorder says it listens to the live trace (stderr).
    static bool listening(QProcess &process, QByteArray *err)
    {
        return QTest::qWaitFor(
                   [&] {
                       *err += process.readAllStandardError();
                       return err->contains("listening to the live trace") ||
                              process.state() == QProcess::NotRunning;
                   },
                   kWaitMs) &&
               err->contains("listening to the live trace");
    }

    static QByteArray readFile(const QString &path)
    {
        QFile file(path);
        EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << path.toStdString();
        return file.readAll();
    }

    static QJsonObject logOf(const QByteArray &har)
    {
        return QJsonDocument::fromJson(har).object().value(u"log"_s).toObject();
    }

    /// The entry of the CLI's own health check.
    static QJsonObject healthEntry(const QByteArray &har)
    {
        for (const QJsonValue &value : logOf(har).value(u"entries"_s).toArray()) {
            const QJsonObject request = value.toObject().value(u"request"_s).toObject();
            if (request.value(u"method"_s).toString() == u"HEAD"_s &&
                request.value(u"url"_s).toString().contains(u"/api/health"_s))
                return value.toObject();
        }
        return {};
    }

    wps::test::EmulatorProcess m_emulator;
    QTemporaryDir m_dir;
};

} // namespace

TEST_F(TraceCliTest, RecordWritesAValidHarWithItsOwnCallAndTheServicesTrace)
{
    const QString path = m_dir.filePath(u"session.har"_s);
    QProcess recorder;
    start(recorder, {u"trace"_s, u"record"_s, u"--duration"_s, u"6"_s, u"--out"_s, path});
    QByteArray err;
    ASSERT_TRUE(listening(recorder, &err)) << err.toStdString();
    // A REST call by someone else: the service reports it on its live trace.
    EXPECT_EQ(run({u"send-to-all"_s, u"--json"_s, uR"({"b":1,"a":12345678901234567890})"_s}), 0);
    ASSERT_TRUE(recorder.waitForFinished(kWaitMs));
    err += recorder.readAllStandardError();
    EXPECT_EQ(recorder.exitCode(), 0) << err.toStdString();
    EXPECT_TRUE(err.contains("written to")) << err.toStdString();

    const QByteArray har = readFile(path);
    EXPECT_EQ(wps::test::validateHar(har).join(u'\n'), QString());
    const QJsonObject health = healthEntry(har);
    ASSERT_FALSE(health.isEmpty()) << har.toStdString();
    const QJsonObject response = health.value(u"response"_s).toObject();
    EXPECT_EQ(response.value(u"status"_s).toInt(), 200);
    EXPECT_FALSE(response.value(u"headers"_s).toArray().isEmpty()); // the real response headers
    // The service's record of the send is a log record: left out of the entries, and said so.
    EXPECT_TRUE(logOf(har).value(u"comment"_s).toString().contains(u"live-trace log records"_s))
        << logOf(har).value(u"comment"_s).toString().toStdString();
    EXPECT_FALSE(har.contains(m_emulator.connectionString().accessKey().toUtf8()));
}

TEST_F(TraceCliTest, RecordToJsonlStopsOnSigtermAndConvertsToAValidHar)
{
    const QString jsonl = m_dir.filePath(u"session.jsonl"_s);
    QProcess recorder;
    start(recorder, {u"trace"_s, u"record"_s, u"--out"_s, jsonl});
    QByteArray err;
    ASSERT_TRUE(listening(recorder, &err)) << err.toStdString();
    EXPECT_EQ(run({u"send-to-all"_s, u"--text"_s, u"hello"_s}), 0);
    recorder.terminate(); // SIGTERM: stop and write, as Ctrl+C does
    ASSERT_TRUE(recorder.waitForFinished(kWaitMs));
    err += recorder.readAllStandardError();
    EXPECT_EQ(recorder.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(recorder.exitCode(), 0) << err.toStdString();
    const QByteArray session = readFile(jsonl);
    EXPECT_TRUE(session.startsWith(R"({"format":"wps-trace","version":1})"))
        << session.left(200).toStdString();
    EXPECT_TRUE(session.contains("/api/health"));

    const QString har = m_dir.filePath(u"converted.har"_s);
    QByteArray convertErr;
    EXPECT_EQ(run({u"trace"_s, u"convert"_s, jsonl, u"--out"_s, har}, &convertErr), 0)
        << convertErr.toStdString();
    const QByteArray harBytes = readFile(har);
    EXPECT_EQ(wps::test::validateHar(harBytes).join(u'\n'), QString());
    EXPECT_EQ(healthEntry(harBytes).value(u"response"_s).toObject().value(u"status"_s).toInt(), 200);

    // And back: a HAR converts to a session the console imports.
    const QString back = m_dir.filePath(u"back.jsonl"_s);
    EXPECT_EQ(run({u"trace"_s, u"convert"_s, har, u"--out"_s, back}), 0);
    EXPECT_TRUE(readFile(back).contains("/api/health"));
}

TEST_F(TraceCliTest, UsageErrorsExitTwo)
{
    QByteArray err;
    EXPECT_EQ(run({u"trace"_s, u"record"_s}, &err), 2);
    EXPECT_TRUE(err.contains("--out")) << err.toStdString();
    EXPECT_EQ(run({u"trace"_s, u"record"_s, u"--out"_s, m_dir.filePath(u"x.txt"_s)}, &err), 2);
    EXPECT_TRUE(err.contains(".jsonl or .har")) << err.toStdString();
    EXPECT_EQ(
        run({u"trace"_s, u"record"_s, u"--duration"_s, u"-1"_s, u"--out"_s, m_dir.filePath(u"x.har"_s)}), 2);
    EXPECT_EQ(run({u"trace"_s, u"convert"_s, u"--out"_s, m_dir.filePath(u"x.har"_s)}), 2);
    EXPECT_EQ(run({u"trace"_s, u"nonsense"_s}), 2);
    EXPECT_EQ(run({u"trace"_s, u"convert"_s, m_dir.filePath(u"missing.jsonl"_s), u"--out"_s,
                   m_dir.filePath(u"x.har"_s)},
                  &err),
              3);
    EXPECT_TRUE(err.contains("missing.jsonl")) << err.toStdString();
}

TEST_F(TraceCliTest, UnreachableServiceExitsThreeAndTheFileSaysWhy)
{
    // A port nobody listens on: the health check is refused, and the file keeps that evidence.
    const QString connection =
        wps::ConnectionString(QUrl(u"http://127.0.0.1:1"_s), m_emulator.connectionString().accessKey())
            .toString();
    const QString path = m_dir.filePath(u"down.har"_s);
    QByteArray err;
    EXPECT_EQ(run({u"trace"_s, u"record"_s, u"--retries"_s, u"0"_s, u"--out"_s, path}, &err, connection), 3);
    EXPECT_TRUE(err.contains("not healthy")) << err.toStdString();
    const QByteArray har = readFile(path);
    EXPECT_EQ(wps::test::validateHar(har).join(u'\n'), QString());
    const QJsonObject response = healthEntry(har).value(u"response"_s).toObject();
    EXPECT_EQ(response.value(u"status"_s).toInt(), 0) << har.toStdString();
    EXPECT_FALSE(response.value(u"_error"_s).toString().isEmpty());
}

TEST_F(TraceCliTest, WrongKeyIsRefusedByTheLiveTraceAndExitsThree)
{
    const QString connection =
        wps::ConnectionString(m_emulator.endpoint(), u"wrong-key-value-123"_s).toString();
    QByteArray err;
    EXPECT_EQ(
        run({u"trace"_s, u"record"_s, u"--out"_s, m_dir.filePath(u"refused.jsonl"_s)}, &err, connection), 3);
    EXPECT_TRUE(err.contains("401")) << err.toStdString();
    EXPECT_FALSE(err.contains("wrong-key-value-123"));
}
