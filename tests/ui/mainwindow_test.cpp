// The console window against the real `webpubsub-emulator`: a session drives the panels and the status bar,
// every frequent action has a shortcut and shows in the shortcut sheet, the dock layout survives re-creating
// the window, and a first run opens on the welcome page.
#include "mainwindow/hubselector.h"
#include "mainwindow/mainwindow.h"
#include "panels/groups/groupspanel.h"
#include "panels/welcome/welcomepanel.h"
#include "profiles/profile.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "session/localservice.h"
#include "support/emulatorprocess.h"
#include "support/wait.h"
#include "support/widgets.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;

namespace {

using wps::test::kWaitMs;

QString labelText(const wps::ui::MainWindow &window, const QString &name)
{
    auto *label = window.findChild<QLabel *>(name);
    EXPECT_NE(label, nullptr) << name.toStdString();
    return label ? label->text() : QString();
}

QString currentPanel(const wps::ui::MainWindow &window)
{
    auto *navigation = window.findChild<QListWidget *>(u"navigation"_s);
    return navigation->currentItem() ? navigation->currentItem()->data(Qt::UserRole).toString() : QString();
}

/// The local emulator as the window sees it, over the test's real emulator process (app/ has the embedded
/// one).
class ProcessLocalService : public wps::ui::LocalService
{
public:
    explicit ProcessLocalService(wps::test::EmulatorProcess *process)
        : m_process(process)
    {
    }
    void ensureStarted() override
    {
        m_status = Status::Running;
        Q_EMIT statusChanged();
        QMetaObject::invokeMethod(
            this, [this] { Q_EMIT started(m_process->connectionString()); }, Qt::QueuedConnection);
    }
    Status status() const override { return m_status; }
    std::optional<wps::ConnectionString> connectionString() const override
    {
        return m_process->connectionString();
    }
    QString statusText() const override
    {
        return m_status == Status::Running ? u"Emulator on %1"_s.arg(m_process->endpoint().authority())
                                           : u"Emulator stopped"_s;
    }

private:
    wps::test::EmulatorProcess *m_process;
    Status m_status = Status::Stopped;
};

class MainWindowTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(m_emulator.start()) << m_emulator.errorText().toStdString(); }

    wps::test::EmulatorProcess m_emulator;
};

} // namespace

TEST_F(MainWindowTest, SessionDrivesPanelsAndStatusBar)
{
    wps::ui::ConsoleSession session;
    wps::ui::MainWindow window(&session);
    EXPECT_EQ(window.serviceClient(), nullptr);
    EXPECT_TRUE(labelText(window, u"statusState"_s).contains(u"Not connected"_s));

    session.setProfileName(u"Dev hub"_s);
    window.setConnection(m_emulator.connectionString(), u"emulator"_s);
    ASSERT_NE(window.serviceClient(), nullptr);
    EXPECT_EQ(window.serviceClient(), session.client());
    EXPECT_EQ(labelText(window, u"statusEndpoint"_s), m_emulator.endpoint().toString());
    EXPECT_TRUE(labelText(window, u"statusHub"_s).contains(u"chat"_s));
    EXPECT_TRUE(labelText(window, u"statusProfile"_s).contains(u"Dev hub"_s));
    // Connected only once the check answered.
    EXPECT_TRUE(QTest::qWaitFor([&] { return labelText(window, u"statusState"_s).contains(u"Connected"_s); },
                                kWaitMs))
        << labelText(window, u"statusState"_s).toStdString();
    EXPECT_TRUE(window.windowTitle().contains(u"Dev hub"_s));

    // The hub box drives the session, and the session's client really talks to the emulator.
    EXPECT_TRUE(window.hubSelector()->setHub(u"other"_s));
    EXPECT_EQ(session.hub(), u"other"_s);
    EXPECT_EQ(window.serviceClient()->hub(), u"other"_s);
    EXPECT_TRUE(labelText(window, u"statusHub"_s).contains(u"other"_s));
    auto *job = window.serviceClient()->groupExists(u"nobody-here"_s);
    QSignalSpy finished(job, &wps::service::ServiceJob::finished);
    ASSERT_TRUE(finished.wait(kWaitMs));
    EXPECT_FALSE(job->hasError()) << job->error().toString().toStdString();
    EXPECT_FALSE(job->exists());

    // ...and the other way round: a hub set on the session shows in the box.
    session.setHub(u"third"_s);
    EXPECT_EQ(window.hubSelector()->hub(), u"third"_s);

    window.setConnectionError(u"refused"_s);
    EXPECT_TRUE(labelText(window, u"statusState"_s).contains(u"Not connected"_s));
    EXPECT_EQ(window.serviceClient(), nullptr);
}

