// The message model's own rules: data type names, the content checks of a decoded request, its ackId. The
// codecs are messages_jsonencode.cpp, messages_jsondecode.cpp (the JSON subprotocols) and
// messages_protobuf.cpp.
#include "protocol/messages.h"

#include "protocol/jsontext.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace wps::messages {

namespace {

// Invocation ids are the client's own strings (the SDK counts 1, 2, …); longer ones are refused.
constexpr qsizetype kMaxInvocationIdLength = 128;

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::messages", text);
}

} // namespace

QString dataTypeName(DataType type)
{
    switch (type) {
    case DataType::Json:
        return u"json"_s;
    case DataType::Text:
        return u"text"_s;
    case DataType::Binary:
        return u"binary"_s;
    case DataType::Protobuf:
        return u"protobuf"_s;
    }
    return {};
}

std::optional<DataType> parseDataType(QStringView name)
{
    for (DataType t : {DataType::Json, DataType::Text, DataType::Binary, DataType::Protobuf})
        if (name == dataTypeName(t))
            return t;
    return std::nullopt;
}

QString checkRequest(const ClientRequest &request, bool checkJsonPayload)
{
    auto checkPayload = [checkJsonPayload](const Payload &payload) -> QString {
        if (payload.type == DataType::Text && !jsontext::isValidUtf8(payload.bytes))
            return tr("The text payload is not valid Unicode (it holds a lone surrogate or invalid UTF-8).");
        if (payload.type == DataType::Json && checkJsonPayload && !payload.bytes.isEmpty()) {
            if (const QString error = jsontext::checkValue(payload.bytes); !error.isEmpty())
                return tr("The JSON payload is not a single valid JSON value: %1").arg(error);
        }
        return {};
    };
    return std::visit(
        [&](const auto &r) -> QString {
            using T = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<T, JoinGroup> || std::is_same_v<T, LeaveGroup>) {
                if (!QStringView(r.group).isValidUtf16())
                    return tr("The group name is not valid Unicode (it holds a lone surrogate).");
                return {};
            } else if constexpr (std::is_same_v<T, SendToGroup>) {
                if (!QStringView(r.group).isValidUtf16())
                    return tr("The group name is not valid Unicode (it holds a lone surrogate).");
                return checkPayload(r.data);
            } else if constexpr (std::is_same_v<T, SendEvent>) {
                if (!QStringView(r.event).isValidUtf16())
                    return tr("The event name is not valid Unicode (it holds a lone surrogate).");
                return checkPayload(r.data);
            } else if constexpr (std::is_same_v<T, StreamStart>) {
                if (!QStringView(r.group).isValidUtf16())
                    return tr("The group name is not valid Unicode (it holds a lone surrogate).");
                if (!QStringView(r.streamId).isValidUtf16())
                    return tr("The stream id is not valid Unicode (it holds a lone surrogate).");
                if (r.data)
                    return tr("A sendToGroup that opens a stream carries no data: send it with streamData.");
                if (r.ackId)
                    return tr(
                        "A sendToGroup that opens a stream carries no ackId: the service answers it with "
                        "streamAck.");
                return {};
            } else if constexpr (std::is_same_v<T, StreamData>) {
                if (!QStringView(r.streamId).isValidUtf16())
                    return tr("The stream id is not valid Unicode (it holds a lone surrogate).");
                return r.data ? checkPayload(*r.data) : QString();
            } else if constexpr (std::is_same_v<T, StreamEnd>) {
                if (!QStringView(r.streamId).isValidUtf16())
                    return tr("The stream id is not valid Unicode (it holds a lone surrogate).");
                return {};
            } else if constexpr (std::is_same_v<T, Invoke>) {
                if (!QStringView(r.invocationId).isValidUtf16())
                    return tr("The invocation id is not valid Unicode (it holds a lone surrogate).");
                if (r.invocationId.size() > kMaxInvocationIdLength)
                    return tr("The invocation id is longer than %1 characters.").arg(kMaxInvocationIdLength);
                if (r.target != u"event")
                    return tr("Unknown invocation target '%1': only 'event' is supported.")
                        .arg(r.target.left(40));
                if (r.event.isEmpty())
                    return tr("'event' is required for an invocation of target 'event'.");
                if (!QStringView(r.event).isValidUtf16())
                    return tr("The event name is not valid Unicode (it holds a lone surrogate).");
                return r.data ? checkPayload(*r.data) : QString();
            } else if constexpr (std::is_same_v<T, CancelInvocation>) {
                if (!QStringView(r.invocationId).isValidUtf16())
                    return tr("The invocation id is not valid Unicode (it holds a lone surrogate).");
                return {};
            } else {
                return {};
            }
        },
        request);
}

std::optional<quint64> ackIdOf(const ClientRequest &request)
{
    return std::visit(
        [](const auto &r) -> std::optional<quint64> {
            if constexpr (requires { r.ackId; })
                return r.ackId;
            else
                return std::nullopt;
        },
        request);
}

} // namespace wps::messages
