// MainWindow's navigation and docks: the navigation list beside the stacked pages, adding a panel as a page
// or a dock under the shared heading, and showing a panel.
#include "mainwindow/mainwindow.h"
#include "mainwindow/mainwindow_p.h"
#include "panels/common/pageheading.h"

#include <QAction>
#include <QDockWidget>
#include <QListWidget>
#include <QMenu>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {

/// \a widget in a frameless scroll area that resizes it: a page or dock then asks the window for almost no
/// minimum size, and content that does not fit scrolls instead of being clipped or forcing the window taller
/// than the screen.
QScrollArea *scrollable(QWidget *widget, const QString &name)
{
    auto *area = new QScrollArea;
    area->setObjectName(name);
    area->setFrameShape(QFrame::NoFrame);
    area->setWidgetResizable(true);
    area->setWidget(widget);
    return area;
}

} // namespace

void MainWindow::buildWorkspace()
{
    m_navigation->setObjectName(u"navigation"_s);
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_navigation->setSpacing(2);
    m_navigation->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_navigation->setStyleSheet(u"QListWidget#navigation { padding: 6px; }"
                                "QListWidget#navigation::item { padding: 5px 8px; }"_s);
    QFont navigationFont = m_navigation->font();
    navigationFont.setPointSizeF(navigationFont.pointSizeF() * 1.1);
    m_navigation->setFont(navigationFont);
    // Widths follow the font, so they scale with High-DPI and large fonts.
    const int em = m_navigation->fontMetrics().horizontalAdvance(u'M');
    m_navigation->setMinimumWidth(11 * em);
    m_navigation->setMaximumWidth(18 * em);

    auto *splitter = new QSplitter(this);
    splitter->setObjectName(u"workspaceSplitter"_s);
    splitter->addWidget(m_navigation);
    splitter->addWidget(m_pages);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({13 * em, 60 * em});
    m_pages->setObjectName(u"pages"_s);
    m_pages->setContentsMargins(12, 12, 12, 12);
    setCentralWidget(splitter);
    connect(m_navigation, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
}

void MainWindow::addPanel(const QString &id, const QString &title, QWidget *widget, Area area,
                          const QString &before)
{
    if (m_pageIndex.contains(id) || m_docks.contains(id)) {
        qCWarning(lcWindow) << "panel id used twice:" << id;
        return;
    }
    m_panelOrder.append(id);
    // Every page and dock opens with the same heading: the title the navigation shows and the panel's
    // one-line purpose (docks show the title in their title bar instead).
    if (pagePurpose(widget).isEmpty())
        qCWarning(lcWindow) << "panel without a purpose:" << id;
    auto *framed = new QWidget;
    framed->setObjectName(u"framed_"_s + id);
    auto *frameLayout = new QVBoxLayout(framed);
    frameLayout->setContentsMargins(0, 0, 0, 0);
    auto *heading = new PageHeading(title, pagePurpose(widget), framed);
    heading->setTitleVisible(area == Area::Workspace);
    const int margin = style()->pixelMetric(QStyle::PM_LayoutLeftMargin);
    heading->setContentsMargins(margin, area == Area::Workspace ? margin : margin / 2, margin, 0);
    frameLayout->addWidget(heading);
    frameLayout->addWidget(widget, 1);
    if (area == Area::Workspace)
        addPage(id, title, framed, before);
    else
        addDock(id, title, framed);
}

void MainWindow::addPage(const QString &id, const QString &title, QWidget *framed, const QString &before)
{
    int row = m_navigation->count();
    for (int r = 0; r < m_navigation->count() && !before.isEmpty(); ++r) {
        if (m_navigation->item(r)->data(Qt::UserRole).toString() == before) {
            row = r;
            break;
        }
    }
    auto *item = new QListWidgetItem(title);
    item->setData(Qt::UserRole, id);
    m_navigation->insertItem(row, item);
    // navigation row == page index
    m_pages->insertWidget(row, scrollable(framed, u"page_"_s + id));
    m_pageIndex.insert(id, row);
    auto *action = new QAction(title, this);
    action->setObjectName(u"actionPanel_"_s + id);
    addAction(action);
    connect(action, &QAction::triggered, this, [this, id] { showPanel(id); });
    m_panelsMenu->insertAction(m_panelActions.value(before), action);
    m_panelActions.insert(id, action);
    // Ctrl+1..9 follow the navigation order, whatever order the panels were added in.
    for (int r = 0; r < m_navigation->count(); ++r) {
        QAction *a = m_panelActions.value(m_navigation->item(r)->data(Qt::UserRole).toString());
        if (a)
            a->setShortcut(r < 9 ? QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + r)) : QKeySequence());
    }
}

void MainWindow::addDock(const QString &id, const QString &title, QWidget *framed)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(u"dock_"_s + id);
    dock->setWidget(scrollable(framed, u"dockScroll_"_s + id));
    dock->setAllowedAreas(Qt::BottomDockWidgetArea | Qt::RightDockWidgetArea | Qt::LeftDockWidgetArea);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    if (m_lastDock)
        tabifyDockWidget(m_lastDock, dock);
    m_lastDock = dock;
    m_docks.insert(id, dock);
    QAction *toggle = dock->toggleViewAction();
    toggle->setObjectName(u"actionDock_"_s + id);
    m_docksMenu->addAction(toggle);
}

bool MainWindow::showPanel(const QString &id)
{
    if (const auto page = m_pageIndex.constFind(id); page != m_pageIndex.cend()) {
        for (int row = 0; row < m_navigation->count(); ++row) {
            if (m_navigation->item(row)->data(Qt::UserRole).toString() == id) {
                m_navigation->setCurrentRow(row);
                return true;
            }
        }
    }
    if (QDockWidget *dock = m_docks.value(id)) {
        dock->show();
        dock->raise();
        return true;
    }
    return false;
}

void MainWindow::showPanel(int index)
{
    if (index >= 0 && index < m_navigation->count())
        m_navigation->setCurrentRow(index);
}

} // namespace wps::ui
