#include "panels/clients/liveclientspanel.h"

#include "live/liveclient.h"
#include "panels/clients/groupstreamswidget.h"
#include "panels/clients/invokebox.h"
#include "panels/clients/liveclientsmodel.h"
#include "panels/clients/mqttclientsform.h"
#include "panels/common/formutil.h"
#include "panels/common/jobaction.h"
#include "panels/common/pageheading.h"
#include "panels/common/viewstate.h"
#include "protocol/names.h"
#include "session/consolesession.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <chrono>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {

QPushButton *button(const QString &text, const QString &name, QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(name);
    return b;
}

} // namespace

LiveClientsPanel::LiveClientsPanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new LiveClientsModel(this))
    , m_view(new QTableView(this))
    , m_count(new QSpinBox(this))
    , m_userPattern(new QLineEdit(u"user-{n}"_s, this))
    , m_protocol(new QComboBox(this))
    , m_roles(new QLineEdit(u"webpubsub.joinLeaveGroup, webpubsub.sendToGroup"_s, this))
    , m_groups(new QLineEdit(this))
    , m_group(new QLineEdit(u"room1"_s, this))
    , m_message(new QLineEdit(u"hello"_s, this))
    , m_event(new QLineEdit(u"echo"_s, this))
    , m_summary(new QLabel(this))
    , m_outcome(new QLabel(this))
    , m_timeline(new QPlainTextEdit(this))
{
    setPagePurpose(this, tr("WebSocket clients the console runs itself: spawn them, join groups, send, drop "
                            "their sockets."));
    buildUi();
    wire();
    m_summary->setText(m_model->summary());
}

LiveClientsPanel::~LiveClientsPanel() = default;

void LiveClientsPanel::buildUi()
{
    QFormLayout *form = buildSpawnForm();
    setUpClientTable();
    QHBoxLayout *actions = buildGroupActions();
    QHBoxLayout *lifecycle = buildLifecycleRow();
    m_summary->setObjectName(u"summary"_s);

    m_timeline->setObjectName(u"timeline"_s);
    m_timeline->setReadOnly(true);
    m_timeline->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_timeline->setPlaceholderText(tr("Select a client to see what it sent and received."));
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_view);
    split->addWidget(m_timeline);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    layout->addLayout(actions);
    m_streams = new GroupStreamsWidget([this] { return selectedClients(); }, this);
    layout->addWidget(m_streams);
    m_invoke = new InvokeBox([this] { return selectedClients(); }, this);
    layout->addWidget(m_invoke);
    layout->addLayout(lifecycle);
    layout->addWidget(new MqttClientsForm(m_session, this)); // folded until opened (its own file)
}

QFormLayout *LiveClientsPanel::buildSpawnForm()
{
    m_count->setObjectName(u"clientCount"_s);
    m_count->setRange(1, maxClients);
    m_count->setValue(3);
    m_userPattern->setObjectName(u"userPattern"_s);
    m_userPattern->setToolTip(tr("{n} becomes the client's number"));
    m_protocol->setObjectName(u"protocol"_s);
    for (const auto protocol : {wps::live::Subprotocol::Json, wps::live::Subprotocol::JsonReliable,
                                wps::live::Subprotocol::Protobuf, wps::live::Subprotocol::ProtobufReliable,
                                wps::live::Subprotocol::None}) {
        const QString name = wps::live::subprotocolName(protocol);
        m_protocol->addItem(name.isEmpty() ? tr("raw WebSocket (no subprotocol)") : name, int(protocol));
    }
    m_roles->setObjectName(u"roles"_s);
    m_groups->setObjectName(u"initialGroups"_s);
    m_groups->setPlaceholderText(tr("joined on connect, comma-separated"));
    m_spawn = button(tr("Spawn"), u"spawn"_s, this);

    auto *form = new QFormLayout();
    auto *countRow = new QHBoxLayout();
    countRow->addWidget(m_count);
    countRow->addWidget(new QLabel(tr("users"), this));
    countRow->addWidget(m_userPattern, 1);
    countRow->addWidget(m_protocol);
    countRow->addWidget(m_spawn);
    form->addRow(tr("Clients"), countRow);
    form->addRow(tr("Roles"), m_roles);
    form->addRow(tr("Initial groups"), m_groups);
    return form;
}

