// The console window on a small screen: run once per virtual screen size (the offscreen platform's
// configfile, see tests/CMakeLists.txt). The first window, with every dock shown, fits the screen's available
// area with its status bar on screen, on every page, and in presentation mode; nothing is squeezed below
// the size it needs to show its text (the Client tokens role checkboxes). The same holds on a High-DPI screen
// (WPS_TEST_SCALE: QT_SCALE_FACTOR=2 on a 2732x1536 screen) and with a larger system font (WPS_TEST_FONT_PT:
// the application's font in points).
#include "mainwindow/mainwindow.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QListWidget>
#include <QRegularExpression>
#include <QScreen>
#include <QScrollArea>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;

namespace {

/// The screen size the test run was given (WPS_TEST_SCREEN=WIDTHxHEIGHT).
QSize expectedScreen()
{
    const QStringList parts = qEnvironmentVariable("WPS_TEST_SCREEN").split(u'x');
    return parts.size() == 2 ? QSize(parts.at(0).toInt(), parts.at(1).toInt()) : QSize();
}

void expectFits(const wps::ui::MainWindow &window, const QString &where)
{
    const QRect available = window.screen()->availableGeometry();
    EXPECT_TRUE(available.contains(window.frameGeometry()))
        << where.toStdString() << ": window " << window.frameGeometry().width() << "x"
        << window.frameGeometry().height() << " on " << available.width() << "x" << available.height();
    const QSize minimum = window.minimumSizeHint().expandedTo(window.minimumSize());
    EXPECT_LE(minimum.width(), available.width()) << where.toStdString();
    EXPECT_LE(minimum.height(), available.height()) << where.toStdString();
    const QStatusBar *status = window.statusBar();
    ASSERT_NE(status, nullptr);
    EXPECT_TRUE(status->isVisible()) << where.toStdString();
    const QRect statusOnScreen(status->mapToGlobal(QPoint(0, 0)), status->size());
    EXPECT_TRUE(available.contains(statusOnScreen)) << where.toStdString();
}

class WindowFitTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        const QSize screen = expectedScreen();
        ASSERT_TRUE(screen.isValid()) << "run through ctest: WPS_TEST_SCREEN names the virtual screen";
        // The virtual screen is the size this run is about (the configfile took effect).
        ASSERT_EQ(QGuiApplication::primaryScreen()->geometry().size(), screen);
        if (const int scale = qEnvironmentVariableIntValue("WPS_TEST_SCALE"); scale > 0) {
            // High-DPI: every logical pixel is scale x scale device pixels.
            ASSERT_EQ(QGuiApplication::primaryScreen()->devicePixelRatio(), qreal(scale));
        }
        if (const int points = qEnvironmentVariableIntValue("WPS_TEST_FONT_PT"); points > 0) {
            static const qreal defaultPoints = QApplication::font().pointSizeF();
            ASSERT_LT(defaultPoints, points) << "the run's font must be larger than the default";
            QFont font = QApplication::font();
            font.setPointSize(points);
            QApplication::setFont(font);
        }
    }
    QTemporaryDir m_dir;
};

TEST_F(WindowFitTest, DefaultWindowWithEveryDockFitsTheScreen)
{
    wps::ui::MainWindow window;
    window.setSettingsFile(m_dir.filePath(u"settings.ini"_s));
    window.restoreLayout();
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    for (const QString &id : window.panelIds()) {
        if (QDockWidget *dock = window.dock(id))
            dock->show();
    }
    QApplication::processEvents();
    if (const int points = qEnvironmentVariableIntValue("WPS_TEST_FONT_PT"); points > 0) {
        EXPECT_EQ(window.font().pointSize(), points); // the larger font is the window's
    }
    expectFits(window, u"first window"_s);

    // Every page and dock in turn, as a user clicks through them.
    auto *navigation = window.findChild<QListWidget *>(u"navigation"_s);
    ASSERT_NE(navigation, nullptr);
    for (int row = 0; row < navigation->count(); ++row) {
        navigation->setCurrentRow(row);
        QApplication::processEvents();
        expectFits(window, u"page "_s + navigation->item(row)->text());
    }
    for (const QString &id : window.panelIds()) {
        if (QDockWidget *dock = window.dock(id)) {
            dock->raise();
            QApplication::processEvents();
            EXPECT_TRUE(dock->isVisible()) << id.toStdString();
            expectFits(window, u"dock "_s + id);
        }
    }
}

