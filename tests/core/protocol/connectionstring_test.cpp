// Connection strings parsed as the SDKs do (docs/protocol.md#connection-strings).
#include "protocol/connectionstring.h"
#include "support/printers.h"

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using wps::ConnectionString;

namespace {

const QString kKey = u"s3cr3tKeyAbCdEfGhIjKlMnOpQrStUvWxYz0123456="_s;

ConnectionString parseOk(const QString &text)
{
    auto result = ConnectionString::parse(text);
    EXPECT_TRUE(result.hasValue()) << (result ? std::string() : result.error().toStdString());
    return result ? *result : ConnectionString();
}

QString parseError(const QString &text)
{
    auto result = ConnectionString::parse(text);
    EXPECT_FALSE(result.hasValue()) << text.toStdString();
    return result ? QString() : result.error();
}

} // namespace

TEST(ConnectionString, ThePortalsHttpsFormParsesWithAnEqualsSignInTheKey)
{
    const auto cs =
        parseOk(u"Endpoint=https://contoso.webpubsub.azure.com;AccessKey="_s + kKey + u";Version=1.0;"_s);
    EXPECT_EQ(cs.endpoint(), QUrl(u"https://contoso.webpubsub.azure.com"_s));
    EXPECT_EQ(cs.endpoint().port(), -1);
    EXPECT_EQ(cs.accessKey(), kKey); // '=' inside the value: split on the first '=' only
    EXPECT_TRUE(cs.hasAccessKey());
    EXPECT_EQ(cs.webSocketEndpoint(), QUrl(u"wss://contoso.webpubsub.azure.com"_s));
    EXPECT_EQ(cs.resolve(u"/api/hubs/chat/:send"),
              QUrl(u"https://contoso.webpubsub.azure.com/api/hubs/chat/:send"_s));
}

TEST(ConnectionString, AnHttpEndpointWithAPortKeyGivesWsOnThatPort)
{
    const auto cs = parseOk(u"Endpoint=http://localhost;Port=8080;AccessKey=abc;Version=1.0;"_s);
    EXPECT_EQ(cs.endpoint().scheme(), u"http"_s);
    EXPECT_EQ(cs.endpoint().host(), u"localhost"_s);
    EXPECT_EQ(cs.endpoint().port(), 8080);
    EXPECT_EQ(cs.webSocketEndpoint(), QUrl(u"ws://localhost:8080"_s));
}

TEST(ConnectionString, PortKeyOverridesEndpointPort)
{
    const auto cs = parseOk(u"Endpoint=http://127.0.0.1:1234;AccessKey=abc;Port=5678"_s);
    EXPECT_EQ(cs.endpoint().port(), 5678);
}

TEST(ConnectionString, PortInEndpointKept)
{
    EXPECT_EQ(parseOk(u"Endpoint=http://127.0.0.1:1234;AccessKey=abc"_s).endpoint().port(), 1234);
}

TEST(ConnectionString, DefaultPortIsDropped)
{
    EXPECT_EQ(parseOk(u"Endpoint=https://h.example;Port=443;AccessKey=abc"_s).endpoint().port(), -1);
    EXPECT_EQ(parseOk(u"Endpoint=http://h.example;Port=80;AccessKey=abc"_s).endpoint().port(), -1);
    EXPECT_EQ(parseOk(u"Endpoint=http://h.example;Port=443;AccessKey=abc"_s).endpoint().port(), 443);
}

TEST(ConnectionString, KeysAreCaseInsensitiveAndTrimmed)
{
    const auto cs = parseOk(u" endpoint = https://h.example ; ACCESSKEY = abc= ; version=1.0"_s);
    EXPECT_EQ(cs.endpoint(), QUrl(u"https://h.example"_s));
    EXPECT_EQ(cs.accessKey(), u"abc="_s);
}

