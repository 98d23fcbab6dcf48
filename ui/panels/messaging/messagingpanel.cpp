#include "panels/messaging/messagingpanel.h"

#include "common/jsontext.h"
#include "panels/common/formutil.h"
#include "panels/common/jobaction.h"
#include "panels/common/jsonhighlighter.h"
#include "panels/common/pageheading.h"
#include "protocol/filter.h"
#include "protocol/names.h"
#include "service/serviceclient.h"
#include "service/servicejob.h"
#include "session/consolesession.h"
#include "trace/livetrace.h"

#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTextDocument>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

MessagingPanel::MessagingPanel(ConsoleSession *session, QWidget *parent, const QString &librarySettingsPath)
    : QWidget(parent)
    , m_session(session)
    , m_target(new QComboBox(this))
    , m_targetId(new QLineEdit(this))
    , m_content(new QComboBox(this))
    , m_body(new QPlainTextEdit(this))
    , m_bodyHint(new QLabel(this))
    , m_pretty(new QPushButton(tr("Pretty-print"), this))
    , m_loadFile(new QPushButton(tr("Load file…"), this))
    , m_excluded(new QLineEdit(this))
    , m_filter(new QLineEdit(this))
    , m_filterHint(new QLabel(this))
    , m_ttl(new QSpinBox(this))
    , m_send(new QPushButton(tr("Send"), this))
    , m_outcome(new QLabel(this))
    , m_history(new QListWidget(this))
    , m_action(new JobAction(m_send, m_outcome, this))
    , m_library(new PayloadLibrary(librarySettingsPath, this))
{
    buildUi();
    wire();
    updateForm();
    setDeliveryReports(m_session ? m_session->liveTrace() : nullptr); // "delivered to N connections"
    setClient(m_session ? m_session->client() : nullptr);
}

void MessagingPanel::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    setPagePurpose(this, tr("Send a message through the service's REST API, as an app server does."));
    auto *formAndLibrary = new QHBoxLayout();
    formAndLibrary->addLayout(buildForm(), 3);
    formAndLibrary->addWidget(buildLibrary(), 1);
    layout->addLayout(formAndLibrary);

    m_send->setObjectName(u"send"_s);
    m_outcome->setObjectName(u"outcome"_s);
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *sendRow = new QHBoxLayout();
    sendRow->addWidget(m_send);
    sendRow->addWidget(m_outcome, 1);
    layout->addLayout(sendRow);

    m_history->setObjectName(u"history"_s);
    m_history->setUniformItemSizes(true);
    layout->addWidget(new QLabel(tr("Sent messages"), this));
    layout->addWidget(m_history, 1);
}

