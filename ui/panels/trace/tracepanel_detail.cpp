#include "common/jsontext.h"
#include "panels/common/jsonhighlighter.h"
#include "panels/trace/hexdump.h"
#include "panels/trace/httpmessageview.h"
#include "panels/trace/replaydialog.h"
#include "panels/trace/tracepanel.h"
#include "protocol/jwt.h"
#include "protocol/messages.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "trace/traceexport.h"
#include "trace/tracemodel.h"
#include "trace/tracestore.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

// TracePanel's detail pane: the current row decoded (summary, payload, hex, base64, and an HTTP exchange's
// request and response side by side), Copy body, and Replay of a captured event-handler request.

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {

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
    // Every page scrolls its own content: the tabs may be short (their pages' minimum, about 230 px, would
    // otherwise hold the Trace dock taller than a 1280x720 window gives it).
    m_detailTabs->setMinimumHeight(fontMetrics().height() * 6);

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

} // namespace wps::ui
