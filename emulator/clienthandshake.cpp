#include "emulator/clienthandshake.h"

#include "emulator/httpserver.h"
#include "protocol/jwt.h"
#include "protocol/names.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator::handshake {

namespace {

const QStringList kSubprotocols{u"json.webpubsub.azure.v1"_s, u"json.reliable.webpubsub.azure.v1"_s,
                                u"protobuf.webpubsub.azure.v1"_s, u"protobuf.reliable.webpubsub.azure.v1"_s};

/// A claim value as the string array the connect body wants (docs/protocol.md#connect-event).
QStringList claimValues(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return {value.toString()};
    case QJsonValue::Bool:
        return {value.toBool() ? u"true"_s : u"false"_s};
    case QJsonValue::Double: {
        const double number = value.toDouble();
        // Integers (exp, iat, nbf) without a fraction or exponent; the range check keeps the cast defined.
        if (std::abs(number) < 9.0e15 && number == std::floor(number))
            return {QString::number(static_cast<qint64>(number))};
        return {QString::number(number)};
    }
    case QJsonValue::Array: {
        QStringList result;
        for (const QJsonValue &item : value.toArray())
            result << claimValues(item);
        return result;
    }
    case QJsonValue::Object:
        return {QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact))};
    default:
        return {};
    }
}

} // namespace

Query::Query(const QByteArray &raw)
{
    for (const QByteArray &part : raw.split('&')) {
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        const QByteArray key = eq < 0 ? part : part.left(eq);
        const QByteArray value = eq < 0 ? QByteArray() : part.mid(eq + 1);
        m_items.append({QUrl::fromPercentEncoding(key).toLower(), QUrl::fromPercentEncoding(value)});
    }
}

std::optional<QString> Query::last(const QString &name) const
{
    std::optional<QString> result;
    for (const auto &[key, value] : m_items)
        if (key == name)
            result = value;
    return result;
}

bool isSupportedSubprotocol(const QString &protocol)
{
    return kSubprotocols.contains(protocol);
}

std::optional<Refusal> routeToHub(const HttpRequest &request, const Query &query, QString *hubName)
{
    if (request.path.startsWith("/client/hubs/")) {
        const QByteArray segment = request.path.mid(13);
        if (segment.isEmpty() || segment.contains('/'))
            return Refusal{404, u"No WebSocket endpoint at this path."_s};
        *hubName = QUrl::fromPercentEncoding(segment);
    } else if (request.path == "/client" || request.path == "/client/") {
        *hubName = query.last(u"hub"_s).value_or(QString());
        if (hubName->isEmpty())
            return Refusal{400, u"The 'hub' query parameter is required."_s};
    } else {
        return Refusal{404, u"No WebSocket endpoint at this path."_s};
    }
    return std::nullopt;
}

std::optional<Refusal> checkUpgrade(const HttpRequest &request, const QString &hubName)
{
    if (request.method != "GET")
        return Refusal{400, u"A WebSocket upgrade must be a GET request."_s};
    if (const QString error = names::checkHub(hubName); !error.isEmpty())
        return Refusal{400, error};
    if (request.header("sec-websocket-version").trimmed() != "13")
        return Refusal{426, u"Only WebSocket version 13 is supported."_s, {{"Sec-WebSocket-Version", "13"}}};
    if (QByteArray::fromBase64(request.header("sec-websocket-key").trimmed()).size() != 16)
        return Refusal{400, u"Sec-WebSocket-Key is missing or invalid."_s};
    return std::nullopt;
}

std::optional<Refusal> readRawMode(const Query &query, RawMode *mode)
{
    const QString sendMode = query.last(u"webpubsub_mode"_s).value_or(QString());
    if (sendMode.compare(u"sendToGroup"_s, Qt::CaseInsensitive) == 0)
        mode->sendToGroup = true;
    else if (!sendMode.isEmpty() && sendMode.compare(u"sendEvent"_s, Qt::CaseInsensitive) != 0)
        return Refusal{
            400, u"Invalid webpubsub_mode '%1': use sendEvent or sendToGroup."_s.arg(sendMode.left(64))};
    const QString noEcho = query.last(u"noecho"_s).value_or(QString());
    if (noEcho.compare(u"true"_s, Qt::CaseInsensitive) == 0)
        mode->noEcho = true;
    else if (!noEcho.isEmpty() && noEcho.compare(u"false"_s, Qt::CaseInsensitive) != 0)
        return Refusal{400, u"Invalid noEcho '%1': use true or false."_s.arg(noEcho.left(64))};
    if (mode->sendToGroup) {
        mode->group = query.last(u"group"_s).value_or(QString());
        if (mode->group.isEmpty())
            return Refusal{400, u"The 'group' query parameter is required in sendToGroup mode."_s};
        if (const QString error = names::checkGroup(mode->group); !error.isEmpty())
            return Refusal{400, error};
    }
    return std::nullopt;
}

