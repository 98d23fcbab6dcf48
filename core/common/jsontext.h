#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

#include <functional>
#include <optional>

namespace wps::jsontext {

/// Whether \a bytes is one well-formed JSON object or array (checked with QJsonDocument, whose output is
/// never used: it sorts keys and turns long numbers into doubles).
bool isJsonDocument(const QByteArray &bytes);

/// \a json re-indented for reading (4 spaces, `"key": value`) without parsing its values: every string,
/// number and literal keeps its bytes and every object its key order, so `{"b":1,"a":12345678901234567890}`
/// stays b-then-a with all twenty digits. Only the whitespace between tokens changes. std::nullopt when
/// \a json is not a well-formed JSON object or array (then show the bytes as they are).
std::optional<QByteArray> pretty(const QByteArray &json);

/// The bytes of the value of the top-level member \a key of the JSON object \a json, exactly as written (a
/// string with its quotes, a number with all its digits, an object or array whole); std::nullopt when
/// \a json is not an object or has no such member. \a json must be well-formed; nested members of the same
/// name are not matched. For codecs that must pass a JSON value on byte for byte.
std::optional<QByteArray> rawMember(QByteArrayView json, QByteArrayView key);

/// \a json with the value of every member, at any depth, whose key \a isSecret accepts replaced by `"***"`;
/// every other byte is kept as it was (no parse and re-serialisation). \a json should be well-formed.
QByteArray maskMembers(const QByteArray &json, const std::function<bool(QStringView key)> &isSecret);

} // namespace wps::jsontext
