// HubDirectory (the ARM workflow the Hubs panel shows) against the real emulator's ARM API: the credential
// choice, discovery of the resource, hub settings read and written, keys, and every refusal reported.
#include "arm/hubdirectory.h"
#include "auth/credentialchain.h"
#include "support/emulatorprocess.h"
#include "support/printers.h"
#include "support/tokenendpoint.h"
#include "support/wait.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using wps::arm::HubDirectory;
using wps::test::EmulatorProcess;
using wps::test::TokenEndpoint;

namespace {

using wps::test::kWaitMs;

/// Refreshes \a directory and returns the error hubsLoaded() reported ("" on success).
QString refreshed(HubDirectory &directory)
{
    QSignalSpy loaded(&directory, &HubDirectory::hubsLoaded);
    directory.refresh();
    if (loaded.isEmpty() && !loaded.wait(kWaitMs))
        return u"(no answer)"_s;
    return loaded.last().at(0).toString();
}

template <typename Job>
bool finishes(Job *job)
{
    if (!job)
        return false;
    return QTest::qWaitFor([job] { return job->isFinished(); }, kWaitMs);
}

TEST(HubDirectory, FindsTheEmulatorWithItsKeyAndEditsHubs)
{
    EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    HubDirectory directory;
    QSignalSpy clients(&directory, &HubDirectory::clientChanged);
    directory.setService(emulator.endpoint(), emulator.connectionString().accessKey(), nullptr);
    EXPECT_EQ(directory.state(), HubDirectory::State::Idle);
    EXPECT_EQ(directory.client(), nullptr); // nothing sent before refresh()

    const QString error = refreshed(directory);
    EXPECT_TRUE(error.isEmpty()) << error.toStdString();
    EXPECT_EQ(directory.state(), HubDirectory::State::Ready);
    EXPECT_TRUE(directory.resourceId().endsWith(u"/webPubSub/emulator"_s))
        << directory.resourceId().toStdString();
    ASSERT_EQ(clients.count(), 1);
    EXPECT_EQ(directory.client()->options().baseUrl.port(), emulator.endpoint().port());

    // A hub without settings is an answer, not an error.
    wps::arm::HubJob *missing = directory.readHub(u"nothere"_s);
    ASSERT_TRUE(finishes(missing));
    EXPECT_FALSE(missing->hasError()) << missing->error().toString().toStdString();
    EXPECT_FALSE(missing->found());
    EXPECT_FALSE(missing->hub().anonymousConnect);

    // Read-modify-write creates it; the listing follows.
    QSignalSpy changed(&directory, &HubDirectory::hubsChanged);
    wps::arm::HubJob *put = directory.updateHub(
        u"lobby"_s, [](wps::arm::HubSettings &settings) { settings.anonymousConnect = true; });
    ASSERT_TRUE(finishes(put));
    ASSERT_FALSE(put->hasError()) << put->error().toString().toStdString();
    EXPECT_FALSE(put->found());
    EXPECT_TRUE(put->created());
    EXPECT_TRUE(put->hub().anonymousConnect);
    EXPECT_TRUE(changed.count() == 1 || changed.wait(kWaitMs));
    bool listed = false;
    for (const auto &hub : directory.hubs())
        listed = listed || (hub.name == u"lobby"_s && hub.anonymousConnect);
    EXPECT_TRUE(listed);

    // A second edit keeps what the first wrote.
    wps::arm::HubJob *again = directory.updateHub(u"lobby"_s, [](wps::arm::HubSettings &settings) {
        wps::arm::EventHandler handler;
        handler.urlTemplate = u"http://127.0.0.1:9/{event}"_s;
        settings.eventHandlers = {handler};
    });
    ASSERT_TRUE(finishes(again));
    ASSERT_FALSE(again->hasError()) << again->error().toString().toStdString();
    EXPECT_TRUE(again->found());
    EXPECT_FALSE(again->created());
    EXPECT_TRUE(again->hub().anonymousConnect);
    EXPECT_EQ(again->hub().eventHandlers.size(), 1);

    // An edit the service would refuse is refused before the PUT.
    wps::arm::HubJob *invalid = directory.updateHub(u"lobby"_s, [](wps::arm::HubSettings &settings) {
        settings.eventHandlers = {wps::arm::EventHandler()};
    });
    ASSERT_TRUE(finishes(invalid));
    ASSERT_TRUE(invalid->hasError());
    EXPECT_EQ(invalid->error().kind, wps::service::ServiceError::Kind::InvalidInput);

    wps::arm::KeysJob *keys = directory.listKeys();
    ASSERT_TRUE(finishes(keys));
    ASSERT_FALSE(keys->hasError()) << keys->error().toString().toStdString();
    EXPECT_EQ(keys->keys().primaryKey, emulator.connectionString().accessKey());

    // The same service again keeps what was found; no service forgets it.
    directory.setService(emulator.endpoint(), emulator.connectionString().accessKey(), nullptr);
    EXPECT_FALSE(directory.resourceId().isEmpty());
    directory.clear();
    EXPECT_TRUE(directory.resourceId().isEmpty());
    EXPECT_EQ(directory.client(), nullptr);
    EXPECT_EQ(directory.readHub(u"lobby"_s), nullptr);
    EXPECT_EQ(refreshed(directory), u"Not connected."_s);
    EXPECT_EQ(directory.state(), HubDirectory::State::Failed);
}

class HubDirectoryEntra : public ::testing::Test
{
protected:
    void start(const QStringList &roles)
    {
        ASSERT_NE(m_tokens.listen(), 0);
        m_tokens.addClientSecret(u"app-1"_s, u"app-secret-1"_s);
        m_tokens.setRoles(roles);
        ASSERT_TRUE(m_dir.isValid());
        QFile config(m_dir.filePath(u"config.json"_s));
        ASSERT_TRUE(config.open(QIODevice::WriteOnly));
        config.write(m_tokens.entraConfig());
        config.close();
        ASSERT_TRUE(m_emulator.start({u"--config"_s, config.fileName()}))
            << m_emulator.errorText().toStdString();
        m_chain = chain(u"app-secret-1"_s);
        ASSERT_TRUE(m_chain);
    }

