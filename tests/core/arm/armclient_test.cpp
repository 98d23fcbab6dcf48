// ArmClient end to end against the real emulator's ARM paths, with the real credential chain getting
// management-plane RS256 tokens from the loopback token endpoint; async operations and foreign links come
// from the loopback fault server.
#include "arm/armclient.h"
#include "auth/credentialchain.h"
#include "auth/entracredential.h"
#include "service/serviceclient.h"
#include "support/emulatorprocess.h"
#include "support/faultserver.h"
#include "support/printers.h"
#include "support/tokenendpoint.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace wps::arm;
using wps::service::ServiceError;
using wps::test::AuthEnvironmentGuard;
using wps::test::EmulatorProcess;
using wps::test::FaultServer;
using wps::test::TokenEndpoint;

namespace {

const QString kScope = QString::fromUtf16(ManagementScope);

/// A fixed bearer token: for tokens a test mints with particular claims (roles, audience).
class FixedBearer : public wps::service::Credential
{
public:
    explicit FixedBearer(QByteArray token)
        : m_token(std::move(token))
    {
    }
    wps::Expected<QByteArray, QString> authorization(const QUrl &) const override
    {
        return QByteArray("Bearer " + m_token);
    }

private:
    QByteArray m_token;
};

bool finishes(ArmJob *job)
{
    return QTest::qWaitFor([job] { return job->isFinished(); }, 20000);
}

class ArmClientTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_NE(m_endpoint.listen(), 0);
        ASSERT_TRUE(m_dir.isValid());
        m_endpoint.setRoles({u"Contributor"_s});
        m_guard.set("AZURE_AUTHORITY_HOST", m_endpoint.authorityHost());
        m_endpoint.addClientSecret(u"app-1"_s, u"app-secret-1"_s);
        m_guard.set("AZURE_TENANT_ID", m_endpoint.tenant());
        m_guard.set("AZURE_CLIENT_ID", u"app-1"_s);
        m_guard.set("AZURE_CLIENT_SECRET", u"app-secret-1"_s);
        const QString path = m_dir.filePath(u"config.json"_s);
        QFile file(path);
        const QByteArray config = m_endpoint.entraConfig();
        ASSERT_TRUE(file.open(QIODevice::WriteOnly) && file.write(config) == config.size());
        file.close();
        ASSERT_TRUE(m_emulator.start({u"--config"_s, path})) << m_emulator.errorText().toStdString();
    }

    ArmClientOptions options() const
    {
        ArmClientOptions o;
        o.baseUrl = m_emulator.endpoint();
        o.retry.maxRetries = 0;
        return o;
    }

    /// The real chain (client secret) with a first management token, behind an EntraCredential.
    std::unique_ptr<ArmClient> entraClient()
    {
        auto created = wps::auth::CredentialChain::create(wps::auth::AuthEnvironment::fromProcess());
        EXPECT_TRUE(created.hasValue());
        if (!created)
            return {};
        m_chain.reset(*created);
        wps::auth::TokenRequest *request = m_chain->getToken(kScope);
        EXPECT_TRUE(QTest::qWaitFor([request] { return request->isFinished(); }, 20000));
        EXPECT_TRUE(request->result().ok()) << request->result().reason.toStdString();
        return std::make_unique<ArmClient>(
            std::make_shared<wps::auth::EntraCredential>(m_chain.get(), kScope), options());
    }

    std::unique_ptr<ArmClient> mintedClient(const QString &audience, const QStringList &roles)
    {
        const QByteArray token = m_endpoint.mint(audience, {{u"roles"_s, QJsonArray::fromStringList(roles)}});
        return std::make_unique<ArmClient>(std::make_shared<FixedBearer>(token), options());
    }

    QString resourceId() const
    {
        return u"/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.SignalRService/webPubSub/emulator"_s;
    }

    HubSettings put(ArmClient &client, const QString &hub, const HubSettings &settings,
                    bool *created = nullptr)
    {
        HubJob *job = client.createOrUpdateHub(resourceId(), hub, settings);
        EXPECT_TRUE(finishes(job));
        EXPECT_FALSE(job->hasError()) << job->error().toString().toStdString();
        if (created)
            *created = job->created();
        return job->hub();
    }

    AuthEnvironmentGuard m_guard;
    TokenEndpoint m_endpoint;
    QTemporaryDir m_dir;
    EmulatorProcess m_emulator;
    std::unique_ptr<wps::auth::CredentialChain> m_chain;
};

