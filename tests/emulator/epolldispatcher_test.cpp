// The emulator's epoll event dispatcher (emulator/epolldispatcher.*) driving a real thread: timers, socket
// notifiers on socket pairs, posted events, deferred deletes and quitting from another thread behave as with
// Qt's own dispatcher. Every emulator process the other tests start runs on it too.
#include "emulator/epolldispatcher.h"
#include "support/wait.h"

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <QCoreApplication>
#include <QEventLoop>
#include <QPointer>
#include <QSocketNotifier>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using wps::test::kWaitMs;

class EpollDispatcherTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_dispatcher = new wps::emulator::EpollEventDispatcher;
        ASSERT_TRUE(m_dispatcher->isValid());
        m_thread.setEventDispatcher(m_dispatcher); // the thread owns it from here
        m_thread.start();
        m_context = std::make_unique<QObject>();
        m_context->moveToThread(&m_thread);
        ASSERT_EQ(QAbstractEventDispatcher::instance(&m_thread), m_dispatcher);
    }

    void TearDown() override
    {
        run([this] { m_context.reset(); });
        m_thread.quit(); // interrupt() from this thread ends the loop blocked in epoll_wait
        EXPECT_TRUE(m_thread.wait(kWaitMs));
        for (const int fd : m_fds)
            ::close(fd);
    }

    /// Runs \a code in the dispatcher's thread and returns when it is done.
    void run(const std::function<void()> &code)
    {
        QMetaObject::invokeMethod(m_context.get(), code, Qt::BlockingQueuedConnection);
    }

    /// A connected socket pair (closed after the test).
    std::pair<int, int> socketPair()
    {
        int fds[2] = {-1, -1};
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        m_fds << fds[0] << fds[1];
        return {fds[0], fds[1]};
    }

    static void writeByte(int fd) { EXPECT_EQ(::write(fd, "x", 1), 1); }
    static void readByte(int fd)
    {
        char c = 0;
        EXPECT_EQ(::read(fd, &c, 1), 1);
    }

    QThread m_thread;
    wps::emulator::EpollEventDispatcher *m_dispatcher = nullptr;
    std::unique_ptr<QObject> m_context;
    QList<int> m_fds;
};

} // namespace

TEST_F(EpollDispatcherTest, TimersRepeatStopWhenKilledAndAreListed)
{
    QAtomicInt ticks;
    QAtomicInt later;
    QTimer *timer = nullptr;
    run([&] {
        timer = new QTimer(m_context.get());
        timer->setInterval(2);
        QObject::connect(timer, &QTimer::timeout, timer, [&] { ticks.ref(); });
        timer->start();
    });
    EXPECT_TRUE(QTest::qWaitFor([&] { return ticks.loadRelaxed() >= 5; }, kWaitMs));

    int listedInterval = -1;
    int remaining = -2;
    run([&] {
        const auto timers = m_dispatcher->registeredTimers(timer);
        if (timers.size() == 1) {
            listedInterval = timers.first().interval;
            remaining = m_dispatcher->remainingTime(timers.first().timerId);
        }
        timer->stop();
    });
    EXPECT_EQ(listedInterval, 2);
    EXPECT_GE(remaining, 0);
    EXPECT_LE(remaining, 2);
    const int stoppedAt = ticks.loadRelaxed();
    // A later single shot fires; the stopped timer, due long before it, did not fire again meanwhile.
    run([&] { QTimer::singleShot(20, m_context.get(), [&] { later.ref(); }); });
    EXPECT_TRUE(QTest::qWaitFor([&] { return later.loadRelaxed() == 1; }, kWaitMs));
    EXPECT_EQ(ticks.loadRelaxed(), stoppedAt);
    run([&] { EXPECT_TRUE(m_dispatcher->registeredTimers(timer).isEmpty()); });
}

TEST_F(EpollDispatcherTest, ATimerIsNotFiredAgainInsideItsOwnEvent)
{
    QAtomicInt depth;
    QAtomicInt maxDepth;
    QAtomicInt ticks;
    run([&] {
        auto *timer = new QTimer(m_context.get());
        timer->setInterval(0);
        QObject::connect(timer, &QTimer::timeout, timer, [&, timer] {
            const int now = depth.fetchAndAddRelaxed(1) + 1;
            if (now > maxDepth.loadRelaxed())
                maxDepth.storeRelaxed(now);
            if (ticks.fetchAndAddRelaxed(1) < 3) {
                // Nested loop iterations inside the event, as a modal wait would run: a zero timer is due in
                // each of them, but not while its own event is running.
                for (int i = 0; i < 20; ++i)
                    QCoreApplication::processEvents(QEventLoop::AllEvents);
            }
            depth.fetchAndSubRelaxed(1);
            if (ticks.loadRelaxed() >= 10)
                timer->stop();
        });
        timer->start();
    });
    EXPECT_TRUE(QTest::qWaitFor([&] { return ticks.loadRelaxed() >= 10; }, kWaitMs));
    EXPECT_EQ(maxDepth.loadRelaxed(), 1);
}

