#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QObject>
#include <QString>

namespace wps::auth {

/// The data-plane scope of Web PubSub (docs/protocol.md#entra-id).
inline constexpr char16_t DataPlaneScope[] = u"https://webpubsub.azure.com/.default";
/// The Azure Resource Manager scope (hub settings and keys).
inline constexpr char16_t ManagementScope[] = u"https://management.azure.com/.default";

/// An Entra ID access token. The token text is a secret: it must never reach a log, trace or error text.
struct AccessToken
{
    QByteArray token;
    QDateTime expiresOn;
    /// When a cache should fetch a new token: before expiry, so calls never carry an expiring token.
    QDateTime refreshOn;

    bool isValid(const QDateTime &now) const { return !token.isEmpty() && now < expiresOn; }
};

/// The outcome of one credential's attempt. `Unavailable` means "this credential does not apply here"
/// (not configured, tool not installed, not logged in): a chain moves on. `Failed` means it applies but
/// authentication failed: a DefaultAzureCredential-style chain stops there.
struct TokenResult
{
    enum class Status { Success, Unavailable, Failed };
    Status status = Status::Unavailable;
    AccessToken token;
    /// Why it did not succeed; safe to show (never contains a secret).
    QString reason;

    static TokenResult success(AccessToken token) { return {Status::Success, std::move(token), {}}; }
    static TokenResult unavailable(QString reason) { return {Status::Unavailable, {}, std::move(reason)}; }
    static TokenResult failed(QString reason) { return {Status::Failed, {}, std::move(reason)}; }
    bool ok() const { return status == Status::Success; }
};

/// One asynchronous token request. It emits finished() exactly once, never inside the call that created it,
/// so callers connect first (docs/style.md rule 7). Deleting it aborts the work silently.
class TokenRequest : public QObject
{
    Q_OBJECT
public:
    explicit TokenRequest(QObject *parent = nullptr);

    bool isFinished() const { return m_finished; }
    const TokenResult &result() const { return m_result; }

    /// Ends the request with \a result (on the next event-loop turn if called synchronously); later calls
    /// are ignored, so a timeout and a late answer cannot both finish it.
    void finish(TokenResult result);

Q_SIGNALS:
    void finished();

private:
    TokenResult m_result;
    bool m_finished = false;
    bool m_pending = false;
};

/// A source of Entra ID tokens, like Azure.Core's TokenCredential: asynchronous, no blocking calls.
class TokenCredential : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~TokenCredential() override;

    /// The Azure Identity name of the credential (e.g. "AzureCliCredential"), used in errors and by
    /// AZURE_TOKEN_CREDENTIALS.
    virtual QString name() const = 0;
    /// Starts fetching a token for \a scope; the request is parented to this credential.
    virtual TokenRequest *requestToken(const QString &scope) = 0;
};

/// `https://x/.default` -> `https://x`: the resource form managed identity and the Azure CLI take.
QString scopeToResource(const QString &scope);

/// When to refresh a token that expires at \a expiresOn and was fetched at \a now: 5 minutes before expiry,
/// or half way through a lifetime shorter than 10 minutes (the Azure SDKs' rule of thumb).
QDateTime refreshTimeFor(const QDateTime &now, const QDateTime &expiresOn);

} // namespace wps::auth
