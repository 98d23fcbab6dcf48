#pragma once

#include "cli/invocation.h"
#include "cli/output.h"
#include "protocol/connectionstring.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

class QIODevice;
class QObject;

namespace wps::service {
class Credential;
class ServiceClient;
class ServiceJob;
} // namespace wps::service

namespace wps::cli {

/// Everything one run of a command works with: its arguments, its output, the service client made from the
/// connection options (none for commands that need no connection), stdin, and finish() to end the run.
struct Context
{
    Context(const Invocation &invocation, Output output)
        : args(invocation)
        , out(std::move(output))
    {
    }

    const Invocation &args;
    Output out;
    QIODevice *in = nullptr;
    QObject *owner = nullptr;                        ///< parent of what the run creates (the Cli)
    service::ServiceClient *client = nullptr;        ///< null for offline commands
    std::optional<ConnectionString> connection;      ///< set for key authentication
    const service::Credential *credential = nullptr; ///< Entra ID: the client's credential
    /// Ends the run with an exit code (the first call counts).
    std::function<void(int)> finish;
    /// Set by a command that SIGINT/SIGTERM (Cli::interrupt()) should stop; called on each interrupt.
    std::function<void()> onInterrupt;

    /// Runs \a job to its end: its error (exit 3, or 2 for input it refused), or \a present's exit code.
    void runJob(service::ServiceJob *job, const std::function<int(service::ServiceJob *)> &present);
};

/// One `webpubsub` command: its name and synopsis for the usage text, the validation of its arguments made
/// before anything is sent, and either a REST job with its output or a run of its own.
struct Command
{
    using Validate = std::function<QString(const Invocation &)>;
    using MakeJob = std::function<service::ServiceJob *(Context &)>;
    using Present = std::function<int(Context &, service::ServiceJob *)>;
    using Run = std::function<void(Context &)>;

    QString name;
    QString synopsis;
    /// A usage error for missing or invalid arguments (checked before any connection is made), or empty.
    Validate validate;
    /// REST commands: the call; its success is printed by present (default `OK (HTTP n)`).
    MakeJob job;
    Present present;
    /// Commands with a run of their own (listen, trace, token): ends with Context::finish().
    Run run;
    bool needsHub = true;
    bool takesPositionals = false; ///< `trace record|convert`
    /// True when this invocation needs no connection options at all (`trace convert`).
    std::function<bool(const Invocation &)> offline;
    /// Whether SIGINT/SIGTERM stop the run gracefully (listen, trace record) rather than end the process.
    bool interruptible = false;
};

/// The command table, in the order of the usage text.
const QList<Command> &commandTable();
const Command *findCommand(const QString &name);

/// `OK (HTTP n)` / `{"status":n}`: the output of most REST commands.
int presentStatus(Context &context, service::ServiceJob *job);
/// `true`/`false` (exit 0/1) for exists and check jobs.
int presentExists(Context &context, service::ServiceJob *job);

/// The first non-empty problem of \a problems (a usage error), or an empty string.
QString firstProblem(std::initializer_list<QString> problems);
/// The service's rules for the names given (every --group, --send-group and --target value as a group name,
/// every --excluded as a connection ID), checked before anything is sent: `--group: Invalid group name...`.
QString checkNames(const Invocation &args);
/// "--NAME is required for COMMAND." for the first of \a options not given (or given empty), else empty.
/// --group counts by its first value (the one single-group commands use), other options by their last.
QString checkRequired(const Invocation &args, const QStringList &options);

/// A REST command: requires \a required (in that order), checks the names (checkNames()), makes \a job and
/// prints its success with \a present.
Command restCommand(QString name, QString synopsis, QStringList required, Command::MakeJob job,
                    Command::Present present = presentStatus);

// The command families, one file each.
QList<Command> sendCommands();       // sendcommands.cpp
QList<Command> groupCommands();      // groupcommands.cpp: groups and users
QList<Command> connectionCommands(); // connectioncommands.cpp: exists, close, health
QList<Command> permissionCommands(); // permissioncommands.cpp
QList<Command> tokenCommands();      // tokencommand.cpp
QList<Command> listenCommands();     // listencommand.cpp
QList<Command> traceCommands();      // tracecommand.cpp

} // namespace wps::cli
