#include "panels/trace/replaydialog.h"

#include "panels/common/jobaction.h"
#include "session/consolesession.h"
#include "trace/traceadapters.h"
#include "trace/tracestore.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {

QPlainTextEdit *textPane(const QString &name, bool readOnly, QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setReadOnly(readOnly);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return edit;
}

} // namespace

ReplayDialog::ReplayDialog(ConsoleSession *session, const wps::service::UpstreamRequest &request,
                           const QString &originalAnswer, bool truncated, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_request(request)
    , m_url(new QLineEdit(request.url.toString(QUrl::FullyEncoded), this))
    , m_headers(textPane(u"replayHeaders"_s, false, this))
    , m_body(textPane(u"replayBody"_s, false, this))
    , m_original(textPane(u"replayOriginal"_s, true, this))
    , m_answer(textPane(u"replayAnswer"_s, true, this))
    , m_send(new QPushButton(tr("Send again"), this))
    , m_status(new QLabel(this))
{
    setObjectName(u"replayDialog"_s);
    setWindowTitle(tr("Replay %1 to the event handler").arg(QString::fromLatin1(request.method)));
    m_url->setObjectName(u"replayUrl"_s);
    m_send->setObjectName(u"replaySend"_s);
    m_status->setObjectName(u"replayStatus"_s);
    m_status->setWordWrap(true);
    m_headers->setPlainText(QString::fromUtf8(request.headerBlock()));
    m_body->setPlainText(QString::fromUtf8(request.body));
    m_original->setPlainText(originalAnswer.isEmpty() ? tr("(the trace holds no answer for this request)")
                                                      : originalAnswer);
    m_answer->setPlaceholderText(tr("The new answer appears here."));

    auto *form = new QFormLayout;
    form->addRow(tr("URL"), m_url);
    auto *grid = new QGridLayout;
    grid->addWidget(new QLabel(tr("Headers (ce-signature is made afresh)"), this), 0, 0);
    grid->addWidget(new QLabel(tr("Body"), this), 0, 1);
    grid->addWidget(m_headers, 1, 0);
    grid->addWidget(m_body, 1, 1);
    grid->addWidget(new QLabel(tr("Original answer"), this), 2, 0);
    grid->addWidget(new QLabel(tr("Replayed answer"), this), 2, 1);
    grid->addWidget(m_original, 3, 0);
    grid->addWidget(m_answer, 3, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_send);
    buttons->addWidget(m_status, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(grid, 1);
    layout->addLayout(buttons);
    const int em = fontMetrics().horizontalAdvance(u'M');
    resize(90 * em, 40 * fontMetrics().height());

    QStringList notes;
    if (truncated)
        notes << tr("The trace kept only part of the body: complete it before sending.");
    if (!m_session || !m_session->connectionString())
        notes << tr("This connection has no access key: the request goes without a fresh ce-signature.");
    if (!notes.isEmpty())
        showOutcome(m_status, Outcome::Neutral, notes.join(u' '));
    connect(m_send, &QPushButton::clicked, this, [this] { send(); });
}

ReplayDialog::~ReplayDialog() = default;

bool ReplayDialog::send()
{
    wps::service::UpstreamRequest request = m_request;
    request.url = QUrl(m_url->text().trimmed(), QUrl::StrictMode);
    if (!request.url.isValid() || request.url.host().isEmpty() ||
        (request.url.scheme() != u"http"_s && request.url.scheme() != u"https"_s)) {
        showOutcome(m_status, Outcome::Failure, tr("Enter an http(s) URL."));
        return false;
    }
    request.setHeaderBlock(m_headers->toPlainText().toUtf8());
    request.body = m_body->toPlainText().toUtf8();
    QList<QByteArray> keys;
    if (m_session && m_session->connectionString() && m_session->connectionString()->hasAccessKey())
        keys << m_session->connectionString()->accessKey().toUtf8();
    if (m_replay)
        m_replay->deleteLater();
    auto *replay = new wps::service::UpstreamReplay(request, keys, this);
    m_replay = replay;
    const quint64 run = ++m_runs;
    if (m_session) {
        QPointer<wps::trace::TraceStore> store = m_session->traceStore();
        const QString client = u"replay-%1"_s.arg(run);
        const QString connectionId = request.connectionId;
        const QString hub = m_session->hub();
        connect(replay, &wps::service::UpstreamReplay::traced, this,
                [store, client, connectionId, hub](const wps::service::HttpTrace &trace) {
                    if (!store)
                        return;
                    wps::trace::TraceEvent event = wps::trace::fromHttpTrace(trace, client);
                    event.connectionId = connectionId; // "show related" by connection finds it
                    if (event.hub.isEmpty())
                        event.hub = hub;
                    store->append(event);
                });
    }
    m_send->setEnabled(false);
    showOutcome(m_status, Outcome::Neutral, tr("Sending…"));
    connect(replay, &wps::service::UpstreamReplay::finished, this, [this, replay] {
        m_send->setEnabled(true);
        const auto &answer = replay->answer();
        QString text;
        if (answer.status == 0) {
            text = tr("(no answer: %1)").arg(answer.error);
        } else {
            text = u"HTTP %1  (%2 ms)\n"_s.arg(answer.status).arg(answer.durationMs);
            for (const auto &h : answer.headers)
                text += QString::fromLatin1(h.first) + u": "_s + QString::fromUtf8(h.second) + u'\n';
            text += u'\n' + QString::fromUtf8(answer.body);
        }
        m_answer->setPlainText(text);
        QString status = answer.status == 0 ? tr("No answer: %1").arg(answer.error)
                                            : tr("The handler answered HTTP %1.").arg(answer.status);
        if (!replay->droppedHeaders().isEmpty())
            status += u' ' +
                      tr("Left out (redacted in the trace): %1.").arg(replay->droppedHeaders().join(u", "_s));
        showOutcome(m_status,
                    answer.status >= 200 && answer.status < 300 ? Outcome::Success : Outcome::Failure,
                    status);
        Q_EMIT replayed(answer.status);
    });
    replay->start();
    return true;
}

QString ReplayDialog::answerText() const
{
    return m_answer->toPlainText();
}

QString ReplayDialog::statusText() const
{
    return m_status->text();
}

} // namespace wps::ui
