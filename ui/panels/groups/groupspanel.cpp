#include "panels/groups/groupspanel.h"

#include "panels/common/confirm.h"
#include "panels/common/formutil.h"
#include "panels/common/jobaction.h"
#include "panels/common/pageheading.h"
#include "panels/groups/groupmembersmodel.h"
#include "profiles/profile.h"
#include "protocol/filter.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {
QString quoted(const QString &value)
{
    return u"“"_s + value + u"”"_s;
}

QString existsText(wps::service::ExistsJob *job, const QString &what)
{
    const bool exists = job->exists();
    return exists ? QObject::tr("%1 exists.").arg(what) : QObject::tr("%1 does not exist.").arg(what);
}
} // namespace

GroupsPanel::GroupsPanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_group(new QLineEdit(this))
    , m_user(new QLineEdit(this))
    , m_connection(new QLineEdit(this))
    , m_bulkGroups(new QLineEdit(this))
    , m_bulkFilter(new QLineEdit(this))
    , m_bulkFilterHint(new QLabel(this))
    , m_reason(new QLineEdit(this))
    , m_table(new QTableView(this))
    , m_members(new GroupMembersModel(this))
{
    buildUi();
    wire();
    setClient(m_session ? m_session->client() : nullptr);
    updateTypedConfirmation();
}

void GroupsPanel::buildUi()
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *page = new QWidget(scroll);
    scroll->setWidget(page);
    outer->addWidget(scroll);
    auto *layout = new QVBoxLayout(page);

    setPagePurpose(this, tr("Put connections and users in groups and take them out, check what exists, and "
                            "close connections."));

    layout->addLayout(buildIds());
    layout->addWidget(buildMembership());
    layout->addWidget(buildBulk());
    layout->addWidget(buildExists());
    layout->addWidget(buildMembers());
    layout->addWidget(buildClose());
    layout->addStretch(1);
}

QFormLayout *GroupsPanel::buildIds()
{
    m_group->setObjectName(u"group"_s);
    m_group->setPlaceholderText(tr("group name"));
    m_user->setObjectName(u"user"_s);
    m_user->setPlaceholderText(tr("user id"));
    m_connection->setObjectName(u"connection"_s);
    m_connection->setPlaceholderText(tr("connection id"));
    auto *ids = new QFormLayout();
    ids->addRow(tr("Group"), m_group);
    ids->addRow(tr("User"), m_user);
    ids->addRow(tr("Connection"), m_connection);
    return ids;
}

QGroupBox *GroupsPanel::buildMembership()
{
    auto *membership = new QGroupBox(tr("Membership"), this);
    auto *membershipGrid = new QGridLayout(membership);
    QLabel *membershipResult = resultLabel(u"membershipResult"_s);
    membershipGrid->addWidget(
        addButton(tr("Add connection to group"), u"addConnection"_s, membershipResult,
                  [this](JobAction *run) {
                      const QString group = m_group->text().trimmed(), id = m_connection->text().trimmed();
                      run->run(m_client->addConnectionToGroup(group, id), [=](auto *) {
                          return tr("Connection %1 added to group %2.").arg(quoted(id), quoted(group));
                      });
                  }),
        0, 0);
    membershipGrid->addWidget(
        addButton(tr("Remove connection from group"), u"removeConnection"_s, membershipResult,
                  [this](JobAction *run) {
                      const QString group = m_group->text().trimmed(), id = m_connection->text().trimmed();
                      run->run(m_client->removeConnectionFromGroup(group, id), [=](auto *) {
                          return tr("Connection %1 removed from group %2.").arg(quoted(id), quoted(group));
                      });
                  }),
        0, 1);
    membershipGrid->addWidget(
        addButton(tr("Remove connection from all groups"), u"removeConnectionFromAll"_s, membershipResult,
                  [this](JobAction *run) {
                      const QString id = m_connection->text().trimmed();
                      confirm(tr("Remove connection %1 from all groups").arg(quoted(id)), false, [=, this] {
                          run->run(m_client->removeConnectionFromAllGroups(id), [=](auto *) {
                              return tr("Connection %1 removed from all groups.").arg(quoted(id));
                          });
                      });
                  }),
        0, 2);
    membershipGrid->addWidget(
        addButton(tr("Add user to group"), u"addUser"_s, membershipResult,
                  [this](JobAction *run) {
                      const QString group = m_group->text().trimmed(), id = m_user->text().trimmed();
                      run->run(m_client->addUserToGroup(group, id), [=](auto *) {
                          return tr("User %1 added to group %2.").arg(quoted(id), quoted(group));
                      });
                  }),
        1, 0);
    membershipGrid->addWidget(
        addButton(tr("Remove user from group"), u"removeUser"_s, membershipResult,
                  [this](JobAction *run) {
                      const QString group = m_group->text().trimmed(), id = m_user->text().trimmed();
                      run->run(m_client->removeUserFromGroup(group, id), [=](auto *) {
                          return tr("User %1 removed from group %2.").arg(quoted(id), quoted(group));
                      });
                  }),
        1, 1);
    membershipGrid->addWidget(addButton(tr("Remove user from all groups"), u"removeUserFromAll"_s,
                                        membershipResult,
                                        [this](JobAction *run) {
                                            const QString id = m_user->text().trimmed();
                                            run->run(m_client->removeUserFromAllGroups(id), [=](auto *) {
                                                return tr("User %1 removed from all groups.").arg(quoted(id));
                                            });
                                        }),
                              1, 2);
    membershipGrid->addWidget(membershipResult, 2, 0, 1, 3);
    return membership;
}

