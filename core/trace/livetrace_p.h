#pragma once

// Internals of LiveTraceClient (trace/livetrace.h), shared by its files: livetrace.cpp (the connection to the
// live trace hub) and livetraceevents.cpp (records as trace events). Not for use outside them.

#include "trace/livetrace.h"

#include <QJsonObject>
#include <QString>

namespace wps::trace::detail {

/// The category of a log event: logContext.category when the service names it, else the emulator's id
/// ranges, else a guess from the context keys (an HTTP event has a URL or method).
LiveTraceCategory categoryOf(const QJsonObject &data, const QJsonObject &context);
/// The value of \a key in a record's logContext as text (numbers without a fraction).
QString stringOf(const QJsonObject &context, const QString &key);

} // namespace wps::trace::detail
