#include "panels/trace/tracepanel.h"

#include "panels/common/jsonhighlighter.h"
#include "panels/trace/ratechart.h"
#include "protocol/jwt.h"
#include "protocol/messages.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "trace/traceexport.h"
#include "trace/tracehistory.h"
#include "trace/tracejsonl.h"
#include "trace/tracemodel.h"
#include "trace/tracestore.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDateTime>
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
#include <QSplitter>
#include <QTabWidget>
#include <QTimeZone>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {

QString hexDump(const QByteArray &bytes)
{
    QString out;
    const qsizetype limit = std::min<qsizetype>(bytes.size(), 64 * 1024);
    for (qsizetype offset = 0; offset < limit; offset += 16) {
        const QByteArray line = bytes.mid(offset, 16);
        QString ascii;
        for (const char c : line)
            ascii += (c >= 0x20 && c < 0x7f) ? QChar::fromLatin1(c) : u'.';
        out += u"%1  %2  %3\n"_s.arg(qlonglong(offset), 8, 16, QChar(u'0'))
                   .arg(QString::fromLatin1(line.toHex(' ')), -47)
                   .arg(ascii);
    }
    if (limit < bytes.size())
        out += QObject::tr("… %n more byte(s)", nullptr, int(bytes.size() - limit));
    return out;
}

