#include "panels/overview/overviewpanel.h"

#include "panels/common/pageheading.h"

#include <QApplication>
#include <QClipboard>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace wps::ui {

namespace {
QLineEdit *readOnlyField(QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setReadOnly(true);
    return edit;
}
} // namespace

OverviewPanel::OverviewPanel(QWidget *parent)
    : QWidget(parent)
    , m_origin(new QLabel(this))
    , m_error(new QLabel(this))
    , m_endpoint(readOnlyField(this))
    , m_restBase(readOnlyField(this))
    , m_clientBase(readOnlyField(this))
    , m_connectionString(readOnlyField(this))
    , m_reveal(new QPushButton(tr("Show"), this))
    , m_copy(new QPushButton(tr("Copy"), this))
{
    auto *layout = new QVBoxLayout(this);
    setPagePurpose(this, tr("The service this window works on: its endpoint, REST and client URLs, and "
                            "connection string."));
    m_origin->setWordWrap(true);
    layout->addWidget(m_origin);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #a4262c;"));
    m_error->hide();
    layout->addWidget(m_error);

    auto *form = new QFormLayout();
    form->addRow(tr("Endpoint"), m_endpoint);
    form->addRow(tr("REST API"), m_restBase);
    form->addRow(tr("Client WebSocket"), m_clientBase);
    auto *csRow = new QHBoxLayout();
    csRow->addWidget(m_connectionString, 1);
    csRow->addWidget(m_reveal);
    csRow->addWidget(m_copy);
    form->addRow(tr("Connection string"), csRow);
    layout->addLayout(form);

    auto *nextSteps = new QLabel(this);
    nextSteps->setObjectName(QStringLiteral("nextSteps"));
    nextSteps->setWordWrap(true);
    nextSteps->setTextFormat(Qt::RichText);
    nextSteps->setText(
        tr("<h3>Next steps</h3>"
           "<ul>"
           "<li><b>Client tokens</b>: sign a client URL for a user, roles and groups, and open it with any "
           "WebSocket client or Web PubSub SDK.</li>"
           "<li>From a terminal, the same operations as the REST API: "
           "<code>webpubsub --hub chat send-to-all --text hello</code> (with the connection string in "
           "<code>WEBPUBSUB_CONNECTION_STRING</code>).</li>"
           "<li>Any official SDK works against this endpoint; the JavaScript service SDK needs "
           "<code>allowInsecureConnection: true</code> for http.</li>"
           "</ul>"));
    layout->addSpacing(12);
    layout->addWidget(nextSteps);
    layout->addStretch();

    m_reveal->setCheckable(true);
    m_reveal->setEnabled(false);
    m_copy->setEnabled(false);
    m_copy->setToolTip(tr("Copy the connection string, access key included, to the clipboard"));
    connect(m_reveal, &QPushButton::toggled, this, [this](bool shown) {
        m_reveal->setText(shown ? tr("Hide") : tr("Show"));
        updateConnectionStringField();
    });
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_connection.toString()); });
}

void OverviewPanel::setConnection(const wps::ConnectionString &connection, const QString &origin)
{
    m_connection = connection;
    m_error->hide();
    m_origin->setText(
        tr("Connected to the %1. Everything in this console speaks the service's own protocols, "
           "so it works the same against a Web PubSub resource in Azure.")
            .arg(origin));
    m_endpoint->setText(connection.endpoint().toString());
    m_restBase->setText(connection.endpoint().toString() + QStringLiteral("/api/hubs/{hub}"));
    m_clientBase->setText(connection.webSocketEndpoint().toString() + QStringLiteral("/client/hubs/{hub}"));
    m_reveal->setEnabled(true);
    m_copy->setEnabled(true);
    updateConnectionStringField();
}

void OverviewPanel::setError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

void OverviewPanel::updateConnectionStringField()
{
    m_connectionString->setText(m_reveal->isChecked() ? m_connection.toString()
                                                      : m_connection.toRedactedString());
}

} // namespace wps::ui
