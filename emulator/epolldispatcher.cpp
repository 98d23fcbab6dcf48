#include "emulator/epolldispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>

#ifdef Q_OS_LINUX
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <limits>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace wps::emulator {

namespace {

constexpr int kMaxEventsPerWait = 1024;

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_epoll(::epoll_create1(EPOLL_CLOEXEC))
    , m_wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
{
    if (m_epoll >= 0 && m_wake >= 0) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.fd = m_wake;
        if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &event) != 0) {
            ::close(m_wake);
            m_wake = -1;
        }
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wake >= 0)
        ::close(m_wake);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.storeRelaxed(0);
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.loadRelaxed();
    if (canWait)
        Q_EMIT aboutToBlock();
    if (m_interrupted.loadRelaxed())
        return false;

    // A posted event calls wakeUp(), which makes the eventfd readable: epoll_wait then returns at once, so
    // nothing posted before or during this call waits for the timeout.
    int timeoutMs = waitTimeoutMs(canWait);
    if (canWait && !includeTimers && m_alwaysReady == 0)
        timeoutMs = -1; // timers excluded: only a descriptor or a wake-up ends the wait
    int activated = collectReady(timeoutMs, includeNotifiers);
    if (includeTimers)
        activated += activateTimers();
    activated += activateNotifiers();
    return activated > 0;
}