/// The payload as a person wants to read it: pretty JSON, a protobuf frame decoded to its JSON form, the
/// claims of a JWT in it, or text.
QString decode(const QByteArray &payload, bool binary, QString *how)
{
    // HTTP records carry "headers\r\n\r\nbody": decode the body.
    QByteArray body = payload;
    QString headers;
    if (const qsizetype end = payload.indexOf("\r\n\r\n"); !binary && end >= 0) {
        const QByteArray head = payload.left(end);
        if (head.contains(':') && !head.trimmed().startsWith('{')) {
            headers = QString::fromUtf8(head) + u"\n\n"_s;
            body = payload.mid(end + 4);
        }
    }
    if (binary) {
        if (auto message = wps::messages::protobuf::decodeMessage(body)) {
            *how = QObject::tr("protobuf (service message)");
            return QString::fromUtf8(QJsonDocument::fromJson(wps::messages::json::encode(*message))
                                         .toJson(QJsonDocument::Indented));
        }
        if (auto request = wps::messages::protobuf::decodeRequest(body)) {
            *how = QObject::tr("protobuf (client request)");
            return QString::fromUtf8(QJsonDocument::fromJson(wps::messages::json::encode(*request))
                                         .toJson(QJsonDocument::Indented));
        }
        *how = QObject::tr("binary (see Hex)");
        return {};
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    QString text = error.error == QJsonParseError::NoError
                       ? QString::fromUtf8(document.toJson(QJsonDocument::Indented))
                       : QString::fromUtf8(body);
    *how = error.error == QJsonParseError::NoError ? QObject::tr("JSON") : QObject::tr("text");
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
    , m_count(new QLabel(this))
    , m_status(new QLabel(this))
    , m_detailTabs(new QTabWidget(this))
    , m_summary(new QPlainTextEdit(this))
    , m_decoded(new QPlainTextEdit(this))
    , m_hex(new QPlainTextEdit(this))
    , m_base64(new QPlainTextEdit(this))
    , m_chart(new RateChart(m_store, this))
{
    // Filter bar.
    m_text->setObjectName(u"traceText"_s);
    m_text->setPlaceholderText(tr("Filter: any text in a row or payload (connection id, group, error …)"));
    m_text->setClearButtonEnabled(true);
    m_regex->setObjectName(u"traceRegex"_s);
    auto *bar = new QHBoxLayout();
    bar->addWidget(m_text, 1);
    bar->addWidget(m_regex);
    const QStringList kindNames = {tr("HTTP"), tr("Frames"), tr("Lifecycle"), tr("Notes")};
    for (int k = 0; k < wps::trace::kindCount; ++k) {
        auto *button = new QToolButton(this);
        button->setObjectName(u"traceKind"_s + QString::number(k));
        button->setText(kindNames.value(k));
        button->setCheckable(true);
        button->setChecked(true);
        button->setToolTip(tr("Show %1 rows").arg(kindNames.value(k)));
        connect(button, &QToolButton::toggled, this, &TracePanel::applyFilter);
        m_kinds << button;
        bar->addWidget(button);
    }
    for (QToolButton *button : {m_in, m_out}) {
        button->setCheckable(true);
        button->setChecked(true);
        connect(button, &QToolButton::toggled, this, &TracePanel::applyFilter);
        bar->addWidget(button);
    }
    m_in->setText(tr("In"));
    m_in->setObjectName(u"traceIn"_s);
    m_out->setText(tr("Out"));
    m_out->setObjectName(u"traceOut"_s);
    m_related->setObjectName(u"traceRelated"_s);
    m_related->setText(tr("Show related"));
    m_related->setCheckable(true);
    m_related->setToolTip(tr("Only the rows that share the selected row's correlation id (a request and its "
                             "response, a frame and its ack, a connection's lifecycle)"));
    connect(m_related, &QToolButton::toggled, this, [this](bool on) { showRelated(on); });
    bar->addWidget(m_related);

    auto *actions = new QHBoxLayout();
    m_pause->setObjectName(u"tracePause"_s);
    m_pause->setText(tr("Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Freeze the list; events are still captured and appear on resume"));
    connect(m_pause, &QToolButton::toggled, this, &TracePanel::setPaused);
    m_follow->setObjectName(u"traceFollow"_s);
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the newest row in view while the list is scrolled to the bottom"));
    auto *clear = new QToolButton(this);
    clear->setObjectName(u"traceClear"_s);
    clear->setText(tr("Clear"));
    connect(clear, &QToolButton::clicked, this, [this] { m_store->clear(); });
    auto *exportButton = new QToolButton(this);
    exportButton->setObjectName(u"traceExport"_s);
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *exportMenu = new QMenu(exportButton);
    exportMenu->addAction(tr("JSON Lines (re-importable)…"), this, [this] { chooseExport(u"jsonl"_s); });
    exportMenu->addAction(tr("HAR 1.2 of the REST calls…"), this, [this] { chooseExport(u"har"_s); });
    exportMenu->addAction(tr("CSV…"), this, [this] { chooseExport(u"csv"_s); });
    exportButton->setMenu(exportMenu);
    auto *importButton = new QToolButton(this);
    importButton->setObjectName(u"traceImport"_s);
    importButton->setText(tr("Import"));
    importButton->setPopupMode(QToolButton::InstantPopup);
    auto *importMenu = new QMenu(importButton);
    importButton->setMenu(importMenu);
    // Rebuilt each time it opens: a file, or one of the last sessions kept by the window.
    connect(importMenu, &QMenu::aboutToShow, this, [this, importMenu] {
        importMenu->clear();
        importMenu->addAction(tr("From a file…"), this, [this] {
            const QString path = QFileDialog::getOpenFileName(this, tr("Import a trace"), QString(),
                                                              tr("Trace sessions (*.jsonl);;All files (*)"));
            if (!path.isEmpty())
                importFrom(path);
        });
        if (m_historyDirectory.isEmpty())
            return;
        importMenu->addSection(tr("Recent sessions"));
        const auto entries = wps::trace::TraceHistory(m_historyDirectory).entries();
        if (entries.isEmpty())
            importMenu->addAction(tr("(none yet: the trace is kept when a window closes)"))
                ->setEnabled(false);
        for (const auto &entry : entries) {
            const QString label = tr("%1 (%2 KB)")
                                      .arg(entry.saved.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s))
                                      .arg((entry.bytes + 1023) / 1024);
            const QString path = entry.path;
            importMenu->addAction(label, this, [this, path] { importFrom(path); });
        }
    });
    auto *chartToggle = new QToolButton(this);
    chartToggle->setText(tr("Chart"));
    chartToggle->setCheckable(true);
    chartToggle->setChecked(true);
    connect(chartToggle, &QToolButton::toggled, m_chart, &QWidget::setVisible);
    m_count->setObjectName(u"traceCount"_s);
    m_status->setObjectName(u"traceStatus"_s);
    actions->addWidget(m_pause);
    actions->addWidget(m_follow);
    actions->addWidget(clear);
    actions->addWidget(exportButton);
    actions->addWidget(importButton);
    actions->addWidget(chartToggle);
    actions->addWidget(m_status, 1);
    actions->addWidget(m_count);

    // The list: uniform rows, no tree decoration, sized columns (rule 17).
    m_view->setObjectName(u"traceView"_s);
    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true);
    m_view->setRootIsDecorated(false);
    m_view->setAllColumnsShowFocus(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->header()->setStretchLastSection(true);
    m_view->header()->setContextMenuPolicy(Qt::CustomContextMenu);
    const int em = fontMetrics().horizontalAdvance(u'M');
    const int widths[] = {11, 6, 4, 6, 12, 8, 8, 10, 5, 6, 6};
    for (int c = 0; c < int(std::size(widths)); ++c)
        m_view->setColumnWidth(c, widths[c] * em);
    // Column chooser: the header's context menu.
    connect(m_view->header(), &QHeaderView::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu;
        for (int c = 0; c < m_model->columnCount(); ++c) {
            QAction *action = menu.addAction(m_model->headerData(c, Qt::Horizontal).toString());
            action->setCheckable(true);
            action->setChecked(!m_view->isColumnHidden(c));
            connect(action, &QAction::toggled, m_view,
                    [this, c](bool on) { m_view->setColumnHidden(c, !on); });
        }
        menu.exec(m_view->header()->mapToGlobal(pos));
    });

    // Detail pane.
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
    m_detailTabs->addTab(m_decoded, tr("Payload"));
    m_detailTabs->addTab(m_hex, tr("Hex"));
    m_detailTabs->addTab(m_base64, tr("Base64"));
    m_base64->setObjectName(u"traceBase64"_s);
    m_base64->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_decoded->setPlaceholderText(tr("Select a row to see its payload."));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_detailTabs);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    m_chart->setMaximumHeight(fontMetrics().height() * 10);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addLayout(actions);
    layout->addWidget(m_chart);
    layout->addWidget(split, 1);

    m_filterDelay.setSingleShot(true);
    m_filterDelay.setInterval(200);
    connect(&m_filterDelay, &QTimer::timeout, this, &TracePanel::applyFilter);
    connect(m_text, &QLineEdit::textChanged, &m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_regex, &QCheckBox::toggled, this, &TracePanel::applyFilter);
    connect(m_model, &wps::trace::TraceModel::filterError, this,
            [this](const QString &message) { m_status->setText(message); });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &TracePanel::updateCount);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &TracePanel::updateCount);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TracePanel::updateCount);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TracePanel::onCurrentChanged);
    m_tailTimer.setInterval(250);
    connect(&m_tailTimer, &QTimer::timeout, this, &TracePanel::followTail);
    m_tailTimer.start();
    updateCount();
}

