// trace: `trace record [--duration S] --out FILE` records the service's live trace and the CLI's own calls;
// `trace convert IN --out OUT` turns a trace session (.jsonl) into a HAR or back, without a connection.
#include "cli/tracecommand.h"

#include "cli/command.h"
#include "service/serviceclient.h"
#include "trace/livetrace.h"
#include "trace/traceadapters.h"
#include "trace/traceexport.h"
#include "trace/tracejsonl.h"
#include "trace/tracestore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace wps::cli {

namespace {

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

QString entriesName(Format format, qint64 written)
{
    return format == Format::Har ? (written == 1 ? u"HAR entry"_s : u"HAR entries"_s) : u"rows"_s;
}

void say(const Context &context, const QString &text)
{
    context.out.writeErr(u"webpubsub: trace "_s + text + u'\n');
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

bool isConvert(const Invocation &args)
{
    return args.positional().value(1) == u"convert"_s;
}

std::optional<qint64> durationMs(const Invocation &args)
{
    if (!args.isSet(u"duration"_s))
        return std::nullopt;
    return qint64(args.value(u"duration"_s).toDouble() * 1000);
}

QString validateTrace(const Invocation &args)
{
    const QStringList &positional = args.positional();
    const QString out = args.value(u"out"_s);
    if (isConvert(args)) {
        if (positional.size() != 3)
            return u"trace convert needs one input file: webpubsub trace convert IN.jsonl --out OUT.har"_s;
        if (out.isEmpty())
            return u"--out is required for trace convert."_s;
    } else {
        if (positional.size() != 2 || positional.at(1) != u"record"_s)
            return u"use 'webpubsub trace record [--duration S] --out FILE' or "
                   u"'webpubsub trace convert IN.jsonl --out OUT.har'."_s;
        if (out.isEmpty())
            return u"--out is required for trace record."_s;
    }
    if (!formatOf(out))
        return u"--out must end in .jsonl or .har."_s;
    if (!isConvert(args) && args.isSet(u"duration"_s)) {
        bool ok = false;
        const double seconds = args.value(u"duration"_s).toDouble(&ok);
        if (!ok || seconds <= 0 || seconds > 7 * 24 * 3600)
            return u"--duration needs a positive number of seconds."_s;
    }
    return {};
}

int convert(const Context &context)
{
    const QString in = context.args.positional().at(2);
    const QString out = context.args.value(u"out"_s);
    const Format format = *formatOf(out);
    QFile input(in);
    if (!input.open(QIODevice::ReadOnly)) {
        say(context, u"convert: cannot read %1: %2"_s.arg(in, input.errorString()));
        return kExitService;
    }
    // Nothing is cut on the way: the store keeps every payload byte the file has.
    trace::TraceStoreOptions options;
    options.maxPayloadBytes = 64 * 1024 * 1024;
    trace::TraceStore store(options);
    const bool har = trace::looksLikeHar(input.peek(512));
    const auto imported = har ? trace::importHar(&input, &store) : trace::importJsonl(&input, &store);
    if (!imported) {
        say(context, u"convert: %1: %2"_s.arg(in, imported.error()));
        return kExitService;
    }
    qint64 written = 0;
    if (const QString error = writeStore(store, out, format, &written); !error.isEmpty()) {
        say(context, u"convert: "_s + error);
        return kExitService;
    }
    say(context, u"convert: %1 rows read, %2 %3 written to %4"_s.arg(*imported).arg(written).arg(
                     entriesName(format, written), out));
    return kExitOk;
}

/// One `trace record`: its own health call first, then the live trace until the duration ends or an
/// interrupt; the file is written in every case once recording started, so a failure leaves its evidence.
class Recorder : public QObject
{
public:
    Recorder(Context &context, QString out, Format format)
        : QObject(context.owner)
        , m_context(context)
        , m_out(std::move(out))
        , m_format(format)
        , m_live(&m_store)
    {
    }

    void start(std::optional<qint64> durationMs);
    void finish(int code);

private:
    void connectLiveTrace();
    void writeFile();

    Context &m_context;
    const QString m_out;
    const Format m_format;
    trace::TraceStore m_store;
    trace::LiveTraceClient m_live;
    QMetaObject::Connection m_traced;
    QTimer m_duration;
    bool m_stopping = false;
};

void Recorder::start(std::optional<qint64> durationMs)
{
    service::ServiceClient &client = *m_context.client;
    m_traced = trace::attach(&client, &m_store);
    trace::TraceEvent started;
    started.timestampMs = QDateTime::currentMSecsSinceEpoch();
    started.type = u"trace record"_s;
    started.detail = u"webpubsub trace record of %1"_s.arg(client.endpoint().toString(QUrl::RemoveUserInfo));
    m_store.append(started);
    connectLiveTrace();

    // Its own call first: is the service there at all? A failure is in the trace (and the file).
    service::ServiceJob *health = client.health();
    connect(health, &service::ServiceJob::finished, this, [this, health] {
        if (health->hasError()) {
            say(m_context, u"record: the service is not healthy: "_s + health->error().message);
            finish(kExitService);
        } else if (m_context.connection) {
            m_live.start(*m_context.connection);
        } else {
            m_live.start(m_context.client->endpoint(), m_context.credential);
        }
    });
    m_duration.setSingleShot(true);
    connect(&m_duration, &QTimer::timeout, this, [this] { finish(kExitOk); });
    if (durationMs)
        m_duration.start(std::chrono::milliseconds(*durationMs));
}

void Recorder::connectLiveTrace()
{
    connect(&m_live, &trace::LiveTraceClient::errorOccurred, this,
            [this](const QString &message) { say(m_context, u"record: live trace: "_s + message); });
    connect(&m_live, &trace::LiveTraceClient::stateChanged, this,
            [this](trace::LiveTraceClient::State state) {
                if (state == trace::LiveTraceClient::State::Connected) {
                    say(m_context, u"record: listening to the live trace of %1"_s.arg(
                                       m_context.client->endpoint().toString(QUrl::RemoveUserInfo)));
                } else if (state == trace::LiveTraceClient::State::Disconnected && !m_stopping) {
                    // Stopped by itself: refused (401) or misconfigured; retrying cannot help.
                    finish(kExitService);
                }
            });
}

void Recorder::finish(int code)
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_duration.stop();
    m_live.stop();
    QObject::disconnect(m_traced);
    writeFile();
    m_context.finish(code);
}

void Recorder::writeFile()
{
    qint64 written = 0;
    if (const QString error = writeStore(m_store, m_out, m_format, &written); !error.isEmpty()) {
        say(m_context, u"record: "_s + error);
        m_context.finish(kExitService);
        return;
    }
    say(m_context,
        u"record: %1 rows captured (%2 from the live trace), %3 %4 written to %5"_s.arg(m_store.count())
            .arg(m_live.receivedCount())
            .arg(written)
            .arg(entriesName(m_format, written), m_out));
}

void record(Context &context)
{
    const QString out = context.args.value(u"out"_s);
    {
        // Fail before recording, not after, when the file cannot be written.
        QSaveFile probe(out);
        if (!probe.open(QIODevice::WriteOnly)) {
            say(context, u"record: cannot write %1: %2"_s.arg(out, probe.errorString()));
            context.finish(kExitService);
            return;
        }
        probe.cancelWriting();
    }
    auto *recorder = new Recorder(context, out, *formatOf(out));
    context.onInterrupt = [recorder] { recorder->finish(kExitOk); };
    recorder->start(durationMs(context.args));
}

} // namespace

QList<QCommandLineOption> traceOptions()
{
    return {{u"out"_s, u"trace: the file to write (.jsonl or .har)."_s, u"file"_s},
            {u"duration"_s, u"trace record: seconds to record (default: until Ctrl+C or SIGTERM)."_s,
             u"seconds"_s}};
}

QList<Command> traceCommands()
{
    Command trace;
    trace.name = u"trace"_s;
    trace.synopsis = u"record [--duration S] --out FILE | convert IN --out OUT   (.jsonl or .har)"_s;
    trace.validate = validateTrace;
    trace.run = [](Context &context) {
        if (isConvert(context.args))
            context.finish(convert(context));
        else
            record(context);
    };
    trace.needsHub = false;
    trace.takesPositionals = true;
    trace.offline = isConvert;
    trace.interruptible = true;
    return {trace};
}

} // namespace wps::cli
