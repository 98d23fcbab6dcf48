// One row per event in the Trace panel, against the real emulator and its live trace: a REST send and the
// service's record of that request are one row ("console + service", with the service's delivery count);
// a live client's `connected` and the service's ConnectionConnected are one row; a live client's frame with
// an ackId and the service's record of receiving it are one row. Show related still links the rows of an
// exchange, and the store keeps every record.
#include "live/liveclient.h"
#include "panels/trace/tracepanel.h"
#include "protocol/clienttoken.h"
#include "service/serviceclient.h"
#include "service/servicejob.h"
#include "session/consolesession.h"
#include "support/panelfixture.h"
#include "support/wait.h"
#include "trace/livetrace.h"
#include "trace/tracemodel.h"
#include "trace/tracestore.h"

#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

#include <gtest/gtest.h>

#include <functional>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using wps::trace::TraceModel;

namespace {

using wps::test::kWaitMs;

class TraceMergeTest : public wps::test::PanelTest<wps::ui::TracePanel>
{
protected:
    void prepareSession() override { m_session.setLiveTraceEnabled(true); }

    void panelReady() override
    {
        ASSERT_TRUE(QTest::qWaitFor(
            [&] { return m_session.liveTrace()->state() == wps::trace::LiveTraceClient::State::Connected; },
            kWaitMs))
            << m_session.liveTrace()->lastError().toStdString();
        // Connected is said once the listen request is sent; a REST call's own record proves it was heard.
        auto *probe = m_session.client()->connectionExists(u"warmup"_s);
        QSignalSpy probed(probe, &wps::service::ServiceJob::finished);
        ASSERT_TRUE(probed.wait(kWaitMs));
        const QString probeId = probe->clientRequestId();
        ASSERT_TRUE(QTest::qWaitFor([&] { return m_session.liveTrace()->requestReport(probeId).has_value(); },
                                    kWaitMs));
    }

    TraceModel *model() const { return m_panel->model(); }
    QString cell(int row, int column) const { return model()->index(row, column).data().toString(); }

    /// Waits for a row that \a match accepts; returns it (-1 when none came).
    int findRow(const std::function<bool(int row)> &match)
    {
        int found = -1;
        (void)QTest::qWaitFor([&] { return (found = rowNow(match)) >= 0; }, kWaitMs);
        return found;
    }

    /// The first row \a match accepts among the rows there now (-1 when none): for a row that must not exist
    /// once the row it would have been merged into is there.
    int rowNow(const std::function<bool(int row)> &match)
    {
        model()->flushNow();
        for (int row = 0; row < model()->rowCount(); ++row) {
            if (match(row))
                return row;
        }
        return -1;
    }

    /// The store's records with correlation \a id, by source.
    std::pair<int, int> recordsWith(const QString &id) const
    {
        int console = 0;
        int service = 0;
        m_session.traceStore()->forEach(
            m_session.traceStore()->firstId(), m_session.traceStore()->endId(),
            [&](const wps::trace::TraceRecordView &r) {
                if (r.correlation == id)
                    ++(r.source == wps::trace::Source::Service ? service : console);
            },
            false);
        return {console, service};
    }

    /// The rows shown with correlation \a id (the Connection column holds the connection; the correlation
    /// is read from the store).
    int rowsWith(const QString &id) const
    {
        int rows = 0;
        for (int row = 0; row < model()->rowCount(); ++row) {
            wps::trace::TraceRecordView r;
            if (m_session.traceStore()->record(model()->recordId(row), &r) && r.correlation == id)
                ++rows;
        }
        return rows;
    }
};

} // namespace

