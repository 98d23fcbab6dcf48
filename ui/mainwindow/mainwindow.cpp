#include "mainwindow/mainwindow.h"

#include "panels/overview/overviewpanel.h"
#include "panels/placeholder/placeholderpanel.h"
#include "panels/token/tokenpanel.h"

#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>

namespace wps::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_navigation(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_connectionLabel(new QLabel(this))
    , m_overview(new OverviewPanel(this))
    , m_tokens(new TokenPanel(this))
{
    setWindowTitle(tr("Web PubSub Console"));
    resize(1100, 700);

    m_navigation->setObjectName(QStringLiteral("navigation"));
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_navigation->setMinimumWidth(170);
    m_navigation->setMaximumWidth(240);
    m_navigation->setSpacing(2);
    m_navigation->setStyleSheet(QStringLiteral("QListWidget#navigation { padding: 6px; }"
                                               "QListWidget#navigation::item { padding: 5px 8px; }"));
    QFont navigationFont = m_navigation->font();
    navigationFont.setPointSizeF(navigationFont.pointSizeF() * 1.1);
    m_navigation->setFont(navigationFont);

    addPanel(tr("Overview"), m_overview);
    addPanel(tr("Groups"), new PlaceholderPanel(tr("Groups"),
                                                tr("Group membership: add and remove connections and users, "
                                                   "check existence, list members page by page."),
                                                this));
    addPanel(tr("Users"), new PlaceholderPanel(tr("Users"),
                                               tr("Send to a user, add a user to groups, close a user's "
                                                  "connections."),
                                               this));
    addPanel(tr("Connections"), new PlaceholderPanel(tr("Connections"),
                                                     tr("Live connections with their users, groups and "
                                                        "permissions; send to and close a connection."),
                                                     this));
    addPanel(tr("Permissions"), new PlaceholderPanel(tr("Permissions"),
                                                     tr("Grant, revoke and check joinLeaveGroup and "
                                                        "sendToGroup for a connection."),
                                                     this));
    addPanel(tr("Client tokens"), m_tokens);
    addPanel(tr("Live clients"), new PlaceholderPanel(tr("Live clients"),
                                                      tr("Connect clients with any Web PubSub subprotocol, "
                                                         "join groups, send and watch messages."),
                                                      this));
    addPanel(tr("Trace"),
             new PlaceholderPanel(tr("Trace"), tr("One timeline of every request, frame and event."), this));

    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_navigation);
    splitter->addWidget(m_pages);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({190, 910});
    m_pages->setContentsMargins(12, 12, 12, 12);
    setCentralWidget(splitter);

    connect(m_navigation, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    m_navigation->setCurrentRow(0);

    statusBar()->addPermanentWidget(m_connectionLabel);
    setConnecting(tr("Starting…"));
}

void MainWindow::showPanel(int index)
{
    if (index >= 0 && index < m_navigation->count())
        m_navigation->setCurrentRow(index);
}

void MainWindow::addPanel(const QString &title, QWidget *panel)
{
    m_navigation->addItem(title);
    m_pages->addWidget(panel);
}

void MainWindow::setConnection(const wps::ConnectionString &connection, const QString &origin)
{
    m_connectionLabel->setText(tr("● %1 — %2").arg(origin, connection.endpoint().toString()));
    m_connectionLabel->setStyleSheet(QStringLiteral("color: #107c10;"));
    m_overview->setConnection(connection, origin);
    m_tokens->setConnection(connection);
    statusBar()->showMessage(tr("Connected to the %1.").arg(origin), 5000);
}

void MainWindow::setConnectionError(const QString &message)
{
    m_connectionLabel->setText(tr("● Not connected"));
    m_connectionLabel->setStyleSheet(QStringLiteral("color: #a4262c;"));
    m_overview->setError(message);
    statusBar()->showMessage(message);
}

void MainWindow::setConnecting(const QString &message)
{
    m_connectionLabel->setText(tr("○ Connecting"));
    m_connectionLabel->setStyleSheet(QString());
    statusBar()->showMessage(message);
}

} // namespace wps::ui
