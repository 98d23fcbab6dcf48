// The client-certificate path of EnvironmentCredential (AZURE_CLIENT_CERTIFICATE_PATH) against the loopback
// token endpoint, which checks the assertion as the identity platform does: RS256 signature by the
// registered certificate's key, x5t, audience, iss/sub and expiry.
#include "auth/clientassertion.h"
#include "auth/credentialchain.h"
#include "support/tokenendpoint.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace wps::auth;
using wps::test::AuthEnvironmentGuard;
using wps::test::TokenEndpoint;

namespace {

const QString kDataScope = QString::fromUtf16(DataPlaneScope);
const QByteArray kPassword = "pfx-pass-never-logged";

TokenResult wait(TokenRequest *request)
{
    EXPECT_TRUE(QTest::qWaitFor([request] { return request->isFinished(); }, 20000));
    return request->result();
}

class ClientCertificateTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        ASSERT_NE(m_endpoint.listen(), 0);
        m_certificate = TokenEndpoint::makeCertificate(kPassword);
        ASSERT_FALSE(m_certificate.der.isEmpty());
        m_endpoint.addClientCertificate(u"cert-app"_s, m_certificate.der);
        m_guard.set("AZURE_AUTHORITY_HOST", m_endpoint.authorityHost());
        m_guard.set("AZURE_TENANT_ID", m_endpoint.tenant());
        m_guard.set("AZURE_CLIENT_ID", u"cert-app"_s);
        m_guard.set("AZURE_TOKEN_CREDENTIALS", u"EnvironmentCredential"_s);
    }

    QString write(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        EXPECT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(bytes);
        return path;
    }

    TokenResult token()
    {
        auto created = CredentialChain::create(AuthEnvironment::fromProcess(), {});
        EXPECT_TRUE(created.hasValue());
        if (!created)
            return TokenResult::failed(created.error());
        std::unique_ptr<CredentialChain> chain(*created);
        return wait(chain->getToken(kDataScope));
    }

    QJsonObject lastAssertionPart(int part) const
    {
        const QString assertion =
            m_endpoint.requests().last().form.queryItemValue(u"client_assertion"_s, QUrl::FullyDecoded);
        return QJsonDocument::fromJson(QByteArray::fromBase64(assertion.toLatin1().split('.').value(part),
                                                              QByteArray::Base64UrlEncoding))
            .object();
    }

    QTemporaryDir m_dir;
    AuthEnvironmentGuard m_guard;
    TokenEndpoint m_endpoint;
    TokenEndpoint::TestCertificate m_certificate;
};

} // namespace

TEST_F(ClientCertificateTest, PemWithKeyGetsAToken)
{
    m_guard.set("AZURE_CLIENT_CERTIFICATE_PATH", write(u"client.pem"_s, m_certificate.pem));
    const TokenResult result = token();
    ASSERT_TRUE(result.ok()) << result.reason.toStdString();
    EXPECT_EQ(m_endpoint.tokensIssued(), 1);
    const QJsonObject header = lastAssertionPart(0);
    EXPECT_EQ(header.value(u"alg"_s).toString(), u"RS256"_s);
    EXPECT_FALSE(header.contains(u"x5c"_s)); // only with AZURE_CLIENT_SEND_CERTIFICATE_CHAIN
    EXPECT_EQ(lastAssertionPart(1).value(u"sub"_s).toString(), u"cert-app"_s);
}

TEST_F(ClientCertificateTest, EncryptedPemAndPkcs12NeedThePassword)
{
    m_guard.set("AZURE_CLIENT_CERTIFICATE_PATH", write(u"client.pfx"_s, m_certificate.pkcs12));
    m_guard.set("AZURE_CLIENT_CERTIFICATE_PASSWORD", QString::fromLatin1(kPassword));
    m_guard.set("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN", u"true"_s);
    TokenResult result = token();
    ASSERT_TRUE(result.ok()) << result.reason.toStdString();
    const QJsonArray chain = lastAssertionPart(0).value(u"x5c"_s).toArray();
    ASSERT_EQ(chain.size(), 1);
    EXPECT_EQ(QByteArray::fromBase64(chain.first().toString().toLatin1()), m_certificate.der);

    m_guard.set("AZURE_CLIENT_CERTIFICATE_PATH", write(u"encrypted.pem"_s, m_certificate.encryptedPem));
    result = token();
    ASSERT_TRUE(result.ok()) << result.reason.toStdString();

    m_guard.set("AZURE_CLIENT_CERTIFICATE_PASSWORD", u"hunter2-typo"_s);
    result = token();
    EXPECT_FALSE(result.ok());
    EXPECT_TRUE(result.reason.contains(u"password"_s)) << result.reason.toStdString();
    EXPECT_FALSE(result.reason.contains(u"hunter2"_s)); // the password is never echoed
    EXPECT_EQ(m_endpoint.tokensIssued(), 2);
}