TEST_F(MainWindowTest, CloseAllAsksForTheHubNameOnlyOffTheLocalEmulatorProfile)
{
    wps::ui::ConsoleSession session;
    wps::ui::MainWindow window(&session);
    auto *groups = window.findChild<wps::ui::GroupsPanel *>();
    ASSERT_NE(groups, nullptr);
    // Whether the hub name must be typed, as the window decided it for the profile opened as \a profileId.
    auto asksForHubName = [&](const QString &profileId) {
        wps::ui::ConsoleSession::OpenRequest request;
        request.connection = m_emulator.connectionString();
        request.origin = u"test"_s;
        request.profileId = profileId;
        QSignalSpy opened(&session, &wps::ui::ConsoleSession::openFinished);
        session.open(request);
        EXPECT_TRUE(opened.wait(kWaitMs));
        bool seen = false, typed = false;
        wps::test::onDialog(
            u"confirmDialog"_s,
            [&](QDialog *dialog) {
                typed = dialog->findChild<QLineEdit *>(u"confirmHubName"_s) != nullptr;
                dialog->reject();
            },
            &seen);
        auto *closeAll = groups->findChild<QPushButton *>(u"closeAll"_s);
        EXPECT_NE(closeAll, nullptr);
        if (closeAll)
            closeAll->click();
        EXPECT_TRUE(QTest::qWaitFor([&] { return seen; }, kWaitMs));
        return typed;
    };
    EXPECT_FALSE(asksForHubName(wps::profiles::Profile::localEmulatorId()));
    EXPECT_TRUE(asksForHubName(u"a-cloud-profile"_s));
}

TEST_F(MainWindowTest, MenusHaveShortcutsAndTheSheetListsThem)
{
    wps::ui::MainWindow window;
    window.setConnection(m_emulator.connectionString(), u"emulator"_s);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));

    ASSERT_NE(window.action(u"actionQuit"_s), nullptr);
    // The platform's standard keys, with Ctrl+Q / Ctrl+N where the platform (offscreen) has none.
    const QKeySequence quit(QKeySequence::Quit);
    EXPECT_EQ(window.action(u"actionQuit"_s)->shortcut(),
              quit.isEmpty() ? QKeySequence(Qt::CTRL | Qt::Key_Q) : quit);
    EXPECT_FALSE(window.action(u"actionNewWindow"_s)->shortcut().isEmpty());
    EXPECT_FALSE(window.action(u"actionFullScreen"_s)->shortcut().isEmpty());
    EXPECT_FALSE(window.action(u"actionReconnect"_s)->shortcut().isEmpty());
    for (const QString &name : {u"actionImportClipboard"_s, u"actionResetLayout"_s, u"actionStartEmulator"_s,
                                u"actionUserGuide"_s, u"actionAbout"_s, u"actionOpenProfile"_s})
        EXPECT_NE(window.action(name), nullptr) << name.toStdString();
    EXPECT_NE(window.action(u"actionDock_trace"_s), nullptr);

    // Ctrl+N is the N-th panel of the navigation list (Welcome, Overview, Messaging ...), through the real
    // key event; a panel inserted later renumbers the ones after it.
    EXPECT_EQ(window.action(u"actionPanel_messaging"_s)->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_3));
    QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
    EXPECT_EQ(currentPanel(window), u"messaging"_s);
    window.addPanel(u"extra"_s, u"Extra"_s, new QWidget(&window), wps::ui::MainWindow::Area::Workspace,
                    u"overview"_s);
    EXPECT_EQ(window.action(u"actionPanel_extra"_s)->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_2));
    EXPECT_EQ(window.action(u"actionPanel_messaging"_s)->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_4));
    window.showPanel(u"extra"_s);
    EXPECT_EQ(currentPanel(window), u"extra"_s);

    QSignalSpy reconnect(&window, &wps::ui::MainWindow::reconnectRequested);
    window.action(u"actionReconnect"_s)->trigger();
    EXPECT_EQ(reconnect.count(), 1);

    window.action(u"actionShortcuts"_s)->trigger();
    auto *table = window.findChild<QTableWidget *>(u"shortcutTable"_s);
    ASSERT_NE(table, nullptr);
    EXPECT_FALSE(table->window()->isModal());
    EXPECT_EQ(table->rowCount(), window.shortcutActions().size());
    EXPECT_GE(table->rowCount(), 12);
    QStringList shortcuts;
    for (int row = 0; row < table->rowCount(); ++row)
        shortcuts << table->item(row, 1)->text();
    EXPECT_TRUE(
        shortcuts.contains(window.action(u"actionQuit"_s)->shortcut().toString(QKeySequence::NativeText)));
    // The sheet is wide enough for its text: both columns show in full, no horizontal scrolling.
    table->window()->show();
    QApplication::processEvents();
    EXPECT_GE(table->viewport()->width(), table->horizontalHeader()->length());
    EXPECT_EQ(table->horizontalScrollBar()->maximum(), 0);
}

