// ConsoleSession against the real emulator: one REST client per connection and hub, client URLs that open,
// the trace fed by the session's clients and -- when enabled -- by the service's own live trace.
#include "arm/hubdirectory.h"
#include "live/liveclient.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/emulatorprocess.h"
#include "support/wait.h"
#include "trace/livetrace.h"
#include "trace/tracestore.h"

#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <chrono>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using wps::ui::ConsoleSession;

namespace {

using wps::test::kWaitMs;

/// True when the store holds a record matching \a predicate.
template <typename Predicate>
bool anyRecord(wps::trace::TraceStore *store, Predicate predicate)
{
    bool found = false;
    if (store->count() == 0)
        return false;
    store->forEach(store->firstId(), store->endId(),
                   [&](const wps::trace::TraceRecordView &view) { found = found || predicate(view); });
    return found;
}

} // namespace

TEST(ConsoleSession, ReplacesItsClientPerHubAndConnectionAndTracesIt)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    ConsoleSession session;
    QSignalSpy clients(&session, &ConsoleSession::clientChanged);
    EXPECT_EQ(session.client(), nullptr);

    session.setConnection(emulator.connectionString(), u"test"_s);
    ASSERT_NE(session.client(), nullptr);
    EXPECT_EQ(session.state(), ConsoleSession::State::Connected);
    EXPECT_EQ(session.endpoint(), emulator.connectionString().endpoint());
    EXPECT_EQ(session.client()->hub(), u"chat"_s);

    session.setHub(u"other"_s);
    ASSERT_NE(session.client(), nullptr);
    EXPECT_EQ(session.client()->hub(), u"other"_s);
    EXPECT_EQ(clients.count(), 2);

    auto *job = session.client()->userExists(u"nobody"_s);
    QSignalSpy finished(job, &wps::service::ServiceJob::finished);
    ASSERT_TRUE(finished.wait(kWaitMs));
    EXPECT_FALSE(job->hasError());
    EXPECT_TRUE(anyRecord(session.traceStore(), [](const wps::trace::TraceRecordView &v) {
        return v.kind == wps::trace::Kind::Http && v.hub == u"other"_s && v.status == 404;
    }));

    session.setConnectionError(u"gone"_s);
    EXPECT_EQ(session.client(), nullptr);
    EXPECT_EQ(session.stateText(), u"gone"_s);
    EXPECT_TRUE(session.endpoint().isEmpty());
}

TEST(ConsoleSession, ArmCallsAreTraceRowsLikeRestCalls)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    ConsoleSession session;
    session.setConnection(emulator.connectionString(), u"test"_s);
    wps::arm::HubDirectory *directory = session.hubDirectory();
    ASSERT_NE(directory, nullptr);
    QSignalSpy loaded(directory, &wps::arm::HubDirectory::hubsLoaded);
    directory->refresh();
    ASSERT_TRUE(loaded.wait(kWaitMs));
    ASSERT_TRUE(loaded.last().at(0).toString().isEmpty()) << loaded.last().at(0).toString().toStdString();

    // A write and a key listing are traced too.
    wps::arm::HubJob *put = directory->updateHub(
        u"traced"_s, [](wps::arm::HubSettings &settings) { settings.anonymousConnect = true; });
    ASSERT_NE(put, nullptr);
    QSignalSpy saved(put, &wps::arm::HubJob::finished);
    ASSERT_TRUE(saved.wait(kWaitMs));
    ASSERT_FALSE(put->hasError()) << put->error().toString().toStdString();
    wps::arm::KeysJob *keys = directory->listKeys();
    ASSERT_NE(keys, nullptr);
    QSignalSpy listed(keys, &wps::arm::KeysJob::finished);
    ASSERT_TRUE(listed.wait(kWaitMs));
    ASSERT_FALSE(keys->hasError()) << keys->error().toString().toStdString();

    // Every call is a request row and a response row with the same correlation (the client request id),
    // with headers and body; the key answer shows its size only, never a key.
    struct Exchange
    {
        QString requestCorrelation;
        QString responseCorrelation;
        int status = 0;
        QByteArray requestPayload;
        QByteArray responsePayload;
    };
    QHash<QString, Exchange> byType;
    const QByteArray key = emulator.connectionString().accessKey().toUtf8();
    bool leaked = false;
    session.traceStore()->forEach(session.traceStore()->firstId(), session.traceStore()->endId(),
                                  [&](const wps::trace::TraceRecordView &v) {
                                      if (v.kind != wps::trace::Kind::Http)
                                          return;
                                      leaked = leaked || v.payload.contains(key) ||
                                               v.detail.contains(QString::fromUtf8(key));
                                      Exchange &e = byType[v.type];
                                      if (v.direction == wps::trace::Direction::Out) {
                                          e.requestCorrelation = v.correlation;
                                          e.requestPayload = v.payload;
                                      } else {
                                          e.responseCorrelation = v.correlation;
                                          e.responsePayload = v.payload;
                                          e.status = v.status;
                                      }
                                  });
    EXPECT_FALSE(leaked);
    for (const QString &type :
         {u"listSubscriptions"_s, u"listWebPubSub"_s, u"listHubs"_s, u"updateHub"_s, u"listKeys"_s}) {
        ASSERT_TRUE(byType.contains(type)) << type.toStdString();
        const Exchange &e = byType.value(type);
        EXPECT_FALSE(e.requestCorrelation.isEmpty()) << type.toStdString();
        EXPECT_EQ(e.requestCorrelation, e.responseCorrelation) << type.toStdString();
        EXPECT_TRUE(e.requestPayload.contains("x-ms-client-request-id")) << type.toStdString();
        EXPECT_GE(e.status, 200) << type.toStdString();
        EXPECT_LT(e.status, 300) << type.toStdString();
    }
    EXPECT_TRUE(byType.value(u"listHubs"_s).responsePayload.contains("\"value\"")) << "the body is shown";
    EXPECT_TRUE(byType.value(u"updateHub"_s).requestPayload.contains("anonymousConnectPolicy"));
}

