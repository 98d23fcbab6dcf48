#include "tokenendpoint.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QUuid>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

using namespace Qt::Literals::StringLiterals;

namespace wps::test {

namespace {

QByteArray b64(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray bnParam(evp_pkey_st *key, const char *name)
{
    BIGNUM *bn = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &bn) != 1)
        return {};
    QByteArray out(BN_num_bytes(bn), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char *>(out.data()));
    BN_free(bn);
    return out;
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

TokenEndpoint::TokenEndpoint(QObject *parent)
    : QObject(parent)
    , m_kid(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    EVP_PKEY *key = nullptr;
    if (ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048) == 1)
        EVP_PKEY_generate(ctx, &key);
    EVP_PKEY_CTX_free(ctx);
    m_key = std::shared_ptr<evp_pkey_st>(key, EVP_PKEY_free);
    connect(&m_server, &QTcpServer::newConnection, this, &TokenEndpoint::onNewConnection);
}

TokenEndpoint::~TokenEndpoint() = default;

quint16 TokenEndpoint::listen()
{
    if (!m_server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return m_server.serverPort();
}

QString TokenEndpoint::authorityHost() const
{
    return u"http://127.0.0.1:%1/"_s.arg(m_server.serverPort());
}

QString TokenEndpoint::issuer() const
{
    return authorityHost() + tenant() + u"/v2.0"_s;
}

QString TokenEndpoint::identityEndpoint() const
{
    return authorityHost() + u"msi/token"_s;
}

QString TokenEndpoint::imdsHost() const
{
    return u"http://127.0.0.1:%1"_s.arg(m_server.serverPort());
}

QJsonObject TokenEndpoint::jwks() const
{
    const QJsonObject key{{u"kty"_s, u"RSA"_s},
                          {u"use"_s, u"sig"_s},
                          {u"kid"_s, m_kid},
                          {u"n"_s, QString::fromLatin1(b64(bnParam(m_key.get(), OSSL_PKEY_PARAM_RSA_N)))},
                          {u"e"_s, QString::fromLatin1(b64(bnParam(m_key.get(), OSSL_PKEY_PARAM_RSA_E)))}};
    return QJsonObject{{u"keys"_s, QJsonArray{key}}};
}

QByteArray TokenEndpoint::entraConfig() const
{
    return json(QJsonObject{{u"entraId"_s, QJsonObject{{u"issuer"_s, issuer()},
                                                       {u"audience"_s, u"https://webpubsub.azure.com"_s},
                                                       {u"jwks"_s, jwks()}}}});
}

QByteArray TokenEndpoint::mint(const QString &audience, const QJsonObject &extra, int lifetimeSeconds) const
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QJsonObject claims{{u"aud"_s, audience},
                       {u"iss"_s, issuer()},
                       {u"iat"_s, now},
                       {u"nbf"_s, now},
                       {u"exp"_s, now + lifetimeSeconds},
                       {u"tid"_s, tenant()},
                       {u"oid"_s, u"00000000-0000-0000-0000-0000000000aa"_s},
                       {u"uti"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
                       {u"roles"_s, QJsonArray::fromStringList(m_roles)}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        claims.insert(it.key(), it.value());
    const QJsonObject header{{u"alg"_s, u"RS256"_s}, {u"typ"_s, u"JWT"_s}, {u"kid"_s, m_kid}};
    const QByteArray input = b64(json(header)) + '.' + b64(json(claims));
    QByteArray signature;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t length = 0;
    const auto *data = reinterpret_cast<const unsigned char *>(input.constData());
    if (ctx && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, m_key.get()) == 1 &&
        EVP_DigestSign(ctx, nullptr, &length, data, static_cast<size_t>(input.size())) == 1) {
        signature.resize(static_cast<qsizetype>(length));
        if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(signature.data()), &length, data,
                           static_cast<size_t>(input.size())) != 1)
            signature.clear();
        signature.resize(static_cast<qsizetype>(length));
    }
    EVP_MD_CTX_free(ctx);
    return input + '.' + b64(signature);
}

