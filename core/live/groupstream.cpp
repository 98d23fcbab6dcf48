#include "live/groupstream.h"

#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace wps::live {

namespace {

/// "text, 5 bytes" / "json, 12 bytes".
QString payloadWords(const messages::Payload &data)
{
    return messages::dataTypeName(data.type) + u", "_s + QString::number(data.bytes.size()) +
           (data.bytes.size() == 1 ? u" byte"_s : u" bytes"_s);
}

QString errorWords(const QString &name, const QString &message)
{
    if (name.isEmpty())
        return message;
    return message.isEmpty() ? name : name + u": "_s + message;
}

QString key(const QString &group, const QString &streamId)
{
    return group + u'\n' + streamId;
}

} // namespace

QString streamSummary(const messages::ClientRequest &request)
{
    if (const auto *start = std::get_if<messages::StreamStart>(&request)) {
        QString text = u"open stream %1 to group %2"_s.arg(start->streamId, start->group);
        if (start->idleTimeoutMs)
            text += u" · idle timeout %1 ms"_s.arg(*start->idleTimeoutMs);
        if (start->noEcho)
            text += u" · noEcho"_s;
        return text;
    }
    if (const auto *data = std::get_if<messages::StreamData>(&request)) {
        if (!data->streamSequenceId || !data->data)
            return u"stream %1 · keepalive"_s.arg(data->streamId);
        return u"stream %1 · fragment %2 · %3"_s.arg(data->streamId)
            .arg(*data->streamSequenceId)
            .arg(payloadWords(*data->data));
    }
    if (const auto *end = std::get_if<messages::StreamEnd>(&request)) {
        if (!end->error)
            return u"end stream %1"_s.arg(end->streamId);
        return u"end stream %1 with an error: %2"_s.arg(
            end->streamId, errorWords(end->error->userErrorCode, end->error->message));
    }
    return {};
}

QString streamSummary(const messages::ServiceMessage &message)
{
    if (const auto *ack = std::get_if<messages::StreamAck>(&message))
        return ack->expectedSequenceId <= 1
                   ? u"stream %1 opened"_s.arg(ack->streamId)
                   : u"stream %1 · service has fragments up to %2"_s.arg(ack->streamId)
                         .arg(ack->expectedSequenceId - 1);
    if (const auto *nack = std::get_if<messages::StreamNack>(&message))
        return u"stream %1 · fragment refused (%2), service expects %3"_s.arg(nack->streamId)
            .arg(errorWords(nack->name, nack->message))
            .arg(nack->expectedSequenceId);
    if (const auto *closed = std::get_if<messages::StreamClosed>(&message)) {
        if (!closed->error)
            return u"stream %1 closed"_s.arg(closed->streamId);
        return u"stream %1 closed: %2"_s.arg(closed->streamId,
                                             errorWords(closed->error->name, closed->error->message));
    }
    if (const auto *data = std::get_if<messages::DataMessage>(&message); data && data->stream) {
        const messages::StreamInfo &info = *data->stream;
        if (!info.endOfStream)
            return u"stream %1 · fragment %2 · %3"_s.arg(info.streamId)
                .arg(info.streamSequenceId)
                .arg(payloadWords(data->data));
        if (!info.error)
            return u"stream %1 ended after %2 fragments"_s.arg(info.streamId).arg(info.streamSequenceId - 1);
        return u"stream %1 ended with an error: %2"_s.arg(info.streamId,
                                                          errorWords(info.error->name, info.error->message));
    }
    return {};
}

// ---- GroupStreamWriter ------------------------------------------------------------------------------------

GroupStreamWriter::GroupStreamWriter(LiveClient *client, QString group, QString streamId)
    : QObject(client)
    , m_client(client)
    , m_group(std::move(group))
    , m_streamId(std::move(streamId))
{
    connect(client, &LiveClient::streamAnswer, this, &GroupStreamWriter::onAnswer);
    connect(client, &LiveClient::stateChanged, this, [this](wps::live::State state) {
        // A recovering reliable connection keeps its streams; anything else loses them.
        if (state != wps::live::State::Connected && state != wps::live::State::Recovering)
            close(u"NotConnected"_s, u"The connection was lost; the stream is gone."_s);
    });
    m_openTimer.setSingleShot(true);
    connect(&m_openTimer, &QTimer::timeout, this,
            [this] { close(u"Timeout"_s, u"The service did not acknowledge the stream's start."_s); });
}

GroupStreamWriter *GroupStreamWriter::open(LiveClient *client, const QString &group,
                                           GroupStreamOptions options)
{
    const QString streamId =
        options.streamId.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : options.streamId;
    auto *writer = new GroupStreamWriter(client, group, streamId);
    messages::StreamStart start{group,          streamId,     options.idleTimeoutMs,
                                options.noEcho, std::nullopt, std::nullopt};
    if (!client->sendStreamRequest(start)) {
        // Said from the event loop, so the caller can connect first.
        QTimer::singleShot(0, writer,
                           [writer] { writer->close(u"NotConnected"_s, u"The client is not connected."_s); });
        return writer;
    }
    writer->m_openTimer.start(options.openTimeout);
    return writer;
}

