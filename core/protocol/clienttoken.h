#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>

namespace wps {

class ConnectionString;

/// Which client endpoint a token is for (docs/protocol.md#derived-addresses,
/// docs/protocol.md#client-token-claims).
enum class ClientProtocol { Default, Mqtt, SocketIo };

/// `/client/hubs/{hub}`, `/clients/mqtt/hubs/{hub}` or `/clients/socketio/hubs/{hub}`.
QString clientPath(ClientProtocol protocol, const QString &hub);
/// The lowercase name the SDKs send as `clientType`: default, mqtt, socketio.
QString clientProtocolName(ClientProtocol protocol);
/// Parses default/mqtt/socketio case-insensitively; returns false for anything else.
bool parseClientProtocol(QStringView text, ClientProtocol *protocol);

struct ClientTokenOptions
{
    QString userId;     ///< `sub`; empty for an anonymous user
    QStringList roles;  ///< `role`, e.g. webpubsub.joinLeaveGroup.room1
    QStringList groups; ///< `webpubsub.group`: joined on connect
    std::chrono::minutes lifetime{60};
    ClientProtocol protocol = ClientProtocol::Default;
    QDateTime now; ///< issue time; invalid means now (tests pin it)
};

/// A client access token and the URL a WebSocket client opens with it.
struct ClientAccess
{
    QByteArray token;
    QUrl baseUrl; ///< ws(s)://host/client/hubs/{hub}
    QUrl url;     ///< baseUrl with ?access_token=
    QDateTime expiresAt;
};

/// Makes a client access token locally with the access key, as the SDKs' getClientAccessToken() does with a
/// key credential: `aud` is the http(s) endpoint plus the client path, signed HS256 with the key's bytes.
ClientAccess makeClientAccess(const ConnectionString &connection, const QString &hub,
                              const ClientTokenOptions &options);

/// Builds the client URL for a token obtained elsewhere (e.g. from `:generateToken`).
ClientAccess clientAccessForToken(const ConnectionString &connection, const QString &hub,
                                  ClientProtocol protocol, const QByteArray &token);

} // namespace wps
