// wps::trace::TraceModel under QAbstractItemModelTester: coalesced inserts, eviction at the cap without
// ghost rows, every filter criterion against a brute-force count, idle-slice rebuilds, lazy cached text.
#include "support/wait.h"
#include "trace/tracemodel.h"
#include "trace/tracestore.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace wps::trace;

namespace {

using wps::test::kWaitMs;
constexpr qint64 kT0 = 1'700'000'000'000;

TraceEvent event(int n)
{
    TraceEvent e;
    e.timestampMs = kT0 + n * 10;
    e.kind = n % 4 == 0 ? Kind::Http : (n % 4 == 3 ? Kind::Lifecycle : Kind::Frame);
    e.direction = e.kind == Kind::Lifecycle ? Direction::None : (n % 2 ? Direction::In : Direction::Out);
    e.hub = n % 7 == 0 ? u"chat"_s : u"hub1"_s;
    e.connectionId = u"conn-"_s + QString::number(n % 11);
    e.userId = u"user-"_s + QString::number(n % 13);
    e.group = n % 3 == 0 ? u"room"_s + QString::number(n % 6) : QString();
    e.type = e.kind == Kind::Http ? u"sendToAll"_s : u"message"_s;
    e.status = e.kind == Kind::Http ? (n % 8 == 0 ? 202 : 429) : 0;
    e.durationMs = e.kind == Kind::Http ? n % 50 : -1;
    e.detail = e.kind == Kind::Http ? u"POST http://127.0.0.1/api/hubs/hub1/:send"_s : QString();
    e.payload = n % 17 == 0 ? QByteArray(QByteArray("{\"text\":\"Needle-") + QByteArray::number(n) + "\"}")
                            : QByteArray(QByteArray("{\"seq\":") + QByteArray::number(n) + "}");
    e.size = e.payload.size();
    return e;
}

/// The model caught up with the store: nothing pending.
bool caughtUp(const TraceModel &model)
{
    return !model.isRebuilding();
}

class TraceModelTest : public ::testing::Test
{
protected:
    void make(TraceStoreOptions options = {})
    {
        m_store = std::make_unique<TraceStore>(options);
        m_model = std::make_unique<TraceModel>(m_store.get());
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    }
    void fill(int from, int to)
    {
        std::vector<TraceEvent> events;
        for (int n = from; n < to; ++n)
            events.push_back(event(n));
        m_store->append(events);
    }
    bool waitRows(int rows)
    {
        return QTest::qWaitFor([this, rows] { return m_model->rowCount() == rows; }, kWaitMs);
    }
    /// Applies \a spec and waits for the rebuild to finish.
    int apply(const TraceFilterSpec &spec)
    {
        QSignalSpy applied(m_model.get(), &TraceModel::filterApplied);
        EXPECT_TRUE(m_model->setFilter(spec));
        EXPECT_TRUE(applied.count() > 0 || applied.wait(kWaitMs));
        return m_model->rowCount();
    }
    static int expected(int count, const std::function<bool(const TraceEvent &)> &pred)
    {
        int n = 0;
        for (int i = 0; i < count; ++i)
            n += pred(event(i)) ? 1 : 0;
        return n;
    }