void LiveClientsPanel::setUpClientTable()
{
    m_view->setObjectName(u"clients"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->verticalHeader()->setVisible(false);
    m_view->setWordWrap(false); // connection ids contain '-': never break them over lines
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    rememberColumns(m_view->horizontalHeader(), u"liveClients"_s);
    const int em = fontMetrics().horizontalAdvance(u'M');
    const int widths[] = {7, 6, 7, 16, 10, 11, 8, 4, 4};
    for (int c = 0; c < int(std::size(widths)); ++c)
        m_view->setColumnWidth(c, widths[c] * em);
}

QHBoxLayout *LiveClientsPanel::buildGroupActions()
{
    m_join = button(tr("Join"), u"join"_s, this);
    m_leave = button(tr("Leave"), u"leave"_s, this);
    m_sendToGroup = button(tr("Send to group"), u"sendToGroup"_s, this);
    m_sendEvent = button(tr("Send event"), u"sendEvent"_s, this);
    m_group->setObjectName(u"group"_s);
    m_message->setObjectName(u"message"_s);
    m_event->setObjectName(u"event"_s);
    auto *actions = new QHBoxLayout();
    actions->addWidget(new QLabel(tr("Group"), this));
    actions->addWidget(m_group);
    actions->addWidget(m_join);
    actions->addWidget(m_leave);
    actions->addWidget(m_message, 1);
    actions->addWidget(m_sendToGroup);
    actions->addWidget(m_event);
    actions->addWidget(m_sendEvent);
    return actions;
}

QHBoxLayout *LiveClientsPanel::buildLifecycleRow()
{
    m_drop = button(tr("Drop socket"), u"drop"_s, this);
    m_drop->setToolTip(tr("Abort the TCP connection as a network failure would: reliable clients recover"));
    m_stop = button(tr("Stop"), u"stop"_s, this);
    m_removeStopped = button(tr("Remove stopped"), u"removeStopped"_s, this);
    auto *lifecycle = new QHBoxLayout();
    lifecycle->addWidget(m_drop);
    lifecycle->addWidget(m_stop);
    lifecycle->addWidget(m_removeStopped);
    lifecycle->addWidget(m_outcome, 1);
    m_outcome->setObjectName(u"outcome"_s);
    m_outcome->setWordWrap(true);
    return lifecycle;
}

void LiveClientsPanel::wire()
{
    connect(m_streams, &GroupStreamsWidget::noted, this,
            [this](wps::live::LiveClient *client, const QString &text) { m_model->note(client, text); });
    connect(
        m_invoke, &InvokeBox::answered, this,
        [this](wps::live::LiveClient *client, const QString &summary) { m_model->note(client, summary); });
    connect(m_spawn, &QPushButton::clicked, this,
            [this] { this->spawn(m_count->value(), m_userPattern->text()); });
    connect(m_join, &QPushButton::clicked, this, [this] {
        runAcked(tr("join %1").arg(m_group->text()),
                 [this](auto *c) { return c->joinGroup(m_group->text().trimmed()); });
    });
    connect(m_leave, &QPushButton::clicked, this, [this] {
        runAcked(tr("leave %1").arg(m_group->text()),
                 [this](auto *c) { return c->leaveGroup(m_group->text().trimmed()); });
    });
    connect(m_sendToGroup, &QPushButton::clicked, this, [this] {
        runAcked(tr("send to %1").arg(m_group->text()), [this](auto *c) {
            return c->sendToGroup(m_group->text().trimmed(), wps::messages::Payload::text(m_message->text()));
        });
    });
    connect(m_sendEvent, &QPushButton::clicked, this, [this] {
        runAcked(tr("event %1").arg(m_event->text()), [this](auto *c) {
            return c->sendEvent(m_event->text().trimmed(), wps::messages::Payload::text(m_message->text()));
        });
    });
    connect(m_drop, &QPushButton::clicked, this, [this] {
        runOnSelection(tr("drop"), [this](wps::live::LiveClient *c) {
            m_model->note(c, tr("socket dropped on purpose"));
            c->dropConnection(tr("dropped from the Live clients panel"));
        });
    });
    connect(m_stop, &QPushButton::clicked, this,
            [this] { runOnSelection(tr("stop"), [](wps::live::LiveClient *c) { c->stop(); }); });
    connect(m_removeStopped, &QPushButton::clicked, this, [this] {
        m_outcome->setText(tr("Removed %n stopped client(s).", nullptr, m_model->removeStopped()));
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LiveClientsPanel::showTimeline);
    connect(m_model, &LiveClientsModel::timelineChanged, this, [this] {
        m_summary->setText(m_model->summary());
        showTimeline();
    });
    // Clients the session starts for other panels (Client tokens > Connect with this URL) are listed here.
    if (m_session) {
        connect(m_session, &ConsoleSession::liveClientAdded, this,
                [this](wps::live::LiveClient *client, const QString &hub) {
                    if (client) {
                        m_model->add(client, hub);
                        m_streams->watch(client);
                    }
                });
    }
}

void LiveClientsPanel::runAcked(const QString &what,
                                const std::function<wps::live::AckJob *(wps::live::LiveClient *)> &make)
{
    runOnSelection(what, [this, what, make](wps::live::LiveClient *client) {
        wps::live::AckJob *job = make(client);
        connect(job, &wps::live::AckJob::finished, this, [this, client, job, what] {
            QString text;
            if (job->succeeded())
                text = job->isDuplicated() ? tr("%1: ok (Duplicate)").arg(what) : tr("%1: ok").arg(what);
            else
                text = tr("%1 failed: %2 %3").arg(what, job->error()->name, job->error()->message);
            if (job->ackId())
                text += tr(" (ackId %1)").arg(*job->ackId());
            m_model->note(client, text);
            m_outcome->setText(text);
            job->deleteLater();
        });
    });
}

bool LiveClientsPanel::spawn(int count, const QString &userPattern)
{
    if (!m_session || m_session->state() != ConsoleSession::State::Connected) {
        showOutcome(m_outcome, Outcome::Failure, tr("Not connected."));
        return false;
    }
    if (count < 1 || m_model->rowCount() + count > maxClients) {
        showOutcome(m_outcome, Outcome::Failure, tr("At most %1 clients in this panel.").arg(maxClients));
        return false;
    }
    const QString hub = m_session->hub();
    const auto protocol = static_cast<wps::live::Subprotocol>(m_protocol->currentData().toInt());
    const QStringList roles = splitList(m_roles->text());
    const QStringList groups = splitList(m_groups->text());
    for (const QString &group : groups) {
        if (const QString problem = names::checkGroup(group); !problem.isEmpty()) {
            showOutcome(m_outcome, Outcome::Failure, problem);
            return false;
        }
    }
    for (int i = 0; i < count; ++i) {
        const int n = m_next++;
        QString user = userPattern;
        user.replace(u"{n}"_s, QString::number(n));
        wps::ClientTokenOptions options;
        options.userId = user.trimmed();
        options.roles = roles;
        options.groups = groups;
        // Each client gets its own URL (signed locally with a key, or :generateToken for Entra), then starts.
        m_session->clientAccess(
            hub, options, this, [this, user, n, protocol, hub](const ConsoleSession::AccessResult &access) {
                if (!access) {
                    showOutcome(m_outcome, Outcome::Failure, describeError(access.error()));
                    return;
                }
                auto *client = new wps::live::LiveClient(access->url, protocol, this);
                client->setName(u"client-%1"_s.arg(n));
                m_session->traceLiveClient(client, hub);
                m_model->add(client, hub);
                m_streams->watch(client);
                client->start();
            });
    }
    showOutcome(m_outcome, Outcome::Neutral,
                tr("Starting %n client(s) on hub “%1”…", nullptr, count).arg(hub));
    return true;
}

QList<wps::live::LiveClient *> LiveClientsPanel::selectedClients() const
{
    QList<wps::live::LiveClient *> clients;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows) {
        if (auto *c = m_model->client(row.row()))
            clients << c;
    }
    if (clients.isEmpty()) {
        if (auto *c = m_model->client(m_view->currentIndex().row()))
            clients << c;
    }
    return clients;
}

void LiveClientsPanel::runOnSelection(const QString &what,
                                      const std::function<void(wps::live::LiveClient *)> &action)
{
    const QList<wps::live::LiveClient *> clients = selectedClients();
    if (clients.isEmpty()) {
        showOutcome(m_outcome, Outcome::Failure, tr("Select one or more clients first."));
        return;
    }
    showOutcome(m_outcome, Outcome::Neutral, tr("%1: %n client(s)…", nullptr, int(clients.size())).arg(what));
    for (wps::live::LiveClient *client : clients)
        action(client);
}

void LiveClientsPanel::showTimeline()
{
    const QStringList lines = m_model->timeline(m_view->currentIndex().row());
    const QString text = lines.join(u'\n');
    if (m_timeline->toPlainText() != text) {
        m_timeline->setPlainText(text);
        m_timeline->moveCursor(QTextCursor::End);
    }
}

QString LiveClientsPanel::outcomeText() const
{
    return m_outcome->text();
}

} // namespace wps::ui
