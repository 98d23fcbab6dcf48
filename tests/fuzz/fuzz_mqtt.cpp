// libFuzzer target: the MQTT packet codec. The first input byte picks the starting version and how the
// rest is cut into chunks; the bytes are fed to an incremental Decoder as a stream, every packet it yields
// is encoded again and must decode to the same value (the codec is its own inverse on what it accepts).
#include "protocol/mqtt.h"

#include <cstddef>
#include <cstdint>

using namespace wps::mqtt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const Version start = (data[0] & 0x01) ? Version::V5 : Version::V311;
    const qsizetype chunk = 1 + ((data[0] >> 1) & 0x3F);
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), static_cast<qsizetype>(size - 1));

    Decoder decoder(start, 64 * 1024);
    for (qsizetype pos = 0; pos < input.size(); pos += chunk) {
        decoder.feed(input.sliced(pos, std::min(chunk, input.size() - pos)));
        for (int guard = 0; guard < 4096; ++guard) {
            const Version before = decoder.version();
            auto next = decoder.next();
            if (!next) {
                if (next.error().message.isEmpty())
                    __builtin_trap(); // every error explains itself
                return 0;
            }
            if (!*next)
                break;
            const Packet &packet = **next;
            const Version version =
                std::holds_alternative<Connect>(packet) ? std::get<Connect>(packet).version : before;
            auto wire = encode(packet, version);
            if (!wire)
                __builtin_trap(); // what was decoded can always be encoded
            auto again = decodePacket(*wire, version);
            if (!again || !(*again == packet))
                __builtin_trap();
        }
    }
    return 0;
}
