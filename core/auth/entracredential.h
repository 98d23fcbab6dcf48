#pragma once

#include "auth/credentialchain.h"
#include "service/credential.h"

#include <QPointer>

namespace wps::auth {

/// Adapts a CredentialChain to the synchronous service::Credential interface ServiceClient asks per
/// request: it answers with the chain's cached bearer token for \a scope. Get a first token with
/// CredentialChain::getToken() and turn on auto refresh before handing this to a ServiceClient.
class EntraCredential : public service::Credential
{
public:
    explicit EntraCredential(CredentialChain *chain, QString scope = QString::fromUtf16(DataPlaneScope));

    Expected<QByteArray, QString> authorization(const QUrl &url) const override;

private:
    QPointer<CredentialChain> m_chain;
    QString m_scope;
};

} // namespace wps::auth
