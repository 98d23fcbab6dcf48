// The Demo page on a projector: the window on a 1280x720 virtual screen (the offscreen platform's configfile,
// see tests/CMakeLists.txt), in presentation mode, with the demo running on a real emulator. The chat must be
// readable there: fonts scaled, a group header and at least two bubbles in sight at once, every row within
// the view's width, the newest row shown; the demo's clients are in the Live clients dock and the hub
// selector follows the demo's hub; the Trace dock comes to the front.
#include "mainwindow/mainwindow.h"
#include "panels/clients/liveclientspanel.h"
#include "panels/demo/demochatmodel.h"
#include "panels/demo/demochatview.h"
#include "panels/demo/demopanel.h"
#include "panels/demo/demoscenario.h"
#include "panels/trace/tracepanel.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/emulatorprocess.h"
#include "trace/tracemodel.h"

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QScreen>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using Kind = wps::ui::DemoChatModel::Kind;

TEST(DemoOnAProjector, ChatReadsAt1280x720InPresentationMode)
{
    ASSERT_EQ(QGuiApplication::primaryScreen()->geometry().size(), QSize(1280, 720))
        << "run through ctest: the configfile gives a 1280x720 screen";
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());

    wps::ui::MainWindow window;
    window.setSettingsFile(dir.filePath(u"settings.ini"_s));
    window.restoreLayout();
    window.setConnection(emulator.connectionString(), u"emulator"_s);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    const QFont baseFont = window.findChild<wps::ui::DemoChatView *>()->font();
    window.setPresentationMode(true);
    ASSERT_TRUE(window.showPanel(u"demo"_s));

    // Another dock in front: the Trace dock must come forward when the demo starts.
    ASSERT_TRUE(window.showPanel(u"liveclients"_s));
    auto *traceDock = window.findChild<QDockWidget *>(u"dock_trace"_s);
    ASSERT_NE(traceDock, nullptr);
    auto *clientsDock = window.findChild<QDockWidget *>(u"dock_liveclients"_s);
    ASSERT_NE(clientsDock, nullptr);
    // A tabified dock behind another stays isVisible(); what is on screen is its visible region.
    ASSERT_TRUE(QTest::qWaitFor([&] { return traceDock->visibleRegion().isEmpty(); }, 2000));
    ASSERT_FALSE(clientsDock->visibleRegion().isEmpty());

    auto *panel = window.findChild<wps::ui::DemoPanel *>();
    ASSERT_NE(panel, nullptr);
    wps::ui::DemoScenario *scenario = panel->scenario();
    scenario->setTiming(
        {std::chrono::milliseconds(150), std::chrono::milliseconds(400), std::chrono::milliseconds(1500)});
    scenario->start();
    const wps::ui::DemoChatModel *chat = panel->chatModel();
    auto count = [chat](Kind kind) {
        int n = 0;
        for (int row = 0; row < chat->rowCount(); ++row)
            n += chat->index(row).data(wps::ui::DemoChatModel::KindRole).value<Kind>() == kind;
        return n;
    };
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return count(Kind::Message) >= 12 && count(Kind::Recovery) >= 1; }, 30000))
        << count(Kind::Message) << " messages, " << count(Kind::Recovery) << " recoveries";
    QApplication::processEvents();

    // The window still fits the projector's screen.
    const QRect available = window.screen()->availableGeometry();
    EXPECT_TRUE(available.contains(window.frameGeometry()))
        << window.frameGeometry().width() << "x" << window.frameGeometry().height();

    // Fonts scale in the chat (presentation mode is 1.5x).
    auto *view = window.findChild<wps::ui::DemoChatView *>();
    ASSERT_NE(view, nullptr);
    ASSERT_TRUE(view->isVisible());
    EXPECT_GE(QFontInfo(view->font()).pixelSize(), QFontInfo(baseFont).pixelSize() * 14 / 10);

    // A header and two one-line bubbles fit in the view at once, and every row is within its width.
    int header = 0;
    int bubble = 0;
    for (int row = 0; row < chat->rowCount(); ++row) {
        const QModelIndex index = chat->index(row);
        const QRect rect = view->visualRect(index);
        EXPECT_LE(rect.right(), view->viewport()->width()) << "row " << row;
        const auto kind = index.data(wps::ui::DemoChatModel::KindRole).value<Kind>();
        if (kind == Kind::GroupHeader)
            header = std::max(header, rect.height());
        else if (kind == Kind::Message &&
                 !index.data(wps::ui::DemoChatModel::TextRole).toString().contains(u' '))
            bubble = std::max(bubble, rect.height()); // "brb", "ok": one line
    }
    ASSERT_GT(header, 0);
    ASSERT_GT(bubble, 0);
    EXPECT_GE(view->viewport()->height(), header + 2 * bubble)
        << "viewport " << view->viewport()->height() << " px, header " << header << ", bubble " << bubble;
    // The newest row is in sight (the view follows the conversation).
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return view->viewport()->rect().intersects(view->visualRect(chat->index(chat->rowCount() - 1)));
        },
        5000));

    // The trace follows the demo: its dock is in front, with the demo's traffic.
    EXPECT_FALSE(traceDock->visibleRegion().isEmpty());
    EXPECT_TRUE(clientsDock->visibleRegion().isEmpty());
    auto *trace = window.findChild<wps::ui::TracePanel *>();
    ASSERT_NE(trace, nullptr);
    EXPECT_GT(trace->model()->rowCount(), 0);

    // The demo's clients are listed in the Live clients dock; the hub selector shows the demo's hub.
    auto *clients = window.findChild<wps::ui::LiveClientsPanel *>();
    ASSERT_NE(clients, nullptr);
    EXPECT_GE(clients->view()->model()->rowCount(), 6);
    EXPECT_EQ(window.session()->hub(), wps::ui::DemoScenario::hubName());
    bool selectorFollows = false;
    for (auto *combo : window.findChildren<QComboBox *>())
        selectorFollows = selectorFollows || combo->currentText() == wps::ui::DemoScenario::hubName();
    EXPECT_TRUE(selectorFollows);

    scenario->stop();
    EXPECT_TRUE(
        QTest::qWaitFor([&] { return scenario->state() == wps::ui::DemoScenario::State::Idle; }, 20000));
}
