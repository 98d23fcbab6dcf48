#pragma once

#include "live/handshakeprobe.h"
#include "live/pendingacks.h"
#include "live/reliablesession.h"
#include "protocol/messages.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <optional>

class QWebSocket;

namespace wps::live {

class InvocationJob;
class Invocations;

/// The WebSocket subprotocol a live client speaks (docs/protocol.md#subprotocol-negotiation). None is a raw
/// client.
enum class Subprotocol { None, Json, JsonReliable, Protobuf, ProtobufReliable };

/// The `Sec-WebSocket-Protocol` value; empty for a raw client.
QString subprotocolName(Subprotocol protocol);
/// Parses a subprotocol name (empty = raw); nullopt for anything else.
std::optional<Subprotocol> parseSubprotocol(QStringView name);
/// Reliable subprotocols carry sequence ids and can recover a dropped connection
/// (docs/protocol.md#reliable-json).
bool isReliable(Subprotocol protocol);
/// Protobuf subprotocols use binary frames and the protobuf codec (docs/protocol.md#protobuf).
bool isProtobuf(Subprotocol protocol);

/// The client's life cycle; docs/live-clients.md has the transition table.
enum class State { Disconnected, Connecting, Connected, Recovering, Reconnecting, Stopped };
QString stateName(State state);

/// Why an acknowledged operation failed. Duplicate is not an error: it finishes the job as a success with
/// isDuplicated(), as the SDK does.
struct AckError
{
    enum class Kind { Forbidden, InternalServerError, Timeout, NotConnected, Other };
    Kind kind = Kind::Other;
    QString name;    ///< the service's error name (open set), or Timeout / NotConnected for local failures
    QString message; ///< never contains a token
};

/// One operation that may wait for an `ack` (docs/style.md rule 7: a job). Parented to its LiveClient; emits
/// finished() exactly once and never from inside the call that created it. Delete it once finished, or let
/// the client's destruction do so.
class AckJob : public QObject
{
    Q_OBJECT
public:
    /// joinGroup, leaveGroup, sendToGroup, sendEvent (or rejoinGroup for the automatic rejoin).
    QString operation() const { return m_operation; }
    /// The ackId sent; nullopt for fire-and-forget sends and for requests refused before sending.
    std::optional<quint64> ackId() const { return m_ackId; }
    bool isFinished() const { return m_finished; }
    bool succeeded() const { return m_finished && !m_error; }
    /// The service said Duplicate: the operation had already succeeded (e.g. a retry after recovery).
    bool isDuplicated() const { return m_duplicated; }
    /// Valid when finished and not succeeded().
    const std::optional<AckError> &error() const { return m_error; }

Q_SIGNALS:
    void finished();

private:
    friend class LiveClient;
    friend class PendingAcks;
    AckJob(QString operation, QObject *parent);
    void finish(std::optional<AckError> error, bool duplicated = false);
    void finishLater(std::optional<AckError> error);

    QString m_operation;
    std::optional<quint64> m_ackId;
    std::optional<AckError> m_error;
    bool m_duplicated = false;
    bool m_finished = false;
    QTimer m_timeout;
};

/// Every timer of a live client (docs/style.md rule 12). Defaults copy @azure/web-pubsub-client; tests shrink
/// them.
struct LiveClientSettings
{
    std::chrono::milliseconds ackTimeout{30000};         ///< an ack that does not come fails with Timeout
    std::chrono::milliseconds pingInterval{20000};       ///< keepalive ping while connected; 0 disables
    std::chrono::milliseconds deadTimeout{120000};       ///< nothing received for this long: connection dead
    std::chrono::milliseconds sequenceAckInterval{1000}; ///< reliable: sequenceAck at most this often
    int sequenceAckThreshold = 300;                      ///< reliable: ...and at once past this many unacked
    std::chrono::milliseconds recoveryTimeout{30000};    ///< reliable: give up recovering after this
    std::chrono::milliseconds recoveryRetryDelay{1000};  ///< reliable: pause between recovery attempts
    std::chrono::milliseconds reconnectInitialDelay{1000}; ///< first reconnect delay, doubled per failure
    std::chrono::milliseconds reconnectMaxDelay{30000};    ///< cap of the reconnect backoff
    std::chrono::milliseconds closeTimeout{5000};          ///< stop(): abort if the close handshake hangs
    bool autoReconnect = true;                             ///< start a new connection after a lost one
    bool autoRejoinGroups = true;                          ///< rejoin joined groups on a new connection
    int previewBytes = 256;                                ///< bound of FrameRecord::preview
    /// A refused upgrade is replayed once to read the service's answer (HandshakeProbe), for at most this
    /// long; 0 turns the replay off (the status alone is then reported).
    std::chrono::milliseconds refusalProbeTimeout{5000};
};

/// One observed frame or connection event, for the trace (never carries an access or reconnection token).
struct FrameRecord
{
    enum class Direction { In, Out, Event };
    Direction direction = Direction::In;
    Subprotocol subprotocol = Subprotocol::None;
    QString type;       ///< decoded type (joinGroup, ack, message, connected, ...), or open/close/text/binary
    qint64 size = 0;    ///< bytes on the wire (payload of the frame)
    QByteArray preview; ///< at most LiveClientSettings::previewBytes, secrets redacted
    QString connectionId; ///< empty before the service named the connection
    int status = 0;       ///< a refused upgrade (type `refused`): the HTTP status the service answered
    QString detail;       ///< one line for the trace row, e.g. why the upgrade was refused
};

/// A console-side live client over QWebSocket that behaves like the official @azure/web-pubsub-client
/// (docs/protocol.md#client-sdk): it speaks every Web PubSub subprotocol through the shared codecs,
/// acknowledges and deduplicates sequenced messages, recovers reliable connections, reconnects and rejoins
/// otherwise, and keeps a ping watchdog (docs/style.md rule 13). Errors are signals and job results, never
/// dialogs.
class LiveClient : public QObject
{
    Q_OBJECT
public:
    /// \a url is the client URL with its access_token (e.g. ClientAccess::url); it is never logged as is.
    LiveClient(QUrl url, Subprotocol protocol, QObject *parent = nullptr);
    ~LiveClient() override;

