#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QStringList>

#include <optional>

class QCommandLineParser;

namespace wps {
class ConnectionString;
namespace service {
class Credential;
class ServiceClient;
} // namespace service
} // namespace wps

namespace wps::cli {

/// The options only `webpubsub trace` uses (--out, --duration); main() adds them to its parser.
QList<QCommandLineOption> traceOptions();

/// The synopsis line of `trace` in the usage text.
QString traceSynopsis();

/// `webpubsub trace convert IN --out OUT`: a trace session (.jsonl) or HAR in, JSONL or HAR out (by OUT's
/// extension). Needs no connection. \a positional is the parser's positional arguments ("trace", "convert",
/// IN). Returns the exit code (0, 2 usage, 3 failure).
int runTraceConvert(const QCommandLineParser &parser, const QStringList &positional);

/// Whether \a positional asks for `trace convert` (which needs no connection options).
bool isTraceConvert(const QStringList &positional);

/// `webpubsub trace record [--duration S] --out FILE`: checks the service (`HEAD /api/health`, its own
/// call, traced), then records the service's live trace (core LiveTraceClient, the same code path as the
/// console) and its own calls until the duration ends or SIGINT/SIGTERM, and writes FILE as a trace session
/// (.jsonl) or HAR 1.2 (.har). \a connection is set for key authentication, else \a credential (the
/// client's, Entra ID) signs the live trace too. Returns the exit code (0, 2 usage, 3 service or file
/// failure; the file is written in every case once recording started, so a failure leaves its evidence).
int runTraceRecord(const QCommandLineParser &parser, const QStringList &positional,
                   service::ServiceClient &client, const std::optional<ConnectionString> &connection,
                   const service::Credential *credential);

} // namespace wps::cli
