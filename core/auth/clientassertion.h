#pragma once

#include "common/expected.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QUrl>

#include <memory>

namespace wps::auth {

/// A certificate with its private key, read from AZURE_CLIENT_CERTIFICATE_PATH: a PEM file holding the
/// certificate and the (optionally encrypted) private key, or a PKCS#12 (.pfx/.p12) file. The key stays in
/// this object and is used only to sign client assertions; it is never logged or copied out.
class ClientCertificate
{
public:
    ~ClientCertificate();
    ClientCertificate(const ClientCertificate &) = delete;
    ClientCertificate &operator=(const ClientCertificate &) = delete;

    /// Loads \a path with \a password (AZURE_CLIENT_CERTIFICATE_PASSWORD; empty for none). The error says
    /// what is wrong with the file, never its contents.
    static Expected<std::shared_ptr<ClientCertificate>, QString> load(const QString &path,
                                                                      const QString &password);

    /// The certificate's DER encoding (what `x5c` carries).
    QByteArray der() const { return m_der; }
    /// base64url(SHA-1(DER)): the `x5t` header the identity platform uses to find the registered certificate.
    QByteArray thumbprint() const;

    /// A client assertion JWT for the client-credentials grant (RFC 7523): RS256, header `x5t` (and `x5c`
    /// when \a sendChain), claims aud = \a tokenUrl, iss = sub = \a clientId, a fresh jti, nbf/iat = \a now
    /// and exp 10 minutes later.
    Expected<QByteArray, QString> assertion(const QString &clientId, const QUrl &tokenUrl, bool sendChain,
                                            const QDateTime &now = QDateTime::currentDateTimeUtc()) const;

private:
    struct Key;
    ClientCertificate(std::unique_ptr<Key> key, QByteArray der);

    std::unique_ptr<Key> m_key;
    QByteArray m_der;
};

} // namespace wps::auth