/// Connects a WebSocket client without a token; true when the emulator accepted it.
bool anonymousConnect(const QUrl &endpoint, const QString &hub)
{
    QWebSocket socket;
    QUrl url = endpoint;
    url.setScheme(u"ws"_s);
    url.setPath(u"/client/hubs/"_s + hub);
    bool connected = false;
    bool failed = false;
    QObject::connect(&socket, &QWebSocket::connected, &socket, [&] { connected = true; });
    QObject::connect(&socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), &socket,
                     [&](QAbstractSocket::SocketError) { failed = true; });
    QObject::connect(&socket, &QWebSocket::disconnected, &socket, [&] { failed = true; });
    socket.open(url);
    EXPECT_TRUE(QTest::qWaitFor([&] { return connected || failed; }, 15000));
    socket.close();
    return connected;
}

} // namespace

TEST_F(ArmClientTest, ListGetPutAndTheEmulatorFollows)
{
    auto client = entraClient();
    ASSERT_TRUE(client);

    ArmListJob *subscriptions = client->listSubscriptions();
    ASSERT_TRUE(finishes(subscriptions));
    ASSERT_FALSE(subscriptions->hasError()) << subscriptions->error().toString().toStdString();
    ASSERT_EQ(subscriptions->subscriptions().size(), 1);
    const QString subscription = subscriptions->subscriptions().constFirst().subscriptionId;
    EXPECT_FALSE(subscription.isEmpty());

    ArmListJob *resources = client->listWebPubSub(subscription);
    ASSERT_TRUE(finishes(resources));
    ASSERT_FALSE(resources->hasError()) << resources->error().toString().toStdString();
    ASSERT_EQ(resources->resources().size(), 1);
    const WebPubSubResource resource = resources->resources().constFirst();
    EXPECT_EQ(resource.name, u"emulator"_s);
    EXPECT_TRUE(checkResourceId(resource.id).isEmpty()) << resource.id.toStdString();
    EXPECT_FALSE(resource.resourceGroup.isEmpty());

    // Before: no hub settings, and an anonymous client is refused.
    ArmListJob *none = client->listHubs(resource.id);
    ASSERT_TRUE(finishes(none));
    ASSERT_FALSE(none->hasError());
    EXPECT_TRUE(none->hubs().isEmpty());
    EXPECT_FALSE(anonymousConnect(m_emulator.endpoint(), u"chat"_s));

    HubSettings settings;
    settings.anonymousConnect = true;
    EventHandler handler;
    handler.urlTemplate = u"http://127.0.0.1:9/api/{hub}/{event}"_s;
    handler.userEventPattern = u"*"_s;
    handler.systemEvents = {u"connected"_s};
    settings.eventHandlers = {handler};
    bool created = false;
    const HubSettings answered = put(*client, u"chat"_s, settings, &created);
    EXPECT_TRUE(created);
    EXPECT_EQ(answered.name, u"chat"_s);
    EXPECT_TRUE(answered.anonymousConnect);

    HubJob *get = client->getHub(resource.id, u"chat"_s);
    ASSERT_TRUE(finishes(get));
    ASSERT_FALSE(get->hasError()) << get->error().toString().toStdString();
    EXPECT_TRUE(get->hub().anonymousConnect);
    ASSERT_EQ(get->hub().eventHandlers.size(), 1);
    EXPECT_EQ(get->hub().eventHandlers.constFirst().urlTemplate, handler.urlTemplate);
    EXPECT_EQ(get->hub().eventHandlers.constFirst().userEventPattern, u"*"_s);
    EXPECT_EQ(get->hub().eventHandlers.constFirst().systemEvents, QStringList{u"connected"_s});

    // The settings are live: with no handler for "connect", an anonymous client now gets in.
    HubSettings withoutConnect = get->hub();
    withoutConnect.eventHandlers.clear();
    put(*client, u"chat"_s, withoutConnect, &created);
    EXPECT_FALSE(created);
    EXPECT_TRUE(anonymousConnect(m_emulator.endpoint(), u"chat"_s));

    // Back to "deny": refused again.
    withoutConnect.anonymousConnect = false;
    put(*client, u"chat"_s, withoutConnect);
    EXPECT_FALSE(anonymousConnect(m_emulator.endpoint(), u"chat"_s));

    HubJob *removed = client->deleteHub(resource.id, u"chat"_s);
    ASSERT_TRUE(finishes(removed));
    EXPECT_FALSE(removed->hasError()) << removed->error().toString().toStdString();
    HubJob *gone = client->getHub(resource.id, u"chat"_s);
    ASSERT_TRUE(finishes(gone));
    ASSERT_TRUE(gone->hasError());
    EXPECT_EQ(gone->error().httpStatus, 404);
    EXPECT_EQ(gone->error().code, u"ResourceNotFound"_s);
}

