// MainWindow's menus and toolbar, with an action and a shortcut for every frequent task, and the dialogs
// they open (import from the clipboard, the shortcut sheet, the user guide, About).
#include "mainwindow/hubselector.h"
#include "mainwindow/mainwindow.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QScrollBar>
#include <QStatusBar>
#include <QTableWidget>
#include <QTextBrowser>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {

const auto kUserGuideFile = u"user-guide.html"_s;

/// The platform's standard key for \a key, or \a fallback where the platform has none (offscreen, some
/// desktops): every frequent action keeps a shortcut.
QKeySequence standardKey(QKeySequence::StandardKey key, const QKeySequence &fallback)
{
    const QKeySequence sequence(key);
    return sequence.isEmpty() ? fallback : sequence;
}

/// A window action named \a name (tests and the shortcut sheet find it by that name) with shortcut \a key.
QAction *makeAction(QMainWindow *window, const QString &name, const QString &text,
                    const QKeySequence &key = {})
{
    auto *action = new QAction(text, window);
    action->setObjectName(name);
    if (!key.isEmpty())
        action->setShortcut(key);
    window->addAction(action); // shortcuts work while the menu bar is hidden (full screen)
    return action;
}

} // namespace

void MainWindow::buildMenus()
{
    buildFileMenu();
    buildViewMenu();
    buildConnectionMenu();
    buildHelpMenu();
    buildToolbar();
}

void MainWindow::buildFileMenu()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    auto *newWindow = makeAction(this, u"actionNewWindow"_s, tr("&New window"),
                                 standardKey(QKeySequence::New, QKeySequence(Qt::CTRL | Qt::Key_N)));
    connect(newWindow, &QAction::triggered, this, &MainWindow::newWindowRequested);
    auto *openProfile = makeAction(this, u"actionOpenProfile"_s, tr("&Open profile in new window…"),
                                   standardKey(QKeySequence::Open, QKeySequence(Qt::CTRL | Qt::Key_O)));
    connect(openProfile, &QAction::triggered, this, &MainWindow::openProfileRequested);
    auto *import =
        makeAction(this, u"actionImportClipboard"_s, tr("&Import connection string from clipboard"),
                   QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
    connect(import, &QAction::triggered, this, &MainWindow::importFromClipboard);
    auto *closeWindow = makeAction(this, u"actionCloseWindow"_s, tr("&Close window"),
                                   standardKey(QKeySequence::Close, QKeySequence(Qt::CTRL | Qt::Key_W)));
    connect(closeWindow, &QAction::triggered, this, &QWidget::close);
    auto *quit = makeAction(this, u"actionQuit"_s, tr("&Quit"),
                            standardKey(QKeySequence::Quit, QKeySequence(Qt::CTRL | Qt::Key_Q)));
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, qApp, &QApplication::closeAllWindows, Qt::QueuedConnection);
    file->addActions({newWindow, openProfile, import});
    file->addSeparator();
    file->addActions({closeWindow, quit});
}

