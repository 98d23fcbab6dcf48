#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QTest>

namespace wps::test {

/// The one ceiling for every wait on an event in the tests (QSignalSpy::wait, QTest::qWaitFor). A ceiling,
/// not a timing: a passing test returns as soon as its event arrives; only a failing one waits this long.
/// Generous because the tests run beside other builds on a shared two-core machine under sanitizers.
inline constexpr int kWaitMs = 60000;

/// Delivers everything already queued (posted events, queued signals, deferred deletes) and returns: the
/// check before a "nothing more happens" assertion. Event-driven, not a sleep: it waits for no new event.
inline void drainEvents()
{
    for (int round = 0; round < 8; ++round) {
        QCoreApplication::sendPostedEvents(nullptr, 0);
        QCoreApplication::processEvents(QEventLoop::AllEvents);
    }
}

/// Waits until the wall clock's millisecond has moved on from \a since (default: now), so that what is
/// stamped next carries a later timestamp than what was stamped before. Waits on the clock, not for a fixed
/// time.
inline bool waitForLaterMillisecond(qint64 since = QDateTime::currentMSecsSinceEpoch())
{
    return QTest::qWaitFor([since] { return QDateTime::currentMSecsSinceEpoch() > since; }, kWaitMs);
}

} // namespace wps::test
