// `webpubsub`: the command-line face of core/service (docs/cli.md). Only wiring: the process's stdin, stdout
// and stderr, its environment and signals go to a wps::cli::Cli (cli/), whose exit code ends the process.
#include "cli/cli.h"

#include <QCoreApplication>
#include <QFile>
#include <QLoggingCategory>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {

/// The CLI prints only its own messages: Qt's and the libraries' log output is dropped unless asked for with
/// QT_LOGGING_RULES (then it goes to stderr as usual).
void quietMessageHandler(QtMsgType, const QMessageLogContext &, const QString &) {}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        qInstallMessageHandler(quietMessageHandler);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"webpubsub"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(WPS_VERSION_STRING));
    // stdout/stderr are the CLI's output; the client's own log only when asked for (QT_LOGGING_RULES).
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(u"wps.*.debug=false\nwps.*.info=false"_s);

    // The standard streams by file descriptor, unbuffered: listen's lines go out as they are written, and
    // stdin is polled (payloads) or watched (listen) on its descriptor.
    QFile in, out, err;
    const bool haveStdin = in.open(fileno(stdin), QIODevice::ReadOnly | QIODevice::Unbuffered);
    out.open(fileno(stdout), QIODevice::WriteOnly | QIODevice::Unbuffered);
    err.open(fileno(stderr), QIODevice::WriteOnly | QIODevice::Unbuffered);

    wps::cli::Cli cli(haveStdin ? &in : nullptr, &out, &err);
    cli.setHandleStopSignals(true);
    QObject::connect(&cli, &wps::cli::Cli::finished, &app,
                     [](int exitCode) { QCoreApplication::exit(exitCode); });
    cli.start(QCoreApplication::arguments().mid(1));
    return QCoreApplication::exec();
}
