// LiveClient's frames: the subprotocol names, encoding requests and decoding what arrives, and the trace
// record of every frame in and out (tokens redacted).

#include "live/groupstream.h"
#include "live/invocations.h"
#include "live/liveclient.h"
#include "live/livelogging.h"

#include <QMetaMethod>
#include <QUrlQuery>
#include <QWebSocket>

#include <type_traits>
#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace wps::live {

namespace {

QString requestType(const messages::ClientRequest &request)
{
    return std::visit(
        [](const auto &r) -> QString {
            using T = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<T, messages::JoinGroup>)
                return u"joinGroup"_s;
            else if constexpr (std::is_same_v<T, messages::LeaveGroup>)
                return u"leaveGroup"_s;
            else if constexpr (std::is_same_v<T, messages::SendToGroup>)
                return u"sendToGroup"_s;
            else if constexpr (std::is_same_v<T, messages::SendEvent>)
                return u"event"_s;
            else if constexpr (std::is_same_v<T, messages::SequenceAck>)
                return u"sequenceAck"_s;
            else if constexpr (std::is_same_v<T, messages::StreamStart>)
                return u"streamStart"_s;
            else if constexpr (std::is_same_v<T, messages::StreamData>)
                return u"streamData"_s;
            else if constexpr (std::is_same_v<T, messages::StreamEnd>)
                return u"streamEnd"_s;
            else if constexpr (std::is_same_v<T, messages::Invoke>)
                return u"invoke"_s;
            else if constexpr (std::is_same_v<T, messages::CancelInvocation>)
                return u"cancelInvocation"_s;
            else
                return u"ping"_s;
        },
        request);
}

QString messageType(const messages::ServiceMessage &message)
{
    return std::visit(
        [](const auto &m) -> QString {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, messages::Ack>)
                return u"ack"_s;
            else if constexpr (std::is_same_v<T, messages::DataMessage>)
                return u"message"_s;
            else if constexpr (std::is_same_v<T, messages::Connected>)
                return u"connected"_s;
            else if constexpr (std::is_same_v<T, messages::Disconnected>)
                return u"disconnected"_s;
            else if constexpr (std::is_same_v<T, messages::Pong>)
                return u"pong"_s;
            else if constexpr (std::is_same_v<T, messages::StreamAck>)
                return u"streamAck"_s;
            else if constexpr (std::is_same_v<T, messages::StreamNack>)
                return u"streamNack"_s;
            else if constexpr (std::is_same_v<T, messages::StreamClosed>)
                return u"streamClosed"_s;
            else if constexpr (std::is_same_v<T, messages::InvokeResponse>)
                return u"invokeResponse"_s;
            else
                return m.type.isEmpty() ? u"unknown"_s : m.type;
        },
        message);
}

} // namespace

QString subprotocolName(Subprotocol protocol)
{
    switch (protocol) {
    case Subprotocol::None:
        return {};
    case Subprotocol::Json:
        return u"json.webpubsub.azure.v1"_s;
    case Subprotocol::JsonReliable:
        return u"json.reliable.webpubsub.azure.v1"_s;
    case Subprotocol::Protobuf:
        return u"protobuf.webpubsub.azure.v1"_s;
    case Subprotocol::ProtobufReliable:
        return u"protobuf.reliable.webpubsub.azure.v1"_s;
    }
    return {};
}

std::optional<Subprotocol> parseSubprotocol(QStringView name)
{
    for (Subprotocol p : {Subprotocol::None, Subprotocol::Json, Subprotocol::JsonReliable,
                          Subprotocol::Protobuf, Subprotocol::ProtobufReliable}) {
        if (name == subprotocolName(p))
            return p;
    }
    return std::nullopt;
}

bool isReliable(Subprotocol protocol)
{
    return protocol == Subprotocol::JsonReliable || protocol == Subprotocol::ProtobufReliable;
}

bool isProtobuf(Subprotocol protocol)
{
    return protocol == Subprotocol::Protobuf || protocol == Subprotocol::ProtobufReliable;
}

QString stateName(State state)
{
    switch (state) {
    case State::Disconnected:
        return u"Disconnected"_s;
    case State::Connecting:
        return u"Connecting"_s;
    case State::Connected:
        return u"Connected"_s;
    case State::Recovering:
        return u"Recovering"_s;
    case State::Reconnecting:
        return u"Reconnecting"_s;
    case State::Stopped:
        return u"Stopped"_s;
    }
    return {};
}

