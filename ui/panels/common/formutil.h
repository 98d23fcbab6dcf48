#pragma once

#include <QByteArray>
#include <QStringList>

#include <optional>

namespace wps::ui {

/// "a, b,,c " -> {"a", "b", "c"}: the comma-separated lists of the forms (groups, excluded connections).
QStringList splitList(const QString &text);
/// Hex digits with optional whitespace ("48 65 6c"); nullopt when a character is not hex or a digit is odd.
std::optional<QByteArray> parseHex(const QString &text);

} // namespace wps::ui
