#include "panels/hubs/handlercheckbox.h"

#include "panels/common/jobaction.h"
#include "service/handlercheck.h"
#include "session/consolesession.h"
#include "trace/traceadapters.h"
#include "trace/tracestore.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

HandlerCheckBox::HandlerCheckBox(ConsoleSession *session, QWidget *parent)
    : QGroupBox(tr("Validate handler"), parent)
    , m_session(session)
    , m_url(new QLineEdit(this))
    , m_origin(new QLineEdit(this))
    , m_validate(new QPushButton(tr("Validate handler"), this))
    , m_verdict(new QLabel(this))
    , m_exchange(new QPlainTextEdit(this))
{
    setObjectName(u"handlerCheckBox"_s);
    m_url->setObjectName(u"handlerCheckUrl"_s);
    m_url->setPlaceholderText(tr("https://example.com/api/{hub}/{event}"));
    m_origin->setObjectName(u"handlerCheckOrigin"_s);
    m_origin->setToolTip(tr("WebHook-Request-Origin: the service's host, as the service sends it"));
    m_validate->setObjectName(u"validateHandlerButton"_s);
    m_validate->setToolTip(tr("Send the abuse-protection OPTIONS request the service sends before any event, "
                              "and explain the answer"));
    m_verdict->setObjectName(u"handlerCheckVerdict"_s);
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_exchange->setObjectName(u"handlerCheckExchange"_s);
    m_exchange->setReadOnly(true);
    m_exchange->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_exchange->setPlaceholderText(tr("What was sent and answered appears here."));
    m_exchange->setMaximumHeight(m_exchange->fontMetrics().lineSpacing() * 12);

    auto *form = new QFormLayout;
    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(m_validate);
    form->addRow(tr("Handler URL"), urlRow);
    form->addRow(tr("Origin"), m_origin);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_verdict);
    layout->addWidget(m_exchange, 1);

    connect(m_validate, &QPushButton::clicked, this, [this] { validate(); });
    connect(m_url, &QLineEdit::returnPressed, this, [this] { validate(); });
    connect(m_origin, &QLineEdit::textEdited, this, [this] { m_originEdited = true; });
    if (m_session)
        connect(m_session, &ConsoleSession::connectionChanged, this, [this] { updateOrigin(); });
    updateOrigin();
}

HandlerCheckBox::~HandlerCheckBox() = default;

void HandlerCheckBox::updateOrigin()
{
    if (m_originEdited || !m_session)
        return;
    m_origin->setText(m_session->endpoint().authority());
}

void HandlerCheckBox::setUrl(const QString &urlTemplate)
{
    m_url->setText(urlTemplate);
}

bool HandlerCheckBox::validate()
{
    if (m_check) {
        disconnect(m_check, nullptr, this, nullptr);
        m_check->cancel();
        m_check->deleteLater();
    }
    const QString hub = m_session ? m_session->hub() : u"chat"_s;
    auto *check = new wps::service::HandlerCheck(m_url->text(), hub, m_origin->text(), this);
    m_check = check;
    const quint64 run = ++m_runs;
    // Both exchanges (OPTIONS, and GET when OPTIONS is unknown) go into the trace as request/response rows.
    if (m_session) {
        QPointer<wps::trace::TraceStore> store = m_session->traceStore();
        const QString client = u"handler-check-%1"_s.arg(run);
        connect(check, &wps::service::HandlerCheck::traced, this,
                [store, client, hub](const wps::service::HttpTrace &trace) {
                    if (!store)
                        return;
                    wps::trace::TraceEvent event = wps::trace::fromHttpTrace(trace, client);
                    if (event.hub.isEmpty())
                        event.hub = hub;
                    store->append(event);
                });
    }
    showOutcome(m_verdict, Outcome::Neutral,
                tr("Sending OPTIONS %1…").arg(check->url().toString(QUrl::FullyEncoded)));
    m_exchange->clear();
    m_validate->setEnabled(false);
    connect(check, &wps::service::HandlerCheck::finished, this, [this, check] {
        check->deleteLater();
        m_validate->setEnabled(true);
        const auto &result = check->result();
        QStringList parts;
        for (const auto &exchange : result.exchanges)
            parts << wps::service::HandlerCheck::describe(exchange);
        m_exchange->setPlainText(parts.join(u"\n"_s));
        showOutcome(m_verdict, result.passed ? Outcome::Success : Outcome::Failure, result.verdict);
        Q_EMIT checked(result.passed, result.verdict);
    });
    check->start();
    return true;
}

void HandlerCheckBox::cancel()
{
    if (m_check)
        m_check->cancel();
}

QString HandlerCheckBox::verdictText() const
{
    return m_verdict->text();
}

QString HandlerCheckBox::exchangeText() const
{
    return m_exchange->toPlainText();
}

} // namespace wps::ui
