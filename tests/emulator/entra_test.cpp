// Entra ID end to end, offline: the real credential chain gets RS256 tokens from the loopback token
// endpoint (identity platform / managed identity shapes) or from the fake az/azd, and the real emulator,
// configured with an "entraId" section trusting that endpoint, accepts or refuses them (401/403).
#include "auth/credentialchain.h"
#include "auth/entracredential.h"
#include "emulator/config.h"
#include "service/serviceclient.h"
#include "support/emulatorprocess.h"
#include "support/printers.h"
#include "support/tokenendpoint.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace wps::auth;
using wps::service::ServiceClient;
using wps::service::ServiceJob;
using wps::test::AuthEnvironmentGuard;
using wps::test::EmulatorProcess;
using wps::test::TokenEndpoint;

namespace {

const QString kDataScope = QString::fromUtf16(DataPlaneScope);

class EntraTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_NE(m_endpoint.listen(), 0);
        ASSERT_TRUE(m_dir.isValid());
        m_guard.set("AZURE_AUTHORITY_HOST", m_endpoint.authorityHost());
        ASSERT_TRUE(startEmulator(m_emulator, m_endpoint.entraConfig()));
    }

    bool startEmulator(EmulatorProcess &emulator, const QByteArray &config)
    {
        const QString path = m_dir.filePath(u"config-%1.json"_s.arg(++m_configs));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(config) != config.size())
            return false;
        file.close();
        const bool started = emulator.start({u"--config"_s, path});
        EXPECT_TRUE(started) << emulator.errorText().toStdString();
        return started;
    }

    void useClientSecret()
    {
        m_endpoint.addClientSecret(u"app-1"_s, u"app-secret-1"_s);
        m_guard.set("AZURE_TENANT_ID", m_endpoint.tenant());
        m_guard.set("AZURE_CLIENT_ID", u"app-1"_s);
        m_guard.set("AZURE_CLIENT_SECRET", u"app-secret-1"_s);
    }

    /// A chain from the environment with a first data-plane token, and a client using it.
    std::unique_ptr<ServiceClient> entraClient()
    {
        auto created = CredentialChain::create(AuthEnvironment::fromProcess());
        EXPECT_TRUE(created.hasValue());
        if (!created)
            return {};
        m_chain.reset(*created);
        TokenRequest *request = m_chain->getToken(kDataScope);
        EXPECT_TRUE(QTest::qWaitFor([request] { return request->isFinished(); }, 20000));
        EXPECT_TRUE(request->result().ok()) << request->result().reason.toStdString();
        auto client = std::make_unique<ServiceClient>(m_emulator.endpoint(), u"chat"_s,
                                                      std::make_shared<EntraCredential>(m_chain.get()));
        auto options = client->options();
        options.retry.maxRetries = 0;
        client->setOptions(options);
        return client;
    }

    static bool finish(ServiceJob *job)
    {
        QSignalSpy spy(job, &ServiceJob::finished);
        return spy.wait(20000);
    }

    /// Status of a raw send with \a bearer.
    int sendWith(const EmulatorProcess &emulator, const QByteArray &bearer)
    {
        QNetworkRequest request(
            QUrl(emulator.endpoint().toString() + u"/api/hubs/chat/:send?api-version=2024-12-01"_s));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain"));
        request.setRawHeader("Authorization", "Bearer " + bearer);
        QNetworkReply *reply = m_nam.post(request, QByteArrayLiteral("hi"));
        QSignalSpy spy(reply, &QNetworkReply::finished);
        EXPECT_TRUE(spy.wait(20000));
        reply->deleteLater();
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }

    /// Status and body of a raw \a method request to \a path with \a bearer.
    std::pair<int, QByteArray> requestWith(const EmulatorProcess &emulator, const QByteArray &method,
                                           const QString &path, const QByteArray &bearer)
    {
        QNetworkRequest request(QUrl(emulator.endpoint().toString() + path + u"?api-version=2024-12-01"_s));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain"));
        request.setRawHeader("Authorization", "Bearer " + bearer);
        QNetworkReply *reply = method == "POST"   ? m_nam.post(request, QByteArrayLiteral("hi"))
                               : method == "HEAD" ? m_nam.head(request)
                                                  : m_nam.sendCustomRequest(request, method);
        QSignalSpy spy(reply, &QNetworkReply::finished);
        EXPECT_TRUE(spy.wait(20000));
        reply->deleteLater();
        return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
    }

    AuthEnvironmentGuard m_guard;
    TokenEndpoint m_endpoint;
    QTemporaryDir m_dir;
    int m_configs = 0;
    EmulatorProcess m_emulator;
    std::unique_ptr<CredentialChain> m_chain;
    QNetworkAccessManager m_nam;
};

} // namespace

