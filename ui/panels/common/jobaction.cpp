#include "panels/common/jobaction.h"

#include "service/serviceerror.h"

#include <QAbstractButton>
#include <QLabel>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

QString describeError(const wps::service::ServiceError &error)
{
    using Kind = wps::service::ServiceError::Kind;
    QString text;
    if (error.kind == Kind::Http || error.httpStatus != 0)
        text = QObject::tr("HTTP %1").arg(error.httpStatus);
    else
        text = wps::service::ServiceError::kindName(error.kind);
    if (!error.code.isEmpty())
        text += u' ' + error.code;
    if (!error.message.isEmpty())
        text += u": "_s + error.message;
    if (!error.requestId.isEmpty())
        text += QObject::tr(" (request id %1)").arg(error.requestId);
    return text;
}

void showOutcome(QLabel *label, Outcome outcome, const QString &text)
{
    if (!label)
        return;
    switch (outcome) {
    case Outcome::Neutral:
        label->setStyleSheet(QString());
        break;
    case Outcome::Success:
        label->setStyleSheet(u"color: #107c10;"_s);
        break;
    case Outcome::Failure:
        label->setStyleSheet(u"color: #a4262c;"_s);
        break;
    }
    label->setText(text);
    label->setToolTip(text);
}

JobAction::JobAction(QAbstractButton *button, QLabel *label, QObject *parent)
    : QObject(parent)
    , m_button(button)
    , m_label(label)
{
}

void JobAction::watch(wps::service::HttpJob *job, std::function<QString()> success)
{
    if (m_job)
        m_job->deleteLater(); // superseded: its result must not show
    m_job = job;
    if (m_button)
        m_button->setEnabled(false);
    showOutcome(m_label, Outcome::Neutral, tr("Working…"));
    connect(job, &wps::service::HttpJob::finished, this,
            [this, job, success = std::move(success)] { onFinished(job, success); });
}

void JobAction::reset()
{
    if (m_job) {
        m_job->disconnect(this);
        m_job = nullptr;
        showOutcome(m_label, Outcome::Neutral, tr("Cancelled: the connection or hub changed."));
    }
    if (m_button)
        m_button->setEnabled(true);
}

void JobAction::onFinished(wps::service::HttpJob *job, const std::function<QString()> &success)
{
    job->deleteLater();
    if (job != m_job)
        return; // stale: a newer job or another client owns this action now
    m_job = nullptr;
    if (m_button)
        m_button->setEnabled(true);
    if (job->hasError()) {
        const QString error = describeError(job->error());
        showOutcome(m_label, Outcome::Failure, error);
        Q_EMIT failed(error);
        Q_EMIT done(false);
        return;
    }
    showOutcome(m_label, Outcome::Success, success());
    Q_EMIT done(true);
}

} // namespace wps::ui
