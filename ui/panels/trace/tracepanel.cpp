#include "panels/trace/tracepanel.h"

#include "common/jsontext.h"
#include "panels/common/jsonhighlighter.h"
#include "panels/common/pageheading.h"
#include "panels/common/viewstate.h"
#include "panels/trace/hexdump.h"
#include "panels/trace/httpmessageview.h"
#include "panels/trace/ratechart.h"
#include "panels/trace/replaydialog.h"
#include "protocol/jwt.h"
#include "protocol/messages.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "trace/traceexport.h"
#include "trace/tracehistory.h"
#include "trace/tracejsonl.h"
#include "trace/tracemodel.h"
#include "trace/tracestore.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCompleter>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSaveFile>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStringListModel>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

// TracePanel's filter bar is in tracepanel_filter.cpp; the rest of the panel is here.

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {

/// Colours errors and refusals (TraceModel::ErrorRole): dark red text on a light red background.
class ErrorRowDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.data(wps::trace::TraceModel::ErrorRole).toBool()) {
            option->palette.setColor(QPalette::Text, QColor(0xa0, 0x10, 0x10));
            option->backgroundBrush = QColor(0xff, 0xe4, 0xe1);
        }
    }
};

/// "headers\r\n\r\nbody" of an HTTP record split in two; for other records the whole payload is the body.
QByteArray splitHttp(const QByteArray &payload, bool binary, QByteArray *head)
{
    if (const qsizetype end = payload.indexOf("\r\n\r\n"); !binary && end >= 0) {
        const QByteArray block = payload.left(end);
        if (block.contains(':') && !block.trimmed().startsWith('{')) {
            *head = block;
            return payload.mid(end + 4);
        }
    }
    head->clear();
    return payload;
}

/// JSON text for reading: re-indented (never re-serialised, so keys keep their order and numbers their
/// digits) when \a pretty, else as it is.
QString jsonView(const QByteArray &json, bool pretty)
{
    if (pretty) {
        if (const auto indented = wps::jsontext::pretty(json))
            return QString::fromUtf8(*indented);
    }
    return QString::fromUtf8(json);
}

/// The payload as a person wants to read it: JSON (pretty when \a pretty), a protobuf frame decoded to its
/// JSON form, the claims of a JWT in it, or text. The bytes themselves are never changed: copy and export
/// use the stored payload.
QString decode(const QByteArray &payload, bool binary, bool pretty, QString *how)
{
    QByteArray head;
    const QByteArray body = splitHttp(payload, binary, &head);
    const QString headers = head.isEmpty() ? QString() : QString::fromUtf8(head) + u"\n\n"_s;
    if (binary) {
        if (auto message = wps::messages::protobuf::decodeMessage(body)) {
            *how = QObject::tr("protobuf (service message)");
            return jsonView(wps::messages::json::encode(*message), pretty);
        }
        if (auto request = wps::messages::protobuf::decodeRequest(body)) {
            *how = QObject::tr("protobuf (client request)");
            return jsonView(wps::messages::json::encode(*request), pretty);
        }
        *how = QObject::tr("binary (see Hex)");
        return {};
    }
    const bool isJson = wps::jsontext::isJsonDocument(body);
    QString text = isJson ? jsonView(body, pretty) : QString::fromUtf8(body);
    *how = isJson ? QObject::tr("JSON") : QObject::tr("text");
    // A JWT in the payload (expect most to be redacted): show its claims.
    static const QRegularExpression jwt(u"eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*"_s);
    if (const auto match = jwt.match(QString::fromUtf8(payload)); match.hasMatch()) {
        if (const auto claims = wps::jwt::decodeClaimsUnverified(match.captured(0).toLatin1())) {
            text += u"\n\n"_s + QObject::tr("JWT claims (not verified):") + u"\n"_s +
                    QString::fromUtf8(QJsonDocument(*claims).toJson(QJsonDocument::Indented));
            *how += QObject::tr(" + JWT");
        }
    }
    return headers + text;
}

} // namespace

