// `token` in-process (wps::cli::Cli) against the real emulator: from `:generateToken` and signed locally.
#include "inprocesscli.h"

using namespace Qt::Literals::StringLiterals;
using wps::test::CliResult;

namespace {

class CliTokenTest : public wps::test::InProcessCliTest
{
};

TEST_F(CliTokenTest, ServiceAndLocalTokensCarryTheUserAndTheClientUrl)
{
    for (const bool local : {false, true}) {
        QStringList args{u"token"_s, u"--user"_s, u"alice"_s, u"--role"_s, u"webpubsub.sendToGroup"_s,
                         u"--json"_s};
        if (local)
            args << u"--local"_s;
        const CliResult result = run(args);
        ASSERT_EQ(result.exitCode, 0) << result.err.toStdString();
        const QJsonObject object = QJsonDocument::fromJson(result.out).object();
        EXPECT_EQ(object.value(u"operation"_s), u"token"_s);
        const QString token = object.value(u"token"_s).toString();
        EXPECT_TRUE(token.startsWith(u"ey"_s)) << local;
        EXPECT_TRUE(object.value(u"url"_s).toString().contains(u"/client/hubs/hub1?access_token="_s));
        EXPECT_FALSE(result.out.contains(key()));
    }
    const CliResult text =
        run({u"token"_s, u"--local"_s, u"--client-type"_s, u"mqtt"_s, u"--minutes"_s, u"5"_s});
    ASSERT_EQ(text.exitCode, 0) << text.err.toStdString();
    const QList<QByteArray> lines = text.out.trimmed().split('\n');
    ASSERT_EQ(lines.size(), 2); // the token, then the client URL
    EXPECT_TRUE(lines.at(1).contains("/clients/mqtt/hubs/hub1?access_token=")) << lines.at(1).toStdString();
}

TEST_F(CliTokenTest, BadOptionsAreUsageErrors)
{
    const CliResult type = run({u"token"_s, u"--client-type"_s, u"carrier-pigeon"_s});
    EXPECT_EQ(type.exitCode, 2);
    EXPECT_TRUE(type.err.contains("--client-type must be default, mqtt or socketio."))
        << type.err.toStdString();
    const CliResult minutes = run({u"token"_s, u"--minutes"_s, u"an hour"_s});
    EXPECT_EQ(minutes.exitCode, 2);
    EXPECT_TRUE(minutes.err.contains("--minutes needs a number.")) << minutes.err.toStdString();
    const CliResult zero = run({u"token"_s, u"--minutes"_s, u"0"_s});
    EXPECT_EQ(zero.exitCode, 2); // the service client refuses it before sending
    EXPECT_TRUE(zero.err.contains("kind: InvalidInput")) << zero.err.toStdString();
}

} // namespace
