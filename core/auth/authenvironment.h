#pragma once

#include "common/expected.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>

namespace wps::auth {

/// The settings the credential chain reads from the environment, captured once so a chain behaves the same
/// for its whole life and tests can build one without touching the process environment.
struct AuthEnvironment
{
    QString tenantId;                  ///< AZURE_TENANT_ID
    QString clientId;                  ///< AZURE_CLIENT_ID
    QString clientSecret;              ///< AZURE_CLIENT_SECRET (secret)
    QString clientCertificatePath;     ///< AZURE_CLIENT_CERTIFICATE_PATH (PEM with the key, or PKCS#12)
    QString clientCertificatePassword; ///< AZURE_CLIENT_CERTIFICATE_PASSWORD (secret)
    bool sendCertificateChain = false; ///< AZURE_CLIENT_SEND_CERTIFICATE_CHAIN=true: x5c in the assertion
    QString federatedTokenFile;        ///< AZURE_FEDERATED_TOKEN_FILE
    QString authorityHost;             ///< AZURE_AUTHORITY_HOST (default https://login.microsoftonline.com)
    QString identityEndpoint;          ///< IDENTITY_ENDPOINT (App Service / Functions / Container Apps)
    QString identityHeader;            ///< IDENTITY_HEADER (secret)
    QString imdsHost;                  ///< AZURE_POD_IDENTITY_AUTHORITY_HOST (IMDS override)
    QString tokenCredentials;          ///< AZURE_TOKEN_CREDENTIALS
    bool noImds = false;               ///< WPS_NO_IMDS=1: never probe the real IMDS address
    /// Where `az` / `azd` are looked up; empty means the process PATH.
    QString path;

    static AuthEnvironment fromProcess();
    static AuthEnvironment fromEnvironment(const QProcessEnvironment &environment);

    /// The authority as a URL with a trailing '/'. https is required except for loopback hosts (tests).
    Expected<QUrl, QString> authority() const;
};

/// Timeouts of the chain. Everything is bounded.
struct AuthOptions
{
    /// Per HTTP request to the identity platform or the App Service identity endpoint.
    std::chrono::milliseconds httpTimeout{30000};
    /// The first IMDS request: short, because off Azure nothing answers (as DefaultAzureCredential).
    std::chrono::milliseconds imdsProbeTimeout{1000};
    /// Per `az` / `azd` run.
    std::chrono::milliseconds processTimeout{13000};
};

} // namespace wps::auth
