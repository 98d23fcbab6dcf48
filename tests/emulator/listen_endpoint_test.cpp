// Issue 6 leftover: `webpubsub listen --endpoint URL` gets its client URL through `:generateToken` with the
// Entra ID credential chain (no key), against the real emulator trusting the loopback token endpoint.
#include "service/serviceclient.h"
#include "support/emulatorprocess.h"
#include "support/printers.h"
#include "support/tokenendpoint.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;

namespace {

/// Reads JSON lines of \a process until one satisfies \a predicate.
bool waitForLine(QProcess &process, const std::function<bool(const QJsonObject &)> &predicate)
{
    return QTest::qWaitFor(
        [&] {
            while (process.canReadLine()) {
                const QJsonObject line = QJsonDocument::fromJson(process.readLine().trimmed()).object();
                if (predicate(line))
                    return true;
            }
            return false;
        },
        30000);
}

} // namespace

TEST(ListenEndpoint, UsesGenerateTokenWithTheEntraChain)
{
    wps::test::TokenEndpoint tokens;
    ASSERT_NE(tokens.listen(), 0);
    wps::test::AuthEnvironmentGuard guard;
    guard.set("AZURE_AUTHORITY_HOST", tokens.authorityHost());
    tokens.addClientSecret(u"app-1"_s, u"app-secret-1"_s);
    guard.set("AZURE_TENANT_ID", tokens.tenant());
    guard.set("AZURE_CLIENT_ID", u"app-1"_s);
    guard.set("AZURE_CLIENT_SECRET", u"app-secret-1"_s);
    guard.set("AZURE_TOKEN_CREDENTIALS", u"EnvironmentCredential"_s); // nothing else is tried

    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString config = dir.filePath(u"config.json"_s);
    {
        QFile file(config);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(tokens.entraConfig());
    }
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start({u"--config"_s, config})) << emulator.errorText().toStdString();

    const QString cli = [] {
        const QString fromEnv = qEnvironmentVariable("WPS_CLI_BIN");
        return fromEnv.isEmpty() ? QCoreApplication::applicationDirPath() + u"/../app/webpubsub"_s : fromEnv;
    }();
    QProcess listen;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"WEBPUBSUB_CONNECTION_STRING"_s);
    listen.setProcessEnvironment(env);
    listen.start(cli, {u"--endpoint"_s, emulator.endpoint().toString(), u"--hub"_s, u"chat"_s, u"listen"_s,
                       u"--user"_s, u"alice"_s, u"--group"_s, u"room"_s, u"--protocol"_s, u"json"_s});
    ASSERT_TRUE(listen.waitForStarted(10000));
    // Not waitForFinished/waitForReadyRead: the token endpoint in this process must keep answering.
    ASSERT_TRUE(waitForLine(listen, [](const QJsonObject &line) {
        return line.value(u"type"_s) == u"system"_s && line.value(u"event"_s) == u"connected"_s;
    })) << listen.readAllStandardError().toStdString();

    // The token came from the service: its group claim put the client into "room".
    wps::service::ServiceClient rest(emulator.connectionString(), u"chat"_s);
    auto *send = rest.sendToGroup(u"room"_s, wps::service::Message::text(u"via-generate-token"_s));
    ASSERT_TRUE(QTest::qWaitFor([send] { return send->isFinished(); }, 15000));
    ASSERT_FALSE(send->hasError());
    EXPECT_TRUE(waitForLine(listen, [](const QJsonObject &line) {
        return line.value(u"data"_s).toString() == u"via-generate-token"_s;
    }));

    listen.closeWriteChannel();
    EXPECT_TRUE(QTest::qWaitFor([&listen] { return listen.state() == QProcess::NotRunning; }, 15000));
    EXPECT_EQ(listen.exitCode(), 0);
    const QByteArray err = listen.readAllStandardError();
    EXPECT_FALSE(err.contains("app-secret-1"));
}