QGroupBox *GroupsPanel::buildBulk()
{
    auto *bulk = new QGroupBox(tr("Many connections by filter"), this);
    auto *bulkForm = new QFormLayout(bulk);
    m_bulkGroups->setObjectName(u"bulkGroups"_s);
    m_bulkGroups->setPlaceholderText(tr("groups, comma-separated"));
    m_bulkFilter->setObjectName(u"bulkFilter"_s);
    m_bulkFilter->setPlaceholderText(tr("OData filter; empty for every connection of the hub"));
    m_bulkFilter->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_bulkFilterHint->setObjectName(u"bulkFilterHint"_s);
    m_bulkFilterHint->setWordWrap(true);
    QLabel *bulkResult = resultLabel(u"bulkResult"_s);
    auto bulkRun = [this, bulkResult](JobAction *run, bool add) {
        const QStringList groups = splitList(m_bulkGroups->text());
        const QString filterText = m_bulkFilter->text().trimmed();
        if (!filterText.isEmpty()) {
            const auto parsed = filter::Expression::parse(filterText);
            if (!parsed) {
                showOutcome(bulkResult, Outcome::Failure, parsed.error().message);
                return;
            }
        }
        auto *job = add ? m_client->addConnectionsToGroups(groups, filterText)
                        : m_client->removeConnectionsFromGroups(groups, filterText);
        run->run(job, [=](auto *) {
            const QString which =
                filterText.isEmpty() ? tr("every connection") : tr("connections matching the filter");
            return add ? tr("Added %1 to %2.").arg(which, groups.join(u", "_s))
                       : tr("Removed %1 from %2.").arg(which, groups.join(u", "_s));
        });
    };
    auto *bulkButtons = new QHBoxLayout();
    bulkButtons->addWidget(addButton(tr("Add to groups"), u"bulkAdd"_s, bulkResult,
                                     [bulkRun](JobAction *run) { bulkRun(run, true); }));
    bulkButtons->addWidget(addButton(tr("Remove from groups"), u"bulkRemove"_s, bulkResult,
                                     [bulkRun](JobAction *run) { bulkRun(run, false); }));
    bulkButtons->addWidget(bulkResult, 1);
    bulkForm->addRow(tr("Groups"), m_bulkGroups);
    bulkForm->addRow(tr("Filter"), m_bulkFilter);
    bulkForm->addRow(QString(), m_bulkFilterHint);
    bulkForm->addRow(bulkButtons);
    return bulk;
}

