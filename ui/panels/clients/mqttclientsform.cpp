#include "panels/clients/mqttclientsform.h"

#include "live/mqttclient.h"
#include "panels/common/formutil.h"
#include "panels/common/jobaction.h"
#include "protocol/names.h"
#include "session/consolesession.h"
#include "trace/mqtttrace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {

enum Column { ColClientId, ColVersion, ColState, ColSubscriptions, ColReceived, ColumnCount };

/// A received payload as one readable line: text when it is UTF-8 without control characters, else hex.
QString payloadText(const QByteArray &payload)
{
    const QString text = QString::fromUtf8(payload);
    bool printable = text.toUtf8() == payload;
    for (const QChar c : text)
        printable = printable && (c.unicode() >= 0x20 || c == u'\t');
    if (printable)
        return text.size() > 200 ? text.left(200) + u"…"_s : text;
    return u"(%1 bytes) "_s.arg(payload.size()) + QString::fromLatin1(payload.left(64).toHex(' '));
}

} // namespace

MqttClientsForm::MqttClientsForm(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_toggle(new QToolButton(this))
    , m_body(new QWidget(this))
    , m_count(new QSpinBox(m_body))
    , m_clientId(new QLineEdit(u"device{n}"_s, m_body))
    , m_version(new QComboBox(m_body))
    , m_topics(new QLineEdit(u"room1"_s, m_body))
    , m_qos(new QComboBox(m_body))
    , m_cleanStart(new QCheckBox(tr("Clean start"), m_body))
    , m_roles(new QLineEdit(u"webpubsub.joinLeaveGroup, webpubsub.sendToGroup"_s, m_body))
    , m_willTopic(new QLineEdit(m_body))
    , m_willMessage(new QLineEdit(m_body))
    , m_view(new QTableWidget(0, ColumnCount, m_body))
    , m_publishTopic(new QLineEdit(u"room1"_s, m_body))
    , m_publishMessage(new QLineEdit(u"hello from MQTT"_s, m_body))
    , m_publishQos(new QComboBox(m_body))
    , m_received(new QPlainTextEdit(m_body))
    , m_outcome(new QLabel(m_body))
{
    setObjectName(u"mqttClients"_s);
    buildUi();
    wire();
}

MqttClientsForm::~MqttClientsForm()
{
    // The clients (children, or the session's) report their end while they are destroyed: not to this form,
    // which is no longer one by then.
    for (const Entry &e : std::as_const(m_entries))
        if (e.client)
            e.client->disconnect(this);
}

void MqttClientsForm::buildUi()
{
    m_toggle->setObjectName(u"mqttToggle"_s);
    m_toggle->setText(tr("MQTT clients"));
    m_toggle->setCheckable(true);
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setArrowType(Qt::RightArrow);
    m_toggle->setAutoRaise(true);
    m_toggle->setToolTip(tr("MQTT 3.1.1 / 5.0 clients on /clients/mqtt/hubs/<hub>: topics are groups"));

    setUpSpawnFields();
    setUpClientTable();
    setUpPublishFields();
    layOutBody();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_toggle);
    layout->addWidget(m_body, 1);
    m_body->setVisible(false);
}

void MqttClientsForm::setUpSpawnFields()
{
    m_count->setObjectName(u"mqttCount"_s);
    m_count->setRange(1, maxClients);
    m_count->setValue(2);
    m_clientId->setObjectName(u"mqttClientId"_s);
    m_clientId->setToolTip(
        tr("The client ID is the connection ID: 1 to 128 letters and digits; {n} becomes the "
           "client's number"));
    m_version->setObjectName(u"mqttVersion"_s);
    m_version->addItem(tr("MQTT 3.1.1"), int(mqtt::Version::V311));
    m_version->addItem(tr("MQTT 5.0"), int(mqtt::Version::V5));
    m_topics->setObjectName(u"mqttTopics"_s);
    m_topics->setPlaceholderText(tr("topics to subscribe, comma-separated"));
    m_qos->setObjectName(u"mqttQos"_s);
    m_qos->addItem(tr("QoS 0"), 0);
    m_qos->addItem(tr("QoS 1"), 1);
    m_qos->setCurrentIndex(1);
    m_cleanStart->setObjectName(u"mqttCleanStart"_s);
    m_cleanStart->setChecked(true);
    m_cleanStart->setToolTip(
        tr("Off: the service keeps the session (subscriptions, QoS 1 messages) for up to 30 s "
           "after the connection drops, and a client with the same ID resumes it"));
    m_roles->setObjectName(u"mqttRoles"_s);
    m_willTopic->setObjectName(u"mqttWillTopic"_s);
    m_willTopic->setPlaceholderText(tr("will topic (optional)"));
    m_willMessage->setObjectName(u"mqttWillMessage"_s);
    m_willMessage->setPlaceholderText(tr("will message"));
    m_spawn = new QPushButton(tr("Spawn MQTT"), m_body);
    m_spawn->setObjectName(u"mqttSpawn"_s);
}