TEST_F(ArmClientTest, ListKeysAndRegenerateChangesTheEmulatorsKey)
{
    auto client = entraClient();
    ASSERT_TRUE(client);
    KeysJob *keys = client->listKeys(resourceId());
    ASSERT_TRUE(finishes(keys));
    ASSERT_FALSE(keys->hasError()) << keys->error().toString().toStdString();
    const QString oldKey = m_emulator.connectionString().accessKey();
    EXPECT_EQ(keys->keys().primaryKey, oldKey);
    EXPECT_TRUE(keys->keys().primaryConnectionString.contains(oldKey));

    // The data plane with the old key works before ...
    wps::service::ServiceClient before(m_emulator.connectionString(), u"chat"_s);
    auto *sent = before.sendToAll(wps::service::Message::text(u"hi"_s));
    ASSERT_TRUE(QTest::qWaitFor([sent] { return sent->isFinished(); }, 20000));
    EXPECT_FALSE(sent->hasError()) << sent->error().toString().toStdString();

    KeysJob *regenerated = client->regenerateKey(resourceId(), KeyType::Primary);
    ASSERT_TRUE(finishes(regenerated));
    ASSERT_FALSE(regenerated->hasError()) << regenerated->error().toString().toStdString();
    const QString newKey = regenerated->keys().primaryKey;
    EXPECT_FALSE(newKey.isEmpty());
    EXPECT_NE(newKey, oldKey);

    // ... and is refused after; the new key works.
    wps::service::ServiceClient stale(m_emulator.connectionString(), u"chat"_s);
    wps::service::ServiceClientOptions noRetry;
    noRetry.retry.maxRetries = 0;
    stale.setOptions(noRetry);
    auto *refused = stale.sendToAll(wps::service::Message::text(u"hi"_s));
    ASSERT_TRUE(QTest::qWaitFor([refused] { return refused->isFinished(); }, 20000));
    ASSERT_TRUE(refused->hasError());
    EXPECT_EQ(refused->error().httpStatus, 401);

    auto fresh = wps::ConnectionString::parse(regenerated->keys().primaryConnectionString);
    ASSERT_TRUE(fresh.hasValue());
    wps::service::ServiceClient current(*fresh, u"chat"_s);
    auto *accepted = current.sendToAll(wps::service::Message::text(u"hi"_s));
    ASSERT_TRUE(QTest::qWaitFor([accepted] { return accepted->isFinished(); }, 20000));
    EXPECT_FALSE(accepted->hasError()) << accepted->error().toString().toStdString();
}

