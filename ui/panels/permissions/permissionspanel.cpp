#include "panels/permissions/permissionspanel.h"

#include "panels/common/jobaction.h"
#include "service/serviceclient.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

PermissionsPanel::PermissionsPanel(QWidget *parent)
    : QWidget(parent)
    , m_permission(new QComboBox(this))
    , m_connection(new QLineEdit(this))
    , m_group(new QLineEdit(this))
    , m_grant(new QPushButton(tr("Grant"), this))
    , m_revoke(new QPushButton(tr("Revoke"), this))
    , m_check(new QPushButton(tr("Check"), this))
    , m_result(new QLabel(this))
    , m_grantAction(new JobAction(m_grant, m_result, this))
    , m_revokeAction(new JobAction(m_revoke, m_result, this))
    , m_checkAction(new JobAction(m_check, m_result, this))
{
    auto *layout = new QVBoxLayout(this);
    auto *heading = new QLabel(tr("Permissions"), this);
    QFont font = heading->font();
    font.setPointSizeF(font.pointSizeF() * 1.5);
    font.setBold(true);
    heading->setFont(font);
    layout->addWidget(heading);
    auto *intro = new QLabel(tr("What a connection may do in a group beyond the roles of its token: join and "
                                "leave it (joinLeaveGroup), send to it (sendToGroup)."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_permission->setObjectName(u"permission"_s);
    m_permission->addItem(u"joinLeaveGroup"_s);
    m_permission->addItem(u"sendToGroup"_s);
    m_connection->setObjectName(u"connection"_s);
    m_connection->setPlaceholderText(tr("connection id"));
    m_group->setObjectName(u"targetGroup"_s);
    m_group->setPlaceholderText(tr("group name"));
    auto *form = new QFormLayout();
    form->addRow(tr("Permission"), m_permission);
    form->addRow(tr("Connection"), m_connection);
    form->addRow(tr("Target group"), m_group);
    layout->addLayout(form);

    m_grant->setObjectName(u"grant"_s);
    m_revoke->setObjectName(u"revoke"_s);
    m_check->setObjectName(u"check"_s);
    m_result->setObjectName(u"result"_s);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *buttons = new QHBoxLayout();
    buttons->addWidget(m_grant);
    buttons->addWidget(m_revoke);
    buttons->addWidget(m_check);
    buttons->addWidget(m_result, 1);
    layout->addLayout(buttons);
    layout->addStretch(1);

    connect(m_grant, &QPushButton::clicked, this, [this] { run(u"grant"_s); });
    connect(m_revoke, &QPushButton::clicked, this, [this] { run(u"revoke"_s); });
    connect(m_check, &QPushButton::clicked, this, [this] { run(u"check"_s); });
    setClient(nullptr);
}

void PermissionsPanel::setClient(wps::service::ServiceClient *client)
{
    m_client = client;
    for (JobAction *action : {m_grantAction, m_revokeAction, m_checkAction})
        action->reset();
    for (QPushButton *button : {m_grant, m_revoke, m_check})
        button->setEnabled(client != nullptr);
    showOutcome(m_result, Outcome::Neutral, client ? QString() : tr("Not connected."));
}

void PermissionsPanel::run(const QString &operation)
{
    if (!m_client) {
        showOutcome(m_result, Outcome::Failure, tr("Not connected."));
        return;
    }
    const QString permission = m_permission->currentText();
    const QString connection = m_connection->text().trimmed();
    const QString group = m_group->text().trimmed();
    const QString what = tr("%1 for connection “%2” in group “%3”").arg(permission, connection, group);
    if (operation == u"grant"_s) {
        m_grantAction->run(m_client->grantPermission(permission, connection, group),
                           [what](auto *) { return tr("Granted %1.").arg(what); });
    } else if (operation == u"revoke"_s) {
        m_revokeAction->run(m_client->revokePermission(permission, connection, group),
                            [what](auto *) { return tr("Revoked %1.").arg(what); });
    } else {
        m_checkAction->run(m_client->checkPermission(permission, connection, group), [what](auto *job) {
            return static_cast<wps::service::ExistsJob *>(job)->exists() ? tr("Has %1.").arg(what)
                                                                         : tr("Does not have %1.").arg(what);
        });
    }
}

} // namespace wps::ui
