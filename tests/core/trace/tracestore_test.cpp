// wps::trace::TraceStore: ids, bounded payloads, the cap, redaction on ingest, ingest from many threads.
#include "trace/tracestore.h"

#include <QThread>

#include <gtest/gtest.h>

#include <memory>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace wps::trace;

namespace {

TraceEvent frame(int n, const QByteArray &payload = {})
{
    TraceEvent e;
    e.timestampMs = 1'700'000'000'000 + n;
    e.kind = Kind::Frame;
    e.direction = n % 2 ? Direction::In : Direction::Out;
    e.hub = u"hub1"_s;
    e.connectionId = u"conn-"_s + QString::number(n % 3);
    e.userId = u"user-"_s + QString::number(n % 5);
    e.type = u"message"_s;
    e.payload = payload.isNull() ? R"({"n":)" + QByteArray::number(n) + "}" : payload;
    e.size = e.payload.size();
    return e;
}

TEST(TraceStore, AppendsWithGrowingIdsAndResolvesRecords)
{
    TraceStore store;
    for (int n = 0; n < 10; ++n)
        EXPECT_EQ(store.append(frame(n)), quint64(n));
    EXPECT_EQ(store.count(), 10);
    EXPECT_EQ(store.firstId(), 0u);
    EXPECT_EQ(store.endId(), 10u);
    TraceRecordView r;
    ASSERT_TRUE(store.record(7, &r, true));
    EXPECT_EQ(r.id, 7u);
    EXPECT_EQ(r.timestampMs, 1'700'000'000'007);
    EXPECT_EQ(r.direction, Direction::In);
    EXPECT_EQ(r.connectionId, u"conn-1"_s);
    EXPECT_EQ(r.userId, u"user-2"_s);
    EXPECT_EQ(r.payload, QByteArray(R"({"n":7})"));
    EXPECT_FALSE(r.truncated);
    EXPECT_FALSE(store.record(10, &r));
}

TEST(TraceStore, BoundsPayloadsWithATruncationMarker)
{
    TraceStore store({1000, 16});
    const QByteArray big(100, 'x');
    store.append(frame(1, big));
    // A multi-byte character at the cut is not split.
    store.append(frame(2, QByteArray(15, 'a') + "\xc3\xa9" + "tail"));
    TraceRecordView r;
    ASSERT_TRUE(store.record(0, &r, true));
    EXPECT_EQ(r.payload, QByteArray(16, 'x'));
    EXPECT_TRUE(r.truncated);
    EXPECT_EQ(r.size, 100);
    ASSERT_TRUE(store.record(1, &r, true));
    EXPECT_EQ(r.payload, QByteArray(15, 'a'));
    EXPECT_TRUE(r.truncated);
}

TEST(TraceStore, DropsOldestAtTheCapAndFreesMemory)
{
    TraceStore store({5000, 4096});
    for (int n = 0; n < 20000; ++n)
        store.append(frame(n));
    EXPECT_EQ(store.count(), 5000);
    EXPECT_EQ(store.firstId(), 15000u);
    EXPECT_EQ(store.droppedCount(), 15000u);
    TraceRecordView r;
    EXPECT_FALSE(store.record(0, &r)) << "evicted chunks are freed when no reader pins them";
    ASSERT_TRUE(store.record(15000, &r, true));
    EXPECT_EQ(r.payload, QByteArray(R"({"n":15000})"));
    const qint64 memory = store.memoryUsage();
    for (int n = 20000; n < 60000; ++n)
        store.append(frame(n));
    EXPECT_LE(store.memoryUsage(), memory * 2) << "memory stays bounded by the cap";

    store.setOptions({100, 4096});
    EXPECT_EQ(store.count(), 100);
    EXPECT_EQ(store.firstId(), 59900u);
    store.clear();
    EXPECT_EQ(store.count(), 0);
    EXPECT_EQ(store.append(frame(1)), 60000u);
}

TEST(TraceStore, ReaderPinKeepsEvictedRecordsReadable)
{
    TraceStore store({10, 4096});
    store.setReaderPin(0);
    for (int n = 0; n < 9000; ++n)
        store.append(frame(n));
    EXPECT_EQ(store.count(), 10);
    TraceRecordView r;
    EXPECT_TRUE(store.record(0, &r)) << "a pinned reader may still paint the row until it removed it";
    store.setReaderPin(store.firstId());
    EXPECT_FALSE(store.record(0, &r));
}

TEST(TraceStore, RedactsSecretsOnIngest)
{
    TraceStore store;
    const QByteArray jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.sIgNaTuReSiGnAtUrE";
    TraceEvent e = frame(1, R"({"type":"system","event":"connected","reconnectionToken":"recon-secret"})");
    e.detail = u"GET wss://h/client/hubs/hub1?access_token="_s + QString::fromLatin1(jwt);
    e.userId = u"Bearer "_s + QString::fromLatin1(jwt);
    store.append(e);
    TraceEvent http = frame(2, "Authorization: Bearer " + jwt + "\r\n\r\n{}");
    store.append(http);
    QByteArray all;
    store.forEach(0, store.endId(), [&all](const TraceRecordView &r) {
        all += r.payload + r.detail.toUtf8() + r.userId.toUtf8();
    });
    EXPECT_FALSE(all.contains(jwt));
    EXPECT_FALSE(all.contains("sIgNaTuReSiGnAtUrE"));
    EXPECT_FALSE(all.contains("recon-secret"));
    EXPECT_TRUE(all.contains("access_token=***"));
}

TEST(TraceStore, IngestsFromManyThreads)
{
    TraceStore store({1'000'000, 4096});
    constexpr int threads = 4;
    constexpr int perThread = 20000;
    std::vector<std::unique_ptr<QThread>> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back(QThread::create([&store, t] {
            std::vector<TraceEvent> batch;
            for (int n = 0; n < perThread; ++n) {
                if (n % 2) {
                    store.append(frame(t * perThread + n));
                } else {
                    batch.push_back(frame(t * perThread + n));
                    if (batch.size() == 64) {
                        store.append(batch);
                        batch.clear();
                    }
                }
            }
            store.append(batch);
        }));
        workers.back()->start();
    }
    for (auto &worker : workers)
        EXPECT_TRUE(worker->wait(60000));
    EXPECT_EQ(store.count(), threads * perThread);
    std::vector<bool> seen(threads * perThread, false);
    store.forEach(0, store.endId(), [&seen](const TraceRecordView &r) {
        const int n = int(r.timestampMs - 1'700'000'000'000);
        ASSERT_GE(n, 0);
        ASSERT_LT(n, int(seen.size()));
        EXPECT_EQ(r.payload, R"({"n":)" + QByteArray::number(n) + "}");
        seen[std::size_t(n)] = true;
    });
    EXPECT_EQ(std::count(seen.begin(), seen.end(), true), threads * perThread);
}

} // namespace
