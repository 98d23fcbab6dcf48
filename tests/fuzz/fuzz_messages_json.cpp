// libFuzzer target: the JSON subprotocol decoders (client requests and service messages) on arbitrary bytes.
// Whatever decodes must re-encode to something that decodes to the same value.
#include "protocol/messages.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wps::messages;
    const QByteArrayView frame(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    if (auto request = json::decodeRequest(frame)) {
        auto again = json::decodeRequest(json::encode(*request));
        if (!again || !(*again == *request))
            __builtin_trap();
    } else if (request.error().isEmpty()) {
        __builtin_trap();
    }
    if (auto message = json::decodeMessage(frame)) {
        if (!std::holds_alternative<Unknown>(*message)) {
            auto again = json::decodeMessage(json::encode(*message));
            if (!again || !(*again == *message))
                __builtin_trap();
        }
    }
    return 0;
}
