#pragma once

#include <QHash>
#include <QPointer>
#include <QWidget>

#include <functional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace wps::live {
class LiveClient;
class GroupStreamWriter;
} // namespace wps::live

namespace wps::ui {

/// The Live clients panel's group streams strip (docs/live-clients.md#group-streams): opens a stream from
/// the selected client to a group, sends the chunks typed (separated by '|') and ends it, optionally with an
/// error; lists every stream the panel's clients receive, updated as fragments arrive and when it ends.
class GroupStreamsWidget : public QWidget
{
    Q_OBJECT
public:
    /// \a selection gives the clients the action applies to (the first one publishes).
    GroupStreamsWidget(std::function<QList<wps::live::LiveClient *>()> selection, QWidget *parent = nullptr);
    ~GroupStreamsWidget() override;

    /// Receives the streams that reach \a client from now on.
    void watch(wps::live::LiveClient *client);
    /// Opens a stream to \a group from \a client and sends \a chunks, then ends it (with an error when
    /// \a endWithError). False, with the reason in outcomeText(), when it cannot start.
    bool sendStream(wps::live::LiveClient *client, const QString &group, const QStringList &chunks,
                    bool endWithError);
    QString outcomeText() const;
    /// One line per received stream: "<client> ← <streamId> from <user> in <group>: …".
    QStringList receivedLines() const;

Q_SIGNALS:
    /// A line for \a client's timeline in the panel.
    void noted(wps::live::LiveClient *client, const QString &text);

private:
    void setOutcome(const QString &text);

    std::function<QList<wps::live::LiveClient *>()> m_selection;
    QLineEdit *m_group = nullptr;
    QLineEdit *m_chunks = nullptr;
    QCheckBox *m_withError = nullptr;
    QPushButton *m_send = nullptr;
    QLabel *m_outcome = nullptr;
    QListWidget *m_received = nullptr;
    QHash<QString, QListWidgetItem *> m_items; ///< by client name + stream key
};

} // namespace wps::ui
