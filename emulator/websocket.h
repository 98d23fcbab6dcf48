#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <deque>
#include <functional>

class QTcpSocket;

namespace wps::emulator::ws {

/// RFC 6455 opcodes.
enum class Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA
};

/// Close codes the emulator sends.
namespace CloseCode {
inline constexpr quint16 Normal = 1000;
inline constexpr quint16 GoingAway = 1001;
inline constexpr quint16 ProtocolError = 1002;
inline constexpr quint16 UnsupportedData = 1003;
inline constexpr quint16 NoStatus = 1005;
inline constexpr quint16 Abnormal = 1006;
inline constexpr quint16 InvalidPayload = 1007;
inline constexpr quint16 PolicyViolation = 1008;
inline constexpr quint16 TooBig = 1009;
inline constexpr quint16 InternalError = 1011;
} // namespace CloseCode

/// True for a close code a client may send (RFC 6455 docs/protocol.md#live-trace): 1000-1003, 1007-1014 and
/// 3000-4999. Others (0, 999, 1004-1006, 1015, 5000, ...) are answered with 1002.
bool isValidCloseCode(quint16 code);

/// `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key`.
QByteArray acceptKey(QByteArrayView key);
/// One complete (FIN), unmasked server frame. Built once per message and written to every receiver: the
/// returned array is implicitly shared, so fan-out costs no copies.
QByteArray frame(Opcode opcode, QByteArrayView payload);
/// A close frame; \a reason is cut (at a character boundary) to fit the 123 bytes a control frame allows.
QByteArray closeFrame(quint16 code, const QString &reason);
bool isValidUtf8(QByteArrayView bytes);

/// Limits of one server-side WebSocket.
struct Limits
{
    qsizetype maxMessageBytes = 1024 * 1024; ///< larger messages (after reassembly) -> close 1009
    /// The connection's output budget: every byte written to the socket and not yet sent counts (data, acks,
    /// pongs, pings, replays). A data frame that does not fit is refused (the caller closes the slow
    /// consumer); any other frame that does not fit closes the socket with 1008 itself.
    qsizetype maxQueuedBytes = 16 * 1024 * 1024;
    qsizetype maxQueuedMessages = 1000;           ///< unsent data frames beyond this -> refused
    std::chrono::milliseconds closeTimeout{2000}; ///< wait for the peer's close frame, then drop
    /// Server pings (docs/protocol.md#keepalive-and-close-codes, `webSocketKeepAliveIntervalInSeconds`,
    /// default 20 s); zero or less sends none.
    std::chrono::milliseconds keepAliveInterval{20000};
    /// A client that sent nothing at all (no pong, no frame) while this many pings went unanswered is dead:
    /// its TCP connection is dropped at the next tick.
    int keepAliveMaxMissed = 3;
};

/// The server side of one WebSocket on a QTcpSocket whose handshake has been answered: frame parsing
/// (masking required, fragmentation, control frames, UTF-8 check of text, size limit) and writing of
/// pre-built frames with a bounded output queue. Own framing instead of QWebSocket, so that a message's frame
/// bytes are built once per send and written as they are to every receiver
/// (docs/emulator.md#performance-choices).
class Socket;

/// The output budget of all server WebSockets of one emulator thread (one per process in
/// `webpubsub-emulator`): the sum of every socket's unsent bytes. Past half of the limit, sockets stop
/// reading client frames (publishers slow down: overload shows as latency); below a quarter they resume.
/// Past the limit, a data frame for a socket with at least the average backlog is refused (a slow-consumer
/// close). While reading stays paused, the socket with the largest backlog is closed (1008) once per tick, so
/// clients that stop reading cannot hold the budget.
class OutputBudget : public QObject
{
    Q_OBJECT
public:
    /// The budget of the calling thread.
    static OutputBudget &current();
    /// Bytes; zero or less: no process budget (per-socket limits only).
    void setLimit(qint64 bytes) { m_limit = bytes; }
    qint64 limit() const { return m_limit; }
    qint64 queuedBytes() const { return m_queued; }
    bool readingPaused() const { return m_paused; }
    /// Sockets closed by the budget so far.
    quint64 evictions() const { return m_evictions; }

private:
    friend class Socket;
    OutputBudget();
    void attach(Socket *socket);
    void detach(Socket *socket);
    void add(qint64 bytes);
    void release(qint64 bytes);
    /// True when a data frame of \a bytes for a socket with \a socketQueued unsent bytes must be refused.
    bool refuses(qint64 socketQueued, qint64 bytes) const;
    void update();
    void onTick();

    qint64 m_limit = 256ll * 1024 * 1024;
    qint64 m_queued = 0;
    bool m_paused = false;
    int m_pausedTicks = 0;
    quint64 m_evictions = 0;
    QList<Socket *> m_sockets;
    QTimer m_tick;
};

