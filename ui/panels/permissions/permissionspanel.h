#pragma once

#include "service/serviceclient.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace wps::ui {

class JobAction;

/// Panel "Permissions": grants, revokes and checks joinLeaveGroup and sendToGroup of one connection for one
/// target group, the REST side of the roles a client token carries. The answer is shown inline.
class PermissionsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit PermissionsPanel(QWidget *parent = nullptr);

    /// The client of the current connection and hub; null when there is none. A running call is forgotten.
    void setClient(wps::service::ServiceClient *client);

private:
    void run(const QString &operation);

    QPointer<wps::service::ServiceClient> m_client;
    QComboBox *m_permission = nullptr;
    QLineEdit *m_connection = nullptr;
    QLineEdit *m_group = nullptr;
    QPushButton *m_grant = nullptr;
    QPushButton *m_revoke = nullptr;
    QPushButton *m_check = nullptr;
    QLabel *m_result = nullptr;
    JobAction *m_grantAction = nullptr;
    JobAction *m_revokeAction = nullptr;
    JobAction *m_checkAction = nullptr;
};

} // namespace wps::ui
