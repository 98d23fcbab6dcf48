#include "service/httptrace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

namespace wps::service {

namespace {

bool isSecretName(QStringView name)
{
    static const QStringList secrets{u"access_token"_s, u"accesstoken"_s, u"token"_s,        u"sig"_s,
                                     u"signature"_s,    u"key"_s,         u"accesskey"_s,    u"password"_s,
                                     u"secret"_s,       u"code"_s,        u"client_secret"_s};
    const QString lower = name.toString().toLower();
    return secrets.contains(lower) || (lower.endsWith(u"token"_s) && lower != u"continuationtoken"_s);
}

QJsonValue redactJson(const QJsonValue &value, int depth)
{
    if (depth > 32)
        return value;
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (isSecretName(it.key()) && it.key() != u"code")
                it.value() = u"***"_s;
            else
                it.value() = redactJson(it.value(), depth + 1);
        }
        return object;
    }
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            array[i] = redactJson(array.at(i), depth + 1);
        return array;
    }
    return value;
}

} // namespace

QString redactUrl(const QUrl &url)
{
    if (!url.hasQuery())
        return url.toString(QUrl::FullyEncoded);
    const QStringList items = url.query(QUrl::FullyEncoded).split(u'&');
    QStringList out;
    out.reserve(items.size());
    for (const QString &item : items) {
        const qsizetype eq = item.indexOf(u'=');
        const QString name = QUrl::fromPercentEncoding(item.left(eq < 0 ? item.size() : eq).toUtf8());
        if (eq >= 0 && isSecretName(name))
            out << item.left(eq) + u"=***"_s;
        else
            out << item;
    }
    QUrl copy = url;
    copy.setQuery(QString());
    return copy.toString(QUrl::FullyEncoded) + u'?' + out.join(u'&');
}

QByteArray redactHeaderValue(const QByteArray &name, const QByteArray &value)
{
    const QByteArray lower = name.toLower();
    if (lower == "authorization" || lower == "proxy-authorization") {
        const qsizetype space = value.indexOf(' ');
        return space > 0 ? value.left(space) + " ***" : QByteArrayLiteral("***");
    }
    if (lower == "cookie" || lower == "set-cookie" || lower == "ocp-apim-subscription-key" ||
        lower == "x-identity-header")
        return QByteArrayLiteral("***");
    return value;
}

QByteArray redactedPreview(const QByteArray &body, int limit)
{
    if (body.isEmpty())
        return {};
    QByteArray text = body;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError && (doc.isObject() || doc.isArray())) {
        const QJsonValue redacted =
            redactJson(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()), 0);
        text = redacted.isObject() ? QJsonDocument(redacted.toObject()).toJson(QJsonDocument::Compact)
                                   : QJsonDocument(redacted.toArray()).toJson(QJsonDocument::Compact);
    } else {
        static const QRegularExpression jwtPattern(u"eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*"_s);
        static const QRegularExpression keyPattern(u"(AccessKey=|access_token=)[^;&\\s\"]*"_s,
                                                   QRegularExpression::CaseInsensitiveOption);
        // Only text is searched: a regex over arbitrary binary bytes would mangle it for the hex view.
        const QByteArray head = body.left(qMax(limit, 0) * 4);
        QString asText = QString::fromUtf8(head);
        if (asText.toUtf8() == head) {
            asText.replace(jwtPattern, u"***"_s);
            asText.replace(keyPattern, u"\\1***"_s);
            text = asText.toUtf8();
        } else {
            text = head;
        }
    }
    return text.left(qMax(limit, 0));
}

} // namespace wps::service
