#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace wps::emulator::upstream {

/// Bounds of one HTTP response read by the upstream client (docs/emulator.md#upstream-http-client).
struct HttpResponseLimits
{
    /// Status line, header fields and the blank line (interim 1xx heads included), and a chunked body's
    /// trailer section. Qt 6.4's QNetworkAccessManager has no such bound.
    qsizetype maxHeadBytes = 64 * 1024;
    /// The body after de-chunking.
    qint64 maxBodyBytes = 16 * 1024 * 1024;
};

/// An incremental HTTP/1.x response parser for the emulator's upstream client: status line, header fields,
/// a body framed by Content-Length, by chunked transfer coding or by the connection's close. Every byte it
/// keeps is bounded by HttpResponseLimits; its work is linear in the input. Plain data, no I/O: the client
/// feeds what the socket read and tells it when the peer closed.
class HttpResponseParser
{
public:
    enum class State { Head, Body, Complete, Failed };
    enum class Error {
        None,
        ClosedBeforeAnswer, ///< the peer closed before the first byte of a response
        Truncated,          ///< the peer closed in the middle of the head or the body
        HeadTooLarge,       ///< over HttpResponseLimits::maxHeadBytes
        BodyTooLarge,       ///< over HttpResponseLimits::maxBodyBytes
        Malformed,          ///< not HTTP/1.x (see errorDetail())
    };

    explicit HttpResponseParser(HttpResponseLimits limits = {});

    /// Reads \a data. After Complete, further bytes are counted in extraBytes() (we never pipeline: they make
    /// the connection unusable); after Failed they are ignored.
    void feed(QByteArrayView data);
    /// The peer closed its side: completes a body delimited by the close, fails anything else unfinished.
    void finish();

    const HttpResponseLimits &limits() const { return m_limits; }
    State state() const { return m_state; }
    Error error() const { return m_error; }
    /// What broke the protocol, for a Malformed answer (English, no data from the answer but numbers).
    const QString &errorDetail() const { return m_detail; }
    /// True once the final (non-1xx) head was read.
    bool headComplete() const { return m_state == State::Body || m_state == State::Complete; }
    /// True once any byte arrived.
    bool receivedAnything() const { return m_received > 0; }

    int status() const { return m_status; }
    const QList<QPair<QByteArray, QByteArray>> &headers() const { return m_headers; }
    const QByteArray &body() const { return m_body; }
    qsizetype extraBytes() const { return m_extra; }

    /// After Complete: whether the connection may carry another request (HTTP/1.1 without `Connection:
    /// close`, or HTTP/1.0 with `Connection: keep-alive`; a body not delimited by the close; nothing extra).
    bool keepAlive() const;
    /// `Keep-Alive: timeout=N` of the answer, in seconds.
    std::optional<int> keepAliveTimeout() const { return m_keepAliveTimeout; }

private:
    enum class Framing { None, Length, Chunked, Close };
    enum class ChunkState { Size, Data, DataEnd, Trailer };

    void feedHead(QByteArrayView &data);
    bool parseHead(QByteArrayView head);
    bool parseStatusLine(QByteArrayView line);
    bool chooseFraming();
    void feedBody(QByteArrayView &data);
    void feedChunked(QByteArrayView &data);
    /// Reads one CRLF- (or LF-) terminated line of a chunked body into m_line, bounded by \a limit.
    /// Returns true when the line is complete.
    bool takeLine(QByteArrayView &data, qsizetype limit);
    bool appendBody(QByteArrayView bytes);
    void fail(Error error, QString detail = {});

    HttpResponseLimits m_limits;
    State m_state = State::Head;
    Error m_error = Error::None;
    QString m_detail;
    qint64 m_received = 0;
    qsizetype m_headBytes = 0; ///< head bytes used so far (all heads and trailers)
    QByteArray m_head;         ///< the head being read
    int m_status = 0;
    int m_minorVersion = 1;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    bool m_connectionClose = false;
    bool m_connectionKeepAlive = false;
    std::optional<int> m_keepAliveTimeout;
    Framing m_framing = Framing::None;
    qint64 m_remaining = 0; ///< Length: body bytes still to come; Chunked: of the current chunk
    ChunkState m_chunk = ChunkState::Size;
    QByteArray m_line;
    QByteArray m_body;
    qsizetype m_extra = 0;
};

} // namespace wps::emulator::upstream
