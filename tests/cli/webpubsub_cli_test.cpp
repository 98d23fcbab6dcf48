// The `webpubsub` binary (WPS_CLI_BIN) run through QProcess against the real emulator.
#include "support/emulatorprocess.h"
#include "support/printers.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;

namespace {

struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

class CliTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(m_emulator.start()) << m_emulator.errorText().toStdString(); }

    static QString binary()
    {
        const QString fromEnv = qEnvironmentVariable("WPS_CLI_BIN");
        return fromEnv.isEmpty() ? QCoreApplication::applicationDirPath() + u"/../app/webpubsub"_s : fromEnv;
    }

    /// Runs the CLI with the emulator's connection string in the environment (the key never on the command
    /// line).
    CliRun run(const QStringList &args, const QString &connectionString = {},
               const QByteArray &stdinData = {})
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"WEBPUBSUB_CONNECTION_STRING"_s,
                   connectionString.isEmpty() ? m_emulator.connectionString().toString() : connectionString);
        env.insert(u"AZURE_WEBPUBSUB_HUB"_s, u"hub1"_s);
        process.setProcessEnvironment(env);
        process.start(binary(), args);
        EXPECT_TRUE(process.waitForStarted(10000)) << process.errorString().toStdString();
        if (!stdinData.isEmpty())
            process.write(stdinData);
        process.closeWriteChannel();
        EXPECT_TRUE(process.waitForFinished(30000));
        CliRun result;
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = process.readAllStandardOutput();
        result.err = process.readAllStandardError();
        return result;
    }

    wps::test::EmulatorProcess m_emulator;
};

TEST_F(CliTest, TextJsonAndPipedSendsExitZero)
{
    const CliRun text = run({u"send-to-all"_s, u"--text"_s, u"hello"_s});
    EXPECT_EQ(text.exitCode, 0) << text.err.toStdString();
    EXPECT_TRUE(text.out.contains("202"));
    const CliRun json =
        run({u"send-to-group"_s, u"--group"_s, u"g1"_s, u"--json"_s, uR"({"a":1})"_s, u"--ttl"_s, u"30"_s});
    EXPECT_EQ(json.exitCode, 0) << json.err.toStdString();
    const CliRun piped = run({u"send-to-user"_s, u"--user"_s, u"u1"_s}, {}, "from stdin");
    EXPECT_EQ(piped.exitCode, 0) << piped.err.toStdString();
}

TEST_F(CliTest, ExistsFalseExitsOne)
{
    const CliRun result = run({u"user-exists"_s, u"--user"_s, u"nobody"_s});
    EXPECT_EQ(result.exitCode, 1) << result.err.toStdString();
    EXPECT_EQ(result.out.trimmed(), "false");
}

TEST_F(CliTest, UsageErrorsExitTwo)
{
    EXPECT_EQ(run({u"send-to-group"_s, u"--text"_s, u"x"_s}).exitCode, 2); // no --group
    EXPECT_EQ(run({u"no-such-command"_s}).exitCode, 2);
    EXPECT_EQ(run({u"send-to-all"_s, u"--text"_s, u"x"_s, u"--ttl"_s, u"999"_s}).exitCode, 2); // out of range
    EXPECT_EQ(run({u"send-to-all"_s, u"--json"_s, u"{not json"_s}).exitCode, 2);
    const CliRun help = run({u"help"_s});
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_TRUE(help.out.contains("list-group-connections"));
    EXPECT_TRUE(help.out.contains("remove-user-from-all-groups"));
}

TEST_F(CliTest, WrongKeyExitsThreeWithoutPrintingTheKey)
{
    const QString wrongKey = u"wrong-key-value-123"_s;
    const QString connection = wps::ConnectionString(m_emulator.endpoint(), wrongKey).toString();
    const CliRun result = run({u"send-to-all"_s, u"--text"_s, u"x"_s}, connection);
    EXPECT_EQ(result.exitCode, 3);
    EXPECT_TRUE(result.err.contains("401")) << result.err.toStdString();
    EXPECT_FALSE(result.err.contains(wrongKey.toUtf8()));
    EXPECT_FALSE(result.out.contains(wrongKey.toUtf8()));

    const CliRun json = run({u"send-to-all"_s, u"--text"_s, u"x"_s, u"--json"_s}, connection);
    EXPECT_EQ(json.exitCode, 3);
    const QJsonObject object = QJsonDocument::fromJson(json.out).object();
    EXPECT_FALSE(object.value(u"ok"_s).toBool(true));
    EXPECT_EQ(object.value(u"error"_s).toObject().value(u"status"_s).toInt(), 401);
    EXPECT_EQ(object.value(u"error"_s).toObject().value(u"kind"_s).toString(), u"Http"_s);
}

TEST_F(CliTest, ExistsAndTokenPrintParsableJsonWithTheAnswer)
{
    const CliRun exists = run({u"group-exists"_s, u"--group"_s, u"g1"_s, u"--json"_s});
    EXPECT_EQ(exists.exitCode, 1);
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(exists.out, &error).object();
    ASSERT_EQ(error.error, QJsonParseError::NoError) << exists.out.toStdString();
    EXPECT_TRUE(object.value(u"ok"_s).toBool());
    EXPECT_FALSE(object.value(u"exists"_s).toBool(true));

    const CliRun token =
        run({u"token"_s, u"--user"_s, u"alice"_s, u"--role"_s, u"webpubsub.sendToGroup"_s, u"--json"_s});
    EXPECT_EQ(token.exitCode, 0) << token.err.toStdString();
    const QJsonObject tokenObject = QJsonDocument::fromJson(token.out).object();
    EXPECT_TRUE(tokenObject.value(u"token"_s).toString().startsWith(u"ey"_s));
    EXPECT_TRUE(tokenObject.value(u"url"_s).toString().contains(u"/client/hubs/hub1?access_token="_s));

    const CliRun local = run({u"token"_s, u"--local"_s, u"--user"_s, u"alice"_s, u"--json"_s});
    EXPECT_EQ(local.exitCode, 0);
    EXPECT_TRUE(QJsonDocument::fromJson(local.out).object().value(u"token"_s).toString().startsWith(u"ey"_s));

    const CliRun list = run({u"list-group-connections"_s, u"--group"_s, u"g1"_s, u"--json"_s});
    EXPECT_EQ(list.exitCode, 0);
    EXPECT_TRUE(QJsonDocument::fromJson(list.out).object().value(u"connections"_s).isArray());
    // The access key never appears in any output.
    const QByteArray key = m_emulator.connectionString().accessKey().toUtf8();
    for (const CliRun &r : {exists, token, local, list}) {
        EXPECT_FALSE(r.out.contains(key));
        EXPECT_FALSE(r.err.contains(key));
    }
}

} // namespace
