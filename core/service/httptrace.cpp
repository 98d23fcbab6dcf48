#include "service/httptrace.h"

#include "common/jsontext.h"

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
    // Masked in place, byte for byte: a JSON body keeps its key order, digits and spacing (re-serialising
    // it through QJsonDocument would sort the keys and round long numbers).
    QByteArray text = body;
    if (jsontext::isJsonDocument(body))
        text =
            jsontext::maskMembers(body, [](QStringView key) { return isSecretName(key) && key != u"code"; });
    static const QRegularExpression jwtPattern(u"eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*"_s);
    static const QRegularExpression keyPattern(u"(AccessKey=|access_token=)[^;&\\s\"]*"_s,
                                               QRegularExpression::CaseInsensitiveOption);
    // Only text is searched: a regex over arbitrary binary bytes would mangle it for the hex view.
    const QByteArray head = text.left(qMax(limit, 0) * 4);
    QString asText = QString::fromUtf8(head);
    if (asText.toUtf8() == head) {
        asText.replace(jwtPattern, u"***"_s);
        asText.replace(keyPattern, u"\\1***"_s);
        text = asText.toUtf8();
    } else {
        text = head;
    }
    return text.left(qMax(limit, 0));
}

} // namespace wps::service