void MqttClientsForm::setUpClientTable()
{
    m_view->setObjectName(u"mqttClientList"_s);
    m_view->setHorizontalHeaderLabels(
        {tr("Client ID"), tr("Version"), tr("State"), tr("Subscriptions"), tr("Received")});
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->setVisible(false);
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
}

void MqttClientsForm::setUpPublishFields()
{
    m_publishTopic->setObjectName(u"mqttPublishTopic"_s);
    m_publishMessage->setObjectName(u"mqttPublishMessage"_s);
    m_publishQos->setObjectName(u"mqttPublishQos"_s);
    m_publishQos->addItem(tr("QoS 0"), 0);
    m_publishQos->addItem(tr("QoS 1"), 1);
    m_publishQos->setCurrentIndex(1);
    m_publish = new QPushButton(tr("Publish"), m_body);
    m_publish->setObjectName(u"mqttPublish"_s);
    m_stop = new QPushButton(tr("Stop"), m_body);
    m_stop->setObjectName(u"mqttStop"_s);

    m_received->setObjectName(u"mqttReceived"_s);
    m_received->setReadOnly(true);
    m_received->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_received->setPlaceholderText(tr("Messages the MQTT clients receive appear here."));
    m_received->setMaximumBlockCount(2000);
    m_outcome->setObjectName(u"mqttOutcome"_s);
    m_outcome->setWordWrap(true);
}

void MqttClientsForm::layOutBody()
{
    auto *spawnRow = new QHBoxLayout();
    spawnRow->addWidget(m_count);
    spawnRow->addWidget(m_clientId, 1);
    spawnRow->addWidget(m_version);
    spawnRow->addWidget(new QLabel(tr("Topics"), m_body));
    spawnRow->addWidget(m_topics, 1);
    spawnRow->addWidget(m_qos);
    spawnRow->addWidget(m_cleanStart);
    spawnRow->addWidget(m_spawn);
    auto *optionsRow = new QHBoxLayout();
    optionsRow->addWidget(new QLabel(tr("Roles"), m_body));
    optionsRow->addWidget(m_roles, 2);
    optionsRow->addWidget(new QLabel(tr("Will"), m_body));
    optionsRow->addWidget(m_willTopic, 1);
    optionsRow->addWidget(m_willMessage, 1);
    auto *publishRow = new QHBoxLayout();
    publishRow->addWidget(new QLabel(tr("Topic"), m_body));
    publishRow->addWidget(m_publishTopic);
    publishRow->addWidget(m_publishMessage, 1);
    publishRow->addWidget(m_publishQos);
    publishRow->addWidget(m_publish);
    publishRow->addWidget(m_stop);
    auto *split = new QSplitter(Qt::Horizontal, m_body);
    split->addWidget(m_view);
    split->addWidget(m_received);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *body = new QVBoxLayout(m_body);
    body->setContentsMargins(0, 0, 0, 0);
    body->addLayout(spawnRow);
    body->addLayout(optionsRow);
    body->addWidget(split, 1);
    body->addLayout(publishRow);
    body->addWidget(m_outcome);
}

void MqttClientsForm::wire()
{
    connect(m_toggle, &QToolButton::toggled, this, &MqttClientsForm::setExpanded);
    connect(m_spawn, &QPushButton::clicked, this, [this] { this->spawn(m_count->value()); });
    connect(m_publish, &QPushButton::clicked, this, [this] { publishFromSelection(); });
    connect(m_stop, &QPushButton::clicked, this, [this] {
        const QModelIndexList rows = m_view->selectionModel()->selectedRows();
        for (const QModelIndex &row : rows)
            if (auto client = m_entries.value(row.row()).client)
                client->stop();
    });
    if (m_session) {
        connect(m_session, &ConsoleSession::mqttClientAdded, this,
                [this](wps::live::MqttLiveClient *client, const QString &) {
                    if (client && rowOf(client) < 0)
                        add(client, {}, 1);
                });
    }
}

void MqttClientsForm::setExpanded(bool expanded)
{
    m_body->setVisible(expanded);
    m_toggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    if (m_toggle->isChecked() != expanded)
        m_toggle->setChecked(expanded);
}

bool MqttClientsForm::isExpanded() const
{
    return m_body->isVisible() || m_toggle->isChecked();
}

