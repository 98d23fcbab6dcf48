#pragma once

#include "panels/messaging/payloadlibrary.h"
#include "service/serviceclient.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace wps::ui {

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

    /// \a librarySettingsPath: where the saved payload library is kept (empty: the application's settings).
    explicit MessagingPanel(QWidget *parent = nullptr, const QString &librarySettingsPath = {});

    /// The client of the current connection and hub; null when there is none. A running send is forgotten.
    void setClient(wps::service::ServiceClient *client);

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

    void updateForm();
    void checkBody();
    void checkFilter();
    void prettyPrint();
    void chooseFile();
    void addHistory(const QString &entry);
    QWidget *buildLibrary();

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
    PayloadLibrary *m_library = nullptr;
    QListView *m_libraryView = nullptr;
    QLabel *m_libraryHint = nullptr;
    JsonHighlighter *m_highlighter = nullptr;
};

} // namespace wps::ui
