// The command table: every family's commands in the order of the usage text, and what the REST commands
// share (running a job, the usual outputs, the checks of names before anything is sent).
#include "cli/command.h"
#include "protocol/names.h"
#include "service/servicejob.h"

#include <QObject>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::cli {

namespace {

/// The usage text's order (the order docs/cli.md lists them in).
const QStringList &usageOrder()
{
    static const QStringList order{u"send-to-all"_s,
                                   u"send-to-user"_s,
                                   u"send-to-group"_s,
                                   u"send-to-connection"_s,
                                   u"add-connection-to-group"_s,
                                   u"remove-connection-from-group"_s,
                                   u"remove-connection-from-all-groups"_s,
                                   u"add-user-to-group"_s,
                                   u"remove-user-from-group"_s,
                                   u"remove-user-from-all-groups"_s,
                                   u"add-to-groups"_s,
                                   u"remove-from-groups"_s,
                                   u"connection-exists"_s,
                                   u"user-exists"_s,
                                   u"group-exists"_s,
                                   u"close-connection"_s,
                                   u"close-all"_s,
                                   u"close-group"_s,
                                   u"close-user"_s,
                                   u"grant"_s,
                                   u"revoke"_s,
                                   u"check"_s,
                                   u"token"_s,
                                   u"list-group-connections"_s,
                                   u"health"_s,
                                   u"listen"_s,
                                   u"trace"_s};
    return order;
}

QList<Command> buildTable()
{
    QList<Command> table;
    for (const auto &family : {sendCommands, groupCommands, connectionCommands, permissionCommands,
                               tokenCommands, listenCommands, traceCommands})
        table += family();
    // Commands not in the list go last, in the order their family gave them.
    std::stable_sort(table.begin(), table.end(), [](const Command &a, const Command &b) {
        const auto rank = [](const QString &name) {
            const qsizetype at = usageOrder().indexOf(name);
            return at < 0 ? usageOrder().size() : at;
        };
        return rank(a.name) < rank(b.name);
    });
    return table;
}

} // namespace

const QList<Command> &commandTable()
{
    static const QList<Command> table = buildTable();
    return table;
}

const Command *findCommand(const QString &name)
{
    for (const Command &command : commandTable())
        if (command.name == name)
            return &command;
    return nullptr;
}

void Context::runJob(service::ServiceJob *job, const std::function<int(service::ServiceJob *)> &present)
{
    if (!job) {
        finish(out.usage(u"nothing to do."_s));
        return;
    }
    QObject::connect(job, &service::ServiceJob::finished, owner, [this, job, present] {
        finish(job->hasError() ? out.error(job->error()) : present(job));
    });
}

int presentStatus(Context &context, service::ServiceJob *job)
{
    return context.out.ok({{u"status"_s, job->httpStatus()}}, u"OK (HTTP %1)"_s.arg(job->httpStatus()));
}

int presentExists(Context &context, service::ServiceJob *job)
{
    const auto *exists = qobject_cast<service::ExistsJob *>(job);
    const bool yes = exists && exists->exists();
    context.out.ok({{u"exists"_s, yes}, {u"status"_s, job->httpStatus()}}, yes ? u"true"_s : u"false"_s);
    return yes ? kExitOk : kExitFalse;
}

QString firstProblem(std::initializer_list<QString> problems)
{
    for (const QString &problem : problems)
        if (!problem.isEmpty())
            return problem;
    return {};
}

QString checkNames(const Invocation &args)
{
    for (const QString &option : {u"group"_s, u"send-group"_s, u"target"_s}) {
        const QStringList groups = args.values(option);
        for (const QString &group : groups)
            if (const QString problem = names::checkGroup(group); !problem.isEmpty())
                return u"--%1: %2"_s.arg(option, problem);
    }
    const QStringList excluded = args.values(u"excluded"_s);
    for (const QString &id : excluded)
        if (const QString problem = names::checkConnectionId(id); !problem.isEmpty())
            return u"--excluded: "_s + problem;
    return {};
}

QString checkRequired(const Invocation &args, const QStringList &options)
{
    for (const QString &option : options)
        if ((option == u"group"_s ? args.firstValue(option) : args.value(option)).isEmpty())
            return u"--%1 is required for %2."_s.arg(option, args.command());
    return {};
}

Command restCommand(QString name, QString synopsis, QStringList required, Command::MakeJob job,
                    Command::Present present)
{
    Command command;
    command.name = std::move(name);
    command.synopsis = std::move(synopsis);
    command.validate = [required](const Invocation &args) {
        return firstProblem({checkRequired(args, required), checkNames(args)});
    };
    command.job = std::move(job);
    command.present = std::move(present);
    return command;
}

} // namespace wps::cli
