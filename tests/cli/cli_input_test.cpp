// Issue 15 (hardening), the CLI's input: a stray argument holding a key is never echoed (stderr or --json),
// payloads from files and stdin stop at 1 MiB, a FIFO nobody writes to times out with the CLI's own message,
// and nothing but the CLI's own messages is printed. The real `webpubsub` binary against the real emulator.
#include "support/emulatorprocess.h"
#include "support/printers.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;

namespace {

struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

class CliInputTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(m_emulator.start()) << m_emulator.errorText().toStdString(); }

    static QString binary()
    {
        const QString fromEnv = qEnvironmentVariable("WPS_CLI_BIN");
        return fromEnv.isEmpty() ? QCoreApplication::applicationDirPath() + u"/../app/webpubsub"_s : fromEnv;
    }

    CliResult run(const QStringList &args, const QByteArray &stdinData = {}, bool closeStdin = true)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"WEBPUBSUB_CONNECTION_STRING"_s, m_emulator.connectionString().toString());
        env.insert(u"AZURE_WEBPUBSUB_HUB"_s, u"hub1"_s);
        env.remove(u"QT_LOGGING_RULES"_s);
        process.setProcessEnvironment(env);
        process.start(binary(), args);
        EXPECT_TRUE(process.waitForStarted(10000)) << process.errorString().toStdString();
        if (!stdinData.isEmpty())
            process.write(stdinData);
        if (closeStdin)
            process.closeWriteChannel();
        EXPECT_TRUE(process.waitForFinished(60000));
        CliResult result;
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = process.readAllStandardOutput();
        result.err = process.readAllStandardError();
        return result;
    }

    QByteArray key() const { return m_emulator.connectionString().accessKey().toUtf8(); }

    wps::test::EmulatorProcess m_emulator;
};

/// Every stderr line is one of the CLI's own ("webpubsub: ..." or its usage hint); the first other line.
testing::AssertionResult onlyOwnMessages(const QByteArray &err)
{
    for (const QByteArray &line : err.split('\n'))
        if (!line.isEmpty() && !line.startsWith("webpubsub: ") && !line.startsWith("Run 'webpubsub help'") &&
            !line.startsWith("  "))
            return testing::AssertionFailure() << "foreign line: [" << line.toHex().toStdString() << "]";
    return testing::AssertionSuccess();
}

} // namespace

TEST_F(CliInputTest, StrayArgumentWithAKeyIsNeverEchoed)
{
    const QString connectionString = m_emulator.connectionString().toString();
    ASSERT_FALSE(key().isEmpty());
    ASSERT_TRUE(connectionString.toUtf8().contains(key()));

    const CliResult plain = run({u"send-to-all"_s, u"--text"_s, u"x"_s, connectionString});
    EXPECT_EQ(plain.exitCode, 2);
    EXPECT_FALSE(plain.err.contains(key())) << plain.err.toStdString();
    EXPECT_FALSE(plain.out.contains(key()));
    EXPECT_TRUE(plain.err.contains("unexpected argument")) << plain.err.toStdString();
    EXPECT_TRUE(plain.err.contains("access key or token")) << plain.err.toStdString();

    const CliResult json = run({u"send-to-all"_s, u"--json"_s, u"--text"_s, u"x"_s, connectionString});
    EXPECT_EQ(json.exitCode, 2);
    EXPECT_FALSE(json.out.contains(key())) << json.out.toStdString();
    EXPECT_FALSE(json.err.contains(key()));
    const QJsonObject error = QJsonDocument::fromJson(json.out.trimmed()).object();
    EXPECT_FALSE(error.value(u"ok"_s).toBool());
    EXPECT_EQ(error.value(u"error"_s).toObject().value(u"kind"_s).toString(), u"Usage"_s);

    // A bare key, a JWT, and a key given where a command or an option is expected.
    const QByteArray jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl";
    for (const QStringList &args :
         {QStringList{u"health"_s, QString::fromUtf8(key())},
          QStringList{u"health"_s, QString::fromLatin1(jwt)}, QStringList{connectionString},
          QStringList{u"health"_s, u"--"_s + connectionString}}) {
        const CliResult r = run(args);
        EXPECT_EQ(r.exitCode, 2) << args.join(u' ').toStdString();
        EXPECT_FALSE(r.err.contains(key())) << r.err.toStdString();
        EXPECT_FALSE(r.err.contains(jwt)) << r.err.toStdString();
        EXPECT_FALSE(r.out.contains(key()));
    }

    // An ordinary stray argument is still named.
    const CliResult ordinary = run({u"health"_s, u"extra"_s});
    EXPECT_EQ(ordinary.exitCode, 2);
    EXPECT_TRUE(ordinary.err.contains("unexpected argument 'extra'")) << ordinary.err.toStdString();
}