TEST_F(EntraTest, ServiceOwnerTokenFromTheChainSendsAndGeneratesClientTokens)
{
    useClientSecret();
    auto client = entraClient();
    ASSERT_TRUE(client);
    ServiceJob *send = client->sendToAll(wps::service::Message::text(u"hello"_s));
    ASSERT_TRUE(finish(send));
    EXPECT_FALSE(send->hasError()) << send->error().toString().toStdString();

    auto *token = client->generateClientToken({u"alice"_s, {}, {}, 5, wps::ClientProtocol::Default});
    ASSERT_TRUE(finish(token));
    ASSERT_FALSE(token->hasError()) << token->error().toString().toStdString();
    EXPECT_FALSE(token->access().token.isEmpty());
    EXPECT_EQ(token->access().url.port(), m_emulator.port());
    EXPECT_TRUE(token->access().url.query().contains(u"access_token="_s));
}

TEST_F(EntraTest, ReaderMayReadButNotWrite)
{
    m_endpoint.setRoles({u"Web PubSub Service Reader"_s});
    useClientSecret();
    auto client = entraClient();
    ASSERT_TRUE(client);
    auto *exists = client->groupExists(u"g1"_s);
    ASSERT_TRUE(finish(exists));
    EXPECT_FALSE(exists->hasError()) << exists->error().toString().toStdString();
    EXPECT_FALSE(exists->exists());
    ServiceJob *send = client->sendToAll(wps::service::Message::text(u"hello"_s));
    ASSERT_TRUE(finish(send));
    ASSERT_TRUE(send->hasError());
    EXPECT_EQ(send->error().httpStatus, 403);
}

TEST_F(EntraTest, AWildcardDataActionMaySendAReaderMayNotAndNoRolesActAsOwner)
{
    m_endpoint.setRoles({u"Microsoft.SignalRService/WebPubSub/*"_s});
    EXPECT_EQ(sendWith(m_emulator, m_endpoint.mint(u"https://webpubsub.azure.com"_s)), 202);
    m_endpoint.setRoles({u"Web PubSub Service Reader"_s});
    EXPECT_EQ(sendWith(m_emulator, m_endpoint.mint(u"https://webpubsub.azure.com"_s)), 403);
    // Real credentials' tokens carry no Web PubSub roles: with no roleAssignments configured they act as
    // Owner.
    m_endpoint.setRoles({});
    EXPECT_EQ(sendWith(m_emulator, m_endpoint.mint(u"https://webpubsub.azure.com"_s)), 202);
}

TEST_F(EntraTest, RoleAssignmentsGrantOwnerOrReaderByObjectOrAppId)
{
    QJsonObject root = QJsonDocument::fromJson(m_endpoint.entraConfig()).object();
    QJsonObject section = root.value(u"entraId"_s).toObject();
    section.insert(
        u"roleAssignments"_s,
        QJsonArray{
            QJsonObject{{u"principalId"_s, u"owner-oid"_s}, {u"role"_s, u"Web PubSub Service Owner"_s}},
            QJsonObject{{u"principalId"_s, u"reader-app"_s}, {u"role"_s, u"Web PubSub Service Reader"_s}}});
    root.insert(u"entraId"_s, section);
    EmulatorProcess emulator;
    ASSERT_TRUE(startEmulator(emulator, QJsonDocument(root).toJson()));
    m_endpoint.setRoles({});
    const QString aud = u"https://webpubsub.azure.com"_s;

    EXPECT_EQ(sendWith(emulator, m_endpoint.mint(aud, {{u"oid"_s, u"owner-oid"_s}})), 202);

    const QByteArray reader = m_endpoint.mint(aud, {{u"oid"_s, u"someone"_s}, {u"appid"_s, u"reader-app"_s}});
    EXPECT_EQ(requestWith(emulator, "HEAD", u"/api/hubs/chat/groups/g1"_s, reader).first, 404);
    const auto refused = requestWith(emulator, "POST", u"/api/hubs/chat/:send"_s, reader);
    EXPECT_EQ(refused.first, 403);
    EXPECT_TRUE(refused.second.contains("Reader")) << refused.second.toStdString();
    EXPECT_TRUE(refused.second.contains("only read")) << refused.second.toStdString();

    // Assignments configured and none for this principal: no role, unless its token carries one.
    const auto nobody = requestWith(emulator, "POST", u"/api/hubs/chat/:send"_s,
                                    m_endpoint.mint(aud, {{u"oid"_s, u"stranger"_s}}));
    EXPECT_EQ(nobody.first, 403);
    EXPECT_TRUE(nobody.second.contains("stranger")) << nobody.second.toStdString();
    m_endpoint.setRoles({u"Web PubSub Service Owner"_s});
    EXPECT_EQ(sendWith(emulator, m_endpoint.mint(aud, {{u"oid"_s, u"stranger"_s}})), 202);
}

