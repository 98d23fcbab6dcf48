// libFuzzer target: the JSON subprotocol decoders (client requests and service messages, invocations
// included) on arbitrary bytes.
// Whatever decodes (and is not refused by checkRequest()) must re-encode to something that decodes to the
// same value; a JSON payload keeps the exact bytes it was sent with and is always one valid JSON value.
#include "protocol/jsontext.h"
#include "protocol/messages.h"

#include <cstddef>
#include <cstdint>

namespace {

void checkJsonPayload(const wps::messages::Payload &payload)
{
    if (payload.type == wps::messages::DataType::Json && !payload.bytes.isEmpty() &&
        !wps::jsontext::checkValue(payload.bytes).isEmpty())
        __builtin_trap();
}

void checkJsonPayload(const std::optional<wps::messages::Payload> &payload)
{
    if (payload)
        checkJsonPayload(*payload);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wps::messages;
    const QByteArrayView frame(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    if (auto request = json::decodeRequest(frame)) {
        std::visit(
            [](const auto &r) {
                if constexpr (requires { r.data; })
                    checkJsonPayload(r.data);
            },
            *request);
        if (checkRequest(*request, true).isEmpty()) {
            auto again = json::decodeRequest(json::encode(*request));
            if (!again || !(*again == *request))
                __builtin_trap();
        }
    } else if (request.error().isEmpty()) {
        __builtin_trap();
    }
    if (auto message = json::decodeMessage(frame)) {
        const auto *data = std::get_if<DataMessage>(&*message);
        if (data)
            checkJsonPayload(data->data);
        if (const auto *response = std::get_if<InvokeResponse>(&*message)) {
            checkJsonPayload(response->data);
            if (!response->success && response->data) // an error answer never carries data
                __builtin_trap();
        }
        if (!std::holds_alternative<Unknown>(*message)) {
            // Names with a lone surrogate and text that is not UTF-8 come back replaced ('?', U+FFFD): a
            // value may then differ once, but its encoding must be stable.
            const QByteArray encoded = json::encode(*message);
            auto again = json::decodeMessage(encoded);
            if (!again || (!(*again == *message) && json::encode(*again) != encoded))
                __builtin_trap();
        }
    }
    return 0;
}