QGroupBox *GroupsPanel::buildExists()
{
    auto *exists = new QGroupBox(tr("Exists?"), this);
    auto *existsRow = new QHBoxLayout(exists);
    QLabel *existsResult = resultLabel(u"existsResult"_s);
    existsRow->addWidget(
        addButton(tr("Connection"), u"connectionExists"_s, existsResult, [this](JobAction *run) {
            const QString id = m_connection->text().trimmed();
            run->run(m_client->connectionExists(id),
                     [=](auto *job) { return existsText(job, tr("Connection %1").arg(quoted(id))); });
        }));
    existsRow->addWidget(addButton(tr("User"), u"userExists"_s, existsResult, [this](JobAction *run) {
        const QString id = m_user->text().trimmed();
        run->run(m_client->userExists(id),
                 [=](auto *job) { return existsText(job, tr("User %1").arg(quoted(id))); });
    }));
    existsRow->addWidget(addButton(tr("Group"), u"groupExists"_s, existsResult, [this](JobAction *run) {
        const QString group = m_group->text().trimmed();
        run->run(m_client->groupExists(group),
                 [=](auto *job) { return existsText(job, tr("Group %1").arg(quoted(group))); });
    }));
    existsRow->addWidget(existsResult, 1);
    return exists;
}

QGroupBox *GroupsPanel::buildMembers()
{
    auto *members = new QGroupBox(tr("Connections in the group"), this);
    auto *membersLayout = new QVBoxLayout(members);
    m_membersResult = resultLabel(u"membersResult"_s);
    auto *membersRow = new QHBoxLayout();
    membersRow->addWidget(addButton(tr("List"), u"listMembers"_s, m_membersResult,
                                    [this](JobAction *) { listMembers(false); }));
    m_loadMore = addButton(tr("Load more"), u"loadMore"_s, m_membersResult,
                           [this](JobAction *) { listMembers(true); });
    membersRow->addWidget(m_loadMore);
    membersRow->addWidget(m_membersResult, 1);
    membersLayout->addLayout(membersRow);
    m_table->setObjectName(u"membersTable"_s);
    m_table->setModel(m_members);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->resizeSection(0, 320);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setMinimumHeight(160);
    membersLayout->addWidget(m_table);
    return members;
}

QGroupBox *GroupsPanel::buildClose()
{
    auto *close = new QGroupBox(tr("Close connections"), this);
    auto *closeLayout = new QVBoxLayout(close);
    m_reason->setObjectName(u"reason"_s);
    m_reason->setPlaceholderText(tr("reason, sent to the clients"));
    closeLayout->addWidget(m_reason);
    QLabel *closeResult = resultLabel(u"closeResult"_s);
    auto *closeRow = new QHBoxLayout();
    closeRow->addWidget(
        addButton(tr("Close connection"), u"closeConnection"_s, closeResult, [this](JobAction *run) {
            const QString id = m_connection->text().trimmed();
            run->run(m_client->closeConnection(id, m_reason->text()),
                     [=](auto *) { return tr("Connection %1 closed.").arg(quoted(id)); });
        }));
    closeRow->addWidget(addButton(tr("Close user's"), u"closeUser"_s, closeResult, [this](JobAction *run) {
        const QString id = m_user->text().trimmed();
        const QString reason = m_reason->text();
        confirm(tr("Close every connection of user %1").arg(quoted(id)), false, [=, this] {
            run->run(m_client->closeUserConnections(id, {reason, {}}),
                     [=](auto *) { return tr("Connections of user %1 closed.").arg(quoted(id)); });
        });
    }));
    closeRow->addWidget(addButton(tr("Close group's"), u"closeGroup"_s, closeResult, [this](JobAction *run) {
        const QString group = m_group->text().trimmed();
        const QString reason = m_reason->text();
        confirm(tr("Close every connection in group %1").arg(quoted(group)), false, [=, this] {
            run->run(m_client->closeGroupConnections(group, {reason, {}}),
                     [=](auto *) { return tr("Connections in group %1 closed.").arg(quoted(group)); });
        });
    }));
    closeRow->addWidget(addButton(tr("Close all"), u"closeAll"_s, closeResult, [this](JobAction *run) {
        const QString reason = m_reason->text();
        confirm(tr("Close every connection of the hub"), m_typedConfirmation, [=, this] {
            run->run(m_client->closeAllConnections({reason, {}}),
                     [](auto *) { return tr("Every connection of the hub closed."); });
        });
    }));
    closeLayout->addLayout(closeRow);
    closeLayout->addWidget(closeResult);
    return close;
}

