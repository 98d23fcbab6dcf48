#pragma once

#include "protocol/connectionstring.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;

namespace wps::ui {

class ConsoleSession;

/// Where the console is connected: endpoint, REST and client addresses, and the connection string
/// (hidden until asked for; copying it is the one way the secret leaves the app). Follows \a session's
/// connection (connectionChanged): a connection with an access key or with Entra ID (which has no
/// connection string, and says so) is shown, a failed one says why.
class OverviewPanel : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewPanel(ConsoleSession *session, QWidget *parent = nullptr);

private:
    void buildUi();
    void wire();
    /// Shows the session's connection when it is connected, its error when it failed.
    void onConnectionChanged();
    void showConnection();
    void setError(const QString &message);
    void updateConnectionStringField();
    /// What to do next, with the command line that takes the same connection.
    void updateNextSteps();

    QPointer<ConsoleSession> m_session;
    std::optional<wps::ConnectionString> m_connection; ///< none for an Entra ID connection
    QLabel *m_origin = nullptr;
    QLabel *m_error = nullptr;
    QLineEdit *m_endpoint = nullptr;
    QLineEdit *m_restBase = nullptr;
    QLineEdit *m_clientBase = nullptr;
    QLineEdit *m_connectionString = nullptr;
    QPushButton *m_reveal = nullptr;
    QPushButton *m_copy = nullptr;
    QLabel *m_nextSteps = nullptr;
};

} // namespace wps::ui
