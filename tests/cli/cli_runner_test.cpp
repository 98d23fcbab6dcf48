// wps::cli::Cli in-process: the command table, help, version, unknown commands and stray arguments, and the
// runner's contract (finished() once, from the event loop; a second run on the same object).
#include "cli/command.h"
#include "inprocesscli.h"

#include <QSet>

using namespace Qt::Literals::StringLiterals;
using wps::test::CliResult;
using wps::test::CliSession;

namespace {

class CliRunnerTest : public wps::test::InProcessCliTest
{
};

TEST(CliCommandTable, EveryCommandHasANameASynopsisAndSomethingToRun)
{
    const QList<wps::cli::Command> &table = wps::cli::commandTable();
    ASSERT_FALSE(table.isEmpty());
    QSet<QString> names;
    for (const wps::cli::Command &command : table) {
        EXPECT_FALSE(command.name.isEmpty());
        EXPECT_FALSE(names.contains(command.name)) << command.name.toStdString() << " is listed twice";
        names.insert(command.name);
        EXPECT_TRUE(command.run || command.job) << command.name.toStdString() << " runs nothing";
        EXPECT_TRUE(command.name == u"health"_s || !command.synopsis.isEmpty()) << command.name.toStdString();
        EXPECT_EQ(wps::cli::findCommand(command.name), &command);
    }
    EXPECT_EQ(wps::cli::findCommand(u"no-such-command"_s), nullptr);
    // The usage order starts with the sends and ends with trace, as docs/cli.md lists them.
    EXPECT_EQ(table.constFirst().name, u"send-to-all"_s);
    EXPECT_EQ(table.constLast().name, u"trace"_s);
}

TEST_F(CliRunnerTest, HelpListsEveryCommandOfTheTable)
{
    const CliResult help = run({u"help"_s});
    EXPECT_EQ(help.exitCode, 0);
    for (const wps::cli::Command &command : wps::cli::commandTable())
        EXPECT_TRUE(help.out.contains(command.name.toUtf8())) << command.name.toStdString();
    EXPECT_TRUE(help.out.contains("--connection-string"));
    EXPECT_TRUE(help.err.isEmpty());

    EXPECT_EQ(run({u"--help"_s}).exitCode, 0);
    const CliResult nothing = run({});
    EXPECT_EQ(nothing.exitCode, 2); // no command: the usage, as a usage error
    EXPECT_TRUE(nothing.out.contains("Usage: webpubsub"));
}

TEST_F(CliRunnerTest, UnknownCommandsAndOptionsAreUsageErrors)
{
    const CliResult unknown = run({u"no-such-command"_s});
    EXPECT_EQ(unknown.exitCode, 2);
    EXPECT_TRUE(unknown.err.contains("unknown command 'no-such-command'.")) << unknown.err.toStdString();

    const CliResult option = run({u"health"_s, u"--no-such-option"_s, u"--json"_s});
    EXPECT_EQ(option.exitCode, 2);
    const QJsonObject error = QJsonDocument::fromJson(option.out.trimmed()).object();
    EXPECT_EQ(error.value(u"error"_s).toObject().value(u"kind"_s), u"Usage"_s);

    // A key where the command is expected is not echoed.
    const CliResult secret = run({m_emulator.connectionString().toString()});
    EXPECT_EQ(secret.exitCode, 2);
    EXPECT_TRUE(secret.err.contains("not shown")) << secret.err.toStdString();
    EXPECT_FALSE(secret.err.contains(key()));

    const CliResult stray = run({u"health"_s, u"extra"_s});
    EXPECT_EQ(stray.exitCode, 2);
    EXPECT_TRUE(stray.err.contains("unexpected argument 'extra'.")) << stray.err.toStdString();
}

TEST_F(CliRunnerTest, MissingConnectionAndHubAreUsageErrors)
{
    QBuffer in;
    CliSession noConnection(&in, QProcessEnvironment());
    noConnection.start({u"health"_s});
    EXPECT_EQ(noConnection.waitForExit(), 2);
    EXPECT_TRUE(noConnection.err().contains("no connection string")) << noConnection.err().toStdString();

    QProcessEnvironment withoutHub = environment();
    withoutHub.remove(u"AZURE_WEBPUBSUB_HUB"_s);
    CliSession noHub(&in, withoutHub);
    noHub.start({u"send-to-all"_s, u"--text"_s, u"x"_s});
    EXPECT_EQ(noHub.waitForExit(), 2);
    EXPECT_TRUE(noHub.err().contains("no hub")) << noHub.err().toStdString();

    const CliResult badHub = run({u"send-to-all"_s, u"--text"_s, u"x"_s, u"--hub"_s, u"1hub"_s});
    EXPECT_EQ(badHub.exitCode, 2);
    EXPECT_TRUE(badHub.err.contains("Invalid hub name")) << badHub.err.toStdString();

    const CliResult bad = run({u"health"_s, u"--endpoint"_s, u"ftp://x"_s});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_TRUE(bad.err.contains("--endpoint needs an http(s) URL")) << bad.err.toStdString();
}

TEST_F(CliRunnerTest, OneCliRunsOneCommandAfterAnother)
{
    QBuffer in;
    CliSession session(&in, environment());
    session.start({u"health"_s});
    EXPECT_TRUE(session.cli().isRunning());
    EXPECT_EQ(session.waitForExit(), 0) << session.err().toStdString();
    EXPECT_FALSE(session.cli().isRunning());
    EXPECT_EQ(session.out(), "healthy\n");

    QSignalSpy second(&session.cli(), &wps::cli::Cli::finished);
    session.start({u"user-exists"_s, u"--user"_s, u"nobody"_s});
    ASSERT_TRUE(second.wait(wps::test::kWaitMs));
    EXPECT_EQ(second.constFirst().constFirst().toInt(), 1);
    EXPECT_EQ(session.out(), "healthy\nfalse\n");
}

TEST_F(CliRunnerTest, ServiceErrorsExitThreeWithTheStatusAndNeverTheKey)
{
    const QString wrongKey = u"wrong-key-value-123"_s;
    const QString connection = wps::ConnectionString(m_emulator.endpoint(), wrongKey).toString();
    const CliResult refused = run({u"send-to-all"_s, u"--text"_s, u"x"_s, u"--json"_s}, {}, connection);
    EXPECT_EQ(refused.exitCode, 3);
    const QJsonObject object = QJsonDocument::fromJson(refused.out).object();
    EXPECT_EQ(object.value(u"operation"_s), u"send-to-all"_s);
    EXPECT_EQ(object.value(u"error"_s).toObject().value(u"status"_s).toInt(), 401);
    EXPECT_TRUE(refused.err.contains("webpubsub: send-to-all failed: ")) << refused.err.toStdString();
    EXPECT_TRUE(refused.err.contains("\n  status: 401")) << refused.err.toStdString();
    EXPECT_FALSE(refused.err.contains(wrongKey.toUtf8()));
    EXPECT_FALSE(refused.out.contains(wrongKey.toUtf8()));
}

} // namespace
