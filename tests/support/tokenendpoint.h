#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QStringList>
#include <QTcpServer>
#include <QUrlQuery>

#include <memory>
#include <optional>

struct evp_pkey_st;

namespace wps::test {

/// A loopback stand-in for the Microsoft identity platform, the App Service identity endpoint and IMDS,
/// signing RS256 tokens with its own fresh RSA key. Tests point the real credential chain at it through
/// AZURE_AUTHORITY_HOST, IDENTITY_ENDPOINT/IDENTITY_HEADER and AZURE_POD_IDENTITY_AUTHORITY_HOST, and the
/// emulator trusts it through entraConfig(). It answers like the real services in shape, not in detail.
class TokenEndpoint : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QByteArray method;
        QByteArray path;
        QUrlQuery query;
        QHash<QByteArray, QByteArray> headers; ///< names in lower case
        QUrlQuery form;                        ///< the x-www-form-urlencoded body
    };

    explicit TokenEndpoint(QObject *parent = nullptr);
    ~TokenEndpoint() override;

    /// Listens on 127.0.0.1, port 0. Returns the port (0 on failure).
    quint16 listen();

    QString tenant() const { return QStringLiteral("11111111-2222-3333-4444-555555555555"); }
    /// `http://127.0.0.1:<port>/`: the value for AZURE_AUTHORITY_HOST.
    QString authorityHost() const;
    /// `<authority><tenant>/v2.0`: the `iss` of every token it signs.
    QString issuer() const;
    /// The App Service identity endpoint (IDENTITY_ENDPOINT).
    QString identityEndpoint() const;
    /// The IMDS override (AZURE_POD_IDENTITY_AUTHORITY_HOST).
    QString imdsHost() const;
    /// `{"keys": [...]}` with the public key.
    QJsonObject jwks() const;
    /// An emulator config file body trusting this endpoint: `{"entraId": {...}}`.
    QByteArray entraConfig() const;

    void addClientSecret(const QString &clientId, const QString &secret)
    {
        m_secrets.insert(clientId, secret);
    }
    /// A self-signed RSA certificate for client-certificate tests, in every form the credential reads.
    struct TestCertificate
    {
        QByteArray pem;          ///< certificate then unencrypted private key (PKCS#8)
        QByteArray encryptedPem; ///< certificate then the key encrypted with the password (AES-256)
        QByteArray pkcs12;       ///< certificate and key, protected by the password
        QByteArray der;          ///< the certificate
    };
    static TestCertificate makeCertificate(const QByteArray &password);
    /// Registers the certificate (DER) of app \a clientId: client assertions must be RS256 JWTs signed with
    /// its key, with its `x5t`, aud = this token URL, iss = sub = the client id, and not expired.
    void addClientCertificate(const QString &clientId, const QByteArray &der)
    {
        m_certificates.insert(clientId, der);
    }

    void addFederatedAssertion(const QString &clientId, const QString &assertion)
    {
        m_assertions.insert(clientId, assertion);
    }
    void setIdentityHeader(const QString &header) { m_identityHeader = header; }
    /// Whether IMDS has an identity (else it answers 400 as IMDS does without one).
    void setImdsIdentity(bool on) { m_imdsIdentity = on; }
    /// The `roles` claim of issued tokens (default: Web PubSub Service Owner).
    void setRoles(const QStringList &roles) { m_roles = roles; }
    /// Lifetime of issued tokens in seconds (default 3600).
    void setLifetime(int seconds) { m_lifetime = seconds; }

    /// Signs a token with this endpoint's key: standard claims for \a audience plus \a extra.
    QByteArray mint(const QString &audience, const QJsonObject &extra = {}, int lifetimeSeconds = 3600) const;

    const QList<Request> &requests() const { return m_requests; }
    int tokensIssued() const { return m_issued; }

private:
    void onNewConnection();
    QByteArray answer(const Request &request, int *status);
    /// Empty when \a assertion is a valid certificate assertion of \a clientId; else the AADSTS error text.
    QString checkCertificateAssertion(const QString &clientId, const QByteArray &assertion) const;

    QTcpServer m_server;
    std::shared_ptr<evp_pkey_st> m_key;
    QString m_kid;
    QMap<QString, QString> m_secrets;
    QMap<QString, QString> m_assertions;
    QMap<QString, QByteArray> m_certificates;
    QString m_identityHeader = QStringLiteral("wps-test-identity-header");
    bool m_imdsIdentity = true;
    QStringList m_roles{QStringLiteral("Web PubSub Service Owner")};
    int m_lifetime = 3600;
    QList<Request> m_requests;
    int m_issued = 0;
};

/// Saves every variable the credential chain reads, clears them, sets WPS_NO_IMDS=1 and puts the fake
/// `az`/`azd` (tests/support/fakes) first on PATH; restores all of it when it goes away. Every test that
/// builds a credential chain holds one, so no test can reach 169.254.169.254 or a real Azure tool.
class AuthEnvironmentGuard
{
public:
    AuthEnvironmentGuard();
    ~AuthEnvironmentGuard();
    AuthEnvironmentGuard(const AuthEnvironmentGuard &) = delete;
    AuthEnvironmentGuard &operator=(const AuthEnvironmentGuard &) = delete;

    void set(const char *name, const QString &value);
    void unset(const char *name);
    /// The folder with the fake `az` and `azd`.
    static QString fakesDir();

private:
    QList<QPair<QByteArray, std::optional<QByteArray>>> m_saved;
    void save(const char *name);
};

} // namespace wps::test
