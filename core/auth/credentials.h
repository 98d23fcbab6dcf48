#pragma once

#include "auth/authenvironment.h"
#include "auth/tokencredential.h"

#include <memory>

namespace wps::service {
class HttpClient;
}

namespace wps::auth {

class ClientCertificate;

/// Client secret against the Microsoft identity platform (`{authority}{tenant}/oauth2/v2.0/token`,
/// client-credentials grant). Used by EnvironmentCredential.
class ClientSecretCredential : public TokenCredential
{
    Q_OBJECT
public:
    ClientSecretCredential(AuthEnvironment env, AuthOptions options, QObject *parent = nullptr);
    QString name() const override;
    TokenRequest *requestToken(const QString &scope) override;

private:
    AuthEnvironment m_env;
    AuthOptions m_options;
    service::HttpClient *m_http;
};

/// A service principal with a certificate: a client assertion (RS256, `x5t`) signed with the key of
/// AZURE_CLIENT_CERTIFICATE_PATH, exchanged at `{authority}{tenant}/oauth2/v2.0/token`. The file is read
/// once, at the first request; a bad file is reported as this credential's failure. Used by
/// EnvironmentCredential.
class ClientCertificateCredential : public TokenCredential
{
    Q_OBJECT
public:
    ClientCertificateCredential(AuthEnvironment env, AuthOptions options, QObject *parent = nullptr);
    ~ClientCertificateCredential() override;
    QString name() const override;
    TokenRequest *requestToken(const QString &scope) override;

private:
    AuthEnvironment m_env;
    AuthOptions m_options;
    service::HttpClient *m_http;
    std::shared_ptr<ClientCertificate> m_certificate;
};

/// AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH (a service
/// principal), as Azure Identity's EnvironmentCredential: the secret wins when both are set.
class EnvironmentCredential : public TokenCredential
{
    Q_OBJECT
public:
    EnvironmentCredential(AuthEnvironment env, AuthOptions options, QObject *parent = nullptr);
    QString name() const override;
    TokenRequest *requestToken(const QString &scope) override;

private:
    AuthEnvironment m_env;
    TokenCredential *m_inner = nullptr;
};

/// Workload identity (AKS and other federations): the file AZURE_FEDERATED_TOKEN_FILE holds a JWT that is
/// exchanged as a client assertion for the app AZURE_CLIENT_ID in AZURE_TENANT_ID. The file is re-read for
/// every request because the platform rotates it.
class WorkloadIdentityCredential : public TokenCredential
{
    Q_OBJECT
public:
    WorkloadIdentityCredential(AuthEnvironment env, AuthOptions options, QObject *parent = nullptr);
    QString name() const override;
    TokenRequest *requestToken(const QString &scope) override;

private:
    AuthEnvironment m_env;
    AuthOptions m_options;
    service::HttpClient *m_http;
};

/// Managed identity: the App Service identity endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER) when set,
/// otherwise IMDS at AZURE_POD_IDENTITY_AUTHORITY_HOST or 169.254.169.254. With WPS_NO_IMDS=1 it never
/// contacts 169.254.169.254. AZURE_CLIENT_ID selects a user-assigned identity.
class ManagedIdentityCredential : public TokenCredential
{
    Q_OBJECT
public:
    ManagedIdentityCredential(AuthEnvironment env, AuthOptions options, QObject *parent = nullptr);
    QString name() const override;
    TokenRequest *requestToken(const QString &scope) override;

private:
    AuthEnvironment m_env;
    AuthOptions m_options;
    service::HttpClient *m_http;
};

/// `az account get-access-token --output json --resource <resource>` run asynchronously with QProcess.
/// As in DefaultAzureCredential, every failure (not installed, not logged in, timeout) is "unavailable".
class AzureCliCredential : public TokenCredential
{
    Q_OBJECT
public:
    AzureCliCredential(AuthEnvironment env, AuthOptions options, QObject *parent = nullptr);
    QString name() const override;
    TokenRequest *requestToken(const QString &scope) override;

private:
    AuthEnvironment m_env;
    AuthOptions m_options;
};

/// `azd auth token --output json --no-prompt --scope <scope>`, like AzureCliCredential.
class AzureDeveloperCliCredential : public TokenCredential
{
    Q_OBJECT
public:
    AzureDeveloperCliCredential(AuthEnvironment env, AuthOptions options, QObject *parent = nullptr);
    QString name() const override;
    TokenRequest *requestToken(const QString &scope) override;

private:
    AuthEnvironment m_env;
    AuthOptions m_options;
};

} // namespace wps::auth
