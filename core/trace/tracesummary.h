#pragma once

#include <QString>

namespace wps::trace {

struct TraceRecordView;

/// The Summary column: one line a person reads, never raw JSON (docs/trace.md, "Readable rows"):
/// "alice joins room1", "sent to group room1 (text, 12 bytes)", "handler answered 500: database
/// unavailable". \a r must carry its payload. Built on demand (the model caches it).
QString humanSummary(const TraceRecordView &r);

/// An error or a refusal the view colours: HTTP status >= 400, a failed ack, a close code other than 1000
/// (or 1001, going away), a service record that reports an exception.
bool isErrorRecord(const TraceRecordView &r);

/// ping, pong and sequenceAck frames: hidden by default in the Trace panel.
bool isKeepAliveType(const QString &type);

} // namespace wps::trace
