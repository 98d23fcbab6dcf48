#include "panels/connections/connectionspanel.h"

#include "panels/common/confirm.h"
#include "panels/common/jobaction.h"
#include "panels/common/pageheading.h"
#include "panels/common/viewstate.h"
#include "panels/connections/connectioninventorymodel.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

ConnectionsPanel::ConnectionsPanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new ConnectionInventoryModel(session ? session->traceStore() : nullptr, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_filter(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_reason(new QLineEdit(this))
    , m_message(new QLineEdit(this))
    , m_close(new QPushButton(tr("Close connection"), this))
    , m_send(new QPushButton(tr("Send"), this))
    , m_exists(new QPushButton(tr("Check exists"), this))
    , m_result(new QLabel(this))
    , m_closeAction(new JobAction(m_close, m_result, this))
    , m_sendAction(new JobAction(m_send, m_result, this))
    , m_existsAction(new JobAction(m_exists, m_result, this))
{
    auto *layout = new QVBoxLayout(this);
    setPagePurpose(this,
                   tr("Every connection the console has seen (its own live clients, group listings, "
                      "live-trace events): what was observed, since the service cannot list them all."));

    m_filter->setObjectName(u"filter"_s);
    m_filter->setPlaceholderText(tr("filter by connection, user or group"));
    m_filter->setClearButtonEnabled(true);
    m_count->setObjectName(u"count"_s);
    auto *top = new QHBoxLayout();
    top->addWidget(m_filter, 1);
    top->addWidget(m_count);
    layout->addLayout(top);

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view->setObjectName(u"inventory"_s);
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ConnectionInventoryModel::LastSeen, Qt::DescendingOrder);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    rememberColumns(m_view->horizontalHeader(), u"connections"_s);
    m_view->horizontalHeader()->resizeSection(ConnectionInventoryModel::ConnectionId, 280);
    m_view->setAlternatingRowColors(true);
    layout->addWidget(m_view, 1);

    m_reason->setObjectName(u"reason"_s);
    m_reason->setPlaceholderText(tr("optional reason sent to the client"));
    m_message->setObjectName(u"message"_s);
    m_message->setPlaceholderText(tr("text message"));
    m_close->setObjectName(u"close"_s);
    m_send->setObjectName(u"send"_s);
    m_exists->setObjectName(u"exists"_s);
    m_result->setObjectName(u"result"_s);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *form = new QFormLayout();
    auto *closeRow = new QHBoxLayout();
    closeRow->addWidget(m_reason, 1);
    closeRow->addWidget(m_close);
    form->addRow(tr("Close"), closeRow);
    auto *sendRow = new QHBoxLayout();
    sendRow->addWidget(m_message, 1);
    sendRow->addWidget(m_send);
    form->addRow(tr("Send to connection"), sendRow);
    auto *checkRow = new QHBoxLayout();
    checkRow->addWidget(m_exists);
    checkRow->addWidget(m_result, 1);
    form->addRow(tr("Check"), checkRow);
    layout->addLayout(form);

    connect(m_filter, &QLineEdit::textChanged, this,
            [this](const QString &text) { m_proxy->setFilterFixedString(text.trimmed()); });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] { updateButtons(); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { updateButtons(); });
    connect(m_close, &QPushButton::clicked, this, [this] { closeSelected(); });
    connect(m_send, &QPushButton::clicked, this, [this] { sendToSelected(); });
    connect(m_exists, &QPushButton::clicked, this, [this] { checkSelected(); });
    if (m_session) {
        connect(m_session, &ConsoleSession::clientChanged, this,
                [this](wps::service::ServiceClient *client) { onClientChanged(client); });
        onClientChanged(m_session->client());
    } else {
        onClientChanged(nullptr);
    }
}

void ConnectionsPanel::onClientChanged(wps::service::ServiceClient *client)
{
    m_client = client;
    for (JobAction *action : {m_closeAction, m_sendAction, m_existsAction})
        action->reset();
    showOutcome(m_result, Outcome::Neutral, client ? QString() : tr("Not connected."));
    updateButtons();
}

void ConnectionsPanel::updateButtons()
{
    const bool usable = m_client && !selectedConnection().isEmpty();
    for (QPushButton *button : {m_close, m_send, m_exists})
        button->setEnabled(usable);
    m_count->setText(tr("%n connection(s)", nullptr, m_model->rowCount()));
}

bool ConnectionsPanel::selectConnection(const QString &connectionId)
{
    m_model->catchUp();
    const int row = m_model->rowOf(connectionId);
    if (row < 0)
        return false;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return false;
    m_view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->setCurrentIndex(index);
    return true;
}

QString ConnectionsPanel::selectedConnection() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(Qt::UserRole).toString();
}

void ConnectionsPanel::closeSelected()
{
    const QString id = selectedConnection();
    if (!m_client || id.isEmpty())
        return;
    // The close goes to the hub of the REST client: a connection seen in another hub is not closed there.
    const int row = m_model->rowOf(id);
    const QString connectionHub = row >= 0 ? m_model->entry(row).hub : QString();
    if (!connectionHub.isEmpty() && connectionHub != m_client->hub()) {
        showOutcome(m_result, Outcome::Failure,
                    tr("Connection “%1” is in hub “%2”, not “%3”: choose hub “%2” to close it.")
                        .arg(id, connectionHub, m_client->hub()));
        return;
    }
    // Asks first, naming the connection, the hub and the resource; Cancel sends nothing.
    QPointer<wps::service::ServiceClient> client = m_client;
    const QString reason = m_reason->text().trimmed();
    confirmAction(this,
                  {tr("Close connection “%1”").arg(id), m_client->hub(), m_client->endpoint().host(), false},
                  [this, client, id, reason] {
                      // The connection changed while the dialog was open: the answer was about another.
                      if (!client || client != m_client)
                          return;
                      QPointer<ConnectionInventoryModel> model = m_model;
                      m_closeAction->run(m_client->closeConnection(id, reason), [model, id](auto *) {
                          if (model)
                              model->observe(id, ConnectionInventoryModel::ConnState::Disconnected);
                          return tr("Closed connection “%1”.").arg(id);
                      });
                  });
}

void ConnectionsPanel::sendToSelected()
{
    const QString id = selectedConnection();
    if (!m_client || id.isEmpty())
        return;
    m_sendAction->run(m_client->sendToConnection(id, wps::service::Message::text(m_message->text())),
                      [id](auto *) { return tr("Sent to connection “%1”.").arg(id); });
}

void ConnectionsPanel::checkSelected()
{
    const QString id = selectedConnection();
    if (!m_client || id.isEmpty())
        return;
    QPointer<ConnectionInventoryModel> model = m_model;
    m_existsAction->run(m_client->connectionExists(id), [model, id](auto *job) {
        const bool exists = job->exists();
        if (model && !exists)
            model->observe(id, ConnectionInventoryModel::ConnState::Disconnected);
        return exists ? tr("Connection “%1” exists.").arg(id) : tr("Connection “%1” does not exist.").arg(id);
    });
}

} // namespace wps::ui