    std::unique_ptr<TraceStore> m_store;
    std::unique_ptr<TraceModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

TEST_F(TraceModelTest, CoalescesInsertsPerEventLoopTurn)
{
    make();
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    for (int n = 0; n < 1000; ++n)
        m_store->append(event(n));
    EXPECT_EQ(m_model->rowCount(), 0) << "nothing is inserted synchronously";
    ASSERT_TRUE(waitRows(1000));
    EXPECT_EQ(inserted.count(), 1) << "1000 appends in one turn are one insert";
    EXPECT_EQ(m_model->columnCount(), int(TraceModel::ColumnCount));
    EXPECT_EQ(m_model->recordId(999), 999u);
}

TEST_F(TraceModelTest, EvictsAtTheCapBeforeInsertingWithoutGhostRows)
{
    make({100, 4096});
    fill(0, 80);
    ASSERT_TRUE(waitRows(80));
    std::vector<QString> order;
    QObject::connect(m_model.get(), &QAbstractItemModel::rowsRemoved, m_model.get(),
                     [&order] { order.push_back(u"removed"_s); });
    QObject::connect(m_model.get(), &QAbstractItemModel::rowsInserted, m_model.get(),
                     [this, &order](const QModelIndex &, int, int) {
                         order.push_back(u"inserted"_s);
                         EXPECT_LE(m_model->rowCount(), 100);
                     });
    fill(80, 250); // the store drops 150 at once; the model still shows 80 rows until its flush
    EXPECT_EQ(m_store->count(), 100);
    ASSERT_EQ(m_model->rowCount(), 80);
    for (int row = 0; row < 80; ++row) {
        EXPECT_EQ(m_model->data(m_model->index(row, TraceModel::TypeColumn)).toString().isEmpty(), false)
            << "row " << row << " must still be readable (no ghost row)";
    }
    ASSERT_TRUE(QTest::qWaitFor([this] { return m_model->recordId(0) == 150; }, kWaitMs));
    EXPECT_EQ(m_model->rowCount(), 100);
    EXPECT_EQ(m_model->recordId(99), 249u);
    ASSERT_GE(order.size(), 2u);
    EXPECT_EQ(order.front(), u"removed"_s);
    EXPECT_EQ(order.back(), u"inserted"_s);
    EXPECT_EQ(m_model->data(m_model->index(0, TraceModel::TimeColumn), TraceModel::RawValueRole).toLongLong(),
              kT0 + 1500);
}

TEST_F(TraceModelTest, ClearRemovesEveryRowAndNewRowsFollow)
{
    make();
    fill(0, 5000);
    ASSERT_TRUE(waitRows(5000));
    EXPECT_FALSE(m_model->data(m_model->index(10, TraceModel::SummaryColumn)).toString().isEmpty());
    m_store->clear();
    ASSERT_TRUE(waitRows(0));
    fill(5000, 5010);
    ASSERT_TRUE(waitRows(10));
    EXPECT_EQ(m_model->recordId(0), 5000u);
    EXPECT_EQ(m_model->data(m_model->index(0, TraceModel::TimeColumn), TraceModel::RawValueRole).toLongLong(),
              kT0 + 50000);
}

TEST_F(TraceModelTest, FiltersOnEveryCriterion)
{
    make();
    constexpr int count = 3000;
    fill(0, count);
    ASSERT_TRUE(waitRows(count));

    TraceFilterSpec kind;
    kind.kinds = 1u << int(Kind::Http);
    EXPECT_EQ(apply(kind), expected(count, [](const TraceEvent &e) { return e.kind == Kind::Http; }));

    TraceFilterSpec dir;
    dir.directions = 1u << int(Direction::In);
    EXPECT_EQ(apply(dir), expected(count, [](const TraceEvent &e) { return e.direction == Direction::In; }));

    TraceFilterSpec fields;
    fields.hub = u"hub1"_s;
    fields.connectionId = u"conn-3"_s;
    fields.group = u"room3"_s;
    EXPECT_EQ(apply(fields), expected(count, [](const TraceEvent &e) {
                  return e.hub == u"hub1"_s && e.connectionId == u"conn-3"_s && e.group == u"room3"_s;
              }));
    TraceFilterSpec user;
    user.userId = u"user-4"_s;
    EXPECT_EQ(apply(user), expected(count, [](const TraceEvent &e) { return e.userId == u"user-4"_s; }));
    TraceFilterSpec unknown;
    unknown.userId = u"nobody"_s;
    EXPECT_EQ(apply(unknown), 0);

    TraceFilterSpec status;
    status.statusMin = 400;
    status.statusMax = 499;
    EXPECT_EQ(apply(status), expected(count, [](const TraceEvent &e) { return e.status == 429; }));

    TraceFilterSpec text;
    text.text = u"needle-1"_s; // case-insensitive, in the payload
    EXPECT_EQ(apply(text),
              expected(count, [](const TraceEvent &e) { return e.payload.toLower().contains("needle-1"); }));
    TraceFilterSpec textInColumn;
    textInColumn.text = u"SENDTOALL"_s;
    EXPECT_EQ(apply(textInColumn), expected(count, [](const TraceEvent &e) { return e.kind == Kind::Http; }));

    TraceFilterSpec regex;
    regex.regex = uR"(Needle-\d*5")"_s;
    EXPECT_EQ(apply(regex), expected(count, [](const TraceEvent &e) {
                  return e.payload.contains("Needle-") && e.payload.endsWith("5\"}");
              }));

