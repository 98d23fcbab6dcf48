#pragma once

#include <QDir>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>
#include <utility>

namespace wps::ui {
class MainWindow;
}

namespace wps::app {

/// `webpubsub-console --screenshots DIR` (scripts/screenshots): drives the window through a scripted
/// session with traffic and saves the documentation's pictures into DIR, then quits. The window fills the
/// screen's available area (run it on a virtual screen of the size wanted, e.g. Xvfb at 1366x768). It starts
/// the demo on the connected service -- live clients in two groups chatting, the echo handler answering, a
/// reliable client recovering -- waits until the conversation has all of that, and then shoots:
/// - window-WxH.png: the Demo page with the Trace dock, as a user sees the window at that size;
/// - demo-chat-WxH.png: the same in presentation mode (larger fonts, for a projector), the docks lowered;
///   both taken while a recovery marker is among the chat's newest rows (in sight);
/// - trace-filter-WxH.png: the Trace with a display filter applied and a row's detail open;
/// - at 1366x768 also <panel>.png for every page and dock of the user guide, each with the demo running, and
///   window-dark.png under a dark Fusion palette (the last picture: the palette stays).
/// A step that cannot be done (a widget missing) is reported on stderr and the tour goes on; the exit
/// status is 1 when a picture could not be saved or the demo did not produce its traffic in time.
class ScreenshotTour : public QObject
{
    Q_OBJECT
public:
    ScreenshotTour(wps::ui::MainWindow *window, const QString &directory, QObject *parent = nullptr);

    /// Begins once the window's session is connected (call after show()).
    void start();

private:
    struct Step
    {
        Step() = default;
        Step(QString f, std::function<void()> p, int ms = 1200, std::function<bool()> u = {})
            : file(std::move(f))
            , prepare(std::move(p))
            , settleMs(ms)
            , until(std::move(u))
        {
        }
        QString file;                  ///< picture to save; empty for a step that only acts
        std::function<void()> prepare; ///< what to do before waiting
        int settleMs = 1200;           ///< let panels fetch and paint
        /// When set, the picture waits after settleMs until this is true (up to kUntilMs more; then it is
        /// taken anyway and the tour says so).
        std::function<bool()> until;
    };
    void shoot(const Step &step, int waitedMs);
    /// The tour in order: the window, at 1366x768 the user guide's pages and docks, the trace filter, the
    /// chat in presentation mode, and at 1366x768 the Demo page and the dark window last.
    void buildSteps();
    // The steps that fill a form before their picture, and the groups of plain ones.
    Step tokensStep();
    Step hubsStep();
    Step messagingStep();
    Step groupsStep();
    Step permissionsStep();
    QList<Step> dockSteps(); ///< liveclients, connections and trace.png
    Step traceFilterStep();
    Step presentationStep();
    QList<Step> closingSteps(); ///< demo.png, then window-dark.png (the palette stays)
    void waitForTraffic();
    void runStep();
    void finish(bool ok);
    void say(const QString &line) const;
    template <typename T>
    T *child(const QString &name, QObject *scope = nullptr) const; ///< in \a scope (the window when null)
    bool click(const QString &name, QObject *scope = nullptr) const;
    void setDockHeight(int height) const;
    bool recoveryInSight() const; ///< frank's newest recovery is among the chat's last rows ///< of the
                                  ///< bottom dock area (the Trace dock and its tabs)

    wps::ui::MainWindow *m_window = nullptr;
    QDir m_directory;
    QString m_size; ///< "1366x768"
    QList<Step> m_steps;
    int m_next = 0;
    bool m_failed = false;
    QTimer m_poll;
    QElapsedTimer m_waited;
};

} // namespace wps::app
