#pragma once

#include <QObject>
#include <QProcessEnvironment>
#include <QStringList>

#include <memory>

class QIODevice;

namespace wps::cli {

struct Command;
struct Context;
class Invocation;

/// The `webpubsub` command line as an object (docs/cli.md): start() takes the arguments of one run (without
/// the program name), the run reads \a in (stdin: payloads, listen's lines) and writes \a out and \a err,
/// and finished() gives the exit code — always from the event loop, never from inside start(). The process
/// wires it to stdin/stdout/stderr (app/webpubsub/main.cpp); tests run it in-process on buffers or pipes.
///
/// A run: parse → the command from the table (commandTable()) → connection options (connection string or
/// Entra ID endpoint, hub) → the command's validation → the service client (with Entra ID, once the first
/// token is there) → the command's job or run. Every usage error is reported before anything is sent.
class Cli : public QObject
{
    Q_OBJECT
public:
    Cli(QIODevice *in, QIODevice *out, QIODevice *err, QObject *parent = nullptr);
    ~Cli() override;

    /// Where WEBPUBSUB_CONNECTION_STRING and AZURE_WEBPUBSUB_HUB come from (default: the process's).
    void setEnvironment(const QProcessEnvironment &environment) { m_environment = environment; }
    /// Whether SIGINT/SIGTERM stop interruptible commands (listen, trace record) gracefully while they run,
    /// as interrupt() does; other commands keep the default action. Off by default (tests call interrupt()).
    void setHandleStopSignals(bool on) { m_handleStopSignals = on; }

    /// Runs one command line; one run at a time.
    void start(const QStringList &args);
    /// Stops a running listen or trace record as SIGINT does (listen closes, trace record writes its file).
    void interrupt();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void finished(int exitCode);

private:
    int begin(const QStringList &args);
    int setUpConnection(const Command &command);
    int makeClient(const Command &command);
    void dispatch(const Command &command);
    void finish(int exitCode);

    QIODevice *m_in;
    QIODevice *m_out;
    QIODevice *m_err;
    QProcessEnvironment m_environment;
    bool m_handleStopSignals = false;
    bool m_running = false;
    struct Run;
    std::unique_ptr<Run> m_run;
};

} // namespace wps::cli
