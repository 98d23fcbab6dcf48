#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

namespace wps::test {

/// A small JSON Schema validator for the tests (no npm needed in a C++ test). It implements exactly the
/// keywords tests/support/har-1.2.schema.json uses -- `$ref` (local `#/definitions/...`), `$comment`,
/// `definitions`, `type` (a name or a list; "integer" is a number without a fraction), `enum`, `required`,
/// `properties`, `patternProperties`, `additionalProperties` (true/false), `items` (one schema), `minimum`,
/// `pattern`, `format: date-time` -- and reports any other keyword as an error, so a schema can never be
/// checked only in part. Returns one line per violation ("$.log.entries[0].time: ..."); empty = valid.
QStringList validateJson(const QJsonValue &instance, const QJsonObject &schema);

/// Parses \a har and validates it against the HAR 1.2 schema file; parse errors are violations too.
QStringList validateHar(const QByteArray &har);

} // namespace wps::test
