#pragma once

#include <QByteArray>
#include <QString>

namespace wps::ui {

/// Classic hex dump (offset, 16 bytes in hex, ASCII) of at most the first 64 KiB of \a bytes, with a line
/// saying how many bytes were left out. Used by the trace's Hex tab and the Request/Response body views.
QString hexDump(const QByteArray &bytes);

} // namespace wps::ui