TracePanel::TracePanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_store(session->traceStore())
    , m_model(new wps::trace::TraceModel(m_store, this))
    , m_view(new QTreeView(this))
    , m_text(new QLineEdit(this))
    , m_regex(new QCheckBox(tr("Regex"), this))
    , m_in(new QToolButton(this))
    , m_out(new QToolButton(this))
    , m_related(new QToolButton(this))
    , m_pause(new QToolButton(this))
    , m_follow(new QCheckBox(tr("Follow"), this))
    , m_keepAlives(new QCheckBox(tr("Keep-alives"), this))
    , m_saved(new QToolButton(this))
    , m_completer(new QCompleter(this))
    , m_completions(new QStringListModel(this))
    , m_count(new QLabel(this))
    , m_status(new QLabel(this))
    , m_detailTabs(new QTabWidget(this))
    , m_summary(new QPlainTextEdit(this))
    , m_decoded(new QPlainTextEdit(this))
    , m_hex(new QPlainTextEdit(this))
    , m_base64(new QPlainTextEdit(this))
    , m_pretty(new QCheckBox(tr("Pretty JSON"), this))
    , m_requestView(new HttpMessageView(u"traceRequest"_s, this))
    , m_responseView(new HttpMessageView(u"traceResponse"_s, this))
    , m_chart(new RateChart(m_store, this))
{
    buildUi();
    wire();
    applyFilter(); // the model starts with what the controls show (keep-alives hidden), not its own defaults
}

void TracePanel::buildUi()
{
    setPagePurpose(this, tr("What the console sent and received and what the service reported, in time "
                            "order."));
    QHBoxLayout *bar = buildFilterBar();
    QHBoxLayout *actions = buildActionBar();
    buildPacketList();
    QWidget *detail = buildDetailPane();

    // Side by side: the dock is wide and short on a laptop screen, and stacked panes left the packet list
    // two or three rows (seen at 1366x768); the list keeps the full height and most of the width.
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(u"traceSplit"_s);
    split->addWidget(m_view);
    split->addWidget(detail);
    split->setStretchFactor(0, 7);
    split->setStretchFactor(1, 3);
    split->setChildrenCollapsible(false);
    m_chart->setMaximumHeight(fontMetrics().height() * 10);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addLayout(actions);
    layout->addWidget(m_chart);
    layout->addWidget(split, 1);
}

QHBoxLayout *TracePanel::buildActionBar()
{
    auto *actions = new QHBoxLayout();
    m_pause->setObjectName(u"tracePause"_s);
    m_pause->setText(tr("Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Freeze the list; events are still captured and appear on resume"));
    connect(m_pause, &QToolButton::toggled, this, &TracePanel::setPaused);
    m_follow->setObjectName(u"traceFollow"_s);
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the newest row in view; scrolling up to read stops following until you "
                            "scroll back to the bottom"));
    m_keepAlives->setObjectName(u"traceKeepAlives"_s);
    m_keepAlives->setToolTip(tr("Show keep-alive frames (ping, pong, sequenceAck)"));
    connect(m_keepAlives, &QCheckBox::toggled, this, &TracePanel::applyFilter);
    auto *clear = new QToolButton(this);
    clear->setObjectName(u"traceClear"_s);
    clear->setText(tr("Clear"));
    connect(clear, &QToolButton::clicked, this, [this] { m_store->clear(); });
    QToolButton *exportButton = buildExportButton();
    QToolButton *importButton = buildImportButton();
    QToolButton *chartToggle = buildChartToggle();
    m_count->setObjectName(u"traceCount"_s);
    m_status->setObjectName(u"traceStatus"_s);
    actions->addWidget(m_pause);
    actions->addWidget(m_follow);
    actions->addWidget(m_keepAlives);
    actions->addWidget(clear);
    actions->addWidget(exportButton);
    actions->addWidget(importButton);
    actions->addWidget(chartToggle);
    actions->addWidget(m_status, 1);
    actions->addWidget(m_count);
    return actions;
}

QToolButton *TracePanel::buildChartToggle()
{
    auto *chartToggle = new QToolButton(this);
    chartToggle->setText(tr("Chart"));
    chartToggle->setObjectName(u"traceChartToggle"_s);
    chartToggle->setCheckable(true);
    // Off by default (the rows need the room on a laptop screen); the choice is remembered.
    const bool chartShown = settings()->value(u"trace/chartShown"_s, false).toBool();
    chartToggle->setChecked(chartShown);
    m_chart->setVisible(chartShown);
    connect(chartToggle, &QToolButton::toggled, this, [this](bool on) {
        m_chart->setVisible(on);
        settings()->setValue(u"trace/chartShown"_s, on);
    });
    return chartToggle;
}