void LiveClient::onFrame(const QByteArray &frame, bool isBinary)
{
    m_watchdog.start(m_settings.deadTimeout);
    if (m_protocol == Subprotocol::None) {
        observe(FrameRecord::Direction::In, isBinary ? u"binary"_s : u"text"_s, frame.size(),
                frame.left(m_settings.previewBytes));
        Q_EMIT rawMessage(frame, isBinary);
        return;
    }
    auto decoded = isProtobuf(m_protocol) ? messages::protobuf::decodeMessage(frame)
                                          : messages::json::decodeMessage(frame);
    if (!decoded) {
        observe(FrameRecord::Direction::In, u"invalid"_s, frame.size(), frame.left(m_settings.previewBytes));
        qCWarning(lcLive) << m_name << "ignoring an undecodable frame:" << decoded.error();
        return;
    }
    QString detail;
    if (const auto *response = std::get_if<messages::InvokeResponse>(&decoded.value()))
        detail = m_invocations->describe(*response);
    observe(FrameRecord::Direction::In, messageType(*decoded), frame.size(),
            previewOf(frame, &decoded.value()), detail.isEmpty() ? streamSummary(*decoded) : detail);
    handleMessage(*decoded);
}

bool LiveClient::sendRequest(const messages::ClientRequest &request)
{
    const QByteArray frame =
        isProtobuf(m_protocol) ? messages::protobuf::encode(request) : messages::json::encode(request);
    return writeFrame(frame, requestType(request));
}

bool LiveClient::sendStreamRequest(const messages::ClientRequest &request)
{
    if (m_state != State::Connected)
        return false;
    const QByteArray frame =
        isProtobuf(m_protocol) ? messages::protobuf::encode(request) : messages::json::encode(request);
    return writeFrame(frame, requestType(request), streamSummary(request));
}

bool LiveClient::writeFrame(const QByteArray &frame, const QString &type, const QString &detail)
{
    if (!m_socket || !m_socketOpened)
        return false;
    if (isProtobuf(m_protocol))
        m_socket->sendBinaryMessage(frame);
    else
        m_socket->sendTextMessage(QString::fromUtf8(frame));
    observe(FrameRecord::Direction::Out, type, frame.size(), frame.left(m_settings.previewBytes), detail);
    return true;
}

bool LiveClient::sendText(const QString &text)
{
    if (m_protocol != Subprotocol::None || m_state != State::Connected || !m_socket)
        return false;
    const QByteArray bytes = text.toUtf8();
    m_socket->sendTextMessage(text);
    observe(FrameRecord::Direction::Out, u"text"_s, bytes.size(), bytes.left(m_settings.previewBytes));
    return true;
}

bool LiveClient::sendBinary(const QByteArray &data)
{
    if (m_protocol != Subprotocol::None || m_state != State::Connected || !m_socket)
        return false;
    m_socket->sendBinaryMessage(data);
    observe(FrameRecord::Direction::Out, u"binary"_s, data.size(), data.left(m_settings.previewBytes));
    return true;
}

QByteArray LiveClient::previewOf(const QByteArray &frame, const messages::ServiceMessage *decoded) const
{
    // The `connected` message carries the reconnection token: show it re-encoded with the token masked.
    if (decoded) {
        if (const auto *c = std::get_if<messages::Connected>(decoded); c && !c->reconnectionToken.isEmpty()) {
            messages::Connected masked = *c;
            masked.reconnectionToken = u"***"_s;
            const QByteArray safe =
                isProtobuf(m_protocol) ? messages::protobuf::encode(masked) : messages::json::encode(masked);
            return safe.left(m_settings.previewBytes);
        }
    }
    return frame.left(m_settings.previewBytes);
}

void LiveClient::observe(FrameRecord::Direction direction, const QString &type, qint64 size,
                         QByteArray preview, QString detail)
{
    if (!isSignalConnected(QMetaMethod::fromSignal(&LiveClient::frameObserved)))
        return;
    FrameRecord record;
    record.direction = direction;
    record.subprotocol = m_protocol;
    record.type = type;
    record.size = size;
    record.preview = std::move(preview);
    record.connectionId = m_connectionId;
    record.detail = std::move(detail);
    Q_EMIT frameObserved(record);
}

QUrl LiveClient::redactedUrl(const QUrl &url)
{
    QUrlQuery query(url);
    const auto items = query.queryItems(QUrl::FullyEncoded);
    QUrlQuery redacted;
    for (const auto &[key, value] : items) {
        const bool secret = key.compare(u"access_token"_s, Qt::CaseInsensitive) == 0 ||
                            key.compare(u"awps_reconnection_token"_s, Qt::CaseInsensitive) == 0;
        redacted.addQueryItem(key, secret ? u"***"_s : value);
    }
    QUrl out = url;
    out.setUserInfo({});
    out.setQuery(redacted);
    return out;
}

QString LiveClient::redact(QString text) const
{
    const QString token = QUrlQuery(m_url).queryItemValue(u"access_token"_s, QUrl::FullyDecoded);
    if (!token.isEmpty())
        text.replace(token, u"***"_s);
    if (!m_reliable.reconnectionToken().isEmpty())
        text.replace(m_reliable.reconnectionToken(), u"***"_s);
    return text;
}

} // namespace wps::live
