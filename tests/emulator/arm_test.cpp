// The emulator's ARM paths (docs/arm.md) over raw HTTP: authentication with an access-key bearer token,
// ARM-shaped errors, validation of hub settings, keys. ArmClient's end-to-end tests are in tests/core/arm.
#include "protocol/jwt.h"
#include "service/serviceclient.h"
#include "support/emulatorprocess.h"
#include "support/printers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using wps::test::EmulatorProcess;

namespace {

struct Answer
{
    int status = 0;
    QJsonObject body;
    QByteArray wwwAuthenticate;
};

class ArmApiTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(m_emulator.start()) << m_emulator.errorText().toStdString(); }

    QUrl url(const QString &path, const QString &query = u"api-version=2024-03-01"_s) const
    {
        QUrl url = m_emulator.endpoint();
        url.setPath(path);
        url.setQuery(query);
        return url;
    }

    QString hubPath(const QString &hub = {}) const
    {
        const QString base =
            u"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.SignalRService/webPubSub/emulator"_s;
        return hub.isEmpty() ? QString(base + u"/hubs"_s) : QString(base + u"/hubs/"_s + hub);
    }

    /// An HS256 bearer token signed with \a key for \a target (the emulator's local convenience).
    static QByteArray keyToken(const QString &key, const QUrl &target)
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        return wps::jwt::signHs256(
            QJsonObject{{u"aud"_s, target.toString()}, {u"iat"_s, now}, {u"exp"_s, now + 600}}, key.toUtf8());
    }

    Answer call(const QByteArray &method, const QUrl &target, const QJsonObject &body = {},
                std::optional<QByteArray> token = std::nullopt)
    {
        QNetworkRequest request(target);
        const QByteArray bearer =
            token ? *token : keyToken(m_emulator.connectionString().accessKey(), target);
        if (!bearer.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + bearer);
        QByteArray data;
        if (!body.isEmpty()) {
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            data = QJsonDocument(body).toJson(QJsonDocument::Compact);
        }
        QNetworkReply *reply = m_network.sendCustomRequest(request, method, data);
        EXPECT_TRUE(QTest::qWaitFor([reply] { return reply->isFinished(); }, 15000));
        Answer answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.body = QJsonDocument::fromJson(reply->readAll()).object();
        answer.wwwAuthenticate = reply->rawHeader("WWW-Authenticate");
        reply->deleteLater();
        return answer;
    }

    static QString errorCode(const Answer &answer)
    {
        return answer.body.value(u"error"_s).toObject().value(u"code"_s).toString();
    }

    EmulatorProcess m_emulator;
    QNetworkAccessManager m_network;
};

} // namespace

TEST_F(ArmApiTest, AuthenticationErrorsAreArmShaped)
{
    const Answer none = call("GET", url(u"/subscriptions"_s), {}, QByteArray());
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(errorCode(none), u"AuthenticationFailed"_s);
    EXPECT_TRUE(none.wwwAuthenticate.startsWith("Bearer"));

    const Answer wrongKey =
        call("GET", url(u"/subscriptions"_s), {}, keyToken(u"not-the-key"_s, url(u"/subscriptions"_s)));
    EXPECT_EQ(wrongKey.status, 401);
    EXPECT_EQ(errorCode(wrongKey), u"InvalidAuthenticationToken"_s);

    // An RS256 token while the config has no entraId section.
    const QByteArray rs256 =
        QByteArray(R"({"alg":"RS256","typ":"JWT"})").toBase64(QByteArray::Base64UrlEncoding) + ".e30.c2ln";
    const Answer entra = call("GET", url(hubPath()), {}, rs256);
    EXPECT_EQ(entra.status, 401);
    EXPECT_EQ(errorCode(entra), u"InvalidAuthenticationToken"_s);

    const Answer ok = call("GET", url(u"/subscriptions"_s, u"api-version=2022-12-01"_s));
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.body.value(u"value"_s).toArray().size(), 1);
}

