// Connections and users: exists, close (one connection, all, a group's, a user's), and the service's health.
#include "cli/command.h"
#include "service/serviceclient.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::cli {

namespace {

using service::ServiceJob;

service::CloseOptions closeOptions(const Context &context)
{
    return {context.args.value(u"reason"_s), context.args.values(u"excluded"_s)};
}

Command health()
{
    Command command = restCommand(
        u"health"_s, QString(), {}, [](Context &c) { return c.client->health(); },
        [](Context &c, ServiceJob *job) {
            return c.out.ok({{u"status"_s, job->httpStatus()}}, u"healthy"_s);
        });
    command.needsHub = false;
    return command;
}

} // namespace

QList<Command> connectionCommands()
{
    return {
        restCommand(
            u"connection-exists"_s, u"--connection ID            (exit 0 = yes, 1 = no)"_s, {u"connection"_s},
            [](Context &c) -> ServiceJob * {
                return c.client->connectionExists(c.args.value(u"connection"_s));
            },
            presentExists),
        restCommand(
            u"user-exists"_s, u"--user ID                  (exit 0 = yes, 1 = no)"_s, {u"user"_s},
            [](Context &c) -> ServiceJob * { return c.client->userExists(c.args.value(u"user"_s)); },
            presentExists),
        restCommand(u"close-connection"_s, u"--connection ID [--reason R]"_s, {u"connection"_s},
                    [](Context &c) {
                        return c.client->closeConnection(c.args.value(u"connection"_s),
                                                         c.args.value(u"reason"_s));
                    }),
        restCommand(u"close-all"_s, u"[--reason R] [--excluded ID]..."_s, {},
                    [](Context &c) { return c.client->closeAllConnections(closeOptions(c)); }),
        restCommand(u"close-group"_s, u"--group G [--reason R] [--excluded ID]..."_s, {u"group"_s},
                    [](Context &c) {
                        return c.client->closeGroupConnections(c.args.firstValue(u"group"_s),
                                                               closeOptions(c));
                    }),
        restCommand(u"close-user"_s, u"--user ID [--reason R] [--excluded ID]..."_s, {u"user"_s},
                    [](Context &c) {
                        return c.client->closeUserConnections(c.args.value(u"user"_s), closeOptions(c));
                    }),
        health(),
    };
}

} // namespace wps::cli