QFormLayout *MessagingPanel::buildForm()
{
    m_target->setObjectName(u"target"_s);
    m_target->addItem(tr("All connections"), int(All));
    m_target->addItem(tr("User"), int(User));
    m_target->addItem(tr("Group"), int(Group));
    m_target->addItem(tr("Connection"), int(Connection));
    m_targetId->setObjectName(u"targetId"_s);
    auto *targetRow = new QHBoxLayout();
    targetRow->addWidget(m_target);
    targetRow->addWidget(m_targetId, 1);

    m_content->setObjectName(u"contentType"_s);
    m_content->addItem(tr("Text (text/plain)"), int(Text));
    m_content->addItem(tr("JSON (application/json)"), int(Json));
    m_content->addItem(tr("Binary (application/octet-stream)"), int(Binary));
    m_pretty->setObjectName(u"pretty"_s);
    m_loadFile->setObjectName(u"loadFile"_s);
    auto *contentRow = new QHBoxLayout();
    contentRow->addWidget(m_content);
    contentRow->addWidget(m_pretty);
    contentRow->addWidget(m_loadFile);
    contentRow->addStretch(1);

    m_body->setObjectName(u"body"_s);
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_body->setMaximumHeight(160);
    m_highlighter = new JsonHighlighter(m_body->document());
    m_bodyHint->setObjectName(u"bodyHint"_s);
    m_bodyHint->setWordWrap(true);

    m_excluded->setObjectName(u"excluded"_s);
    m_excluded->setPlaceholderText(tr("connection ids, comma-separated"));
    m_filter->setObjectName(u"filter"_s);
    m_filter->setPlaceholderText(tr("OData filter, e.g. userId eq 'alice' or 'room1' in groups"));
    m_filter->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_filterHint->setObjectName(u"filterHint"_s);
    m_filterHint->setWordWrap(true);
    m_ttl->setObjectName(u"ttl"_s);
    m_ttl->setRange(-1, 300);
    m_ttl->setValue(-1);
    m_ttl->setSpecialValueText(tr("not set"));
    m_ttl->setSuffix(tr(" s"));
    m_ttl->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed); // a number, not a text field

    auto *form = new QFormLayout();
    form->addRow(tr("Target"), targetRow);
    form->addRow(tr("Content"), contentRow);
    form->addRow(tr("Body"), m_body);
    form->addRow(QString(), m_bodyHint);
    form->addRow(tr("Excluded"), m_excluded);
    form->addRow(tr("Filter"), m_filter);
    form->addRow(QString(), m_filterHint);
    form->addRow(tr("Message TTL"), m_ttl);
    return form;
}

void MessagingPanel::wire()
{
    connect(m_target, &QComboBox::currentIndexChanged, this, &MessagingPanel::updateForm);
    connect(m_content, &QComboBox::currentIndexChanged, this, &MessagingPanel::updateForm);
    connect(m_body, &QPlainTextEdit::textChanged, this, &MessagingPanel::checkBody);
    connect(m_filter, &QLineEdit::textChanged, this, &MessagingPanel::checkFilter);
    connect(m_pretty, &QPushButton::clicked, this, &MessagingPanel::prettyPrint);
    connect(m_loadFile, &QPushButton::clicked, this, &MessagingPanel::chooseFile);
    connect(m_send, &QPushButton::clicked, this, [this] { send(); });
    m_deliveryWait.setSingleShot(true);
    m_deliveryWait.setInterval(3000);
    connect(&m_deliveryWait, &QTimer::timeout, this, [this] { finishDelivery(std::nullopt); });
    connect(m_action, &JobAction::done, this, &MessagingPanel::onSendAnswered);
    if (m_session)
        connect(m_session, &ConsoleSession::clientChanged, this, &MessagingPanel::setClient);
}

void MessagingPanel::onSendAnswered(bool ok)
{
    if (!ok || m_awaitedRequestId.isEmpty()) {
        addHistory(m_pendingEntry + u" — "_s + m_outcome->text());
        m_pendingEntry.clear();
        return;
    }
    // Accepted: the answer to "did it arrive?" comes from the service's live trace, if at all.
    if (m_reports) {
        if (const auto report = m_reports->requestReport(m_awaitedRequestId)) {
            finishDelivery(report);
            return;
        }
    }
    if (!m_reports || m_reports->state() != wps::trace::LiveTraceClient::State::Connected) {
        finishDelivery(std::nullopt);
        return;
    }
    showOutcome(
        m_outcome, Outcome::Neutral,
        tr("Accepted by the service (HTTP %1); waiting for its delivery report…").arg(m_acceptedStatus));
    m_deliveryWait.start();
}

void MessagingPanel::setDeliveryReports(wps::trace::LiveTraceClient *liveTrace)
{
    if (m_reports)
        m_reports->disconnect(this);
    m_reports = liveTrace;
    if (!liveTrace)
        return;
    connect(liveTrace, &wps::trace::LiveTraceClient::requestReported, this,
            [this](const QString &requestId, const wps::trace::RequestReport &report) {
                if (!m_awaitedRequestId.isEmpty() && requestId == m_awaitedRequestId &&
                    m_deliveryWait.isActive())
                    finishDelivery(report);
            });
}

