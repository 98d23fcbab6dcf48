#pragma once

#include <QList>
#include <QPointer>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QToolButton;

namespace wps::live {
class MqttLiveClient;
}

namespace wps::ui {

class ConsoleSession;

/// The MQTT part of the Live clients panel (folded under its own heading): spawns MQTT 3.1.1 / 5.0 clients
/// on the session's hub (`/clients/mqtt/hubs/{hub}`, tokens as for every client) with topics to subscribe,
/// QoS 0/1, an optional will and clean start; lists them with their state and subscriptions; publishes from
/// the selected client and shows what each one received. Every packet goes into the window's trace with a
/// readable summary ("PUBLISH room1 QoS1 12 B", "SUBACK refused: Not authorized"), and every refusal is
/// said in the outcome line. Clients the session opens from an MQTT URL (Client tokens > Connect with this
/// URL) are listed here too.
class MqttClientsForm : public QWidget
{
    Q_OBJECT
public:
    static constexpr int maxClients = 200;

    explicit MqttClientsForm(ConsoleSession *session, QWidget *parent = nullptr);
    ~MqttClientsForm() override;

    /// Shows or hides the form under its heading (hidden at first).
    void setExpanded(bool expanded);
    bool isExpanded() const;

    /// Spawns \a count clients with the form's settings ("{n}" in the client ID pattern is the client's
    /// number); false (and the outcome says why) when the form or the session does not allow it.
    bool spawn(int count);
    /// Publishes the form's message from the selected clients (the current row when none is selected).
    bool publishFromSelection();
    QList<wps::live::MqttLiveClient *> clients() const;
    QTableWidget *view() const { return m_view; }
    QString outcomeText() const;
    QString receivedText() const;

private:
    struct Entry
    {
        QPointer<wps::live::MqttLiveClient> client;
        QString version;
        QString state;
        QStringList subscriptions;
        int received = 0;
    };
    /// Creates the widgets: the heading's toggle, the folded body (see layOutBody()) and the outer layout.
    void buildUi();
    /// Count, client ID pattern, version, topics, QoS, clean start, roles, will, and the Spawn button.
    void setUpSpawnFields();
    void setUpClientTable();
    /// Publish topic, message and QoS with Publish / Stop, the received messages and the outcome line.
    void setUpPublishFields();
    /// The folded body's rows: spawn, options, client table beside the received messages, publish, outcome.
    void layOutBody();
    void wire();
    void add(wps::live::MqttLiveClient *client, const QStringList &topics, quint8 qos);
    int rowOf(const wps::live::MqttLiveClient *client) const;
    void refreshRow(int row);
    void setOutcome(bool ok, const QString &text);

    QPointer<ConsoleSession> m_session;
    QToolButton *m_toggle = nullptr;
    QWidget *m_body = nullptr;
    QSpinBox *m_count = nullptr;
    QLineEdit *m_clientId = nullptr;
    QComboBox *m_version = nullptr;
    QLineEdit *m_topics = nullptr;
    QComboBox *m_qos = nullptr;
    QCheckBox *m_cleanStart = nullptr;
    QLineEdit *m_roles = nullptr;
    QLineEdit *m_willTopic = nullptr;
    QLineEdit *m_willMessage = nullptr;
    QTableWidget *m_view = nullptr;
    QLineEdit *m_publishTopic = nullptr;
    QLineEdit *m_publishMessage = nullptr;
    QComboBox *m_publishQos = nullptr;
    QPlainTextEdit *m_received = nullptr;
    QPushButton *m_spawn = nullptr;
    QPushButton *m_publish = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_outcome = nullptr;
    QList<Entry> m_entries;
    int m_next = 1;
};

} // namespace wps::ui