TEST_F(CliInputTest, PayloadReadingStopsAtOneMebibyte)
{
    const CliResult zero = run({u"send-to-all"_s, u"--binary-file"_s, u"/dev/zero"_s});
    EXPECT_EQ(zero.exitCode, 2) << zero.err.toStdString();
    EXPECT_TRUE(zero.err.contains("larger than 1 MiB")) << zero.err.toStdString();
    EXPECT_TRUE(onlyOwnMessages(zero.err)) << zero.err.toStdString();

    const CliResult big = run({u"send-to-all"_s}, QByteArray(1024 * 1024 + 10, 'x'));
    EXPECT_EQ(big.exitCode, 2) << big.err.toStdString();
    EXPECT_TRUE(big.err.contains("larger than 1 MiB")) << big.err.toStdString();

    // Exactly 1 MiB is the service's limit and is sent.
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QFile file(dir.filePath(u"limit.bin"_s));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(1024 * 1024, 'y'));
    file.close();
    const CliResult limit = run({u"send-to-all"_s, u"--binary-file"_s, file.fileName()});
    EXPECT_EQ(limit.exitCode, 0) << limit.err.toStdString();
}

TEST_F(CliInputTest, FifoWithoutWriterTimesOutWithItsOwnMessage)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QByteArray fifo = QFile::encodeName(dir.filePath(u"payload.fifo"_s));
    ASSERT_EQ(::mkfifo(fifo.constData(), 0600), 0);
    const CliResult r =
        run({u"send-to-all"_s, u"--binary-file"_s, QFile::decodeName(fifo), u"--timeout"_s, u"1"_s});
    EXPECT_EQ(r.exitCode, 2) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("timed out")) << r.err.toStdString();
    EXPECT_TRUE(onlyOwnMessages(r.err)) << r.err.toStdString();

    // stdin left open by the caller and never written: the same.
    const CliResult open = run({u"send-to-all"_s, u"--timeout"_s, u"1"_s}, {}, false);
    EXPECT_EQ(open.exitCode, 2) << open.err.toStdString();
    EXPECT_TRUE(open.err.contains("timed out")) << open.err.toStdString();
    EXPECT_TRUE(onlyOwnMessages(open.err)) << open.err.toStdString();
}

TEST_F(CliInputTest, ServiceTimeoutPrintsOnlyTheCliMessage)
{
    // A listener that accepts and never answers: the call times out.
    QTcpServer silent;
    ASSERT_TRUE(silent.listen(QHostAddress::LocalHost, 0));
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"WEBPUBSUB_CONNECTION_STRING"_s,
               u"Endpoint=http://127.0.0.1:%1;AccessKey=%2;Version=1.0;"_s.arg(silent.serverPort())
                   .arg(QString::fromUtf8(key())));
    env.remove(u"QT_LOGGING_RULES"_s);
    process.setProcessEnvironment(env);
    process.start(binary(), {u"health"_s, u"--timeout"_s, u"0.5"_s, u"--retries"_s, u"0"_s});
    ASSERT_TRUE(process.waitForStarted(10000));
    process.closeWriteChannel();
    EXPECT_TRUE(QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 30000));
    const QByteArray err = process.readAllStandardError();
    EXPECT_EQ(process.exitCode(), 3) << err.toStdString();
    EXPECT_TRUE(onlyOwnMessages(err)) << err.toStdString();
    EXPECT_FALSE(err.contains(key()));
}
