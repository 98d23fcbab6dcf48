// The Entra ID credential chain (core/auth) against the loopback token endpoint and the fake az/azd:
// order and rules of DefaultAzureCredential, AZURE_TOKEN_CREDENTIALS, caching, refresh, errors.
#include "auth/credentialchain.h"
#include "auth/credentials.h"
#include "auth/entracredential.h"
#include "protocol/jwt.h"
#include "support/tokenendpoint.h"

#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace wps::auth;
using wps::test::AuthEnvironmentGuard;
using wps::test::TokenEndpoint;

namespace {

const QString kDataScope = QString::fromUtf16(DataPlaneScope);
const QString kSecret = u"s3cret-value-never-logged"_s;

/// Runs \a request to its end (bounded) and returns the result.
TokenResult wait(TokenRequest *request)
{
    EXPECT_TRUE(QTest::qWaitFor([request] { return request->isFinished(); }, 20000));
    return request->result();
}

QString audienceOf(const QByteArray &token)
{
    const auto claims = wps::jwt::decodeClaimsUnverified(token);
    return claims ? wps::jwt::audiences(*claims).value(0) : QString();
}

class CredentialChainTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_NE(m_endpoint.listen(), 0);
        m_guard.set("AZURE_AUTHORITY_HOST", m_endpoint.authorityHost());
    }

    /// A chain built from the process environment, as the CLI builds it.
    std::unique_ptr<CredentialChain> chain(AuthOptions options = {})
    {
        options.imdsProbeTimeout = std::chrono::milliseconds(2000);
        auto created = CredentialChain::create(AuthEnvironment::fromProcess(), options);
        EXPECT_TRUE(created.hasValue()) << (created ? QString() : created.error()).toStdString();
        return std::unique_ptr<CredentialChain>(created ? *created : nullptr);
    }

    void useClientSecret()
    {
        m_endpoint.addClientSecret(u"app-1"_s, kSecret);
        m_guard.set("AZURE_TENANT_ID", m_endpoint.tenant());
        m_guard.set("AZURE_CLIENT_ID", u"app-1"_s);
        m_guard.set("AZURE_CLIENT_SECRET", kSecret);
    }

    AuthEnvironmentGuard m_guard;
    TokenEndpoint m_endpoint;
};

} // namespace

TEST(SelectCredentials, FollowsAzureTokenCredentials)
{
    EXPECT_EQ(*selectCredentials({}), defaultCredentialOrder());
    EXPECT_EQ(defaultCredentialOrder().first(), u"EnvironmentCredential"_s);
    EXPECT_EQ(*selectCredentials(u"prod"_s),
              (QStringList{u"EnvironmentCredential"_s, u"WorkloadIdentityCredential"_s,
                           u"ManagedIdentityCredential"_s}));
    EXPECT_EQ(*selectCredentials(u"DEV"_s),
              (QStringList{u"AzureCliCredential"_s, u"AzureDeveloperCliCredential"_s}));
    EXPECT_EQ(*selectCredentials(u"azureclicredential"_s), QStringList{u"AzureCliCredential"_s});
    const auto unknown = selectCredentials(u"production"_s);
    ASSERT_FALSE(unknown.hasValue());
    EXPECT_TRUE(unknown.error().contains(u"production"_s));
    EXPECT_TRUE(unknown.error().contains(u"AZURE_TOKEN_CREDENTIALS"_s));
    EXPECT_FALSE(selectCredentials(u"AzurePowerShellCredential"_s).hasValue());
}

TEST_F(CredentialChainTest, UnknownTokenCredentialsValueIsAClearError)
{
    m_guard.set("AZURE_TOKEN_CREDENTIALS", u"everything"_s);
    const auto created = CredentialChain::create(AuthEnvironment::fromProcess());
    ASSERT_FALSE(created.hasValue());
    EXPECT_TRUE(created.error().contains(u"everything"_s));
}

TEST_F(CredentialChainTest, AuthorityHostMustBeHttpsUnlessLoopback)
{
    m_guard.set("AZURE_AUTHORITY_HOST", u"http://login.example.com/"_s);
    EXPECT_FALSE(CredentialChain::create(AuthEnvironment::fromProcess()).hasValue());
    m_guard.set("AZURE_AUTHORITY_HOST", u"https://login.microsoftonline.us/"_s);
    EXPECT_TRUE(AuthEnvironment::fromProcess().authority().hasValue());
}

TEST_F(CredentialChainTest, EnvironmentClientSecretComesFirst)
{
    useClientSecret();
    m_guard.set("WPS_FAKE_AZ_TOKEN", u"from-az"_s); // later in the order: must not be used
    auto c = chain();
    const TokenResult result = wait(c->getToken(kDataScope));
    ASSERT_TRUE(result.ok()) << result.reason.toStdString();
    EXPECT_EQ(audienceOf(result.token.token), u"https://webpubsub.azure.com"_s);
    ASSERT_EQ(m_endpoint.requests().size(), 1);
    const auto &form = m_endpoint.requests().first().form;
    EXPECT_EQ(form.queryItemValue(u"client_id"_s), u"app-1"_s);
    EXPECT_EQ(form.queryItemValue(u"scope"_s, QUrl::FullyDecoded), kDataScope);
    EXPECT_LT(result.token.refreshOn, result.token.expiresOn);
}

