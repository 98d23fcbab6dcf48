#pragma once

#include <QPointer>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace wps::live {
class LiveClient;
class InvocationJob;
} // namespace wps::live

namespace wps::ui {

/// The Live clients panel's invocation row: "Invoke" sends an `invoke` of an event with a text, JSON or
/// binary (base64) payload from each selected client and shows each answer's summary ("invoke echo →
/// answered 'hi' (text) in 12 ms"); "Cancel" cancels what the selection still waits for. The trace gets the
/// frames and the summaries from the clients themselves (docs/live-clients.md "Invocations").
class InvokeBox : public QWidget
{
    Q_OBJECT
public:
    using Selection = std::function<QList<wps::live::LiveClient *>()>;
    explicit InvokeBox(Selection selection, QWidget *parent = nullptr);

    /// The last outcome shown (an answer's summary, or why nothing was sent).
    QString outcomeText() const;
    /// Invokes from the selected clients; false (and says why) when the form or the selection does not allow
    /// it.
    bool invoke();
    /// Cancels the waiting invocations of the selected clients; returns how many.
    int cancel();

Q_SIGNALS:
    /// One invocation ended: \a summary is its one-line outcome.
    void answered(wps::live::LiveClient *client, const QString &summary);

private:
    void show(const QString &text);

    Selection m_selection;
    QLineEdit *m_event = nullptr;
    QLineEdit *m_data = nullptr;
    QComboBox *m_dataType = nullptr;
    QSpinBox *m_timeout = nullptr;
    QLabel *m_answer = nullptr;
    QList<QPair<QPointer<wps::live::LiveClient>, QPointer<wps::live::InvocationJob>>> m_waiting;
};

} // namespace wps::ui
