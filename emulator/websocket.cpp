#include "emulator/websocket.h"

#include <QCryptographicHash>
#include <QLoggingCategory>
#include <QStringDecoder>
#include <QTcpSocket>
#include <QtEndian>

#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcWs, "wps.emulator.websocket")

namespace wps::emulator::ws {

bool isValidCloseCode(quint16 code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

namespace {
/// How much unparsed input a socket holds beyond the frame it is receiving.
constexpr qsizetype kReadWindow = 64 * 1024;
/// Bytes the QTcpSocket itself buffers before the kernel holds the rest (TCP back-pressure).
constexpr qint64 kSocketReadBuffer = 64 * 1024;

/// The header of a frame (RFC 6455 section 5.2), up to its masking key.
struct FrameHeader
{
    bool fin = false;
    quint8 rsv = 0;
    Opcode opcode = Opcode::Continuation;
    bool masked = false;
    quint64 length = 0; ///< of the payload
    qsizetype size = 2; ///< of the header, without the masking key
};

/// The header at \a data, or nullopt while fewer of its bytes than it needs are \a available.
std::optional<FrameHeader> readFrameHeader(const quint8 *data, qsizetype available)
{
    if (available < 2)
        return std::nullopt;
    FrameHeader header;
    header.fin = data[0] & 0x80;
    header.rsv = data[0] & 0x70;
    header.opcode = static_cast<Opcode>(data[0] & 0x0F);
    header.masked = data[1] & 0x80;
    header.length = data[1] & 0x7F;
    if (header.length == 126) {
        if (available < 4)
            return std::nullopt;
        header.length = qFromBigEndian<quint16>(data + 2);
        header.size = 4;
    } else if (header.length == 127) {
        if (available < 10)
            return std::nullopt;
        header.length = qFromBigEndian<quint64>(data + 2);
        header.size = 10;
    }
    return header;
}

bool isControl(Opcode opcode)
{
    return static_cast<quint8>(opcode) & 0x08;
}

/// Why a frame a client sends is closed with: the close code and the reason.
struct FrameRefusal
{
    quint16 code;
    QString reason;
};

/// The refusal of a frame with \a header, or nullopt when a client may send it. \a inFragmentedMessage: a
/// data message is unfinished; \a room: bytes the message being received may still grow by.
std::optional<FrameRefusal> frameRefusal(const FrameHeader &header, bool inFragmentedMessage, qsizetype room)
{
    if (header.rsv != 0)
        return FrameRefusal{CloseCode::ProtocolError, u"Reserved bits must be 0."_s};
    if (!header.masked)
        return FrameRefusal{CloseCode::ProtocolError, u"Client frames must be masked."_s};
    switch (header.opcode) {
    case Opcode::Continuation:
    case Opcode::Text:
    case Opcode::Binary:
    case Opcode::Close:
    case Opcode::Ping:
    case Opcode::Pong:
        break;
    default:
        return FrameRefusal{CloseCode::ProtocolError, u"Unknown opcode."_s};
    }
    if (isControl(header.opcode)) {
        if (!header.fin || header.length > 125)
            return FrameRefusal{CloseCode::ProtocolError, u"Invalid control frame."_s};
        return std::nullopt;
    }
    if (header.opcode == Opcode::Continuation && !inFragmentedMessage)
        return FrameRefusal{CloseCode::ProtocolError, u"Continuation frame without a message."_s};
    if (header.opcode != Opcode::Continuation && inFragmentedMessage)
        return FrameRefusal{CloseCode::ProtocolError, u"New message before the previous one ended."_s};
    if (header.length > static_cast<quint64>(room))
        return FrameRefusal{CloseCode::TooBig, u"The message is too big."_s};
    return std::nullopt;
}
} // namespace

QByteArray acceptKey(QByteArrayView key)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(key);
    hash.addData("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    return hash.result().toBase64();
}

QByteArray frame(Opcode opcode, QByteArrayView payload)
{
    const qsizetype size = payload.size();
    QByteArray out;
    out.reserve(size + 10);
    out += static_cast<char>(0x80 | static_cast<quint8>(opcode));
    if (size < 126) {
        out += static_cast<char>(size);
    } else if (size <= 0xFFFF) {
        out += static_cast<char>(126);
        out += static_cast<char>((size >> 8) & 0xFF);
        out += static_cast<char>(size & 0xFF);
    } else {
        out += static_cast<char>(127);
        for (int shift = 56; shift >= 0; shift -= 8)
            out += static_cast<char>((static_cast<quint64>(size) >> shift) & 0xFF);
    }
    out.append(payload);
    return out;
}

namespace {
/// XORs \a size bytes at \a p with the 4-byte \a mask (RFC 6455 section 5.3), eight bytes at a time: the byte
/// loop was the largest cost of frame parsing for 2 KB messages (callgrind).
void unmask(char *p, qsizetype size, const quint8 *mask)
{
    quint8 mask8[8];
    for (int i = 0; i < 8; ++i)
        mask8[i] = mask[i % 4];
    quint64 wide;
    std::memcpy(&wide, mask8, sizeof wide);
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) {
        quint64 chunk;
        std::memcpy(&chunk, p + i, sizeof chunk);
        chunk ^= wide;
        std::memcpy(p + i, &chunk, sizeof chunk);
    }
    for (; i < size; ++i)
        p[i] = static_cast<char>(p[i] ^ mask[i % 4]);
}
} // namespace

bool isValidUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder.decode(bytes);
    Q_UNUSED(decoded);
    return !decoder.hasError();
}

