#include "emulator/entra.h"

#include "protocol/jwt.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcEntra, "wps.emulator.entra")

namespace wps::emulator {

namespace {

QByteArray base64Url(const QString &text)
{
    return QByteArray::fromBase64(text.toLatin1(),
                                  QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

/// An RSA public key from a JWK's base64url `n` and `e`, through OpenSSL 3's non-deprecated fromdata API.
std::shared_ptr<evp_pkey_st> rsaKey(const QByteArray &modulus, const QByteArray &exponent)
{
    BIGNUM *n = BN_bin2bn(reinterpret_cast<const unsigned char *>(modulus.constData()),
                          static_cast<int>(modulus.size()), nullptr);
    BIGNUM *e = BN_bin2bn(reinterpret_cast<const unsigned char *>(exponent.constData()),
                          static_cast<int>(exponent.size()), nullptr);
    OSSL_PARAM_BLD *builder = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = nullptr;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    EVP_PKEY *key = nullptr;
    if (n && e && builder && ctx && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
        OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_E, e) == 1 &&
        (params = OSSL_PARAM_BLD_to_param(builder)) != nullptr && EVP_PKEY_fromdata_init(ctx) == 1) {
        if (EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
            key = nullptr;
    }
    OSSL_PARAM_free(params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_BLD_free(builder);
    BN_free(n);
    BN_free(e);
    if (!key)
        return {};
    return std::shared_ptr<evp_pkey_st>(key, EVP_PKEY_free);
}

bool verifyRs256(evp_pkey_st *key, QByteArrayView signingInput, const QByteArray &signature)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
              EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(signature.constData()),
                               static_cast<size_t>(signature.size()),
                               reinterpret_cast<const unsigned char *>(signingInput.data()),
                               static_cast<size_t>(signingInput.size())) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

QJsonObject decodePart(QByteArrayView part)
{
    const QByteArray json = QByteArray::fromBase64(part.toByteArray(), QByteArray::Base64UrlEncoding |
                                                                           QByteArray::OmitTrailingEquals);
    return QJsonDocument::fromJson(json).object();
}

QStringList stringOrArray(const QJsonValue &value)
{
    if (value.isString())
        return {value.toString()};
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array)
        if (item.isString())
            out << item.toString();
    return out;
}

QString withoutSlash(QString text)
{
    while (text.endsWith(u'/'))
        text.chop(1);
    return text;
}

} // namespace

EntraValidator::~EntraValidator() = default;

Expected<std::shared_ptr<const EntraValidator>, QString>
EntraValidator::create(const EntraIdSettings &settings)
{
    using Result = Expected<std::shared_ptr<const EntraValidator>, QString>;
    std::shared_ptr<EntraValidator> validator(new EntraValidator);
    validator->m_settings = settings;
    if (settings.issuers.isEmpty())
        return Result::failure(u"entraId.issuer is required."_s);
    const QJsonValue keys = settings.jwks.value(u"keys"_s);
    if (!keys.isArray() || keys.toArray().isEmpty())
        return Result::failure(u"entraId.jwks.keys must be a non-empty array."_s);
    const QJsonArray array = keys.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString path = u"entraId.jwks.keys["_s + QString::number(i) + u']';
        const QJsonObject jwk = array.at(i).toObject();
        if (jwk.value(u"kty"_s).toString() != u"RSA"_s)
            return Result::failure(path + u" must be an RSA key (kty \"RSA\")."_s);
        const QByteArray n = base64Url(jwk.value(u"n"_s).toString());
        const QByteArray e = base64Url(jwk.value(u"e"_s).toString());
        if (n.size() < 256 || e.isEmpty())
            return Result::failure(path + u" needs base64url \"n\" (at least 2048 bits) and \"e\"."_s);
        auto key = rsaKey(n, e);
        if (!key)
            return Result::failure(path + u" is not a valid RSA public key."_s);
        validator->m_keys.append({jwk.value(u"kid"_s).toString(), std::move(key)});
    }
    return Result(std::shared_ptr<const EntraValidator>(std::move(validator)));
}

EntraCheck EntraValidator::check(const HttpRequest &request, const EntraValidator *validator)
{
    const QByteArray authorization = request.header("authorization");
    if (!authorization.toLower().startsWith("bearer "))
        return {};
    const QByteArray token = authorization.mid(7).trimmed();
    const qsizetype dot = token.indexOf('.');
    if (dot <= 0)
        return {};
    const QJsonObject header = decodePart(QByteArrayView(token).first(dot));
    if (header.value(u"alg"_s).toString() == u"HS256"_s)
        return {}; // an access-key token
    EntraCheck result;
    result.isEntraToken = true;
    std::pair<int, QString> decision{401, u"Entra ID tokens are not accepted: the emulator's config has no "
                                          u"entraId section."_s};
    if (validator)
        decision = validator->validate(token, request.method);
    if (decision.first == 0)
        return result;
    qCDebug(lcEntra) << "refused with" << decision.first << ":" << decision.second;
    const QString code = decision.first == 403 ? u"Forbidden"_s : u"Unauthorized"_s;
    HttpResponse response =
        HttpResponse::json(decision.first, QJsonObject{{u"code"_s, code}, {u"message"_s, decision.second}});
    if (decision.first == 401)
        response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    result.rejection = response;
    return result;
}

std::pair<int, QString> EntraValidator::validate(QByteArrayView token, const QByteArray &method) const
{
    QJsonObject claims;
    if (const QString why = verifySignature(token, &claims); !why.isEmpty())
        return {401, why};
    if (const QString why = checkClaims(claims); !why.isEmpty())
        return {401, why};
    return authorize(claims, method);
}

QString EntraValidator::verifySignature(QByteArrayView token, QJsonObject *claims) const
{
    const QList<QByteArrayView> parts = [&] {
        QList<QByteArrayView> out;
        qsizetype start = 0;
        for (int i = 0; i < 3; ++i) {
            const qsizetype dot = token.indexOf('.', start);
            if (i < 2 && dot < 0)
                return QList<QByteArrayView>{};
            out << token.sliced(start, (i < 2 ? dot : token.size()) - start);
            start = dot + 1;
        }
        return out;
    }();
    if (parts.size() != 3 || parts.at(2).contains('.'))
        return u"The token is not a compact JWT."_s;
    const QJsonObject header = decodePart(parts.at(0));
    if (header.value(u"alg"_s).toString() != u"RS256"_s)
        return u"Only RS256 Entra ID tokens are accepted."_s;
    const QString kid = header.value(u"kid"_s).toString();
    const QByteArray signature = QByteArray::fromBase64(
        parts.at(2).toByteArray(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QByteArrayView signingInput = token.first(parts.at(0).size() + 1 + parts.at(1).size());
    bool verified = false;
    bool keyFound = false;
    for (const Key &key : m_keys) {
        if (!kid.isEmpty() && !key.kid.isEmpty() && key.kid != kid)
            continue;
        keyFound = true;
        if (verifyRs256(key.key.get(), signingInput, signature)) {
            verified = true;
            break;
        }
    }
    if (!keyFound)
        return u"The token's signing key (kid) is not in the configured JWKS."_s;
    if (!verified)
        return u"The token's signature is invalid."_s;
    *claims = decodePart(parts.at(1));
    return {};
}

QString EntraValidator::checkClaims(const QJsonObject &claims) const
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    constexpr qint64 skew = 300;
    if (!claims.value(u"exp"_s).isDouble() ||
        static_cast<qint64>(claims.value(u"exp"_s).toDouble()) + skew < now)
        return u"The token has expired (or has no exp)."_s;
    if (claims.value(u"nbf"_s).isDouble() &&
        static_cast<qint64>(claims.value(u"nbf"_s).toDouble()) - skew > now)
        return u"The token is not valid yet."_s;
    const QString issuer = withoutSlash(claims.value(u"iss"_s).toString());
    bool issuerOk = false;
    for (const QString &allowed : m_settings.issuers)
        issuerOk = issuerOk || (!issuer.isEmpty() && withoutSlash(allowed) == issuer);
    if (!issuerOk)
        return u"The token's issuer is not trusted."_s;
    const QStringList audiences = jwt::audiences(claims);
    bool audienceOk = false;
    for (const QString &aud : audiences)
        audienceOk = audienceOk || withoutSlash(aud) == withoutSlash(m_settings.audience);
    if (!audienceOk)
        return u"Failed to validate audience. Expected Audiences: %1."_s.arg(m_settings.audience);
    return {};
}

std::pair<int, QString> EntraValidator::authorize(const QJsonObject &claims, const QByteArray &method) const
{
    QStringList roles = stringOrArray(claims.value(u"roles"_s));
    const bool hasRolesClaim = !roles.isEmpty();
    // The principal as Azure RBAC sees it: the object id, or for an app-only token its application id.
    QStringList principals;
    for (const QString &claim : {u"oid"_s, u"appid"_s, u"azp"_s})
        if (const QString id = claims.value(claim).toString(); !id.isEmpty() && !principals.contains(id))
            principals << id;
    if (m_settings.roleAssignments.isEmpty()) {
        if (!hasRolesClaim)
            roles << kOwnerRole.toString(); // no assignments configured: every trusted token is an Owner
    } else {
        for (const EntraIdSettings::RoleAssignment &assignment : m_settings.roleAssignments)
            if (principals.contains(assignment.principalId, Qt::CaseInsensitive))
                roles << assignment.role;
    }
    const bool owner = roles.contains(kOwnerRole.toString(), Qt::CaseInsensitive) ||
                       roles.contains(u"Microsoft.SignalRService/WebPubSub/*"_s, Qt::CaseInsensitive);
    const bool reader = roles.contains(kReaderRole.toString(), Qt::CaseInsensitive) ||
                        roles.contains(u"Microsoft.SignalRService/WebPubSub/*/read"_s, Qt::CaseInsensitive);
    const bool readOnly = method == "GET" || method == "HEAD";
    if (owner || (reader && readOnly))
        return {0, {}};
    const QString who =
        principals.isEmpty() ? u"The principal"_s : u"The principal %1"_s.arg(principals.join(u" / "_s));
    if (reader)
        return {403, u"%1 has the Web PubSub Service Reader role, which may only read (GET and HEAD); this "
                     u"operation needs Web PubSub Service Owner."_s.arg(who)};
    return {403, u"%1 does not have the data-plane role this operation needs (Web PubSub Service Owner%2): "
                 u"give it a roles claim or an entraId.roleAssignments entry."_s.arg(
                     who, readOnly ? u" or Reader"_s : QString())};
}

} // namespace wps::emulator