void TracePanel::buildPacketList()
{
    // The list: uniform rows, no tree decoration, sized columns (rule 17).
    m_view->setObjectName(u"traceView"_s);
    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true);
    m_view->setRootIsDecorated(false);
    m_view->setAllColumnsShowFocus(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->header()->setStretchLastSection(true);
    rememberColumns(m_view->header(), u"trace"_s); // widths and hidden columns outlive the window
    m_view->header()->setContextMenuPolicy(Qt::CustomContextMenu);
    const int em = fontMetrics().horizontalAdvance(u'M');
    m_view->setItemDelegate(new ErrorRowDelegate(m_view));
    const int widths[] = {9, 6, 3, 6, 10, 7, 7, 10, 5, 6, 6, 6};
    for (int c = 0; c < int(std::size(widths)); ++c)
        m_view->setColumnWidth(c, widths[c] * em);
    // Hub, size and duration start hidden (the header's menu shows them), so the Summary column is on screen
    // in a laptop-sized dock beside the detail pane.
    for (const int c : {int(trace::TraceModel::HubColumn), int(trace::TraceModel::SizeColumn),
                        int(trace::TraceModel::DurationColumn)})
        m_view->setColumnHidden(c, true);
    // Column chooser: the header's context menu.
    connect(m_view->header(), &QHeaderView::customContextMenuRequested, this, &TracePanel::showColumnMenu);
}

void TracePanel::showColumnMenu(const QPoint &pos)
{
    QMenu menu;
    for (int c = 0; c < m_model->columnCount(); ++c) {
        QAction *action = menu.addAction(m_model->headerData(c, Qt::Horizontal).toString());
        action->setCheckable(true);
        action->setChecked(!m_view->isColumnHidden(c));
        connect(action, &QAction::toggled, m_view, [this, c](bool on) { m_view->setColumnHidden(c, !on); });
    }
    menu.exec(m_view->header()->mapToGlobal(pos));
}

void TracePanel::wire()
{
    // How the filter field, the model, the list and the detail pane follow one another; each builder
    // connects the buttons and menus it creates to what they do.
    m_filterDelay.setSingleShot(true);
    m_filterDelay.setInterval(200);
    connect(&m_filterDelay, &QTimer::timeout, this, &TracePanel::applyFilter);
    connect(m_text, &QLineEdit::textChanged, &m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_text, &QLineEdit::textChanged, this, &TracePanel::validateFilter);
    connect(m_text, &QLineEdit::returnPressed, this, [this] {
        if (m_completer->popup()->isVisible())
            return;
        m_filterDelay.stop();
        applyFilter();
    });
    connect(m_regex, &QCheckBox::toggled, this, [this] {
        validateFilter();
        applyFilter();
    });
    connect(m_model, &wps::trace::TraceModel::filterError, this,
            [this](const QString &message) { m_status->setText(message); });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &TracePanel::updateCount);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &TracePanel::updateCount);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TracePanel::updateCount);
    // Follow: after every insert (<= 60 per second), not only on the tail timer, so the newest row stays
    // in view under load. A scroll the panel did not make decides whether the user left the bottom.
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &TracePanel::followTail);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TracePanel::followTail);
    connect(m_view->verticalScrollBar(), &QScrollBar::actionTriggered, this, [this] {
        // Emitted with the slider position already moved by the user's action (wheel, keys, clicks).
        const QScrollBar *bar = m_view->verticalScrollBar();
        m_stickToBottom = bar->sliderPosition() >= bar->maximum();
    });
    connect(m_view->verticalScrollBar(), &QScrollBar::sliderMoved, this,
            [this](int value) { m_stickToBottom = value >= m_view->verticalScrollBar()->maximum(); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TracePanel::onCurrentChanged);
    m_tailTimer.setInterval(250);
    connect(&m_tailTimer, &QTimer::timeout, this, &TracePanel::followTail);
    m_tailTimer.start();
}

TracePanel::~TracePanel()
{
    if (!m_historyDirectory.isEmpty()) {
        const auto saved = wps::trace::TraceHistory(m_historyDirectory).save(*m_store);
        if (!saved)
            qWarning("trace history: %s", qPrintable(saved.error()));
    }
}

