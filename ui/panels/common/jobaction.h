#pragma once

#include "service/httpjob.h"
#include "service/serviceclient.h"
#include "service/serviceerror.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <type_traits>

class QLabel;
class QAbstractButton;

namespace wps::ui {

/// One line for a failed call: the service's status, code, message and request id, so a support engineer
/// can quote them. Never contains a secret (ServiceError never holds one).
QString describeError(const wps::service::ServiceError &error);

/// Shows \a text in \a label as a success (green), a failure (red) or neutral (busy, hints).
enum class Outcome { Neutral, Success, Failure };
void showOutcome(QLabel *label, Outcome outcome, const QString &text);

/// Runs the HTTP jobs of one button (any job on the shared engine: REST calls, ARM calls): the button is
/// disabled while its job runs, the outcome is shown inline in a label (errors are data, never dialogs), and
/// a result that no longer belongs to the panel's current client (the hub or connection changed meanwhile,
/// docs/style.md rule 11) is dropped.
class JobAction : public QObject
{
    Q_OBJECT
public:
    JobAction(QAbstractButton *button, QLabel *label, QObject *parent = nullptr);

    /// Watches \a job (made by the current client); \a success turns the finished, successful job -- typed
    /// as it was made, so no cast is needed -- into the text to show. Returns the job.
    template <typename Job>
    Job *run(Job *job, std::type_identity_t<std::function<QString(Job *)>> success)
    {
        static_assert(std::is_base_of_v<wps::service::HttpJob, Job>, "JobAction runs HttpJob subclasses");
        watch(job, [job, success = std::move(success)] { return success(job); });
        return job;
    }
    /// Forgets the running job (its client is going away): the button is usable again, a late result is
    /// dropped.
    void reset();
    bool isRunning() const { return !m_job.isNull(); }

Q_SIGNALS:
    /// A job failed; \a error is the text shown (describeError()). done(false) follows.
    void failed(const QString &error);
    /// After the outcome was shown; \a ok is false for an error.
    void done(bool ok);

private:
    void watch(wps::service::HttpJob *job, std::function<QString()> success);
    void onFinished(wps::service::HttpJob *job, const std::function<QString()> &success);

    QPointer<QAbstractButton> m_button;
    QPointer<QLabel> m_label;
    QPointer<wps::service::HttpJob> m_job;
};

} // namespace wps::ui
