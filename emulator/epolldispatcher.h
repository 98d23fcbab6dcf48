#pragma once

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <QHash>
#include <QList>
#include <QMultiHash>

#include <set>
#include <utility>
#include <vector>

class QSocketNotifier;

namespace wps::emulator {

/// An event dispatcher for the emulator's thread on Linux, built on epoll: the kernel keeps the set of
/// watched sockets, so a loop iteration costs what is ready, not what is open. Qt 6.4's UNIX dispatcher
/// rebuilds a poll() array of every socket on each iteration and keeps the sockets found readable in a list
/// searched linearly, which under MQTT QoS 1 fan-out (a thousand PUBACKs readable at once) grew with the
/// square of the ready sockets (bench/README.md "MQTT"). Semantics are those of Qt's dispatcher:
/// level-triggered notifiers, a notifier disabled or deleted during an iteration is not activated later in
/// it, each due timer fires at most once per iteration and never inside its own timer event, posted events
/// are sent first.
///
/// Only what the emulator needs: socket notifiers on sockets and pipes (a file descriptor epoll refuses, such
/// as a regular file, is treated as always ready, as poll() reports it), timers of every type (all kept to
/// the millisecond), wakeUp() and interrupt() through an eventfd. Installed by app/webpubsub-emulator only
/// (QCoreApplication::setEventDispatcher before the application object); `WPS_EVENT_DISPATCHER=qt` selects
/// Qt's own instead.
class EpollEventDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    /// False when the kernel refused the epoll instance or the eventfd (then do not install it).
    bool isValid() const { return m_epoll >= 0 && m_wake >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    /// The notifiers of one file descriptor, one per type, and which of them wait for activation in this
    /// iteration. Kept in a vector indexed by descriptor: lookups and the (frequent) enable/disable toggles
    /// of a socket's write notifier cost no hashing.
    struct Watch
    {
        QSocketNotifier *notifiers[3] = {nullptr, nullptr, nullptr}; ///< by QSocketNotifier::Type
        quint32 events = 0;       ///< the interest registered with epoll (0: not in the set)
        quint8 pending = 0;       ///< bit per type: queued for activation in this iteration
        bool alwaysReady = false; ///< epoll refused the descriptor (EPERM): reported ready like poll() does
    };
    struct Timer
    {
        QObject *object = nullptr;
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        qint64 dueNs = 0;
        bool firing = false; ///< inside its own timer event: not fired again until it returns
    };

    Watch *watch(int fd);
    void updateWatch(int fd, Watch &watch);
    void queue(int fd, Watch &watch, int type);
    /// Milliseconds epoll_wait may block: 0 when a timer is due or a descriptor is always ready, -1 for none.
    int waitTimeoutMs(bool canWait) const;
    int collectReady(int timeoutMs, bool includeNotifiers);
    int activateTimers();
    int activateNotifiers();
    void drainWake();

    int m_epoll = -1;
    int m_wake = -1;
    QAtomicInt m_interrupted;
    std::vector<Watch> m_watches; ///< indexed by file descriptor
    int m_alwaysReady = 0;        ///< how many watches are alwaysReady
    /// Descriptors with a notifier queued in this iteration, in the order they became ready.
    std::vector<int> m_pending;
    QHash<int, Timer> m_timers;
    std::set<std::pair<qint64, int>> m_due; ///< (due time, id), soonest first
    QMultiHash<QObject *, int> m_timersByObject;
};

} // namespace wps::emulator