class Socket : public QObject
{
    Q_OBJECT
public:
    /// Gets one complete data message (text already checked to be UTF-8). \a payload points into the socket's
    /// input buffer and is valid only during the call: a handler that keeps bytes copies them.
    using MessageHandler = std::function<void(QByteArrayView payload, bool text)>;

    /// Takes ownership of \a socket (reparented to this object).
    Socket(QTcpSocket *socket, const Limits &limits, QObject *parent = nullptr);
    ~Socket() override;

    /// Starts reading (frames the client sent right after the handshake are already buffered).
    void start();

    /// Writes a frame made with frame(). With \a capped (data frames of non-reliable clients), a frame that
    /// would take the unsent output past the limits or the process budget is not written and false is
    /// returned (the caller closes the slow consumer). Without, a frame past Limits::maxQueuedBytes closes
    /// the socket with 1008 (outputOverflowed()) and false is returned. False also when the socket is
    /// closing.
    bool sendFrame(const QByteArray &frameBytes, bool capped = true);
    /// Starts the close handshake with \a code and \a reason; the TCP connection is dropped when the peer
    /// answers or after Limits::closeTimeout.
    void close(quint16 code, const QString &reason);
    /// Drops the TCP connection without a close frame (tests use it to simulate a network failure).
    void abort();

    /// Who gets the data messages: one owner, called directly from the parser (a QoS 1 fan-out reads one
    /// PUBACK per delivery, so a signal and a payload copy per message showed in the profile; bench/README.md
    /// "MQTT").
    void setMessageHandler(MessageHandler handler) { m_onMessage = std::move(handler); }

    bool isOpen() const { return m_state == State::Open; }
    qsizetype queuedBytes() const { return m_written - m_acknowledged; }
    qsizetype queuedMessages() const { return static_cast<qsizetype>(m_frameEnds.size()); }

Q_SIGNALS:
    /// Emitted once when the TCP connection is gone. \a clientClosed is true when the client sent a close
    /// frame (a deliberate end), false for a dropped transport (a dead client included) or a close the
    /// server started.
    void closed(quint16 code, const QString &reason, bool clientClosed);
    /// The socket closed itself (1008) because a frame did not fit its output budget, or the process budget
    /// evicted it. Emitted once, after the close frame is queued.
    void outputOverflowed();

private:
    friend class OutputBudget;
    enum class State { Open, Closing, Closed };
    void onReadyRead();
    void onBytesWritten(qint64 bytes);
    void onDisconnected();
    /// Parses one frame from m_in; false when more bytes are needed or the socket stopped reading.
    bool parseFrame();
    void handleControl(Opcode opcode, QByteArrayView payload);
    /// Reads what the socket holds into m_in, up to the read window; returns the room the window had.
    qsizetype readInput();
    void fail(quint16 code, const QString &reason);
    /// One keepalive tick: a ping, or the end of a client that answered none of the last pings.
    void onKeepAlive();
    /// Writes a frame and accounts for it in the output budget; a frame past Limits::maxQueuedBytes is not
    /// written and closes the socket with 1008 (false).
    bool writeFrame(const QByteArray &frameBytes);
    /// Writes and accounts for a frame without a budget check (close frames).
    void writeUnchecked(const QByteArray &frameBytes);
    /// Reads from the event loop (once, however often it is asked for before it runs).
    void scheduleRead();
    /// Closes with 1008 because the output budget is spent.
    void overflow(const QString &reason);
    /// Gives the budget back what will never be sent (the TCP connection is gone).
    void releaseAll();
    /// The close reason of a socket past its output budget.
    static QString outputFull();

    QTcpSocket *m_socket;
    Limits m_limits;
    State m_state = State::Open;
    QByteArray m_in;       ///< never shared: frames are unmasked in place
    qsizetype m_inPos = 0; ///< bytes of m_in already parsed
    MessageHandler m_onMessage;
    QByteArray m_message; ///< fragments of the data message being received
    Opcode m_messageOpcode = Opcode::Continuation;
    bool m_inFragmentedMessage = false;
    qint64 m_written = 0;           ///< bytes handed to the socket so far
    qint64 m_acknowledged = 0;      ///< of those, bytes the socket has written
    std::deque<qint64> m_frameEnds; ///< end offsets (in m_written terms) of frames not fully written
    quint16 m_closeCode = CloseCode::Abnormal;
    QString m_closeReason;
    bool m_clientClosed = false;
    bool m_closedEmitted = false;
    QTimer m_closeTimer;
    QTimer m_keepAliveTimer;
    int m_unansweredPings = 0; ///< pings sent since the client last sent anything
    qsizetype m_needed = 0;    ///< bytes the frame being received needs in m_in (0: unknown)
    bool m_readScheduled = false;
    bool m_overflowed = false;
    OutputBudget *m_budget;
};

} // namespace wps::emulator::ws