void GroupsPanel::wire()
{
    connect(m_bulkFilter, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.trimmed().isEmpty()) {
            showOutcome(m_bulkFilterHint, Outcome::Neutral, QString());
            return;
        }
        const auto parsed = filter::Expression::parse(text);
        showOutcome(m_bulkFilterHint, parsed ? Outcome::Success : Outcome::Failure,
                    parsed ? tr("Valid filter.") : parsed.error().message);
    });
    if (!m_session)
        return;
    connect(m_session, &ConsoleSession::clientChanged, this, [this](wps::service::ServiceClient *client) {
        setClient(client);
        updateTypedConfirmation();
    });
    connect(m_session, &ConsoleSession::connectionChanged, this, &GroupsPanel::updateTypedConfirmation);
}

void GroupsPanel::updateTypedConfirmation()
{
    // Typing the hub name guards "Close all" everywhere but on the built-in local emulator profile.
    if (m_session)
        m_typedConfirmation = m_session->profileId() != wps::profiles::Profile::localEmulatorId();
}

QLabel *GroupsPanel::resultLabel(const QString &name)
{
    auto *label = new QLabel(this);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QPushButton *GroupsPanel::addButton(const QString &text, const QString &name, QLabel *result,
                                    std::function<void(JobAction *)> onClick)
{
    auto *button = new QPushButton(text, this);
    button->setObjectName(name);
    auto *runner = new JobAction(button, result, this);
    connect(button, &QPushButton::clicked, this, [this, runner, result, onClick = std::move(onClick)] {
        if (ensureClient(result))
            onClick(runner);
    });
    m_actions.append({button, runner});
    return button;
}

bool GroupsPanel::ensureClient(QLabel *result)
{
    if (m_client)
        return true;
    showOutcome(result, Outcome::Failure, tr("Not connected."));
    return false;
}

void GroupsPanel::confirm(const QString &action, bool typed, std::function<void()> then)
{
    const QPointer<wps::service::ServiceClient> client = m_client;
    confirmAction(this, {action, m_client->hub(), m_client->endpoint().host(), typed},
                  [this, client, then = std::move(then)] {
                      // The hub or connection changed while the dialog was open: the answer was about
                      // another.
                      if (m_client && m_client == client)
                          then();
                  });
}

void GroupsPanel::setClient(wps::service::ServiceClient *client)
{
    m_client = client;
    for (const Action &action : std::as_const(m_actions)) {
        action.runner->reset();
        action.button->setEnabled(client != nullptr);
    }
    m_members->reset(QString());
    m_requested = 0;
    m_mayHaveMore = false;
    m_loadMore->setEnabled(false);
}

void GroupsPanel::setPageSize(int members)
{
    m_pageSize = std::clamp(members, 1, 200);
}

void GroupsPanel::listMembers(bool more)
{
    const QString group = m_group->text().trimmed();
    if (!more || group != m_members->group()) {
        m_members->reset(group);
        m_requested = 0;
    }
    m_requested += m_pageSize;
    wps::service::ListOptions options;
    options.maxPageSize = m_pageSize;
    options.top = m_requested;
    const int requested = m_requested;
    // Both buttons share one runner per button; "List" and "Load more" must not overlap.
    JobAction *runner = nullptr;
    for (const Action &action : std::as_const(m_actions)) {
        if (action.button->objectName() == (more ? u"loadMore"_s : u"listMembers"_s))
            runner = action.runner;
    }
    m_loadMore->setEnabled(false);
    auto *job = m_client->listConnectionsInGroup(group, options);
    runner->run(job, [this, group, requested](wps::service::ListConnectionsJob *finished) -> QString {
        const auto members = finished->members();
        if (group != m_members->group() || requested != m_requested)
            return tr("(a newer listing replaced this one)"); // stale (rule 11)
        const int added = m_members->append(members);
        m_mayHaveMore = members.size() >= requested;
        m_loadMore->setEnabled(m_mayHaveMore);
        return tr("%n connection(s) in group %1", nullptr, int(m_members->rowCount())).arg(quoted(group)) +
               (m_mayHaveMore ? tr("; more may follow (+%1 this page).").arg(added) : tr("; that is all."));
    });
    connect(
        runner, &JobAction::done, m_loadMore,
        [this](bool ok) {
            if (!ok)
                m_loadMore->setEnabled(false);
            else
                m_loadMore->setEnabled(m_mayHaveMore);
        },
        Qt::SingleShotConnection);
}

} // namespace wps::ui