TEST_F(MainWindowTest, UserGuideOpensOfflineInTheBuiltInViewer)
{
    wps::ui::MainWindow window;
    QAction *guide = window.action(u"actionUserGuide"_s);
    ASSERT_NE(guide, nullptr);
    EXPECT_FALSE(guide->shortcut().isEmpty()); // F1 or the platform's help key
    // The guide generated from docs/user-guide.md at build time, laid out as installed (share/...).
    const QString path = wps::ui::MainWindow::userGuidePath();
    ASSERT_FALSE(path.isEmpty()) << "build the wps_user_guide target";
    EXPECT_TRUE(path.endsWith(u"share/webpubsub-console/help/user-guide.html"_s)) << path.toStdString();
    guide->trigger();
    auto *browser = window.findChild<QTextBrowser *>(u"userGuideBrowser"_s);
    ASSERT_NE(browser, nullptr);
    EXPECT_EQ(browser->source(), QUrl::fromLocalFile(path)); // a local file, not a web address
    const QString text = browser->toPlainText();
    EXPECT_TRUE(text.contains(u"User guide"_s));
    EXPECT_TRUE(text.contains(u"Troubleshooting recipes"_s));
    // Markdown was converted, not shown raw: "* **Menus.** File: ..." reads as a list item in bold.
    EXPECT_TRUE(text.contains(u"Menus. File:"_s));
    EXPECT_FALSE(text.contains(u"**Menus.**"_s));
    // Its pictures load from beside the page.
    const QVariant picture =
        browser->loadResource(QTextDocument::ImageResource, QUrl(u"screenshots/hubs.png"_s));
    EXPECT_TRUE(picture.isValid() && !picture.toByteArray().isEmpty());
    // F1 again raises the same viewer instead of opening a second one.
    guide->trigger();
    EXPECT_EQ(window.findChildren<QTextBrowser *>(u"userGuideBrowser"_s).size(), 1);
}

