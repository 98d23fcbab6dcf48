#include "tracecommand.h"

#include "protocol/connectionstring.h"
#include "service/serviceclient.h"
#include "trace/livetrace.h"
#include "trace/traceadapters.h"
#include "trace/traceexport.h"
#include "trace/tracejsonl.h"
#include "trace/tracestore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTextStream>
#include <QTimer>

#include <atomic>
#include <csignal>

using namespace Qt::Literals::StringLiterals;

namespace wps::cli {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitFailure = 3;

const QCommandLineOption &outOption()
{
    static const QCommandLineOption option(u"out"_s, u"trace: the file to write (.jsonl or .har)."_s,
                                           u"file"_s);
    return option;
}

const QCommandLineOption &durationOption()
{
    static const QCommandLineOption option(
        u"duration"_s, u"trace record: seconds to record (default: until Ctrl+C or SIGTERM)."_s,
        u"seconds"_s);
    return option;
}

void say(const QString &text)
{
    QTextStream(stderr) << u"webpubsub: trace "_s << text << u'\n';
}

int usage(const QString &text)
{
    QTextStream(stderr) << u"webpubsub: "_s << text << u"\nRun 'webpubsub help' for usage.\n"_s;
    return kExitUsage;
}

enum class Format { Jsonl, Har };

std::optional<Format> formatOf(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"jsonl"_s)
        return Format::Jsonl;
    if (suffix == u"har"_s)
        return Format::Har;
    return std::nullopt;
}

/// Writes \a store to \a path atomically; an error text or empty.
QString writeStore(const trace::TraceStore &store, const QString &path, Format format, qint64 *written)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return u"cannot write %1: %2"_s.arg(path, file.errorString());
    const auto result = format == Format::Har
                            ? trace::exportHar(store, {}, &file, QCoreApplication::applicationVersion())
                            : trace::exportJsonl(store, &file);
    if (!result)
        return result.error();
    if (!file.commit())
        return u"cannot write %1: %2"_s.arg(path, file.errorString());
    *written = *result;
    return {};
}

std::atomic<bool> g_stopRequested{false};

extern "C" void onStopSignal(int)
{
    g_stopRequested.store(true);
}

} // namespace

QList<QCommandLineOption> traceOptions()
{
    return {outOption(), durationOption()};
}

QString traceSynopsis()
{
    return u"record [--duration S] --out FILE | convert IN --out OUT   (.jsonl or .har)"_s;
}

bool isTraceConvert(const QStringList &positional)
{
    return positional.value(0) == u"trace"_s && positional.value(1) == u"convert"_s;
}

int runTraceConvert(const QCommandLineParser &parser, const QStringList &positional)
{
    if (positional.size() != 3)
        return usage(u"trace convert needs one input file: webpubsub trace convert IN.jsonl --out OUT.har"_s);
    const QString in = positional.at(2);
    const QString out = parser.value(outOption());
    if (out.isEmpty())
        return usage(u"--out is required for trace convert."_s);
    const auto format = formatOf(out);
    if (!format)
        return usage(u"--out must end in .jsonl or .har."_s);
    QFile input(in);
    if (!input.open(QIODevice::ReadOnly)) {
        say(u"convert: cannot read %1: %2"_s.arg(in, input.errorString()));
        return kExitFailure;
    }
    // Nothing is cut on the way: the store keeps every payload byte the file has.
    trace::TraceStoreOptions options;
    options.maxPayloadBytes = 64 * 1024 * 1024;
    trace::TraceStore store(options);
    const bool har = trace::looksLikeHar(input.peek(512));
    const auto imported = har ? trace::importHar(&input, &store) : trace::importJsonl(&input, &store);
    if (!imported) {
        say(u"convert: %1: %2"_s.arg(in, imported.error()));
        return kExitFailure;
    }
    qint64 written = 0;
    if (const QString error = writeStore(store, out, *format, &written); !error.isEmpty()) {
        say(u"convert: "_s + error);
        return kExitFailure;
    }
    say(u"convert: %1 rows read, %2 %3 written to %4"_s.arg(*imported).arg(written).arg(
        *format == Format::Har ? (written == 1 ? u"HAR entry"_s : u"HAR entries"_s) : u"rows"_s, out));
    return kExitOk;
}

