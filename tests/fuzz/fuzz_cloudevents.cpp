// libFuzzer target: what the emulator reads from an event handler -- connect responses, user-event
// responses and connect request bodies -- on arbitrary bytes. Errors must explain themselves.
#include "protocol/cloudevents.h"

#include <cstddef>
#include <cstdint>

using namespace Qt::Literals::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wps::cloudevents;
    if (size == 0)
        return 0;
    // The first byte picks the content type, the rest is the body.
    static const std::optional<QByteArray> contentTypes[] = {
        std::nullopt, QByteArray("text/plain"), QByteArray("application/json; charset=utf-8"),
        QByteArray("application/octet-stream"), QByteArray("application/xml")};
    const auto &contentType = contentTypes[data[0] % 5];
    const QByteArray body(reinterpret_cast<const char *>(data + 1), static_cast<qsizetype>(size - 1));
    const QStringList offered{u"json.webpubsub.azure.v1"_s, u"custom"_s};

    auto connect = parseConnectResponse(body, std::nullopt, offered);
    if (connect) {
        const ConnectIdentity token{u"alice"_s, {u"webpubsub.joinLeaveGroup"_s}, {u"g"_s}, u"custom"_s};
        const ConnectIdentity applied = applyConnectResponse(token, *connect);
        if (!applied.subprotocol.isEmpty() && !offered.contains(applied.subprotocol))
            __builtin_trap();
    } else if (connect.error().isEmpty()) {
        __builtin_trap();
    }
    auto reply = parseUserEventResponse(200, contentType, body, std::nullopt);
    if (!reply && reply.error().isEmpty())
        __builtin_trap();
    (void)decodeConnectRequest(body);
    return 0;
}
