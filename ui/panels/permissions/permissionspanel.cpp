#include "panels/permissions/permissionspanel.h"

#include "live/liveclient.h"
#include "panels/common/jobaction.h"
#include "panels/common/pageheading.h"
#include "panels/permissions/effectivepermissionsmodel.h"
#include "protocol/jwt.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

PermissionsPanel::PermissionsPanel(ConsoleSession *session, QWidget *parent)
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
    , m_facts(new EffectivePermissionsModel(this))
    , m_factsProxy(new QSortFilterProxyModel(this))
    , m_factsView(new QTableView(this))
    , m_token(new QLineEdit(this))
    , m_readToken(new QPushButton(tr("Read roles"), this))
{
    auto *layout = new QVBoxLayout(this);
    setPagePurpose(this, tr("What a connection may do in a group beyond the roles of its token: join and "
                            "leave it (joinLeaveGroup), send to it (sendToGroup)."));
    buildOperations(layout);
    buildEffectivePermissions(layout);
    wire();
    setClient(nullptr);
    if (session)
        followSession(session);
}

void PermissionsPanel::buildOperations(QVBoxLayout *layout)
{
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
}

void PermissionsPanel::buildEffectivePermissions(QVBoxLayout *layout)
{
    auto *effective = new QLabel(tr("Effective permissions of the connection above (all connections when it "
                                    "is empty): its token's roles when known, and every grant, revoke and "
                                    "check made here. The latest fact wins."),
                                 this);
    effective->setWordWrap(true);
    layout->addSpacing(8);
    layout->addWidget(effective);
    m_token->setObjectName(u"clientToken"_s);
    m_token->setPlaceholderText(tr("paste the connection's token or client URL to add its roles"));
    m_readToken->setObjectName(u"readRoles"_s);
    auto *tokenRow = new QHBoxLayout();
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(m_readToken);
    layout->addLayout(tokenRow);
    m_factsProxy->setSourceModel(m_facts);
    m_factsProxy->setFilterKeyColumn(EffectivePermissionsModel::Connection);
    m_factsView->setObjectName(u"effectivePermissions"_s);
    m_factsView->setModel(m_factsProxy);
    m_factsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_factsView->verticalHeader()->hide();
    m_factsView->horizontalHeader()->setStretchLastSection(true);
    m_factsView->horizontalHeader()->resizeSection(EffectivePermissionsModel::Connection, 280);
    m_factsView->horizontalHeader()->resizeSection(EffectivePermissionsModel::Permission, 140);
    m_factsView->horizontalHeader()->resizeSection(EffectivePermissionsModel::Source, 140);
    m_factsView->verticalHeader()->setDefaultSectionSize(m_factsView->fontMetrics().height() + 6);
    m_factsView->setAlternatingRowColors(true);
    layout->addWidget(m_factsView, 1);
}

void PermissionsPanel::wire()
{
    connect(m_connection, &QLineEdit::textChanged, this,
            [this](const QString &text) { m_factsProxy->setFilterFixedString(text.trimmed()); });
    connect(m_readToken, &QPushButton::clicked, this, [this] {
        const QString connection = m_connection->text().trimmed();
        if (connection.isEmpty()) {
            showOutcome(m_result, Outcome::Failure, tr("Name the connection the token belongs to."));
            return;
        }
        if (!noteClientToken(connection, m_token->text(), tr("token (pasted)")))
            showOutcome(m_result, Outcome::Failure, tr("Not a JWT or a client URL with access_token=."));
        else
            showOutcome(m_result, Outcome::Success, tr("Read the token's roles."));
    });

    connect(m_grant, &QPushButton::clicked, this, [this] { run(u"grant"_s); });
    connect(m_revoke, &QPushButton::clicked, this, [this] { run(u"revoke"_s); });
    connect(m_check, &QPushButton::clicked, this, [this] { run(u"check"_s); });
}

