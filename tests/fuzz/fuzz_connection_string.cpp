// libFuzzer target: ConnectionString::parse on arbitrary UTF-8.
#include "protocol/connectionstring.h"

#include <cstddef>
#include <cstdint>

using namespace Qt::Literals::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text =
        QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const auto parsed = wps::ConnectionString::parse(text);
    if (!parsed) {
        if (parsed.error().isEmpty())
            __builtin_trap(); // every failure explains itself
        return 0;
    }
    // What a success promises: an http(s) endpoint with a host, a key, derived addresses that work.
    const QString scheme = parsed->endpoint().scheme();
    if ((scheme != u"http" && scheme != u"https") || parsed->endpoint().host().isEmpty() ||
        !parsed->hasAccessKey())
        __builtin_trap();
    if (!parsed->toRedactedString().contains(u";AccessKey=***;"_s))
        __builtin_trap();
    (void)parsed->webSocketEndpoint().toString();
    (void)parsed->resolve(u"/api/hubs/h/:send").toString();
    (void)wps::ConnectionString::parse(parsed->toString());
    return 0;
}
