// HS256 access tokens: signing, verification and audience matching (docs/protocol.md#rest-authentication,
// docs/protocol.md#client-tokens-and-urls).
#include "protocol/jwt.h"
#include "support/printers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
namespace jwt = wps::jwt;
using Kind = jwt::VerifyError::Kind;

namespace {

constexpr auto kB64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
const QByteArray kPrimary = "primary-key-0123456789"_ba;
const QByteArray kSecondary = "secondary-key-9876543210"_ba;
const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1735689600, Qt::UTC);

QJsonObject claimsAt(qint64 exp, const QString &aud = u"http://localhost/api/hubs/h"_s)
{
    return QJsonObject{{u"aud"_s, aud}, {u"exp"_s, exp}};
}

/// A token with any header, signed with \a key the way an attacker or another library would.
QByteArray craft(const QByteArray &headerJson, const QJsonObject &claims, const QByteArray &key)
{
    const QByteArray input =
        headerJson.toBase64(kB64) + '.' + QJsonDocument(claims).toJson(QJsonDocument::Compact).toBase64(kB64);
    return input + '.' +
           QMessageAuthenticationCode::hash(input, key, QCryptographicHash::Sha256).toBase64(kB64);
}

jwt::VerifyOptions at(const QDateTime &now, qint64 skew = 300)
{
    jwt::VerifyOptions options;
    options.now = now;
    options.clockSkewSeconds = skew;
    return options;
}

Kind failureKind(const QByteArray &token, const QList<QByteArray> &keys = {kPrimary},
                 const jwt::VerifyOptions &options = at(kNow))
{
    const auto result = jwt::verifyHs256(token, keys, options);
    EXPECT_FALSE(result.hasValue());
    return result ? Kind::Malformed : result.error().kind;
}

bool audOk(const QString &aud, const QString &request, bool subPath = false)
{
    return jwt::audienceMatches(aud, QUrl(request), subPath);
}

} // namespace

TEST(Jwt, SignUsesExactHeaderAndRoundTrips)
{
    const QJsonObject claims{
        {u"aud"_s, u"http://127.0.0.1:8080/api/hubs/chat/:send?api-version=2024-12-01"_s},
        {u"exp"_s, kNow.toSecsSinceEpoch() + 3600},
        {u"role"_s, QJsonArray{u"a"_s, u"b"_s}}};
    const QByteArray token = jwt::signHs256(claims, kPrimary);
    const QList<QByteArray> parts = token.split('.');
    ASSERT_EQ(parts.size(), 3);
    EXPECT_EQ(QByteArray::fromBase64(parts[0], kB64), R"({"alg":"HS256","typ":"JWT"})"_ba);
    // The same bytes another HS256 implementation would produce.
    EXPECT_EQ(token, craft(R"({"alg":"HS256","typ":"JWT"})"_ba, claims, kPrimary));

    const auto verified = jwt::verifyHs256(token, {kPrimary}, at(kNow));
    ASSERT_TRUE(verified.hasValue()) << verified.error().message.toStdString();
    EXPECT_EQ(*verified, claims);
    EXPECT_EQ(jwt::decodeClaimsUnverified(token).value(), claims);
}

TEST(Jwt, WrongKeyRefusedSecondaryAccepted)
{
    const QByteArray token = jwt::signHs256(claimsAt(kNow.toSecsSinceEpoch() + 60), kSecondary);
    EXPECT_EQ(failureKind(token, {kPrimary}), Kind::BadSignature);
    EXPECT_TRUE(jwt::verifyHs256(token, {kPrimary, kSecondary}, at(kNow)).hasValue());
    EXPECT_EQ(failureKind(token, {}), Kind::BadSignature);
    EXPECT_EQ(failureKind(token, {QByteArray()}), Kind::BadSignature); // an empty key never verifies
}

TEST(Jwt, KeyIsUsedAsUtf8BytesNotBase64Decoded)
{
    const QByteArray key = "a2V5a2V5a2V5a2V5"_ba; // valid base64 text
    const QByteArray token = jwt::signHs256(claimsAt(kNow.toSecsSinceEpoch() + 60), key);
    EXPECT_TRUE(jwt::verifyHs256(token, {key}, at(kNow)).hasValue());
    EXPECT_EQ(failureKind(token, {QByteArray::fromBase64(key)}), Kind::BadSignature);
}

