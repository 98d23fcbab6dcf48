#include "auth/clientassertion.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <cstring>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace wps::auth {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::auth::ClientCertificate", text);
}

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray derOf(X509 *certificate)
{
    const int length = i2d_X509(certificate, nullptr);
    if (length <= 0)
        return {};
    QByteArray der(length, Qt::Uninitialized);
    auto *out = reinterpret_cast<unsigned char *>(der.data());
    i2d_X509(certificate, &out);
    return der;
}

/// The PEM pass-phrase callback: the password, or a refusal when there is none.
int passwordCallback(char *buffer, int size, int, void *userData)
{
    const QByteArray *password = static_cast<const QByteArray *>(userData);
    if (!password || password->isEmpty() || password->size() > size)
        return 0;
    memcpy(buffer, password->constData(), static_cast<size_t>(password->size()));
    return static_cast<int>(password->size());
}

} // namespace

struct ClientCertificate::Key
{
    EVP_PKEY *pkey = nullptr;
    ~Key() { EVP_PKEY_free(pkey); }
};

ClientCertificate::ClientCertificate(std::unique_ptr<Key> key, QByteArray der)
    : m_key(std::move(key))
    , m_der(std::move(der))
{
}

ClientCertificate::~ClientCertificate() = default;

Expected<std::shared_ptr<ClientCertificate>, QString> ClientCertificate::load(const QString &path,
                                                                              const QString &password)
{
    using Result = Expected<std::shared_ptr<ClientCertificate>, QString>;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result::failure(tr("cannot read the certificate file '%1': %2").arg(path, file.errorString()));
    const QByteArray data = file.read(1024 * 1024);
    const QByteArray pass = password.toUtf8();
    auto key = std::make_unique<Key>();
    X509 *certificate = nullptr;

    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(data.constData(), int(data.size())),
                                                  BIO_free);
    if (data.contains("-----BEGIN")) {
        // PEM: the certificate and the private key in any order.
        certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
        std::unique_ptr<BIO, decltype(&BIO_free)> keyBio(BIO_new_mem_buf(data.constData(), int(data.size())),
                                                         BIO_free);
        key->pkey =
            PEM_read_bio_PrivateKey(keyBio.get(), nullptr, passwordCallback, const_cast<QByteArray *>(&pass));
        if (!certificate) {
            EVP_PKEY_free(std::exchange(key->pkey, nullptr));
            return Result::failure(tr("the certificate file '%1' has no PEM certificate").arg(path));
        }
        if (!key->pkey) {
            X509_free(certificate);
            return Result::failure(
                tr("the certificate file '%1' has no private key, or its password is wrong").arg(path));
        }
    } else {
        PKCS12 *p12 = d2i_PKCS12_bio(bio.get(), nullptr);
        if (!p12)
            return Result::failure(tr("the certificate file '%1' is neither PEM nor PKCS#12").arg(path));
        const int parsed =
            PKCS12_parse(p12, pass.isEmpty() ? nullptr : pass.constData(), &key->pkey, &certificate, nullptr);
        PKCS12_free(p12);
        if (parsed != 1 || !key->pkey || !certificate) {
            X509_free(certificate);
            return Result::failure(
                tr("cannot open the PKCS#12 file '%1': wrong password, or no key and certificate").arg(path));
        }
    }
    const bool matches = X509_check_private_key(certificate, key->pkey) == 1;
    const bool rsa = EVP_PKEY_base_id(key->pkey) == EVP_PKEY_RSA;
    const QByteArray der = derOf(certificate);
    X509_free(certificate);
    if (!matches)
        return Result::failure(tr("the private key in '%1' does not belong to its certificate").arg(path));
    if (!rsa)
        return Result::failure(
            tr("the key in '%1' is not an RSA key (RS256 client assertions need one)").arg(path));
    if (der.isEmpty())
        return Result::failure(tr("cannot encode the certificate of '%1'").arg(path));
    return std::shared_ptr<ClientCertificate>(new ClientCertificate(std::move(key), der));
}

QByteArray ClientCertificate::thumbprint() const
{
    return base64Url(QCryptographicHash::hash(m_der, QCryptographicHash::Sha1));
}

Expected<QByteArray, QString> ClientCertificate::assertion(const QString &clientId, const QUrl &tokenUrl,
                                                           bool sendChain, const QDateTime &now) const
{
    using Result = Expected<QByteArray, QString>;
    QJsonObject header{
        {u"alg"_s, u"RS256"_s}, {u"typ"_s, u"JWT"_s}, {u"x5t"_s, QString::fromLatin1(thumbprint())}};
    if (sendChain)
        header.insert(u"x5c"_s, QJsonArray{QString::fromLatin1(m_der.toBase64())});
    const qint64 issued = now.toSecsSinceEpoch();
    const QJsonObject claims{{u"aud"_s, tokenUrl.toString(QUrl::FullyEncoded)},
                             {u"iss"_s, clientId},
                             {u"sub"_s, clientId},
                             {u"jti"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
                             {u"nbf"_s, issued},
                             {u"iat"_s, issued},
                             {u"exp"_s, issued + 600}};
    const QByteArray input = base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
                             base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));

    QByteArray signature;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t length = 0;
    const auto *bytes = reinterpret_cast<const unsigned char *>(input.constData());
    bool ok = ctx && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, m_key->pkey) == 1 &&
              EVP_DigestSign(ctx, nullptr, &length, bytes, static_cast<size_t>(input.size())) == 1;
    if (ok) {
        signature.resize(static_cast<qsizetype>(length));
        ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(signature.data()), &length, bytes,
                            static_cast<size_t>(input.size())) == 1;
        signature.resize(static_cast<qsizetype>(length));
    }
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return Result::failure(tr("signing the client assertion failed"));
    return QByteArray(input + '.' + base64Url(signature));
}

} // namespace wps::auth
