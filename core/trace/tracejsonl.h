#pragma once

#include "common/expected.h"

#include <QString>

class QIODevice;

namespace wps::trace {

class TraceStore;

/// Writes every live record of \a store to \a device as JSON Lines: a header line
/// `{"format":"wps-trace","version":1}` then one object per record (docs/trace.md lists the members).
/// Payloads are stored as UTF-8 text when they are valid UTF-8 and as base64 otherwise, so a session
/// survives export and import byte for byte. Records are already redacted, so no secret can be written.
/// Returns the number of records written, or an error text (never containing record data).
Expected<qint64, QString> exportJsonl(const TraceStore &store, QIODevice *device);

/// Appends the records of a JSONL session to \a store (through its normal ingest: redaction and bounds
/// apply again, which changes nothing for a file we wrote). Ids are new; everything else is kept.
/// Stops at the first malformed line and says which.
Expected<qint64, QString> importJsonl(QIODevice *device, TraceStore *store);

} // namespace wps::trace