void MessagingPanel::finishDelivery(const std::optional<wps::trace::RequestReport> &report)
{
    m_deliveryWait.stop();
    m_awaitedRequestId.clear();
    QString text;
    Outcome outcome = Outcome::Neutral;
    const QString status = tr(" (HTTP %1).").arg(m_acceptedStatus);
    if (!report) {
        text = tr("Sent (accepted by the service; delivery not reported).");
    } else if (report->deliveredCount < 0) {
        text = tr("Sent (accepted by the service; the service did not report a delivery count).");
    } else if (report->deliveredCount == 0) {
        text = tr("Accepted, but delivered to 0 connections");
        if (!report->deliveryNote.isEmpty())
            text += u" — "_s + report->deliveryNote;
        text += status;
        outcome = Outcome::Failure;
    } else {
        text = (report->deliveredCount == 1 ? tr("Delivered to 1 connection")
                                            : tr("Delivered to %1 connections").arg(report->deliveredCount)) +
               status;
        outcome = Outcome::Success;
    }
    showOutcome(m_outcome, outcome, text);
    addHistory(m_pendingEntry + u" — "_s + text);
    m_pendingEntry.clear();
}

void MessagingPanel::setClient(wps::service::ServiceClient *client)
{
    m_client = client;
    m_action->reset();
    m_deliveryWait.stop();
    m_awaitedRequestId.clear();
    if (m_check) {
        m_check->disconnect(this);
        m_check->deleteLater();
        m_check = nullptr;
    }
    m_send->setEnabled(client != nullptr);
    if (!client)
        showOutcome(m_outcome, Outcome::Neutral, tr("Not connected."));
    else
        showOutcome(m_outcome, Outcome::Neutral, tr("Hub “%1”.").arg(client->hub()));
}

void MessagingPanel::updateForm()
{
    const auto target = static_cast<Target>(m_target->currentData().toInt());
    m_targetId->setEnabled(target != All);
    m_targetId->setPlaceholderText(target == User         ? tr("user id")
                                   : target == Group      ? tr("group name")
                                   : target == Connection ? tr("connection id")
                                                          : tr("every connection of the hub"));
    // The service takes `excluded` for all/group and `filter` for all/group/user
    // (docs/protocol.md#operations).
    m_excluded->setEnabled(target == All || target == Group);
    m_filter->setEnabled(target != Connection);
    const auto content = static_cast<Content>(m_content->currentData().toInt());
    m_pretty->setEnabled(content == Json);
    // Colour the body only when it is meant to be JSON.
    QTextDocument *coloured = content == Json ? m_body->document() : nullptr;
    if (m_highlighter->document() != coloured) {
        m_highlighter->setDocument(coloured);
        if (coloured)
            m_highlighter->rehighlight(); // now, not on the next turn
    }
    m_body->setPlaceholderText(content == Binary ? tr("hex bytes, e.g. 48 65 6c 6c 6f")
                               : content == Json ? tr("{\"text\": \"hello\"}")
                                                 : tr("hello"));
    checkBody();
    checkFilter();
}

void MessagingPanel::checkBody()
{
    const auto content = static_cast<Content>(m_content->currentData().toInt());
    const QString text = m_body->toPlainText();
    if (content == Json) {
        QJsonParseError error;
        QJsonDocument::fromJson(text.toUtf8(), &error);
        if (!text.trimmed().isEmpty() && error.error != QJsonParseError::NoError) {
            showOutcome(m_bodyHint, Outcome::Failure,
                        tr("Not JSON: %1 at byte %2.").arg(error.errorString()).arg(error.offset));
            return;
        }
    } else if (content == Binary) {
        const auto bytes = parseHex(text);
        if (!bytes) {
            showOutcome(m_bodyHint, Outcome::Failure, tr("Not hex: use pairs of 0-9 and a-f."));
            return;
        }
        showOutcome(m_bodyHint, Outcome::Neutral, tr("%n byte(s)", nullptr, int(bytes->size())));
        return;
    }
    showOutcome(m_bodyHint, Outcome::Neutral, QString());
}