    TraceFilterSpec textAndRegex; // the text in the type column, the regex in the payload
    textAndRegex.text = u"sendtoall"_s;
    textAndRegex.regex = uR"("seq":\d+6\})"_s;
    EXPECT_EQ(apply(textAndRegex), expected(count, [](const TraceEvent &e) {
                  return e.kind == Kind::Http && e.payload.startsWith("{\"seq\":") &&
                         e.payload.endsWith("6}") && e.payload != "{\"seq\":6}";
              }));

    TraceFilterSpec time;
    time.fromMs = kT0 + 1000;
    time.toMs = kT0 + 1990;
    EXPECT_EQ(apply(time), 100);
    EXPECT_EQ(m_model->recordId(0), 100u);

    TraceFilterSpec combined = kind;
    combined.text = u"/api/hubs"_s;
    combined.statusMin = 202;
    combined.statusMax = 202;
    EXPECT_EQ(apply(combined), expected(count, [](const TraceEvent &e) { return e.status == 202; }));

    // New records are filtered incrementally as they arrive.
    fill(count, count + 80);
    const int more = expected(count + 80, [](const TraceEvent &e) { return e.status == 202; });
    EXPECT_TRUE(waitRows(more));

    EXPECT_EQ(apply({}), count + 80);
}

TEST_F(TraceModelTest, RebuildsInIdleSlicesNotInsideSetFilter)
{
    make();
    constexpr int count = 20000; // several slices of 1 ms, yet quick under a loaded sanitizer build
    fill(0, count);
    ASSERT_TRUE(waitRows(count));
    m_model->setSliceBudget(1ms);
    TraceFilterSpec text;
    text.text = u"needle"_s;
    QSignalSpy applied(m_model.get(), &TraceModel::filterApplied);
    ASSERT_TRUE(m_model->setFilter(text));
    EXPECT_TRUE(m_model->isRebuilding());
    EXPECT_EQ(m_model->rowCount(), 0) << "the rebuild runs on the event loop, not inside setFilter";
    ASSERT_TRUE(applied.wait(kWaitMs));
    EXPECT_TRUE(caughtUp(*m_model));
    EXPECT_EQ(m_model->rowCount(),
              expected(count, [](const TraceEvent &e) { return e.payload.contains("Needle"); }));
}

TEST_F(TraceModelTest, InvalidRegexIsReportedAsData)
{
    make();
    fill(0, 10);
    ASSERT_TRUE(waitRows(10));
    QSignalSpy errors(m_model.get(), &TraceModel::filterError);
    TraceFilterSpec bad;
    bad.regex = u"(unclosed"_s;
    EXPECT_FALSE(m_model->setFilter(bad));
    ASSERT_EQ(errors.count(), 1);
    EXPECT_TRUE(errors.at(0).at(0).toString().contains(u"regular expression"_s));
    EXPECT_EQ(m_model->rowCount(), 10);
    EXPECT_TRUE(m_model->filter().isEmpty());
}

TEST_F(TraceModelTest, RendersTextLazilyWithRawValueRoles)
{
    make({1000, 8});
    TraceEvent e = event(8); // Http, status 202
    e.payload = "0123456789abcdef";
    e.size = 16;
    m_store->append(e);
    ASSERT_TRUE(waitRows(1));
    const QModelIndex summary = m_model->index(0, TraceModel::SummaryColumn);
    const QString text = m_model->data(summary).toString();
    // A human summary of the response, never the raw payload.
    EXPECT_EQ(text, u"answered 202 in 8 ms"_s);
    EXPECT_FALSE(text.contains(u"01234567"_s));
    EXPECT_EQ(m_model->data(summary).toString(), text) << "cached text is the same";
    EXPECT_TRUE(m_model->data(summary, TraceModel::TruncatedRole).toBool());
    EXPECT_EQ(m_model->data(summary, TraceModel::PayloadRole).toByteArray(), QByteArray("01234567"));
    const QModelIndex status = m_model->index(0, TraceModel::StatusColumn);
    EXPECT_EQ(m_model->data(status).toString(), u"202"_s);
    EXPECT_EQ(m_model->data(status, TraceModel::RawValueRole).toInt(), 202);
    EXPECT_EQ(m_model->data(m_model->index(0, TraceModel::KindColumn)).toString(), u"http"_s);
    EXPECT_EQ(
        m_model->data(m_model->index(0, TraceModel::DurationColumn), TraceModel::RawValueRole).toLongLong(),
        8);
    EXPECT_EQ(m_model->headerData(TraceModel::SummaryColumn, Qt::Horizontal).toString(), u"Summary"_s);
}

} // namespace

