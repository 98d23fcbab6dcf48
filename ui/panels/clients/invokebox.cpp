#include "panels/clients/invokebox.h"

#include "live/invocations.h"
#include "live/liveclient.h"
#include "protocol/jsontext.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include <chrono>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

InvokeBox::InvokeBox(Selection selection, QWidget *parent)
    : QWidget(parent)
    , m_selection(std::move(selection))
    , m_event(new QLineEdit(u"echo"_s, this))
    , m_data(new QLineEdit(u"hi"_s, this))
    , m_dataType(new QComboBox(this))
    , m_timeout(new QSpinBox(this))
    , m_answer(new QLabel(this))
{
    m_event->setObjectName(u"invokeEvent"_s);
    m_event->setToolTip(tr("The user event whose handler answers the invocation"));
    m_data->setObjectName(u"invokeData"_s);
    m_dataType->setObjectName(u"invokeDataType"_s);
    m_dataType->addItem(tr("text"), u"text"_s);
    m_dataType->addItem(tr("json"), u"json"_s);
    m_dataType->addItem(tr("binary (base64)"), u"binary"_s);
    m_timeout->setObjectName(u"invokeTimeout"_s);
    m_timeout->setRange(0, 600);
    m_timeout->setValue(30);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setSpecialValueText(tr("no timeout"));
    m_timeout->setToolTip(tr("Without an answer by then the invocation fails and is cancelled"));
    auto *invokeButton = new QPushButton(tr("Invoke"), this);
    invokeButton->setObjectName(u"invoke"_s);
    invokeButton->setToolTip(
        tr("Call the event's handler from each selected client and wait for its answer"));
    auto *cancelButton = new QPushButton(tr("Cancel"), this);
    cancelButton->setObjectName(u"cancelInvocation"_s);
    m_answer->setObjectName(u"invokeAnswer"_s);
    m_answer->setWordWrap(true);
    m_answer->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(new QLabel(tr("Invoke event"), this));
    row->addWidget(m_event);
    row->addWidget(m_data, 1);
    row->addWidget(m_dataType);
    row->addWidget(m_timeout);
    row->addWidget(invokeButton);
    row->addWidget(cancelButton);
    row->addWidget(m_answer, 2);

    connect(invokeButton, &QPushButton::clicked, this, [this] { invoke(); });
    connect(cancelButton, &QPushButton::clicked, this, [this] {
        const int n = cancel();
        if (n == 0)
            show(tr("Nothing to cancel: the selected clients wait for no answer."));
    });
}

QString InvokeBox::outcomeText() const
{
    return m_answer->text();
}

void InvokeBox::show(const QString &text)
{
    m_answer->setText(text);
    m_answer->setToolTip(text);
}

bool InvokeBox::invoke()
{
    const QString event = m_event->text().trimmed();
    if (event.isEmpty()) {
        show(tr("Give the event to invoke."));
        return false;
    }
    const QString type = m_dataType->currentData().toString();
    const QString text = m_data->text();
    messages::Payload payload = messages::Payload::text(text);
    if (type == u"json") {
        const QByteArray bytes = text.toUtf8();
        if (const QString error = jsontext::checkValue(bytes); !error.isEmpty()) {
            show(tr("The data is not one JSON value: %1").arg(error));
            return false;
        }
        payload = messages::Payload::json(bytes);
    } else if (type == u"binary") {
        auto decoded =
            QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            show(tr("The data is not base64."));
            return false;
        }
        payload = messages::Payload::binary(decoded.decoded);
    }
    const QList<live::LiveClient *> clients = m_selection ? m_selection() : QList<live::LiveClient *>();
    if (clients.isEmpty()) {
        show(tr("Select a client first."));
        return false;
    }
    const auto timeout = std::chrono::milliseconds(qint64(m_timeout->value()) * 1000);
    for (live::LiveClient *client : clients) {
        live::InvocationJob *job = client->invoke(event, payload, timeout);
        m_waiting.append({client, job});
        connect(job, &live::InvocationJob::finished, this,
                [this, client = QPointer<live::LiveClient>(client), job] {
                    const QString summary = job->summary();
                    show(summary);
                    if (client)
                        Q_EMIT answered(client, summary);
                    m_waiting.removeIf(
                        [job](const auto &entry) { return entry.second == job || !entry.second; });
                    job->deleteLater();
                });
    }
    show(tr("invoke %1: waiting for %n answer(s)…", nullptr, int(clients.size())).arg(event));
    return true;
}

int InvokeBox::cancel()
{
    const QList<live::LiveClient *> clients = m_selection ? m_selection() : QList<live::LiveClient *>();
    int cancelled = 0;
    const auto waiting = m_waiting;
    for (const auto &[client, job] : waiting) {
        if (client && job && !job->isFinished() && clients.contains(client.data()) &&
            client->cancelInvocation(job->invocationId()))
            ++cancelled;
    }
    return cancelled;
}

} // namespace wps::ui
