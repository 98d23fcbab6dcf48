#pragma once

#include "service/serviceclient.h"

#include <QPointer>
#include <QWidget>

#include <functional>

class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace wps::ui {

class ConsoleSession;
class GroupMembersModel;
class JobAction;

/// Panel "Groups, users, connections": group membership of connections and users (one by one and in bulk by
/// filter), existence checks, the members of a group page by page, and closing connections. Every action
/// shows its result inline in its section; a button is disabled while its call runs.
class GroupsPanel : public QWidget
{
    Q_OBJECT
public:
    /// Follows \a session's REST client (clientChanged) and profile (typed confirmation).
    explicit GroupsPanel(ConsoleSession *session, QWidget *parent = nullptr);

    /// How many more members each "Load more" asks for (default 100; tests make it small).
    void setPageSize(int members);
    /// Whether "Close all" asks the user to type the hub name: true unless the session's profile is the
    /// local emulator, decided again when the session's connection or client changes.
    void setTypedConfirmation(bool required) { m_typedConfirmation = required; }

    GroupMembersModel *membersModel() const { return m_members; }

private:
    struct Action
    {
        QPushButton *button = nullptr;
        JobAction *runner = nullptr;
    };

    void buildUi();
    /// The group, user and connection fields every section reads.
    QFormLayout *buildIds();
    QGroupBox *buildMembership();
    /// Many connections by filter: add to / remove from groups.
    QGroupBox *buildBulk();
    QGroupBox *buildExists();
    /// The members of a group, page by page.
    QGroupBox *buildMembers();
    QGroupBox *buildClose();
    void wire();
    /// The client of the current connection and hub; null when there is none. Running calls are forgotten.
    void setClient(wps::service::ServiceClient *client);
    void updateTypedConfirmation();
    QPushButton *addButton(const QString &text, const QString &name, QLabel *result,
                           std::function<void(JobAction *)> onClick);
    QLabel *resultLabel(const QString &name);
    bool ensureClient(QLabel *result);
    /// Asks before a destructive action on the current hub (\a typed: the hub name must be typed) and runs
    /// \a then once confirmed, if the client is still the same.
    void confirm(const QString &action, bool typed, std::function<void()> then);
    void listMembers(bool more);

    QPointer<ConsoleSession> m_session;
    QPointer<wps::service::ServiceClient> m_client;
    QLineEdit *m_group = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_connection = nullptr;
    QLineEdit *m_bulkGroups = nullptr;
    QLineEdit *m_bulkFilter = nullptr;
    QLabel *m_bulkFilterHint = nullptr;
    QLineEdit *m_reason = nullptr;
    QTableView *m_table = nullptr;
    GroupMembersModel *m_members = nullptr;
    QPushButton *m_loadMore = nullptr;
    QLabel *m_membersResult = nullptr;
    QList<Action> m_actions;
    int m_pageSize = 100;
    int m_requested = 0;
    bool m_mayHaveMore = false;
    bool m_typedConfirmation = true;
};

} // namespace wps::ui
