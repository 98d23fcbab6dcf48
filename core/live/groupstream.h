#pragma once

#include "live/liveclient.h"
#include "protocol/messages.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <chrono>
#include <map>
#include <memory>
#include <optional>

namespace wps::live {

/// One line for the trace row of a group stream frame ("stream s1 · fragment 2 · text, 5 bytes"); empty for
/// frames that are not about a stream (docs/live-clients.md#group-streams).
QString streamSummary(const messages::ClientRequest &request);
QString streamSummary(const messages::ServiceMessage &message);

struct GroupStreamOptions
{
    QString streamId;                             ///< empty: a new random id
    std::optional<quint64> idleTimeoutMs;         ///< empty: the service's default
    bool noEcho = false;                          ///< the publisher does not receive its own stream
    std::chrono::milliseconds openTimeout{30000}; ///< no streamAck by then: the stream fails with Timeout
};

/// One group stream a LiveClient publishes, as @azure/web-pubsub-client's openGroupStream does: a
/// `sendToGroup` with `stream`, fragments numbered from 1, `streamEnd`, and the service's streamAck /
/// streamNack / streamClosed (docs/live-clients.md#group-streams). Parented to its client. A failure is the
/// closed() signal with the service's error name, never a dialog.
class GroupStreamWriter : public QObject
{
    Q_OBJECT
public:
    enum class State { Opening, Open, Ending, Closed };

    /// Sends the start; opened() follows the service's first streamAck, closed() with an error a refusal,
    /// a lost connection or no answer within the open timeout.
    static GroupStreamWriter *open(LiveClient *client, const QString &group, GroupStreamOptions options = {});

    QString streamId() const { return m_streamId; }
    QString group() const { return m_group; }
    State state() const { return m_state; }
    /// The number the next write() gets.
    quint64 nextSequenceId() const { return m_next; }
    /// The service's last expectedSequenceId: every fragment below it was taken.
    quint64 acknowledgedUpTo() const { return m_acked; }
    /// Why the stream closed (empty name: ended cleanly).
    QString errorName() const { return m_errorName; }
    QString errorMessage() const { return m_errorMessage; }

    /// Sends the next fragment; false when the stream is not open or the client is not connected.
    bool write(const messages::Payload &data);
    /// A streamData without data: keeps the stream from its idle timeout.
    bool keepAlive();
    /// Ends the stream; with \a error receivers see it as UserError. closed() follows the service's answer.
    bool end(std::optional<messages::StreamEndError> error = std::nullopt);

Q_SIGNALS:
    void opened();
    void acknowledged(quint64 expectedSequenceId);
    void nacked(quint64 expectedSequenceId, const QString &name, const QString &message);
    /// The stream is over; \a errorName is empty after its own clean end.
    void closed(const QString &errorName, const QString &errorMessage);

private:
    GroupStreamWriter(LiveClient *client, QString group, QString streamId);
    void onAnswer(const messages::ServiceMessage &message);
    void close(const QString &errorName, const QString &errorMessage);

    QPointer<LiveClient> m_client;
    QString m_group;
    QString m_streamId;
    State m_state = State::Opening;
    quint64 m_next = 1;
    quint64 m_acked = 0;
    QString m_errorName;
    QString m_errorMessage;
    QTimer m_openTimer;
};

/// Receives the group streams that reach a LiveClient, as the SDK's onGroupStream does: a stream appears
/// with its first fragment, fragments arrive in order with their numbers, and it ends with the service's end
/// marker (with an error when it failed) or after \a idleTimeout without fragments.
class GroupStreamReceiver : public QObject
{
    Q_OBJECT
public:
    struct Inbound
    {
        QString group;
        QString streamId;
        QString fromUserId;
        quint64 fragments = 0;
        qint64 bytes = 0;
        quint64 lastSequenceId = 0;
        bool ended = false;
        QString errorName; ///< empty while open and after a clean end
        QString errorMessage;
    };

    explicit GroupStreamReceiver(LiveClient *client,
                                 std::chrono::milliseconds idleTimeout = std::chrono::milliseconds(300000),
                                 QObject *parent = nullptr);
    ~GroupStreamReceiver() override;

    /// The streams seen, oldest first: every open one and the last kKeptEnded ended ones.
    QList<Inbound> streams() const;
    static constexpr int kKeptEnded = 50;

Q_SIGNALS:
    void streamStarted(const QString &group, const QString &streamId, const QString &fromUserId);
    void fragmentReceived(const QString &group, const QString &streamId, quint64 streamSequenceId,
                          const wps::messages::Payload &data);
    /// \a errorName is empty for a clean end; IdleTimeout when it went quiet, else the service's name.
    void streamEnded(const QString &group, const QString &streamId, const QString &errorName,
                     const QString &errorMessage);

private:
    struct Active
    {
        Inbound info;
        std::unique_ptr<QTimer> idle;
    };
    void onGroupMessage(const messages::DataMessage &message);
    void finish(const QString &key, const QString &errorName, const QString &errorMessage);

    std::chrono::milliseconds m_idleTimeout;
    std::map<QString, Active> m_active; ///< by group + '\n' + streamId
    QList<Inbound> m_ended;
};

} // namespace wps::live
