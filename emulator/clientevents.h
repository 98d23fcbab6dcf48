#pragma once

#include "protocol/cloudevents.h"
#include "protocol/messages.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace wps::emulator {

/// The connection an upstream event is about, and the event's place in that connection's sequence.
struct ClientEventContext
{
    QString hub;
    QString connectionId;
    std::optional<QString> userId;
    QString subprotocol; ///< empty for raw clients
    /// ce-id: `connect` is 0, the connection's later events count up from 1 (docs/protocol.md#connect-event).
    /// The session counts, because event IDs belong to one connection.
    quint64 eventId = 0;
    /// The state the last blocking answer stored (docs/protocol.md#connection-state), sent as
    /// `ce-connectionState`; absent: none yet.
    std::optional<QByteArray> connectionState;
    /// MQTT connections only: `ce-physicalConnectionId`, `ce-sessionId` and the `mqtt` object of the
    /// connect request or disconnected body (the upstream events then also say `ce-subprotocol: mqtt`).
    struct Mqtt
    {
        QString physicalConnectionId;
        QString sessionId;
        QJsonObject body;
    };
    std::optional<Mqtt> mqtt;
};

/// The outcome of a user event (docs/protocol.md#user-events).
struct ClientEventReply
{
    enum class Result { NoHandler, Replied, Failed };
    Result result = Result::NoHandler;
    std::optional<messages::Payload> payload; ///< sent back to the caller before the ack
    /// Replied only: a `ce-connectionState` answer header (present = store it, even when empty).
    std::optional<QByteArray> connectionState;
    QString error;         ///< for the log; never holds keys or tokens
    bool timedOut = false; ///< Failed: the handler did not answer within the upstream budget
};

/// The blocking `connect` event (docs/protocol.md#connect-event) of a client whose handshake waits for it.
struct ClientConnectRequest
{
    ClientEventContext connection; ///< eventId 0, no subprotocol, no state, userId from the token
    cloudevents::ConnectRequest request;
    /// What the token (or the anonymous policy) gave, with the subprotocol chosen without a handler.
    cloudevents::ConnectIdentity token;
};

/// What becomes of a client whose `connect` event was delivered.
struct ClientConnectDecision
{
    bool accepted = false;
    cloudevents::ConnectIdentity identity;     ///< accepted: the token identity with the handler's overrides
    std::optional<QByteArray> connectionState; ///< accepted: `ce-connectionState` of the answer, if any
    int status = 500;                          ///< refused: the HTTP status of the upgrade's answer
    QByteArray body;                           ///< refused by a handler's 4xx: its body, relayed
    QByteArray contentType;                    ///< ... and its Content-Type
    QString error;                             ///< for the log; never holds keys or tokens
};

/// The seam between the client endpoint and upstream event delivery (emulator/upstream/). The endpoint
/// calls it for the blocking `connect`, user events and the connected/disconnected system events; without
/// a handler set, connects are accepted with the token's identity and user events behave as "no handler
/// matches" (an InternalServerError ack, or close 1011 for raw clients).
class ClientEventHandler
{
public:
    virtual ~ClientEventHandler() = default;
    /// The blocking `connect` event. Returns false when no handler subscribes to it: the handshake goes
    /// on at once and \a done is never called. Otherwise \a done runs once, later, on the endpoint's
    /// thread, unless \a context is gone by then.
    virtual bool connecting(const ClientConnectRequest &connect, QObject *context,
                            std::function<void(const ClientConnectDecision &)> done) = 0;
    /// A user event; \a done runs once, on the endpoint's thread, unless \a context is gone by then.
    virtual void userEvent(const ClientEventContext &connection, const QString &event,
                           const messages::Payload &data, QObject *context,
                           std::function<void(const ClientEventReply &)> done) = 0;
    /// After the WebSocket is open (not after a reliable recovery).
    virtual void connected(const ClientEventContext &connection) = 0;
    /// Once per logical connection whose connect succeeded, when it finally ends.
    virtual void disconnected(const ClientEventContext &connection, const QString &reason) = 0;
    /// True when a handler of \a hub takes the group presence event \a kind (GroupJoined or GroupLeft) of
    /// \a group: only then does the session spend an event ID on it (docs/emulator.md#group-presence-events).
    virtual bool wantsGroupPresence(const QString & /*hub*/, cloudevents::EventKind /*kind*/,
                                    const QString & /*group*/) const
    {
        return false;
    }
    /// A group presence event: the connection joined or left \a group (non-blocking, like `connected`).
    virtual void groupPresence(const ClientEventContext & /*connection*/, cloudevents::EventKind /*kind*/,
                               const QString & /*group*/)
    {
    }
};

} // namespace wps::emulator