QByteArray closeFrame(quint16 code, const QString &reason)
{
    QByteArray payload;
    payload += static_cast<char>(code >> 8);
    payload += static_cast<char>(code & 0xFF);
    QByteArray text = reason.toUtf8();
    if (text.size() > 123) {
        qsizetype cut = 123;
        while (cut > 0 && (static_cast<quint8>(text.at(cut)) & 0xC0) == 0x80)
            --cut; // do not split a multi-byte character
        text.truncate(cut);
    }
    payload += text;
    return frame(Opcode::Close, payload);
}

Socket::Socket(QTcpSocket *socket, const Limits &limits, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_limits(limits)
    , m_budget(&OutputBudget::current())
{
    m_socket->setParent(this);
    // Qt buffers at most this much input; the rest waits in the kernel (TCP back-pressure on the client).
    m_socket->setReadBufferSize(kSocketReadBuffer);
    m_budget->attach(this);
    m_closeTimer.setSingleShot(true);
    m_closeTimer.setInterval(m_limits.closeTimeout);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] { m_socket->abort(); });
    m_keepAliveTimer.setInterval(m_limits.keepAliveInterval);
    connect(&m_keepAliveTimer, &QTimer::timeout, this, &Socket::onKeepAlive);
    connect(m_socket, &QTcpSocket::readyRead, this, &Socket::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &Socket::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &Socket::onDisconnected);
}

Socket::~Socket()
{
    disconnect(m_socket, nullptr, this, nullptr);
    m_budget->detach(this);
    releaseAll();
}

QString Socket::outputFull()
{
    return u"The outbound message queue is full."_s;
}

void Socket::releaseAll()
{
    if (m_written > m_acknowledged)
        m_budget->release(m_written - m_acknowledged);
    m_acknowledged = m_written;
    m_frameEnds.clear();
}

void Socket::start()
{
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        // Gone before it started: report it from the event loop, so the owner sees it like any other drop.
        QMetaObject::invokeMethod(this, &Socket::onDisconnected, Qt::QueuedConnection);
        return;
    }
    if (m_socket->bytesAvailable() > 0)
        scheduleRead();
    if (m_limits.keepAliveInterval.count() > 0)
        m_keepAliveTimer.start();
}

void Socket::onKeepAlive()
{
    if (m_state != State::Open) {
        m_keepAliveTimer.stop();
        return;
    }
    if (m_unansweredPings >= m_limits.keepAliveMaxMissed) {
        // Dead (e.g. a vanished network): drop it like a broken transport, without a close handshake the
        // peer would not answer. A reliable client may still recover the connection.
        qCInfo(lcWs).noquote() << "no answer to" << m_unansweredPings
                               << "keepalive pings; dropping the client";
        m_keepAliveTimer.stop();
        m_closeCode = CloseCode::Abnormal;
        m_closeReason = u"The client did not answer keepalive pings."_s;
        m_socket->abort();
        return;
    }
    ++m_unansweredPings;
    writeFrame(frame(Opcode::Ping, QByteArrayView()));
}

bool Socket::writeFrame(const QByteArray &frameBytes)
{
    if (m_state == State::Closed)
        return false;
    if (queuedBytes() + frameBytes.size() > m_limits.maxQueuedBytes) {
        overflow(outputFull());
        return false;
    }
    writeUnchecked(frameBytes);
    return true;
}

