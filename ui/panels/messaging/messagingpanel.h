#pragma once

#include "service/serviceclient.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace wps::ui {

class JobAction;

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

    explicit MessagingPanel(QWidget *parent = nullptr);

    /// The client of the current connection and hub; null when there is none. A running send is forgotten.
    void setClient(wps::service::ServiceClient *client);

    /// Sends what the form says. Returns false (and shows why next to Send) when the form is invalid or no
    /// client is set; the outcome of a started send arrives later.
    bool send();
    /// Replaces the body with the bytes of \a path as hex and switches to binary. False (and shown why) when
    /// it cannot be read or is larger than maxFileBytes.
    bool loadBinaryFile(const QString &path);

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
};

} // namespace wps::ui