TEST(Jwt, TamperedPayloadRefused)
{
    const QByteArray token = jwt::signHs256(claimsAt(kNow.toSecsSinceEpoch() + 60), kPrimary);
    const QList<QByteArray> parts = token.split('.');
    const QByteArray otherPayload = QJsonDocument(claimsAt(kNow.toSecsSinceEpoch() + 99999))
                                        .toJson(QJsonDocument::Compact)
                                        .toBase64(kB64);
    EXPECT_EQ(failureKind(parts[0] + '.' + otherPayload + '.' + parts[2]), Kind::BadSignature);
}

TEST(Jwt, ExpiredTokensAreRefusedBeyondFiveMinutesOfSkew)
{
    const qint64 now = kNow.toSecsSinceEpoch();
    const QByteArray expiredLongAgo = jwt::signHs256(claimsAt(now - 301), kPrimary);
    EXPECT_EQ(failureKind(expiredLongAgo), Kind::Expired);
    const QByteArray justExpired = jwt::signHs256(claimsAt(now - 299), kPrimary);
    EXPECT_TRUE(jwt::verifyHs256(justExpired, {kPrimary}, at(kNow)).hasValue()); // within the 5 min skew
    EXPECT_EQ(failureKind(justExpired, {kPrimary}, at(kNow, 0)), Kind::Expired);
    const auto error = jwt::verifyHs256(expiredLongAgo, {kPrimary}, at(kNow));
    ASSERT_FALSE(error.hasValue());
    EXPECT_TRUE(error.error().message.contains(u"expired"_s));
}

TEST(Jwt, TokensNotYetValidAreRefusedBeyondTheSkew)
{
    const qint64 now = kNow.toSecsSinceEpoch();
    QJsonObject claims = claimsAt(now + 3600);
    claims.insert(u"nbf"_s, now + 600);
    EXPECT_EQ(failureKind(jwt::signHs256(claims, kPrimary)), Kind::NotYetValid);
    claims.insert(u"nbf"_s, now + 200); // within the skew
    EXPECT_TRUE(jwt::verifyHs256(jwt::signHs256(claims, kPrimary), {kPrimary}, at(kNow)).hasValue());
    EXPECT_EQ(failureKind(jwt::signHs256(claims, kPrimary), {kPrimary}, at(kNow, 0)), Kind::NotYetValid);
}

TEST(Jwt, MissingOrNonNumericExpRefused)
{
    EXPECT_EQ(failureKind(jwt::signHs256(QJsonObject{{u"aud"_s, u"x"_s}}, kPrimary)), Kind::Malformed);
    EXPECT_EQ(failureKind(jwt::signHs256(QJsonObject{{u"exp"_s, u"soon"_s}}, kPrimary)), Kind::Malformed);
}

TEST(Jwt, ExtremeNumericDatesDoNotOverflow)
{
    EXPECT_EQ(failureKind(jwt::signHs256(claimsAt(0), kPrimary)), Kind::Expired);
    QJsonObject huge{{u"exp"_s, 1e300}, {u"nbf"_s, -1e300}};
    EXPECT_TRUE(jwt::verifyHs256(jwt::signHs256(huge, kPrimary), {kPrimary}, at(kNow)).hasValue());
    QJsonObject tiny{{u"exp"_s, -1e300}};
    EXPECT_EQ(failureKind(jwt::signHs256(tiny, kPrimary)), Kind::Expired);
    QJsonObject future{{u"exp"_s, 1e300}, {u"nbf"_s, 1e300}};
    EXPECT_EQ(failureKind(jwt::signHs256(future, kPrimary)), Kind::NotYetValid);
}