void TokenEndpoint::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
            socket->setProperty("buffer", buffer);
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0 || socket->property("done").toBool())
                return;
            Request request;
            const QList<QByteArray> lines = buffer.left(end).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            request.method = first.value(0);
            const QByteArray target = first.value(1);
            const qsizetype q = target.indexOf('?');
            request.path = q < 0 ? target : target.left(q);
            if (q >= 0)
                request.query = QUrlQuery(QString::fromUtf8(target.mid(q + 1)));
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines.at(i).indexOf(':');
                if (colon > 0)
                    request.headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                                           lines.at(i).mid(colon + 1).trimmed());
            }
            const qsizetype length = request.headers.value("content-length").toLongLong();
            if (buffer.size() < end + 4 + length)
                return;
            QByteArray body = buffer.mid(end + 4, length);
            body.replace('+', ' ');
            request.form = QUrlQuery(QString::fromUtf8(body));
            socket->setProperty("done", true);
            m_requests << request;
            int status = 200;
            const QByteArray payload = answer(request, &status);
            socket->write("HTTP/1.1 " + QByteArray::number(status) +
                          " X\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                          QByteArray::number(payload.size()) + "\r\n\r\n" + payload);
            socket->disconnectFromHost();
        });
    }
}

QByteArray TokenEndpoint::answer(const Request &request, int *status)
{
    auto error = [status](int code, const QString &kind, const QString &description) {
        *status = code;
        return json(QJsonObject{{u"error"_s, kind}, {u"error_description"_s, description}});
    };
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QString tokenPath = u"/"_s + tenant() + u"/oauth2/v2.0/token"_s;
    if (request.method == "POST" && request.path.endsWith("/oauth2/v2.0/token")) {
        if (QString::fromUtf8(request.path) != tokenPath)
            return error(400, u"invalid_request"_s, u"AADSTS90002: Tenant not found."_s);
        const QUrlQuery &form = request.form;
        const QString clientId = form.queryItemValue(u"client_id"_s, QUrl::FullyDecoded);
        const QString scope = form.queryItemValue(u"scope"_s, QUrl::FullyDecoded);
        if (form.queryItemValue(u"grant_type"_s) != u"client_credentials"_s ||
            !scope.endsWith(u"/.default"_s))
            return error(400, u"invalid_request"_s, u"AADSTS900144: bad grant or scope."_s);
        if (form.hasQueryItem(u"client_secret"_s)) {
            if (!m_secrets.contains(clientId) ||
                m_secrets.value(clientId) != form.queryItemValue(u"client_secret"_s, QUrl::FullyDecoded))
                return error(401, u"invalid_client"_s, u"AADSTS7000215: Invalid client secret provided."_s);
        } else if (form.hasQueryItem(u"client_assertion"_s)) {
            if (!m_assertions.contains(clientId) ||
                m_assertions.value(clientId) !=
                    form.queryItemValue(u"client_assertion"_s, QUrl::FullyDecoded))
                return error(400, u"invalid_client"_s,
                             u"AADSTS700211: No matching federated identity record."_s);
        } else {
            return error(400, u"invalid_client"_s, u"AADSTS7000216: client credentials are required."_s);
        }
        ++m_issued;
        const QString audience = scope.left(scope.size() - 9);
        return json(QJsonObject{
            {u"token_type"_s, u"Bearer"_s},
            {u"expires_in"_s, m_lifetime},
            {u"ext_expires_in"_s, m_lifetime},
            {u"access_token"_s, QString::fromLatin1(mint(audience, {{u"appid"_s, clientId}}, m_lifetime))}});
    }
    if (request.method == "GET" && request.path == "/msi/token") {
        if (QString::fromUtf8(request.headers.value("x-identity-header")) != m_identityHeader) {
            *status = 401;
            return json(QJsonObject{{u"statusCode"_s, 401}, {u"message"_s, u"Unauthorized request"_s}});
        }
        const QString resource = request.query.queryItemValue(u"resource"_s, QUrl::FullyDecoded);
        ++m_issued;
        return json(QJsonObject{
            {u"access_token"_s,
             QString::fromLatin1(mint(resource, {{u"xms_mirid"_s, u"app-service"_s}}, m_lifetime))},
            {u"expires_on"_s, QString::number(now + m_lifetime)},
            {u"resource"_s, resource},
            {u"token_type"_s, u"Bearer"_s}});
    }
    if (request.method == "GET" && request.path == "/metadata/identity/oauth2/token") {
        if (request.headers.value("metadata") != "true")
            return error(400, u"invalid_request"_s, u"Required metadata header not specified"_s);
        if (!m_imdsIdentity)
            return error(400, u"invalid_request"_s, u"Identity not found"_s);
        const QString resource = request.query.queryItemValue(u"resource"_s, QUrl::FullyDecoded);
        ++m_issued;
        return json(
            QJsonObject{{u"access_token"_s,
                         QString::fromLatin1(mint(resource, {{u"xms_mirid"_s, u"imds"_s}}, m_lifetime))},
                        {u"expires_on"_s, QString::number(now + m_lifetime)},
                        {u"expires_in"_s, QString::number(m_lifetime)},
                        {u"resource"_s, resource},
                        {u"token_type"_s, u"Bearer"_s}});
    }
    *status = 404;
    return json(QJsonObject{{u"error"_s, u"not_found"_s}});
}

