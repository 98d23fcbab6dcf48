// bench/liveclients (issue "The console window": 1,000 live clients in the panel, CPU <= 1 core at 1 msg/s
// each, UI responsive). Starts a separate webpubsub-emulator on 127.0.0.1 port 0 (so its CPU is not counted),
// opens the Live clients panel offscreen, spawns 1,000 json clients in it, then sends one REST broadcast per
// second for 20 s (each client receives 1 msg/s) and prints:
//   live clients 1000: connected in <N> ms
//   live clients 1000 cpu: <N> % of a core      (this process's CPU time over the 20 s / wall time)
//   live clients 1000 ui stall: <N> ms           (longest gap of a 10 ms timer over the 20 s)
//   live clients 1000 rss: <N> MB
// Usage: wps_bench_liveclients <path/to/webpubsub-emulator> [clients] [seconds]
#include "live/liveclient.h"
#include "panels/clients/liveclientsmodel.h"
#include "panels/clients/liveclientspanel.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTimer>

#include <cstdio>
#include <sys/resource.h>

using namespace Qt::Literals::StringLiterals;

namespace {

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long rssMb()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong() / 1024;
    }
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("QT_LOGGING_RULES", "*.debug=false;*.info=false");
    QApplication app(argc, argv);
    const QStringList args = QApplication::arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: wps_bench_liveclients <webpubsub-emulator> [clients] [seconds]\n");
        return 2;
    }
    const int clients = args.size() > 2 ? args.at(2).toInt() : 1000;
    const int seconds = args.size() > 3 ? args.at(3).toInt() : 20;

    QProcess emulator;
    emulator.start(args.at(1), {u"--port"_s, u"0"_s, u"--no-demo"_s});
    if (!emulator.waitForReadyRead(15000)) {
        std::fprintf(stderr, "the emulator did not start\n");
        return 1;
    }
    const auto connection = wps::ConnectionString::parse(QString::fromUtf8(emulator.readLine().trimmed()));
    if (!connection) {
        std::fprintf(stderr, "no connection string from the emulator\n");
        return 1;
    }

    wps::ui::ConsoleSession session;
    session.setConnection(*connection, u"bench"_s);
    wps::ui::LiveClientsPanel panel(&session);
    panel.resize(1200, 800);
    panel.show();

    QElapsedTimer clock;
    clock.start();
    panel.spawn(clients, u"bench-{n}"_s);
    auto connectedCount = [&] {
        int n = 0;
        for (int r = 0; r < panel.model()->rowCount(); ++r)
            n += panel.model()->client(r)->state() == wps::live::State::Connected ? 1 : 0;
        return n;
    };
    // Bounded: at most 120 s to connect.
    QTimer poll;
    qint64 connectedMs = -1;
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        if (connectedCount() >= clients) {
            connectedMs = clock.elapsed();
            app.quit();
        } else if (clock.elapsed() > 120000) {
            app.quit();
        }
    });
    poll.start(50);
    app.exec();
    poll.stop();
    if (connectedMs < 0) {
        std::fprintf(stderr, "only %d of %d clients connected\n", connectedCount(), clients);
        return 1;
    }
    std::printf("live clients %d: connected in %lld ms\n", clients, connectedMs);

    // 1 msg/s to every client for `seconds` seconds; measure CPU and the longest event-loop stall.
    QTimer broadcast;
    int sent = 0;
    QObject::connect(&broadcast, &QTimer::timeout, &app, [&] {
        if (session.client())
            session.client()->sendToAll(wps::service::Message::text(u"tick %1"_s.arg(++sent)));
        if (sent >= seconds)
            app.quit();
    });
    QElapsedTimer stallClock;
    qint64 longestStall = 0;
    QTimer stall;
    QObject::connect(&stall, &QTimer::timeout, &app, [&] {
        const qint64 gap = stallClock.restart() - 10;
        longestStall = std::max(longestStall, gap);
    });
    const double cpuBefore = cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    stallClock.start();
    stall.start(10);
    broadcast.start(1000);
    app.exec();
    const double cpu = cpuSeconds() - cpuBefore;
    const double elapsed = double(wall.elapsed()) / 1000.0;
    std::printf("live clients %d cpu: %.0f %% of a core\n", clients, 100.0 * cpu / elapsed);
    std::printf("live clients %d ui stall: %lld ms\n", clients, longestStall);
    std::printf("live clients %d rss: %ld MB\n", clients, rssMb());
    emulator.terminate();
    emulator.waitForFinished(5000);
    return 0;
}
