#pragma once

#include "protocol/connectionstring.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace wps::ui {

class ConsoleSession;

/// Where the console is connected: endpoint, REST and client addresses, and the connection string
/// (hidden until asked for; copying it is the one way the secret leaves the app). Follows \a session's
/// connection (connectionChanged): a connection with an access key is shown, a failed one says why.
class OverviewPanel : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewPanel(ConsoleSession *session, QWidget *parent = nullptr);

private:
    void buildUi();
    void wire();
    /// Shows the session's connection when it has a connection string, its error when it failed.
    void onConnectionChanged();
    void setConnection(const wps::ConnectionString &connection, const QString &origin);
    void setError(const QString &message);
    void updateConnectionStringField();

    QPointer<ConsoleSession> m_session;
    wps::ConnectionString m_connection;
    QLabel *m_origin = nullptr;
    QLabel *m_error = nullptr;
    QLineEdit *m_endpoint = nullptr;
    QLineEdit *m_restBase = nullptr;
    QLineEdit *m_clientBase = nullptr;
    QLineEdit *m_connectionString = nullptr;
    QPushButton *m_reveal = nullptr;
    QPushButton *m_copy = nullptr;
};

} // namespace wps::ui