TEST_F(EntraTest, UntrustedWrongAudienceOrExpiredTokensAre401)
{
    TokenEndpoint stranger; // another key and another issuer
    ASSERT_NE(stranger.listen(), 0);
    EXPECT_EQ(sendWith(m_emulator, stranger.mint(u"https://webpubsub.azure.com"_s)), 401);
    EXPECT_EQ(sendWith(m_emulator, m_endpoint.mint(u"https://management.azure.com"_s)), 401);
    EXPECT_EQ(sendWith(m_emulator, m_endpoint.mint(u"https://webpubsub.azure.com"_s, {}, -600)), 401);
    QByteArray tampered = m_endpoint.mint(u"https://webpubsub.azure.com"_s);
    tampered[tampered.lastIndexOf('.') + 5] = tampered.at(tampered.lastIndexOf('.') + 5) == 'A' ? 'B' : 'A';
    EXPECT_EQ(sendWith(m_emulator, tampered), 401);
    EXPECT_EQ(sendWith(m_emulator, m_endpoint.mint(u"https://webpubsub.azure.com"_s)), 202);
}

TEST_F(EntraTest, WithoutAnEntraSectionNoEntraTokenIsAccepted)
{
    EmulatorProcess plain;
    ASSERT_TRUE(startEmulator(plain, QByteArrayLiteral("{\"hubs\": {}}")));
    EXPECT_EQ(sendWith(plain, m_endpoint.mint(u"https://webpubsub.azure.com"_s)), 401);
    // The access key still works there.
    ServiceClient keyed(plain.connectionString(), u"chat"_s);
    ServiceJob *send = keyed.sendToAll(wps::service::Message::text(u"hello"_s));
    ASSERT_TRUE(finish(send));
    EXPECT_FALSE(send->hasError());
}

TEST_F(EntraTest, AzureCliTokenWorksEndToEnd)
{
    m_guard.set("WPS_FAKE_AZ_TOKEN", QString::fromLatin1(m_endpoint.mint(u"https://webpubsub.azure.com"_s)));
    auto client = entraClient();
    ASSERT_TRUE(client);
    ServiceJob *send = client->sendToUser(u"bob"_s, wps::service::Message::text(u"hi"_s));
    ASSERT_TRUE(finish(send));
    EXPECT_FALSE(send->hasError()) << send->error().toString().toStdString();
}

TEST_F(EntraTest, ManagedIdentityTokenWorksEndToEnd)
{
    m_guard.set("IDENTITY_ENDPOINT", m_endpoint.identityEndpoint());
    m_guard.set("IDENTITY_HEADER", u"wps-test-identity-header"_s);
    auto client = entraClient();
    ASSERT_TRUE(client);
    ServiceJob *close = client->closeAllConnections();
    ASSERT_TRUE(finish(close));
    EXPECT_FALSE(close->hasError()) << close->error().toString().toStdString();
}