namespace {

/// The model's rows are in (time, id) order and every one of them is still readable.
void expectTimeOrdered(const TraceModel &model, const TraceStore &store)
{
    qint64 previous = std::numeric_limits<qint64>::min();
    for (int row = 0; row < model.rowCount(); ++row) {
        TraceRecordView r;
        ASSERT_TRUE(store.record(model.recordId(row), &r)) << "row " << row << " is a ghost";
        EXPECT_LE(previous, r.timestampMs) << "row " << row;
        previous = r.timestampMs;
    }
}

TraceEvent at(qint64 ms, Source source = Source::Console)
{
    TraceEvent e = event(1);
    e.timestampMs = kT0 + ms;
    e.source = source;
    return e;
}

} // namespace

TEST_F(TraceModelTest, LateServiceRecordsAreMergedByTime)
{
    make();
    m_store->append(std::vector<TraceEvent>{at(100), at(200), at(300)});
    ASSERT_TRUE(waitRows(3));
    // The live trace reports the same moments later: they go between the console's rows.
    m_store->append(std::vector<TraceEvent>{at(150, Source::Service), at(250, Source::Service), at(400)});
    ASSERT_TRUE(waitRows(6));
    expectTimeOrdered(*m_model, *m_store);
    EXPECT_EQ(m_model->index(1, TraceModel::SourceColumn).data().toString(), u"service"_s);
    EXPECT_EQ(m_model->index(3, TraceModel::SourceColumn).data().toString(), u"service"_s);
    EXPECT_EQ(m_model->index(5, TraceModel::SourceColumn).data().toString(), u"console"_s);
    // Equal times keep the store's order; a row older than everything goes first.
    m_store->append(std::vector<TraceEvent>{at(200, Source::Service), at(50, Source::Service)});
    ASSERT_TRUE(waitRows(8));
    expectTimeOrdered(*m_model, *m_store);
    EXPECT_EQ(m_model->index(0, TraceModel::TimeColumn).data(TraceModel::RawValueRole).toLongLong(),
              kT0 + 50);
    EXPECT_EQ(m_model->index(3, TraceModel::SourceColumn).data().toString(), u"console"_s); // 200, first
    EXPECT_EQ(m_model->index(4, TraceModel::SourceColumn).data().toString(), u"service"_s); // 200, later
}

