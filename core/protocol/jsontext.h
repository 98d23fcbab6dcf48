#pragma once

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace wps::jsontext {

/// The deepest nesting of arrays and objects accepted (QJsonDocument's own limit).
constexpr int kMaxDepth = 1024;

/// Checks that \a bytes are exactly one JSON value (RFC 8259: object, array, string, number, true, false or
/// null), optionally surrounded by whitespace, in valid UTF-8, nested at most kMaxDepth deep. Returns an
/// empty string when they are, or a message naming what is wrong and where. One linear pass, no allocation
/// per value: payloads are checked like this before they are pasted into another JSON text (a JSON data
/// message), so that a payload can never close the message early and add members of its own.
QString checkValue(QByteArrayView bytes);

/// The exact bytes of the value of the top-level member \a name of the JSON object text \a object (no
/// surrounding whitespace), or nullopt when the object has no such member or \a object is not a valid JSON
/// object. When the name occurs more than once the last occurrence counts, as in QJsonObject. Member names
/// are compared after unescaping (`"d\u0061ta"` is `data`).
std::optional<QByteArrayView> memberValue(QByteArrayView object, QStringView name);

/// True when \a bytes are valid UTF-8 (no overlong forms, no encoded surrogates, nothing above U+10FFFF).
bool isValidUtf8(QByteArrayView bytes);

/// UTF-8 of \a text that keeps a lone surrogate as its three-byte form (which is invalid UTF-8) instead of
/// replacing it with '?' as QString::toUtf8() does, so that a later isValidUtf8() check can refuse it.
QByteArray toUtf8KeepingSurrogates(QStringView text);

} // namespace wps::jsontext
