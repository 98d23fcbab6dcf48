// libFuzzer target: the protobuf subprotocol decoders (UpstreamMessage and DownstreamMessage) on arbitrary
// bytes. Whatever decodes must survive an encode/decode round trip, and a request checkRequest() accepts
// must make a JSON data message that a JSON receiver reads with exactly the members the service wrote: a
// protobuf client's json_data can never add "fromUserId" or "group" of its own.
#include "protocol/messages.h"

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
    using namespace wps::messages;
    const QByteArrayView frame(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    if (auto request = protobuf::decodeRequest(frame)) {
        auto again = protobuf::decodeRequest(protobuf::encode(*request));
        if (!again || !(*again == *request))
            __builtin_trap();
        if (const auto *send = std::get_if<SendToGroup>(&*request);
            send && checkRequest(*request, true).isEmpty()) {
            DataMessage message;
            message.from = DataMessage::From::Group;
            message.group = send->group;
            message.data = send->data;
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(json::encode(message), &error);
            if (error.error != QJsonParseError::NoError && !qtLimit(error.error))
                __builtin_trap();
            if (error.error == QJsonParseError::NoError) {
                const QJsonObject object = doc.object();
                if (object.contains(QStringLiteral("fromUserId")) ||
                    object.value(QStringLiteral("group")).toString() != send->group ||
                    object.value(QStringLiteral("from")).toString() != QStringLiteral("group"))
                    __builtin_trap();
            }
        }
    }
    if (auto request = protobuf::decodeRequest(frame)) {
        // An invoke the service accepts reads the same through the JSON codec (JSON payloads aside: the JSON
        // codec keeps the value without the whitespace around it).
        const auto *invoke = std::get_if<Invoke>(&*request);
        if (invoke && checkRequest(*request, true).isEmpty() &&
            (!invoke->data || invoke->data->type != DataType::Json)) {
            auto viaJson = json::decodeRequest(json::encode(*request));
            if (viaJson && !(*viaJson == *request))
                __builtin_trap();
        }
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