    void setSettings(const LiveClientSettings &settings) { m_settings = settings; }
    const LiveClientSettings &settings() const { return m_settings; }
    /// A display name (the pool's user-{n}); also used in log lines.
    void setName(const QString &name) { m_name = name; }
    QString name() const { return m_name; }

    Subprotocol subprotocol() const { return m_protocol; }
    State state() const { return m_state; }
    QString connectionId() const { return m_connectionId; }
    QString userId() const { return m_userId; }
    /// Groups this client joined (and rejoins after a new connection).
    QStringList joinedGroups() const;
    /// Reliable: the largest sequenceId received on this logical connection.
    quint64 lastSequenceId() const { return m_reliable.largestSequenceId(); }
    /// Reliable: messages dropped because their sequenceId was not new.
    quint64 duplicatesDropped() const { return m_reliable.duplicatesDropped(); }
    /// Recovery sockets that opened so far (a recovery the service then refuses with 1008 counts too).
    int recoveries() const { return m_recoveries; }
    /// Why the connection last ended or the client stopped, in the user's words ("Refused: HTTP 401 …",
    /// "Client stopped", the service's close reason); empty before anything ended.
    QString lastReason() const { return m_lastReason; }
    /// The HTTP status of the last refused upgrade in this run (0 when none was refused).
    int refusedStatus() const { return m_refusedStatus; }
    /// Plain words for a refused upgrade's \a status, when the service gave no reason of its own.
    static QString refusalWords(int status);
    /// \a text without Qt's internal prefixes ("QWebSocketPrivate::processHandshake: ").
    static QString userError(const QString &text);

    /// The roles the client's access token carries (its "role" claim, read without verifying the
    /// signature), so the console can say what its own clients may do; empty without a token or roles.
    QStringList tokenRoles() const;

    /// \a url with access_token and awps_reconnection_token values replaced by "***", for display and traces.
    static QUrl redactedUrl(const QUrl &url);

    /// Opens the connection; connected() follows once the service's `connected` message arrived (at once
    /// after the handshake for a raw client). A first connection that fails ends in disconnected + stopped.
    void start();
    /// Closes with 1000, then emits disconnected() and stopped(); no reconnect follows.
    void stop();
    /// Aborts the current socket as a network failure would (fault drills, the demo): a reliable
    /// connection recovers, others reconnect as their settings say. \a reason goes into the trace's close
    /// row. Does nothing without an open socket.
    void dropConnection(const QString &reason);

    struct SendOptions
    {
        bool noEcho = false;
        bool fireAndForget = false; ///< no ackId: the job finishes as soon as the frame is written
        /// An ackId of the caller's choosing (the SDK's `ackId` option), to retry an earlier send with the
        /// same id: the service answers Duplicate if it already processed it. Refused while that id waits.
        std::optional<quint64> ackId = std::nullopt;
    };
    AckJob *joinGroup(const QString &group);
    AckJob *leaveGroup(const QString &group);
    AckJob *sendToGroup(const QString &group, const messages::Payload &data, SendOptions options);
    AckJob *sendToGroup(const QString &group, const messages::Payload &data)
    {
        return sendToGroup(group, data, {});
    }
    AckJob *sendEvent(const QString &event, const messages::Payload &data, bool fireAndForget = false);

