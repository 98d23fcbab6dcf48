#include "protocol/clienttoken.h"

#include "protocol/connectionstring.h"
#include "protocol/jwt.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps {

QString clientPath(ClientProtocol protocol, const QString &hub)
{
    const QString encodedHub = QString::fromUtf8(QUrl::toPercentEncoding(hub));
    switch (protocol) {
    case ClientProtocol::Default:
        return u"/client/hubs/"_s + encodedHub;
    case ClientProtocol::Mqtt:
        return u"/clients/mqtt/hubs/"_s + encodedHub;
    case ClientProtocol::SocketIo:
        return u"/clients/socketio/hubs/"_s + encodedHub;
    }
    return {};
}

QString clientProtocolName(ClientProtocol protocol)
{
    switch (protocol) {
    case ClientProtocol::Default:
        return u"default"_s;
    case ClientProtocol::Mqtt:
        return u"mqtt"_s;
    case ClientProtocol::SocketIo:
        return u"socketio"_s;
    }
    return {};
}

bool parseClientProtocol(QStringView text, ClientProtocol *protocol)
{
    for (ClientProtocol p : {ClientProtocol::Default, ClientProtocol::Mqtt, ClientProtocol::SocketIo}) {
        if (text.compare(clientProtocolName(p), Qt::CaseInsensitive) == 0) {
            *protocol = p;
            return true;
        }
    }
    return false;
}

ClientAccess clientAccessForToken(const ConnectionString &connection, const QString &hub,
                                  ClientProtocol protocol, const QByteArray &token)
{
    ClientAccess access;
    access.token = token;
    QUrl base = connection.webSocketEndpoint();
    base.setPath(connection.endpoint().path() + clientPath(protocol, hub), QUrl::TolerantMode);
    access.baseUrl = base;
    QUrl url = base;
    QUrlQuery query;
    query.addQueryItem(u"access_token"_s, QString::fromLatin1(token));
    url.setQuery(query);
    access.url = url;
    if (auto claims = jwt::decodeClaimsUnverified(token); claims && claims->value(u"exp"_s).isDouble())
        access.expiresAt = QDateTime::fromSecsSinceEpoch(
            static_cast<qint64>(std::clamp(claims->value(u"exp"_s).toDouble(), -1e15, 1e15)), Qt::UTC);
    return access;
}

ClientAccess makeClientAccess(const ConnectionString &connection, const QString &hub,
                              const ClientTokenOptions &options)
{
    const QDateTime now = options.now.isValid() ? options.now : QDateTime::currentDateTimeUtc();
    QJsonObject claims;
    QUrl audience = connection.endpoint();
    audience.setPath(connection.endpoint().path() + clientPath(options.protocol, hub), QUrl::TolerantMode);
    claims.insert(u"aud"_s, audience.toString(QUrl::FullyEncoded));
    claims.insert(u"iat"_s, now.toSecsSinceEpoch());
    claims.insert(u"exp"_s, now.addSecs(std::chrono::seconds(options.lifetime).count()).toSecsSinceEpoch());
    if (!options.userId.isEmpty())
        claims.insert(u"sub"_s, options.userId);
    if (!options.roles.isEmpty())
        claims.insert(u"role"_s, QJsonArray::fromStringList(options.roles));
    if (!options.groups.isEmpty())
        claims.insert(u"webpubsub.group"_s, QJsonArray::fromStringList(options.groups));
    const QByteArray token = jwt::signHs256(claims, connection.accessKey().toUtf8());
    return clientAccessForToken(connection, hub, options.protocol, token);
}

} // namespace wps
