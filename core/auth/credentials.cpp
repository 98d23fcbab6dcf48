#include "auth/credentials.h"

#include "auth/authlogging.h"
#include "auth/clientassertion.h"
#include "service/httpjob.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTimeZone>
#include <QTimer>
#include <QUrlQuery>

#include <functional>
#include <memory>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcAuth, "wps.auth")

namespace wps::auth {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::auth", text);
}

/// What an HTTP exchange produced: a status and body, or a transport failure.
struct HttpOutcome
{
    bool transportError = false;
    int status = 0;
    QByteArray body;
    QString errorText;
};

/// The token endpoints' HTTP client: the shared job engine without a credential (the request carries its
/// own proof), no retries (a chain moves on instead; an IMDS probe must fail fast), nothing of the
/// requests' or answers' bodies in traces (client secrets, assertions, tokens).
service::HttpClient *makeHttpClient(QObject *parent, std::chrono::milliseconds timeout)
{
    auto *client = new service::HttpClient(nullptr, lcAuth, parent);
    service::HttpOptions options;
    options.timeout = timeout;
    options.retry.maxRetries = 0;
    client->setHttpOptions(options);
    return client;
}

/// Sends one request on \a http, bounded by \a timeout, and calls \a done with the outcome unless
/// \a request was deleted first (which aborts the exchange).
void sendHttp(service::HttpClient *http, TokenRequest *request, service::HttpRequest httpRequest,
              std::chrono::milliseconds timeout, std::function<void(const HttpOutcome &)> done)
{
    httpRequest.success = {200};
    httpRequest.timeout = timeout;
    httpRequest.secretRequestBody = true;
    httpRequest.secretAnswer = true;
    service::HttpJob *job = http->sendRequest(u"getToken"_s, std::move(httpRequest));
    QObject::connect(request, &QObject::destroyed, job, &QObject::deleteLater);
    QObject::connect(job, &service::HttpJob::finished, request, [job, done] {
        job->deleteLater();
        HttpOutcome outcome;
        outcome.status = job->httpStatus();
        outcome.body = job->responseBody().left(1024 * 1024);
        if (job->hasError() && job->error().httpStatus == 0) {
            outcome.transportError = true;
            outcome.errorText = job->error().message;
        }
        done(outcome);
    });
}

QString shortText(const QByteArray &text)
{
    QString out = QString::fromUtf8(text.left(300)).simplified();
    return out;
}

/// The reason in an identity-platform error body (`error` + `error_description`), else the status.
QString identityError(const HttpOutcome &outcome)
{
    const QJsonObject object = QJsonDocument::fromJson(outcome.body).object();
    QString what = object.value(u"error_description"_s).toString();
    if (what.isEmpty())
        what = object.value(u"error"_s).toString();
    if (what.isEmpty())
        what = object.value(u"message"_s).toString();
    if (what.isEmpty())
        what = shortText(outcome.body);
    what = what.left(300);
    return what.isEmpty() ? tr("HTTP %1").arg(outcome.status)
                          : tr("HTTP %1: %2").arg(outcome.status).arg(what);
}

/// Reads `expires_on` (seconds since the epoch, string or number) or `expires_in` (seconds from now).
QDateTime expiryOf(const QJsonObject &object, const QDateTime &now)
{
    const QJsonValue on = object.value(u"expires_on"_s);
    bool ok = false;
    const qint64 epoch = on.isString() ? on.toString().toLongLong(&ok) : static_cast<qint64>(on.toDouble(0));
    if ((on.isString() && ok) || (on.isDouble() && epoch > 0))
        return QDateTime::fromSecsSinceEpoch(epoch, QTimeZone::utc());
    const QJsonValue in = object.value(u"expires_in"_s);
    const qint64 seconds = in.isString() ? in.toString().toLongLong() : static_cast<qint64>(in.toDouble(0));
    if (seconds > 0)
        return now.addSecs(seconds);
    return {};
}

/// Parses an OAuth token response: `access_token` plus an expiry.
TokenResult parseTokenResponse(const QByteArray &body)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    const QString token = object.value(u"access_token"_s).toString();
    const QDateTime expires = expiryOf(object, now);
    if (token.isEmpty() || !expires.isValid())
        return TokenResult::failed(tr("the token response has no access_token or expiry"));
    return TokenResult::success({token.toUtf8(), expires, refreshTimeFor(now, expires)});
}

