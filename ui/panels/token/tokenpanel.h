#pragma once

#include "protocol/connectionstring.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace wps::ui {

/// Makes client access tokens and URLs, signed locally with the access key exactly as the SDKs'
/// getClientAccessToken() does, and shows the decoded claims so a support engineer can see what a client
/// will be allowed to do.
class TokenPanel : public QWidget
{
    Q_OBJECT
public:
    explicit TokenPanel(QWidget *parent = nullptr);

    void setConnection(const wps::ConnectionString &connection);

    /// Generates from the current form; returns false (and shows why) when the input is invalid.
    bool generate();

    QString clientUrl() const;
    QString claimsText() const;

private:
    wps::ConnectionString m_connection;
    QLineEdit *m_hub = nullptr;
    QLineEdit *m_userId = nullptr;
    QLineEdit *m_roles = nullptr;
    QLineEdit *m_groups = nullptr;
    QSpinBox *m_minutes = nullptr;
    QComboBox *m_protocol = nullptr;
    QPushButton *m_generate = nullptr;
    QLabel *m_hint = nullptr;
    QLineEdit *m_url = nullptr;
    QPushButton *m_copyUrl = nullptr;
    QPlainTextEdit *m_claims = nullptr;
};

} // namespace wps::ui