TEST_F(TraceMergeTest, ARestSendAndTheServicesRecordOfItAreOneRow)
{
    auto *send = m_session.client()->sendToAll(wps::service::Message::text(u"hello"_s));
    QSignalSpy sent(send, &wps::service::ServiceJob::finished);
    ASSERT_TRUE(sent.wait(kWaitMs));
    ASSERT_FALSE(send->hasError());
    const QString requestId = send->clientRequestId();
    ASSERT_FALSE(requestId.isEmpty());
    // The service's record (3001, "HTTP request handled") arrives over the live trace.
    ASSERT_TRUE(QTest::qWaitFor([&] { return recordsWith(requestId).second == 1; }, kWaitMs));
    const int row = findRow([&](int r) {
        return cell(r, TraceModel::SourceColumn) == u"console + service"_s && rowsWith(requestId) == 2;
    });
    ASSERT_GE(row, 0);
    // The store has all three (request, response, the service's record); the view shows two rows, the
    // response with the service's record in it, and no service row of its own.
    EXPECT_EQ(recordsWith(requestId), std::make_pair(2, 1));
    int merged = 0;
    int serviceAlone = 0;
    for (int r = 0; r < model()->rowCount(); ++r) {
        wps::trace::TraceRecordView v;
        ASSERT_TRUE(m_session.traceStore()->record(model()->recordId(r), &v));
        if (v.correlation != requestId)
            continue;
        merged += cell(r, TraceModel::SourceColumn) == u"console + service"_s ? 1 : 0;
        serviceAlone += cell(r, TraceModel::SourceColumn) == u"service"_s ? 1 : 0;
        if (cell(r, TraceModel::SourceColumn) == u"console + service"_s) {
            EXPECT_EQ(v.direction, wps::trace::Direction::In); // the console's response row
            EXPECT_NE(model()->index(r, 0).data(TraceModel::MergedRole).toULongLong(), 0u);
            const QString summary = cell(r, TraceModel::SummaryColumn);
            EXPECT_TRUE(summary.contains(u"delivered to"_s)) << summary.toStdString();
        }
    }
    EXPECT_EQ(merged, 1);
    EXPECT_EQ(serviceAlone, 0);

    // Show related on the merged row still shows the exchange: the request and the merged response.
    // (The set-up's warm-up call is merged too: the send's row is the one with its request id.)
    const int mergedRow = findRow([&](int r) {
        wps::trace::TraceRecordView v;
        return cell(r, TraceModel::SourceColumn) == u"console + service"_s &&
               m_session.traceStore()->record(model()->recordId(r), &v) && v.correlation == requestId;
    });
    ASSERT_GE(mergedRow, 0);
    m_panel->view()->setCurrentIndex(model()->index(mergedRow, 0));
    QSignalSpy applied(model(), &TraceModel::filterApplied);
    ASSERT_TRUE(m_panel->showRelated(true));
    ASSERT_TRUE(applied.count() > 0 || applied.wait(kWaitMs));
    EXPECT_EQ(model()->rowCount(), 2);
    EXPECT_EQ(rowsWith(requestId), 2);
    m_panel->showRelated(false);
}

TEST_F(TraceMergeTest, ALiveClientsConnectAndAckedSendAreOneRowEach)
{
    wps::ClientTokenOptions options;
    options.userId = u"alice"_s;
    options.roles = {u"webpubsub.joinLeaveGroup"_s, u"webpubsub.sendToGroup"_s};
    const wps::ClientAccess access =
        wps::makeClientAccess(m_emulator.connectionString(), m_session.hub(), options);
    wps::live::LiveClient client(access.url, wps::live::Subprotocol::Json);
    m_session.traceLiveClient(&client, m_session.hub());
    QSignalSpy connected(&client, &wps::live::LiveClient::connected);
    client.start();
    ASSERT_TRUE(connected.wait(kWaitMs));
    const QString connectionId = client.connectionId();

    // `connected` (the console's client) and ConnectionConnected (the service): one row.
    const int connectedRow = findRow([&](int r) {
        return cell(r, TraceModel::ConnectionColumn) == connectionId &&
               cell(r, TraceModel::TypeColumn) == u"connected"_s &&
               cell(r, TraceModel::SourceColumn) == u"console + service"_s;
    });
    ASSERT_GE(connectedRow, 0);
    EXPECT_LT(rowNow([&](int r) {
                  return cell(r, TraceModel::ConnectionColumn) == connectionId &&
                         cell(r, TraceModel::TypeColumn) == u"ConnectionConnected"_s;
              }),
              0)
        << "the service's ConnectionConnected has no row of its own";

    // A send with an ackId: the client's frame and the service's record of receiving it.
    wps::live::AckJob *join = client.joinGroup(u"room1"_s);
    QSignalSpy joined(join, &wps::live::AckJob::finished);
    ASSERT_TRUE(joined.wait(kWaitMs));
    ASSERT_TRUE(join->succeeded());
    ASSERT_TRUE(join->ackId().has_value());
    const QString ackCorrelation = u"ack:%1:%2"_s.arg(connectionId).arg(*join->ackId());
    ASSERT_TRUE(QTest::qWaitFor([&] { return recordsWith(ackCorrelation).second == 1; }, kWaitMs));
    const int joinRow = findRow([&](int r) {
        return cell(r, TraceModel::TypeColumn) == u"joinGroup"_s &&
               cell(r, TraceModel::ConnectionColumn) == connectionId &&
               cell(r, TraceModel::SourceColumn) == u"console + service"_s;
    });
    ASSERT_GE(joinRow, 0);
    // The store keeps the client's frame, its ack and the service's record; the view: the frame (with the
    // service's record in it) and the ack.
    EXPECT_EQ(recordsWith(ackCorrelation), std::make_pair(2, 1));
    int shown = 0;
    (void)QTest::qWaitFor(
        [&] {
            model()->flushNow();
            shown = rowsWith(ackCorrelation);
            return shown == 2;
        },
        kWaitMs);
    EXPECT_EQ(shown, 2);
    client.stop();
}
