#pragma once

#include "emulator/clientevents.h"
#include "emulator/groupstreams.h"
#include "emulator/hubstate.h"
#include "emulator/websocket.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QTimer>

#include <chrono>
#include <deque>
#include <optional>
#include <vector>

namespace wps::emulator {

/// How a client speaks (docs/protocol.md#subprotocol-negotiation).
enum class ClientKind { Raw, Json, Protobuf };

/// A raw client's mode, fixed at connect time (docs/protocol.md#raw-clients).
struct RawMode
{
    bool sendToGroup = false; ///< webpubsub_mode=sendToGroup; otherwise sendEvent
    QString group;
    bool noEcho = false;
};

/// Limits and timers of client sessions; tests shrink them.
struct ClientLimits
{
    ws::Limits socket;                               ///< message size, outbound queue, close timeout
    std::chrono::milliseconds recoveryWindow{30000}; ///< how long a dropped reliable connection is kept
    qsizetype maxUnackedMessages = 1000;             ///< reliable buffer
    qsizetype maxUnackedBytes = 16 * 1024 * 1024;    ///< reliable buffer
    /// The process output budget (ws::OutputBudget): unsent bytes of all WebSockets together.
    qint64 processOutputBytes = 256ll * 1024 * 1024;
    GroupStreamLimits streams; ///< group streams (emulator/groupstreams.h)
    /// `invoke`s of one connection waiting for their handler at once; more are answered with an error
    /// (docs/emulator.md "Invocations").
    int maxPendingInvocations = 100;
};

/// How many successful ackIds a connection remembers to answer a repeat with `Duplicate`
/// (docs/emulator.md "Limits"): a retry older than the last 1,024 successful requests is executed again.
inline constexpr std::size_t kAckIdWindow = 1024;

/// One logical client connection: its WebSocket (replaced on a reliable recovery), request handling, roles,
/// ack IDs and the reliable replay buffer. The hub holds a ConnectionSink that forwards to it.
class ClientSession : public QObject
{
    Q_OBJECT
public:
    struct Identity
    {
        QString hubName;
        QString connectionId;
        std::optional<QString> userId;
        QString protocol; ///< negotiated subprotocol; empty for raw clients
        ClientKind kind = ClientKind::Raw;
        bool reliable = false;
        RawMode rawMode;
    };

    ClientSession(HubState &hub, Identity identity, const ClientLimits &limits, ClientEventHandler *events,
                  QObject *parent = nullptr);
    ~ClientSession() override;

    const Identity &identity() const { return m_identity; }
    const QString &connectionId() const { return m_identity.connectionId; }
    /// Secret that lets a reliable client resume this connection; empty for other clients.
    const QString &reconnectionToken() const { return m_reconnectionToken; }
    /// True while a reliable connection waits, without a socket, for its client to come back.
    bool awaitingRecovery() const { return !m_socket && !m_ended && m_recoveryTimer.isActive(); }

    /// Gives the session its (first or recovered) WebSocket: sends `connected`, replays unacked messages
    /// except those whose TTL has passed, which are dropped. Returns how many were dropped as expired.
    int attach(ws::Socket *socket);
    /// Hub -> client.
    void deliver(const Delivery &message);
    /// The service closes the client (REST): `disconnected` for subprotocol clients, then 1000 + reason.
    void closeByService(const QString &reason);

