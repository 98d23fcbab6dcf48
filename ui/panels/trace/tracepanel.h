#pragma once

#include "trace/tracefilter.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <memory>

class QCheckBox;
class QCompleter;
class QHBoxLayout;
class QMenu;
class QSettings;
class QStringListModel;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QToolButton;
class QTreeView;

namespace wps::trace {
class TraceModel;
class TraceStore;
struct TraceRecordView;
} // namespace wps::trace

namespace wps::ui {

class ConsoleSession;
class HttpMessageView;
class RateChart;
class ReplayDialog;

/// Panel "Trace": the window's one timeline (session->traceStore()) of REST calls, live-client frames and
/// the service's live trace, as a Wireshark-like packet list (docs/style.md rules 17-21): a uniform-row
/// QTreeView over TraceModel (its own filter index, inserts coalesced), a filter bar, a detail pane that
/// decodes the payload (JSON, protobuf, JWT, hex), "show related" by correlation id, a message-rate chart and
/// exports.
class TracePanel : public QWidget
{
    Q_OBJECT
public:
    explicit TracePanel(ConsoleSession *session, QWidget *parent = nullptr);
    ~TracePanel() override;

    wps::trace::TraceModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }

    /// Applies the filter bar now (it is otherwise applied on Enter or 200 ms after the last keystroke).
    /// The field takes display filters (docs/trace.md, "Display filters"), or a regex when Regex is on.
    void applyFilter();
    /// The filter field's state as its background shows it: "valid" (green), "invalid" (red, the error in
    /// its tooltip and the status line) or "" (empty).
    QString filterState() const { return m_filterState; }
    /// The completions offered for the filter text up to the cursor (field names, operators, kinds, and
    /// the hubs, users, groups, connections and types the trace has seen).
    QStringList completionsAt(const QString &text, int cursor) const;

    /// Saved filters, in the order saved (QSettings array "trace/savedFilters" of {name, filter}; filter text
    /// only, never a secret). Saving under an existing name replaces its filter.
    void saveFilter(const QString &name, const QString &filter);
    QStringList savedFilterNames() const;
    bool applySavedFilter(const QString &name);
    void deleteSavedFilter(const QString &name);
    /// Settings file for saved filters (tests); empty = the application's QSettings.
    /// Also reads the chart's on/off state from it.
    void setSettingsFile(const QString &path);
    /// Shows keep-alive frames (ping, pong, sequenceAck); hidden by default.
    void setShowKeepAlives(bool show);
    /// Shows only the records sharing the current row's correlation id (true), or leaves that view.
    bool showRelated(bool on);
    /// Freezes the view at the current time (records keep being captured and appear on resume).
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    /// The detail pane's decoded payload text for the current row (pretty JSON when "Pretty JSON" is on).
    QString detailText() const;
    /// Copies the current row's body (an HTTP row's body, a frame's payload) to the clipboard exactly as
    /// stored -- never the pretty view -- and returns the copied bytes (base64 when they are not text).
    QByteArray copyPayload() const;
    /// The Request and Response tabs of the detail pane (shown for HTTP rows).
    HttpMessageView *requestView() const { return m_requestView; }
    HttpMessageView *responseView() const { return m_responseView; }
    /// Where the export dialog starts: the documents folder, "webpubsub-trace-<hub>-<local time>.<ext>".
    QString suggestedExportPath(const QString &format) const;
    /// Replay: opens a ReplayDialog on the current row when it is a captured event-handler request (null
    /// otherwise); the toolbar's Replay… button does this.
    ReplayDialog *replayCurrent();

    /// Exports (all rows, or only the filtered ones when \a onlyVisible) to \a path; an error text or empty.
    QString exportTo(const QString &path, const QString &format, bool onlyVisible);
    QString importFrom(const QString &path);
    /// Keeps the last sessions in \a directory: this panel's trace is saved there when the panel goes (the
    /// window closes), and Import lists them. Empty (the default): no history.
    void setHistoryDirectory(const QString &directory) { m_historyDirectory = directory; }

private:
    // Building, one area at a time. The layout, the packet list and the action bar are in tracepanel.cpp;
    // each other area has its own file: tracepanel_filter.cpp, tracepanel_detail.cpp, tracepanel_export.cpp.
    void buildUi();
    /// The filter field with its completer, Saved, Regex, the kind and direction toggles, Show related and
    /// Replay.
    QHBoxLayout *buildFilterBar();
    void buildFilterField();
    void buildSavedFiltersButton();
    /// Rebuilt each time the Saved menu opens: Save current filter, then Apply and Delete per saved filter.
    void fillSavedFiltersMenu(QMenu *menu);
    /// Pause, Follow, Keep-alives, Clear, Export, Import, Chart, the status line and the count.
    QHBoxLayout *buildActionBar();
    QToolButton *buildExportButton();
    QToolButton *buildImportButton();
    /// Rebuilt each time the Import menu opens: a file, or one of the last sessions kept by the window.
    void fillImportMenu(QMenu *menu);
    QToolButton *buildChartToggle();
    void buildPacketList();
    /// The column chooser: the list header's context menu.
    void showColumnMenu(const QPoint &pos);
    /// The Pretty JSON and Copy body bar over the Summary, Request, Response, Payload, Hex and Base64 tabs.
    QWidget *buildDetailPane();
    /// Connects the filter field, the model, the list and the detail pane to one another.
    void wire();

    static bool isUpstreamRequest(const wps::trace::TraceRecordView &r);
    void onCurrentChanged();
    void showExchange(const wps::trace::TraceRecordView &row);
    void chooseExport(const QString &format);
    void followTail();
    void validateFilter();
    void updateCompletion();
    void insertCompletion(const QString &completion);
    std::unique_ptr<QSettings> settings() const;
    void updateCount();
    QList<quint64> visibleIds() const;

    QPointer<ConsoleSession> m_session;
    wps::trace::TraceStore *m_store = nullptr;
    wps::trace::TraceModel *m_model = nullptr;
    QTreeView *m_view = nullptr;
    QLineEdit *m_text = nullptr;
    QCheckBox *m_regex = nullptr;
    QList<QToolButton *> m_kinds;
    QToolButton *m_in = nullptr;
    QToolButton *m_out = nullptr;
    QToolButton *m_related = nullptr;
    QToolButton *m_replay = nullptr;
    QToolButton *m_pause = nullptr;
    QCheckBox *m_follow = nullptr;
    QCheckBox *m_keepAlives = nullptr;
    QToolButton *m_saved = nullptr;
    QCompleter *m_completer = nullptr;
    QStringListModel *m_completions = nullptr;
    QString m_filterState;
    QString m_settingsFile;
    bool m_stickToBottom = true; ///< Follow: the user has not scrolled away from the newest row
    QLabel *m_count = nullptr;
    QLabel *m_status = nullptr;
    QTabWidget *m_detailTabs = nullptr;
    QPlainTextEdit *m_summary = nullptr;
    QPlainTextEdit *m_decoded = nullptr;
    QPlainTextEdit *m_hex = nullptr;
    QPlainTextEdit *m_base64 = nullptr;
    QCheckBox *m_pretty = nullptr;
    HttpMessageView *m_requestView = nullptr;
    HttpMessageView *m_responseView = nullptr;
    RateChart *m_chart = nullptr;
    QTimer m_filterDelay;
    QTimer m_tailTimer;
    QString m_relatedId;
    QString m_historyDirectory;
    bool m_paused = false;
    qint64 m_pausedAt = 0;
};

} // namespace wps::ui