TEST_F(ArmClientTest, EachArmRefusalArrivesAsATypedErrorWithItsCode)
{
    // 401: a data-plane token is not a management token.
    auto wrongAudience = mintedClient(u"https://webpubsub.azure.com"_s, {u"Contributor"_s});
    ArmListJob *unauthorized = wrongAudience->listHubs(resourceId());
    ASSERT_TRUE(finishes(unauthorized));
    ASSERT_TRUE(unauthorized->hasError());
    EXPECT_EQ(unauthorized->error().httpStatus, 401);
    EXPECT_EQ(unauthorized->error().code, u"InvalidAuthenticationToken"_s);

    // 403: a Reader may read but not write or list keys.
    auto reader = mintedClient(u"https://management.azure.com"_s, {u"Reader"_s});
    ArmListJob *readable = reader->listHubs(resourceId());
    ASSERT_TRUE(finishes(readable));
    EXPECT_FALSE(readable->hasError()) << readable->error().toString().toStdString();
    HubJob *forbidden = reader->createOrUpdateHub(resourceId(), u"chat"_s, HubSettings());
    ASSERT_TRUE(finishes(forbidden));
    ASSERT_TRUE(forbidden->hasError());
    EXPECT_EQ(forbidden->error().httpStatus, 403);
    EXPECT_EQ(forbidden->error().code, u"AuthorizationFailed"_s);
    KeysJob *keys = reader->listKeys(resourceId());
    ASSERT_TRUE(finishes(keys));
    ASSERT_TRUE(keys->hasError());
    EXPECT_EQ(keys->error().httpStatus, 403);

    // 404: another resource name, and a hub without settings.
    auto contributor = mintedClient(u"https://management.azure.com"_s, {u"Contributor"_s});
    HubJob *otherResource = contributor->getHub(
        u"/subscriptions/s/resourceGroups/rg/providers/Microsoft.SignalRService/webPubSub/other"_s,
        u"chat"_s);
    ASSERT_TRUE(finishes(otherResource));
    ASSERT_TRUE(otherResource->hasError());
    EXPECT_EQ(otherResource->error().httpStatus, 404);
    EXPECT_EQ(otherResource->error().code, u"ResourceNotFound"_s);
    HubJob *missing = contributor->getHub(resourceId(), u"nothere"_s);
    ASSERT_TRUE(finishes(missing));
    ASSERT_TRUE(missing->hasError());
    EXPECT_EQ(missing->error().httpStatus, 404);

    // 400: the emulator validates the settings like ARM.
    HubSettings bad;
    EventHandler handler;
    handler.urlTemplate = u"ftp://example/"_s;
    bad.eventHandlers = {handler};
    HubJob *invalid = contributor->createOrUpdateHub(resourceId(), u"chat"_s, bad);
    ASSERT_TRUE(finishes(invalid));
    ASSERT_TRUE(invalid->hasError());
    EXPECT_EQ(invalid->error().httpStatus, 400);
    EXPECT_EQ(invalid->error().code, u"InvalidRequestContent"_s);

    // Refused before sending: not a resource id.
    ArmListJob *notAnId = contributor->listHubs(u"/subscriptions/s"_s);
    ASSERT_TRUE(finishes(notAnId));
    ASSERT_TRUE(notAnId->hasError());
    EXPECT_EQ(notAnId->error().kind, ServiceError::Kind::InvalidInput);
}

TEST_F(ArmClientTest, HubListingFollowsNextLink)
{
    auto client = mintedClient(u"https://management.azure.com"_s, {u"Owner"_s});
    for (int i = 0; i < 23; ++i)
        put(*client, u"hub%1"_s.arg(i, 2, 10, QChar(u'0')), HubSettings());
    ArmListJob *list = client->listHubs(resourceId());
    ASSERT_TRUE(finishes(list));
    ASSERT_FALSE(list->hasError()) << list->error().toString().toStdString();
    EXPECT_EQ(list->hubs().size(), 23);
    EXPECT_EQ(list->pages(), 3);
    EXPECT_EQ(list->hubs().constLast().name, u"hub22"_s);
}

TEST(ArmClientFaults, PutAcceptedIsPolledThenRead)
{
    FaultServer server;
    const quint16 port = server.listen();
    ASSERT_NE(port, 0);
    const QByteArray op =
        "http://127.0.0.1:" + QByteArray::number(port) + "/operations/1?api-version=2024-03-01";
    server.enqueue(
        FaultServer::Response::answer(202, {}, {{"Azure-AsyncOperation", op}, {"Retry-After", "0"}}));
    server.enqueue(FaultServer::Response::answer(200, R"({"status":"InProgress"})", {{"Retry-After", "0"}}));
    server.enqueue(FaultServer::Response::answer(200, R"({"status":"Succeeded"})"));
    server.enqueue(FaultServer::Response::answer(
        200, R"({"name":"chat","properties":{"anonymousConnectPolicy":"Allow","eventHandlers":[]}})"));
    ArmClientOptions options;
    options.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    options.pollInterval = std::chrono::milliseconds(10);
    ArmClient client(std::make_shared<FixedBearer>("t"), options);
    HubJob *job = client.createOrUpdateHub(
        u"/subscriptions/s/resourceGroups/rg/providers/Microsoft.SignalRService/webPubSub/w"_s, u"chat"_s,
        HubSettings());
    ASSERT_TRUE(finishes(job));
    ASSERT_FALSE(job->hasError()) << job->error().toString().toStdString();
    EXPECT_EQ(job->polls(), 2);
    EXPECT_EQ(job->hub().name, u"chat"_s);
    EXPECT_TRUE(job->hub().anonymousConnect);
    ASSERT_EQ(server.requestCount(), 4);
    EXPECT_TRUE(server.requests().at(0).startsWith("PUT /subscriptions/s/"));
    EXPECT_TRUE(server.requests().at(1).startsWith("GET /operations/1"));
    EXPECT_TRUE(server.requests().at(3).startsWith("GET /subscriptions/s/"));
}

