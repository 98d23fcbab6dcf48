// Groups and users: membership of connections and users in groups, add/remove by filter, group-exists and
// list-group-connections.
#include "cli/command.h"
#include "service/serviceclient.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace wps::cli {

namespace {

using service::ServiceJob;

QString group(const Context &context)
{
    return context.args.firstValue(u"group"_s);
}

QString user(const Context &context)
{
    return context.args.value(u"user"_s);
}

QString connection(const Context &context)
{
    return context.args.value(u"connection"_s);
}

int presentMembers(Context &context, ServiceJob *job)
{
    const auto *list = qobject_cast<service::ListConnectionsJob *>(job);
    QJsonArray members;
    QString text;
    const QList<service::GroupMember> found = list ? list->members() : QList<service::GroupMember>();
    for (const service::GroupMember &member : found) {
        members.append(QJsonObject{{u"connectionId"_s, member.connectionId},
                                   {u"userId"_s, member.hasUser ? QJsonValue(member.userId) : QJsonValue()}});
        text += member.connectionId + u'\t' + (member.hasUser ? member.userId : u"-"_s) + u'\n';
    }
    text.chop(1);
    return context.out.ok({{u"connections"_s, members}, {u"pages"_s, list ? list->pages() : 0}}, text);
}

Command listGroupConnections()
{
    Command command = restCommand(
        u"list-group-connections"_s, u"--group G [--maxpagesize N] [--top N]"_s, {u"group"_s},
        [](Context &c) -> ServiceJob * {
            service::ListOptions options;
            c.args.intValue(u"maxpagesize"_s, &options.maxPageSize); // checked by validate
            c.args.intValue(u"top"_s, &options.top);
            return c.client->listConnectionsInGroup(group(c), options);
        },
        presentMembers);
    const Command::Validate checkNamesAndRequired = command.validate;
    command.validate = [checkNamesAndRequired](const Invocation &args) {
        std::optional<int> number;
        if (!args.intValue(u"maxpagesize"_s, &number) || !args.intValue(u"top"_s, &number))
            return u"--maxpagesize and --top need numbers."_s;
        return checkNamesAndRequired(args);
    };
    return command;
}

} // namespace

QList<Command> groupCommands()
{
    const QStringList groupAndConnection{u"group"_s, u"connection"_s};
    const QStringList groupAndUser{u"group"_s, u"user"_s};
    return {
        restCommand(u"add-connection-to-group"_s, u"--group G --connection ID"_s, groupAndConnection,
                    [](Context &c) { return c.client->addConnectionToGroup(group(c), connection(c)); }),
        restCommand(u"remove-connection-from-group"_s, u"--group G --connection ID"_s, groupAndConnection,
                    [](Context &c) { return c.client->removeConnectionFromGroup(group(c), connection(c)); }),
        restCommand(u"remove-connection-from-all-groups"_s, u"--connection ID"_s, {u"connection"_s},
                    [](Context &c) { return c.client->removeConnectionFromAllGroups(connection(c)); }),
        restCommand(u"add-user-to-group"_s, u"--group G --user ID"_s, groupAndUser,
                    [](Context &c) { return c.client->addUserToGroup(group(c), user(c)); }),
        restCommand(u"remove-user-from-group"_s, u"--group G --user ID"_s, groupAndUser,
                    [](Context &c) { return c.client->removeUserFromGroup(group(c), user(c)); }),
        restCommand(u"remove-user-from-all-groups"_s, u"--user ID"_s, {u"user"_s},
                    [](Context &c) { return c.client->removeUserFromAllGroups(user(c)); }),
        restCommand(u"add-to-groups"_s, u"--group G [--group G]... [--filter F]"_s, {u"group"_s},
                    [](Context &c) {
                        return c.client->addConnectionsToGroups(c.args.values(u"group"_s),
                                                                c.args.value(u"filter"_s));
                    }),
        restCommand(u"remove-from-groups"_s, u"--group G [--group G]... [--filter F]"_s, {u"group"_s},
                    [](Context &c) {
                        return c.client->removeConnectionsFromGroups(c.args.values(u"group"_s),
                                                                     c.args.value(u"filter"_s));
                    }),
        restCommand(
            u"group-exists"_s, u"--group G                  (exit 0 = yes, 1 = no)"_s, {u"group"_s},
            [](Context &c) -> ServiceJob * { return c.client->groupExists(group(c)); }, presentExists),
        listGroupConnections(),
    };
}

} // namespace wps::cli
