#pragma once

#include "common/expected.h"
#include "panels/messaging/payloadlibrary.h"
#include "service/serviceclient.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <optional>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListView;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace wps::trace {
class LiveTraceClient;
struct RequestReport;
} // namespace wps::trace

namespace wps::ui {

class ConsoleSession;
class JobAction;
class JsonHighlighter;

/// Panel "Messaging": sends one message over REST to all connections, a user, a group or one connection of
/// the window's hub, with the options the service offers (excluded connections, OData filter, TTL). The
/// form checks what it can as the user types (JSON, hex, filter syntax with the error position) so that a
/// request the service would refuse is not sent; what the service answers is shown next to Send and kept in a
/// bounded history.
class MessagingPanel : public QWidget
{
    Q_OBJECT
public:
    /// The history keeps this many entries, newest first.
    static constexpr int maxHistory = 200;
    /// Largest file "Load file…" accepts (it is read on the GUI thread, so it stays small).
    static constexpr qint64 maxFileBytes = 1024 * 1024;

    /// Sends with \a session's REST client (clientChanged) and reads what each send did from its live trace
    /// (how many connections it reached). Without a running live trace, or when it says nothing within
    /// deliveryWaitMs, a send is reported as accepted with its delivery unknown -- never as delivered.
    /// \a librarySettingsPath: where the saved payload library is kept (empty: the application's settings).
    explicit MessagingPanel(ConsoleSession *session, QWidget *parent = nullptr,
                            const QString &librarySettingsPath = {});

    /// How long to wait for the delivery report after the service accepted a send (default 3 s).
    void setDeliveryWaitMs(int ms) { m_deliveryWait.setInterval(ms); }

    /// Sends what the form says. Returns false (and shows why next to Send) when the form is invalid or no
    /// client is set; the outcome of a started send arrives later.
    bool send();
    /// Replaces the body with the bytes of \a path as hex and switches to binary. False (and shown why) when
    /// it cannot be read or is larger than maxFileBytes.
    bool loadBinaryFile(const QString &path);

    /// The form as a library entry named \a name.
    SavedPayload currentPayload(const QString &name) const;
    /// Fills the form from \a payload.
    void applyPayload(const SavedPayload &payload);
    /// Saves the form under \a name (replacing a payload of that name); an error text, or empty.
    QString saveToLibrary(const QString &name);
    /// Fills the form from the library's row \a row.
    bool loadFromLibrary(int row);
    /// Imports / exports the library as a JSON file; the outcome is shown under the library and returned
    /// (empty on success).
    QString importLibrary(const QString &path);
    QString exportLibrary(const QString &path);
    PayloadLibrary *library() const { return m_library; }

    QString outcomeText() const;
    /// History entries, newest first.
    QStringList history() const;

private:
    enum Target { All, User, Group, Connection };
    enum Content { Text, Json, Binary };
    /// What send() validated, for dispatch().
    struct Prepared
    {
        int target = 0;
        QString id;
        wps::service::Message message;
        wps::service::SendOptions options;
    };

    void buildUi();
    /// Target, content, body and the send options, with their hints.
    QFormLayout *buildForm();
    /// The "Saved payloads" group box (messagingpanel_library.cpp).
    QWidget *buildLibrary();
    void wire();
    /// The client of the current connection and hub; null when there is none. A running send is forgotten.
    void setClient(wps::service::ServiceClient *client);
    void setDeliveryReports(wps::trace::LiveTraceClient *liveTrace);
    void updateForm();
    void checkBody();
    void checkFilter();
    void prettyPrint();
    void chooseFile();
    void addHistory(const QString &entry);
    /// The form as a message to send, or why it cannot be sent (target id, body, filter).
    Expected<Prepared, QString> prepare() const;
    /// A connection id from another hub would be accepted (202) and reach nobody: asks this hub whether
    /// \a id is connected first, then dispatches.
    void checkConnectionThenDispatch(const QString &id);
    /// Sends what send() prepared (after the connection check for a connection target).
    void dispatch();
    /// The service answered a send (\a ok: accepted): finishes it, or waits for its delivery report.
    void onSendAnswered(bool ok);
    /// The final line of a send the service accepted: what its live trace said, or that it said nothing.
    void finishDelivery(const std::optional<wps::trace::RequestReport> &report);

    QPointer<ConsoleSession> m_session;
    QPointer<wps::service::ServiceClient> m_client;
    QComboBox *m_target = nullptr;
    QLineEdit *m_targetId = nullptr;
    QComboBox *m_content = nullptr;
    QPlainTextEdit *m_body = nullptr;
    QLabel *m_bodyHint = nullptr;
    QPushButton *m_pretty = nullptr;
    QPushButton *m_loadFile = nullptr;
    QLineEdit *m_excluded = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_filterHint = nullptr;
    QSpinBox *m_ttl = nullptr;
    QPushButton *m_send = nullptr;
    QLabel *m_outcome = nullptr;
    QListWidget *m_history = nullptr;
    JobAction *m_action = nullptr;
    QString m_pendingEntry;
    Prepared m_prepared;
    QPointer<wps::service::ServiceJob> m_check; ///< the connection-exists check of a connection send
    QPointer<wps::trace::LiveTraceClient> m_reports;
    QString m_awaitedRequestId; ///< the accepted send whose delivery report is awaited
    int m_acceptedStatus = 0;
    QTimer m_deliveryWait;
    PayloadLibrary *m_library = nullptr;
    QListView *m_libraryView = nullptr;
    QLabel *m_libraryHint = nullptr;
    JsonHighlighter *m_highlighter = nullptr;
};

} // namespace wps::ui
