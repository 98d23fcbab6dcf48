#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <deque>

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
    qsizetype maxMessageBytes = 1024 * 1024;      ///< larger messages (after reassembly) -> close 1009
    qsizetype maxQueuedBytes = 16 * 1024 * 1024;  ///< unsent output beyond this -> outputFull
    qsizetype maxQueuedMessages = 1000;           ///< unsent frames beyond this -> outputFull
    std::chrono::milliseconds closeTimeout{2000}; ///< wait for the peer's close frame, then drop
    /// Server pings (webpubsub-protocol.md §5.10, `webSocketKeepAliveIntervalInSeconds`, default 20 s);
    /// zero or less sends none.
    std::chrono::milliseconds keepAliveInterval{20000};
    /// A client that sent nothing at all (no pong, no frame) while this many pings went unanswered is dead:
    /// its TCP connection is dropped at the next tick.
    int keepAliveMaxMissed = 3;
};

/// The server side of one WebSocket on a QTcpSocket whose handshake has been answered: frame parsing
/// (masking required, fragmentation, control frames, UTF-8 check of text, size limit) and writing of
/// pre-built frames with a bounded output queue. Own framing instead of QWebSocket, so that a message's frame
/// bytes are built once per send and written as they are to every receiver (emulator-performance.md).
class Socket : public QObject
{
    Q_OBJECT
public:
    /// Takes ownership of \a socket (reparented to this object).
    Socket(QTcpSocket *socket, const Limits &limits, QObject *parent = nullptr);
    ~Socket() override;

    /// Starts reading (frames the client sent right after the handshake are already buffered).
    void start();

    /// Writes a frame made with frame(). With \a capped, a frame that would take the unsent output past the
    /// limits is not written and false is returned (the caller closes the slow consumer). False also when
    /// the socket is closing.
    bool sendFrame(const QByteArray &frameBytes, bool capped = true);
    /// Starts the close handshake with \a code and \a reason; the TCP connection is dropped when the peer
    /// answers or after Limits::closeTimeout.
    void close(quint16 code, const QString &reason);
    /// Drops the TCP connection without a close frame (tests use it to simulate a network failure).
    void abort();

    bool isOpen() const { return m_state == State::Open; }
    qsizetype queuedBytes() const { return m_written - m_acknowledged; }
    qsizetype queuedMessages() const { return static_cast<qsizetype>(m_frameEnds.size()); }

Q_SIGNALS:
    /// One complete data message (text already checked to be UTF-8).
    void messageReceived(const QByteArray &payload, bool text);
    /// Emitted once when the TCP connection is gone. \a clientClosed is true when the client sent a close
    /// frame (a deliberate end), false for a dropped transport (a dead client included) or a close the
    /// server started.
    void closed(quint16 code, const QString &reason, bool clientClosed);

private:
    enum class State { Open, Closing, Closed };
    void onReadyRead();
    void onBytesWritten(qint64 bytes);
    void onDisconnected();
    /// Parses one frame from m_in; false when more bytes are needed or the socket stopped reading.
    bool parseFrame();
    void handleControl(Opcode opcode, const QByteArray &payload);
    void fail(quint16 code, const QString &reason);
    /// One keepalive tick: a ping, or the end of a client that answered none of the last pings.
    void onKeepAlive();
    /// Writes a frame and accounts for it in the output queue (uncapped).
    void writeFrame(const QByteArray &frameBytes);

    QTcpSocket *m_socket;
    Limits m_limits;
    State m_state = State::Open;
    QByteArray m_in;
    qsizetype m_inPos = 0; ///< bytes of m_in already parsed
    QByteArray m_message;  ///< fragments of the data message being received
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
};

} // namespace wps::emulator::ws
