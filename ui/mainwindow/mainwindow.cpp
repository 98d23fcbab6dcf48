#include "mainwindow/mainwindow.h"

#include "mainwindow/hubselector.h"
#include "panels/groups/groupspanel.h"
#include "panels/messaging/messagingpanel.h"
#include "panels/overview/overviewpanel.h"
#include "panels/permissions/permissionspanel.h"
#include "panels/placeholder/placeholderpanel.h"
#include "panels/token/tokenpanel.h"
#include "service/serviceclient.h"

#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_navigation(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_connectionLabel(new QLabel(this))
    , m_overview(new OverviewPanel(this))
    , m_tokens(new TokenPanel(this))
    , m_messaging(new MessagingPanel(this))
    , m_groups(new GroupsPanel(this))
    , m_permissions(new PermissionsPanel(this))
    , m_hubSelector(new HubSelector(this))
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
    addPanel(tr("Messaging"), m_messaging);
    addPanel(tr("Groups & users"), m_groups);
    addPanel(tr("Permissions"), m_permissions);
    addPanel(tr("Connections"), new PlaceholderPanel(tr("Connections"),
                                                     tr("Live connections with their users, groups and "
                                                        "permissions; send to and close a connection."),
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

    auto *toolbar = addToolBar(tr("Hub"));
    toolbar->setObjectName(u"hubToolbar"_s);
    toolbar->setMovable(false);
    toolbar->addWidget(m_hubSelector);
    connect(m_hubSelector, &HubSelector::hubChanged, this, &MainWindow::rebuildClient);

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
    m_connection = connection;
    rebuildClient();
    statusBar()->showMessage(tr("Connected to the %1.").arg(origin), 5000);
}

void MainWindow::rebuildClient()
{
    if (m_client)
        m_client->deleteLater(); // its running jobs go with it; the panels forget them below
    m_client = nullptr;
    if (m_connection)
        m_client = new wps::service::ServiceClient(*m_connection, m_hubSelector->hub(), this);
    m_messaging->setClient(m_client);
    m_groups->setClient(m_client);
    m_permissions->setClient(m_client);
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
