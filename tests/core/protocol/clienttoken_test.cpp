// Client access tokens and URLs, compared with what the JS SDK makes (docs/protocol.md#service-sdk,
// docs/protocol.md#client-tokens-and-urls).
#include "protocol/clienttoken.h"
#include "protocol/connectionstring.h"
#include "protocol/jwt.h"
#include "support/printers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using namespace wps;

namespace {

const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1735689600, Qt::UTC);

ConnectionString connection(const QString &text)
{
    auto cs = ConnectionString::parse(text);
    EXPECT_TRUE(cs.hasValue());
    return cs ? *cs : ConnectionString();
}

QJsonObject verified(const ClientAccess &access, const QByteArray &key)
{
    jwt::VerifyOptions options;
    options.now = kNow;
    auto claims = jwt::verifyHs256(access.token, {key}, options);
    EXPECT_TRUE(claims.hasValue()) << (claims ? std::string() : claims.error().message.toStdString());
    return claims ? *claims : QJsonObject();
}

} // namespace

TEST(ClientToken, ClaimsAsTheJsSdkMakesThem)
{
    const auto cs = connection(u"Endpoint=http://127.0.0.1;Port=8080;AccessKey=secret-key;Version=1.0;"_s);
    ClientTokenOptions options;
    options.userId = u"alice"_s;
    options.roles = QStringList{u"webpubsub.joinLeaveGroup.g1"_s, u"webpubsub.sendToGroup"_s};
    options.groups = QStringList{u"g1"_s};
    options.lifetime = std::chrono::minutes(30);
    options.now = kNow;
    const ClientAccess access = makeClientAccess(cs, u"Chat_Hub"_s, options);

    EXPECT_EQ(QByteArray::fromBase64(access.token.split('.').value(0), QByteArray::Base64UrlEncoding),
              R"({"alg":"HS256","typ":"JWT"})"_ba);
    const QJsonObject claims = verified(access, "secret-key"_ba);
    EXPECT_EQ(claims.value(u"aud"_s).toString(), u"http://127.0.0.1:8080/client/hubs/Chat_Hub"_s);
    EXPECT_EQ(claims.value(u"sub"_s).toString(), u"alice"_s);
    EXPECT_EQ(claims.value(u"role"_s).toArray(),
              (QJsonArray{u"webpubsub.joinLeaveGroup.g1"_s, u"webpubsub.sendToGroup"_s}));
    EXPECT_EQ(claims.value(u"webpubsub.group"_s).toArray(), QJsonArray{u"g1"_s});
    EXPECT_EQ(claims.value(u"iat"_s).toInteger(), kNow.toSecsSinceEpoch());
    EXPECT_EQ(claims.value(u"exp"_s).toInteger(), claims.value(u"iat"_s).toInteger() + 30 * 60);
    EXPECT_FALSE(claims.contains(u"group"_s));

    EXPECT_EQ(access.baseUrl, QUrl(u"ws://127.0.0.1:8080/client/hubs/Chat_Hub"_s));
    EXPECT_EQ(access.url.toString(QUrl::RemoveQuery), u"ws://127.0.0.1:8080/client/hubs/Chat_Hub"_s);
    EXPECT_EQ(QUrlQuery(access.url).queryItemValue(u"access_token"_s), QString::fromLatin1(access.token));
    EXPECT_EQ(access.expiresAt, kNow.addSecs(30 * 60));
}

TEST(ClientToken, DefaultLifetimeIsOneHourAndAnonymousHasNoSub)
{
    const auto cs = connection(u"Endpoint=https://contoso.webpubsub.azure.com;AccessKey=k;Version=1.0;"_s);
    ClientTokenOptions options;
    options.now = kNow;
    const ClientAccess access = makeClientAccess(cs, u"chat"_s, options);
    const QJsonObject claims = verified(access, "k"_ba);
    EXPECT_EQ(claims.value(u"exp"_s).toInteger() - claims.value(u"iat"_s).toInteger(), 3600);
    EXPECT_FALSE(claims.contains(u"sub"_s));
    EXPECT_FALSE(claims.contains(u"role"_s));
    EXPECT_FALSE(claims.contains(u"webpubsub.group"_s));
    EXPECT_EQ(claims.value(u"aud"_s).toString(), u"https://contoso.webpubsub.azure.com/client/hubs/chat"_s);
    EXPECT_EQ(access.baseUrl, QUrl(u"wss://contoso.webpubsub.azure.com/client/hubs/chat"_s));
}

