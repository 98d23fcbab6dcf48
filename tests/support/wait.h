#pragma once

namespace wps::test {

/// The one ceiling for every wait on an event in the tests (QSignalSpy::wait, QTest::qWaitFor). A ceiling,
/// not a timing: a passing test returns as soon as its event arrives; only a failing one waits this long.
/// Generous because the tests run beside other builds on a shared two-core machine under sanitizers.
inline constexpr int kWaitMs = 60000;

} // namespace wps::test