service::HttpRequest formRequest(const QUrl &url, QByteArray body)
{
    service::HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.body = std::move(body);
    request.contentType = QByteArrayLiteral("application/x-www-form-urlencoded");
    request.headers = {{QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")}};
    return request;
}

service::HttpRequest getRequest(const QUrl &url, QList<QPair<QByteArray, QByteArray>> headers)
{
    service::HttpRequest request;
    request.method = "GET";
    request.url = url;
    request.headers = std::move(headers);
    request.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});
    return request;
}

QByteArray formBody(const QList<QPair<QString, QString>> &fields)
{
    QByteArray out;
    for (const auto &[key, value] : fields) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

/// Posts a client-credentials grant to `{authority}{tenant}/oauth2/v2.0/token`.
TokenRequest *requestFromIdentityPlatform(TokenCredential *credential, service::HttpClient *http,
                                          const AuthEnvironment &env, const AuthOptions &options,
                                          const QList<QPair<QString, QString>> &fields)
{
    auto *request = new TokenRequest(credential);
    const auto authority = env.authority();
    if (!authority) {
        request->finish(TokenResult::unavailable(authority.error()));
        return request;
    }
    const QUrl url = authority->resolved(
        QUrl(QString::fromLatin1(QUrl::toPercentEncoding(env.tenantId)) + u"/oauth2/v2.0/token"_s));
    qCDebug(lcAuth) << credential->name() << "requests a token from" << url.toDisplayString();
    sendHttp(http, request, formRequest(url, formBody(fields)), options.httpTimeout,
             [request](const HttpOutcome &outcome) {
                 if (outcome.transportError)
                     request->finish(TokenResult::failed(
                         tr("the identity platform did not answer: %1").arg(outcome.errorText)));
                 else if (outcome.status != 200)
                     request->finish(TokenResult::failed(identityError(outcome)));
                 else
                     request->finish(parseTokenResponse(outcome.body));
             });
    return request;
}

bool isValidTenant(const QString &tenant)
{
    if (tenant.isEmpty())
        return false;
    for (const QChar c : tenant)
        if (!(c.isLetterOrNumber() || c == u'-' || c == u'.'))
            return false;
    return true;
}

} // namespace

// --- ClientSecretCredential ---

ClientSecretCredential::ClientSecretCredential(AuthEnvironment env, AuthOptions options, QObject *parent)
    : TokenCredential(parent)
    , m_env(std::move(env))
    , m_options(options)
    , m_http(makeHttpClient(this, m_options.httpTimeout))
{
}

QString ClientSecretCredential::name() const
{
    return u"ClientSecretCredential"_s;
}

TokenRequest *ClientSecretCredential::requestToken(const QString &scope)
{
    if (!isValidTenant(m_env.tenantId)) {
        auto *request = new TokenRequest(this);
        request->finish(TokenResult::unavailable(tr("AZURE_TENANT_ID is not a valid tenant ID")));
        return request;
    }
    return requestFromIdentityPlatform(this, m_http, m_env, m_options,
                                       {{u"grant_type"_s, u"client_credentials"_s},
                                        {u"client_id"_s, m_env.clientId},
                                        {u"client_secret"_s, m_env.clientSecret},
                                        {u"scope"_s, scope}});
}

// --- ClientCertificateCredential ---

ClientCertificateCredential::ClientCertificateCredential(AuthEnvironment env, AuthOptions options,
                                                         QObject *parent)
    : TokenCredential(parent)
    , m_env(std::move(env))
    , m_options(options)
    , m_http(makeHttpClient(this, m_options.httpTimeout))
{
}

ClientCertificateCredential::~ClientCertificateCredential() = default;

QString ClientCertificateCredential::name() const
{
    return u"ClientCertificateCredential"_s;
}

TokenRequest *ClientCertificateCredential::requestToken(const QString &scope)
{
    auto fail = [this](TokenResult result) {
        auto *request = new TokenRequest(this);
        request->finish(std::move(result));
        return request;
    };
    if (!isValidTenant(m_env.tenantId))
        return fail(TokenResult::unavailable(tr("AZURE_TENANT_ID is not a valid tenant ID")));
    const auto authority = m_env.authority();
    if (!authority)
        return fail(TokenResult::unavailable(authority.error()));
    if (!m_certificate) {
        auto loaded = ClientCertificate::load(m_env.clientCertificatePath, m_env.clientCertificatePassword);
        if (!loaded)
            return fail(TokenResult::failed(loaded.error()));
        m_certificate = *loaded;
    }
    const QUrl tokenUrl = authority->resolved(
        QUrl(QString::fromLatin1(QUrl::toPercentEncoding(m_env.tenantId)) + u"/oauth2/v2.0/token"_s));
    const auto assertion = m_certificate->assertion(m_env.clientId, tokenUrl, m_env.sendCertificateChain);
    if (!assertion)
        return fail(TokenResult::failed(assertion.error()));
    return requestFromIdentityPlatform(
        this, m_http, m_env, m_options,
        {{u"grant_type"_s, u"client_credentials"_s},
         {u"client_id"_s, m_env.clientId},
         {u"client_assertion_type"_s, u"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"_s},
         {u"client_assertion"_s, QString::fromLatin1(*assertion)},
         {u"scope"_s, scope}});
}

