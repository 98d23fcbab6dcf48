// Trace engine benchmark (issue "Message tracing", part 4). Each figure is one line
// `<measure>: <value> <unit>`; docs/trace.md states the targets and how they are measured.
#include "trace/tracemodel.h"
#include "trace/tracestore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace wps::trace;

namespace {

/// A pool of realistic events: JSON frames of ~100 bytes over 500 connections, 50 users, 20 groups, and
/// every 8th a REST call with a URL, headers and a body.
std::vector<TraceEvent> makePool()
{
    std::vector<TraceEvent> pool;
    pool.reserve(4096);
    for (int n = 0; n < 4096; ++n) {
        TraceEvent e;
        e.hub = n % 10 == 0 ? u"chat"_s : u"hub1"_s;
        e.connectionId = u"conn-"_s + QString::number(n % 500) + u"-ab12cd34"_s;
        e.userId = u"user-"_s + QString::number(n % 50);
        const QString group = u"room-"_s + QString::number(n % 20);
        if (n % 8 == 0) {
            e.kind = Kind::Http;
            e.direction = n % 16 ? Direction::Out : Direction::In;
            e.type = u"sendToGroup"_s;
            e.status = n % 16 ? 0 : 202;
            e.durationMs = n % 16 ? -1 : 12;
            e.group = group;
            e.detail = u"POST http://127.0.0.1:8080/api/hubs/hub1/groups/"_s + group +
                       u"/:send?api-version=2024-12-01"_s;
            e.payload = "Content-Type: application/json\r\nAuthorization: Bearer ***\r\n\r\n{\"price\":" +
                        QByteArray::number(n) + ",\"symbol\":\"MSFT\"}";
        } else {
            e.kind = Kind::Frame;
            e.direction = n % 2 ? Direction::In : Direction::Out;
            e.type = n % 2 ? u"message"_s : u"sendToGroup"_s;
            e.group = group;
            e.payload = "{\"type\":\"message\",\"from\":\"group\",\"group\":\"" + group.toUtf8() +
                        "\",\"dataType\":\"json\",\"data\":{\"seq\":" + QByteArray::number(n) +
                        ",\"text\":\"quote update\"},\"sequenceId\":" + QByteArray::number(n) + "}";
        }
        e.size = e.payload.size();
        pool.push_back(e);
    }
    return pool;
}

qint64 rssBytes()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return -1;
}

double threadCpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

void print(const char *measure, double value, const char *unit)
{
    std::printf("%s: %.0f %s\n", measure, value, unit);
    std::fflush(stdout);
}

/// Appends \a count events from \a pool (timestamps increasing) one append() at a time.
void ingest(TraceStore &store, std::vector<TraceEvent> &pool, qint64 count, qint64 t0)
{
    for (qint64 i = 0; i < count; ++i) {
        TraceEvent &e = pool[std::size_t(i) & 4095];
        e.timestampMs = t0 + i;
        store.append(e);
    }
}

