#pragma once

#include <QByteArray>
#include <QString>

namespace wps::trace {

/// What a trace row describes. Small and closed so a record stores it in one byte and a filter as a bit.
enum class Kind : quint8 { Http, Frame, Lifecycle, Note };
/// Out = from the console (request sent, frame written), In = to it; None for lifecycle events.
enum class Direction : quint8 { In, Out, None };

/// Who saw it: the console itself (its REST calls and live clients) or the service (its live trace).
enum class Source : quint8 { Console, Service };

inline constexpr int kindCount = 4;
inline constexpr int directionCount = 3;

QString kindName(Kind kind);
QString directionName(Direction direction);
/// Inverse of kindName / directionName (used by the JSONL reader); false for unknown names.
bool parseKind(QStringView name, Kind *kind);
bool parseDirection(QStringView name, Direction *direction);
QString sourceName(Source source); ///< "console" / "service"
bool parseSource(QStringView name, Source *source);

/// One observation as the adapters hand it to the store: the "fat" form. The store keeps a compact copy,
/// with secrets redacted and the payload bounded, so callers need not pre-process anything.
struct TraceEvent
{
    qint64 timestampMs = 0; ///< ms since the epoch (UTC)
    Kind kind = Kind::Note;
    Direction direction = Direction::None;
    QString hub;
    QString connectionId;
    QString userId;
    QString group;
    QString type;           ///< operation or message type: sendToAll, joinGroup, ack, open, close ...
    int status = 0;         ///< HTTP status, 0 when there is none
    qint64 size = 0;        ///< bytes on the wire (may exceed payload.size())
    qint64 durationMs = -1; ///< HTTP response time; -1 when not applicable
    QString detail;         ///< one line: "POST <url>", a close reason, an error text
    QByteArray payload;     ///< body or frame bytes (or their preview)
    bool binary = false;    ///< payload is binary (protobuf, raw binary frame)
    bool truncated = false; ///< payload is already only a preview of `size` bytes
    /// Ties together events that belong to one exchange so the view can "show related": a REST request
    /// and its response, a frame with an ackId and its ack, a connection's open/connected/close, a REST
    /// send and the frames it caused. Forms: the request id, "http:<client>:<exchangeId>",
    /// "ack:<connectionId>:<ackId>", "conn:<connectionId>" (docs/trace.md, "Correlation"). Empty = none.
    QString correlation;
    Source source = Source::Console;
};

} // namespace wps::trace
