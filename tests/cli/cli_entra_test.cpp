// `--endpoint` (Entra ID, no key) in-process (wps::cli::Cli): the credential chain's first token is awaited
// without blocking, and a name the service would refuse stops the run before even the token is asked for.
// The real emulator trusts the loopback token endpoint of tests/support.
#include "inprocesscli.h"
#include "support/tokenendpoint.h"

#include <QTemporaryDir>

using namespace Qt::Literals::StringLiterals;
using wps::test::CliSession;
using wps::test::isSystemEvent;
using wps::test::StdinPipe;

namespace {

class CliEntraTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_NE(m_tokens.listen(), 0);
        m_guard.set("AZURE_AUTHORITY_HOST", m_tokens.authorityHost());
        m_tokens.addClientSecret(u"app-1"_s, u"app-secret-1"_s);
        m_guard.set("AZURE_TENANT_ID", m_tokens.tenant());
        m_guard.set("AZURE_CLIENT_ID", u"app-1"_s);
        m_guard.set("AZURE_CLIENT_SECRET", u"app-secret-1"_s);
        m_guard.set("AZURE_TOKEN_CREDENTIALS", u"EnvironmentCredential"_s); // nothing else is tried
        ASSERT_TRUE(m_dir.isValid());
        QFile config(m_dir.filePath(u"config.json"_s));
        ASSERT_TRUE(config.open(QIODevice::WriteOnly));
        config.write(m_tokens.entraConfig());
        config.close();
        ASSERT_TRUE(m_emulator.start({u"--config"_s, config.fileName()}))
            << m_emulator.errorText().toStdString();
    }

    QStringList withEndpoint(const QStringList &args) const
    {
        return args + QStringList{u"--endpoint"_s, m_emulator.endpoint().toString(), u"--hub"_s, u"chat"_s};
    }

    wps::test::TokenEndpoint m_tokens;
    wps::test::AuthEnvironmentGuard m_guard;
    QTemporaryDir m_dir;
    wps::test::EmulatorProcess m_emulator;
    QBuffer m_noInput;
};

TEST_F(CliEntraTest, ARefusedGroupNameAsksForNoToken)
{
    CliSession refused(&m_noInput, QProcessEnvironment());
    refused.start(withEndpoint({u"send-to-group"_s, u"--group"_s, u"  "_s, u"--text"_s, u"x"_s}));
    EXPECT_EQ(refused.waitForExit(), 2);
    EXPECT_TRUE(refused.err().contains("--group: Invalid group name")) << refused.err().toStdString();
    EXPECT_EQ(m_tokens.tokensIssued(), 0);

    CliSession sent(&m_noInput, QProcessEnvironment());
    sent.start(withEndpoint({u"send-to-group"_s, u"--group"_s, u"room"_s, u"--text"_s, u"x"_s}));
    EXPECT_EQ(sent.waitForExit(), 0) << sent.err().toStdString();
    EXPECT_EQ(sent.out(), "OK (HTTP 202)\n");
    EXPECT_GE(m_tokens.tokensIssued(), 1);
    EXPECT_FALSE(sent.err().contains("app-secret-1"));
}

TEST_F(CliEntraTest, ListenGetsItsClientUrlFromTheService)
{
    StdinPipe stdinPipe;
    CliSession listen(stdinPipe.device(), QProcessEnvironment());
    listen.start(withEndpoint({u"listen"_s, u"--user"_s, u"alice"_s, u"--protocol"_s, u"json"_s}));
    const auto connected =
        listen.waitForLine([](const QJsonObject &line) { return isSystemEvent(line, u"connected"_s); });
    ASSERT_TRUE(connected) << listen.err().toStdString();
    EXPECT_EQ(connected->value(u"userId"_s), u"alice"_s);
    stdinPipe.close();
    EXPECT_EQ(listen.waitForExit(), 0) << listen.err().toStdString();
}

} // namespace