int runTraceRecord(const QCommandLineParser &parser, const QStringList &positional,
                   service::ServiceClient &client, const std::optional<ConnectionString> &connection,
                   const service::Credential *credential)
{
    if (positional.size() != 2 || positional.at(1) != u"record"_s)
        return usage(u"use 'webpubsub trace record [--duration S] --out FILE' or "
                     u"'webpubsub trace convert IN.jsonl --out OUT.har'."_s);
    const QString out = parser.value(outOption());
    if (out.isEmpty())
        return usage(u"--out is required for trace record."_s);
    const auto format = formatOf(out);
    if (!format)
        return usage(u"--out must end in .jsonl or .har."_s);
    std::optional<qint64> durationMs;
    if (parser.isSet(durationOption())) {
        bool ok = false;
        const double seconds = parser.value(durationOption()).toDouble(&ok);
        if (!ok || seconds <= 0 || seconds > 7 * 24 * 3600)
            return usage(u"--duration needs a positive number of seconds."_s);
        durationMs = qint64(seconds * 1000);
    }
    {
        // Fail before recording, not after, when the file cannot be written.
        QSaveFile probe(out);
        if (!probe.open(QIODevice::WriteOnly)) {
            say(u"record: cannot write %1: %2"_s.arg(out, probe.errorString()));
            return kExitFailure;
        }
        probe.cancelWriting();
    }

    trace::TraceStore store;
    const QMetaObject::Connection traced = trace::attach(&client, &store);
    trace::TraceEvent started;
    started.timestampMs = QDateTime::currentMSecsSinceEpoch();
    started.type = u"trace record"_s;
    started.detail = u"webpubsub trace record of %1"_s.arg(client.endpoint().toString(QUrl::RemoveUserInfo));
    store.append(started);

    int exitCode = kExitOk;
    bool stopping = false;
    trace::LiveTraceClient live(&store);
    auto finish = [&](int code) {
        if (stopping)
            return;
        stopping = true;
        exitCode = code;
        QCoreApplication::exit(code);
    };
    QObject::connect(&live, &trace::LiveTraceClient::errorOccurred, &live,
                     [](const QString &message) { say(u"record: live trace: "_s + message); });
    QObject::connect(&live, &trace::LiveTraceClient::stateChanged, &live,
                     [&](trace::LiveTraceClient::State state) {
                         if (state == trace::LiveTraceClient::State::Connected) {
                             say(u"record: listening to the live trace of %1"_s.arg(
                                 client.endpoint().toString(QUrl::RemoveUserInfo)));
                         } else if (state == trace::LiveTraceClient::State::Disconnected && !stopping) {
                             // Stopped by itself: refused (401) or misconfigured; retrying cannot help.
                             finish(kExitFailure);
                         }
                     });

    // Its own call first: is the service there at all? A failure is in the trace (and the file).
    service::ServiceJob *health = client.health();
    QObject::connect(health, &service::ServiceJob::finished, health, [&, health] {
        if (health->hasError()) {
            say(u"record: the service is not healthy: "_s + health->error().message);
            finish(kExitFailure);
            return;
        }
        if (connection)
            live.start(*connection);
        else
            live.start(client.endpoint(), credential);
    });

    QTimer durationTimer;
    durationTimer.setSingleShot(true);
    QObject::connect(&durationTimer, &QTimer::timeout, &durationTimer, [&] { finish(kExitOk); });
    if (durationMs)
        durationTimer.start(std::chrono::milliseconds(*durationMs));
    g_stopRequested.store(false);
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
    QTimer signalPoll;
    QObject::connect(&signalPoll, &QTimer::timeout, &signalPoll, [&] {
        if (g_stopRequested.load())
            finish(kExitOk);
    });
    signalPoll.start(100);

    QCoreApplication::exec();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    live.stop();
    QObject::disconnect(traced);

    qint64 written = 0;
    if (const QString error = writeStore(store, out, *format, &written); !error.isEmpty()) {
        say(u"record: "_s + error);
        return kExitFailure;
    }
    say(u"record: %1 rows captured (%2 from the live trace), %3 %4 written to %5"_s.arg(store.count())
            .arg(live.receivedCount())
            .arg(written)
            .arg(*format == Format::Har ? (written == 1 ? u"HAR entry"_s : u"HAR entries"_s) : u"rows"_s,
                 out));
    return exitCode;
}

} // namespace wps::cli
