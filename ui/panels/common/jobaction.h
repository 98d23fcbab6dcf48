#pragma once

#include "service/serviceclient.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

class QLabel;
class QAbstractButton;

namespace wps::ui {

/// One line for a failed call: the service's status, code, message and request id, so a support engineer
/// can quote them. Never contains a secret (ServiceError never holds one).
QString describeError(const wps::service::ServiceError &error);

/// Shows \a text in \a label as a success (green), a failure (red) or neutral (busy, hints).
enum class Outcome { Neutral, Success, Failure };
void showOutcome(QLabel *label, Outcome outcome, const QString &text);

/// Runs the REST jobs of one button: the button is disabled while its job runs, the outcome is shown inline
/// in a label (errors are data, never dialogs), and a result that no longer belongs to the panel's current
/// client (the hub or connection changed meanwhile, style rule 11) is dropped.
class JobAction : public QObject
{
    Q_OBJECT
public:
    /// Turns a finished, successful job into the text to show.
    using SuccessText = std::function<QString(wps::service::ServiceJob *job)>;

    JobAction(QAbstractButton *button, QLabel *label, QObject *parent = nullptr);

    /// Watches \a job (made by the current client); \a success describes its result. Returns the job.
    wps::service::ServiceJob *run(wps::service::ServiceJob *job, SuccessText success);
    /// Forgets the running job (its client is going away): the button is usable again, a late result is
    /// dropped.
    void reset();
    bool isRunning() const { return !m_job.isNull(); }

Q_SIGNALS:
    /// After the outcome was shown; \a ok is false for an error.
    void done(bool ok);

private:
    void onFinished(wps::service::ServiceJob *job, const SuccessText &success);

    QPointer<QAbstractButton> m_button;
    QPointer<QLabel> m_label;
    QPointer<wps::service::ServiceJob> m_job;
};

} // namespace wps::ui
