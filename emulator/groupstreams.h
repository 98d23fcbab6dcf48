#pragma once

#include "emulator/hubstate.h"
#include "protocol/messages.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace wps::emulator {

/// Limits of group streams (docs/emulator.md "Limits"); tests shrink them.
struct GroupStreamLimits
{
    int maxOpenStreams = 100;                             ///< open streams per connection
    qsizetype maxChunkBytes = 1024 * 1024;                ///< payload bytes of one streamData
    qsizetype maxStreamIdLength = 256;                    ///< characters of a stream id
    std::chrono::milliseconds defaultIdleTimeout{300000}; ///< when the start names none
    std::chrono::milliseconds maxIdleTimeout{3600000};    ///< a start asking for more is refused
};

/// The group streams one connection publishes (docs/emulator.md "Group streams"): the state machine of
/// `sendToGroup` with `stream`, `streamData`, `streamEnd` and the service's `streamAck` / `streamNack` /
/// `streamClosed` answers, idle timeouts, and the fragments delivered to the group's members with their
/// `stream` info. It lives inside a ClientSession and answers through \a reply.
class GroupStreams : public QObject
{
    Q_OBJECT
public:
    using Reply = std::function<void(const messages::ServiceMessage &)>;

    GroupStreams(HubState &hub, QString connectionId, std::optional<QString> userId, GroupStreamLimits limits,
                 Reply reply, QObject *parent = nullptr);
    ~GroupStreams() override;

    /// A `sendToGroup` with `stream` (checkRequest() has passed).
    void start(const messages::StreamStart &request);
    void data(const messages::StreamData &request);
    void end(const messages::StreamEnd &request);
    /// The publisher's connection is over for good: every open stream ends for its receivers with
    /// `Cancelled` (no answer goes to the publisher).
    void closeAll(const QString &why);

    int openCount() const { return static_cast<int>(m_streams.size()); }
    const GroupStreamLimits &limits() const { return m_limits; }

Q_SIGNALS:
    /// A stream's life for the live trace: \a event is opened, ended, refused, nacked, timedOut, cancelled;
    /// \a detail says why in words.
    void traced(const QString &group, const QString &streamId, const QString &event, const QString &detail);

private:
    struct Stream
    {
        QString group;
        bool noEcho = false;
        quint64 expected = 1; ///< the next fragment number the stream takes
        std::unique_ptr<QTimer> idle;
    };

    /// Refuses a request for \a streamId: `streamClosed` with \a name and \a message to the publisher.
    void refuse(const QString &streamId, const QString &name, const QString &message);
    /// Ends an open stream: the end marker (with \a error, when set) to the group, `streamClosed` (with
    /// \a closedError) to the publisher unless \a tellPublisher is false.
    void finish(const QString &streamId, std::optional<messages::StreamError> error,
                std::optional<messages::StreamError> closedError, bool tellPublisher, const QString &event,
                const QString &detail);
    /// Delivers one fragment (or the end marker) to the group's members.
    void deliver(const Stream &stream, const messages::StreamInfo &info, const messages::Payload &data);

    HubState &m_hub;
    QString m_connectionId;
    std::optional<QString> m_userId;
    GroupStreamLimits m_limits;
    Reply m_reply;
    std::map<QString, Stream> m_streams;
};

} // namespace wps::emulator
