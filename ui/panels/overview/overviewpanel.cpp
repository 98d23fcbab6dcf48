#include "panels/overview/overviewpanel.h"

#include "panels/common/pageheading.h"
#include "session/consolesession.h"

#include <QApplication>
#include <QClipboard>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {
QLineEdit *readOnlyField(QWidget *parent, const QString &name)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(name);
    edit->setReadOnly(true);
    return edit;
}
} // namespace

OverviewPanel::OverviewPanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_origin(new QLabel(this))
    , m_error(new QLabel(this))
    , m_endpoint(readOnlyField(this, u"endpoint"_s))
    , m_restBase(readOnlyField(this, u"restApi"_s))
    , m_clientBase(readOnlyField(this, u"clientWebSocket"_s))
    , m_connectionString(readOnlyField(this, u"connectionString"_s))
    , m_reveal(new QPushButton(tr("Show"), this))
    , m_copy(new QPushButton(tr("Copy"), this))
    , m_nextSteps(new QLabel(this))
{
    buildUi();
    wire();
    onConnectionChanged();
}

void OverviewPanel::buildUi()
{
    m_origin->setObjectName(u"origin"_s);
    m_error->setObjectName(u"error"_s);
    m_reveal->setObjectName(u"reveal"_s);
    m_copy->setObjectName(u"copy"_s);
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

    m_nextSteps->setObjectName(QStringLiteral("nextSteps"));
    m_nextSteps->setWordWrap(true);
    m_nextSteps->setTextFormat(Qt::RichText);
    updateNextSteps();
    layout->addSpacing(12);
    layout->addWidget(m_nextSteps);
    layout->addStretch();

    m_reveal->setCheckable(true);
    m_reveal->setEnabled(false);
    m_copy->setEnabled(false);
    m_copy->setToolTip(tr("Copy the connection string, access key included, to the clipboard"));
}

void OverviewPanel::wire()
{
    connect(m_reveal, &QPushButton::toggled, this, [this](bool shown) {
        m_reveal->setText(shown ? tr("Hide") : tr("Show"));
        updateConnectionStringField();
    });
    connect(m_copy, &QPushButton::clicked, this, [this] {
        if (m_connection)
            QApplication::clipboard()->setText(m_connection->toString());
    });
    if (m_session)
        connect(m_session, &ConsoleSession::connectionChanged, this, &OverviewPanel::onConnectionChanged);
}

void OverviewPanel::onConnectionChanged()
{
    if (!m_session)
        return;
    if (m_session->state() == ConsoleSession::State::Connected)
        showConnection();
    else if (m_session->state() == ConsoleSession::State::Failed)
        setError(m_session->stateText());
}

void OverviewPanel::showConnection()
{
    m_connection = m_session->connectionString();
    const QUrl endpoint = m_session->endpoint();
    QUrl webSocket = endpoint;
    webSocket.setScheme(endpoint.scheme() == u"https" ? u"wss"_s : u"ws"_s);
    m_error->hide();
    m_origin->setText(
        tr("Connected to the %1. Everything in this console speaks the service's own protocols, "
           "so it works the same against a Web PubSub resource in Azure.")
            .arg(m_session->origin()));
    m_endpoint->setText(endpoint.toString());
    m_restBase->setText(endpoint.toString() + QStringLiteral("/api/hubs/{hub}"));
    m_clientBase->setText(webSocket.toString() + QStringLiteral("/client/hubs/{hub}"));
    if (!m_connection)
        m_reveal->setChecked(false);
    m_reveal->setEnabled(m_connection.has_value());
    m_copy->setEnabled(m_connection.has_value());
    updateConnectionStringField();
    updateNextSteps();
}

void OverviewPanel::updateNextSteps()
{
    // The command line takes the same connection: the connection string from the environment, or the
    // endpoint with Entra ID (the CLI's --endpoint).
    const bool entra = m_session && m_session->state() == ConsoleSession::State::Connected && !m_connection;
    const QString terminal =
        entra
            ? tr("<code>webpubsub --endpoint %1 --hub chat send-to-all --text hello</code> (signed in "
                 "with Entra ID as the console is).")
                  .arg(m_session->endpoint().toString().toHtmlEscaped())
            : tr("<code>webpubsub --hub chat send-to-all --text hello</code> (with the connection string in "
                 "<code>WEBPUBSUB_CONNECTION_STRING</code>).");
    m_nextSteps->setText(
        tr("<h3>Next steps</h3>"
           "<ul>"
           "<li><b>Client tokens</b>: sign a client URL for a user, roles and groups, and open it with any "
           "WebSocket client or Web PubSub SDK.</li>"
           "<li>From a terminal, the same operations as the REST API: %1</li>"
           "<li>Any official SDK works against this endpoint; the JavaScript service SDK needs "
           "<code>allowInsecureConnection: true</code> for http.</li>"
           "</ul>")
            .arg(terminal));
}

void OverviewPanel::setError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

void OverviewPanel::updateConnectionStringField()
{
    if (!m_connection) {
        m_connectionString->setText(
            m_session && m_session->state() == ConsoleSession::State::Connected
                ? tr("None: this connection signs in with Microsoft Entra ID, no access key is used")
                : QString());
        return;
    }
    m_connectionString->setText(m_reveal->isChecked() ? m_connection->toString()
                                                      : m_connection->toRedactedString());
}

} // namespace wps::ui
