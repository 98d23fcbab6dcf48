// grant, revoke and check: a connection's permission (sendToGroup or joinLeaveGroup) on a target group.
#include "cli/command.h"
#include "protocol/names.h"
#include "service/serviceclient.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::cli {

namespace {

using service::ServiceClient;
using service::ServiceJob;

using Call = std::function<ServiceJob *(ServiceClient &, const QString &, const QString &, const QString &)>;

Command permissionCommand(const QString &name, const QString &synopsis, Call call,
                          Command::Present present = presentStatus)
{
    Command command = restCommand(
        name, synopsis, {u"permission"_s, u"connection"_s, u"target"_s},
        [call](Context &c) {
            return call(*c.client, c.args.value(u"permission"_s), c.args.value(u"connection"_s),
                        c.args.value(u"target"_s));
        },
        std::move(present));
    const Command::Validate checkNamesAndRequired = command.validate;
    command.validate = [checkNamesAndRequired](const Invocation &args) {
        if (const QString problem = checkNamesAndRequired(args); !problem.isEmpty())
            return problem;
        return names::checkPermission(args.value(u"permission"_s));
    };
    return command;
}

} // namespace

QList<Command> permissionCommands()
{
    const QString synopsis = u"--permission P --connection ID --target G"_s;
    return {
        permissionCommand(
            u"grant"_s, synopsis,
            [](ServiceClient &client, const QString &permission, const QString &id, const QString &target) {
                return client.grantPermission(permission, id, target);
            }),
        permissionCommand(
            u"revoke"_s, synopsis,
            [](ServiceClient &client, const QString &permission, const QString &id, const QString &target) {
                return client.revokePermission(permission, id, target);
            }),
        permissionCommand(
            u"check"_s, synopsis + u" (exit 0 = yes, 1 = no)"_s,
            [](ServiceClient &client, const QString &permission, const QString &id, const QString &target)
                -> ServiceJob * { return client.checkPermission(permission, id, target); },
            presentExists),
    };
}

} // namespace wps::cli
