#include "auth/authenvironment.h"

#include <QCoreApplication>
#include <QHostAddress>

using namespace Qt::Literals::StringLiterals;

namespace wps::auth {

AuthEnvironment AuthEnvironment::fromProcess()
{
    return fromEnvironment(QProcessEnvironment::systemEnvironment());
}

AuthEnvironment AuthEnvironment::fromEnvironment(const QProcessEnvironment &environment)
{
    AuthEnvironment env;
    env.tenantId = environment.value(u"AZURE_TENANT_ID"_s).trimmed();
    env.clientId = environment.value(u"AZURE_CLIENT_ID"_s).trimmed();
    env.clientSecret = environment.value(u"AZURE_CLIENT_SECRET"_s);
    env.clientCertificatePath = environment.value(u"AZURE_CLIENT_CERTIFICATE_PATH"_s);
    env.clientCertificatePassword = environment.value(u"AZURE_CLIENT_CERTIFICATE_PASSWORD"_s);
    const QString chain = environment.value(u"AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"_s).trimmed();
    env.sendCertificateChain = chain.compare(u"true"_s, Qt::CaseInsensitive) == 0 || chain == u"1"_s;
    env.federatedTokenFile = environment.value(u"AZURE_FEDERATED_TOKEN_FILE"_s);
    env.authorityHost = environment.value(u"AZURE_AUTHORITY_HOST"_s).trimmed();
    env.identityEndpoint = environment.value(u"IDENTITY_ENDPOINT"_s).trimmed();
    env.identityHeader = environment.value(u"IDENTITY_HEADER"_s);
    env.imdsHost = environment.value(u"AZURE_POD_IDENTITY_AUTHORITY_HOST"_s).trimmed();
    env.tokenCredentials = environment.value(u"AZURE_TOKEN_CREDENTIALS"_s).trimmed();
    const QString noImds = environment.value(u"WPS_NO_IMDS"_s).trimmed();
    env.noImds = !noImds.isEmpty() && noImds != u"0"_s;
    env.path = environment.value(u"PATH"_s);
    return env;
}

Expected<QUrl, QString> AuthEnvironment::authority() const
{
    QString text = authorityHost.isEmpty() ? u"https://login.microsoftonline.com/"_s : authorityHost;
    if (!text.endsWith(u'/'))
        text += u'/';
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return Expected<QUrl, QString>::failure(
            QCoreApplication::translate("wps::auth", "AZURE_AUTHORITY_HOST is not a valid URL: '%1'.")
                .arg(text));
    const bool loopback = url.host() == u"localhost"_s || QHostAddress(url.host()).isLoopback();
    if (url.scheme() != u"https"_s && !(url.scheme() == u"http"_s && loopback))
        return Expected<QUrl, QString>::failure(
            QCoreApplication::translate("wps::auth",
                                        "AZURE_AUTHORITY_HOST must use https (http only for loopback): '%1'.")
                .arg(text));
    return url;
}

} // namespace wps::auth
