#pragma once

#include "auth/authenvironment.h"
#include "auth/tokencredential.h"
#include "common/expected.h"

#include <QHash>
#include <QList>
#include <QPointer>

#include <optional>

namespace wps::auth {

/// The credentials DefaultAzureCredential tries, in its order, that this tool implements.
QStringList defaultCredentialOrder();

/// Which credentials AZURE_TOKEN_CREDENTIALS keeps (docs/entra-id.md): empty -> all; `prod` -> Environment,
/// WorkloadIdentity, ManagedIdentity; `dev` -> AzureCli, AzureDeveloperCli; a credential's name (case
/// insensitive) -> only that one. Anything else is an error naming the allowed values.
Expected<QStringList, QString> selectCredentials(const QString &tokenCredentials);

/// DefaultAzureCredential's chain over QNetworkAccessManager and QProcess: tries each credential in order
/// until one gives a token. "Unavailable" moves on; an authentication failure of a credential that applies
/// stops the chain. Once a credential succeeded the chain sticks to it. Tokens are cached per scope, shared
/// by concurrent callers, and (with setAutoRefresh) renewed ahead of expiry by a timer.
class CredentialChain : public QObject
{
    Q_OBJECT
public:
    /// Builds the chain from \a env; fails when AZURE_TOKEN_CREDENTIALS or AZURE_AUTHORITY_HOST is invalid.
    static Expected<CredentialChain *, QString>
    create(const AuthEnvironment &env, const AuthOptions &options = {}, QObject *parent = nullptr);
    /// A chain over given credentials (tests, or a caller's own ChainedTokenCredential); takes ownership.
    explicit CredentialChain(QList<TokenCredential *> credentials, QObject *parent = nullptr);

    QStringList credentialNames() const;

    /// A token for \a scope: the cached one while it is before its refresh time, else a new one. The
    /// request is parented to the chain and finishes once; on failure its reason lists every credential
    /// tried and why it failed.
    TokenRequest *getToken(const QString &scope);
    /// The cached token for \a scope if it has not expired (it may be due for refresh).
    std::optional<AccessToken> cachedToken(const QString &scope) const;
    /// The reason of the last failed attempt for \a scope, if any.
    QString lastError(const QString &scope) const { return m_lastError.value(scope); }

    /// When on, each cached token is renewed at its refresh time without a caller asking.
    void setAutoRefresh(bool on) { m_autoRefresh = on; }

Q_SIGNALS:
    /// A new token for \a scope was cached.
    void tokenRefreshed(const QString &scope);

private:
    struct Attempt
    {
        QString scope;
        int next = 0;
        QStringList failures;
        QList<QPointer<TokenRequest>> waiters;
    };

    void startAttempt(const QString &scope);
    void tryNext(const QString &scope);
    void complete(const QString &scope, const TokenResult &result);

    QList<TokenCredential *> m_credentials;
    int m_selected = -1;
    bool m_autoRefresh = false;
    QHash<QString, AccessToken> m_cache;
    QHash<QString, QString> m_lastError;
    QHash<QString, Attempt> m_attempts;
};

} // namespace wps::auth
