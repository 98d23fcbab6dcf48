#pragma once

#include <functional>

class QObject;

namespace wps::cli {

/// SIGINT and SIGTERM call \a onStop on the thread of \a context (through a socket pair, so the handler
/// itself stays async-signal-safe) until restoreStopSignals(). Unix only; elsewhere nothing happens.
void handleStopSignals(QObject *context, std::function<void()> onStop);
/// Gives SIGINT and SIGTERM their default action back and drops the handler.
void restoreStopSignals();

} // namespace wps::cli