void MainWindow::buildViewMenu()
{
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_panelsMenu = m_viewMenu->addMenu(tr("&Panels"));
    m_docksMenu = m_viewMenu->addMenu(tr("&Docks"));
    m_viewMenu->addSeparator();
    auto *reset = makeAction(this, u"actionResetLayout"_s, tr("&Reset layout"));
    connect(reset, &QAction::triggered, this, &MainWindow::resetLayout);
    const QKeySequence fullScreenKey = standardKey(QKeySequence::FullScreen, QKeySequence(Qt::Key_F11));
    auto *fullScreen = makeAction(this, u"actionFullScreen"_s, tr("&Full screen"), fullScreenKey);
    fullScreen->setCheckable(true);
    connect(fullScreen, &QAction::toggled, this, [this](bool on) {
        setWindowState(on ? (windowState() | Qt::WindowFullScreen) : (windowState() & ~Qt::WindowFullScreen));
    });
    auto *presentation = makeAction(this, u"actionPresentation"_s, tr("&Presentation"),
                                    QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    presentation->setCheckable(true);
    presentation->setToolTip(tr("Larger fonts across the window, for a projector"));
    connect(presentation, &QAction::toggled, this, &MainWindow::setPresentationMode);
    m_viewMenu->addActions({reset, fullScreen, presentation});
}

void MainWindow::buildConnectionMenu()
{
    QMenu *connection = menuBar()->addMenu(tr("&Connection"));
    auto *reconnect = makeAction(this, u"actionReconnect"_s, tr("&Reconnect"),
                                 standardKey(QKeySequence::Refresh, QKeySequence(Qt::Key_F5)));
    connect(reconnect, &QAction::triggered, this, &MainWindow::reconnectRequested);
    connect(reconnect, &QAction::triggered, this, &MainWindow::reopen);
    auto *local = makeAction(this, u"actionStartEmulator"_s, tr("Use the &local emulator"),
                             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    local->setEnabled(false); // until setLocalService()
    connect(local, &QAction::triggered, this, &MainWindow::startLocalEmulator);
    auto *cancel = makeAction(this, u"actionCancelConnect"_s, tr("&Cancel connecting"));
    cancel->setEnabled(false); // while an open runs
    connect(cancel, &QAction::triggered, this, [this] { m_session->cancelOpen(); });
    connection->addActions({reconnect, local, cancel});
}

void MainWindow::buildHelpMenu()
{
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    auto *shortcuts = makeAction(this, u"actionShortcuts"_s, tr("&Keyboard shortcuts"),
                                 QKeySequence(Qt::CTRL | Qt::Key_Slash));
    connect(shortcuts, &QAction::triggered, this, &MainWindow::showShortcutSheet);
    auto *guide = makeAction(this, u"actionUserGuide"_s, tr("&User guide"),
                             standardKey(QKeySequence::HelpContents, QKeySequence(Qt::Key_F1)));
    connect(guide, &QAction::triggered, this, &MainWindow::showUserGuide);
    auto *about = makeAction(this, u"actionAbout"_s, tr("&About Web PubSub Console"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
    help->addActions({shortcuts, guide, about});
}

void MainWindow::buildToolbar()
{
    auto *toolbar = addToolBar(tr("Main toolbar"));
    toolbar->setObjectName(u"mainToolbar"_s);
    toolbar->setMovable(false);
    toolbar->addWidget(m_hubSelector);
    toolbar->addSeparator();
    toolbar->addActions(
        {action(u"actionReconnect"_s), action(u"actionImportClipboard"_s), action(u"actionStartEmulator"_s)});
}

QAction *MainWindow::action(const QString &objectName) const
{
    return findChild<QAction *>(objectName);
}

QList<QAction *> MainWindow::shortcutActions() const
{
    QList<QAction *> result;
    const QList<QAction *> all = actions();
    for (QAction *action : all) {
        if (!action->shortcut().isEmpty())
            result.append(action);
    }
    return result;
}

void MainWindow::importFromClipboard()
{
    const QString text = QGuiApplication::clipboard()->text().trimmed();
    auto connection = wps::ConnectionString::parse(text);
    if (!connection) {
        // The clipboard may hold a secret: say what is wrong, never echo it.
        statusBar()->showMessage(
            tr("The clipboard does not hold a Web PubSub connection string: %1").arg(connection.error()),
            8000);
        return;
    }
    ConsoleSession::OpenRequest request;
    request.connection = *connection;
    request.origin = tr("connection string from the clipboard");
    m_session->open(request);
}

void MainWindow::showShortcutSheet()
{
    if (m_shortcutSheet) {
        m_shortcutSheet->raise();
        m_shortcutSheet->activateWindow();
        return;
    }
    auto *sheet = new QDialog(this);
    sheet->setObjectName(u"shortcutSheet"_s);
    sheet->setAttribute(Qt::WA_DeleteOnClose);
    sheet->setModal(false);
    sheet->setWindowTitle(tr("Keyboard shortcuts"));
    const QList<QAction *> actions = shortcutActions();
    auto *table = new QTableWidget(int(actions.size()), 2, sheet);
    table->setObjectName(u"shortcutTable"_s);
    table->setHorizontalHeaderLabels({tr("Action"), tr("Shortcut")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    for (int row = 0; row < actions.size(); ++row) {
        QString text = actions.at(row)->text();
        text.remove(u'&');
        table->setItem(row, 0, new QTableWidgetItem(text));
        table->setItem(row, 1,
                       new QTableWidgetItem(actions.at(row)->shortcut().toString(QKeySequence::NativeText)));
    }
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, sheet);
    connect(buttons, &QDialogButtonBox::rejected, sheet, &QDialog::close);
    auto *layout = new QVBoxLayout(sheet);
    layout->addWidget(table);
    layout->addWidget(buttons);
    // Wide enough for the longest action and shortcut (plus the scroll bar), never wider than the screen.
    const int em = fontMetrics().horizontalAdvance(u'M');
    const int contentWidth = table->horizontalHeader()->length() + table->frameWidth() * 2 +
                             table->verticalScrollBar()->sizeHint().width() + 3 * em;
    QSize size(std::max(34 * em, contentWidth), 30 * fontMetrics().height());
    if (const QScreen *target = screen())
        size = size.boundedTo(target->availableGeometry().size() * 9 / 10);
    sheet->resize(size);
    m_shortcutSheet = sheet;
    sheet->show();
}

QString MainWindow::userGuidePath()
{
    // Installed: <prefix>/bin/webpubsub-console and <prefix>/share/webpubsub-console/help; the build tree has
    // the same layout (app/ and share/); a Windows or macOS bundle keeps it next to the executable.
    const QString appDir = QCoreApplication::applicationDirPath();
    const QStringList candidates = {appDir + u"/../share/webpubsub-console/help/"_s, appDir + u"/help/"_s,
                                    appDir + u"/../Resources/help/"_s};
    for (const QString &dir : candidates) {
        const QFileInfo file(dir + kUserGuideFile);
        if (file.isFile())
            return file.canonicalFilePath();
    }
    return QString();
}

void MainWindow::showUserGuide()
{
    if (m_userGuide) {
        m_userGuide->show();
        m_userGuide->raise();
        m_userGuide->activateWindow();
        return;
    }
    auto *dialog = new QDialog(this);
    dialog->setObjectName(u"userGuide"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setModal(false);
    dialog->setWindowTitle(tr("User guide — Web PubSub Console"));
    auto *browser = new QTextBrowser(dialog);
    browser->setObjectName(u"userGuideBrowser"_s);
    browser->setOpenExternalLinks(true);
    const QString path = userGuidePath();
    if (path.isEmpty()) {
        browser->setHtml(tr("<h3>The user guide is not installed</h3><p>It is looked for as "
                            "<code>share/webpubsub-console/help/%1</code> next to the application (%2). "
                            "Reinstall the package, or build the <code>wps_user_guide</code> target.</p>")
                             .arg(kUserGuideFile, QCoreApplication::applicationDirPath().toHtmlEscaped()));
    } else {
        browser->setSearchPaths({QFileInfo(path).absolutePath()});
        browser->setSource(QUrl::fromLocalFile(path));
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(browser);
    layout->addWidget(buttons);
    // As large as the guide's pictures need, never larger than the screen.
    const int em = fontMetrics().horizontalAdvance(u'M');
    QSize size(64 * em, 40 * fontMetrics().height());
    if (const QScreen *target = screen())
        size = size.boundedTo(target->availableGeometry().size() * 9 / 10);
    dialog->resize(size);
    m_userGuide = dialog;
    dialog->show();
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Web PubSub Console"),
        tr("<h3>Web PubSub Console %1</h3><p>A desktop console and local emulator for Azure Web "
           "PubSub.</p><p>Qt %2</p>")
            .arg(QApplication::applicationVersion().toHtmlEscaped(), QString::fromLatin1(qVersion())));
}

} // namespace wps::ui
