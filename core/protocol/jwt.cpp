#include "protocol/jwt.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::jwt {

namespace {

constexpr auto kBase64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
constexpr qsizetype kMaxTokenLength = 64 * 1024;

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::jwt", text);
}

QByteArray hmac(QByteArrayView data, const QByteArray &key)
{
    return QMessageAuthenticationCode::hash(data.toByteArray(), key, QCryptographicHash::Sha256);
}

Expected<QByteArray, QString> decodePart(QByteArrayView part)
{
    auto result = QByteArray::fromBase64Encoding(part.toByteArray(),
                                                 kBase64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return Expected<QByteArray, QString>::failure(tr("The token is not valid base64url."));
    return result.decoded;
}

Expected<QJsonObject, QString> decodeJsonPart(QByteArrayView part)
{
    auto bytes = decodePart(part);
    if (!bytes)
        return Expected<QJsonObject, QString>::failure(bytes.error());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return Expected<QJsonObject, QString>::failure(tr("The token does not contain a JSON object."));
    return doc.object();
}

/// A NumericDate claim as whole seconds, clamped so that the casts and the skew arithmetic below can
/// never overflow (a hostile `exp` of 1e300 would otherwise be undefined behaviour).
qint64 secondsClaim(const QJsonValue &value)
{
    constexpr double kLimit = 1e15; // about 31 million years either side of 1970
    const double seconds = value.toDouble();
    if (seconds > kLimit)
        return static_cast<qint64>(kLimit);
    if (seconds < -kLimit)
        return -static_cast<qint64>(kLimit);
    return static_cast<qint64>(seconds);
}

QString normalizedPath(const QUrl &url)
{
    QString path = QUrl::fromPercentEncoding(url.path(QUrl::FullyEncoded).toUtf8());
    while (path.endsWith(u'/'))
        path.chop(1);
    return path;
}

int effectivePort(const QUrl &url)
{
    if (url.port() != -1)
        return url.port();
    const QString scheme = url.scheme().toLower();
    return (scheme == u"https" || scheme == u"wss") ? 443 : 80;
}

} // namespace

QByteArray signHs256(const QJsonObject &claims, const QByteArray &key)
{
    static const QByteArray header = QByteArray(R"({"alg":"HS256","typ":"JWT"})").toBase64(kBase64Url);
    const QByteArray payload = QJsonDocument(claims).toJson(QJsonDocument::Compact).toBase64(kBase64Url);
    const QByteArray signingInput = header + '.' + payload;
    return signingInput + '.' + hmac(signingInput, key).toBase64(kBase64Url);
}