TEST_F(WindowFitTest, TheTraceTableIsWhollyVisibleInTheDefaultDock)
{
    // Follow scrolls the table to its newest row: that row must be on screen, not below the dock's fold.
    if (qEnvironmentVariableIntValue("WPS_TEST_FONT_PT") > 0)
        GTEST_SKIP() << "a larger system font may need the dock to scroll";
    wps::ui::MainWindow window;
    window.setSettingsFile(m_dir.filePath(u"settings.ini"_s));
    window.restoreLayout();
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    QApplication::processEvents();
    auto *area = window.findChild<QScrollArea *>(u"dockScroll_trace"_s);
    ASSERT_NE(area, nullptr);
    ASSERT_TRUE(area->isVisible());
    // The scroll area lays its content out on a later event: wait for it, not for a fixed time.
    EXPECT_TRUE(QTest::qWaitFor([&] { return area->widget()->height() <= area->viewport()->height(); }, 5000))
        << "the Trace dock's content is " << area->widget()->height() << " px tall in a "
        << area->viewport()->height() << " px dock";
}

TEST_F(WindowFitTest, ClientTokensRoleCheckboxesAreNotClipped)
{
    wps::ui::MainWindow window;
    window.setSettingsFile(m_dir.filePath(u"settings.ini"_s));
    window.restoreLayout();
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    ASSERT_TRUE(window.showPanel(u"tokens"_s));
    QApplication::processEvents();
    const QList<QCheckBox *> roles = window.findChildren<QCheckBox *>(QRegularExpression(u"^role"_s));
    ASSERT_EQ(roles.size(), 4);
    for (const QCheckBox *box : roles) {
        EXPECT_TRUE(box->isVisible()) << box->objectName().toStdString();
        EXPECT_GE(box->width(), box->sizeHint().width()) << box->objectName().toStdString();
    }
}

TEST_F(WindowFitTest, PresentationModeStillFits)
{
    wps::ui::MainWindow window;
    window.setSettingsFile(m_dir.filePath(u"settings.ini"_s));
    window.restoreLayout();
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    window.action(u"actionPresentation"_s)->trigger();
    QApplication::processEvents();
    EXPECT_TRUE(window.presentationMode());
    expectFits(window, u"presentation mode"_s);
}

TEST_F(WindowFitTest, PresentationModeEnlargesTheFontsAndIsRemembered)
{
    const QString file = m_dir.filePath(u"settings.ini"_s);
    qreal normalNavigation = 0;
    qreal normalWindow = 0;
    {
        wps::ui::MainWindow window;
        window.setSettingsFile(file);
        window.restoreLayout();
        EXPECT_FALSE(window.presentationMode());
        QAction *toggle = window.action(u"actionPresentation"_s);
        ASSERT_NE(toggle, nullptr);
        EXPECT_EQ(toggle->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
        auto *navigation = window.findChild<QListWidget *>(u"navigation"_s);
        normalNavigation = navigation->font().pointSizeF();
        normalWindow = window.font().pointSizeF();
        toggle->trigger();
        EXPECT_TRUE(window.presentationMode());
        // The window's font and the explicitly set ones (navigation, headings) grow alike.
        EXPECT_GT(window.font().pointSizeF(), normalWindow * 1.2);
        EXPECT_GT(navigation->font().pointSizeF(), normalNavigation * 1.2);
        EXPECT_GT(window.statusBar()->font().pointSizeF(), normalWindow * 1.2);
        window.saveLayout();
    }
    {
        wps::ui::MainWindow again;
        again.setSettingsFile(file);
        again.restoreLayout();
        EXPECT_TRUE(again.presentationMode());
        EXPECT_TRUE(again.action(u"actionPresentation"_s)->isChecked());
        EXPECT_GT(again.font().pointSizeF(), normalWindow * 1.2);
        again.action(u"actionPresentation"_s)->trigger(); // and back
        EXPECT_FALSE(again.presentationMode());
        EXPECT_EQ(again.font().pointSizeF(), normalWindow);
        EXPECT_EQ(again.findChild<QListWidget *>(u"navigation"_s)->font().pointSizeF(), normalNavigation);
    }
}

} // namespace
