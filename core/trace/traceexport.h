#pragma once

#include "common/expected.h"

#include <QByteArray>
#include <QList>

class QIODevice;

namespace wps::trace {

class TraceStore;

/// Which records an export writes: every live record (empty list) or these ids (e.g. the rows a filtered
/// view shows), in order.
using RecordSelection = QList<quint64>;

/// CSV (RFC 4180, UTF-8, header row): time (ISO 8601 UTC, ms), kind, direction, hub, connection, user, group,
/// type, status, size, duration ms, correlation, detail. No payloads: CSV is for spreadsheets, JSONL is the
/// lossless form. Returns the number of rows written.
Expected<qint64, QString> exportCsv(const TraceStore &store, const RecordSelection &ids, QIODevice *device);

/// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) of the selected records, for any HAR viewer:
/// - one entry per HTTP exchange -- a request row (Kind::Http, Out) and the response row sharing its
///   correlation id (console REST and ARM calls, and the upstream calls the service reports) -- with the
///   method, URL, headers, query, request body, status, response headers and body, and the response time.
///   A request without an answer has status 0 and the reason in `_error` (as Chromium writes it);
/// - one entry per live-client WebSocket (its `open` row): GET of the client URL, status 101 once the
///   service spoke, and its frames in `_webSocketMessages` (type send/receive, time in seconds, opcode 1 text
///   or 2 binary as base64, data), as Chromium's HAR has them; lifecycle rows go into the entry's comment;
/// - rows that are neither (the service's live-trace log records, notes) are left out and counted in
///   `log.comment`; a log record of the same request (correlation id) is quoted in the entry's comment.
/// Bodies are the stored bytes (as sent: no JSON re-serialisation), base64 when not UTF-8; a body cut by the
/// capture limit is said so in the comment. Custom fields `_type`, `_hub`, `_connectionId`, `_userId`,
/// `_group`, `_correlation` let importHar() rebuild the rows. Everything comes from the store, which
/// redacted Authorization, access_token and keys on ingest. Returns the number of entries written.
Expected<qint64, QString> exportHar(const TraceStore &store, const RecordSelection &ids, QIODevice *device,
                                    const QString &creatorVersion);

/// The standard reason phrase of an HTTP status ("Accepted" for 202); empty for codes it does not know.
QString httpReasonPhrase(int status);

/// Whether a file that starts with \a head is a HAR (rather than a JSON Lines trace session).
bool looksLikeHar(const QByteArray &head);

/// Appends the exchanges of a HAR file to \a store: a request row and a response row per entry, an `open`
/// row and frames per WebSocket entry (fields from the `_` members exportHar() writes, when present).
/// Returns the number of rows added, or an error text.
Expected<qint64, QString> importHar(QIODevice *device, TraceStore *store);

} // namespace wps::trace
