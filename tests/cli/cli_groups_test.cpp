// Groups, users, connections and permissions in-process (wps::cli::Cli) against the real emulator, on a
// connection made by an in-process `listen` (stdin a real pipe, as the binary's).
#include "inprocesscli.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;
using wps::test::CliResult;
using wps::test::CliSession;
using wps::test::isSystemEvent;
using wps::test::StdinPipe;

namespace {

class CliGroupsTest : public wps::test::InProcessCliTest
{
protected:
    /// Starts `listen --user alice --protocol json`; the connection ID once connected.
    QString connect(CliSession &listen)
    {
        listen.start({u"listen"_s, u"--user"_s, u"alice"_s, u"--protocol"_s, u"json"_s});
        const auto connected =
            listen.waitForLine([](const QJsonObject &line) { return isSystemEvent(line, u"connected"_s); });
        EXPECT_TRUE(connected) << listen.err().toStdString();
        return connected ? connected->value(u"connectionId"_s).toString() : QString();
    }

    /// Runs \a args and expects \a exitCode and \a out.
    void expect(const QStringList &args, int exitCode, const QByteArray &out)
    {
        const CliResult result = run(args);
        EXPECT_EQ(result.exitCode, exitCode) << args.join(u' ').toStdString() << "\n"
                                             << result.err.toStdString();
        EXPECT_EQ(result.out, out) << args.join(u' ').toStdString();
    }
};

TEST_F(CliGroupsTest, AConnectionJoinsIsListedAndLeaves)
{
    StdinPipe stdinPipe;
    CliSession listen(stdinPipe.device(), environment());
    const QString id = connect(listen);
    ASSERT_FALSE(id.isEmpty());

    expect({u"connection-exists"_s, u"--connection"_s, id}, 0, "true\n");
    expect({u"user-exists"_s, u"--user"_s, u"alice"_s}, 0, "true\n");
    expect({u"group-exists"_s, u"--group"_s, u"room"_s}, 1, "false\n");
    expect({u"add-connection-to-group"_s, u"--group"_s, u"room"_s, u"--connection"_s, id}, 0,
           "OK (HTTP 200)\n");
    expect({u"group-exists"_s, u"--group"_s, u"room"_s}, 0, "true\n");
    expect({u"list-group-connections"_s, u"--group"_s, u"room"_s}, 0, (id + u"\talice\n"_s).toUtf8());

    const CliResult listed = run({u"list-group-connections"_s, u"--group"_s, u"room"_s, u"--json"_s});
    const QJsonObject json = QJsonDocument::fromJson(listed.out).object();
    EXPECT_EQ(json.value(u"connections"_s).toArray().size(), 1);
    EXPECT_EQ(json.value(u"pages"_s).toInt(), 1);

    // A group message reaches the listener.
    expect({u"send-to-group"_s, u"--group"_s, u"room"_s, u"--text"_s, u"to the room"_s}, 0,
           "OK (HTTP 202)\n");
    const auto message =
        listen.waitForLine([](const QJsonObject &line) { return line.value(u"from"_s) == u"group"_s; });
    ASSERT_TRUE(message);
    EXPECT_EQ(message->value(u"data"_s), u"to the room"_s);

    expect({u"remove-connection-from-group"_s, u"--group"_s, u"room"_s, u"--connection"_s, id}, 0,
           "OK (HTTP 204)\n");
    expect({u"group-exists"_s, u"--group"_s, u"room"_s}, 1, "false\n");
    expect({u"add-user-to-group"_s, u"--group"_s, u"team"_s, u"--user"_s, u"alice"_s}, 0, "OK (HTTP 200)\n");
    expect({u"group-exists"_s, u"--group"_s, u"team"_s}, 0, "true\n");
    expect({u"remove-user-from-all-groups"_s, u"--user"_s, u"alice"_s}, 0, "OK (HTTP 204)\n");
    expect({u"group-exists"_s, u"--group"_s, u"team"_s}, 1, "false\n");

    // Closing the connection ends nothing on the CLI's side but the connection; stdin EOF ends listen.
    expect({u"close-connection"_s, u"--connection"_s, id, u"--reason"_s, u"done"_s}, 0, "OK (HTTP 204)\n");
    stdinPipe.close();
    EXPECT_EQ(listen.waitForExit(), 0) << listen.err().toStdString();
}

TEST_F(CliGroupsTest, PermissionsAreGrantedCheckedAndRevoked)
{
    StdinPipe stdinPipe;
    CliSession listen(stdinPipe.device(), environment());
    const QString id = connect(listen);
    ASSERT_FALSE(id.isEmpty());

    const QStringList permission{u"--permission"_s, u"sendToGroup"_s, u"--connection"_s, id,
                                 u"--target"_s,     u"room"_s};
    expect(QStringList{u"check"_s} + permission, 1, "false\n");
    expect(QStringList{u"grant"_s} + permission, 0, "OK (HTTP 200)\n");
    expect(QStringList{u"check"_s} + permission, 0, "true\n");
    expect(QStringList{u"revoke"_s} + permission, 0, "OK (HTTP 204)\n");
    expect(QStringList{u"check"_s} + permission, 1, "false\n");

    const CliResult missing =
        run({u"grant"_s, u"--permission"_s, u"sendToGroup"_s, u"--target"_s, u"room"_s});
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_TRUE(missing.err.contains("--connection is required for grant.")) << missing.err.toStdString();

    // SIGINT's path: interrupt() closes the client at once, exit 0.
    listen.cli().interrupt();
    EXPECT_EQ(listen.waitForExit(), 0) << listen.err().toStdString();
    EXPECT_TRUE(isSystemEvent(listen.lines().constLast(), u"disconnected"_s));
}

TEST_F(CliGroupsTest, CloseCommandsAnswerAndNeedTheirTarget)
{
    expect({u"close-all"_s, u"--reason"_s, u"maintenance"_s}, 0, "OK (HTTP 204)\n");
    expect({u"close-group"_s, u"--group"_s, u"room"_s}, 0, "OK (HTTP 204)\n");
    expect({u"close-user"_s, u"--user"_s, u"nobody"_s, u"--excluded"_s, u"c1"_s}, 0, "OK (HTTP 204)\n");
    const CliResult missing = run({u"close-user"_s});
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_TRUE(missing.err.contains("--user is required for close-user.")) << missing.err.toStdString();
    const CliResult numbers = run({u"list-group-connections"_s, u"--group"_s, u"g"_s, u"--top"_s, u"many"_s});
    EXPECT_EQ(numbers.exitCode, 2);
    EXPECT_TRUE(numbers.err.contains("--maxpagesize and --top need numbers.")) << numbers.err.toStdString();
}

} // namespace
