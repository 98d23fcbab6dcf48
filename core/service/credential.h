#pragma once

#include "common/expected.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <chrono>

namespace wps::service {

/// How a REST request is authorised. ServiceClient asks the credential for a fresh `Authorization` value per
/// request (and per retry and page), because an access-key token's audience is the exact request URL.
///
/// An Entra ID token credential can implement this interface later: it keeps a cached token (audience
/// `https://webpubsub.azure.com/.default`) that it refreshes ahead of expiry on its own, and returns it here.
class Credential
{
public:
    virtual ~Credential();

    /// The full `Authorization` header value for a request to \a url, or an error text (never containing a
    /// secret) when no value can be made.
    virtual Expected<QByteArray, QString> authorization(const QUrl &url) const = 0;
};

/// Signs each request with an HS256 JWT made from the access key, as the JS SDK does: claims `aud` = the full
/// request URL including its query, `iat` = now, `exp` = now + 1 hour (docs/protocol.md#access-key-jwt).
class AccessKeyCredential : public Credential
{
public:
    explicit AccessKeyCredential(QString accessKey, std::chrono::seconds lifetime = std::chrono::hours(1));

    Expected<QByteArray, QString> authorization(const QUrl &url) const override;

private:
    QString m_accessKey;
    std::chrono::seconds m_lifetime;
};

} // namespace wps::service