// --- AuthEnvironmentGuard ---

namespace {

const char *const guardedVariables[] = {"AZURE_TENANT_ID",
                                        "AZURE_CLIENT_ID",
                                        "AZURE_CLIENT_SECRET",
                                        "AZURE_CLIENT_CERTIFICATE_PATH",
                                        "AZURE_CLIENT_CERTIFICATE_PASSWORD",
                                        "AZURE_FEDERATED_TOKEN_FILE",
                                        "AZURE_AUTHORITY_HOST",
                                        "IDENTITY_ENDPOINT",
                                        "IDENTITY_HEADER",
                                        "MSI_ENDPOINT",
                                        "MSI_SECRET",
                                        "AZURE_POD_IDENTITY_AUTHORITY_HOST",
                                        "AZURE_TOKEN_CREDENTIALS",
                                        "WPS_NO_IMDS",
                                        "PATH",
                                        "WPS_FAKE_AZ_TOKEN",
                                        "WPS_FAKE_AZD_TOKEN",
                                        "WPS_FAKE_ARGS_FILE",
                                        "WPS_FAKE_HANG",
                                        "WEBPUBSUB_CONNECTION_STRING"};

} // namespace

AuthEnvironmentGuard::AuthEnvironmentGuard()
{
    for (const char *name : guardedVariables)
        save(name);
    const QByteArray path = qgetenv("PATH");
    for (const char *name : guardedVariables)
        qunsetenv(name);
    qputenv("WPS_NO_IMDS", "1");
    qputenv("PATH", fakesDir().toLocal8Bit() + ':' + path);
}

AuthEnvironmentGuard::~AuthEnvironmentGuard()
{
    for (const auto &[name, value] : m_saved) {
        if (value)
            qputenv(name.constData(), *value);
        else
            qunsetenv(name.constData());
    }
}

void AuthEnvironmentGuard::save(const char *name)
{
    for (const auto &saved : std::as_const(m_saved))
        if (saved.first == name)
            return;
    m_saved.append({QByteArray(name), qEnvironmentVariableIsSet(name)
                                          ? std::optional<QByteArray>(qgetenv(name))
                                          : std::nullopt});
}

void AuthEnvironmentGuard::set(const char *name, const QString &value)
{
    save(name);
    qputenv(name, value.toLocal8Bit());
}

void AuthEnvironmentGuard::unset(const char *name)
{
    save(name);
    qunsetenv(name);
}

QString AuthEnvironmentGuard::fakesDir()
{
    return QString::fromUtf8(WPS_TEST_FAKES_DIR);
}

} // namespace wps::test