TEST_F(CredentialChainTest, WrongSecretStopsTheChainWithoutLeakingIt)
{
    useClientSecret();
    m_guard.set("AZURE_CLIENT_SECRET", u"wrong-secret-value"_s);
    m_guard.set("WPS_FAKE_AZ_TOKEN", u"from-az"_s);
    auto c = chain();
    const TokenResult result = wait(c->getToken(kDataScope));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(result.reason.contains(u"EnvironmentCredential"_s));
    EXPECT_TRUE(result.reason.contains(u"AADSTS7000215"_s));
    EXPECT_FALSE(result.reason.contains(u"AzureCliCredential"_s)); // stopped: authentication failed
    EXPECT_FALSE(result.reason.contains(u"wrong-secret-value"_s));
}

TEST_F(CredentialChainTest, WorkloadIdentityExchangesTheFederatedToken)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString file = dir.filePath(u"token"_s);
    QFile out(file);
    ASSERT_TRUE(out.open(QIODevice::WriteOnly));
    out.write("federated-assertion-jwt\n");
    out.close();
    m_endpoint.addFederatedAssertion(u"wl-app"_s, u"federated-assertion-jwt"_s);
    m_guard.set("AZURE_TENANT_ID", m_endpoint.tenant());
    m_guard.set("AZURE_CLIENT_ID", u"wl-app"_s);
    m_guard.set("AZURE_FEDERATED_TOKEN_FILE", file);
    auto c = chain();
    const TokenResult result = wait(c->getToken(kDataScope));
    ASSERT_TRUE(result.ok()) << result.reason.toStdString();
    ASSERT_EQ(m_endpoint.requests().size(), 1);
    EXPECT_EQ(
        m_endpoint.requests().first().form.queryItemValue(u"client_assertion_type"_s, QUrl::FullyDecoded),
        u"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"_s);
}

TEST_F(CredentialChainTest, ManagedIdentityAsksTheAppServiceEndpointForTheManagementResource)
{
    m_guard.set("IDENTITY_ENDPOINT", m_endpoint.identityEndpoint());
    m_guard.set("IDENTITY_HEADER", u"wps-test-identity-header"_s);
    auto c = chain();
    const TokenResult result = wait(c->getToken(QString::fromUtf16(ManagementScope)));
    ASSERT_TRUE(result.ok()) << result.reason.toStdString();
    EXPECT_EQ(audienceOf(result.token.token), u"https://management.azure.com"_s);
    ASSERT_EQ(m_endpoint.requests().size(), 1);
    EXPECT_EQ(m_endpoint.requests().first().query.queryItemValue(u"resource"_s, QUrl::FullyDecoded),
              u"https://management.azure.com"_s);
}

TEST_F(CredentialChainTest, ManagedIdentityWrongHeaderFails)
{
    m_guard.set("IDENTITY_ENDPOINT", m_endpoint.identityEndpoint());
    m_guard.set("IDENTITY_HEADER", u"not-the-header"_s);
    auto c = chain();
    const TokenResult result = wait(c->getToken(kDataScope));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(result.reason.contains(u"ManagedIdentityCredential: HTTP 401"_s))
        << result.reason.toStdString();
    EXPECT_FALSE(result.reason.contains(u"not-the-header"_s));
}

TEST_F(CredentialChainTest, ImdsIsNeverProbedUnderWpsNoImdsButAnOverriddenHostIsAsked)
{
    m_guard.set("AZURE_TOKEN_CREDENTIALS", u"ManagedIdentityCredential"_s);
    {
        // WPS_NO_IMDS (set by the guard): the real address is never probed.
        auto c = chain();
        const TokenResult result = wait(c->getToken(kDataScope));
        ASSERT_FALSE(result.ok());
        EXPECT_TRUE(result.reason.contains(u"WPS_NO_IMDS"_s)) << result.reason.toStdString();
    }
    m_guard.set("AZURE_POD_IDENTITY_AUTHORITY_HOST", m_endpoint.imdsHost());
    auto c = chain();
    const TokenResult result = wait(c->getToken(kDataScope));
    ASSERT_TRUE(result.ok()) << result.reason.toStdString();
    ASSERT_EQ(m_endpoint.requests().size(), 1);
    EXPECT_EQ(m_endpoint.requests().first().headers.value("metadata"), "true");
}

TEST_F(CredentialChainTest, ImdsWithoutIdentityIsUnavailableAndTheChainMovesOn)
{
    m_endpoint.setImdsIdentity(false);
    m_guard.set("AZURE_POD_IDENTITY_AUTHORITY_HOST", m_endpoint.imdsHost());
    m_guard.set("WPS_FAKE_AZ_TOKEN", u"token-from-az"_s);
    auto c = chain();
    const TokenResult result = wait(c->getToken(kDataScope));
    ASSERT_TRUE(result.ok()) << result.reason.toStdString();
    EXPECT_EQ(result.token.token, "token-from-az");
}

