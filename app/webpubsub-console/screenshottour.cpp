#include "screenshottour.h"

#include "live/liveclient.h"
#include "mainwindow/mainwindow.h"
#include "panels/demo/demochatmodel.h"
#include "panels/demo/demopanel.h"
#include "panels/demo/demoscenario.h"
#include "panels/groups/groupspanel.h"
#include "panels/messaging/messagingpanel.h"
#include "panels/permissions/permissionspanel.h"
#include "panels/token/tokenpanel.h"
#include "panels/trace/tracepanel.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QLineEdit>
#include <QListView>
#include <QPalette>
#include <QPlainTextEdit>
#include <QScreen>
#include <QScrollArea>
#include <QTableView>
#include <QTreeView>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace wps::app {

namespace {

constexpr int kTrafficTimeoutMs = 60000;
constexpr int kUntilMs = 15000; ///< the longest a picture waits for its moment (a recovery comes every 6 s)
constexpr int kPollMs = 100;
constexpr int kLayoutMs = 300;
/// The display filter the trace picture shows: the reliable client's frames (its drop and recovery) and the
/// service's calls to the echo handler.
const char *const kTraceFilter = "hub==demo and (user==frank or kind==upstream)";

/// Scrolls the page that holds \a widget so that it is in sight.
void scrollTo(QWidget *widget)
{
    for (QWidget *up = widget ? widget->parentWidget() : nullptr; up; up = up->parentWidget()) {
        if (auto *area = qobject_cast<QScrollArea *>(up)) {
            area->ensureWidgetVisible(widget, 0, 0);
            return;
        }
    }
}

/// Makes the newest trace row whose summary contains \a text current, so the detail pane shows it.
void selectTraceRow(QTreeView *view, const QString &text)
{
    QAbstractItemModel *model = view ? view->model() : nullptr;
    if (!model)
        return;
    const int rows = model->rowCount();
    for (int row = rows - 1; row >= std::max(0, rows - 2000); --row) {
        for (int column = 0; column < model->columnCount(); ++column) {
            if (model->index(row, column).data().toString().contains(text)) {
                view->setCurrentIndex(model->index(row, 0));
                view->scrollTo(model->index(row, 0));
                return;
            }
        }
    }
}

int countKind(const wps::ui::DemoChatModel *chat, wps::ui::DemoChatModel::Kind kind)
{
    int n = 0;
    for (int row = 0; row < chat->rowCount(); ++row)
        n += chat->index(row).data(wps::ui::DemoChatModel::KindRole).value<wps::ui::DemoChatModel::Kind>() ==
             kind;
    return n;
}

/// How many rows came after the newest row of \a kind (-1 when there is none).
int rowsSince(const wps::ui::DemoChatModel *chat, wps::ui::DemoChatModel::Kind kind)
{
    for (int row = chat->rowCount() - 1; row >= 0; --row) {
        if (chat->index(row).data(wps::ui::DemoChatModel::KindRole).value<wps::ui::DemoChatModel::Kind>() ==
            kind)
            return chat->rowCount() - 1 - row;
    }
    return -1;
}

/// A dark palette as a dark desktop theme sets it, for the dark picture of the window.
QPalette darkPalette()
{
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, Qt::white);
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x33));
    dark.setColor(QPalette::Text, Qt::white);
    dark.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
    dark.setColor(QPalette::ButtonText, Qt::white);
    dark.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb7));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    dark.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    // Disabled controls greyed out, as a dark desktop theme does.
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        dark.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
    return dark;
}

} // namespace