TEST(ConnectionString, EmptySegmentsUnknownKeysAndBareWordsIgnored)
{
    const auto cs = parseOk(u";;Endpoint=https://h.example;;junk;ClientEndpoint=https://x;AccessKey=abc;;"_s);
    EXPECT_EQ(cs.endpoint().host(), u"h.example"_s);
    EXPECT_EQ(cs.accessKey(), u"abc"_s);
}

TEST(ConnectionString, TrailingSlashTrimmedAndPathPrefixKept)
{
    EXPECT_EQ(parseOk(u"Endpoint=https://h.example/;AccessKey=abc"_s).endpoint(),
              QUrl(u"https://h.example"_s));
    const auto cs = parseOk(u"Endpoint=http://127.0.0.1/pfx/;Port=9000;AccessKey=abc"_s);
    EXPECT_EQ(cs.endpoint().path(), u"/pfx"_s);
    EXPECT_EQ(cs.resolve(u"/api/health"), QUrl(u"http://127.0.0.1:9000/pfx/api/health"_s));
}

TEST(ConnectionString, MissingSchemeGetsHttps)
{
    EXPECT_EQ(parseOk(u"Endpoint=h.example;AccessKey=abc"_s).endpoint(), QUrl(u"https://h.example"_s));
    EXPECT_EQ(parseOk(u"Endpoint=contoso.webpubsub.azure.com/;AccessKey=abc"_s).endpoint(),
              QUrl(u"https://contoso.webpubsub.azure.com"_s));
}

TEST(ConnectionString, MissingSchemeWithoutAFullHostNameIsAClearError)
{
    // `Endpoint=nope` used to become https://nope and fail only later, as a name-resolution error.
    const QString nope = parseError(u"Endpoint=nope;AccessKey=abc"_s);
    EXPECT_TRUE(nope.contains(u"no scheme"_s)) << nope.toStdString();
    EXPECT_TRUE(nope.contains(u"'nope'"_s)) << nope.toStdString();
    EXPECT_TRUE(nope.contains(u"https://"_s)) << nope.toStdString();
    for (const QString &endpoint : {u"localhost"_s, u"localhost:8080"_s, u"127.0.0.1:8080"_s, u"10.0.0.1"_s,
                                    u"host./x"_s, u".example"_s})
        EXPECT_TRUE(parseError(u"Endpoint="_s + endpoint + u";AccessKey=abc"_s).contains(u"no scheme"_s))
            << endpoint.toStdString();
    // The key never leaks into the message, even when the endpoint swallowed it.
    const QString mangled = parseError(u"Endpoint=nope AccessKey="_s + kKey + u";AccessKey=abc"_s);
    EXPECT_FALSE(mangled.contains(kKey)) << mangled.toStdString();
    EXPECT_TRUE(mangled.contains(u"no scheme"_s)) << mangled.toStdString();
}

TEST(ConnectionString, SchemeAndHostAreNormalised)
{
    const auto cs = parseOk(u"Endpoint=HTTPS://Contoso.WebPubSub.Azure.com;AccessKey=abc"_s);
    EXPECT_EQ(cs.endpoint().scheme(), u"https"_s);
    EXPECT_EQ(cs.endpoint().host(), u"contoso.webpubsub.azure.com"_s);
}

TEST(ConnectionString, AnEmptyStringOrAMissingEndpointOrKeyIsRefused)
{
    EXPECT_TRUE(parseError(u""_s).contains(u"empty"_s));
    EXPECT_TRUE(parseError(u"   "_s).contains(u"empty"_s));
    EXPECT_TRUE(parseError(u"AccessKey=abc"_s).contains(u"Endpoint"_s));
    EXPECT_TRUE(parseError(u"Endpoint=;AccessKey=abc"_s).contains(u"Endpoint"_s));
    EXPECT_TRUE(parseError(u"Endpoint=https://h.example"_s).contains(u"AccessKey"_s));
    EXPECT_TRUE(parseError(u"Endpoint=https://h.example;AccessKey="_s).contains(u"AccessKey"_s));
}