/// One row per event: 1,000,000 events where every REST call was also recorded by the service's live trace
/// (request, response, the service's record, one frame: 250,000 of each). Times the model's first pass over
/// them with the pairing at work (no filter) and without a service record to pair (source==console).
void mergeRun()
{
    constexpr qint64 million = 1'000'000;
    TraceStore store(TraceStoreOptions{million, 4096});
    for (qint64 i = 0; i < million / 4; ++i) {
        const QString id = u"req-"_s + QString::number(i);
        TraceEvent request;
        request.timestampMs = 4 * i;
        request.kind = Kind::Http;
        request.direction = Direction::Out;
        request.hub = u"hub1"_s;
        request.type = u"sendToAll"_s;
        request.correlation = id;
        request.detail = u"POST http://127.0.0.1:8080/api/hubs/hub1/:send?api-version=2024-12-01"_s;
        TraceEvent response = request;
        response.timestampMs = 4 * i + 1;
        response.direction = Direction::In;
        response.status = 202;
        response.detail = u"202 Accepted"_s;
        TraceEvent service = response;
        service.timestampMs = 4 * i + 2;
        service.source = Source::Service;
        service.type = u"POST"_s;
        service.detail = u"POST /api/hubs/hub1/:send — delivered to 3 connections"_s;
        TraceEvent frame;
        frame.timestampMs = 4 * i + 3;
        frame.kind = Kind::Frame;
        frame.direction = Direction::In;
        frame.hub = u"hub1"_s;
        frame.connectionId = u"conn-"_s + QString::number(i % 500);
        frame.type = u"message"_s;
        frame.payload = "{\"type\":\"message\",\"from\":\"server\",\"dataType\":\"text\",\"data\":\"hi\"}";
        frame.size = frame.payload.size();
        store.append(std::vector<TraceEvent>{request, response, service, frame});
    }
    QCoreApplication::processEvents();
    const struct
    {
        const char *measure;
        QString query;
    } cases[] = {{"merge_1m_events", QString()}, {"merge_1m_events_console_only", u"source==console"_s}};
    for (const auto &c : cases) {
        TraceModel model(&store);
        TraceFilterSpec spec;
        spec.query = c.query;
        bool applied = false;
        QObject::connect(&model, &TraceModel::filterApplied, &model, [&applied] { applied = true; });
        QElapsedTimer clock;
        clock.start();
        model.setFilter(spec);
        while (!applied && clock.elapsed() < 120000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        print(c.measure, double(clock.nsecsElapsed()) / 1e6, "ms");
        std::printf("%s_rows: %d rows\n", c.measure, model.rowCount());
    }
}

/// Runs a producer thread into a store watched by a TraceModel with a text filter; \a rate 0 = unpaced.
void modelRun(const std::vector<TraceEvent> &pool, qint64 rate, const char *prefix)
{
    constexpr qint64 million = 1'000'000;
    constexpr qint64 count = 3 * million;
    TraceStore live(TraceStoreOptions{million, 4096});
    TraceModel model(&live);
    TraceFilterSpec spec;
    spec.text = u"room-7\""_s;
    model.setFilter(spec);
    std::atomic<bool> producerDone{false};
    std::unique_ptr<QThread> producer(QThread::create([&live, &pool, &producerDone, rate] {
        std::vector<TraceEvent> local = pool;
        if (rate == 0) {
            ingest(live, local, count, 0);
        } else {
            const qint64 burst = rate / 1000;
            std::vector<TraceEvent> batch(std::size_t(burst), TraceEvent{});
            QElapsedTimer clock;
            clock.start();
            for (qint64 sent = 0; sent < count; sent += burst) {
                for (qint64 k = 0; k < burst; ++k) {
                    batch[std::size_t(k)] = local[std::size_t(sent + k) & 4095];
                    batch[std::size_t(k)].timestampMs = sent + k;
                }
                live.append(batch);
                // Wait for the schedule (sent / rate seconds) without spinning.
                const qint64 dueNs = (sent + burst) * 1'000'000'000 / rate;
                const qint64 aheadNs = dueNs - clock.nsecsElapsed();
                if (aheadNs > 0)
                    QThread::usleep(quint64(aheadNs / 1000));
            }
        }
        producerDone = true;
    }));

    qint64 longestStallNs = 0;
    QElapsedTimer tick;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    QObject::connect(&probe, &QTimer::timeout, &probe, [&tick, &longestStallNs] {
        longestStallNs = std::max(longestStallNs, tick.nsecsElapsed());
        tick.restart();
    });
    QEventLoop loop;
    QTimer done;
    done.setInterval(5);
    QElapsedTimer clock;
    QObject::connect(&done, &QTimer::timeout, &loop, [&] {
        if ((producerDone && model.scannedUpTo() >= live.endId()) || clock.elapsed() > 120000)
            loop.quit();
    });
    clock.start();
    tick.start();
    probe.start();
    done.start();
    producer->start();
    loop.exec();
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    producer->wait();
    const QByteArray name = prefix;
    print(QByteArray(name + "_ingest_rate").constData(), double(count) / seconds, "events/s");
    print(QByteArray(name + "_longest_stall").constData(), double(longestStallNs) / 1e6, "ms");
    print(QByteArray(name + "_rows").constData(), model.rowCount(), "rows");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // `wps_bench_trace merge`: only the one-row-per-event figures.
    if (argc > 1 && qstrcmp(argv[1], "merge") == 0) {
        mergeRun();
        return 0;
    }
    std::vector<TraceEvent> pool = makePool();
    constexpr qint64 million = 1'000'000;

    // 1. Memory: 1,000,000 events in one store (cap 1,000,000).
    const qint64 rssBefore = rssBytes();
    auto store = std::make_unique<TraceStore>(TraceStoreOptions{million, 4096});
    ingest(*store, pool, million, 0);
    QCoreApplication::processEvents(); // benchmark driver only: deliver the store's queued notification
    print("rss_1m_events", double(rssBytes()) / (1024.0 * 1024.0), "MB");
    print("rss_1m_events_growth", double(rssBytes() - rssBefore) / (1024.0 * 1024.0), "MB");
    print("store_bytes_1m_events", double(store->memoryUsage()) / (1024.0 * 1024.0), "MB");

    // 2. A free-text filter over those 1,000,000 events: setFilter() until filterApplied().
    {
        TraceModel model(store.get());
        QElapsedTimer clock;
        clock.start();
        while (model.scannedUpTo() < store->endId() && clock.elapsed() < 60000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        // A needle in one group name (string verdict cache), one found nowhere (every payload and detail
        // is searched), and one found in most payloads (most rows inserted).
        // Then display filters (tracequery.h): exact fields (interned ids), a number, a text search, and a
        // combination, against the same rows.
        const struct
        {
            const char *measure;
            QString text;
            bool query = false;
        } cases[] = {{"filter_text_1m_events", u"room-7\""_s},
                     {"filter_text_1m_events_nomatch", u"zebra"_s},
                     {"filter_text_1m_events_mostmatch", u"QUOTE update"_s},
                     {"filter_query_1m_events_user", u"user==user-7"_s, true},
                     {"filter_query_1m_events_combined",
                      u"(user==user-7 or group==room-3) and not hub==chat and kind!=lifecycle"_s, true},
                     {"filter_query_1m_events_status", u"status>=200 and dir==in"_s, true},
                     {"filter_query_1m_events_text", u"text contains \"QUOTE update\""_s, true}};
        for (const auto &c : cases) {
            TraceFilterSpec spec;
            if (c.query)
                spec.query = c.text;
            else
                spec.text = c.text;
            bool applied = false;
            const auto connection =
                QObject::connect(&model, &TraceModel::filterApplied, &model, [&applied] { applied = true; });
            clock.restart();
            model.setFilter(spec);
            while (!applied && clock.elapsed() < 60000)
                QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
            print(c.measure, double(clock.nsecsElapsed()) / 1e6, "ms");
            std::printf("%s_rows: %d rows\n", c.measure, model.rowCount());
            QObject::disconnect(connection);
        }
    }
    store.reset();

    // 3. Ingest into the store alone (steady state at the cap: every append also evicts).
    {
        TraceStore alone(TraceStoreOptions{million, 4096});
        ingest(alone, pool, million, 0); // fill to the cap first
        constexpr qint64 count = 3 * million;
        QElapsedTimer clock;
        clock.start();
        const double cpuBefore = threadCpuSeconds();
        ingest(alone, pool, count, million);
        print("store_ingest_rate", double(count) / (double(clock.nsecsElapsed()) / 1e9), "events/s");
        // The same per second of this thread's CPU time: what the code costs, whatever else the machine runs.
        print("store_ingest_rate_cpu", double(count) / (threadCpuSeconds() - cpuBefore), "events/s");
        QCoreApplication::processEvents();
    }

    // 4. Ingest from a producer thread with the model and a text filter active on this thread's event loop:
    //    paced at 1,000,000 events/s (bursts every millisecond), then as fast as one thread can append.
    modelRun(pool, 1'000'000, "model_filter_paced");
    modelRun(pool, 0, "model_filter_fullspeed");
    mergeRun();
    return 0;
}
