#pragma once

// The checks of a client WebSocket upgrade request (emulator/clientendpoint.h), in the order the endpoint
// applies them, each a function that gives what it read or the refusal the client is answered with: the
// route to a hub, the upgrade headers, the raw-client mode, the subprotocol and the access token. They read
// only the request; sessions, sockets and the connect event stay with the endpoint. Not for use outside
// clientendpoint.cpp.

#include "emulator/clientsession.h"
#include "protocol/cloudevents.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <utility>

namespace wps::emulator {

struct HttpRequest;

namespace handshake {

/// The upgrade's HTTP refusal: status, message, extra headers, and the user of a token that was verified.
struct Refusal
{
    Refusal(int httpStatus, QString text, QList<QPair<QByteArray, QByteArray>> extraHeaders = {},
            QString user = {})
        : status(httpStatus)
        , message(std::move(text))
        , headers(std::move(extraHeaders))
        , userId(std::move(user))
    {
    }

    int status;
    QString message;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString userId;
};

/// Query parameters decoded once; names case-insensitive; a repeated parameter takes its last value
/// (docs/protocol.md#raw-clients).
class Query
{
public:
    explicit Query(const QByteArray &raw);
    std::optional<QString> last(const QString &name) const;

private:
    QList<QPair<QString, QString>> m_items;
};

/// The subprotocols the service speaks (JSON and protobuf, each plain and reliable).
bool isSupportedSubprotocol(const QString &protocol);

/// The hub of `/client/hubs/{hub}` or `/client/?hub={hub}` into \a hubName.
std::optional<Refusal> routeToHub(const HttpRequest &request, const Query &query, QString *hubName);
/// A GET, a valid hub name, WebSocket version 13 and a 16-byte Sec-WebSocket-Key.
std::optional<Refusal> checkUpgrade(const HttpRequest &request, const QString &hubName);
/// webpubsub_mode, noEcho and group into \a mode; checked for every client (docs/protocol.md#raw-clients).
std::optional<Refusal> readRawMode(const Query &query, RawMode *mode);
/// The first supported offer; none (a raw client) when no offer is supported
/// (docs/protocol.md#subprotocol-negotiation).
QString chooseSubprotocol(const QStringList &offers);
/// The access token (access_token parameter or Authorization: Bearer) verified with \a keys for this hub's
/// URL, its claims into \a claims; no token passes only when \a anonymousAllowed.
std::optional<Refusal> verifyToken(const HttpRequest &request, const Query &query, const QString &hubName,
                                   bool anonymousAllowed, const std::function<QList<QByteArray>()> &keys,
                                   QJsonObject *claims);
/// The identity a token gives (user, roles, valid groups) with \a subprotocol chosen without a handler
/// (docs/protocol.md#connect-event).
cloudevents::ConnectIdentity tokenIdentity(const QJsonObject &claims, const QString &subprotocol);

/// The subprotocols a client offers in `Sec-WebSocket-Protocol`, in order.
QStringList offeredSubprotocols(const HttpRequest &request);
/// A role or group claim (a string or an array of strings) as a list.
QStringList stringList(const QJsonValue &value);
/// The `connect` body: token claims, query parameters (names as sent, decoded once) and headers of the
/// upgrade request, and the offered subprotocols. The encoder removes `access_token` and `Authorization`.
cloudevents::ConnectRequest connectRequest(const QJsonObject &claims, const HttpRequest &request,
                                           const QStringList &offers);

} // namespace handshake
} // namespace wps::emulator