TEST_F(CredentialChainTest, AzureCliGetsTheResourceAndAzdIsTheFallback)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString args = dir.filePath(u"args"_s);
    m_guard.set("WPS_FAKE_ARGS_FILE", args);
    m_guard.set("WPS_FAKE_AZD_TOKEN", u"token-from-azd"_s); // az is logged out
    auto c = chain();
    const TokenResult result = wait(c->getToken(kDataScope));
    ASSERT_TRUE(result.ok()) << result.reason.toStdString();
    EXPECT_EQ(result.token.token, "token-from-azd");
    QFile file(args);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray calls = file.readAll();
    EXPECT_TRUE(
        calls.contains("az account get-access-token --output json --resource https://webpubsub.azure.com"))
        << calls.toStdString();
    EXPECT_TRUE(calls.contains(
        QByteArray("azd auth token --output json --no-prompt --scope " + kDataScope.toUtf8())));
}

TEST_F(CredentialChainTest, DevSkipsProductionCredentials)
{
    useClientSecret();
    m_guard.set("AZURE_TOKEN_CREDENTIALS", u"dev"_s);
    m_guard.set("WPS_FAKE_AZ_TOKEN", u"token-from-az"_s);
    auto c = chain();
    EXPECT_EQ(c->credentialNames(), (QStringList{u"AzureCliCredential"_s, u"AzureDeveloperCliCredential"_s}));
    const TokenResult result = wait(c->getToken(kDataScope));
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.token.token, "token-from-az");
    EXPECT_EQ(m_endpoint.requests().size(), 0);
}

TEST_F(CredentialChainTest, EveryFailureIsListedInOneError)
{
    auto c = chain();
    const TokenResult result = wait(c->getToken(kDataScope));
    ASSERT_FALSE(result.ok());
    for (const QString &name : defaultCredentialOrder())
        EXPECT_TRUE(result.reason.contains(name + u": "_s)) << name.toStdString();
    EXPECT_TRUE(result.reason.contains(u"az login"_s)) << result.reason.toStdString();
    EXPECT_TRUE(result.reason.contains(u"azd auth login"_s)) << result.reason.toStdString();
    // The adapter ServiceClient uses reports the same reasons.
    const EntraCredential adapter(c.get());
    const auto header = adapter.authorization(QUrl(u"http://127.0.0.1/"_s));
    ASSERT_FALSE(header.hasValue());
    EXPECT_TRUE(header.error().contains(u"EnvironmentCredential"_s));
}

TEST_F(CredentialChainTest, HangingToolIsBoundedByTheProcessTimeout)
{
    m_guard.set("AZURE_TOKEN_CREDENTIALS", u"AzureCliCredential"_s);
    m_guard.set("WPS_FAKE_HANG", u"1"_s);
    AuthOptions options;
    options.processTimeout = std::chrono::milliseconds(300);
    auto c = chain(options);
    const TokenResult result = wait(c->getToken(kDataScope));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(result.reason.contains(u"did not finish"_s)) << result.reason.toStdString();
}

TEST_F(CredentialChainTest, TokensAreCachedPerScopeAndShared)
{
    useClientSecret();
    auto c = chain();
    TokenRequest *first = c->getToken(kDataScope);
    TokenRequest *second = c->getToken(kDataScope); // joins the one in flight
    ASSERT_TRUE(wait(first).ok());
    ASSERT_TRUE(wait(second).ok());
    EXPECT_EQ(first->result().token.token, second->result().token.token);
    ASSERT_TRUE(wait(c->getToken(kDataScope)).ok()); // from the cache
    EXPECT_EQ(m_endpoint.tokensIssued(), 1);
    ASSERT_TRUE(wait(c->getToken(QString::fromUtf16(ManagementScope))).ok()); // another scope
    EXPECT_EQ(m_endpoint.tokensIssued(), 2);
    ASSERT_TRUE(c->cachedToken(kDataScope).has_value());
    const EntraCredential adapter(c.get());
    const auto header = adapter.authorization(QUrl(u"http://127.0.0.1/"_s));
    ASSERT_TRUE(header.hasValue());
    EXPECT_EQ(*header, "Bearer " + c->cachedToken(kDataScope)->token);
}

TEST_F(CredentialChainTest, AutoRefreshRenewsBeforeExpiry)
{
    useClientSecret();
    m_endpoint.setLifetime(4); // refresh half way
    auto c = chain();
    c->setAutoRefresh(true);
    const TokenResult result = wait(c->getToken(kDataScope));
    ASSERT_TRUE(result.ok());
    EXPECT_LT(result.token.refreshOn, result.token.expiresOn);
    QSignalSpy refreshed(c.get(), &CredentialChain::tokenRefreshed);
    EXPECT_TRUE(refreshed.wait(15000));
    EXPECT_EQ(m_endpoint.tokensIssued(), 2);
    ASSERT_TRUE(c->cachedToken(kDataScope).has_value());
    EXPECT_NE(c->cachedToken(kDataScope)->token, result.token.token);
}
