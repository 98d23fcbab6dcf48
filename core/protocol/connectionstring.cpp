#include "protocol/connectionstring.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace wps {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("wps::ConnectionString", text);
}
/// Values are echoed in error messages only when they cannot hide the key: a mangled string such as
/// `Endpoint=https://x AccessKey=secret` (a space instead of ';') puts the key into the endpoint's value.
bool safeToEcho(QStringView value)
{
    if (value.size() > 256)
        return false;
    for (QChar c : value)
        if (c.isSpace() || c == u'=' || c.unicode() < 0x20)
            return false;
    return true;
}

QString echo(const QString &value)
{
    return safeToEcho(value) ? u" '"_s + value + u"'"_s : QString();
}

/// A DNS name or an IP address literal; QUrl accepts more (e.g. ',' or '=' in a registered name).
bool plausibleHost(const QString &host)
{
    if (host.isEmpty())
        return false;
    for (QChar c : host) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
                        c == u'.' || c == u'-' || c == u'_' || c == u':' || c == u'%';
        if (!ok)
            return false;
    }
    return true;
}

/// The parts of a connection string this parser reads; Version and unknown keys are ignored
/// (docs/protocol.md#connection-strings, docs/protocol.md#open-question-1).
struct Parts
{
    QString endpoint;
    QString key;
    QString port;
    bool havePort = false;
};

/// Splits `Name=value;...` into its parts: refuses a part named twice and a missing Endpoint or AccessKey.
Expected<Parts, QString> splitParts(const QString &trimmed)
{
    using R = Expected<Parts, QString>;
    Parts parts;
    bool haveEndpoint = false;
    bool haveKey = false;

    const auto segments = QStringView(trimmed).split(u';', Qt::SkipEmptyParts);
    for (QStringView segment : segments) {
        const qsizetype eq = segment.indexOf(u'=');
        if (eq < 0)
            continue; // segments without '=' are ignored, as by the SDK parsers
        const QString name = segment.left(eq).trimmed().toString().toLower();
        const QString value = segment.mid(eq + 1).trimmed().toString();
        if (name == u"endpoint") {
            if (haveEndpoint)
                return R::failure(tr("The connection string names 'Endpoint' twice."));
            haveEndpoint = true;
            parts.endpoint = value;
        } else if (name == u"accesskey") {
            if (haveKey)
                return R::failure(tr("The connection string names 'AccessKey' twice."));
            haveKey = true;
            parts.key = value;
        } else if (name == u"port") {
            if (parts.havePort)
                return R::failure(tr("The connection string names 'Port' twice."));
            parts.havePort = true;
            parts.port = value;
        }
    }

    if (!haveEndpoint || parts.endpoint.isEmpty())
        return R::failure(tr("The connection string has no 'Endpoint=' part."));
    if (!haveKey || parts.key.isEmpty())
        return R::failure(tr("The connection string has no 'AccessKey=' part."));
    return parts;
}

/// The endpoint text with an http or https scheme and no trailing '/', or why it cannot have one.
Expected<QString, QString> withScheme(QString endpointText)
{
    using R = Expected<QString, QString>;
    if (!endpointText.startsWith(u"http://", Qt::CaseInsensitive) &&
        !endpointText.startsWith(u"https://", Qt::CaseInsensitive)) {
        if (endpointText.contains(u"://")) {
            const QString scheme = endpointText.section(u"://"_s, 0, 0);
            if (scheme.size() <= 16 && safeToEcho(scheme))
                return R::failure(tr("'Endpoint' must use http or https, not '%1'.").arg(scheme));
            return R::failure(tr("'Endpoint' must use http or https."));
        }
        // As the JS SDK, a missing scheme means https -- but only for a full host name (a dot, not an IPv4
        // literal): `nope`, `localhost` or `127.0.0.1:8080` without a scheme are almost always a typo or a
        // local http service, and https:// in front of them would only fail later as a network error.
        const QString host = endpointText.section(u'/', 0, 0).section(u':', 0, 0);
        bool ipv4 = !host.isEmpty();
        for (QChar c : host)
            ipv4 = ipv4 && (c.isDigit() || c == u'.');
        if (!host.contains(u'.') || ipv4 || host.startsWith(u'.') || host.endsWith(u'.'))
            return R::failure(
                (safeToEcho(endpointText) && endpointText.size() <= 128
                     ? tr("'Endpoint' has no scheme and '%1' is not a full host name: write the whole URL, "
                          "e.g. "
                          "https://<name>.webpubsub.azure.com, or http://localhost:8080 for a local service.")
                           .arg(endpointText)
                     : tr("'Endpoint' has no scheme and is not a full host name: write the whole URL, e.g. "
                          "https://<name>.webpubsub.azure.com, or http://localhost:8080 for a local "
                          "service.")));
        endpointText.prepend(u"https://"_s);
    }
    while (endpointText.endsWith(u'/'))
        endpointText.chop(1);
    return endpointText;
}