// --- EnvironmentCredential ---

EnvironmentCredential::EnvironmentCredential(AuthEnvironment env, AuthOptions options, QObject *parent)
    : TokenCredential(parent)
    , m_env(std::move(env))
{
    if (m_env.tenantId.isEmpty() || m_env.clientId.isEmpty())
        return;
    if (!m_env.clientSecret.isEmpty())
        m_inner = new ClientSecretCredential(m_env, options, this);
    else if (!m_env.clientCertificatePath.isEmpty())
        m_inner = new ClientCertificateCredential(m_env, options, this);
}

QString EnvironmentCredential::name() const
{
    return u"EnvironmentCredential"_s;
}

TokenRequest *EnvironmentCredential::requestToken(const QString &scope)
{
    if (m_inner) {
        // The inner request is parented to the inner credential; forward its result.
        auto *outer = new TokenRequest(this);
        TokenRequest *inner = m_inner->requestToken(scope);
        connect(inner, &TokenRequest::finished, outer, [outer, inner] {
            outer->finish(inner->result());
            inner->deleteLater();
        });
        connect(outer, &QObject::destroyed, inner, &QObject::deleteLater);
        return outer;
    }
    auto *request = new TokenRequest(this);
    request->finish(TokenResult::unavailable(
        tr("environment variables are not fully configured (AZURE_TENANT_ID, AZURE_CLIENT_ID and "
           "AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH are needed)")));
    return request;
}

// --- WorkloadIdentityCredential ---

WorkloadIdentityCredential::WorkloadIdentityCredential(AuthEnvironment env, AuthOptions options,
                                                       QObject *parent)
    : TokenCredential(parent)
    , m_env(std::move(env))
    , m_options(options)
    , m_http(makeHttpClient(this, m_options.httpTimeout))
{
}

QString WorkloadIdentityCredential::name() const
{
    return u"WorkloadIdentityCredential"_s;
}

TokenRequest *WorkloadIdentityCredential::requestToken(const QString &scope)
{
    if (m_env.tenantId.isEmpty() || m_env.clientId.isEmpty() || m_env.federatedTokenFile.isEmpty()) {
        auto *request = new TokenRequest(this);
        request->finish(TokenResult::unavailable(tr(
            "not configured (AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE are needed)")));
        return request;
    }
    if (!isValidTenant(m_env.tenantId)) {
        auto *request = new TokenRequest(this);
        request->finish(TokenResult::unavailable(tr("AZURE_TENANT_ID is not a valid tenant ID")));
        return request;
    }
    QFile file(m_env.federatedTokenFile);
    QByteArray assertion;
    if (file.open(QIODevice::ReadOnly))
        assertion = file.read(64 * 1024).trimmed();
    if (assertion.isEmpty()) {
        auto *request = new TokenRequest(this);
        request->finish(TokenResult::failed(
            tr("cannot read the federated token file '%1'").arg(m_env.federatedTokenFile)));
        return request;
    }
    return requestFromIdentityPlatform(
        this, m_http, m_env, m_options,
        {{u"grant_type"_s, u"client_credentials"_s},
         {u"client_id"_s, m_env.clientId},
         {u"client_assertion_type"_s, u"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"_s},
         {u"client_assertion"_s, QString::fromUtf8(assertion)},
         {u"scope"_s, scope}});
}

// --- ManagedIdentityCredential ---

ManagedIdentityCredential::ManagedIdentityCredential(AuthEnvironment env, AuthOptions options,
                                                     QObject *parent)
    : TokenCredential(parent)
    , m_env(std::move(env))
    , m_options(options)
    , m_http(makeHttpClient(this, m_options.httpTimeout))
{
}

QString ManagedIdentityCredential::name() const
{
    return u"ManagedIdentityCredential"_s;
}