TEST_F(EpollDispatcherTest, ReadNotifiersAreLevelTriggeredAndOneDeletedByAnotherIsNotActivated)
{
    const auto [a, peerA] = socketPair();
    const auto [b, peerB] = socketPair();
    QAtomicInt activations;
    QPointer<QSocketNotifier> first;
    QPointer<QSocketNotifier> second;
    run([&, a = a, b = b] {
        first = new QSocketNotifier(a, QSocketNotifier::Read, m_context.get());
        second = new QSocketNotifier(b, QSocketNotifier::Read, m_context.get());
        // Whichever is activated first deletes the other: both sockets are readable in the same wait.
        auto onReady = [&](QSocketNotifier *other, int fd) {
            activations.ref();
            readByte(fd);
            delete other;
        };
        QObject::connect(first, &QSocketNotifier::activated, first, [&, onReady, a] { onReady(second, a); });
        QObject::connect(second, &QSocketNotifier::activated, second, [&, onReady, b] { onReady(first, b); });
    });
    writeByte(peerA);
    writeByte(peerB);
    EXPECT_TRUE(QTest::qWaitFor([&] { return activations.loadRelaxed() >= 1; }, kWaitMs));
    // One survived; it sees its socket again while data is there (level-triggered), once per byte read.
    QSocketNotifier *survivor = nullptr;
    run([&] { survivor = first ? first.data() : second.data(); });
    ASSERT_NE(survivor, nullptr);
    const int survivorPeer = survivor == first ? peerA : peerB;
    writeByte(survivorPeer);
    writeByte(survivorPeer);
    EXPECT_TRUE(QTest::qWaitFor([&] { return activations.loadRelaxed() >= 3; }, kWaitMs));
    run([&] { EXPECT_TRUE(first.isNull() != second.isNull()); }); // exactly one deleted
}

TEST_F(EpollDispatcherTest, ADisabledNotifierIsSilentAndSeesPendingDataWhenEnabledAgain)
{
    const auto [a, peer] = socketPair();
    QAtomicInt activations;
    QSocketNotifier *notifier = nullptr;
    run([&, a = a] {
        notifier = new QSocketNotifier(a, QSocketNotifier::Read, m_context.get());
        QObject::connect(notifier, &QSocketNotifier::activated, notifier, [&, a] {
            activations.ref();
            readByte(a);
        });
        notifier->setEnabled(false);
    });
    writeByte(peer);
    QAtomicInt marker;
    // A posted call goes through the loop after the byte arrived: the disabled notifier stayed silent.
    run([&] { QTimer::singleShot(10, m_context.get(), [&] { marker.ref(); }); });
    EXPECT_TRUE(QTest::qWaitFor([&] { return marker.loadRelaxed() == 1; }, kWaitMs));
    EXPECT_EQ(activations.loadRelaxed(), 0);
    run([&] { notifier->setEnabled(true); });
    EXPECT_TRUE(QTest::qWaitFor([&] { return activations.loadRelaxed() == 1; }, kWaitMs));
}

TEST_F(EpollDispatcherTest, WriteNotifiersFireForAWritableSocket)
{
    const auto [a, peer] = socketPair();
    (void)peer;
    QAtomicInt activations;
    run([&, a = a] {
        auto *notifier = new QSocketNotifier(a, QSocketNotifier::Write, m_context.get());
        QObject::connect(notifier, &QSocketNotifier::activated, notifier, [&, notifier] {
            activations.ref();
            notifier->setEnabled(false);
        });
    });
    EXPECT_TRUE(QTest::qWaitFor([&] { return activations.loadRelaxed() == 1; }, kWaitMs));
}

TEST_F(EpollDispatcherTest, PostedEventsAndDeferredDeletesRunWithoutOtherActivity)
{
    QAtomicInt called;
    QAtomicInt destroyed;
    QObject *doomed = nullptr;
    run([&] {
        doomed = new QObject(m_context.get());
        QObject::connect(doomed, &QObject::destroyed, [&] { destroyed.ref(); });
    });
    // Posted from this thread while the loop is blocked in epoll_wait: the eventfd wakes it.
    QMetaObject::invokeMethod(
        m_context.get(), [&] { called.ref(); }, Qt::QueuedConnection);
    EXPECT_TRUE(QTest::qWaitFor([&] { return called.loadRelaxed() == 1; }, kWaitMs));
    QMetaObject::invokeMethod(doomed, &QObject::deleteLater, Qt::QueuedConnection);
    EXPECT_TRUE(QTest::qWaitFor([&] { return destroyed.loadRelaxed() == 1; }, kWaitMs));
}