int EpollEventDispatcher::waitTimeoutMs(bool canWait) const
{
    if (!canWait || m_alwaysReady > 0)
        return 0;
    if (m_due.empty())
        return -1;
    const qint64 remainingNs = m_due.begin()->first - nowNs();
    if (remainingNs <= 0)
        return 0;
    // Rounded up: waking before the due time would only loop back here.
    return int(std::min<qint64>((remainingNs + 999'999) / 1'000'000, std::numeric_limits<int>::max()));
}

int EpollEventDispatcher::collectReady(int timeoutMs, bool includeNotifiers)
{
    epoll_event events[kMaxEventsPerWait];
    int count = ::epoll_wait(m_epoll, events, kMaxEventsPerWait, timeoutMs);
    if (count < 0)
        count = 0; // EINTR (a signal): the caller's loop comes back

    int woken = 0;
    for (int i = 0; i < count; ++i) {
        const int fd = events[i].data.fd;
        if (fd == m_wake) {
            drainWake();
            woken = 1;
            continue;
        }
        Watch *w = includeNotifiers ? watch(fd) : nullptr;
        if (!w)
            continue;
        const quint32 what = events[i].events;
        // As poll() does for Qt's dispatcher: an error or hang-up wakes the readers and writers too.
        const bool failed = what & (EPOLLERR | EPOLLHUP);
        if (what & (EPOLLIN | EPOLLRDHUP) || failed)
            queue(fd, *w, QSocketNotifier::Read);
        if (what & EPOLLOUT || failed)
            queue(fd, *w, QSocketNotifier::Write);
        if (what & EPOLLPRI)
            queue(fd, *w, QSocketNotifier::Exception);
    }
    if (includeNotifiers && m_alwaysReady > 0) {
        for (int fd = 0; fd < int(m_watches.size()); ++fd) {
            if (m_watches[fd].alwaysReady) {
                queue(fd, m_watches[fd], QSocketNotifier::Read);
                queue(fd, m_watches[fd], QSocketNotifier::Write);
            }
        }
    }
    return woken;
}

void EpollEventDispatcher::queue(int fd, Watch &watch, int type)
{
    const quint8 bit = quint8(1u << type);
    if (!watch.notifiers[type] || (watch.pending & bit))
        return;
    if (!watch.pending)
        m_pending.push_back(fd);
    watch.pending |= bit;
}

int EpollEventDispatcher::activateNotifiers()
{
    int activated = 0;
    // Activations may register, unregister or delete notifiers: unregistering clears the pending bit, so each
    // notifier is checked again right before its turn.
    for (std::size_t i = 0; i < m_pending.size(); ++i) {
        const int fd = m_pending[i];
        for (int type = 0; type < 3; ++type) {
            Watch *w = watch(fd);
            const quint8 bit = quint8(1u << type);
            if (!w || !(w->pending & bit))
                continue;
            w->pending &= quint8(~bit);
            QEvent event(QEvent::SockAct);
            QCoreApplication::sendEvent(w->notifiers[type], &event);
            ++activated;
        }
    }
    m_pending.clear(); // every bit was cleared on its turn (only collectReady sets them)
    return activated;
}

EpollEventDispatcher::Watch *EpollEventDispatcher::watch(int fd)
{
    return fd >= 0 && std::size_t(fd) < m_watches.size() ? &m_watches[std::size_t(fd)] : nullptr;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    if (fd < 0)
        return;
    if (std::size_t(fd) >= m_watches.size())
        m_watches.resize(std::max<std::size_t>(std::size_t(fd) + 1, m_watches.size() * 2));
    Watch &w = m_watches[std::size_t(fd)];
    w.notifiers[notifier->type()] = notifier;
    updateWatch(fd, w);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Watch *w = watch(fd);
    const int type = notifier->type();
    if (!w || w->notifiers[type] != notifier)
        return;
    w->notifiers[type] = nullptr;
    w->pending &= quint8(~(1u << type));
    updateWatch(fd, *w);
}

void EpollEventDispatcher::updateWatch(int fd, Watch &w)
{
    quint32 events = 0;
    if (w.notifiers[QSocketNotifier::Read])
        events |= EPOLLIN | EPOLLRDHUP;
    if (w.notifiers[QSocketNotifier::Write])
        events |= EPOLLOUT;
    if (w.notifiers[QSocketNotifier::Exception])
        events |= EPOLLPRI;
    if (w.alwaysReady) {
        if (events == 0) {
            w.alwaysReady = false;
            --m_alwaysReady;
        }
        return;
    }
    if (events == w.events)
        return;
    if (events == 0) {
        (void)::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr); // may already be gone with a closed fd
        w.events = 0;
        return;
    }
    epoll_event event{};
    event.events = events;
    event.data.fd = fd;
    // A descriptor closed and reused behind our back is no longer in the set: MOD then fails with ENOENT and
    // ADD is right; the other way round for EEXIST.
    const int first = w.events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    int result = ::epoll_ctl(m_epoll, first, fd, &event);
    if (result != 0 && (errno == ENOENT || errno == EEXIST))
        result = ::epoll_ctl(m_epoll, errno == ENOENT ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event);
    if (result == 0) {
        w.events = events;
    } else if (errno == EPERM) {
        w.alwaysReady = true; // a regular file: poll() would say "ready" every time
        w.events = 0;
        ++m_alwaysReady;
    } else {
        w.events = 0;
        qWarning("EpollEventDispatcher: cannot watch descriptor %d (errno %d)", fd, errno);
    }
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    Timer timer;
    timer.object = object;
    timer.intervalMs = interval;
    timer.type = timerType;
    timer.dueNs = nowNs() + interval * 1'000'000;
    m_timers.insert(timerId, timer);
    m_due.emplace(timer.dueNs, timerId);
    m_timersByObject.insert(object, timerId);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_due.erase({it->dueNs, timerId});
    m_timersByObject.remove(it->object, timerId);
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    const QList<int> ids = m_timersByObject.values(object);
    for (const int id : ids)
        unregisterTimer(id);
    return !ids.isEmpty();
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    for (auto it = m_timersByObject.constFind(object); it != m_timersByObject.cend() && it.key() == object;
         ++it) {
        const Timer &timer = m_timers.value(it.value());
        list.append(TimerInfo(it.value(), int(timer.intervalMs), timer.type));
    }
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.cend())
        return -1;
    return int(std::max<qint64>(0, (it->dueNs - nowNs()) / 1'000'000));
}

int EpollEventDispatcher::activateTimers()
{
    // The timers due now, taken before any fires: a timer (re)started by another's event waits for the next
    // iteration, as in Qt's dispatcher.
    const qint64 now = nowNs();
    std::vector<int> due;
    for (auto it = m_due.begin(); it != m_due.end() && it->first <= now; ++it)
        due.push_back(it->second);
    int fired = 0;
    for (const int id : due) {
        const auto it = m_timers.find(id);
        if (it == m_timers.end() || it->firing || it->dueNs > now)
            continue;
        // The next due time before the event: the object may stop or restart the timer from inside it.
        m_due.erase({it->dueNs, id});
        const qint64 intervalNs = it->intervalMs * 1'000'000;
        it->dueNs += intervalNs;
        if (it->dueNs <= now)
            it->dueNs = now + intervalNs; // fell behind: the next period starts now, no burst of catch-ups
        m_due.emplace(it->dueNs, id);
        it->firing = true;
        QObject *object = it->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++fired;
        const auto after = m_timers.find(id); // the event may have unregistered it (or the hash rehashed)
        if (after != m_timers.end())
            after->firing = false;
    }
    return fired;
}

void EpollEventDispatcher::wakeUp()
{
    if (m_wake >= 0) {
        const quint64 one = 1;
        [[maybe_unused]] const ssize_t written = ::write(m_wake, &one, sizeof one);
    }
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.storeRelaxed(1);
    wakeUp();
}

void EpollEventDispatcher::drainWake()
{
    quint64 value = 0;
    [[maybe_unused]] const ssize_t read = ::read(m_wake, &value, sizeof value);
}

} // namespace wps::emulator

#endif // Q_OS_LINUX
