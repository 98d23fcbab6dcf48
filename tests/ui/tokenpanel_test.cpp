// The TokenPanel tests moved to tests/ui/token/ (ui_token_tests); the window smoke test stays here.
#include "mainwindow/mainwindow.h"

#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTest>
#include <QUrlQuery>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;

namespace {
wps::ConnectionString testConnection()
{
    return *wps::ConnectionString::parse(
        u"Endpoint=http://127.0.0.1:7071;AccessKey=test-key-0123456789abcdef0123456789;Version=1.0;"_s);
}
} // namespace

TEST(MainWindow, ListsEveryPanelAndShowsTheConnection)
{
    wps::ui::MainWindow window;
    window.setConnection(testConnection(), u"embedded emulator"_s);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    auto *navigation = window.findChild<QListWidget *>(u"navigation"_s);
    ASSERT_NE(navigation, nullptr);
    EXPECT_GE(navigation->count(), 6); // workspace pages; Trace, Live clients and Connections are docks
    EXPECT_NE(window.dock(u"trace"_s), nullptr);
    window.showPanel(5);
    EXPECT_EQ(navigation->currentRow(), 5);
}