TokenRequest *ManagedIdentityCredential::requestToken(const QString &scope)
{
    auto *request = new TokenRequest(this);
    const QString resource = scopeToResource(scope);

    if (!m_env.identityEndpoint.isEmpty() && !m_env.identityHeader.isEmpty()) {
        // App Service, Functions, Container Apps: api-version 2019-08-01 with X-IDENTITY-HEADER.
        QUrl url(m_env.identityEndpoint, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s)) {
            request->finish(TokenResult::unavailable(tr("IDENTITY_ENDPOINT is not a valid http(s) URL")));
            return request;
        }
        QUrlQuery query(url);
        query.addQueryItem(u"api-version"_s, u"2019-08-01"_s);
        query.addQueryItem(u"resource"_s, resource);
        if (!m_env.clientId.isEmpty())
            query.addQueryItem(u"client_id"_s, m_env.clientId);
        url.setQuery(query);
        qCDebug(lcAuth) << "managed identity: App Service endpoint" << url.adjusted(QUrl::RemoveQuery);
        sendHttp(m_http, request, getRequest(url, {{"X-IDENTITY-HEADER", m_env.identityHeader.toUtf8()}}),
                 m_options.httpTimeout, [request](const HttpOutcome &o) {
                     if (o.transportError)
                         request->finish(TokenResult::unavailable(
                             tr("the App Service identity endpoint did not answer: %1").arg(o.errorText)));
                     else if (o.status != 200)
                         request->finish(TokenResult::failed(identityError(o)));
                     else
                         request->finish(parseTokenResponse(o.body));
                 });
        return request;
    }

    // IMDS.
    const bool overridden = !m_env.imdsHost.isEmpty();
    QString host = overridden ? m_env.imdsHost : u"http://169.254.169.254"_s;
    if (!host.contains(u"://"_s))
        host.prepend(u"http://"_s);
    QUrl url(host, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()) {
        request->finish(TokenResult::unavailable(tr("AZURE_POD_IDENTITY_AUTHORITY_HOST is not a valid URL")));
        return request;
    }
    if (m_env.noImds && url.host() == u"169.254.169.254"_s) {
        request->finish(
            TokenResult::unavailable(tr("IMDS at 169.254.169.254 is not probed because WPS_NO_IMDS is set")));
        return request;
    }
    url.setPath(u"/metadata/identity/oauth2/token"_s);
    QUrlQuery query;
    query.addQueryItem(u"api-version"_s, u"2018-02-01"_s);
    query.addQueryItem(u"resource"_s, resource);
    if (!m_env.clientId.isEmpty())
        query.addQueryItem(u"client_id"_s, m_env.clientId);
    url.setQuery(query);
    qCDebug(lcAuth) << "managed identity: IMDS at" << url.adjusted(QUrl::RemoveQuery);
    sendHttp(m_http, request, getRequest(url, {{"Metadata", "true"}}), m_options.imdsProbeTimeout,
             [request](const HttpOutcome &o) {
                 if (o.transportError)
                     request->finish(
                         TokenResult::unavailable(tr("no IMDS endpoint answered: %1").arg(o.errorText)));
                 else if (o.status == 400)
                     request->finish(TokenResult::unavailable(
                         tr("IMDS has no managed identity for this request (%1)").arg(identityError(o))));
                 else if (o.status != 200)
                     request->finish(TokenResult::failed(identityError(o)));
                 else
                     request->finish(parseTokenResponse(o.body));
             });
    return request;
}

// --- developer tools ---

