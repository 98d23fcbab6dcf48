#pragma once

#include "protocol/connectionstring.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace wps::ui {

/// Where the console is connected: endpoint, REST and client addresses, and the connection string
/// (hidden until asked for; copying it is the one way the secret leaves the app).
class OverviewPanel : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewPanel(QWidget *parent = nullptr);

    void setConnection(const wps::ConnectionString &connection, const QString &origin);
    void setError(const QString &message);

private:
    void updateConnectionStringField();

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