TEST_F(ArmApiTest, AMissingOrUnknownApiVersionIs400AndOtherProvidersAre404)
{
    const Answer missing = call("GET", url(hubPath(), {}));
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(errorCode(missing), u"MissingApiVersionParameter"_s);
    const Answer unsupported = call("GET", url(hubPath(), u"api-version=1999-01-01"_s));
    EXPECT_EQ(unsupported.status, 400);
    EXPECT_EQ(errorCode(unsupported), u"InvalidApiVersionParameter"_s);
    const Answer other = call("GET", url(u"/subscriptions/s1/providers/Microsoft.Web/sites"_s));
    EXPECT_EQ(other.status, 404);
    const Answer list = call("GET", url(u"/subscriptions/s9/providers/Microsoft.SignalRService/webPubSub"_s));
    ASSERT_EQ(list.status, 200);
    const QJsonObject resource = list.body.value(u"value"_s).toArray().at(0).toObject();
    EXPECT_TRUE(resource.value(u"id"_s).toString().startsWith(u"/subscriptions/s9/resourceGroups/"_s));
    EXPECT_EQ(resource.value(u"type"_s).toString(), u"Microsoft.SignalRService/WebPubSub"_s);
    EXPECT_EQ(call("POST", url(hubPath(u"chat"_s))).status, 405);
}

TEST_F(ArmApiTest, HubSettingsArePutReadAndDeletedAndInvalidOnesChangeNothing)
{
    const QJsonObject settings{
        {u"properties"_s,
         QJsonObject{{u"anonymousConnectPolicy"_s, u"Allow"_s},
                     {u"webSocketKeepAliveIntervalInSeconds"_s, 15},
                     {u"eventHandlers"_s,
                      QJsonArray{QJsonObject{{u"urlTemplate"_s, u"http://127.0.0.1:9/{hub}/{event}"_s},
                                             {u"userEventPattern"_s, u"a,b"_s},
                                             {u"systemEvents"_s, QJsonArray{u"Connected"_s}}}}}}}};
    const Answer created = call("PUT", url(hubPath(u"chat"_s)), settings);
    EXPECT_EQ(created.status, 201);
    const Answer updated = call("PUT", url(hubPath(u"chat"_s)), settings);
    EXPECT_EQ(updated.status, 200);
    const Answer got = call("GET", url(hubPath(u"chat"_s)));
    ASSERT_EQ(got.status, 200);
    const QJsonObject properties = got.body.value(u"properties"_s).toObject();
    EXPECT_EQ(properties.value(u"anonymousConnectPolicy"_s).toString(), u"allow"_s);
    EXPECT_EQ(properties.value(u"webSocketKeepAliveIntervalInSeconds"_s).toInt(), 15);
    const QJsonObject handler = properties.value(u"eventHandlers"_s).toArray().at(0).toObject();
    EXPECT_EQ(handler.value(u"userEventPattern"_s).toString(), u"a,b"_s);
    EXPECT_EQ(handler.value(u"systemEvents"_s).toArray(), QJsonArray{u"connected"_s});
    EXPECT_EQ(got.body.value(u"type"_s).toString(), u"Microsoft.SignalRService/WebPubSub/hubs"_s);

    const auto bad = [&](const QJsonObject &propertiesValue) {
        const Answer answer = call("PUT", url(hubPath(u"chat"_s)), {{u"properties"_s, propertiesValue}});
        EXPECT_EQ(answer.status, 400);
        EXPECT_EQ(errorCode(answer), u"InvalidRequestContent"_s);
        return answer.body.value(u"error"_s).toObject().value(u"message"_s).toString();
    };
    EXPECT_TRUE(bad({{u"anonymousConnectPolicy"_s, u"maybe"_s}}).contains(u"anonymousConnectPolicy"_s));
    EXPECT_TRUE(bad({{u"webSocketKeepAliveIntervalInSeconds"_s, 500}}).contains(u"KeepAlive"_s));
    EXPECT_TRUE(bad({{u"eventHandlers"_s, QJsonArray{QJsonObject{{u"urlTemplate"_s, u"x"_s}}}}})
                    .contains(u"eventHandlers[0].urlTemplate"_s));
    EXPECT_TRUE(
        bad({{u"eventHandlers"_s, QJsonArray{QJsonObject{{u"urlTemplate"_s, u"http://h/"_s},
                                                         {u"systemEvents"_s, QJsonArray{u"joined"_s}}}}}})
            .contains(u"systemEvents"_s));
    EXPECT_TRUE(bad({{u"eventListeners"_s, QJsonArray{QJsonObject()}}}).contains(u"eventListeners"_s));
    // {event} and {hub} only in the path or query: never where they would pick the host, port, scheme or
    // credentials (issue 15).
    for (const QString &hostile : {u"http://{event}.example/x"_s, u"http://127.0.0.1:{event}/x"_s,
                                   u"http://{hub}@127.0.0.1/x"_s, u"{event}://127.0.0.1/x"_s}) {
        EXPECT_TRUE(bad({{u"eventHandlers"_s, QJsonArray{QJsonObject{{u"urlTemplate"_s, hostile}}}}})
                        .contains(u"only in the path or query"_s))
            << hostile.toStdString();
    }
    const Answer badName = call("PUT", url(hubPath(u"1bad"_s)), settings);
    EXPECT_EQ(badName.status, 400);

    // The failed PUTs changed nothing.
    EXPECT_EQ(call("GET", url(hubPath(u"chat"_s)))
                  .body.value(u"properties"_s)
                  .toObject()
                  .value(u"anonymousConnectPolicy"_s),
              u"allow"_s);
    EXPECT_EQ(call("DELETE", url(hubPath(u"chat"_s))).status, 200);
    EXPECT_EQ(call("DELETE", url(hubPath(u"chat"_s))).status, 204);
    const Answer gone = call("GET", url(hubPath(u"chat"_s)));
    EXPECT_EQ(gone.status, 404);
    EXPECT_EQ(errorCode(gone), u"ResourceNotFound"_s);
}