TracePanel::~TracePanel()
{
    if (!m_historyDirectory.isEmpty()) {
        const auto saved = wps::trace::TraceHistory(m_historyDirectory).save(*m_store);
        if (!saved)
            qWarning("trace history: %s", qPrintable(saved.error()));
    }
}

void TracePanel::applyFilter()
{
    wps::trace::TraceFilterSpec spec;
    spec.kinds = 0;
    for (int k = 0; k < m_kinds.size(); ++k)
        spec.kinds |= m_kinds[k]->isChecked() ? quint8(1 << k) : quint8(0);
    spec.directions = quint8(1 << int(wps::trace::Direction::None));
    spec.directions |= m_in->isChecked() ? quint8(1 << int(wps::trace::Direction::In)) : quint8(0);
    spec.directions |= m_out->isChecked() ? quint8(1 << int(wps::trace::Direction::Out)) : quint8(0);
    const QString text = m_text->text().trimmed();
    if (m_regex->isChecked())
        spec.regex = text;
    else
        spec.text = text;
    spec.correlation = m_relatedId;
    if (m_paused)
        spec.toMs = m_pausedAt;
    if (m_model->setFilter(spec))
        m_status->clear();
    updateCount();
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
    if (!m_follow->isChecked() || m_paused)
        return;
    QScrollBar *bar = m_view->verticalScrollBar();
    // Follow only while the user is at the bottom; scrolling up to read stops following.
    if (bar->value() >= bar->maximum() - 2 * m_view->fontMetrics().height())
        m_view->scrollToBottom();
}

void TracePanel::onCurrentChanged()
{
    const QModelIndex current = m_view->currentIndex();
    wps::trace::TraceRecordView r;
    if (!current.isValid() || !m_store->record(m_model->recordId(current.row()), &r, true)) {
        m_summary->clear();
        m_decoded->clear();
        m_hex->clear();
        m_base64->clear();
        return;
    }
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
    const QString decoded = decode(r.payload, r.binary, &how);
    m_decoded->setPlainText(decoded);
    m_detailTabs->setTabText(1, how.isEmpty() ? tr("Payload") : tr("Payload (%1)").arg(how));
    m_hex->setPlainText(hexDump(r.payload));
    m_base64->setPlainText(QString::fromLatin1(r.payload.toBase64()));
}

QString TracePanel::detailText() const
{
    return m_decoded->toPlainText();
}

QList<quint64> TracePanel::visibleIds() const
{
    QList<quint64> ids;
    ids.reserve(m_model->rowCount());
    for (int row = 0; row < m_model->rowCount(); ++row)
        ids << m_model->recordId(row);
    return ids;
}

void TracePanel::chooseExport(const QString &format)
{
    const QString suffix = format == u"jsonl"_s ? u".jsonl"_s : format == u"har"_s ? u".har"_s : u".csv"_s;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the trace"), u"trace"_s + suffix,
                                                      tr("*%1").arg(suffix));
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
    const auto imported = wps::trace::importJsonl(&file, m_store);
    if (!imported) {
        m_status->setText(imported.error());
        return imported.error();
    }
    m_status->setText(tr("Imported %n record(s).", nullptr, int(*imported)));
    return {};
}

} // namespace wps::ui