void Socket::writeUnchecked(const QByteArray &frameBytes)
{
    m_socket->write(frameBytes);
    m_written += frameBytes.size();
    m_frameEnds.push_back(m_written);
    m_budget->add(frameBytes.size());
}

void Socket::overflow(const QString &reason)
{
    if (m_state != State::Open || m_overflowed)
        return;
    m_overflowed = true;
    qCInfo(lcWs).noquote() << "closing with 1008:" << reason << queuedBytes() << "bytes unsent";
    close(CloseCode::PolicyViolation, reason);
    Q_EMIT outputOverflowed();
}

bool Socket::sendFrame(const QByteArray &frameBytes, bool capped)
{
    if (m_state != State::Open)
        return false;
    if (capped && (queuedMessages() >= m_limits.maxQueuedMessages ||
                   queuedBytes() + frameBytes.size() > m_limits.maxQueuedBytes ||
                   m_budget->refuses(queuedBytes(), frameBytes.size())))
        return false;
    return writeFrame(frameBytes);
}

void Socket::close(quint16 code, const QString &reason)
{
    if (m_state != State::Open)
        return;
    m_state = State::Closing;
    m_closeCode = code;
    m_closeReason = reason;
    m_keepAliveTimer.stop();
    writeUnchecked(closeFrame(code, reason));
    m_closeTimer.start();
}

void Socket::abort()
{
    m_socket->abort();
}

void Socket::onBytesWritten(qint64 bytes)
{
    bytes = std::min<qint64>(bytes, m_written - m_acknowledged);
    m_acknowledged += bytes;
    m_budget->release(bytes);
    while (!m_frameEnds.empty() && m_frameEnds.front() <= m_acknowledged)
        m_frameEnds.pop_front();
}

void Socket::onDisconnected()
{
    m_closeTimer.stop();
    m_keepAliveTimer.stop();
    m_state = State::Closed;
    releaseAll(); // nothing more will be sent
    if (m_closedEmitted)
        return;
    m_closedEmitted = true;
    Q_EMIT closed(m_closeCode, m_closeReason, m_clientClosed);
}

void Socket::scheduleRead()
{
    if (m_readScheduled)
        return;
    m_readScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_readScheduled = false;
            onReadyRead();
        },
        Qt::QueuedConnection);
}

qsizetype Socket::readInput()
{
    // Input is bounded too: at most the frame being received plus kReadWindow is held unparsed. Read straight
    // into m_in, which keeps its capacity between reads: a QByteArray per read (QIODevice::read(qint64)
    // allocates its whole maximum first) cost more than the 4-byte PUBACK it carried.
    const qsizetype room = std::max(kReadWindow, m_needed) - (m_in.size() - m_inPos);
    const qsizetype want = std::min<qint64>(room, m_socket->bytesAvailable());
    if (want > 0) {
        const qsizetype old = m_in.size();
        m_in.resize(old + want);
        const qint64 got = m_socket->read(m_in.data() + old, want);
        m_in.resize(old + std::max<qint64>(got, 0));
    }
    return room;
}

void Socket::onReadyRead()
{
    if (m_state == State::Closed)
        return;
    if (m_socket->bytesAvailable() > 0)
        m_unansweredPings = 0; // anything from the client proves it is alive
    // While the process is over its output budget, client frames wait (in the kernel, once the small socket
    // buffer is full): publishers slow down instead of the server's memory growing. The budget reschedules
    // the read when it has drained. A closing socket still reads, to see the client's close frame.
    if (m_state == State::Open && m_budget->readingPaused())
        return;
    const qsizetype room = readInput();
    // Bounded: each turn consumes one frame or stops. At most kFramesPerTurn frames are handled before the
    // event loop gets a turn, so the answers they caused (acks, pongs) are written out and leave the output
    // queue before the next batch is read: a client pipelining thousands of requests is not mistaken for a
    // slow consumer, and other connections are served in between.
    constexpr int kFramesPerTurn = 128;
    int frames = 0;
    while (m_state != State::Closed && frames < kFramesPerTurn &&
           !(m_state == State::Open && m_budget->readingPaused()) && parseFrame())
        ++frames;
    if (m_inPos > 0) {
        // Compacted in place (m_in keeps its start and capacity); an idle socket keeps a small buffer only.
        const qsizetype rest = m_in.size() - m_inPos;
        if (rest > 0)
            std::memmove(m_in.data(), m_in.constData() + m_inPos, static_cast<size_t>(rest));
        m_in.resize(rest);
        m_inPos = 0;
        if (rest == 0 && m_in.capacity() > kReadWindow)
            m_in = QByteArray();
    }
    if (m_state != State::Closed &&
        (frames == kFramesPerTurn || (m_socket->bytesAvailable() > 0 && (frames > 0 || room > 0))))
        scheduleRead();
}

