#pragma once

#include "common/expected.h"
#include "protocol/messages.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

/// The upstream (event handler) protocol of Web PubSub: CloudEvents 1.0 over HTTP in binary content mode
/// (docs/protocol.md#upstream-cloudevents). Value types and codecs only, no I/O: the emulator's
/// UpstreamClient builds its requests with them, and the console's trace decodes recorded requests with the
/// same code.
namespace wps::cloudevents {

/// One HTTP header as it goes on the wire (name, value). Names keep the case we send them in.
using Header = QPair<QByteArray, QByteArray>;
using Headers = QList<Header>;

/// The kinds of upstream event (docs/protocol.md#event-requests). User events carry their own name
/// (`message` for raw frames). GroupJoined / GroupLeft are the non-blocking group presence events
/// (docs/protocol.md#group-presence-events).
enum class EventKind { Connect, Connected, Disconnected, User, GroupJoined, GroupLeft };

/// `connect`, `connected`, `disconnected`, `joined`, `left`, or \a userEventName for EventKind::User: the
/// value of `ce-eventName` and of `{event}` in a handler's URL template.
QString eventName(EventKind kind, const QString &userEventName = {});
/// `azure.webpubsub.sys.<name>`, `azure.webpubsub.gp.<name>` (group presence) or
/// `azure.webpubsub.user.<name>`: the value of `ce-type`.
QString eventType(EventKind kind, const QString &userEventName = {});

/// The CloudEvents attributes of one event: everything that goes into `ce-*` headers.
struct EventAttributes
{
    EventKind kind = EventKind::Connect;
    QString userEventName; ///< EventKind::User only: `message` or the custom event name
    QString hub;
    QString connectionId;
    std::optional<QString> userId; ///< absent when the connection has no user
    QString subprotocol;           ///< empty: none selected (the header is then left out)
    /// docs/protocol.md#connection-state; absent: no state has been set
    std::optional<QByteArray> connectionState;
    /// ce-id: `connect` is 0, later events of the connection count up from 1
    /// (docs/protocol.md#connect-event). The caller counts, because it owns the connection.
    quint64 id = 0;
    QDateTime time; ///< invalid means now
    /// MQTT connections only (empty otherwise): `ce-physicalConnectionId`, one per network connection, and
    /// `ce-sessionId`, one per MQTT session. The express SDK treats an event as MQTT when both
    /// `ce-subprotocol` contains "mqtt" and `ce-physicalConnectionId` is present.
    QString physicalConnectionId;
    QString sessionId;
};

/// `sha256=<hex>[,sha256=<hex>]`: one HMAC-SHA256 of the connection ID per access key
/// (docs/protocol.md#signature), keyed with the key string's UTF-8 bytes. Lower-case hex, in the order of
/// \a keys.
QByteArray signature(const QString &connectionId, const QList<QByteArray> &keys);

/// True when any `sha256=` entry of \a headerValue is the HMAC of \a connectionId under any of \a keys.
/// Hex is compared case-insensitively (the .NET extension writes upper case) and in constant time.
bool verifySignature(QByteArrayView headerValue, const QString &connectionId, const QList<QByteArray> &keys);

/// The headers of a binary-mode event request, exactly as docs/protocol.md#request-headers lists them, in a
/// stable order. \a origin is the service host the handler sees in `WebHook-Request-Origin` (host[:port]);
/// \a contentType the body's media type (contentTypeFor() for user events).
Headers buildHeaders(const EventAttributes &event, const QList<QByteArray> &keys, const QString &origin,
                     const QByteArray &contentType);

/// Reads the attributes back from request headers (names case-insensitive), for the trace and for tests.
/// Fails when a required attribute (ce-type, ce-hub, ce-connectionId, ce-id) is missing or malformed.
Expected<EventAttributes, QString> parseHeaders(const Headers &headers);

/// `application/json; charset=utf-8` for system events.
QByteArray systemEventContentType();
/// The request Content-Type of a user event carrying \a type (docs/protocol.md#user-events).
QByteArray contentTypeFor(messages::DataType type);

/// The `connect` request body (docs/protocol.md#connect-event). All map values are string arrays.
struct ConnectRequest
{
    QMap<QString, QStringList> claims;
    QMap<QString, QStringList> query;
    QMap<QString, QStringList> headers;
    QStringList subprotocols;
    struct ClientCertificate
    {
        QString thumbprint;
        QString content;
        bool operator==(const ClientCertificate &) const = default;
    };
    QList<ClientCertificate> clientCertificates; ///< left out of the body when empty
    bool operator==(const ConnectRequest &) const = default;
};

/// Serialises the connect body. The client's credentials never reach the handler: the `access_token` query
/// parameter and the `Authorization` header are removed (names compared case-insensitively), as Microsoft's
/// emulator always does (docs/protocol.md#connect-event, docs/protocol.md#open-question-14).
QByteArray encodeConnectRequest(const ConnectRequest &request);
/// Parses a connect body (trace, tests). Unknown fields are ignored.
Expected<ConnectRequest, QString> decodeConnectRequest(QByteArrayView body);

/// A usable `connect` answer (2xx), as overrides of the token's identity (docs/protocol.md#connect-event
/// table). An absent field keeps what the token said.
struct ConnectResponse
{
    std::optional<QString> userId;     ///< replaces `sub`; "" included
    std::optional<QStringList> roles;  ///< replaces every role; [] removes them
    std::optional<QStringList> groups; ///< replaces the token's groups; set only when non-empty
    std::optional<QString> subprotocol;
    std::optional<QByteArray> connectionState; ///< the `ce-connectionState` response header, if present
    bool operator==(const ConnectResponse &) const = default;
};

/// Parses a 2xx `connect` answer. The body is read as JSON whatever its Content-Type; empty, whitespace or
/// `null` means "no overrides". An error means the answer is unusable, and the client gets 500: not a JSON
/// object, a field of the wrong type, an invalid group name, or a subprotocol the client did not offer
/// (or an empty one). \a offeredSubprotocols are the client's offers.
Expected<ConnectResponse, QString> parseConnectResponse(QByteArrayView body,
                                                        const std::optional<QByteArray> &connectionState,
                                                        const QStringList &offeredSubprotocols);

/// The identity of a connection being accepted: what the token (or anonymous policy) gave, then what the
/// connect handler made of it.
struct ConnectIdentity
{
    std::optional<QString> userId;
    QStringList roles;
    QStringList groups;
    QString subprotocol; ///< empty: none
    bool operator==(const ConnectIdentity &) const = default;
};

/// Applies the override rules of docs/protocol.md#connect-event: \a token holds the token's identity, with
/// the subprotocol the service would pick without a handler (the first supported offer).
ConnectIdentity applyConnectResponse(const ConnectIdentity &token, const ConnectResponse &response);

/// A usable user-event answer (docs/protocol.md#user-events).
struct UserEventReply
{
    std::optional<messages::Payload> payload;  ///< absent for 204 or an empty body: nothing is sent back
    std::optional<QByteArray> connectionState; ///< the `ce-connectionState` response header, if present
    bool operator==(const UserEventReply &) const = default;
};

/// Parses a 2xx user-event answer. \a contentType is the response's Content-Type (absent = binary):
/// `text/plain` -> text, `application/json` -> JSON (must be valid JSON), `application/octet-stream` ->
/// binary; any other media type is an error, as in Microsoft's emulator. Parameters (charset) are ignored.
Expected<UserEventReply, QString> parseUserEventResponse(int status,
                                                         const std::optional<QByteArray> &contentType,
                                                         const QByteArray &body,
                                                         const std::optional<QByteArray> &connectionState);

/// Response-size bound for every upstream answer (docs/protocol.md#connect-event,
/// docs/protocol.md#microsofts-emulator): larger answers are unusable.
constexpr qint64 kMaxResponseBytes = 16 * 1024 * 1024;

} // namespace wps::cloudevents