bool TracePanel::showRelated(bool on)
{
    m_relatedId.clear();
    if (on) {
        const QModelIndex current = m_view->currentIndex();
        wps::trace::TraceRecordView record;
        if (!current.isValid() || !m_store->record(m_model->recordId(current.row()), &record) ||
            record.correlation.isEmpty()) {
            m_status->setText(tr("Select a row with a correlation id first."));
            const QSignalBlocker block(m_related);
            m_related->setChecked(false);
            return false;
        }
        m_relatedId = record.correlation;
        m_status->setText(tr("Related to %1").arg(m_relatedId));
    } else {
        m_status->clear();
    }
    {
        const QSignalBlocker block(m_related);
        m_related->setChecked(on);
    }
    applyFilter();
    return true;
}

void TracePanel::setPaused(bool paused)
{
    m_paused = paused;
    m_pausedAt = QDateTime::currentMSecsSinceEpoch();
    {
        const QSignalBlocker block(m_pause);
        m_pause->setChecked(paused);
    }
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    applyFilter();
}

void TracePanel::updateCount()
{
    m_count->setText(tr("%1 of %2 events").arg(m_model->rowCount()).arg(m_store->count()));
}

void TracePanel::followTail()
{
    updateCount();
    if (!m_follow->isChecked() || m_paused || !m_stickToBottom || m_model->rowCount() == 0)
        return;
    m_autoScrolling = true;
    m_view->scrollToBottom();
    m_autoScrolling = false;
}

void TracePanel::setShowKeepAlives(bool show)
{
    m_keepAlives->setChecked(show);
}

void TracePanel::setSettingsFile(const QString &path)
{
    m_settingsFile = path;
    if (auto *chartToggle = findChild<QToolButton *>(u"traceChartToggle"_s))
        chartToggle->setChecked(settings()->value(u"trace/chartShown"_s, false).toBool());
}

std::unique_ptr<QSettings> TracePanel::settings() const
{
    if (m_settingsFile.isEmpty())
        return std::make_unique<QSettings>();
    return std::make_unique<QSettings>(m_settingsFile, QSettings::IniFormat);
}

QWidget *TracePanel::buildDetailPane()
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (QPlainTextEdit *edit : {m_summary, m_decoded, m_hex, m_base64}) {
        edit->setReadOnly(true);
        edit->setFont(fixed);
        edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    m_summary->setObjectName(u"traceSummary"_s);
    m_decoded->setObjectName(u"traceDecoded"_s);
    m_hex->setObjectName(u"traceHex"_s);
    new JsonHighlighter(m_decoded->document());
    m_detailTabs->setObjectName(u"traceDetail"_s);
    m_detailTabs->addTab(m_summary, tr("Summary"));
    m_detailTabs->addTab(m_requestView, tr("Request"));
    m_detailTabs->addTab(m_responseView, tr("Response"));
    m_detailTabs->setTabVisible(m_detailTabs->indexOf(m_requestView), false);
    m_detailTabs->setTabVisible(m_detailTabs->indexOf(m_responseView), false);
    m_detailTabs->addTab(m_decoded, tr("Payload"));
    m_detailTabs->addTab(m_hex, tr("Hex"));
    m_detailTabs->addTab(m_base64, tr("Base64"));
    m_base64->setObjectName(u"traceBase64"_s);
    m_base64->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_decoded->setPlaceholderText(tr("Select a row to see its payload."));

    m_pretty->setObjectName(u"tracePretty"_s);
    m_pretty->setChecked(true);
    m_pretty->setToolTip(tr("Indent JSON for reading. Only the view changes: keys keep their order and "
                            "numbers their digits, and Copy and the exports use the bytes as sent."));
    connect(m_pretty, &QCheckBox::toggled, this, &TracePanel::onCurrentChanged);
    auto *copyBody = new QToolButton(this);
    copyBody->setObjectName(u"traceCopyBody"_s);
    copyBody->setText(tr("Copy body"));
    copyBody->setToolTip(tr("Copy the selected row's body (or frame) exactly as it was sent"));
    connect(copyBody, &QToolButton::clicked, this, [this] {
        const QByteArray bytes = copyPayload();
        m_status->setText(tr("Copied %n byte(s).", nullptr, int(bytes.size())));
    });
    auto *detailBar = new QHBoxLayout();
    detailBar->setContentsMargins(0, 0, 0, 0);
    detailBar->addWidget(m_pretty);
    detailBar->addWidget(copyBody);
    detailBar->addStretch(1);
    auto *detail = new QWidget(this);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addLayout(detailBar);
    detailLayout->addWidget(m_detailTabs, 1);
    return detail;
}