namespace {

/// Runs \a program with \a arguments without a shell, bounded by \a timeout, and hands stdout or a reason
/// to \a done. Every failure is "unavailable", as the developer credentials behave in a default chain.
void runTool(TokenRequest *request, const AuthEnvironment &env, const QString &program,
             const QStringList &arguments, std::chrono::milliseconds timeout, const QString &loginHint,
             std::function<TokenResult(const QByteArray &)> parse)
{
    const QStringList dirs = env.path.split(u':', Qt::SkipEmptyParts);
    const QString executable = QStandardPaths::findExecutable(program, dirs);
    if (executable.isEmpty()) {
        request->finish(TokenResult::unavailable(tr("'%1' was not found on PATH").arg(program)));
        return;
    }
    auto *process = new QProcess(request);
    process->setProgram(executable);
    process->setArguments(arguments);
    process->setWorkingDirectory(QDir::homePath());
    auto *timer = new QTimer(request);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, process, [request, process, program, timeout] {
        request->finish(TokenResult::unavailable(
            tr("'%1' did not finish within %2 ms").arg(program).arg(timeout.count())));
        process->kill();
    });
    QObject::connect(process, &QProcess::errorOccurred, request,
                     [request, process, program](QProcess::ProcessError e) {
                         if (e == QProcess::FailedToStart)
                             request->finish(TokenResult::unavailable(
                                 tr("'%1' could not be started: %2").arg(program, process->errorString())));
                     });
    QObject::connect(
        process, &QProcess::finished, request,
        [request, process, timer, program, loginHint, parse](int code, QProcess::ExitStatus status) {
            timer->stop();
            const QByteArray out = process->readAllStandardOutput();
            const QByteArray err = process->readAllStandardError();
            if (status != QProcess::NormalExit || code != 0) {
                QString why = shortText(err);
                if (why.contains(u"login"_s, Qt::CaseInsensitive))
                    why = tr("not logged in; run '%1'").arg(loginHint);
                else if (why.isEmpty())
                    why = tr("'%1' exited with code %2").arg(program).arg(code);
                request->finish(TokenResult::unavailable(why.left(300)));
                return;
            }
            TokenResult result = parse(out);
            if (!result.ok())
                result.status = TokenResult::Status::Unavailable;
            request->finish(result);
        });
    timer->start(timeout);
    process->start(QIODevice::ReadOnly);
}

QDateTime parseLooseDate(const QString &text)
{
    QDateTime when = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!when.isValid())
        when = QDateTime::fromString(text, Qt::ISODate);
    if (!when.isValid()) // az's old "2024-01-01 12:00:00.000000", local time
        when = QDateTime::fromString(text.left(19), u"yyyy-MM-dd HH:mm:ss"_s);
    return when;
}

} // namespace

AzureCliCredential::AzureCliCredential(AuthEnvironment env, AuthOptions options, QObject *parent)
    : TokenCredential(parent)
    , m_env(std::move(env))
    , m_options(options)
{
}

QString AzureCliCredential::name() const
{
    return u"AzureCliCredential"_s;
}

TokenRequest *AzureCliCredential::requestToken(const QString &scope)
{
    auto *request = new TokenRequest(this);
    const QString resource = scopeToResource(scope);
    runTool(request, m_env, u"az"_s,
            {u"account"_s, u"get-access-token"_s, u"--output"_s, u"json"_s, u"--resource"_s, resource},
            m_options.processTimeout, u"az login"_s, [](const QByteArray &out) {
                const QDateTime now = QDateTime::currentDateTimeUtc();
                const QJsonObject object = QJsonDocument::fromJson(out).object();
                const QString token = object.value(u"accessToken"_s).toString();
                QDateTime expires;
                if (object.value(u"expires_on"_s).isDouble())
                    expires = QDateTime::fromSecsSinceEpoch(
                        static_cast<qint64>(object.value(u"expires_on"_s).toDouble()), QTimeZone::utc());
                else
                    expires = parseLooseDate(object.value(u"expiresOn"_s).toString());
                if (token.isEmpty() || !expires.isValid())
                    return TokenResult::unavailable(tr("could not read the output of 'az'"));
                return TokenResult::success({token.toUtf8(), expires, refreshTimeFor(now, expires)});
            });
    return request;
}

AzureDeveloperCliCredential::AzureDeveloperCliCredential(AuthEnvironment env, AuthOptions options,
                                                         QObject *parent)
    : TokenCredential(parent)
    , m_env(std::move(env))
    , m_options(options)
{
}

QString AzureDeveloperCliCredential::name() const
{
    return u"AzureDeveloperCliCredential"_s;
}

TokenRequest *AzureDeveloperCliCredential::requestToken(const QString &scope)
{
    auto *request = new TokenRequest(this);
    runTool(request, m_env, u"azd"_s,
            {u"auth"_s, u"token"_s, u"--output"_s, u"json"_s, u"--no-prompt"_s, u"--scope"_s, scope},
            m_options.processTimeout, u"azd auth login"_s, [](const QByteArray &out) {
                const QDateTime now = QDateTime::currentDateTimeUtc();
                const QJsonObject object = QJsonDocument::fromJson(out).object();
                const QString token = object.value(u"token"_s).toString();
                const QDateTime expires = parseLooseDate(object.value(u"expiresOn"_s).toString());
                if (token.isEmpty() || !expires.isValid())
                    return TokenResult::unavailable(tr("could not read the output of 'azd'"));
                return TokenResult::success({token.toUtf8(), expires, refreshTimeFor(now, expires)});
            });
    return request;
}

} // namespace wps::auth