TEST(Jwt, OtherAlgorithmsRefused)
{
    const QJsonObject claims = claimsAt(kNow.toSecsSinceEpoch() + 60);
    EXPECT_EQ(failureKind(craft(R"({"alg":"none","typ":"JWT"})"_ba, claims, kPrimary)),
              Kind::UnsupportedAlgorithm);
    EXPECT_EQ(failureKind(craft(R"({"alg":"RS256","typ":"JWT"})"_ba, claims, kPrimary)),
              Kind::UnsupportedAlgorithm);
    EXPECT_EQ(failureKind(craft(R"({"alg":"hs256","typ":"JWT"})"_ba, claims, kPrimary)),
              Kind::UnsupportedAlgorithm);
    EXPECT_EQ(failureKind(craft(R"({"typ":"JWT"})"_ba, claims, kPrimary)), Kind::UnsupportedAlgorithm);
    // alg none with an empty signature, the classic forgery
    const QByteArray unsigned_ = R"({"alg":"none"})"_ba.toBase64(kB64) + '.' +
                                 QJsonDocument(claims).toJson(QJsonDocument::Compact).toBase64(kB64) + '.';
    EXPECT_EQ(failureKind(unsigned_), Kind::UnsupportedAlgorithm);
    // A token with extra header fields (kid) but HS256 is fine.
    EXPECT_TRUE(jwt::verifyHs256(craft(R"({"alg":"HS256","typ":"JWT","kid":"s-1"})"_ba, claims, kPrimary),
                                 {kPrimary}, at(kNow))
                    .hasValue());
}

TEST(Jwt, MalformedTruncatedOrHugeTokensAreRefused)
{
    const QByteArray good = jwt::signHs256(claimsAt(kNow.toSecsSinceEpoch() + 60), kPrimary);
    const QByteArray cases[] = {
        QByteArray(),
        "abc"_ba,
        "a.b"_ba,
        "a.b.c.d"_ba,
        ".."_ba,
        "..."_ba,
        "!!!.@@@.###"_ba,
        good.left(good.indexOf('.')),
        good.left(good.lastIndexOf('.')),
        good.left(good.size() / 2),
        good + ".x"_ba,
        "e30.e30.e30"_ba,                // {} header: no alg
        "bm90anNvbg.bm90anNvbg.AAAA"_ba, // "notjson"
        QByteArray(70 * 1024, 'a'),
        QByteArray(70 * 1024, '.'),
    };
    for (const QByteArray &token : cases) {
        const auto result = jwt::verifyHs256(token, {kPrimary}, at(kNow));
        EXPECT_FALSE(result.hasValue()) << token.left(64).toStdString();
        if (!result) {
            EXPECT_FALSE(result.error().message.isEmpty());
        }
    }
    // The signature was truncated: still refused, as a bad signature.
    EXPECT_FALSE(jwt::verifyHs256(good.chopped(2), {kPrimary}, at(kNow)).hasValue());
    EXPECT_FALSE(jwt::decodeClaimsUnverified("abc"_ba).hasValue());
    EXPECT_FALSE(jwt::decodeClaimsUnverified(QByteArray(70 * 1024, 'a')).hasValue());
}

TEST(Jwt, ErrorsNeverContainTokenOrKey)
{
    const QByteArray token = jwt::signHs256(claimsAt(kNow.toSecsSinceEpoch() - 9999), kPrimary);
    for (const QList<QByteArray> &keys : {QList<QByteArray>{kPrimary}, QList<QByteArray>{kSecondary}}) {
        const auto result = jwt::verifyHs256(token, keys, at(kNow));
        ASSERT_FALSE(result.hasValue());
        EXPECT_FALSE(result.error().message.contains(QString::fromLatin1(token.split('.')[1])));
        EXPECT_FALSE(result.error().message.contains(QString::fromLatin1(token.split('.')[2])));
        EXPECT_FALSE(result.error().message.contains(u"primary-key"_s));
    }
}

TEST(Jwt, AudienceIsReadFromAStringOrTheStringsOfAnArray)
{
    EXPECT_EQ(jwt::audiences(QJsonObject{{u"aud"_s, u"a"_s}}), QStringList{u"a"_s});
    EXPECT_EQ(jwt::audiences(QJsonObject{{u"aud"_s, QJsonArray{u"a"_s, 3, u"b"_s}}}),
              (QStringList{u"a"_s, u"b"_s}));
    EXPECT_TRUE(jwt::audiences(QJsonObject{}).isEmpty());
}