    /// The context of this connection's next upstream event: ce-id 1, 2, ... (the `connect` event, 0, is
    /// sent before the session exists) and the stored connection state (docs/protocol.md#connection-state).
    ClientEventContext nextEvent();
    /// The hub reports a change of this connection's groups: sends the group presence event when a handler
    /// takes it (docs/emulator.md#group-presence-events).
    void membershipChanged(const QString &group, bool joined);
    /// Stores what a blocking answer set as `ce-connectionState` (the connect answer, before attach()).
    void setConnectionState(std::optional<QByteArray> state) { m_connectionState = std::move(state); }
    const std::optional<QByteArray> &connectionState() const { return m_connectionState; }
    /// Sees every data message the client sends, on every socket the session has (the live trace's hook),
    /// before the session handles it.
    void setMessageObserver(ws::Socket::MessageHandler observer) { m_observer = std::move(observer); }
    /// The group streams this connection publishes (for the live trace's hook).
    GroupStreams *groupStreams() const { return m_streams; }

Q_SIGNALS:
    /// The logical connection is over (the hub has forgotten it); the owner deletes the session.
    void ended(const QString &connectionId);
    /// An `invoke` was answered (\a outcome: "answered text (2 bytes)", "failed: …", …) or cancelled by the
    /// client or dropped with its socket (then nothing was sent), for the live trace.
    void invocationFinished(const QString &connectionId, const QString &invocationId, const QString &event,
                            const QString &outcome, qint64 elapsedMs);

private:
    void onMessage(QByteArrayView payload, bool text);
    void onSocketClosed(quint16 code, const QString &reason, bool clientClosed);
    void handleRequest(const messages::ClientRequest &request);
    /// Answers a request the service refuses without closing (\a error): on its stream, or an error ack.
    void refuseRequest(const messages::ClientRequest &request, const QString &error);
    void handleRawMessage(const QByteArray &payload, bool text);
    void sendAck(std::optional<quint64> ackId, const QString &errorName = {}, const QString &message = {});
    /// Answers a repeated successful ackId with Duplicate; true when it did.
    bool isDuplicate(std::optional<quint64> ackId);
    void publish(const QString &group, const messages::Payload &data, bool noEcho);
    void userEvent(const QString &event, const messages::Payload &data, std::optional<quint64> ackId);
    // Invocations (emulator/invocations.cpp).
    void invoke(const messages::Invoke &request, const QString &refusal);
    void cancelInvocation(const QString &invocationId);
    void answerInvocation(const messages::InvokeResponse &response, const QString &event, qint64 elapsedMs);
    /// The socket is gone: pending invocations are forgotten (the client gave up on them, as the SDK does).
    void dropInvocations(const QString &why);
    /// Encodes a service message (not a data message) as this client's frame.
    QByteArray encodeFrame(const messages::ServiceMessage &message) const;
    QByteArray dataFrame(const Delivery &message, std::optional<quint64> sequenceId) const;
    void sendControlMessage(const messages::ServiceMessage &message);
    /// Closes the socket and ends the logical connection (no recovery).
    void closeAndEnd(quint16 code, const QString &reason);
    /// Ends the logical connection from the event loop (never inside a hub call).
    void endLater(const QString &reason);
    void end(const QString &reason);

    HubState &m_hub;
    Identity m_identity;
    ClientLimits m_limits;
    ClientEventHandler *m_events;
    QPointer<ws::Socket> m_socket;
    ws::Socket::MessageHandler m_observer;
    QString m_reconnectionToken;
    /// The last kAckIdWindow ackIds of successful requests, oldest overwritten first (a ring).
    std::vector<quint64> m_ackIds;
    std::size_t m_nextAckSlot = 0;
    bool m_ending = false; ///< closing for good: no recovery, no more deliveries
    bool m_ended = false;
    QString m_endReason;
    quint64 m_nextEventId = 1;                   ///< ce-id of the next upstream event
    std::optional<QByteArray> m_connectionState; ///< docs/protocol.md#connection-state
    // Reliable state.
    struct Unacked
    {
        quint64 sequenceId;
        QByteArray frame;
        std::optional<std::chrono::steady_clock::time_point> expiresAt; ///< from the send's TTL
    };
    quint64 m_nextSequenceId = 1;
    std::deque<Unacked> m_unacked;
    qsizetype m_unackedBytes = 0;
    QTimer m_recoveryTimer;
    GroupStreams *m_streams = nullptr; ///< child
    struct PendingInvocation
    {
        QString event;
        QObject *context = nullptr; ///< guards the handler's callback; deleted on cancel
        QElapsedTimer clock;
    };
    QHash<QString, PendingInvocation> m_invocations;
};

} // namespace wps::emulator
