#include "emulator/groupstreams.h"

#include "protocol/names.h"

#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcClient)

namespace wps::emulator {

namespace {

const QString kSendToGroup = u"sendToGroup"_s;
// The error names of a stream's end (docs/emulator.md#group-streams).
const QString kIdleTimeout = u"IdleTimeout"_s;
const QString kForbidden = u"Forbidden"_s;
const QString kCancelled = u"Cancelled"_s;
const QString kUserError = u"UserError"_s;

/// Receivers that understand a stream's end marker (a group message without data): the Web PubSub
/// subprotocols. Raw and MQTT receivers get the fragments as plain messages and no marker.
bool speaksStreams(const Connection *connection)
{
    return connection && connection->protocol && connection->protocol->contains(u"webpubsub.azure.v1"_s);
}

} // namespace

GroupStreams::GroupStreams(HubState &hub, QString connectionId, std::optional<QString> userId,
                           GroupStreamLimits limits, Reply reply, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
    , m_connectionId(std::move(connectionId))
    , m_userId(std::move(userId))
    , m_limits(limits)
    , m_reply(std::move(reply))
{
}

GroupStreams::~GroupStreams() = default;

void GroupStreams::refuse(const QString &streamId, const QString &name, const QString &message)
{
    qCInfo(lcClient).noquote() << "stream" << streamId << "of" << m_connectionId << "refused:" << message;
    Q_EMIT traced(QString(), streamId, u"refused"_s, name + u": "_s + message);
    m_reply(messages::StreamClosed{streamId, messages::StreamError{name, message, {}}});
}

void GroupStreams::start(const messages::StreamStart &request)
{
    const QString &streamId = request.streamId;
    if (streamId.size() > m_limits.maxStreamIdLength)
        return refuse(streamId.left(m_limits.maxStreamIdLength), u"BadRequest"_s,
                      u"The stream id is longer than %1 characters."_s.arg(m_limits.maxStreamIdLength));
    if (const auto it = m_streams.find(streamId); it != m_streams.end()) {
        // A repeated start of an open stream is answered like a repeated fragment: with what the stream
        // expects now. A start naming another group is a mistake the publisher hears about.
        if (it->second.group == request.group) {
            m_reply(messages::StreamAck{streamId, it->second.expected});
            return;
        }
        return refuse(streamId, u"BadRequest"_s,
                      u"Stream '%1' is already open to group '%2'."_s.arg(streamId, it->second.group));
    }
    if (const QString error = names::checkGroup(request.group); !error.isEmpty())
        return refuse(streamId, u"BadRequest"_s, error);
    if (!m_hub.hasPermission(m_connectionId, kSendToGroup, request.group))
        return refuse(streamId, kForbidden,
                      u"The client has no permission to send message to group '%1'."_s.arg(request.group));
    std::chrono::milliseconds idle = m_limits.defaultIdleTimeout;
    if (request.idleTimeoutMs) {
        const quint64 asked = *request.idleTimeoutMs;
        if (asked == 0 || asked > static_cast<quint64>(m_limits.maxIdleTimeout.count()))
            return refuse(streamId, u"BadRequest"_s,
                          u"idleTimeoutMs must be between 1 and %1."_s.arg(m_limits.maxIdleTimeout.count()));
        idle = std::chrono::milliseconds(static_cast<qint64>(asked));
    }
    if (openCount() >= m_limits.maxOpenStreams)
        return refuse(streamId, u"BadRequest"_s,
                      u"The connection already has %1 open streams, the most one connection can have; end "
                      "one first."_s.arg(m_limits.maxOpenStreams));

    Stream stream;
    stream.group = request.group;
    stream.noEcho = request.noEcho;
    stream.idle = std::make_unique<QTimer>();
    stream.idle->setSingleShot(true);
    stream.idle->setInterval(idle);
    connect(stream.idle.get(), &QTimer::timeout, this, [this, streamId, idle] {
        const QString why = u"No data arrived for %1 ms (the stream's idle timeout)."_s.arg(idle.count());
        finish(streamId, messages::StreamError{kIdleTimeout, why, {}},
               messages::StreamError{kIdleTimeout, why, {}}, true, u"timedOut"_s, why);
    });
    stream.idle->start();
    m_streams.emplace(streamId, std::move(stream));
    Q_EMIT traced(
        request.group, streamId, u"opened"_s,
        u"idle timeout %1 ms%2"_s.arg(idle.count()).arg(request.noEcho ? u", noEcho"_s : QString()));
    m_reply(messages::StreamAck{streamId, 1});
}

void GroupStreams::data(const messages::StreamData &request)
{
    const auto it = m_streams.find(request.streamId);
    if (it == m_streams.end())
        return refuse(request.streamId, u"StreamNotFound"_s,
                      u"No open stream '%1' on this connection."_s.arg(request.streamId));
    Stream &stream = it->second;
    stream.idle->start(); // any streamData, a keepalive too, restarts the idle timer
    if (!request.streamSequenceId)
        return; // a keepalive: nothing is delivered and nothing is answered
    const quint64 sequenceId = *request.streamSequenceId;
    if (sequenceId > stream.expected || sequenceId == 0) {
        const QString why = u"Expected fragment %1, got %2."_s.arg(stream.expected).arg(sequenceId);
        Q_EMIT traced(stream.group, request.streamId, u"nacked"_s, why);
        m_reply(messages::StreamNack{request.streamId, stream.expected, u"InvalidSequenceId"_s, why});
        return;
    }
    if (sequenceId < stream.expected) {
        // A duplicate (a resend after a lost ack): not delivered again; the ack says what comes next.
        m_reply(messages::StreamAck{request.streamId, stream.expected});
        return;
    }
    if (!m_hub.hasPermission(m_connectionId, kSendToGroup, stream.group)) {
        const QString why =
            u"The client no longer has permission to send message to group '%1'."_s.arg(stream.group);
        return finish(request.streamId, messages::StreamError{kForbidden, why, {}},
                      messages::StreamError{kForbidden, why, {}}, true, u"ended"_s, why);
    }
    if (request.data->bytes.size() > m_limits.maxChunkBytes) {
        const QString why =
            u"A fragment of %1 bytes is larger than %2 bytes, the most one streamData may carry."_s
                .arg(request.data->bytes.size())
                .arg(m_limits.maxChunkBytes);
        return finish(request.streamId, messages::StreamError{kCancelled, why, {}},
                      messages::StreamError{u"BadRequest"_s, why, {}}, true, u"ended"_s, why);
    }
    deliver(stream, messages::StreamInfo{request.streamId, sequenceId, false, std::nullopt}, *request.data);
    ++stream.expected;
    m_reply(messages::StreamAck{request.streamId, stream.expected});
}

void GroupStreams::end(const messages::StreamEnd &request)
{
    if (m_streams.find(request.streamId) == m_streams.end())
        return refuse(request.streamId, u"StreamNotFound"_s,
                      u"No open stream '%1' on this connection."_s.arg(request.streamId));
    if (request.error) {
        const QString detail = request.error->message.isEmpty()
                                   ? u"ended with an error"_s
                                   : u"ended with an error: "_s + request.error->message;
        // Receivers see the publisher's error as UserError with its message and code.
        finish(request.streamId,
               messages::StreamError{kUserError, request.error->message, request.error->userErrorCode},
               std::nullopt, true, u"ended"_s, detail);
        return;
    }
    finish(request.streamId, std::nullopt, std::nullopt, true, u"ended"_s, u"ended by its publisher"_s);
}

void GroupStreams::closeAll(const QString &why)
{
    while (!m_streams.empty()) {
        const QString streamId = m_streams.begin()->first;
        finish(streamId, messages::StreamError{kCancelled, why, {}}, std::nullopt, false, u"cancelled"_s,
               why);
    }
}

void GroupStreams::finish(const QString &streamId, std::optional<messages::StreamError> error,
                          std::optional<messages::StreamError> closedError, bool tellPublisher,
                          const QString &event, const QString &detail)
{
    auto node = m_streams.extract(streamId);
    if (node.empty())
        return;
    Stream &stream = node.mapped();
    stream.idle->stop();
    // The end marker carries the next expected number and no data.
    deliver(stream, messages::StreamInfo{streamId, stream.expected, true, std::move(error)},
            messages::Payload::json({}));
    Q_EMIT traced(stream.group, streamId, event, detail);
    if (tellPublisher)
        m_reply(messages::StreamClosed{streamId, std::move(closedError)});
    // The timer may be the one firing now: it goes once the event loop is back.
    stream.idle.release()->deleteLater();
}

void GroupStreams::deliver(const Stream &stream, const messages::StreamInfo &info,
                           const messages::Payload &data)
{
    Delivery delivery;
    delivery.group = stream.group;
    delivery.data = data.bytes;
    delivery.dataType = data.type;
    delivery.fromUserId = m_userId;
    delivery.stream = info;
    const bool marker = info.endOfStream && data.bytes.isEmpty();
    const QStringList members = m_hub.connectionsInGroup(stream.group);
    for (const QString &member : members) {
        if (stream.noEcho && member == m_connectionId)
            continue;
        if (marker && !speaksStreams(m_hub.connection(member)))
            continue;
        m_hub.deliver(member, delivery); // one Delivery: its frames are built once per kind of receiver
    }
}

} // namespace wps::emulator