void TracePanel::onCurrentChanged()
{
    const QModelIndex current = m_view->currentIndex();
    wps::trace::TraceRecordView r;
    if (!current.isValid() || !m_store->record(m_model->recordId(current.row()), &r, true)) {
        m_replay->setEnabled(false);
        m_summary->clear();
        m_decoded->clear();
        m_hex->clear();
        m_base64->clear();
        return;
    }
    m_replay->setEnabled(isUpstreamRequest(r));
    QStringList lines;
    lines
        << tr("Time:        %1")
               .arg(QDateTime::fromMSecsSinceEpoch(r.timestampMs).toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s))
        << tr("Kind:        %1 %2").arg(wps::trace::kindName(r.kind), wps::trace::directionName(r.direction))
        << tr("Type:        %1").arg(r.type);
    auto add = [&lines](const QString &label, const QString &value) {
        if (!value.isEmpty())
            lines << label + value;
    };
    add(tr("Hub:         "), r.hub);
    add(tr("Connection:  "), r.connectionId);
    add(tr("User:        "), r.userId);
    add(tr("Group:       "), r.group);
    add(tr("Status:      "), r.status ? QString::number(r.status) : QString());
    add(tr("Duration:    "), r.durationMs >= 0 ? tr("%1 ms").arg(r.durationMs) : QString());
    add(tr("Size:        "),
        tr("%n byte(s)", nullptr, int(r.size)) + (r.truncated ? tr(" (payload cut)") : QString()));
    add(tr("Correlation: "), r.correlation);
    add(tr("Detail:      "), r.detail);
    m_summary->setPlainText(lines.join(u'\n'));
    QString how;
    const QString decoded = decode(r.payload, r.binary, m_pretty->isChecked(), &how);
    m_decoded->setPlainText(decoded);
    m_detailTabs->setTabText(m_detailTabs->indexOf(m_decoded),
                             how.isEmpty() ? tr("Payload") : tr("Payload (%1)").arg(how));
    m_hex->setPlainText(hexDump(r.payload));
    m_base64->setPlainText(QString::fromLatin1(r.payload.toBase64()));
    showExchange(r);
}

void TracePanel::showExchange(const wps::trace::TraceRecordView &row)
{
    const int requestTab = m_detailTabs->indexOf(m_requestView);
    const int responseTab = m_detailTabs->indexOf(m_responseView);
    // An HTTP exchange the console saw whole (not the service's log record of one, which has no headers).
    const bool exchange = row.kind == wps::trace::Kind::Http && !row.correlation.isEmpty() &&
                          !(row.payload.startsWith('{') && row.payload.contains("\"logContext\""));
    m_detailTabs->setTabVisible(requestTab, exchange);
    m_detailTabs->setTabVisible(responseTab, exchange);
    if (!exchange)
        return;
    // The other half: the row nearby with the same correlation id, the other direction and the same
    // operation (a bounded look around, never a scan of the whole store).
    const bool isRequest = row.direction == wps::trace::Direction::Out;
    const wps::trace::Direction wanted = isRequest ? wps::trace::Direction::In : wps::trace::Direction::Out;
    constexpr quint64 window = 4096;
    const quint64 from = row.id > m_store->firstId() + window ? row.id - window : m_store->firstId();
    const quint64 to = std::min(m_store->endId(), row.id + window);
    quint64 partnerId = 0;
    bool found = false;
    m_store->forEach(
        from, to,
        [&](const wps::trace::TraceRecordView &r) {
            if (r.id == row.id || r.kind != wps::trace::Kind::Http || r.direction != wanted ||
                r.correlation != row.correlation || r.type != row.type)
                return;
            // The response after the request, the request before the response: the closest one.
            if (isRequest ? (r.id > row.id && !found) : (r.id < row.id)) {
                partnerId = r.id;
                found = true;
            }
        },
        false);
    wps::trace::TraceRecordView partner;
    const bool havePartner = found && m_store->record(partnerId, &partner, true);
    const wps::trace::TraceRecordView *request = isRequest ? &row : (havePartner ? &partner : nullptr);
    const wps::trace::TraceRecordView *response = isRequest ? (havePartner ? &partner : nullptr) : &row;
    auto cutNote = [](const wps::trace::TraceRecordView &r) {
        return r.truncated ? tr("[truncated, %n byte(s) in all]", nullptr, int(r.size)) : QString();
    };
    if (request)
        m_requestView->setMessage(request->detail, request->payload, request->binary, cutNote(*request));
    else
        m_requestView->setEmpty(tr("The request is not in the trace (cleared or evicted)."));
    if (!response) {
        m_responseView->setEmpty(tr("No response recorded (yet)."));
    } else if (response->status == 0) {
        m_responseView->setMessage(tr("No HTTP answer: %1").arg(response->detail), response->payload,
                                   response->binary, cutNote(*response));
    } else {
        QString line =
            u"HTTP/1.1 %1 %2"_s.arg(response->status).arg(wps::trace::httpReasonPhrase(response->status));
        if (response->durationMs >= 0)
            line += tr(" · %1 ms").arg(response->durationMs);
        m_responseView->setMessage(line.simplified(), response->payload, response->binary,
                                   cutNote(*response));
    }
}