    /// Group streams (core/live/groupstream.h): writes a stream request as it is (no ackId, no job). False
    /// when not connected.
    bool sendStreamRequest(const messages::ClientRequest &request);
    /// Calls the hub's handler for user event \a event and waits for its answer (`invoke`,
    /// docs/live-clients.md "Invocations"); \a timeout 0 waits until the answer or the end of the connection,
    /// otherwise the invocation fails with Timeout and is cancelled. Subprotocol clients only.
    InvocationJob *invoke(const QString &event, const std::optional<messages::Payload> &data,
                          std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
    /// Stops waiting for an invocation and tells the service (`cancelInvocation`); false if none waits.
    bool cancelInvocation(const QString &invocationId);
    /// Invocations waiting for their answer.
    int pendingInvocations() const;

    /// Raw clients only: a text or binary frame. False when not connected or not a raw client.
    bool sendText(const QString &text);
    bool sendBinary(const QByteArray &data);

Q_SIGNALS:
    void stateChanged(wps::live::State state);
    /// The service's `connected` arrived on a new connection (not after a recovery).
    void connected(const QString &connectionId, const QString &userId);
    /// A connection ended for good (not emitted while a reliable connection recovers).
    void disconnected(const QString &message);
    /// The client gave up or was stopped; start() may be called again.
    void stopped();
    void serverMessage(const wps::messages::DataMessage &message);
    void groupMessage(const wps::messages::DataMessage &message);
    void rejoinGroupFailed(const QString &group, const wps::live::AckError &error);
    /// streamAck, streamNack or streamClosed for a stream this client publishes (core/live/groupstream.h).
    void streamAnswer(const wps::messages::ServiceMessage &message);
    /// Raw clients: every frame as received.
    void rawMessage(const QByteArray &data, bool isBinary);
    /// Every frame in and out and every open/close, for the trace.
    void frameObserved(const wps::live::FrameRecord &record);

private:
    // The socket state machine (liveclient.cpp).
    void openSocket(const QUrl &url);
    void dropSocket();
    void onOpened();
    void onGone();
    void handleConnected(const messages::Connected &connected);
    void connectionLost(const QString &reason);
    void beginRecovery();
    void attemptRecovery();
    void giveUpRecovery(const QString &reason);
    void scheduleReconnect();
    void finishStop(const QString &reason);
    void setState(State state);
    void startLiveTimers();
    void stopLiveTimers();

    // Refused upgrades (liveclient_refusal.cpp).
    /// The upgrade was answered with \a status: replay it to read why, then end the attempt.
    void handleRefusal(QWebSocket *socket, int status, const QString &phrase);
    void concludeRefusal(int status, const QString &phrase, const HandshakeAnswer *answer);

    // The subprotocol conversation: acks, groups, sequenced messages (liveclient_messages.cpp).
    void handleMessage(const messages::ServiceMessage &message);
    void handleAck(const messages::Ack &ack);
    void handleData(const messages::DataMessage &message);
    AckJob *submit(const QString &operation, messages::ClientRequest request, bool fireAndForget,
                   std::optional<quint64> ackId = std::nullopt);
    void resendPending();
    void failAllPending(const QString &why);
    void rejoinGroups();
    void sendSequenceAck();

    // Frames in and out and their trace records (liveclient_frames.cpp).
    void onFrame(const QByteArray &frame, bool isBinary);
    bool sendRequest(const messages::ClientRequest &request);
    bool writeFrame(const QByteArray &frame, const QString &type, const QString &detail = {});
    void observe(FrameRecord::Direction direction, const QString &type, qint64 size, QByteArray preview,
                 QString detail = {});
    QByteArray previewOf(const QByteArray &frame, const messages::ServiceMessage *decoded) const;
    QString redact(QString text) const;

    const QUrl m_url;
    const Subprotocol m_protocol;
    LiveClientSettings m_settings;
    QString m_name;
    State m_state = State::Disconnected;

    QPointer<QWebSocket> m_socket;
    bool m_socketOpened = false;
    bool m_stopping = false;
    bool m_everConnected = false; ///< a `connected` arrived since start(): later failures reconnect
    QString m_fatalReason;        ///< set before aborting a socket for a reason that ends the client
    QString m_deadReason;         ///< set when the watchdog aborts the socket
    QString m_lastDisconnectedMessage;
    QString m_lastReason;
    QString m_refusalReason; ///< set when the current socket's upgrade was refused (read by onGone)
    int m_refusedStatus = 0;
    bool m_refusalPending = false; ///< the current socket's refusal is being read (HandshakeProbe)
    QUrl m_openUrl;                ///< the URL of the current socket (with its token; never shown)
    QPointer<QObject> m_probe;
    std::optional<HandshakeAnswer> m_lastRefusal; ///< the answer read for this run's last refusal

    QString m_connectionId;
    QString m_userId;

    PendingAcks m_acks;
    QStringList m_groups;

    ReliableSession m_reliable;

    int m_reconnectAttempt = 0;
    int m_recoveries = 0;
    QElapsedTimer m_recoveryClock;

    QTimer m_pingTimer;
    QTimer m_watchdog;
    QTimer m_sequenceAckTimer;
    QTimer m_retryTimer;
    QTimer m_closeTimer;
    Invocations *m_invocations = nullptr; ///< child (live/invocations.h)
};

} // namespace wps::live