    /// The real chain with the loopback token endpoint's client secret credential.
    std::unique_ptr<wps::auth::CredentialChain> chain(const QString &secret) const
    {
        wps::auth::AuthEnvironment env;
        env.authorityHost = m_tokens.authorityHost();
        env.tenantId = m_tokens.tenant();
        env.clientId = u"app-1"_s;
        env.clientSecret = secret;
        env.noImds = true;
        env.tokenCredentials = u"EnvironmentCredential"_s;
        auto created = wps::auth::CredentialChain::create(env);
        return std::unique_ptr<wps::auth::CredentialChain>(created ? *created : nullptr);
    }

    TokenEndpoint m_tokens;
    QTemporaryDir m_dir;
    EmulatorProcess m_emulator;
    std::unique_ptr<wps::auth::CredentialChain> m_chain;
};

TEST_F(HubDirectoryEntra, UsesTheConnectionsChainForManagementTokens)
{
    start({u"Contributor"_s});
    HubDirectory directory;
    directory.setService(m_emulator.endpoint(), QString(), m_chain.get());
    const QString error = refreshed(directory);
    EXPECT_TRUE(error.isEmpty()) << error.toStdString();
    EXPECT_FALSE(directory.resourceId().isEmpty());
    EXPECT_TRUE(m_chain->cachedToken(QString::fromUtf16(wps::arm::ManagementScope)).has_value());
}

TEST_F(HubDirectoryEntra, ARefusalOnEverySubscriptionIsReportedAsSuch)
{
    // A token without any ARM role: the emulator lists subscriptions but refuses reading their resources.
    start({});
    HubDirectory directory;
    directory.setService(m_emulator.endpoint(), QString(), m_chain.get());
    const QString error = refreshed(directory);
    EXPECT_EQ(directory.state(), HubDirectory::State::Failed);
    EXPECT_TRUE(directory.resourceId().isEmpty());
    EXPECT_FALSE(error.contains(u"No Web PubSub resource"_s)) << error.toStdString();
    EXPECT_TRUE(error.contains(u"any of your 1 subscription"_s)) << error.toStdString();
    EXPECT_TRUE(error.contains(u"403"_s)) << error.toStdString();
    EXPECT_TRUE(error.contains(u"AuthorizationFailed"_s)) << error.toStdString();
    ASSERT_EQ(directory.refusals().size(), 1);
    EXPECT_EQ(directory.statusText(), error);
}

TEST_F(HubDirectoryEntra, AFailedTokenIsReported)
{
    start({u"Contributor"_s});
    std::unique_ptr<wps::auth::CredentialChain> wrong = chain(u"wrong-secret"_s);
    ASSERT_TRUE(wrong);
    HubDirectory directory;
    directory.setService(m_emulator.endpoint(), QString(), wrong.get());
    const QString error = refreshed(directory);
    EXPECT_TRUE(error.startsWith(u"Hub settings need Azure Resource Manager access"_s))
        << error.toStdString();
    EXPECT_FALSE(error.contains(u"wrong-secret"_s));
    EXPECT_EQ(directory.client(), nullptr);
}

} // namespace
