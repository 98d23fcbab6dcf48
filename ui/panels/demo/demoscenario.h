#pragma once

#include "arm/armmodels.h"
#include "live/liveclient.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <optional>

namespace wps::arm {
class ArmClient;
}
namespace wps::live {
class LiveClientPool;
}

namespace wps::ui {

class ConsoleSession;

/// The first-run demo (docs/demo.md): a small chat on the session's service -- normally the embedded
/// emulator -- so that the panels, the trace and the charts have something to show in the first minute.
/// Hub "demo" gets the emulator's echo handler ({endpoint}/demo/echo) over ARM, six live clients in two
/// groups chat on a timer, one sends user events the echo handler answers, and one reliable client has its
/// socket dropped now and then to show recovery. stop() tears it all down and restores the hub's settings,
/// leaving nothing behind. QtCore and core only: the panel is a view of this.
class DemoScenario : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Starting, Running, Stopping };
    Q_ENUM(State)

    /// The pace of the demo. Tests shorten the drop interval instead of waiting 15 s.
    struct Timing
    {
        std::chrono::milliseconds messageInterval{500}; ///< one chat message per tick: 2 msg/s in total
        std::chrono::milliseconds echoInterval{3000};   ///< one user event for the echo handler
        std::chrono::milliseconds dropInterval{15000};  ///< the reliable client's socket is dropped
    };

    explicit DemoScenario(ConsoleSession *session, QObject *parent = nullptr);
    /// Stops the clients. The hub settings are only restored by stop(): call it first and wait for Idle.
    ~DemoScenario() override;

    /// The hub the demo runs on.
    static QString hubName();
    /// The two chat groups.
    static QStringList groupNames();
    /// The ARM resource id the demo uses: the emulator accepts any subscription and group (docs/arm.md).
    static QString resourceId();

    void setTiming(const Timing &timing) { m_timing = timing; }
    State state() const { return m_state; }

    /// Sets up the hub, then starts the clients; state() goes Starting -> Running, or back to Idle with
    /// failed() when the service cannot run the demo (e.g. it serves no ARM: not the emulator).
    void start();
    /// Tears everything down and restores the hub settings; state() goes Stopping -> Idle.
    void stop();

    /// The demo's live clients (empty when not running).
    QList<wps::live::LiveClient *> clients() const;
    int connectedClients() const;
    int messagesSent() const { return m_sent; }
    int messagesReceived() const { return m_received; }
    int echoReplies() const { return m_echoReplies; }
    int recoveries() const { return m_recoveries; }
    /// The URL of the emulator's chat page in the demo's first group, to open in a browser next to the
    /// console; empty when not running.
    QUrl chatPageUrl() const;

Q_SIGNALS:
    void stateChanged(wps::ui::DemoScenario::State state);
    /// One line about what is happening, for the panel's activity list.
    void activity(const QString &line);
    /// The demo could not start or its hub settings could not be restored; \a error says why.
    void failed(const QString &error);
    /// A counter or the number of connected clients changed.
    void countersChanged();
    /// The conversation, for the chat view. A group message as its group's observer received it (alice in
    /// lobby, frank -- the reliable client -- in games): \a user is the publisher the service named,
    /// \a sequenceId frank's sequence id (0 for a client without one).
    void chatMessage(const QString &group, const QString &user, const QString &text, quint64 sequenceId);
    /// \a user sent user event \a event (the frame went out; the echo handler's answer confirms it).
    void userEventSent(const QString &group, const QString &user, const QString &event, const QString &text);
    /// The echo handler's answer reached \a user (a member of \a group).
    void echoAnswered(const QString &group, const QString &user, const QString &text);
    /// \a user's reliable connection recovered and the first message after it arrived: \a before is the last
    /// sequence id received before the socket dropped, \a after the first one after it (before + 1 when no
    /// message was lost).
    void recovered(const QString &user, quint64 before, quint64 after);

private:
    struct Member
    {
        QString name;
        QString group;
        live::Subprotocol protocol = live::Subprotocol::Json;
        QUrl url;
        QPointer<live::LiveClient> client;
        bool observer = false; ///< the chat view shows its group as this member received it
    };

    void setState(State state);
    void fail(const QString &error);
    void onHubRead(bool exists, const std::optional<arm::HubSettings> &previous);
    void requestAccess();
    void startClients();
    void wireClient(Member &member);
    void chatTick();
    void echoTick();
    void dropTick();
    void teardown();
    void finishStop();

    QPointer<ConsoleSession> m_session;
    Timing m_timing;
    State m_state = State::Idle;
    bool m_stopRequested = false;
    bool m_hubChanged = false;                  ///< our PUT went through: stop() must restore
    std::optional<arm::HubSettings> m_previous; ///< the hub as it was; nullopt when there was none
    QUrl m_endpoint;
    arm::ArmClient *m_arm = nullptr;
    live::LiveClientPool *m_pool = nullptr;
    QList<Member> m_members;
    int m_pendingAccess = 0;
    QTimer m_chatTimer;
    QTimer m_echoTimer;
    QTimer m_dropTimer;
    int m_tick = 0;
    int m_sent = 0;
    int m_received = 0;
    int m_echoReplies = 0;
    int m_recoveries = 0;
    quint64 m_sequenceBeforeDrop = 0; ///< the reliable client's last sequence id when its socket dropped
    bool m_recoveryToVerify = false;  ///< recovered: the next message tells whether any was lost
    QString m_hubBefore;              ///< the session's hub before the demo took it
};

} // namespace wps::ui
