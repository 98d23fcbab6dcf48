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

/// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) of the REST calls among the selected records:
/// each request record paired with its response by correlation id (a request without an answer gets status
/// 0), with method, URL, headers, query, request body, status, response headers and body, and timings.
/// Everything comes from the store, which redacted Authorization, access_token and keys on ingest.
/// Returns the number of entries written.
Expected<qint64, QString> exportHar(const TraceStore &store, const RecordSelection &ids, QIODevice *device,
                                    const QString &creatorVersion);

} // namespace wps::trace