void MessagingPanel::checkFilter()
{
    const QString text = m_filter->text();
    if (text.trimmed().isEmpty() || !m_filter->isEnabled()) {
        m_filter->setStyleSheet(QString());
        showOutcome(m_filterHint, Outcome::Neutral, QString());
        return;
    }
    const auto parsed = filter::Expression::parse(text);
    if (parsed) {
        m_filter->setStyleSheet(QString());
        showOutcome(m_filterHint, Outcome::Success, tr("Valid filter."));
        return;
    }
    m_filter->setStyleSheet(u"QLineEdit { border: 1px solid #a4262c; }"_s);
    showOutcome(m_filterHint, Outcome::Failure, parsed.error().message);
}

void MessagingPanel::prettyPrint()
{
    // Re-indented, never re-serialised: the keys keep their order and the numbers their digits.
    if (const auto pretty = wps::jsontext::pretty(m_body->toPlainText().toUtf8()))
        m_body->setPlainText(QString::fromUtf8(*pretty));
}

void MessagingPanel::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Send a file as binary"));
    if (!path.isEmpty())
        loadBinaryFile(path);
}

bool MessagingPanel::loadBinaryFile(const QString &path)
{
    QFile file(path);
    if (QFileInfo(path).size() > maxFileBytes) {
        showOutcome(m_bodyHint, Outcome::Failure,
                    tr("%1 is larger than %2 KiB.").arg(QFileInfo(path).fileName()).arg(maxFileBytes / 1024));
        return false;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        showOutcome(m_bodyHint, Outcome::Failure, tr("Cannot read %1: %2").arg(path, file.errorString()));
        return false;
    }
    const QByteArray data = file.read(maxFileBytes + 1);
    m_content->setCurrentIndex(m_content->findData(int(Binary)));
    m_body->setPlainText(QString::fromLatin1(data.toHex(' ')));
    return true;
}

bool MessagingPanel::send()
{
    if (!m_client) {
        showOutcome(m_outcome, Outcome::Failure, tr("Not connected."));
        return false;
    }
    const auto prepared = prepare();
    if (!prepared) {
        showOutcome(m_outcome, Outcome::Failure, prepared.error());
        return false;
    }
    m_prepared = *prepared;
    m_deliveryWait.stop();
    m_awaitedRequestId.clear();
    if (m_prepared.target == Connection)
        checkConnectionThenDispatch(m_prepared.id);
    else
        dispatch();
    return true;
}

Expected<MessagingPanel::Prepared, QString> MessagingPanel::prepare() const
{
    using Result = Expected<Prepared, QString>;
    const auto target = static_cast<Target>(m_target->currentData().toInt());
    const QString id = m_targetId->text().trimmed();
    QString problem;
    if (target == User)
        problem = names::checkUserId(id);
    else if (target == Group)
        problem = names::checkGroup(id);
    else if (target == Connection)
        problem = names::checkConnectionId(id);
    if (!problem.isEmpty())
        return Result::failure(problem);

    wps::service::Message message;
    const auto content = static_cast<Content>(m_content->currentData().toInt());
    const QString text = m_body->toPlainText();
    if (content == Json) {
        QJsonParseError error;
        QJsonDocument::fromJson(text.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError)
            return Result::failure(tr("The body is not JSON: %1.").arg(error.errorString()));
        message = wps::service::Message::json(text.toUtf8());
    } else if (content == Binary) {
        const auto bytes = parseHex(text);
        if (!bytes)
            return Result::failure(tr("The body is not hex."));
        message = wps::service::Message::binary(*bytes);
    } else {
        message = wps::service::Message::text(text);
    }

    wps::service::SendOptions options;
    if (m_excluded->isEnabled())
        options.excluded = splitList(m_excluded->text());
    if (m_filter->isEnabled() && !m_filter->text().trimmed().isEmpty()) {
        const auto parsed = filter::Expression::parse(m_filter->text());
        if (!parsed)
            return Result::failure(parsed.error().message);
        options.filter = m_filter->text().trimmed();
    }
    if (m_ttl->value() >= 0)
        options.messageTtlSeconds = m_ttl->value();

    return Prepared{int(target), id, message, options};
}