bool TracePanel::isUpstreamRequest(const wps::trace::TraceRecordView &r)
{
    // The request row of an event-handler exchange: Http, sent by the service (Out), type "upstream <event>".
    return r.kind == wps::trace::Kind::Http && r.direction == wps::trace::Direction::Out && r.status == 0 &&
           r.type.startsWith(u"upstream "_s);
}

ReplayDialog *TracePanel::replayCurrent()
{
    const QModelIndex current = m_view->currentIndex();
    wps::trace::TraceRecordView r;
    if (!current.isValid() || !m_store->record(m_model->recordId(current.row()), &r, true) ||
        !isUpstreamRequest(r))
        return nullptr;
    auto request = wps::service::UpstreamRequest::fromTrace(r.detail, r.payload, r.connectionId);
    if (!request) {
        m_status->setText(tr("This row names no handler URL to send to."));
        return nullptr;
    }
    // The captured answer: the other row of the same exchange (same correlation) that carries a status.
    QString original;
    if (!r.correlation.isEmpty()) {
        m_store->forEach(
            m_store->firstId(), m_store->endId(),
            [&](const wps::trace::TraceRecordView &v) {
                if (v.id != r.id && v.correlation == r.correlation && v.kind == wps::trace::Kind::Http &&
                    (v.status != 0 || !v.payload.isEmpty()) && original.isEmpty())
                    original = u"HTTP %1\n"_s.arg(v.status) + QString::fromUtf8(v.payload);
            },
            true);
    }
    auto *dialog = new ReplayDialog(m_session, *request, original, r.truncated, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

QString TracePanel::detailText() const
{
    return m_decoded->toPlainText();
}

QByteArray TracePanel::copyPayload() const
{
    const QModelIndex current = m_view->currentIndex();
    wps::trace::TraceRecordView r;
    if (!current.isValid() || !m_store->record(m_model->recordId(current.row()), &r, true))
        return {};
    QByteArray head;
    const QByteArray body = splitHttp(r.payload, r.binary, &head);
    // Text goes to the clipboard as it is; bytes that are not UTF-8 as base64 (a clipboard holds text).
    const QString text = QString::fromUtf8(body);
    const bool isText = !r.binary && text.toUtf8() == body;
    QApplication::clipboard()->setText(isText ? text : QString::fromLatin1(body.toBase64()));
    return isText ? body : body.toBase64();
}

QToolButton *TracePanel::buildExportButton()
{
    auto *exportButton = new QToolButton(this);
    exportButton->setObjectName(u"traceExport"_s);
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *exportMenu = new QMenu(exportButton);
    exportMenu->addAction(tr("JSON Lines (re-importable)…"), this, [this] { chooseExport(u"jsonl"_s); });
    exportMenu->addAction(tr("HAR 1.2 (HTTP exchanges and WebSockets)…"), this,
                          [this] { chooseExport(u"har"_s); });
    exportMenu->addAction(tr("CSV…"), this, [this] { chooseExport(u"csv"_s); });
    exportButton->setMenu(exportMenu);
    return exportButton;
}

QToolButton *TracePanel::buildImportButton()
{
    auto *importButton = new QToolButton(this);
    importButton->setObjectName(u"traceImport"_s);
    importButton->setText(tr("Import"));
    importButton->setPopupMode(QToolButton::InstantPopup);
    auto *importMenu = new QMenu(importButton);
    importButton->setMenu(importMenu);
    // Rebuilt each time it opens: a file, or one of the last sessions kept by the window.
    connect(importMenu, &QMenu::aboutToShow, this, [this, importMenu] { fillImportMenu(importMenu); });
    return importButton;
}

void TracePanel::fillImportMenu(QMenu *importMenu)
{
    importMenu->clear();
    importMenu->addAction(tr("From a file…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Import a trace"), QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation),
            tr("Trace sessions and HAR files (*.jsonl *.har);;All files (*)"));
        if (!path.isEmpty())
            importFrom(path);
    });
    if (m_historyDirectory.isEmpty())
        return;
    importMenu->addSection(tr("Recent sessions"));
    const auto entries = wps::trace::TraceHistory(m_historyDirectory).entries();
    if (entries.isEmpty())
        importMenu->addAction(tr("(none yet: the trace is kept when a window closes)"))->setEnabled(false);
    for (const auto &entry : entries) {
        const QString label = tr("%1 (%2 KB)")
                                  .arg(entry.saved.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s))
                                  .arg((entry.bytes + 1023) / 1024);
        const QString path = entry.path;
        importMenu->addAction(label, this, [this, path] { importFrom(path); });
    }
}

