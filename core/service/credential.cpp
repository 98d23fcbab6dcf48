#include "service/credential.h"

#include "protocol/jwt.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace wps::service {

Credential::~Credential() = default;

AccessKeyCredential::AccessKeyCredential(QString accessKey, std::chrono::seconds lifetime)
    : m_accessKey(std::move(accessKey))
    , m_lifetime(lifetime)
{
}

Expected<QByteArray, QString> AccessKeyCredential::authorization(const QUrl &url) const
{
    if (m_accessKey.isEmpty())
        return Expected<QByteArray, QString>::failure(
            QCoreApplication::translate("wps::service", "No access key is configured for this connection."));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QJsonObject claims;
    claims.insert(u"aud"_s, url.toString(QUrl::FullyEncoded));
    claims.insert(u"iat"_s, now);
    claims.insert(u"exp"_s, now + static_cast<qint64>(m_lifetime.count()));
    return QByteArray(QByteArrayLiteral("Bearer ") + jwt::signHs256(claims, m_accessKey.toUtf8()));
}

} // namespace wps::service
