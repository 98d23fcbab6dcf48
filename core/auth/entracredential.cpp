#include "auth/entracredential.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace wps::auth {

EntraCredential::EntraCredential(CredentialChain *chain, QString scope)
    : m_chain(chain)
    , m_scope(std::move(scope))
{
}

Expected<QByteArray, QString> EntraCredential::authorization(const QUrl &) const
{
    using Result = Expected<QByteArray, QString>;
    if (!m_chain)
        return Result::failure(QCoreApplication::translate("wps::auth", "The Entra ID credential is gone."));
    if (const auto token = m_chain->cachedToken(m_scope))
        return QByteArray(QByteArrayLiteral("Bearer ") + token->token);
    const QString last = m_chain->lastError(m_scope);
    return Result::failure(last.isEmpty() ? QCoreApplication::translate(
                                                "wps::auth", "No Entra ID token for %1 is available yet.")
                                                .arg(m_scope)
                                          : last);
}

} // namespace wps::auth