void MqttClientsForm::setOutcome(bool ok, const QString &text)
{
    showOutcome(m_outcome, ok ? Outcome::Success : Outcome::Failure, text);
}

bool MqttClientsForm::spawn(int count)
{
    if (!m_session || m_session->state() != ConsoleSession::State::Connected) {
        setOutcome(false, tr("Not connected."));
        return false;
    }
    if (count < 1 || m_entries.size() + count > maxClients) {
        setOutcome(false, tr("At most %1 MQTT clients here.").arg(maxClients));
        return false;
    }
    const QStringList topics = splitList(m_topics->text());
    for (const QString &topic : topics) {
        if (const QString problem = names::checkGroup(topic); !problem.isEmpty()) {
            setOutcome(false, tr("Topic “%1”: %2").arg(topic, problem));
            return false;
        }
    }
    std::optional<mqtt::Will> will;
    if (const QString willTopic = m_willTopic->text().trimmed(); !willTopic.isEmpty()) {
        if (const QString problem = names::checkGroup(willTopic); !problem.isEmpty()) {
            setOutcome(false, tr("Will topic “%1”: %2").arg(willTopic, problem));
            return false;
        }
        will = mqtt::Will{willTopic, m_willMessage->text().toUtf8(), 0, false, {}};
    }
    const QString hub = m_session->hub();
    const auto version = static_cast<mqtt::Version>(m_version->currentData().toInt());
    const auto qos = static_cast<quint8>(m_qos->currentData().toInt());
    const bool cleanStart = m_cleanStart->isChecked();
    const QStringList roles = splitList(m_roles->text());
    for (int i = 0; i < count; ++i) {
        const int n = m_next++;
        QString clientId = m_clientId->text().trimmed();
        clientId.replace(u"{n}"_s, QString::number(n));
        wps::ClientTokenOptions options;
        options.userId = clientId;
        options.roles = roles;
        options.protocol = wps::ClientProtocol::Mqtt;
        // A client ID the service refuses is still tried: the CONNACK's refusal is what the user came to see.
        m_session->clientAccess(hub, options, this,
                                [this, clientId, version, qos, cleanStart, will, topics,
                                 hub](const ConsoleSession::AccessResult &access) {
                                    if (!access) {
                                        setOutcome(false, describeError(access.error()));
                                        return;
                                    }
                                    wps::live::MqttLiveClient::Settings settings;
                                    settings.version = version;
                                    settings.clientId = clientId;
                                    settings.cleanStart = cleanStart;
                                    // 5.0 asks for a kept session with an expiry; 3.1.1 with clean session 0
                                    // alone.
                                    if (!cleanStart && version == mqtt::Version::V5)
                                        settings.sessionExpirySeconds = 30;
                                    settings.will = will;
                                    auto *client = new wps::live::MqttLiveClient(access->url, settings, this);
                                    wps::trace::attach(client, m_session->traceStore(), hub, clientId);
                                    add(client, topics, qos);
                                    client->start();
                                });
    }
    showOutcome(m_outcome, Outcome::Neutral,
                tr("Starting %n MQTT client(s) on hub “%1”…", nullptr, count).arg(hub));
    return true;
}