QString chooseSubprotocol(const QStringList &offers)
{
    for (const QString &offer : offers)
        if (kSubprotocols.contains(offer))
            return offer;
    return {};
}

std::optional<Refusal> verifyToken(const HttpRequest &request, const Query &query, const QString &hubName,
                                   bool anonymousAllowed, const std::function<QList<QByteArray>()> &keys,
                                   QJsonObject *claims)
{
    // The access_token query parameter or Authorization: Bearer (docs/protocol.md#client-urls).
    QByteArray token = query.last(u"access_token"_s).value_or(QString()).toUtf8();
    const QByteArray authorization = request.header("authorization").trimmed();
    if (token.isEmpty() && authorization.toLower().startsWith("bearer "))
        token = authorization.mid(7).trimmed();
    if (token.isEmpty()) {
        if (!anonymousAllowed)
            return Refusal{401, u"An access token is required."_s};
        return std::nullopt;
    }
    auto verified = jwt::verifyHs256(token, keys());
    if (!verified)
        return Refusal{401, verified.error().message};
    *claims = *verified;
    QByteArray host = request.header("host").trimmed();
    const QUrl expected(u"http://"_s + QString::fromLatin1(host) + u"/client/hubs/"_s +
                        QString::fromLatin1(QUrl::toPercentEncoding(hubName)));
    bool audienceOk = false;
    for (const QString &audience : jwt::audiences(*claims))
        audienceOk = audienceOk || jwt::audienceMatches(audience, expected, false);
    if (!audienceOk)
        return Refusal{
            401, u"The token's audience does not match this hub."_s, {}, claims->value(u"sub"_s).toString()};
    return std::nullopt;
}

cloudevents::ConnectIdentity tokenIdentity(const QJsonObject &claims, const QString &subprotocol)
{
    cloudevents::ConnectIdentity identity;
    if (claims.value(u"sub"_s).isString() && !claims.value(u"sub"_s).toString().isEmpty())
        identity.userId = claims.value(u"sub"_s).toString();
    identity.roles = stringList(claims.value(u"role"_s));
    for (const QString &group : stringList(claims.value(u"webpubsub.group"_s)))
        if (names::checkGroup(group).isEmpty())
            identity.groups << group;
    identity.subprotocol = subprotocol;
    return identity;
}

QStringList offeredSubprotocols(const HttpRequest &request)
{
    QStringList offers;
    for (const auto &[name, value] : request.headers)
        if (name == "sec-websocket-protocol")
            for (const QByteArray &item : value.split(','))
                if (!item.trimmed().isEmpty())
                    offers << QString::fromLatin1(item.trimmed());
    return offers;
}

QStringList stringList(const QJsonValue &value)
{
    QStringList result;
    if (value.isString())
        result << value.toString();
    else if (value.isArray())
        for (const QJsonValue &item : value.toArray())
            if (item.isString())
                result << item.toString();
    return result;
}

/// The `connect` body: token claims, query parameters (names as sent, decoded once) and headers of the
/// upgrade request, and the offered subprotocols. The encoder removes `access_token` and `Authorization`.
cloudevents::ConnectRequest connectRequest(const QJsonObject &claims, const HttpRequest &request,
                                           const QStringList &offers)
{
    cloudevents::ConnectRequest body;
    for (auto it = claims.begin(); it != claims.end(); ++it)
        body.claims[it.key()] << claimValues(it.value());
    for (const QByteArray &part : request.query.split('&')) {
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        const QString key = QUrl::fromPercentEncoding(eq < 0 ? part : part.left(eq));
        body.query[key] << QUrl::fromPercentEncoding(eq < 0 ? QByteArray() : part.mid(eq + 1));
    }
    for (const auto &[name, value] : request.headers)
        body.headers[QString::fromLatin1(name)] << QString::fromUtf8(value);
    body.subprotocols = offers;
    return body;
}

} // namespace wps::emulator::handshake
