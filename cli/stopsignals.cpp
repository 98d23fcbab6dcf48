#include "cli/stopsignals.h"

#include <QObject>
#include <QPointer>
#include <QSocketNotifier>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace wps::cli {

#ifdef Q_OS_UNIX
namespace {

int g_signalFd[2] = {-1, -1};
QPointer<QSocketNotifier> g_notifier;

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalFd[0], &byte, 1); // async-signal-safe
}

void setAction(void (*handler)(int))
{
    struct sigaction action = {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}

} // namespace

void handleStopSignals(QObject *context, std::function<void()> onStop)
{
    restoreStopSignals();
    if (g_signalFd[0] < 0 && ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalFd) != 0)
        return;
    g_notifier = new QSocketNotifier(g_signalFd[1], QSocketNotifier::Read, context);
    QObject::connect(g_notifier, &QSocketNotifier::activated, context, [onStop = std::move(onStop)] {
        char byte = 0;
        [[maybe_unused]] const auto got = ::read(g_signalFd[1], &byte, 1);
        onStop();
    });
    setAction(&onSignal);
}

void restoreStopSignals()
{
    setAction(SIG_DFL);
    // Later: this may run inside the notifier's own activated() (an interrupt that ends the run at once).
    if (g_notifier) {
        g_notifier->setEnabled(false);
        g_notifier->deleteLater();
    }
    g_notifier = nullptr;
}
#else
void handleStopSignals(QObject *, std::function<void()>) {}
void restoreStopSignals() {}
#endif

} // namespace wps::cli
