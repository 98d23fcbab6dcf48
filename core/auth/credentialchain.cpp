#include "auth/credentialchain.h"

#include "auth/authlogging.h"
#include "auth/credentials.h"

#include <QCoreApplication>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace wps::auth {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::auth", text);
}

} // namespace

QStringList defaultCredentialOrder()
{
    return {u"EnvironmentCredential"_s, u"WorkloadIdentityCredential"_s, u"ManagedIdentityCredential"_s,
            u"AzureCliCredential"_s, u"AzureDeveloperCliCredential"_s};
}

Expected<QStringList, QString> selectCredentials(const QString &tokenCredentials)
{
    const QString value = tokenCredentials.trimmed();
    if (value.isEmpty())
        return defaultCredentialOrder();
    if (value.compare(u"prod"_s, Qt::CaseInsensitive) == 0)
        return QStringList{u"EnvironmentCredential"_s, u"WorkloadIdentityCredential"_s,
                           u"ManagedIdentityCredential"_s};
    if (value.compare(u"dev"_s, Qt::CaseInsensitive) == 0)
        return QStringList{u"AzureCliCredential"_s, u"AzureDeveloperCliCredential"_s};
    for (const QString &name : defaultCredentialOrder())
        if (value.compare(name, Qt::CaseInsensitive) == 0)
            return QStringList{name};
    static const QStringList notHere{u"VisualStudioCredential"_s,       u"VisualStudioCodeCredential"_s,
                                     u"AzurePowerShellCredential"_s,    u"SharedTokenCacheCredential"_s,
                                     u"InteractiveBrowserCredential"_s, u"BrokerCredential"_s};
    for (const QString &name : notHere)
        if (value.compare(name, Qt::CaseInsensitive) == 0)
            return Expected<QStringList, QString>::failure(
                tr("AZURE_TOKEN_CREDENTIALS names %1, which this tool does not support.").arg(name));
    return Expected<QStringList, QString>::failure(
        tr("AZURE_TOKEN_CREDENTIALS has the invalid value '%1'; use prod, dev or one of: %2.")
            .arg(value.left(80), defaultCredentialOrder().join(u", "_s)));
}

Expected<CredentialChain *, QString> CredentialChain::create(const AuthEnvironment &env,
                                                             const AuthOptions &options, QObject *parent)
{
    const auto names = selectCredentials(env.tokenCredentials);
    if (!names)
        return Expected<CredentialChain *, QString>::failure(names.error());
    if (!env.authorityHost.isEmpty()) {
        if (const auto authority = env.authority(); !authority)
            return Expected<CredentialChain *, QString>::failure(authority.error());
    }
    QList<TokenCredential *> credentials;
    for (const QString &name : *names) {
        if (name == u"EnvironmentCredential"_s)
            credentials << new EnvironmentCredential(env, options);
        else if (name == u"WorkloadIdentityCredential"_s)
            credentials << new WorkloadIdentityCredential(env, options);
        else if (name == u"ManagedIdentityCredential"_s)
            credentials << new ManagedIdentityCredential(env, options);
        else if (name == u"AzureCliCredential"_s)
            credentials << new AzureCliCredential(env, options);
        else if (name == u"AzureDeveloperCliCredential"_s)
            credentials << new AzureDeveloperCliCredential(env, options);
    }
    return new CredentialChain(credentials, parent);
}

CredentialChain::CredentialChain(QList<TokenCredential *> credentials, QObject *parent)
    : QObject(parent)
    , m_credentials(std::move(credentials))
{
    for (TokenCredential *credential : std::as_const(m_credentials))
        credential->setParent(this);
}

QStringList CredentialChain::credentialNames() const
{
    QStringList names;
    for (const TokenCredential *credential : m_credentials)
        names << credential->name();
    return names;
}

std::optional<AccessToken> CredentialChain::cachedToken(const QString &scope) const
{
    const auto it = m_cache.constFind(scope);
    if (it == m_cache.cend() || !it->isValid(QDateTime::currentDateTimeUtc()))
        return std::nullopt;
    return *it;
}

TokenRequest *CredentialChain::getToken(const QString &scope)
{
    auto *request = new TokenRequest(this);
    const auto it = m_cache.constFind(scope);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (it != m_cache.cend() && it->isValid(now) && now < it->refreshOn) {
        request->finish(TokenResult::success(*it));
        return request;
    }
    const bool running = m_attempts.contains(scope);
    m_attempts[scope].waiters << request;
    if (!running)
        startAttempt(scope);
    return request;
}

void CredentialChain::startAttempt(const QString &scope)
{
    Attempt &attempt = m_attempts[scope];
    attempt.scope = scope;
    attempt.next = m_selected >= 0 ? m_selected : 0;
    attempt.failures.clear();
    if (m_credentials.isEmpty()) {
        complete(scope, TokenResult::failed(tr("No credential is enabled.")));
        return;
    }
    tryNext(scope);
}

void CredentialChain::tryNext(const QString &scope)
{
    Attempt &attempt = m_attempts[scope];
    const int index = attempt.next++;
    TokenCredential *credential = m_credentials.at(index);
    qCDebug(lcAuth) << "trying" << credential->name() << "for" << scope;
    TokenRequest *request = credential->requestToken(scope);
    connect(request, &TokenRequest::finished, this, [this, request, index, scope] {
        request->deleteLater();
        const TokenResult result = request->result();
        const QString name = m_credentials.at(index)->name();
        if (result.ok()) {
            qCInfo(lcAuth) << name << "got a token for" << scope;
            m_selected = index;
            complete(scope, result);
            return;
        }
        Attempt &current = m_attempts[scope];
        current.failures << name + u": "_s + result.reason;
        qCInfo(lcAuth).noquote() << name << "failed:" << result.reason;
        const bool last = m_selected >= 0 || current.next >= m_credentials.size();
        if (result.status == TokenResult::Status::Failed || last) {
            const QString why = tr("No Entra ID credential could get a token for %1:").arg(scope) +
                                u"\n  "_s + current.failures.join(u"\n  "_s);
            complete(scope, TokenResult::failed(why));
            return;
        }
        tryNext(scope);
    });
}

void CredentialChain::complete(const QString &scope, const TokenResult &result)
{
    const Attempt attempt = m_attempts.take(scope);
    if (result.ok()) {
        m_cache.insert(scope, result.token);
        m_lastError.remove(scope);
        Q_EMIT tokenRefreshed(scope);
        if (m_autoRefresh) {
            const qint64 ms =
                qMax<qint64>(QDateTime::currentDateTimeUtc().msecsTo(result.token.refreshOn), 1000);
            QTimer::singleShot(std::chrono::milliseconds(ms), this, [this, scope] {
                if (!m_attempts.contains(scope))
                    startAttempt(scope);
            });
        }
    } else {
        m_lastError.insert(scope, result.reason);
    }
    for (const QPointer<TokenRequest> &waiter : attempt.waiters)
        if (waiter)
            waiter->finish(result);
}

} // namespace wps::auth