TEST(ArmClientFaults, AFailedOperationReportsItsErrorAndForeignNextLinksAreNotFollowed)
{
    FaultServer server;
    const quint16 port = server.listen();
    ASSERT_NE(port, 0);
    const QByteArray op = "http://127.0.0.1:" + QByteArray::number(port) + "/operations/2";
    server.enqueue(
        FaultServer::Response::answer(202, {}, {{"Azure-AsyncOperation", op}, {"Retry-After", "0"}}));
    server.enqueue(FaultServer::Response::answer(
        200, R"({"status":"Failed","error":{"code":"Conflict","message":"Another operation is running."}})"));
    // A listing whose nextLink points elsewhere: the token must not follow it.
    server.enqueue(FaultServer::Response::answer(
        200, R"({"value":[{"name":"a"}],"nextLink":"http://203.0.113.1/subscriptions?page=2"})"));
    ArmClientOptions options;
    options.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    options.pollInterval = std::chrono::milliseconds(10);
    ArmClient client(std::make_shared<FixedBearer>("t"), options);
    const QString id = u"/subscriptions/s/resourceGroups/rg/providers/Microsoft.SignalRService/webPubSub/w"_s;
    HubJob *job = client.deleteHub(id, u"chat"_s);
    ASSERT_TRUE(finishes(job));
    ASSERT_TRUE(job->hasError());
    EXPECT_EQ(job->error().code, u"Conflict"_s);
    EXPECT_EQ(job->error().message, u"Another operation is running."_s);

    ArmListJob *list = client.listSubscriptions();
    ASSERT_TRUE(finishes(list));
    ASSERT_TRUE(list->hasError());
    EXPECT_TRUE(list->error().message.contains(u"another host"_s)) << list->error().message.toStdString();
    EXPECT_EQ(server.requestCount(), 3);
}

TEST(ArmModels, HubSettingsKeepUnknownFields)
{
    const QByteArray json = R"({"id":"/x/hubs/chat","name":"chat","type":"t","properties":{
        "anonymousConnectPolicy":"deny","futureField":{"a":1},"provisioningState":"Succeeded",
        "eventHandlers":[{"urlTemplate":"https://h/{event}","systemEvents":["connect"],"newKnob":true,
                          "auth":{"type":"ManagedIdentity","managedIdentity":{"resource":"api://x"}}}],
        "eventListeners":[{"filter":{"type":"EventName"}}]}})";
    HubSettings hub = HubSettings::fromJson(QJsonDocument::fromJson(json).object());
    EXPECT_FALSE(hub.anonymousConnect);
    ASSERT_EQ(hub.eventHandlers.size(), 1);
    EXPECT_EQ(hub.eventHandlers.constFirst().authType, u"ManagedIdentity"_s);
    EXPECT_EQ(hub.eventHandlers.constFirst().authResource, u"api://x"_s);
    hub.anonymousConnect = true;
    hub.eventHandlers[0].userEventPattern = u"message"_s;
    hub.keepAliveSeconds = 30;
    const QJsonObject body = hub.toPutBody();
    EXPECT_FALSE(body.contains(u"id"_s));
    const QJsonObject properties = body.value(u"properties"_s).toObject();
    EXPECT_EQ(properties.value(u"anonymousConnectPolicy"_s).toString(), u"allow"_s);
    EXPECT_EQ(properties.value(u"futureField"_s).toObject().value(u"a"_s).toInt(), 1);
    EXPECT_EQ(properties.value(u"eventListeners"_s).toArray().size(), 1);
    EXPECT_FALSE(properties.contains(u"provisioningState"_s));
    EXPECT_EQ(properties.value(u"webSocketKeepAliveIntervalInSeconds"_s).toInt(), 30);
    const QJsonObject handler = properties.value(u"eventHandlers"_s).toArray().at(0).toObject();
    EXPECT_TRUE(handler.value(u"newKnob"_s).toBool());
    EXPECT_EQ(handler.value(u"userEventPattern"_s).toString(), u"message"_s);
    EXPECT_EQ(handler.value(u"auth"_s).toObject().value(u"managedIdentity"_s).toObject().value(u"resource"_s),
              u"api://x"_s);
}

