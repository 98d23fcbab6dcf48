#pragma once

#include <QGroupBox>
#include <QPointer>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace wps::service {
class HandlerCheck;
}

namespace wps::ui {

class ConsoleSession;

/// The Hubs panel's "Validate handler" section: runs the service's abuse-protection check
/// (wps::service::HandlerCheck) on demand against any handler URL, for the session's service host as the
/// origin, and shows exactly what was sent and answered and why it passes or fails. The exchange also goes
/// into the session's trace as a request/response pair.
class HandlerCheckBox : public QGroupBox
{
    Q_OBJECT
public:
    explicit HandlerCheckBox(ConsoleSession *session, QWidget *parent = nullptr);
    ~HandlerCheckBox() override;

    /// Puts \a urlTemplate (an event handler URL, `{hub}`/`{event}` allowed) in the URL field.
    void setUrl(const QString &urlTemplate);
    /// Runs the check on the URL and origin in the form; false (and why) when it cannot start.
    bool validate();
    void cancel();
    QString verdictText() const;
    QString exchangeText() const;

Q_SIGNALS:
    /// A check ended: \a passed, with the verdict shown.
    void checked(bool passed, const QString &verdict);

private:
    void updateOrigin();

    QPointer<ConsoleSession> m_session;
    QPointer<wps::service::HandlerCheck> m_check;
    quint64 m_runs = 0;
    QLineEdit *m_url = nullptr;
    QLineEdit *m_origin = nullptr;
    QPushButton *m_validate = nullptr;
    QLabel *m_verdict = nullptr;
    QPlainTextEdit *m_exchange = nullptr;
    bool m_originEdited = false;
};

} // namespace wps::ui
