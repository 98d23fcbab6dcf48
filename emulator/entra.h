#pragma once

#include "common/expected.h"
#include "emulator/httpserver.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

struct evp_pkey_st;

namespace wps::emulator {

/// The `entraId` section of the emulator's config: which Entra ID tokens the REST API accepts.
struct EntraIdSettings
{
    /// Accepted `iss` values (the config's "issuer": a string or an array of strings).
    QStringList issuers;
    /// Required `aud`; the service's data-plane audience by default.
    QString audience = QStringLiteral("https://webpubsub.azure.com");
    /// A JWKS document (`{"keys": [{"kty": "RSA", "kid": ..., "n": ..., "e": ...}]}`) with the RS256 keys.
    QJsonObject jwks;
    /// One data-plane role given to one principal (`entraId.roleAssignments`), as an Azure role assignment
    /// on the resource would.
    struct RoleAssignment
    {
        QString principalId; ///< matched against the token's `oid`, `appid` or `azp`
        QString role;        ///< kOwnerRole or kReaderRole
    };
    /// Empty: every valid token of a trusted issuer acts as Owner (tokens from real credentials carry no
    /// Web PubSub roles). A token's `roles` claim counts either way.
    QList<RoleAssignment> roleAssignments;
};

inline constexpr QStringView kOwnerRole = u"Web PubSub Service Owner";
inline constexpr QStringView kReaderRole = u"Web PubSub Service Reader";

/// What the REST API does with a request's bearer token: not an Entra token (HS256 access-key tokens go
/// on to the access-key check), accepted, or rejected with the service's 401/403.
struct EntraCheck
{
    bool isEntraToken = false;
    std::optional<HttpResponse> rejection;
};

/// Validates Entra ID bearer tokens for the emulator's REST API, as the service does: RS256 signature by
/// a key of the configured JWKS (`kid` matched), issuer in the list, audience, lifetime (5 minutes skew),
/// then the data-plane role (docs/entra-id.md): "Web PubSub Service Owner" (or the data action
/// `Microsoft.SignalRService/WebPubSub/*`) for every operation, "Web PubSub Service Reader" (or
/// `Microsoft.SignalRService/WebPubSub/*/read`) for HEAD and GET only. Roles come from the `roles` claim
/// and from the configured role assignments of the token's principal; with no assignments configured, a
/// token without a `roles` claim acts as Owner.
class EntraValidator
{
public:
    /// Fails with a message naming the broken part of \a settings (e.g. a JWKS key that is not RSA).
    static Expected<std::shared_ptr<const EntraValidator>, QString> create(const EntraIdSettings &settings);
    ~EntraValidator();

    /// Examines the Authorization header of \a request. \a validator may be null: then every Entra token
    /// is rejected with 401 (no entraId section: the emulator accepts none).
    static EntraCheck check(const HttpRequest &request, const EntraValidator *validator);

    /// Empty when \a token is acceptable for a request with \a method, else the status (401/403) and why.
    std::pair<int, QString> validate(QByteArrayView token, const QByteArray &method) const;

private:
    EntraValidator() = default;
    /// Checks that \a token is a compact RS256 JWT signed by a configured key and gives its \a claims;
    /// empty, or why not (401).
    QString verifySignature(QByteArrayView token, QJsonObject *claims) const;
    /// Checks lifetime (with skew), issuer and audience of verified \a claims; empty, or why not (401).
    QString checkClaims(const QJsonObject &claims) const;
    /// The data-plane role check for \a method: {0, {}} when allowed, else 403 and why.
    std::pair<int, QString> authorize(const QJsonObject &claims, const QByteArray &method) const;

    struct Key
    {
        QString kid;
        std::shared_ptr<evp_pkey_st> key;
    };
    EntraIdSettings m_settings;
    QList<Key> m_keys;
};

} // namespace wps::emulator