TEST(ArmModels, GroupPresenceEventsRoundTripWithUnknownFieldsAndCanBeRemoved)
{
    const QByteArray json = R"({"name":"chat","properties":{"eventHandlers":[
        {"urlTemplate":"https://h/{event}","groupPresenceEvents":{"eventNames":["joined"],"groupFilters":["room*"],
                                                                  "futureKnob":7}},
        {"urlTemplate":"https://h2/{event}","groupPresenceEvents":null},
        {"urlTemplate":"https://h3/{event}"}]}})";
    HubSettings hub = HubSettings::fromJson(QJsonDocument::fromJson(json).object());
    ASSERT_EQ(hub.eventHandlers.size(), 3);
    EXPECT_EQ(hub.eventHandlers.at(0).groupPresenceEvents,
              (GroupPresenceEvents{{u"joined"_s}, {u"room*"_s}}));
    EXPECT_FALSE(hub.eventHandlers.at(1).groupPresenceEvents);
    EXPECT_FALSE(hub.eventHandlers.at(2).groupPresenceEvents);

    hub.eventHandlers[0].groupPresenceEvents->eventNames << u"left"_s;
    hub.eventHandlers[2].groupPresenceEvents = GroupPresenceEvents{{u"left"_s}, {}};
    const QJsonArray handlers =
        hub.toPutBody().value(u"properties"_s).toObject().value(u"eventHandlers"_s).toArray();
    ASSERT_EQ(handlers.size(), 3);
    const QJsonObject first = handlers.at(0).toObject().value(u"groupPresenceEvents"_s).toObject();
    EXPECT_EQ(first.value(u"eventNames"_s).toArray(), (QJsonArray{u"joined"_s, u"left"_s}));
    EXPECT_EQ(first.value(u"groupFilters"_s).toArray(), (QJsonArray{u"room*"_s}));
    EXPECT_EQ(first.value(u"futureKnob"_s).toInt(), 7); // unknown fields inside survive
    EXPECT_FALSE(handlers.at(1).toObject().contains(u"groupPresenceEvents"_s));
    const QJsonObject third = handlers.at(2).toObject().value(u"groupPresenceEvents"_s).toObject();
    EXPECT_EQ(third.value(u"eventNames"_s).toArray(), (QJsonArray{u"left"_s}));
    EXPECT_EQ(third.value(u"groupFilters"_s).toArray(), QJsonArray());

    // Removing the setting removes it from the body.
    hub.eventHandlers[0].groupPresenceEvents.reset();
    EXPECT_FALSE(hub.toPutBody()
                     .value(u"properties"_s)
                     .toObject()
                     .value(u"eventHandlers"_s)
                     .toArray()
                     .at(0)
                     .toObject()
                     .contains(u"groupPresenceEvents"_s));
}

TEST(ArmClientFaults, HubSettingsUseThePreviewApiVersion)
{
    // groupPresenceEvents exist only from 2025-08-01-preview on: a read-modify-PUT at an older version
    // would drop them. Other webPubSub calls stay on the stable version.
    FaultServer server;
    const quint16 port = server.listen();
    ASSERT_NE(port, 0);
    server.setDefault(
        FaultServer::Response::answer(200, R"({"name":"chat","properties":{"eventHandlers":[]}})"));
    ArmClientOptions options;
    options.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    ArmClient client(std::make_shared<FixedBearer>("t"), options);
    HubJob *job = client.getHub(
        u"/subscriptions/s/resourceGroups/rg/providers/Microsoft.SignalRService/webPubSub/w"_s, u"chat"_s);
    ASSERT_TRUE(finishes(job));
    ASSERT_FALSE(job->hasError()) << job->error().toString().toStdString();
    ASSERT_EQ(server.requestCount(), 1);
    EXPECT_TRUE(server.requests().constFirst().startsWith("GET ")) << server.requests().constFirst().data();
    EXPECT_TRUE(server.requests().constFirst().contains("/hubs/chat?api-version=2025-08-01-preview"))
        << server.requests().constFirst().data();
    EXPECT_EQ(options.apiVersion, u"2024-03-01"_s);
}