TEST_F(TraceModelTest, ManyLateRowsAreMergedInOneResetAndFilterRebuildsInOrder)
{
    make();
    std::vector<TraceEvent> even;
    for (int i = 0; i < 300; ++i)
        even.push_back(at(i * 2));
    m_store->append(even);
    ASSERT_TRUE(waitRows(300));
    std::vector<TraceEvent> odd;
    for (int i = 0; i < 300; ++i)
        odd.push_back(at(i * 2 + 1, Source::Service));
    m_store->append(odd); // 300 places: one merge
    ASSERT_TRUE(waitRows(600));
    expectTimeOrdered(*m_model, *m_store);
    TraceFilterSpec spec;
    spec.query = u"source==service or source==console"_s;
    EXPECT_EQ(apply(spec), 600);
    expectTimeOrdered(*m_model, *m_store);
}

TEST_F(TraceModelTest, EvictionOfOutOfOrderRowsLeavesNoGhost)
{
    make({50, 64});
    // Rows arrive with timestamps out of order; the cap keeps evicting the oldest ids, wherever their rows
    // sit in time order.
    for (int round = 0; round < 20; ++round) {
        std::vector<TraceEvent> batch;
        for (int i = 0; i < 10; ++i) {
            const qint64 base = round * 100;
            batch.push_back(
                at(i % 2 ? base + i * 10 : base - 150 + i, i % 2 ? Source::Console : Source::Service));
        }
        m_store->append(batch);
        m_model->flushNow();
        expectTimeOrdered(*m_model, *m_store);
    }
    ASSERT_TRUE(waitRows(50));
    expectTimeOrdered(*m_model, *m_store);
    for (int row = 0; row < m_model->rowCount(); ++row)
        EXPECT_GE(m_model->recordId(row), m_store->firstId());
}

TEST_F(TraceModelTest, ErrorRoleMarksRefusals)
{
    make();
    TraceEvent ok = event(8); // Http 202
    TraceEvent refused = event(8);
    refused.status = 429;
    m_store->append(std::vector<TraceEvent>{ok, refused});
    ASSERT_TRUE(waitRows(2));
    EXPECT_FALSE(m_model->index(0, TraceModel::SummaryColumn).data(TraceModel::ErrorRole).toBool());
    EXPECT_TRUE(m_model->index(1, TraceModel::SummaryColumn).data(TraceModel::ErrorRole).toBool());
    EXPECT_TRUE(m_model->index(1, TraceModel::TimeColumn).data(TraceModel::ErrorRole).toBool()) << "cached";
}

namespace {

/// The console's response to REST call \a requestId at \a ms, and the service's record of that request.
TraceEvent consoleResponse(const QString &requestId, qint64 ms)
{
    TraceEvent e;
    e.timestampMs = kT0 + ms;
    e.kind = Kind::Http;
    e.direction = Direction::In;
    e.hub = u"chat"_s;
    e.type = u"sendToAll"_s;
    e.status = 202;
    e.correlation = requestId;
    e.detail = u"202 Accepted"_s;
    return e;
}

TraceEvent serviceRequest(const QString &requestId, qint64 ms)
{
    TraceEvent e = consoleResponse(requestId, ms);
    e.source = Source::Service;
    e.type = u"POST"_s;
    e.detail = u"POST /api/hubs/chat/:send — delivered to 3 connections"_s;
    return e;
}

/// The rows whose Source column says \a source.
int rowsFrom(const TraceModel &model, const QString &source)
{
    int n = 0;
    for (int row = 0; row < model.rowCount(); ++row)
        n += model.index(row, TraceModel::SourceColumn).data().toString() == source ? 1 : 0;
    return n;
}

} // namespace

