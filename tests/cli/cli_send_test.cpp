// The send commands in-process (wps::cli::Cli) against the real emulator: every payload source, their
// checks, and names the service would refuse stopped before any connection is made.
#include "inprocesscli.h"

#include <QTcpServer>
#include <QTemporaryDir>

using namespace Qt::Literals::StringLiterals;
using wps::test::CliResult;

namespace {

class CliSendTest : public wps::test::InProcessCliTest
{
};

TEST_F(CliSendTest, EveryPayloadSourceIsSent)
{
    const CliResult text = run({u"send-to-all"_s, u"--text"_s, u"hello"_s});
    EXPECT_EQ(text.exitCode, 0) << text.err.toStdString();
    EXPECT_EQ(text.out, "OK (HTTP 202)\n");

    const CliResult json =
        run({u"send-to-group"_s, u"--group"_s, u"g1"_s, u"--json"_s, uR"({"a":1})"_s, u"--json"_s});
    EXPECT_EQ(json.exitCode, 0) << json.err.toStdString();
    const QJsonObject result = QJsonDocument::fromJson(json.out).object();
    EXPECT_EQ(result.value(u"ok"_s), true);
    EXPECT_EQ(result.value(u"operation"_s), u"send-to-group"_s);
    EXPECT_EQ(result.value(u"status"_s).toInt(), 202);

    const CliResult piped = run({u"send-to-user"_s, u"--user"_s, u"u1"_s}, "from stdin");
    EXPECT_EQ(piped.exitCode, 0) << piped.err.toStdString();

    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QFile file(dir.filePath(u"bytes.bin"_s));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(QByteArray("\x00\x01\x02", 3));
    file.close();
    const CliResult binary =
        run({u"send-to-connection"_s, u"--connection"_s, u"nobody"_s, u"--binary-file"_s, file.fileName()});
    EXPECT_EQ(binary.exitCode, 0) << binary.err.toStdString(); // the service accepts it for any ID
    EXPECT_EQ(binary.out, "OK (HTTP 202)\n");
}

TEST_F(CliSendTest, PayloadChecksAreUsageErrors)
{
    const CliResult two = run({u"send-to-all"_s, u"--text"_s, u"x"_s, u"--json-body"_s, u"1"_s});
    EXPECT_EQ(two.exitCode, 2);
    EXPECT_TRUE(two.err.contains("give one payload")) << two.err.toStdString();

    const CliResult invalid = run({u"send-to-all"_s, u"--json"_s, u"{not json"_s});
    EXPECT_EQ(invalid.exitCode, 2);
    EXPECT_TRUE(invalid.err.contains("the JSON payload is not valid JSON")) << invalid.err.toStdString();

    const CliResult ttl = run({u"send-to-all"_s, u"--text"_s, u"x"_s, u"--ttl"_s, u"soon"_s});
    EXPECT_EQ(ttl.exitCode, 2);
    EXPECT_TRUE(ttl.err.contains("--ttl needs a number of seconds.")) << ttl.err.toStdString();

    const CliResult range = run({u"send-to-all"_s, u"--text"_s, u"x"_s, u"--ttl"_s, u"999"_s});
    EXPECT_EQ(range.exitCode, 2); // the service client's own check, still before sending

    const CliResult missing = run({u"send-to-group"_s, u"--text"_s, u"x"_s});
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_TRUE(missing.err.contains("--group is required for send-to-group.")) << missing.err.toStdString();

    const CliResult big = run({u"send-to-all"_s}, QByteArray(1024 * 1024 + 1, 'x'));
    EXPECT_EQ(big.exitCode, 2);
    EXPECT_TRUE(big.err.contains("larger than 1 MiB")) << big.err.toStdString();
}

TEST_F(CliSendTest, NamesTheServiceWouldRefuseAreStoppedBeforeAnyConnection)
{
    // A listener that counts connections: a refused name never reaches it, a valid call does.
    QTcpServer server;
    ASSERT_TRUE(server.listen(QHostAddress::LocalHost, 0));
    const QString connection =
        u"Endpoint=http://127.0.0.1:%1;AccessKey=%2;Version=1.0;"_s.arg(server.serverPort())
            .arg(QString::fromUtf8(key()));

    const QList<QStringList> refused{
        {u"send-to-group"_s, u"--group"_s, u"   "_s, u"--text"_s, u"x"_s},
        {u"send-to-group"_s, u"--group"_s, QString(1025, u'g'), u"--text"_s, u"x"_s},
        {u"add-to-groups"_s, u"--group"_s, u"ok"_s, u"--group"_s, u" "_s},
        {u"send-to-all"_s, u"--text"_s, u"x"_s, u"--excluded"_s, QString()},
        {u"grant"_s, u"--permission"_s, u"sendToGroup"_s, u"--connection"_s, u"c"_s, u"--target"_s, u" "_s},
        {u"grant"_s, u"--permission"_s, u"everything"_s, u"--connection"_s, u"c"_s, u"--target"_s, u"g"_s},
        {u"token"_s, u"--group"_s, u" "_s},
        {u"listen"_s, u"--send-group"_s, u" "_s},
    };
    for (const QStringList &args : refused) {
        const CliResult result =
            run(args + QStringList{u"--timeout"_s, u"1"_s, u"--retries"_s, u"0"_s}, {}, connection);
        EXPECT_EQ(result.exitCode, 2) << args.join(u' ').toStdString();
        EXPECT_TRUE(result.err.contains("Invalid group name") ||
                    result.err.contains("connection ID is empty") ||
                    result.err.contains("Unknown permission"))
            << result.err.toStdString();
    }
    EXPECT_FALSE(server.hasPendingConnections());

    const CliResult sent = run({u"send-to-group"_s, u"--group"_s, u"fine"_s, u"--text"_s, u"x"_s,
                                u"--timeout"_s, u"0.5"_s, u"--retries"_s, u"0"_s},
                               {}, connection);
    EXPECT_EQ(sent.exitCode, 3); // the listener never answers
    EXPECT_TRUE(server.hasPendingConnections());
}

} // namespace
