// libFuzzer target: the OData filter parser and evaluator on arbitrary UTF-8.
#include "protocol/filter.h"

#include <cstddef>
#include <cstdint>

using namespace Qt::Literals::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wps::filter;
    static const QSet<QString> groups{u"g1"_s, u"room 2"_s, u""_s};
    const QString text =
        QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const auto parsed = Expression::parse(text);
    if (!parsed) {
        // Errors explain themselves and point into the text (or just past its end).
        const ParseError &error = parsed.error();
        if (error.message.isEmpty() || error.position < 0 || error.position > text.size())
            __builtin_trap();
        return 0;
    }
    if (parsed->text() != text)
        __builtin_trap();
    const ConnectionFacts withUser{u"conn-1"_s, u"user1"_s, &groups, u"json.webpubsub.azure.v1"_s};
    const ConnectionFacts anonymous{u"conn-2"_s, std::nullopt, nullptr, std::nullopt};
    (void)parsed->matches(withUser);
    (void)parsed->matches(anonymous);
    return 0;
}