void MqttClientsForm::add(wps::live::MqttLiveClient *client, const QStringList &topics, quint8 qos)
{
    Entry entry;
    entry.client = client;
    entry.version = client->settings().version == mqtt::Version::V5 ? u"5.0"_s : u"3.1.1"_s;
    entry.state = tr("connecting");
    m_entries.append(entry);
    const int row = m_view->rowCount();
    m_view->insertRow(row);
    refreshRow(row);
    connect(client, &wps::live::MqttLiveClient::connected, this,
            [this, client, topics, qos](const QString &id) {
                const int r = rowOf(client);
                if (r < 0)
                    return;
                m_entries[r].state = tr("connected");
                refreshRow(r);
                setOutcome(true, tr("MQTT client %1 connected.").arg(id));
                for (const QString &topic : topics)
                    client->subscribe(topic, qos);
            });
    connect(client, &wps::live::MqttLiveClient::sessionResumed, this, [this, client] {
        if (const int r = rowOf(client); r >= 0) {
            m_entries[r].state = tr("connected, session resumed");
            refreshRow(r);
        }
    });
    connect(client, &wps::live::MqttLiveClient::subscribed, this,
            [this, client](quint16, const QString &topic, quint8 code) {
                const int r = rowOf(client);
                if (r < 0)
                    return;
                if (code < 0x80) {
                    m_entries[r].subscriptions << u"%1 (QoS%2)"_s.arg(topic).arg(code);
                } else {
                    m_entries[r].subscriptions << tr("%1 refused").arg(topic);
                    setOutcome(false,
                               tr("%1 cannot subscribe to %2: %3")
                                   .arg(client->clientId(), topic,
                                        client->settings().version == mqtt::Version::V5
                                            ? mqtt::reasonName(code)
                                            : tr("refused (MQTT 3.1.1 gives no reason; the token may lack "
                                                 "webpubsub.joinLeaveGroup)")));
                }
                refreshRow(r);
            });
    connect(client, &wps::live::MqttLiveClient::published, this,
            [this, client](quint16 packetId, quint8 code, const QString &reason) {
                if (code < 0x80)
                    setOutcome(true,
                               tr("%1: PUBLISH %2 acknowledged.").arg(client->clientId()).arg(packetId));
                else
                    setOutcome(false, tr("%1: PUBLISH refused: %2%3")
                                          .arg(client->clientId(), mqtt::reasonName(code),
                                               reason.isEmpty() ? QString() : u" ("_s + reason + u')'));
            });
    connect(
        client, &wps::live::MqttLiveClient::message, this,
        [this, client](const QString &topic, const QByteArray &payload, quint8 qos) {
            const int r = rowOf(client);
            if (r >= 0) {
                ++m_entries[r].received;
                refreshRow(r);
            }
            m_received->appendPlainText(
                u"%1 ← %2 (QoS%3): %4"_s.arg(client->clientId(), topic).arg(qos).arg(payloadText(payload)));
        });
    connect(client, &wps::live::MqttLiveClient::disconnected, this, [this, client](const QString &why) {
        const int r = rowOf(client);
        if (r < 0)
            return;
        m_entries[r].state = tr("closed: %1").arg(why);
        refreshRow(r);
        if (why != u"Stopped."_s)
            setOutcome(false, tr("MQTT client %1: %2").arg(client->clientId(), why));
    });
}

int MqttClientsForm::rowOf(const wps::live::MqttLiveClient *client) const
{
    for (int i = 0; i < m_entries.size(); ++i)
        if (m_entries.at(i).client == client)
            return i;
    return -1;
}

void MqttClientsForm::refreshRow(int row)
{
    const Entry &e = m_entries.at(row);
    const QString values[ColumnCount] = {e.client ? e.client->clientId() : QString(), e.version, e.state,
                                         e.subscriptions.join(u", "_s), QString::number(e.received)};
    for (int c = 0; c < ColumnCount; ++c) {
        QTableWidgetItem *item = m_view->item(row, c);
        if (!item) {
            item = new QTableWidgetItem();
            m_view->setItem(row, c, item);
        }
        item->setText(values[c]);
        item->setToolTip(values[c]);
    }
}

bool MqttClientsForm::publishFromSelection()
{
    QList<wps::live::MqttLiveClient *> chosen;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows)
        if (auto *c = m_entries.value(row.row()).client.data())
            chosen << c;
    if (chosen.isEmpty())
        if (auto *c = m_entries.value(m_view->currentRow()).client.data())
            chosen << c;
    if (chosen.isEmpty()) {
        setOutcome(false, tr("Select an MQTT client first."));
        return false;
    }
    const QString topic = m_publishTopic->text().trimmed();
    if (const QString problem = names::checkGroup(topic); !problem.isEmpty()) {
        setOutcome(false, tr("Topic “%1”: %2").arg(topic, problem));
        return false;
    }
    const auto qos = static_cast<quint8>(m_publishQos->currentData().toInt());
    const QByteArray payload = m_publishMessage->text().toUtf8();
    bool any = false;
    for (wps::live::MqttLiveClient *client : chosen) {
        if (!client->isConnected()) {
            setOutcome(false, tr("%1 is not connected.").arg(client->clientId()));
            continue;
        }
        // 5.0 says the payload is text, so Web PubSub clients in the group get it as text (3.1.1: binary).
        client->publish(topic, payload, qos, u"text/plain"_s);
        any = true;
    }
    if (any && qos == 0)
        setOutcome(true, tr("Published to %1 (QoS 0: no acknowledgement).").arg(topic));
    return any;
}

QList<wps::live::MqttLiveClient *> MqttClientsForm::clients() const
{
    QList<wps::live::MqttLiveClient *> list;
    for (const Entry &e : m_entries)
        if (e.client)
            list << e.client.data();
    return list;
}

QString MqttClientsForm::outcomeText() const
{
    return m_outcome->text();
}

QString MqttClientsForm::receivedText() const
{
    return m_received->toPlainText();
}

} // namespace wps::ui