TEST_F(MainWindowTest, HiddenDockStaysHiddenAfterRecreatingTheWindow)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString settings = dir.filePath(u"layout.ini"_s);
    {
        wps::ui::MainWindow window;
        window.setSettingsFile(settings);
        window.restoreLayout();
        window.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
        ASSERT_NE(window.dock(u"liveclients"_s), nullptr);
        EXPECT_TRUE(window.dock(u"liveclients"_s)->toggleViewAction()->isChecked());
        window.action(u"actionDock_liveclients"_s)->trigger(); // View > Docks > Live clients off
        EXPECT_TRUE(window.dock(u"liveclients"_s)->isHidden());
        window.close(); // saves
    }
    wps::ui::MainWindow again;
    again.setSettingsFile(settings);
    again.restoreLayout();
    again.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&again));
    EXPECT_TRUE(again.dock(u"liveclients"_s)->isHidden());
    EXPECT_FALSE(again.dock(u"trace"_s)->isHidden());
    EXPECT_FALSE(again.dock(u"liveclients"_s)->toggleViewAction()->isChecked());

    again.action(u"actionResetLayout"_s)->trigger();
    EXPECT_FALSE(again.dock(u"liveclients"_s)->isHidden());
}

TEST_F(MainWindowTest, FirstRunShowsTheWelcomePageAndItsButtonsWork)
{
    wps::ui::MainWindow window;
    ProcessLocalService local(&m_emulator);
    window.setLocalService(&local);
    EXPECT_TRUE(window.findChild<QLabel *>(u"statusEmulator"_s)->isHidden()); // not in play yet
    window.setFirstRun(true);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    EXPECT_EQ(currentPanel(window), u"welcome"_s);
    auto *pages = window.findChild<QStackedWidget *>(u"pages"_s);
    ASSERT_NE(pages, nullptr);
    // Every page sits in a scroll area, so a small screen scrolls it instead of clipping it.
    auto *page = qobject_cast<QScrollArea *>(pages->currentWidget());
    ASSERT_NE(page, nullptr);
    ASSERT_NE(page->widget(), nullptr);
    EXPECT_TRUE(page->widget()->isAncestorOf(window.welcomePanel())); // under the page's shared heading

    // Connection > Use the local emulator: the session connects, the welcome page and status bar say so.
    window.action(u"actionStartEmulator"_s)->trigger();
    EXPECT_TRUE(QTest::qWaitFor([&] { return window.serviceClient() != nullptr; }, kWaitMs));
    EXPECT_EQ(window.session()->endpoint(), m_emulator.endpoint());
    EXPECT_TRUE(labelText(window, u"statusEmulator"_s).contains(m_emulator.endpoint().authority()));
    auto *state = window.welcomePanel()->findChild<QLabel *>(u"welcomeState"_s);
    ASSERT_NE(state, nullptr);
    EXPECT_TRUE(state->text().contains(m_emulator.endpoint().toString())) << state->text().toStdString();

    QSignalSpy demo(&window, &wps::ui::MainWindow::demoRequested);
    window.welcomePanel()->findChild<QPushButton *>(u"startDemo"_s)->click();
    EXPECT_EQ(demo.count(), 1);
    window.welcomePanel()->findChild<QPushButton *>(u"openMessaging"_s)->click();
    EXPECT_EQ(currentPanel(window), u"messaging"_s);

    wps::ui::MainWindow notFirst;
    notFirst.setFirstRun(false);
    EXPECT_EQ(currentPanel(notFirst), u"overview"_s);
}

// The window under a dark Fusion palette (also at 2x with QT_SCALE_FACTOR=2): nothing paints a hard-coded
// light background. scripts/screenshots shoots docs/screenshots/window-dark.png the same way.
TEST_F(MainWindowTest, FollowsADarkPalette)
{
    const QPalette original = QApplication::palette();
    QApplication::setStyle(u"Fusion"_s);
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
    QApplication::setPalette(dark);
    {
        wps::ui::MainWindow window;
        window.setConnection(m_emulator.connectionString(), u"local emulator"_s);
        window.setFirstRun(true);
        window.resize(1100, 720);
        window.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
        const QImage image = window.grab().toImage();
        // The navigation list and the page background are dark, like the palette.
        auto *navigation = window.findChild<QListWidget *>(u"navigation"_s);
        const QPoint inList =
            navigation->mapTo(&window, QPoint(navigation->width() / 2, navigation->height() - 10));
        const qreal ratio = image.devicePixelRatio();
        EXPECT_LT(image.pixelColor((inList * ratio)).lightness(), 100);
    }
    QApplication::setPalette(original);
}