/// The endpoint URL with the connection string's port (the scheme's default port left implicit), or why
/// the URL or the port is not acceptable.
Expected<QUrl, QString> endpointUrl(const QString &endpointText, const Parts &parts)
{
    using R = Expected<QUrl, QString>;
    QUrl endpoint(endpointText, QUrl::StrictMode);
    if (!endpoint.isValid() || !plausibleHost(endpoint.host()))
        return R::failure(tr("'Endpoint' is not a valid URL:%1.").arg(echo(endpointText)));
    if (endpoint.hasQuery() || endpoint.hasFragment())
        return R::failure(tr("'Endpoint' must not have a query or fragment:%1.").arg(echo(endpointText)));
    if (!endpoint.userInfo().isEmpty())
        return R::failure(tr("'Endpoint' must not contain user information."));
    endpoint.setScheme(endpoint.scheme().toLower());

    if (parts.havePort) {
        bool ok = false;
        const int port = parts.port.toInt(&ok);
        if (!ok || port < 1 || port > 65535)
            return R::failure(safeToEcho(parts.port)
                                  ? tr("'Port' must be a number from 1 to 65535, not '%1'.").arg(parts.port)
                                  : tr("'Port' must be a number from 1 to 65535."));
        endpoint.setPort(port);
    }
    const int defaultPort = endpoint.scheme() == u"https" ? 443 : 80;
    if (endpoint.port() == defaultPort)
        endpoint.setPort(-1);
    return endpoint;
}

} // namespace

ConnectionString::ConnectionString(QUrl endpoint, QString accessKey)
    : m_endpoint(std::move(endpoint))
    , m_accessKey(std::move(accessKey))
{
}

Expected<ConnectionString, QString> ConnectionString::parse(QStringView text)
{
    using R = Expected<ConnectionString, QString>;
    const QString trimmed = text.trimmed().toString();
    if (trimmed.isEmpty())
        return R::failure(tr("The connection string is empty."));

    const auto parts = splitParts(trimmed);
    if (!parts)
        return R::failure(parts.error());
    const auto endpointText = withScheme(parts->endpoint);
    if (!endpointText)
        return R::failure(endpointText.error());
    const auto endpoint = endpointUrl(*endpointText, *parts);
    if (!endpoint)
        return R::failure(endpoint.error());
    return ConnectionString(*endpoint, parts->key);
}

QUrl ConnectionString::resolve(QStringView path) const
{
    QUrl url = m_endpoint;
    url.setPath(m_endpoint.path() + path.toString(), QUrl::TolerantMode);
    return url;
}

QUrl ConnectionString::webSocketEndpoint() const
{
    QUrl url = m_endpoint;
    url.setScheme(m_endpoint.scheme() == u"https" ? u"wss"_s : u"ws"_s);
    return url;
}

QString ConnectionString::toString() const
{
    return u"Endpoint="_s + m_endpoint.toString() + u";AccessKey="_s + m_accessKey + u";Version=1.0;"_s;
}

QString ConnectionString::toRedactedString() const
{
    return u"Endpoint="_s + m_endpoint.toString() + u";AccessKey=***;Version=1.0;"_s;
}

} // namespace wps
