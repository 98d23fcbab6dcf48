#pragma once

#include "service/serviceclient.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QVBoxLayout;

namespace wps::ui {

class ConsoleSession;
class EffectivePermissionsModel;
class JobAction;

/// Panel "Permissions": grants, revokes and checks joinLeaveGroup and sendToGroup of one connection for one
/// target group, the REST side of the roles a client token carries. The answer is shown inline. Below, the
/// effective permissions of the connection: the roles its token carried (when the console knows the token)
/// plus every grant, revoke and check made here, with where each fact came from and when.
class PermissionsPanel : public QWidget
{
    Q_OBJECT
public:
    /// Follows \a session's REST client (clientChanged) and notes the roles of its live clients' tokens.
    explicit PermissionsPanel(ConsoleSession *session, QWidget *parent = nullptr);

    /// Records the roles of \a token (a JWT or a client URL with access_token=) as facts of \a connectionId,
    /// e.g. for the console's own live clients whose URL it made. Returns false when it is not a JWT.
    bool noteClientToken(const QString &connectionId, const QString &token, const QString &source = {});
    /// Adds \a roles (a token's "role" claim) as facts about \a connectionId; "(no roles)" when empty.
    void noteRoles(const QString &connectionId, const QStringList &roles, const QString &source);

    EffectivePermissionsModel *effectivePermissions() const { return m_facts; }

private:
    /// The permission, connection and group fields with Grant / Revoke / Check and their result.
    void buildOperations(QVBoxLayout *layout);
    /// The effective permissions table with its explanation and the "read a token's roles" row.
    void buildEffectivePermissions(QVBoxLayout *layout);
    void wire();
    void followSession(ConsoleSession *session);
    /// The client of the current connection and hub; null when there is none. A running call is forgotten.
    void setClient(wps::service::ServiceClient *client);
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
    EffectivePermissionsModel *m_facts = nullptr;
    QSortFilterProxyModel *m_factsProxy = nullptr;
    QTableView *m_factsView = nullptr;
    QLineEdit *m_token = nullptr;
    QPushButton *m_readToken = nullptr;
};

} // namespace wps::ui