TEST(JwtAudience, MatchesTheExactUrlIgnoringTheQuery)
{
    const QString url = u"http://127.0.0.1:8080/api/hubs/chat/:send?api-version=2024-12-01"_s;
    EXPECT_TRUE(audOk(url, url));
    EXPECT_TRUE(audOk(u"http://127.0.0.1:8080/api/hubs/chat/:send"_s, url));
    EXPECT_TRUE(audOk(u"http://127.0.0.1:8080/api/hubs/chat/:send?api-version=2021-10-01&x=1"_s, url));
    // Spaces as %20 in aud and '+' on the wire (docs/protocol.md#service-sdk): only the query differs, which
    // is ignored.
    EXPECT_TRUE(audOk(u"http://h:1/api/hubs/c/:send?filter=userId%20ne%20%27bob%27"_s,
                      u"http://h:1/api/hubs/c/:send?filter=userId+ne+%27bob%27"_s));
}

TEST(JwtAudience, TrailingSlashWebSocketSchemeAndHostCaseAreIgnored)
{
    const QString url = u"http://localhost:8080/api/hubs/chat"_s;
    EXPECT_TRUE(audOk(u"http://localhost:8080/api/hubs/chat/"_s, url));
    EXPECT_TRUE(audOk(u"ws://localhost:8080/api/hubs/chat"_s, url));
    EXPECT_TRUE(audOk(u"HTTP://LocalHost:8080/api/hubs/chat"_s, url));
    EXPECT_TRUE(audOk(u"https://h.example/client/hubs/chat"_s, u"wss://h.example/client/hubs/chat"_s));
    EXPECT_TRUE(audOk(u"http://h.example/client/hubs/chat"_s, u"wss://h.example/client/hubs/chat"_s));
    EXPECT_FALSE(audOk(u"ftp://localhost:8080/api/hubs/chat"_s, url));
    EXPECT_FALSE(audOk(u"http://otherhost:8080/api/hubs/chat"_s, url));
    EXPECT_FALSE(audOk(u"http://localhost:8080/api/hubs/Chat"_s, url)); // the hub is case-sensitive
}

TEST(JwtAudience, PercentEncodingDecodedOnce)
{
    EXPECT_TRUE(audOk(u"http://h:1/api/hubs/c/users/alice%20smith"_s,
                      u"http://h:1/api/hubs/c/users/alice%20smith"_s));
    EXPECT_TRUE(audOk(u"http://h:1/api/hubs/c/groups/a%5Bb%5D"_s, u"http://h:1/api/hubs/c/groups/a[b]"_s));
}

TEST(JwtAudience, DifferentPortRefused)
{
    EXPECT_FALSE(audOk(u"http://localhost:8081/api/hubs/chat"_s, u"http://localhost:8080/api/hubs/chat"_s));
    EXPECT_FALSE(audOk(u"http://localhost/api/hubs/chat"_s, u"http://localhost:8080/api/hubs/chat"_s));
    EXPECT_FALSE(audOk(u"http://localhost:8080/api/hubs/chat"_s, u"http://localhost/api/hubs/chat"_s));
    EXPECT_TRUE(audOk(u"http://localhost:80/api/hubs/chat"_s, u"http://localhost/api/hubs/chat"_s));
}

TEST(JwtAudience, SubPathOnlyWithOption)
{
    const QString request = u"http://h:1/api/hubs/chat/connections/abc"_s;
    EXPECT_FALSE(audOk(u"http://h:1/api/hubs/chat"_s, request));
    EXPECT_TRUE(audOk(u"http://h:1/api/hubs/chat"_s, request, true));
    EXPECT_TRUE(audOk(u"http://h:1/api/hubs/chat/"_s, request, true));
    // Another suffix of the same segment is not a sub-path.
    EXPECT_FALSE(audOk(u"http://h:1/api/hubs/chat/connections"_s,
                       u"http://h:1/api/hubs/chat/connectionsSuffix"_s, true));
    EXPECT_FALSE(audOk(u"http://h:1/api/hubs/cha"_s, request, true));
}

TEST(JwtAudience, AudiencesThatAreNotAbsoluteUrlsNeverMatch)
{
    const QString url = u"http://localhost:8080/api/hubs/chat"_s;
    for (const QString &aud : {u""_s, u"not a url"_s, u"/api/hubs/chat"_s, u"localhost:8080/api/hubs/chat"_s,
                               u"http://"_s, u"%%%"_s}) {
        EXPECT_FALSE(audOk(aud, url)) << aud.toStdString();
    }
}