TEST_F(TraceModelTest, TheServicesRecordOfAConsoleCallJoinsItsRow)
{
    make();
    m_store->append(consoleResponse(u"req-1"_s, 100));
    ASSERT_TRUE(waitRows(1));
    // The live trace's record of the same request comes later: no second row, the first one says both.
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_store->append(serviceRequest(u"req-1"_s, 104));
    ASSERT_TRUE(QTest::qWaitFor([&] { return changed.count() > 0; }, kWaitMs));
    m_model->flushNow();
    ASSERT_EQ(m_model->rowCount(), 1);
    EXPECT_EQ(m_model->index(0, TraceModel::SourceColumn).data().toString(), TraceModel::mergedSourceName());
    EXPECT_EQ(m_model->index(0, TraceModel::SourceColumn).data().toString(), u"console + service"_s);
    EXPECT_EQ(m_model->index(0, 0).data(TraceModel::MergedRole).toULongLong(), 1u);
    // What only the service knew joins the summary.
    const QString summary = m_model->index(0, TraceModel::SummaryColumn).data().toString();
    EXPECT_TRUE(summary.contains(u"delivered to 3 connections"_s)) << summary.toStdString();
    // Both records stay in the store.
    EXPECT_EQ(m_store->count(), 2);
}

TEST_F(TraceModelTest, AConsoleRecordArrivingAfterTheServicesReplacesItsRow)
{
    make();
    m_store->append(serviceRequest(u"req-2"_s, 100));
    ASSERT_TRUE(waitRows(1));
    EXPECT_EQ(m_model->index(0, TraceModel::SourceColumn).data().toString(), u"service"_s);
    m_store->append(consoleResponse(u"req-2"_s, 101));
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            return m_model->rowCount() == 1 &&
                   m_model->index(0, TraceModel::SourceColumn).data().toString() == u"console + service"_s;
        },
        kWaitMs));
    EXPECT_EQ(m_model->recordId(0), 1u); // the console's record is the row
}

TEST_F(TraceModelTest, OnlyTheSameEventIsMerged)
{
    make();
    // Another request id, the same request id past the pairing window, the console's request row (not its
    // response), upstream exchanges and records without an id keep their own rows.
    TraceEvent request = consoleResponse(u"req-3"_s, 0);
    request.direction = Direction::Out;
    TraceEvent upstream = serviceRequest(u"upstream:c1:1"_s, 20);
    upstream.type = u"upstream connect"_s;
    TraceEvent consoleUpstreamLike = consoleResponse(u"upstream:c1:1"_s, 21);
    m_store->append(std::vector<TraceEvent>{request, consoleResponse(u"req-3"_s, 10),
                                            serviceRequest(u"req-4"_s, 11), serviceRequest(u"req-5"_s, 12),
                                            consoleResponse(u"req-5"_s, 12 + 61'000), upstream,
                                            consoleUpstreamLike, at(30), at(31, Source::Service)});
    ASSERT_TRUE(waitRows(9));
    EXPECT_EQ(rowsFrom(*m_model, u"console + service"_s), 0);
    // Same batch, both sides: one row.
    m_store->append(std::vector<TraceEvent>{consoleResponse(u"req-6"_s, 40), serviceRequest(u"req-6"_s, 41)});
    ASSERT_TRUE(waitRows(10));
    EXPECT_EQ(rowsFrom(*m_model, u"console + service"_s), 1);
}

TEST_F(TraceModelTest, AFilterShowingOnlyTheServiceKeepsItsRowsAlone)
{
    make();
    m_store->append(std::vector<TraceEvent>{consoleResponse(u"req-7"_s, 10), serviceRequest(u"req-7"_s, 11)});
    ASSERT_TRUE(waitRows(1));
    TraceFilterSpec spec;
    spec.query = u"source==service"_s;
    EXPECT_EQ(apply(spec), 1);
    EXPECT_EQ(m_model->index(0, TraceModel::SourceColumn).data().toString(), u"service"_s);
    // Show related (the correlation) shows the pair as one row again.
    TraceFilterSpec related;
    related.correlation = u"req-7"_s;
    EXPECT_EQ(apply(related), 1);
    EXPECT_EQ(m_model->index(0, TraceModel::SourceColumn).data().toString(), u"console + service"_s);
}
