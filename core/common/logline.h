#pragma once

#include <QString>

namespace wps::logging {

/// \a text with every control character escaped, so that a message is always one log line and cannot
/// forge another: newline, carriage return and tab as `\n`, `\r`, `\t`, any other C0 or C1 control
/// character, DEL, and the Unicode line and paragraph separators as `\u{XXXX}`. Client-supplied strings
/// (event names, group names, close reasons, user IDs) reach log messages, which is why every log line goes
/// through this.
QString escapeControlCharacters(QStringView text);

/// Installs a Qt message handler that writes each message to stderr as one line, formatted with the
/// pattern of qSetMessagePattern(), after escapeControlCharacters(). The executables install it first thing.
void installOneLineMessageHandler();

} // namespace wps::logging