TEST(ClientToken, MqttAndSocketIoUseTheirOwnClientPaths)
{
    const auto cs = connection(u"Endpoint=https://h.example;AccessKey=k"_s);
    ClientTokenOptions options;
    options.now = kNow;
    options.protocol = ClientProtocol::Mqtt;
    ClientAccess access = makeClientAccess(cs, u"hub1"_s, options);
    EXPECT_EQ(access.baseUrl, QUrl(u"wss://h.example/clients/mqtt/hubs/hub1"_s));
    EXPECT_EQ(verified(access, "k"_ba).value(u"aud"_s).toString(),
              u"https://h.example/clients/mqtt/hubs/hub1"_s);

    options.protocol = ClientProtocol::SocketIo;
    access = makeClientAccess(cs, u"hub1"_s, options);
    EXPECT_EQ(access.baseUrl, QUrl(u"wss://h.example/clients/socketio/hubs/hub1"_s));
    EXPECT_EQ(verified(access, "k"_ba).value(u"aud"_s).toString(),
              u"https://h.example/clients/socketio/hubs/hub1"_s);
}

TEST(ClientToken, AudienceMatchesTheClientUrl)
{
    const auto cs = connection(u"Endpoint=http://localhost:5000;AccessKey=k"_s);
    ClientTokenOptions options;
    options.now = kNow;
    const ClientAccess access = makeClientAccess(cs, u"chat"_s, options);
    const QString aud = verified(access, "k"_ba).value(u"aud"_s).toString();
    EXPECT_TRUE(jwt::audienceMatches(aud, access.url));
    EXPECT_FALSE(jwt::audienceMatches(aud, QUrl(u"ws://localhost:5001/client/hubs/chat"_s)));
    EXPECT_FALSE(jwt::audienceMatches(aud, QUrl(u"ws://localhost:5000/client/hubs/other"_s)));
}

TEST(ClientToken, PathPrefixOfTheEndpointIsKept)
{
    const auto cs = connection(u"Endpoint=http://127.0.0.1/pfx;Port=9000;AccessKey=k"_s);
    ClientTokenOptions options;
    options.now = kNow;
    const ClientAccess access = makeClientAccess(cs, u"chat"_s, options);
    EXPECT_EQ(access.baseUrl, QUrl(u"ws://127.0.0.1:9000/pfx/client/hubs/chat"_s));
    EXPECT_EQ(verified(access, "k"_ba).value(u"aud"_s).toString(),
              u"http://127.0.0.1:9000/pfx/client/hubs/chat"_s);
}

TEST(ClientToken, AForeignTokenGoesIntoTheUrlWithItsExpiry)
{
    const auto cs = connection(u"Endpoint=https://h.example;AccessKey=k"_s);
    const QByteArray token = jwt::signHs256(QJsonObject{{u"exp"_s, 1735693200}}, "other"_ba);
    const ClientAccess access = clientAccessForToken(cs, u"chat"_s, ClientProtocol::Default, token);
    EXPECT_EQ(access.baseUrl, QUrl(u"wss://h.example/client/hubs/chat"_s));
    EXPECT_EQ(QUrlQuery(access.url).queryItemValue(u"access_token"_s), QString::fromLatin1(token));
    EXPECT_EQ(access.expiresAt, QDateTime::fromSecsSinceEpoch(1735693200, Qt::UTC));
    // Not a JWT at all: still a URL, no expiry.
    EXPECT_FALSE(
        clientAccessForToken(cs, u"chat"_s, ClientProtocol::Default, "opaque"_ba).expiresAt.isValid());
}

TEST(ClientToken, ProtocolsMapToPathsAndParseByNameCaseInsensitively)
{
    EXPECT_EQ(clientPath(ClientProtocol::Default, u"h"_s), u"/client/hubs/h"_s);
    EXPECT_EQ(clientPath(ClientProtocol::Mqtt, u"h"_s), u"/clients/mqtt/hubs/h"_s);
    EXPECT_EQ(clientPath(ClientProtocol::SocketIo, u"h"_s), u"/clients/socketio/hubs/h"_s);
    ClientProtocol p = ClientProtocol::Default;
    EXPECT_TRUE(parseClientProtocol(u"MQTT", &p));
    EXPECT_EQ(p, ClientProtocol::Mqtt);
    EXPECT_TRUE(parseClientProtocol(u"socketio", &p));
    EXPECT_EQ(p, ClientProtocol::SocketIo);
    EXPECT_FALSE(parseClientProtocol(u"signalr", &p));
    EXPECT_EQ(p, ClientProtocol::SocketIo);
    EXPECT_EQ(clientProtocolName(ClientProtocol::Default), u"default"_s);
}