ScreenshotTour::ScreenshotTour(wps::ui::MainWindow *window, const QString &directory, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_directory(directory)
{
    m_poll.setInterval(200);
}

void ScreenshotTour::say(const QString &line) const
{
    std::fprintf(stderr, "screenshots: %s\n", qPrintable(line));
}

template <typename T>
T *ScreenshotTour::child(const QString &name, QObject *scope) const
{
    T *found = (scope ? scope : m_window)->findChild<T *>(name);
    if (!found)
        say(u"no widget \"%1\" in this build; the picture is taken without it"_s.arg(name));
    return found;
}

bool ScreenshotTour::recoveryInSight() const
{
    auto *demo = m_window->findChild<wps::ui::DemoPanel *>();
    return demo && rowsSince(demo->chatModel(), wps::ui::DemoChatModel::Kind::Recovery) <= 2;
}

void ScreenshotTour::setDockHeight(int height) const
{
    if (auto *dock = child<QDockWidget>(u"dock_trace"_s))
        m_window->resizeDocks({dock}, {height}, Qt::Vertical);
}

bool ScreenshotTour::click(const QString &name, QObject *scope) const
{
    auto *button = child<QAbstractButton>(name, scope);
    if (button && button->isEnabled())
        button->click();
    return button;
}

void ScreenshotTour::start()
{
    if (!m_directory.exists() && !m_directory.mkpath(u"."_s)) {
        say(u"cannot create %1"_s.arg(m_directory.path()));
        finish(false);
        return;
    }
    // The window fills the screen, as a maximised window on a laptop or a projector.
    const QRect available = m_window->screen()->availableGeometry();
    m_window->setGeometry(available);
    m_size = u"%1x%2"_s.arg(available.width()).arg(available.height());
    auto *session = m_window->session();
    auto begin = [this] {
        buildSteps();
        waitForTraffic();
    };
    if (session->state() == wps::ui::ConsoleSession::State::Connected) {
        QTimer::singleShot(500, this, begin);
        return;
    }
    connect(session, &wps::ui::ConsoleSession::connectionChanged, this, [this, session, begin] {
        if (session->state() == wps::ui::ConsoleSession::State::Connected && m_steps.isEmpty())
            QTimer::singleShot(500, this, begin);
        else if (session->state() == wps::ui::ConsoleSession::State::Failed) {
            say(u"the console could not connect: "_s + session->stateText());
            finish(false);
        }
    });
}

void ScreenshotTour::waitForTraffic()
{
    auto *demo = m_window->findChild<wps::ui::DemoPanel *>();
    if (!demo) {
        say(u"no Demo page"_s);
        finish(false);
        return;
    }
    m_window->showPanel(u"demo"_s);
    // A drop every 6 s so that a recovery is in the pictures within the first half minute.
    demo->scenario()->setTiming(
        {std::chrono::milliseconds(700), std::chrono::milliseconds(3000), std::chrono::milliseconds(6000)});
    demo->scenario()->start();
    m_waited.start();
    connect(&m_poll, &QTimer::timeout, this, [this, demo] {
        const wps::ui::DemoChatModel *chat = demo->chatModel();
        const bool ready = demo->scenario()->state() == wps::ui::DemoScenario::State::Running &&
                           demo->scenario()->connectedClients() == 6 &&
                           countKind(chat, wps::ui::DemoChatModel::Kind::Recovery) >= 1 &&
                           countKind(chat, wps::ui::DemoChatModel::Kind::EchoReply) >= 1 &&
                           countKind(chat, wps::ui::DemoChatModel::Kind::Message) >= 20;
        if (ready) {
            m_poll.stop();
            say(u"traffic ready after %1 ms"_s.arg(m_waited.elapsed()));
            runStep();
        } else if (m_waited.elapsed() > kTrafficTimeoutMs) {
            m_poll.stop();
            say(u"the demo did not produce its traffic (a recovery, an echo answer, 20 messages) in time"_s);
            finish(false);
        }
    });
    m_poll.start();
}

void ScreenshotTour::buildSteps()
{
    const bool guide = m_size == u"1366x768"_s;
    m_steps.append({u"window-%1.png"_s.arg(m_size),
                    [this] {
                        m_window->showPanel(u"demo"_s);
                        m_window->showPanel(u"trace"_s);
                    },
                    600, [this] { return recoveryInSight(); }});
    if (guide) {
        auto show = [this](const QString &id) { return [this, id] { m_window->showPanel(id); }; };
        const QStringList pages{u"overview"_s, u"welcome"_s, u"profiles"_s};
        for (const QString &page : pages)
            m_steps.append({page + u".png"_s, show(page), 1500});
        m_steps.append({tokensStep(), hubsStep(), messagingStep(), groupsStep(), permissionsStep()});
        m_steps.append(dockSteps());
    }
    m_steps.append({traceFilterStep(), presentationStep()});
    if (guide)
        m_steps.append(closingSteps());
}

ScreenshotTour::Step ScreenshotTour::tokensStep()
{
    // Client tokens: a URL for a user who may send to lobby, with its QR code.
    return {u"tokens.png"_s,
            [this] {
                m_window->showPanel(u"tokens"_s);
                auto *panel = m_window->findChild<wps::ui::TokenPanel *>();
                auto *user = child<QLineEdit>(u"userId"_s, panel);
                auto *role = child<QCheckBox>(u"roleSendToGroupScoped"_s, panel);
                auto *roleGroup = child<QLineEdit>(u"roleGroup"_s, panel);
                auto *groups = child<QLineEdit>(u"groups"_s, panel);
                if (!user || !role || !roleGroup || !groups)
                    return;
                user->setText(u"grace"_s);
                role->setChecked(true);
                roleGroup->setText(u"lobby"_s);
                groups->setText(u"lobby"_s);
                click(u"generate"_s, panel);
            },
            2000};
}

ScreenshotTour::Step ScreenshotTour::hubsStep()
{
    // Hubs with the demo's hub selected: its event handler (the emulator's echo handler) listed.
    return {u"hubs.png"_s,
            [this] {
                m_window->showPanel(u"hubs"_s);
                // The list is loaded (ARM) when the page is first shown: select once it is.
                QTimer::singleShot(1000, this, [this] {
                    auto *list = child<QListView>(u"hubList"_s);
                    QAbstractItemModel *model = list ? list->model() : nullptr;
                    for (int row = 0; model && row < model->rowCount(); ++row) {
                        const QModelIndex index = model->index(row, 0);
                        if (index.data().toString().startsWith(wps::ui::DemoScenario::hubName()))
                            list->setCurrentIndex(index);
                    }
                });
            },
            2500};
}

ScreenshotTour::Step ScreenshotTour::messagingStep()
{
    // Messaging: a JSON message to the demo's lobby (it shows in the demo's chat too).
    return {u"messaging.png"_s,
            [this] {
                m_window->showPanel(u"messaging"_s);
                auto *panel = m_window->findChild<wps::ui::MessagingPanel *>();
                auto *target = child<QComboBox>(u"target"_s, panel);
                auto *id = child<QLineEdit>(u"targetId"_s, panel);
                auto *type = child<QComboBox>(u"contentType"_s, panel);
                auto *body = child<QPlainTextEdit>(u"body"_s, panel);
                if (!target || !id || !type || !body)
                    return;
                target->setCurrentIndex(2); // Group
                id->setText(u"lobby"_s);
                type->setCurrentIndex(1); // JSON
                body->setPlainText(u"{\"from\": \"console\", \"text\": \"hello from the Messaging page\"}"_s);
                click(u"send"_s, panel);
                // The outcome and the history are below the form.
                QTimer::singleShot(1000, this,
                                   [this, panel] { scrollTo(child<QWidget>(u"outcome"_s, panel)); });
            },
            2000};
}

ScreenshotTour::Step ScreenshotTour::groupsStep()
{
    // Groups & users with the members of the demo's lobby listed.
    return {u"groups.png"_s,
            [this] {
                m_window->showPanel(u"groups"_s);
                auto *panel = m_window->findChild<wps::ui::GroupsPanel *>();
                if (auto *group = child<QLineEdit>(u"group"_s, panel))
                    group->setText(u"lobby"_s);
                click(u"listMembers"_s, panel);
                // The members table is below the forms: scroll the page to it once listed.
                QTimer::singleShot(1000, this,
                                   [this, panel] { scrollTo(child<QTableView>(u"membersTable"_s, panel)); });
            },
            2000};
}

ScreenshotTour::Step ScreenshotTour::permissionsStep()
{
    // Permissions: may frank send to games? (his token's role says yes).
    return {u"permissions.png"_s,
            [this] {
                m_window->showPanel(u"permissions"_s);
                auto *panel = m_window->findChild<wps::ui::PermissionsPanel *>();
                auto *demo = m_window->findChild<wps::ui::DemoPanel *>();
                QString frank;
                for (wps::live::LiveClient *client : demo->scenario()->clients()) {
                    if (client->name() == u"frank"_s)
                        frank = client->connectionId();
                }
                auto *permission = child<QComboBox>(u"permission"_s, panel);
                auto *connection = child<QLineEdit>(u"connection"_s, panel);
                auto *group = child<QLineEdit>(u"targetGroup"_s, panel);
                if (!permission || !connection || !group)
                    return;
                permission->setCurrentIndex(1); // sendToGroup
                connection->setText(frank);
                group->setText(u"games"_s);
                click(u"check"_s, panel);
            },
            2000};
}

QList<ScreenshotTour::Step> ScreenshotTour::dockSteps()
{
    QList<Step> steps;
    steps.append({u"liveclients.png"_s,
                  [this] {
                      m_window->showPanel(u"demo"_s);
                      m_window->showPanel(u"liveclients"_s);
                      // The docks' pictures: the dock area raised so that their tables show rows.
                      setDockHeight(m_window->height() * 3 / 5);
                      // The reliable client's row, with its timeline of drops and recoveries.
                      if (auto *clients = child<QTableView>(u"clients"_s);
                          clients && clients->model() && clients->model()->rowCount() > 0) {
                          const int last = clients->model()->rowCount() - 1;
                          clients->selectRow(last);
                      }
                  },
                  1500});
    steps.append({u"connections.png"_s,
                  [this] {
                      m_window->showPanel(u"demo"_s);
                      m_window->showPanel(u"connections"_s);
                  },
                  2000});
    steps.append({u"trace.png"_s,
                  [this] {
                      m_window->showPanel(u"overview"_s);
                      m_window->showPanel(u"trace"_s);
                      // A call of the service to the echo handler, in the detail pane.
                      if (auto *trace = m_window->findChild<wps::ui::TracePanel *>())
                          selectTraceRow(trace->view(), u"handler answered"_s);
                  },
                  1500});
    return steps;
}

ScreenshotTour::Step ScreenshotTour::traceFilterStep()
{
    // The Trace with a display filter and the newest matching row's detail.
    return {u"trace-filter-%1.png"_s.arg(m_size),
            [this] {
                setDockHeight(m_window->height() * 2 / 5); // the window's default
                m_window->showPanel(u"demo"_s);
                m_window->showPanel(u"trace"_s);
                auto *trace = m_window->findChild<wps::ui::TracePanel *>();
                auto *text = child<QLineEdit>(u"traceText"_s);
                if (!trace || !text)
                    return;
                text->setText(QString::fromLatin1(kTraceFilter));
                trace->applyFilter();
                QTimer::singleShot(600, trace, [trace] {
                    QTreeView *view = trace->view();
                    const int rows = view->model() ? view->model()->rowCount() : 0;
                    if (rows > 0)
                        view->setCurrentIndex(view->model()->index(rows - 1, 0));
                });
            },
            1800};
}

ScreenshotTour::Step ScreenshotTour::presentationStep()
{
    // The chat from the back of a room: presentation mode, the Demo page.
    return {u"demo-chat-%1.png"_s.arg(m_size),
            [this] {
                if (auto *text = m_window->findChild<QLineEdit *>(u"traceText"_s)) {
                    text->clear();
                    if (auto *trace = m_window->findChild<wps::ui::TracePanel *>())
                        trace->applyFilter();
                }
                m_window->setPresentationMode(true);
                m_window->showPanel(u"demo"_s);
                m_window->showPanel(u"trace"_s);
                // As a presenter would: the docks lowered to a quarter of the window, for the chat.
                setDockHeight(m_window->height() / 4);
            },
            1000, [this] { return recoveryInSight(); }};
}

QList<ScreenshotTour::Step> ScreenshotTour::closingSteps()
{
    QList<Step> steps;
    steps.append({u"demo.png"_s,
                  [this] {
                      m_window->setPresentationMode(false);
                      setDockHeight(m_window->height() * 2 / 5); // the window's default
                      m_window->showPanel(u"demo"_s);
                      m_window->showPanel(u"liveclients"_s);
                  },
                  1500});
    // The same window under a dark Fusion palette.
    steps.append({u"window-dark.png"_s,
                  [this] {
                      QApplication::setStyle(u"Fusion"_s);
                      QApplication::setPalette(darkPalette());
                      m_window->showPanel(u"demo"_s);
                      m_window->showPanel(u"trace"_s);
                  },
                  1500});
    return steps;
}

void ScreenshotTour::runStep()
{
    if (m_next >= m_steps.size()) {
        finish(!m_failed);
        return;
    }
    const Step step = m_steps.at(m_next++);
    if (step.prepare)
        step.prepare();
    QTimer::singleShot(step.settleMs, this, [this, step] { shoot(step, 0); });
}

void ScreenshotTour::shoot(const Step &step, int waitedMs)
{
    if (step.until && waitedMs >= 0 && !step.until()) {
        if (waitedMs < kUntilMs) {
            QTimer::singleShot(kPollMs, this, [this, step, waitedMs] { shoot(step, waitedMs + kPollMs); });
            return;
        }
        say(u"%1: taken without waiting any longer for its moment"_s.arg(step.file));
    }
    if (step.until && waitedMs >= 0) {
        // The moment came: let the views lay the new rows out and scroll to them (their layout is deferred).
        QTimer::singleShot(kLayoutMs, this, [this, step] { shoot(step, -1); });
        return;
    }
    if (!step.file.isEmpty()) {
        const QString path = m_directory.filePath(step.file);
        if (m_window->grab().save(path, "PNG")) {
            std::printf("%s\n", qPrintable(path));
            std::fflush(stdout);
        } else {
            say(u"could not save "_s + path);
            m_failed = true;
        }
    }
    runStep();
}

void ScreenshotTour::finish(bool ok)
{
    m_poll.stop();
    auto *demo = m_window->findChild<wps::ui::DemoPanel *>();
    if (!demo || demo->scenario()->state() == wps::ui::DemoScenario::State::Idle) {
        QApplication::exit(ok ? 0 : 1);
        return;
    }
    // Leave the service as it was: stop the demo (its hub settings come back), then quit.
    connect(demo->scenario(), &wps::ui::DemoScenario::stateChanged, this,
            [ok](wps::ui::DemoScenario::State state) {
                if (state == wps::ui::DemoScenario::State::Idle)
                    QApplication::exit(ok ? 0 : 1);
            });
    QTimer::singleShot(15000, this, [ok] { QApplication::exit(ok ? 0 : 1); });
    demo->scenario()->stop();
}

} // namespace wps::app
