#pragma once

#include "common/expected.h"

#include <QByteArray>
#include <QString>

#include <chrono>

class QIODevice;

namespace wps::cli {

/// The service's limit for one message body (1 MiB).
constexpr qsizetype kMaxPayloadBytes = 1024 * 1024;

/// The payload from the file \a path, or from \a input (the run's stdin) when \a path is empty: at most
/// kMaxPayloadBytes, read without ever blocking longer than \a wait in all. A file is opened non-blocking, so
/// a FIFO without a writer cannot hang the open either; /dev/zero or an endless pipe stop at the limit. An
/// \a input backed by a file descriptor (stdin, a pipe) is polled the same way; another device is read as it
/// is. The error is a usage message (nothing was sent).
Expected<QByteArray, QString> readPayload(const QString &path, QIODevice *input,
                                          std::chrono::milliseconds wait);

} // namespace wps::cli