TEST_F(ArmApiTest, RegenerateSecondaryKeySignsRest)
{
    const QString keysPath =
        u"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.SignalRService/webPubSub/emulator"_s;
    const Answer keys = call("POST", url(keysPath + u"/listKeys"_s));
    ASSERT_EQ(keys.status, 200);
    EXPECT_EQ(keys.body.value(u"primaryKey"_s).toString(), m_emulator.connectionString().accessKey());
    const Answer bad = call("POST", url(keysPath + u"/regenerateKey"_s), {{u"keyType"_s, u"Tertiary"_s}});
    EXPECT_EQ(bad.status, 400);
    const Answer regenerated =
        call("POST", url(keysPath + u"/regenerateKey"_s), {{u"keyType"_s, u"Secondary"_s}});
    ASSERT_EQ(regenerated.status, 200);
    const QString secondary = regenerated.body.value(u"secondaryKey"_s).toString();
    ASSERT_FALSE(secondary.isEmpty());
    EXPECT_EQ(regenerated.body.value(u"primaryKey"_s).toString(), m_emulator.connectionString().accessKey());

    // The data plane accepts the new secondary key at once.
    auto connection =
        wps::ConnectionString::parse(regenerated.body.value(u"secondaryConnectionString"_s).toString());
    ASSERT_TRUE(connection.hasValue());
    wps::service::ServiceClient client(*connection, u"chat"_s);
    auto *job = client.sendToAll(wps::service::Message::text(u"hi"_s));
    ASSERT_TRUE(QTest::qWaitFor([job] { return job->isFinished(); }, 15000));
    EXPECT_FALSE(job->hasError()) << job->error().toString().toStdString();
}
