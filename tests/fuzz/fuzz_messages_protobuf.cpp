// libFuzzer target: the protobuf subprotocol decoders (UpstreamMessage and DownstreamMessage) on arbitrary
// bytes. Whatever decodes must survive an encode/decode round trip.
#include "protocol/messages.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wps::messages;
    const QByteArrayView frame(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    if (auto request = protobuf::decodeRequest(frame)) {
        auto again = protobuf::decodeRequest(protobuf::encode(*request));
        if (!again || !(*again == *request))
            __builtin_trap();
    }
    if (auto message = protobuf::decodeMessage(frame)) {
        if (!std::holds_alternative<Unknown>(*message)) {
            auto again = protobuf::decodeMessage(protobuf::encode(*message));
            if (!again)
                __builtin_trap();
        }
    }
    return 0;
}