void PermissionsPanel::followSession(ConsoleSession *session)
{
    connect(session, &ConsoleSession::clientChanged, this,
            [this](wps::service::ServiceClient *client) { setClient(client); });
    setClient(session->client());
    // The console's own live clients (Live clients dock, demo, Client tokens): their tokens' roles are
    // facts about each connection they open.
    connect(session, &ConsoleSession::liveClientTraced, this,
            [this](wps::live::LiveClient *client, const QString &) {
                if (!client)
                    return;
                connect(client, &wps::live::LiveClient::connected, this,
                        [this, client](const QString &connectionId) {
                            noteRoles(connectionId, client->tokenRoles(),
                                      tr("own client token (%1)")
                                          .arg(client->name().isEmpty() ? client->userId() : client->name()));
                        });
            });
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
    QPointer<EffectivePermissionsModel> facts = m_facts;
    auto note = [facts, permission, connection, group](bool allowed, const QString &source) {
        if (!facts)
            return;
        EffectivePermissionsModel::Fact fact;
        fact.connectionId = connection;
        fact.permission = permission;
        fact.group = group;
        fact.allowed = allowed;
        fact.source = source;
        facts->addFact(fact);
    };
    if (operation == u"grant"_s) {
        m_grantAction->run(m_client->grantPermission(permission, connection, group), [what, note](auto *) {
            note(true, tr("grant"));
            return tr("Granted %1.").arg(what);
        });
    } else if (operation == u"revoke"_s) {
        m_revokeAction->run(m_client->revokePermission(permission, connection, group), [what, note](auto *) {
            note(false, tr("revoke"));
            return tr("Revoked %1.").arg(what);
        });
    } else {
        // The service answers "no" for a connection it does not know, so ask whether the connection exists
        // first: a missing connection is said to be missing, not to lack the permission.
        QPointer<wps::service::ServiceClient> client = m_client;
        m_checkAction->run(m_client->connectionExists(connection), [this, client, connection, permission,
                                                                    group, what, note](auto *job) {
            if (!job->exists()) {
                const QString text = tr("Connection “%1” does not exist on this hub (closed, or never "
                                        "connected): nothing to check.")
                                         .arg(connection);
                QTimer::singleShot(0, m_result,
                                   [label = m_result, text] { showOutcome(label, Outcome::Failure, text); });
                return text;
            }
            // Chained at once (the exists job is done, so the action is free): the button stays disabled
            // until the permission's answer is in. A result for a client changed meanwhile is dropped.
            if (client && client == m_client)
                m_checkAction->run(
                    m_client->checkPermission(permission, connection, group), [what, note](auto *check) {
                        const bool has = check->exists();
                        note(has, tr("check"));
                        return has ? tr("Has %1.").arg(what) : tr("Does not have %1.").arg(what);
                    });
            return tr("Connection “%1” exists; checking %2…").arg(connection, permission);
        });
    }
}

bool PermissionsPanel::noteClientToken(const QString &connectionId, const QString &token,
                                       const QString &source)
{
    QString text = token.trimmed();
    if (text.contains(u"access_token="_s))
        text = QUrlQuery(QUrl(text)).queryItemValue(u"access_token"_s, QUrl::FullyDecoded);
    const auto claims = wps::jwt::decodeClaimsUnverified(text.toLatin1());
    if (!claims)
        return false;
    QStringList roles;
    const QJsonValue role = claims->value(u"role"_s);
    if (role.isString())
        roles << role.toString();
    for (const QJsonValue &value : role.toArray())
        roles << value.toString();
    noteRoles(connectionId, roles, source);
    return true;
}

void PermissionsPanel::noteRoles(const QString &connectionId, const QStringList &roles, const QString &source)
{
    if (roles.isEmpty()) {
        EffectivePermissionsModel::Fact fact;
        fact.connectionId = connectionId;
        fact.permission = tr("(no roles)");
        fact.source = source.isEmpty() ? tr("token role") : source;
        m_facts->addFact(fact);
        return;
    }
    m_facts->addTokenRoles(connectionId, roles, source.isEmpty() ? tr("token role") : source);
}

} // namespace wps::ui