bool GroupStreamWriter::write(const messages::Payload &data)
{
    if (m_state != State::Open || !m_client)
        return false;
    if (!m_client->sendStreamRequest(messages::StreamData{m_streamId, m_next, data}))
        return false;
    ++m_next;
    return true;
}

bool GroupStreamWriter::keepAlive()
{
    if (m_state != State::Open || !m_client)
        return false;
    return m_client->sendStreamRequest(messages::StreamData{m_streamId, std::nullopt, std::nullopt});
}

bool GroupStreamWriter::end(std::optional<messages::StreamEndError> error)
{
    if (m_state != State::Open || !m_client)
        return false;
    if (!m_client->sendStreamRequest(messages::StreamEnd{m_streamId, std::move(error)}))
        return false;
    m_state = State::Ending;
    return true;
}

void GroupStreamWriter::onAnswer(const messages::ServiceMessage &message)
{
    if (m_state == State::Closed)
        return;
    if (const auto *ack = std::get_if<messages::StreamAck>(&message); ack && ack->streamId == m_streamId) {
        m_acked = std::max(m_acked, ack->expectedSequenceId);
        if (m_state == State::Opening) {
            m_openTimer.stop();
            m_state = State::Open;
            Q_EMIT opened();
            return;
        }
        Q_EMIT acknowledged(ack->expectedSequenceId);
    } else if (const auto *nack = std::get_if<messages::StreamNack>(&message);
               nack && nack->streamId == m_streamId) {
        Q_EMIT nacked(nack->expectedSequenceId, nack->name, nack->message);
    } else if (const auto *closed = std::get_if<messages::StreamClosed>(&message);
               closed && closed->streamId == m_streamId) {
        if (closed->error)
            close(closed->error->name, closed->error->message);
        else
            close({}, {});
    }
}

void GroupStreamWriter::close(const QString &errorName, const QString &errorMessage)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_openTimer.stop();
    m_errorName = errorName;
    m_errorMessage = errorMessage;
    Q_EMIT closed(errorName, errorMessage);
}

// ---- GroupStreamReceiver ----------------------------------------------------------------------------------

GroupStreamReceiver::GroupStreamReceiver(LiveClient *client, std::chrono::milliseconds idleTimeout,
                                         QObject *parent)
    : QObject(parent ? parent : client)
    , m_idleTimeout(idleTimeout)
{
    connect(client, &LiveClient::groupMessage, this, &GroupStreamReceiver::onGroupMessage);
}

GroupStreamReceiver::~GroupStreamReceiver() = default;

QList<GroupStreamReceiver::Inbound> GroupStreamReceiver::streams() const
{
    QList<Inbound> out = m_ended;
    for (const auto &[k, active] : m_active)
        out << active.info;
    return out;
}

void GroupStreamReceiver::onGroupMessage(const messages::DataMessage &message)
{
    if (!message.stream)
        return;
    const messages::StreamInfo &info = *message.stream;
    const QString streamKey = key(message.group, info.streamId);
    auto it = m_active.find(streamKey);
    if (it == m_active.end()) {
        Active active;
        active.info.group = message.group;
        active.info.streamId = info.streamId;
        active.info.fromUserId = message.fromUserId.value_or(QString());
        active.idle = std::make_unique<QTimer>();
        active.idle->setSingleShot(true);
        active.idle->setInterval(m_idleTimeout);
        connect(active.idle.get(), &QTimer::timeout, this, [this, streamKey] {
            finish(streamKey, u"IdleTimeout"_s, u"No fragment arrived within the idle timeout."_s);
        });
        it = m_active.emplace(streamKey, std::move(active)).first;
        Q_EMIT streamStarted(message.group, info.streamId, it->second.info.fromUserId);
    }
    it->second.idle->start();
    // The end marker carries no data; a fragment always does.
    const bool hasData = !(message.data.type == messages::DataType::Json && message.data.bytes.isEmpty());
    if (!info.endOfStream || hasData) {
        ++it->second.info.fragments;
        it->second.info.bytes += message.data.bytes.size();
        it->second.info.lastSequenceId = info.streamSequenceId;
        Q_EMIT fragmentReceived(message.group, info.streamId, info.streamSequenceId, message.data);
    }
    if (info.endOfStream)
        finish(streamKey, info.error ? info.error->name : QString(),
               info.error ? errorWords(info.error->userErrorCode, info.error->message) : QString());
}

void GroupStreamReceiver::finish(const QString &streamKey, const QString &errorName,
                                 const QString &errorMessage)
{
    auto node = m_active.extract(streamKey);
    if (node.empty())
        return;
    Inbound info = node.mapped().info;
    node.mapped().idle->stop();
    node.mapped().idle.release()->deleteLater(); // may be the timer firing now
    info.ended = true;
    info.errorName = errorName;
    info.errorMessage = errorMessage;
    m_ended << info;
    while (m_ended.size() > kKeptEnded)
        m_ended.removeFirst();
    Q_EMIT streamEnded(info.group, info.streamId, errorName, errorMessage);
}

} // namespace wps::live
