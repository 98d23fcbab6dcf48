#include "panels/trace/tracepanel.h"

#include "panels/common/pageheading.h"
#include "panels/common/viewstate.h"
#include "panels/trace/httpmessageview.h"
#include "panels/trace/ratechart.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "trace/tracehistory.h"
#include "trace/tracemodel.h"
#include "trace/tracestore.h"

#include <QCheckBox>
#include <QCompleter>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStringListModel>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

// TracePanel is built in four files, one per area: this one (the layout, the packet list, the action bar,
// Follow, Pause and Show related), tracepanel_filter.cpp (the filter bar: validation, completion, saved
// filters), tracepanel_detail.cpp (the detail pane and Replay) and tracepanel_export.cpp (export, import).

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
    // The list and the details take the height the dock has, not the height they would like: the dock sits in
    // a scroll area that, for a page with wrapped text, grows its content to the preferred height, and the
    // panes' preferred ~290 px made the dock scroll at 1280x720 with the table's newest rows, the ones Follow
    // scrolls to, below the fold. Below eight lines the dock scrolls instead.
    split->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Ignored);
    split->setMinimumHeight(fontMetrics().height() * 8);
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
    m_view->scrollToBottom();
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

} // namespace wps::ui
