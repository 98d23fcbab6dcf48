// Trace > Replay: a captured event-handler request (a row pair in the shape the live trace produces) is sent
// again to a loopback handler written here, with a fresh ce-signature made with the session's key; the
// original answer and the new one are shown side by side, and the replay is in the trace.
#include "panels/trace/replaydialog.h"
#include "panels/trace/tracepanel.h"
#include "protocol/cloudevents.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/emulatorprocess.h"
#include "support/faultserver.h"
#include "support/wait.h"
#include "trace/tracemodel.h"
#include "trace/tracestore.h"

#include <QDateTime>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using wps::test::FaultServer;

namespace {

using wps::test::kWaitMs;

} // namespace

TEST(TraceReplay, ResendsACapturedUpstreamRequestWithAFreshSignature)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    FaultServer handler;
    handler.setDefault(
        FaultServer::Response::answer(200, "{\"ok\":true}", {{"Content-Type", "application/json"}}));
    const quint16 port = handler.listen();

    wps::ui::ConsoleSession session;
    session.setConnection(emulator.connectionString(), u"test"_s);
    wps::ui::TracePanel panel(&session);

    // The captured exchange: the service's request to the handler (Out) and the handler's 500 (In).
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    wps::trace::TraceEvent request;
    request.timestampMs = now;
    request.kind = wps::trace::Kind::Http;
    request.direction = wps::trace::Direction::Out;
    request.hub = u"chat"_s;
    request.connectionId = u"conn-1"_s;
    request.type = u"upstream message"_s;
    request.detail = u"POST http://127.0.0.1:%1/upstream/chat/message"_s.arg(port);
    request.payload = "ce-connectionId: conn-1\r\nce-hub: chat\r\nce-type: azure.webpubsub.user.message\r\n"
                      "ce-signature: ***\r\nContent-Type: text/plain\r\n\r\n{\"keep\":  1, \"order\": 2}";
    request.correlation = u"upstream:conn-1:1"_s;
    const quint64 requestId = session.traceStore()->append(request);
    wps::trace::TraceEvent response = request;
    response.direction = wps::trace::Direction::In;
    response.status = 500;
    response.durationMs = 3;
    response.payload = "Content-Type: application/json\r\n\r\n{\"error\":\"boom\"}";
    session.traceStore()->append(response);

    int row = -1;
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            for (int r = 0; r < panel.model()->rowCount(); ++r) {
                if (panel.model()->recordId(r) == requestId)
                    row = r;
            }
            return row >= 0;
        },
        kWaitMs));
    panel.view()->setCurrentIndex(panel.model()->index(row, 0));
    wps::ui::ReplayDialog *dialog = panel.replayCurrent();
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->findChild<QPlainTextEdit *>(u"replayOriginal"_s)->toPlainText().contains(u"boom"_s));

    QSignalSpy replayed(dialog, &wps::ui::ReplayDialog::replayed);
    ASSERT_TRUE(dialog->send());
    ASSERT_TRUE(replayed.wait(kWaitMs));
    EXPECT_EQ(replayed.first().at(0).toInt(), 200);
    ASSERT_EQ(handler.requestCount(), 1);
    EXPECT_EQ(handler.bodies().first(), QByteArray("{\"keep\":  1, \"order\": 2}")); // byte for byte
    const QByteArray head = handler.requests().first();
    EXPECT_TRUE(head.startsWith("POST /upstream/chat/message ")) << head.toStdString();
    QByteArray signature;
    for (const QByteArray &line : head.split('\n')) {
        if (line.toLower().startsWith("ce-signature:"))
            signature = line.mid(13).trimmed();
    }
    EXPECT_TRUE(wps::cloudevents::verifySignature(signature, u"conn-1"_s,
                                                  {emulator.connectionString().accessKey().toUtf8()}))
        << signature.toStdString();
    EXPECT_TRUE(dialog->answerText().contains(u"HTTP 200"_s));
    EXPECT_TRUE(dialog->answerText().contains(u"\"ok\":true"_s));
    // The replay is a request/response pair in the trace, under the same connection.
    int rows = 0;
    session.traceStore()->forEach(session.traceStore()->firstId(), session.traceStore()->endId(),
                                  [&](const wps::trace::TraceRecordView &v) {
                                      rows += v.type == u"replayUpstream"_s && v.connectionId == u"conn-1"_s;
                                  });
    EXPECT_EQ(rows, 2);
}