void MessagingPanel::checkConnectionThenDispatch(const QString &id)
{
    // A connection id from another hub would be accepted (202) and reach nobody: ask this hub first.
    if (m_check) {
        m_check->disconnect(this);
        m_check->deleteLater();
    }
    auto *check = m_client->connectionExists(id);
    m_check = check;
    m_send->setEnabled(false);
    showOutcome(m_outcome, Outcome::Neutral,
                tr("Checking that connection %1 is in hub “%2”…").arg(id, m_client->hub()));
    const QPointer<wps::service::ServiceClient> client = m_client;
    connect(check, &wps::service::ServiceJob::finished, this, [this, check, client, id] {
        check->deleteLater();
        if (check != m_check.data() || client != m_client)
            return; // superseded, or the hub changed meanwhile
        m_check = nullptr;
        m_send->setEnabled(m_client != nullptr);
        const QString hub = m_client ? m_client->hub() : QString();
        if (check->hasError()) {
            showOutcome(
                m_outcome, Outcome::Failure,
                tr("Not sent: could not check connection %1: %2").arg(id, describeError(check->error())));
            return;
        }
        if (!check->exists()) {
            const QString why =
                tr("Not sent: connection %1 is not connected to hub “%2” — it is on another hub, "
                   "or it has closed.")
                    .arg(id, hub);
            showOutcome(m_outcome, Outcome::Failure, why);
            addHistory(
                tr("%1  → connection %2 — %3").arg(QTime::currentTime().toString(u"HH:mm:ss"_s), id, why));
            return;
        }
        dispatch();
    });
}

void MessagingPanel::dispatch()
{
    if (!m_client)
        return;
    const Prepared &p = m_prepared;
    wps::service::ServiceJob *job = nullptr;
    QString description;
    switch (static_cast<Target>(p.target)) {
    case All:
        job = m_client->sendToAll(p.message, p.options);
        description = tr("all");
        break;
    case User:
        job = m_client->sendToUser(p.id, p.message, p.options);
        description = tr("user %1").arg(p.id);
        break;
    case Group:
        job = m_client->sendToGroup(p.id, p.message, p.options);
        description = tr("group %1").arg(p.id);
        break;
    case Connection:
        job = m_client->sendToConnection(p.id, p.message, p.options);
        description = tr("connection %1").arg(p.id);
        break;
    }
    m_pendingEntry = tr("%1  → %2  %3, %n byte(s)", nullptr, int(p.message.data.size()))
                         .arg(QTime::currentTime().toString(u"HH:mm:ss"_s), description,
                              QString::fromLatin1(p.message.contentType));
    m_action->run(job, [this](wps::service::ServiceJob *finished) {
        m_awaitedRequestId = finished->clientRequestId();
        m_acceptedStatus = finished->httpStatus();
        return tr("Accepted (HTTP %1).").arg(finished->httpStatus());
    });
}

void MessagingPanel::addHistory(const QString &entry)
{
    // Bounded: remove the oldest first, then insert (docs/style.md rule 21).
    while (m_history->count() >= maxHistory)
        delete m_history->takeItem(m_history->count() - 1);
    m_history->insertItem(0, entry);
}

QString MessagingPanel::outcomeText() const
{
    return m_outcome->text();
}

QStringList MessagingPanel::history() const
{
    QStringList entries;
    for (int i = 0; i < m_history->count(); ++i)
        entries << m_history->item(i)->text();
    return entries;
}

} // namespace wps::ui
