#include "tokenendpoint.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QUuid>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

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

TokenEndpoint::TestCertificate TokenEndpoint::makeCertificate(const QByteArray &password)
{
    TestCertificate out;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    EVP_PKEY *key = nullptr;
    if (ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048) == 1)
        EVP_PKEY_generate(ctx, &key);
    EVP_PKEY_CTX_free(ctx);
    X509 *certificate = X509_new();
    if (!key || !certificate) {
        EVP_PKEY_free(key);
        X509_free(certificate);
        return out;
    }
    X509_set_version(certificate, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
    X509_gmtime_adj(X509_getm_notBefore(certificate), -60);
    X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
    X509_set_pubkey(certificate, key);
    X509_NAME *name = X509_get_subject_name(certificate);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char *>("wps-test-client"), -1, -1, 0);
    X509_set_issuer_name(certificate, name);
    X509_sign(certificate, key, EVP_sha256());

    auto toBytes = [](BIO *bio) {
        char *data = nullptr;
        const long size = BIO_get_mem_data(bio, &data);
        QByteArray bytes(data, size);
        BIO_free(bio);
        return bytes;
    };
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, certificate);
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    out.pem = toBytes(bio);
    bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, certificate);
    PEM_write_bio_PKCS8PrivateKey(bio, key, EVP_aes_256_cbc(), password.constData(), int(password.size()),
                                  nullptr, nullptr);
    out.encryptedPem = toBytes(bio);
    PKCS12 *p12 =
        PKCS12_create(password.constData(), "wps-test-client", key, certificate, nullptr, 0, 0, 0, 0, 0);
    bio = BIO_new(BIO_s_mem());
    i2d_PKCS12_bio(bio, p12);
    out.pkcs12 = toBytes(bio);
    PKCS12_free(p12);
    const int length = i2d_X509(certificate, nullptr);
    out.der.resize(length);
    auto *cursor = reinterpret_cast<unsigned char *>(out.der.data());
    i2d_X509(certificate, &cursor);
    X509_free(certificate);
    EVP_PKEY_free(key);
    return out;
}

QString TokenEndpoint::checkCertificateAssertion(const QString &clientId, const QByteArray &assertion) const
{
    const QList<QByteArray> parts = assertion.split('.');
    if (parts.size() != 3)
        return u"AADSTS50027: Invalid JWT token."_s;
    const auto decode = [](const QByteArray &part) {
        return QJsonDocument::fromJson(QByteArray::fromBase64(part, QByteArray::Base64UrlEncoding)).object();
    };
    const QJsonObject header = decode(parts[0]);
    const QJsonObject claims = decode(parts[1]);
    const QByteArray der = m_certificates.value(clientId);
    const QByteArray thumbprint =
        QCryptographicHash::hash(der, QCryptographicHash::Sha1)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    if (header.value(u"alg"_s).toString() != u"RS256"_s)
        return u"AADSTS5002738: Invalid JWT token. 'alg' is not supported."_s;
    if (header.value(u"x5t"_s).toString().toLatin1() != thumbprint)
        return u"AADSTS700027: The certificate with identifier used to sign the client assertion is not "
               "registered on application."_s;
    // Verify the signature with the registered certificate's public key.
    const auto *cursor = reinterpret_cast<const unsigned char *>(der.constData());
    X509 *certificate = d2i_X509(nullptr, &cursor, der.size());
    EVP_PKEY *key = certificate ? X509_get_pubkey(certificate) : nullptr;
    const QByteArray input = parts[0] + '.' + parts[1];
    const QByteArray signature = QByteArray::fromBase64(parts[2], QByteArray::Base64UrlEncoding);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool valid = ctx && key && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                       EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(signature.constData()),
                                        static_cast<size_t>(signature.size()),
                                        reinterpret_cast<const unsigned char *>(input.constData()),
                                        static_cast<size_t>(input.size())) == 1;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(key);
    X509_free(certificate);
    if (!valid)
        return u"AADSTS700027: Client assertion contains an invalid signature."_s;
    const QString tokenUrl = authorityHost() + tenant() + u"/oauth2/v2.0/token"_s;
    if (claims.value(u"aud"_s).toString() != tokenUrl)
        return u"AADSTS700016: the assertion's audience is not this token endpoint."_s;
    if (claims.value(u"iss"_s).toString() != clientId || claims.value(u"sub"_s).toString() != clientId)
        return u"AADSTS700021: the assertion's iss and sub must be the client id."_s;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (qint64(claims.value(u"exp"_s).toDouble()) <= now)
        return u"AADSTS700024: Client assertion is not within its valid time range."_s;
    if (claims.value(u"jti"_s).toString().isEmpty())
        return u"AADSTS700023: the assertion has no jti."_s;
    return {};
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
        } else if (form.hasQueryItem(u"client_assertion"_s) && m_certificates.contains(clientId)) {
            const QString problem = checkCertificateAssertion(
                clientId, form.queryItemValue(u"client_assertion"_s, QUrl::FullyDecoded).toLatin1());
            if (!problem.isEmpty())
                return error(401, u"invalid_client"_s, problem);
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
                                        "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN",
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
