// libFuzzer target: the JSON value checker and member locator (core/protocol/jsontext.h) that JSON payloads
// pass before their bytes are pasted into other JSON frames. What the checker accepts QJsonDocument must
// read as exactly one value, and a located member must itself be exactly one valid value.
#include "protocol/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstddef>
#include <cstdint>

namespace {

/// Valid JSON that QJsonDocument still refuses: nesting past its limit, numbers beyond a double (1e999).
bool qtLimit(QJsonParseError::ParseError error)
{
    return error == QJsonParseError::DeepNesting || error == QJsonParseError::IllegalNumber;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wps::jsontext;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const bool valid = checkValue(bytes).isEmpty();
    if (valid) {
        if (!isValidUtf8(bytes))
            __builtin_trap();
        // Wrapped in an array, the value must be its only element: nothing can follow it.
        QJsonParseError error;
        const QJsonDocument wrapped = QJsonDocument::fromJson("[" + bytes.toByteArray() + "]", &error);
        if (error.error != QJsonParseError::NoError && !qtLimit(error.error))
            __builtin_trap();
        if (error.error == QJsonParseError::NoError && wrapped.array().size() != 1)
            __builtin_trap();
    }
    if (const std::optional<QByteArrayView> member = memberValue(bytes, u"data")) {
        if (!valid || !checkValue(*member).isEmpty())
            __builtin_trap();
        if (member->isEmpty() || member->front() == ' ' || member->back() == ' ')
            __builtin_trap();
    }
    return 0;
}
