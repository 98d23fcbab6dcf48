#pragma once

#include "protocol/messages.h"

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace wps::emulator {

/// The connection an upstream event is about.
struct ClientEventContext
{
    QString hub;
    QString connectionId;
    std::optional<QString> userId;
    QString subprotocol; ///< empty for raw clients
};

/// The outcome of a user event (webpubsub-protocol.md §6.8).
struct ClientEventReply
{
    enum class Result { NoHandler, Replied, Failed };
    Result result = Result::NoHandler;
    std::optional<messages::Payload> payload; ///< sent back to the caller before the ack
    QString error;                            ///< for the log; never holds keys or tokens
};

/// The seam between the client endpoint and upstream event delivery (emulator/upstream/). The endpoint
/// calls it for user events and the connected/disconnected system events; without a handler set, user
/// events behave as "no handler matches" (an InternalServerError ack, or close 1011 for raw clients).
class ClientEventHandler
{
public:
    virtual ~ClientEventHandler() = default;
    /// A user event; \a done runs once, on the endpoint's thread, unless \a context is gone by then.
    virtual void userEvent(const ClientEventContext &connection, const QString &event,
                           const messages::Payload &data, QObject *context,
                           std::function<void(const ClientEventReply &)> done) = 0;
    /// After the WebSocket is open (not after a reliable recovery).
    virtual void connected(const ClientEventContext &connection) = 0;
    /// Once per logical connection, when it finally ends.
    virtual void disconnected(const ClientEventContext &connection, const QString &reason) = 0;
};

} // namespace wps::emulator
