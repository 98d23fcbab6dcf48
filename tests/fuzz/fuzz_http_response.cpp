// libFuzzer target: the upstream HTTP client's response parser (emulator/upstream/httpresponseparser.*) on
// arbitrary bytes from an event handler. Must hold: the result does not depend on how the bytes are split
// across reads; a complete answer is a final (2xx-5xx) status within the bounds; every failure names itself;
// nothing kept passes the limits.
#include "emulator/upstream/httpresponseparser.h"

#include <cstddef>
#include <cstdint>

using wps::emulator::upstream::HttpResponseLimits;
using wps::emulator::upstream::HttpResponseParser;

namespace {

HttpResponseParser parse(const HttpResponseLimits &limits, QByteArrayView bytes, qsizetype step)
{
    HttpResponseParser parser(limits);
    for (qsizetype at = 0; at < bytes.size(); at += step)
        parser.feed(bytes.sliced(at, std::min(step, bytes.size() - at)));
    parser.finish();
    return parser;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    // The first byte picks the bounds (small ones, so inputs reach them), the second how reads are split.
    static constexpr qsizetype heads[] = {64, 256, 1024, 64 * 1024};
    static constexpr qint64 bodies[] = {0, 16, 256, 64 * 1024};
    HttpResponseLimits limits;
    limits.maxHeadBytes = heads[data[0] & 3];
    limits.maxBodyBytes = bodies[(data[0] >> 2) & 3];
    const qsizetype step = 1 + data[1] % 64;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data + 2), static_cast<qsizetype>(size - 2));

    const HttpResponseParser whole = parse(limits, bytes, std::max<qsizetype>(bytes.size(), 1));
    const HttpResponseParser split = parse(limits, bytes, step);
    if (whole.state() != split.state() || whole.error() != split.error() ||
        whole.status() != split.status() || whole.headers() != split.headers() ||
        whole.body() != split.body() || whole.errorDetail() != split.errorDetail() ||
        whole.keepAlive() != split.keepAlive())
        __builtin_trap();

    switch (whole.state()) {
    case HttpResponseParser::State::Complete: {
        if (whole.error() != HttpResponseParser::Error::None || whole.status() < 200 ||
            whole.status() > 599 || whole.body().size() > limits.maxBodyBytes)
            __builtin_trap();
        qsizetype headerBytes = 0;
        for (const auto &[name, value] : whole.headers())
            headerBytes += name.size() + value.size();
        if (headerBytes > limits.maxHeadBytes)
            __builtin_trap();
        break;
    }
    case HttpResponseParser::State::Failed:
        if (whole.error() == HttpResponseParser::Error::None || !whole.body().isEmpty() ||
            (whole.error() == HttpResponseParser::Error::Malformed && whole.errorDetail().isEmpty()))
            __builtin_trap();
        break;
    case HttpResponseParser::State::Head:
    case HttpResponseParser::State::Body:
        __builtin_trap(); // finish() decides every answer
    }
    return 0;
}