TEST_F(ClientCertificateTest, AnUnregisteredCertificateIsRefusedByTheIdentityPlatform)
{
    const auto other = TokenEndpoint::makeCertificate(kPassword); // a different key pair
    m_guard.set("AZURE_CLIENT_CERTIFICATE_PATH", write(u"other.pem"_s, other.pem));
    const TokenResult result = token();
    EXPECT_FALSE(result.ok());
    EXPECT_TRUE(result.reason.contains(u"AADSTS700027"_s)) << result.reason.toStdString();
    EXPECT_EQ(m_endpoint.tokensIssued(), 0);
}

TEST_F(ClientCertificateTest, BadFilesSayWhatIsWrong)
{
    m_guard.set("AZURE_CLIENT_CERTIFICATE_PATH", m_dir.filePath(u"missing.pem"_s));
    TokenResult result = token();
    EXPECT_FALSE(result.ok());
    EXPECT_TRUE(result.reason.contains(u"cannot read"_s)) << result.reason.toStdString();

    m_guard.set("AZURE_CLIENT_CERTIFICATE_PATH", write(u"junk.bin"_s, "not a certificate"));
    result = token();
    EXPECT_TRUE(result.reason.contains(u"neither PEM nor PKCS#12"_s)) << result.reason.toStdString();

    // A certificate without its key, and a key that belongs to another certificate.
    const QByteArray pem = m_certificate.pem;
    const QByteArray certificateOnly = pem.left(pem.indexOf("-----BEGIN PRIVATE KEY"));
    m_guard.set("AZURE_CLIENT_CERTIFICATE_PATH", write(u"nokey.pem"_s, certificateOnly));
    result = token();
    EXPECT_TRUE(result.reason.contains(u"no private key"_s)) << result.reason.toStdString();

    const auto other = TokenEndpoint::makeCertificate(kPassword);
    const QByteArray mismatched =
        certificateOnly + other.pem.mid(other.pem.indexOf("-----BEGIN PRIVATE KEY"));
    m_guard.set("AZURE_CLIENT_CERTIFICATE_PATH", write(u"mismatch.pem"_s, mismatched));
    result = token();
    EXPECT_TRUE(result.reason.contains(u"does not belong"_s)) << result.reason.toStdString();
    EXPECT_EQ(m_endpoint.tokensIssued(), 0);
}

TEST(ClientAssertion, IsSignedForTheTokenUrlAndExpiresInTenMinutes)
{
    QTemporaryDir dir;
    const auto certificate = TokenEndpoint::makeCertificate("x");
    const QString path = dir.filePath(u"c.pem"_s);
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(certificate.pem);
    file.close();
    const auto loaded = ClientCertificate::load(path, {});
    ASSERT_TRUE(loaded) << loaded.error().toStdString();
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1'800'000'000, QTimeZone::utc());
    const auto assertion =
        (*loaded)->assertion(u"app"_s, QUrl(u"https://login.example/t/oauth2/v2.0/token"_s), false, now);
    ASSERT_TRUE(assertion);
    const QJsonObject claims = QJsonDocument::fromJson(QByteArray::fromBase64(assertion->split('.').value(1),
                                                                              QByteArray::Base64UrlEncoding))
                                   .object();
    EXPECT_EQ(claims.value(u"aud"_s).toString(), u"https://login.example/t/oauth2/v2.0/token"_s);
    EXPECT_EQ(claims.value(u"iss"_s).toString(), u"app"_s);
    EXPECT_EQ(qint64(claims.value(u"exp"_s).toDouble()), 1'800'000'000 + 600);
    EXPECT_FALSE(claims.value(u"jti"_s).toString().isEmpty());
}