TEST(ConnectionString, DuplicateKeysRefused)
{
    EXPECT_TRUE(parseError(u"Endpoint=https://a;Endpoint=https://b;AccessKey=abc"_s).contains(u"twice"_s));
    EXPECT_TRUE(parseError(u"Endpoint=https://a;AccessKey=abc;accesskey=def"_s).contains(u"twice"_s));
}

TEST(ConnectionString, PortsThatAreNotAnIntegerFrom1To65535AreRefused)
{
    for (const QString &port : {u"0"_s, u"65536"_s, u"-1"_s, u"http"_s, u"80a"_s, u""_s, u"99999999999"_s}) {
        const QString error = parseError(u"Endpoint=http://h.example;Port="_s + port + u";AccessKey=abc"_s);
        EXPECT_TRUE(error.contains(u"Port"_s)) << error.toStdString();
    }
    EXPECT_EQ(parseOk(u"Endpoint=http://h.example;Port=65535;AccessKey=abc"_s).endpoint().port(), 65535);
    EXPECT_EQ(parseOk(u"Endpoint=http://h.example;Port=1;AccessKey=abc"_s).endpoint().port(), 1);
}

TEST(ConnectionString, EndpointsThatAreNotPlainHttpOrHttpsUrlsAreRefused)
{
    EXPECT_FALSE(ConnectionString::parse(u"Endpoint=ftp://h.example;AccessKey=abc"_s).hasValue());
    EXPECT_FALSE(ConnectionString::parse(u"Endpoint=wss://h.example;AccessKey=abc"_s).hasValue());
    EXPECT_FALSE(ConnectionString::parse(u"Endpoint=https://;AccessKey=abc"_s).hasValue());
    EXPECT_FALSE(ConnectionString::parse(u"Endpoint=https://h.example?x=1;AccessKey=abc"_s).hasValue());
    EXPECT_FALSE(ConnectionString::parse(u"Endpoint=https://user:pw@h.example;AccessKey=abc"_s).hasValue());
    EXPECT_FALSE(ConnectionString::parse(u"Endpoint=https://h.example:99999;AccessKey=abc"_s).hasValue());
}

TEST(ConnectionString, ErrorsNeverContainTheKey)
{
    const QString key = u"TOPSECRETKEYVALUE1234567890abcdefghijklmnop="_s;
    const QString cases[] = {
        u"Endpoint=https://h.example AccessKey="_s + key,          // space instead of ';'
        u"Endpoint=https://h.example,AccessKey="_s + key,          // comma instead of ';'
        u"Endpoint=https://h.example;Port=443 AccessKey="_s + key, // key swallowed by Port
        u"Endpoint=ftp://h.example;AccessKey="_s + key,
        u"Endpoint="_s + key + u"://h.example;AccessKey="_s + key,
        u"Endpoint=https://h.example?q="_s + key + u";AccessKey="_s + key,
        u"Endpoint=https://h.example;Port=0;AccessKey="_s + key,
        u"Endpoint=https://a;Endpoint=https://b;AccessKey="_s + key,
        u"AccessKey="_s + key,
        u"Endpoint=https://h.example;AccessKey="_s + key + u";AccessKey="_s + key,
    };
    for (const QString &text : cases) {
        const auto result = ConnectionString::parse(text);
        ASSERT_FALSE(result.hasValue()) << text.toStdString();
        EXPECT_FALSE(result.error().contains(u"TOPSECRET"_s, Qt::CaseInsensitive))
            << result.error().toStdString();
        EXPECT_FALSE(result.error().isEmpty());
    }
}

TEST(ConnectionString, RedactedStringHidesKeyAndRoundTrips)
{
    const auto cs = parseOk(u"Endpoint=http://localhost;Port=8080;AccessKey=abc="_s);
    EXPECT_FALSE(cs.toRedactedString().contains(u"abc="_s));
    EXPECT_TRUE(cs.toRedactedString().contains(u"http://localhost:8080"_s));
    const auto again = parseOk(cs.toString());
    EXPECT_EQ(again.endpoint(), cs.endpoint());
    EXPECT_EQ(again.accessKey(), u"abc="_s);
}