TEST(ConsoleSession, ClientAccessOpensAndLiveTraceSeesTheConnection)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    ConsoleSession session;
    session.setLiveTraceEnabled(true);
    session.setConnection(emulator.connectionString(), u"test"_s);
    EXPECT_TRUE(QTest::qWaitFor(
        [&] { return session.liveTrace()->state() == wps::trace::LiveTraceClient::State::Connected; },
        kWaitMs))
        << session.liveTrace()->lastError().toStdString();

    std::optional<ConsoleSession::AccessResult> access;
    wps::ClientTokenOptions options;
    options.userId = u"erin"_s;
    QObject context;
    session.clientAccess(u"chat"_s, options, &context,
                         [&](const ConsoleSession::AccessResult &result) { access = result; });
    ASSERT_TRUE(QTest::qWaitFor([&] { return access.has_value(); }, kWaitMs));
    ASSERT_TRUE(access->hasValue());

    wps::live::LiveClient client(access->value().url, wps::live::Subprotocol::Json);
    wps::live::LiveClientSettings settings;
    settings.pingInterval = 0ms;
    settings.autoReconnect = false;
    client.setSettings(settings);
    session.traceLiveClient(&client, u"chat"_s);
    QSignalSpy connected(&client, &wps::live::LiveClient::connected);
    client.start();
    ASSERT_TRUE(connected.wait(kWaitMs));
    const QString id = connected.first().at(0).toString();

    // The console's own frame and the service's view of the same connection, in one store.
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return anyRecord(session.traceStore(), [&](const wps::trace::TraceRecordView &v) {
                return v.kind == wps::trace::Kind::Lifecycle && v.connectionId == id && v.userId == u"erin"_s;
            });
        },
        kWaitMs));
    EXPECT_TRUE(anyRecord(session.traceStore(), [&](const wps::trace::TraceRecordView &v) {
        return v.kind == wps::trace::Kind::Frame && v.connectionId == id;
    }));

    // A REST call: the console's request row and the service's live-trace row of it share the request id.
    auto *job = session.client()->userExists(u"erin"_s);
    QSignalSpy finished(job, &wps::service::ServiceJob::finished);
    ASSERT_TRUE(finished.wait(kWaitMs));
    QString requestId;
    ASSERT_TRUE(anyRecord(session.traceStore(), [&](const wps::trace::TraceRecordView &v) {
        if (v.kind == wps::trace::Kind::Http && v.direction == wps::trace::Direction::Out &&
            v.type == u"userExists"_s)
            requestId = v.correlation;
        return !requestId.isEmpty();
    }));
    EXPECT_FALSE(requestId.startsWith(u"http:"_s)) << requestId.toStdString(); // the x-ms-client-request-id
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            int rows = 0;
            session.traceStore()->forEach(
                session.traceStore()->firstId(), session.traceStore()->endId(),
                [&](const wps::trace::TraceRecordView &v) { rows += v.correlation == requestId ? 1 : 0; },
                false);
            return rows >= 3; // request, response, and the service's own record of the call
        },
        kWaitMs));

    session.setConnecting(u"switching"_s);
    EXPECT_EQ(session.liveTrace()->state(), wps::trace::LiveTraceClient::State::Disconnected);
}