TEST_F(EntraTest, CliUsesTheChainForAnEndpointWithoutKey)
{
    const QString cli = [] {
        const QString fromEnv = qEnvironmentVariable("WPS_CLI_BIN");
        return fromEnv.isEmpty() ? QCoreApplication::applicationDirPath() + u"/../app/webpubsub"_s : fromEnv;
    }();
    auto run = [&](QByteArray *err) {
        QProcess process;
        process.start(cli, {u"--endpoint"_s, m_emulator.endpoint().toString(), u"--hub"_s, u"chat"_s,
                            u"send-to-all"_s, u"--text"_s, u"hi"_s});
        // Not waitForFinished(): the token endpoint in this process must keep answering.
        EXPECT_TRUE(QTest::qWaitFor([&process] { return process.state() == QProcess::NotRunning; }, 30000));
        *err = process.readAllStandardError();
        return process.exitCode();
    };
    QByteArray err;
    EXPECT_NE(run(&err), 0); // nothing configured: every credential fails
    EXPECT_TRUE(err.contains("AzureCliCredential")) << err.toStdString();
    useClientSecret();
    EXPECT_EQ(run(&err), 0) << err.toStdString();
    EXPECT_FALSE(err.contains("app-secret-1"));
}

TEST(EntraConfig, ParsesValidatesAndRoundTrips)
{
    TokenEndpoint endpoint;
    ASSERT_NE(endpoint.listen(), 0);
    const auto config = wps::emulator::EmulatorConfig::fromJson(endpoint.entraConfig());
    ASSERT_TRUE(config.hasValue()) << config.error().toStdString();
    ASSERT_TRUE(config->entraId.has_value());
    EXPECT_EQ(config->entraId->issuers, QStringList{endpoint.issuer()});
    EXPECT_EQ(config->entraId->audience, u"https://webpubsub.azure.com"_s);
    const auto again = wps::emulator::EmulatorConfig::fromJson(config->toJson());
    ASSERT_TRUE(again.hasValue());
    EXPECT_EQ(again->entraId->jwks, config->entraId->jwks);

    const auto noIssuer = wps::emulator::EmulatorConfig::fromJson(R"({"entraId": {"jwks": {"keys": []}}})");
    ASSERT_FALSE(noIssuer.hasValue());
    EXPECT_TRUE(noIssuer.error().contains(u"entraId.issuer"_s));
    const auto badKey = wps::emulator::EmulatorConfig::fromJson(
        R"({"entraId": {"issuer": "x", "jwks": {"keys": [{"kty": "EC", "crv": "P-256"}]}}})");
    ASSERT_FALSE(badKey.hasValue());
    EXPECT_TRUE(badKey.error().contains(u"entraId.jwks.keys[0]"_s)) << badKey.error().toStdString();
    auto withAssignments = QJsonDocument::fromJson(endpoint.entraConfig()).object();
    auto section = withAssignments.value(u"entraId"_s).toObject();
    section.insert(
        u"roleAssignments"_s,
        QJsonArray{QJsonObject{{u"principalId"_s, u"app-1"_s}, {u"role"_s, u"web pubsub service reader"_s}}});
    withAssignments.insert(u"entraId"_s, section);
    const auto assigned = wps::emulator::EmulatorConfig::fromJson(QJsonDocument(withAssignments).toJson());
    ASSERT_TRUE(assigned.hasValue()) << assigned.error().toStdString();
    ASSERT_EQ(assigned->entraId->roleAssignments.size(), 1);
    EXPECT_EQ(assigned->entraId->roleAssignments.constFirst().role, u"Web PubSub Service Reader"_s);
    const auto assignedAgain = wps::emulator::EmulatorConfig::fromJson(assigned->toJson());
    ASSERT_TRUE(assignedAgain.hasValue());
    EXPECT_EQ(assignedAgain->entraId->roleAssignments.constFirst().principalId, u"app-1"_s);
    section.insert(u"roleAssignments"_s,
                   QJsonArray{QJsonObject{{u"principalId"_s, u"app-1"_s}, {u"role"_s, u"Contributor"_s}}});
    withAssignments.insert(u"entraId"_s, section);
    const auto badRole = wps::emulator::EmulatorConfig::fromJson(QJsonDocument(withAssignments).toJson());
    ASSERT_FALSE(badRole.hasValue());
    EXPECT_TRUE(badRole.error().contains(u"entraId.roleAssignments[0].role"_s))
        << badRole.error().toStdString();

    const auto unknown =
        wps::emulator::EmulatorConfig::fromJson(R"({"entraId": {"issuer": "x", "tenant": 1}})");
    ASSERT_FALSE(unknown.hasValue());
    EXPECT_TRUE(unknown.error().contains(u"tenant"_s));
}
