#pragma once

#include "service/upstreamreplay.h"

#include <QDialog>
#include <QPointer>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace wps::ui {

class ConsoleSession;

/// Trace > Replay: a captured event-handler request, editable (URL, headers, body), sent again with a fresh
/// `ce-signature` made with the session's access key (wps::service::UpstreamReplay); the new answer is shown
/// beside the original one, and both the replayed request and its answer go into the trace.
class ReplayDialog : public QDialog
{
    Q_OBJECT
public:
    /// \a originalAnswer is the captured answer as text (status line, headers, body), or empty.
    ReplayDialog(ConsoleSession *session, const wps::service::UpstreamRequest &request,
                 const QString &originalAnswer, bool truncated, QWidget *parent = nullptr);
    ~ReplayDialog() override;

    /// Sends the request as the form has it; false (and why) when the form is not usable.
    bool send();
    QString answerText() const;
    QString statusText() const;

Q_SIGNALS:
    /// The replay got an answer (or none: \a status 0).
    void replayed(int status);

private:
    QPointer<ConsoleSession> m_session;
    wps::service::UpstreamRequest m_request;
    QPointer<wps::service::UpstreamReplay> m_replay;
    quint64 m_runs = 0;
    QLineEdit *m_url = nullptr;
    QPlainTextEdit *m_headers = nullptr;
    QPlainTextEdit *m_body = nullptr;
    QPlainTextEdit *m_original = nullptr;
    QPlainTextEdit *m_answer = nullptr;
    QPushButton *m_send = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace wps::ui