void Socket::fail(quint16 code, const QString &reason)
{
    qCDebug(lcWs).noquote() << "closing with" << code << reason;
    m_in.clear();
    m_inPos = 0;
    if (m_state == State::Open) {
        close(code, reason);
        m_state = State::Closed; // read nothing more; the TCP connection ends after the close frame
        m_socket->disconnectFromHost();
    }
}

bool Socket::parseFrame()
{
    const qsizetype available = m_in.size() - m_inPos;
    const auto *data = reinterpret_cast<const quint8 *>(m_in.constData() + m_inPos);
    const std::optional<FrameHeader> header = readFrameHeader(data, available);
    if (!header)
        return false;
    if (const auto refusal =
            frameRefusal(*header, m_inFragmentedMessage, m_limits.maxMessageBytes - m_message.size())) {
        fail(refusal->code, refusal->reason);
        return false;
    }
    const qsizetype total = header->size + 4 + static_cast<qsizetype>(header->length);
    if (available < total) {
        m_needed = total;
        return false;
    }
    m_needed = 0;
    const quint8 *mask = data + header->size;
    // Unmasked in place: m_in is this socket's alone, and the frame's bytes are consumed either way.
    char *payloadData = m_in.data() + m_inPos + header->size + 4;
    const auto payloadSize = static_cast<qsizetype>(header->length);
    unmask(payloadData, payloadSize, mask);
    const QByteArrayView payload(payloadData, payloadSize);
    m_inPos += total; // consumed; onReadyRead() compacts the buffer once per turn

    if (isControl(header->opcode)) {
        handleControl(header->opcode, payload);
        return m_state != State::Closed;
    }
    if (header->opcode != Opcode::Continuation)
        m_messageOpcode = header->opcode;
    const bool fragmented = m_inFragmentedMessage || !header->fin;
    m_inFragmentedMessage = !header->fin;
    if (fragmented) {
        m_message.append(payload);
        if (!header->fin)
            return true;
    }
    // The whole message: this frame's payload as it lies in m_in, or the fragments gathered.
    const QByteArray gathered = fragmented ? std::exchange(m_message, QByteArray()) : QByteArray();
    const QByteArrayView message = fragmented ? QByteArrayView(gathered) : payload;
    const bool text = m_messageOpcode == Opcode::Text;
    if (text && !isValidUtf8(message)) {
        fail(CloseCode::InvalidPayload, u"Text messages must be UTF-8."_s);
        return false;
    }
    if (m_state == State::Open && m_onMessage) // after the server started closing, data is read and dropped
        m_onMessage(message, text);
    return m_state != State::Closed;
}

void Socket::handleControl(Opcode opcode, QByteArrayView payload)
{
    switch (opcode) {
    case Opcode::Ping:
        // Counted against the output budget like every other frame: a client that pings and never reads
        // is closed with 1008 at the cap.
        if (m_state == State::Open)
            writeFrame(frame(Opcode::Pong, payload));
        return;
    case Opcode::Pong:
        return;
    case Opcode::Close: {
        quint16 code = CloseCode::NoStatus;
        QString reason;
        if (payload.size() == 1) {
            fail(CloseCode::ProtocolError, u"Invalid close frame."_s);
            return;
        }
        if (payload.size() >= 2) {
            code = qFromBigEndian<quint16>(payload.data());
            if (!isValidCloseCode(code)) {
                m_clientClosed = true;
                fail(CloseCode::ProtocolError, u"Invalid close code %1."_s.arg(code));
                return;
            }
            if (!isValidUtf8(payload.sliced(2))) {
                m_clientClosed = true;
                fail(CloseCode::InvalidPayload, u"The close reason must be UTF-8."_s);
                return;
            }
            reason = QString::fromUtf8(payload.sliced(2));
        }
        if (m_state == State::Open) {
            // The client starts the close: answer with its code and end the TCP connection.
            m_clientClosed = true;
            m_closeCode = code;
            m_closeReason = reason;
            // A close frame is never refused (at most 125 bytes past the budget).
            writeUnchecked(closeFrame(code == CloseCode::NoStatus ? CloseCode::Normal : code, QString()));
        }
        m_state = State::Closed;
        m_socket->disconnectFromHost();
        return;
    }
    default:
        return;
    }
}

} // namespace wps::emulator::ws