Expected<QJsonObject, VerifyError> verifyHs256(QByteArrayView token, const QList<QByteArray> &keys,
                                               const VerifyOptions &options)
{
    using R = Expected<QJsonObject, VerifyError>;
    auto fail = [](VerifyError::Kind kind, QString message) {
        return R::failure({kind, std::move(message)});
    };

    if (token.isEmpty())
        return fail(VerifyError::Kind::Malformed, tr("No access token was given."));
    if (token.size() > kMaxTokenLength)
        return fail(VerifyError::Kind::Malformed, tr("The access token is too long."));
    const qsizetype dot1 = token.indexOf('.');
    const qsizetype dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot1 <= 0 || dot2 <= dot1 + 1 || token.indexOf('.', dot2 + 1) != -1)
        return fail(VerifyError::Kind::Malformed,
                    tr("The access token is not a JWT (header.payload.signature)."));

    const QByteArrayView headerPart = token.first(dot1);
    const QByteArrayView payloadPart = token.sliced(dot1 + 1, dot2 - dot1 - 1);
    const QByteArrayView signaturePart = token.sliced(dot2 + 1);

    auto header = decodeJsonPart(headerPart);
    if (!header)
        return fail(VerifyError::Kind::Malformed, tr("The access token's header is malformed."));
    if (header->value(u"alg"_s).toString() != u"HS256")
        return fail(VerifyError::Kind::UnsupportedAlgorithm,
                    tr("The access token must be signed with HS256, not '%1'.")
                        .arg(header->value(u"alg"_s).toString().left(16)));
    auto claims = decodeJsonPart(payloadPart);
    if (!claims)
        return fail(VerifyError::Kind::Malformed, tr("The access token's payload is malformed."));
    auto signature = decodePart(signaturePart);
    if (!signature)
        return fail(VerifyError::Kind::Malformed, tr("The access token's signature is malformed."));

    const QByteArrayView signingInput = token.first(dot2);
    bool signatureOk = false;
    for (const QByteArray &key : keys) {
        if (!key.isEmpty() && constantTimeEquals(hmac(signingInput, key), *signature)) {
            signatureOk = true;
            break;
        }
    }
    if (!signatureOk)
        return fail(VerifyError::Kind::BadSignature, tr("The access token's signature is invalid."));

    const QDateTime now = options.now.isValid() ? options.now : QDateTime::currentDateTimeUtc();
    const qint64 nowSecs = now.toSecsSinceEpoch();
    const QJsonValue exp = claims->value(u"exp"_s);
    if (exp.isUndefined() || !exp.isDouble())
        return fail(VerifyError::Kind::Malformed, tr("The access token has no 'exp' claim."));
    const qint64 skew = std::clamp<qint64>(options.clockSkewSeconds, 0, 366 * 24 * 3600);
    if (secondsClaim(exp) + skew < nowSecs)
        return fail(
            VerifyError::Kind::Expired,
            tr("The access token expired at %1.")
                .arg(QDateTime::fromSecsSinceEpoch(secondsClaim(exp), Qt::UTC).toString(Qt::ISODate)));
    const QJsonValue nbf = claims->value(u"nbf"_s);
    if (nbf.isDouble() && secondsClaim(nbf) - skew > nowSecs)
        return fail(VerifyError::Kind::NotYetValid, tr("The access token is not valid yet."));
    return *claims;
}

Expected<QJsonObject, QString> decodeClaimsUnverified(QByteArrayView token)
{
    const qsizetype dot1 = token.indexOf('.');
    const qsizetype dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot1 <= 0 || dot2 <= dot1 + 1 || token.size() > kMaxTokenLength)
        return Expected<QJsonObject, QString>::failure(
            tr("The text is not a JWT (header.payload.signature)."));
    return decodeJsonPart(token.sliced(dot1 + 1, dot2 - dot1 - 1));
}

bool audienceMatches(const QString &audience, const QUrl &requestUrl, bool allowSubPath)
{
    const QUrl aud(audience, QUrl::TolerantMode);
    if (!aud.isValid())
        return false;
    const QString scheme = aud.scheme().toLower();
    if (scheme != u"http" && scheme != u"https" && scheme != u"ws" && scheme != u"wss")
        return false;
    if (aud.host().compare(requestUrl.host(), Qt::CaseInsensitive) != 0)
        return false;
    if (effectivePort(aud) != effectivePort(requestUrl)) {
        // Behind a proxy or with a scheme swap (http vs https), the port follows the scheme; accept the
        // explicit port of the request matching the audience's explicit port only.
        if (aud.port() != -1 || requestUrl.port() != -1)
            return false;
    }
    const QString audPath = normalizedPath(aud);
    const QString requestPath = normalizedPath(requestUrl);
    if (audPath == requestPath)
        return true;
    return allowSubPath && requestPath.startsWith(audPath + u'/');
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

QStringList audiences(const QJsonObject &claims)
{
    const QJsonValue aud = claims.value(u"aud"_s);
    QStringList result;
    if (aud.isString())
        result << aud.toString();
    else if (aud.isArray())
        for (const QJsonValue &v : aud.toArray())
            if (v.isString())
                result << v.toString();
    return result;
}

} // namespace wps::jwt