QList<quint64> TracePanel::visibleIds() const
{
    QList<quint64> ids;
    ids.reserve(m_model->rowCount());
    for (int row = 0; row < m_model->rowCount(); ++row)
        ids << m_model->recordId(row);
    return ids;
}

QString TracePanel::suggestedExportPath(const QString &format) const
{
    const QString suffix = format == u"jsonl"_s ? u".jsonl"_s : format == u"har"_s ? u".har"_s : u".csv"_s;
    QString hub = m_session ? m_session->hub() : QString();
    hub.replace(QRegularExpression(u"[^A-Za-z0-9_.-]"_s), u"_"_s);
    const QString name = u"webpubsub-trace"_s + (hub.isEmpty() ? QString() : u'-' + hub) + u'-' +
                         QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_s) + suffix;
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty())
        folder = QDir::homePath();
    return QDir(folder).filePath(name);
}

void TracePanel::chooseExport(const QString &format)
{
    const QString suffix = format == u"jsonl"_s ? u".jsonl"_s : format == u"har"_s ? u".har"_s : u".csv"_s;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the trace"),
                                                      suggestedExportPath(format), tr("*%1").arg(suffix));
    if (!path.isEmpty())
        exportTo(path, format, !m_model->filter().isEmpty());
}

QString TracePanel::exportTo(const QString &path, const QString &format, bool onlyVisible)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        const QString error = tr("Cannot write %1: %2").arg(path, file.errorString());
        m_status->setText(error);
        return error;
    }
    const QList<quint64> ids = onlyVisible ? visibleIds() : QList<quint64>();
    Expected<qint64, QString> written = qint64(0);
    if (format == u"jsonl"_s)
        written = wps::trace::exportJsonl(*m_store, &file); // lossless: always the whole session
    else if (format == u"har"_s)
        written = wps::trace::exportHar(*m_store, ids, &file, QCoreApplication::applicationVersion());
    else
        written = wps::trace::exportCsv(*m_store, ids, &file);
    if (!written || !file.commit()) {
        const QString error =
            written ? tr("Cannot write %1: %2").arg(path, file.errorString()) : written.error();
        m_status->setText(error);
        return error;
    }
    m_status->setText(tr("Exported %n record(s) to %1.", nullptr, int(*written)).arg(path));
    return {};
}

QString TracePanel::importFrom(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        const QString error = tr("Cannot read %1: %2").arg(path, file.errorString());
        m_status->setText(error);
        return error;
    }
    const bool har = wps::trace::looksLikeHar(file.peek(512));
    const auto imported =
        har ? wps::trace::importHar(&file, m_store) : wps::trace::importJsonl(&file, m_store);
    if (!imported) {
        m_status->setText(imported.error());
        return imported.error();
    }
    m_status->setText(tr("Imported %n record(s).", nullptr, int(*imported)));
    return {};
}

} // namespace wps::ui
