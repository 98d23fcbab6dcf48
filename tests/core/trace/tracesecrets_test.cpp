// No secret reaches an export: real traffic against the real emulator (access key, client access tokens,
// the reconnection token of a reliable connection) flows through the adapters into the store, then out.
#include "live/liveclient.h"
#include "protocol/clienttoken.h"
#include "service/serviceclient.h"
#include "service/servicejob.h"
#include "support/emulatorprocess.h"
#include "support/wait.h"
#include "trace/traceadapters.h"
#include "trace/tracejsonl.h"
#include "trace/tracestore.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace wps::trace;

namespace {

using wps::test::kWaitMs;

TEST(TraceSecrets, NoSecretInAnyExport)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    const wps::ConnectionString connection = emulator.connectionString();
    ASSERT_TRUE(connection.hasAccessKey());

    TraceStore store;

    // REST traffic (signed with the access key) through the HttpTrace adapter.
    wps::service::ServiceClient service(connection, u"hub1"_s);
    attach(&service, &store);

    // A live reliable client through the FrameRecord adapter: its URL carries an access token and the
    // service hands it a reconnection token.
    wps::ClientTokenOptions tokenOptions;
    tokenOptions.userId = u"alice"_s;
    tokenOptions.roles = {u"webpubsub.joinLeaveGroup"_s, u"webpubsub.sendToGroup"_s};
    const wps::ClientAccess liveAccess = wps::makeClientAccess(connection, u"hub1"_s, tokenOptions);
    wps::live::LiveClient live(liveAccess.url, wps::live::Subprotocol::JsonReliable);
    attach(&live, &store, u"hub1"_s);
    live.start();
    ASSERT_TRUE(QTest::qWaitFor([&live] { return live.state() == wps::live::State::Connected; }, kWaitMs));
    auto *join = live.joinGroup(u"room"_s);
    ASSERT_TRUE(QTest::qWaitFor([join] { return join->isFinished(); }, kWaitMs));

    // A raw socket fed frame by frame, as a trace of unredacted traffic would be: the store must redact.
    tokenOptions.userId = u"bob"_s;
    const wps::ClientAccess rawAccess = wps::makeClientAccess(connection, u"hub1"_s, tokenOptions);
    QWebSocket raw;
    QByteArray reconnectionToken;
    QObject::connect(&raw, &QWebSocket::textMessageReceived, &raw,
                     [&store, &reconnectionToken, &rawAccess](const QString &text) {
                         const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
                         if (o.value(u"event"_s).toString() == u"connected"_s)
                             reconnectionToken = o.value(u"reconnectionToken"_s).toString().toUtf8();
                         TraceEvent e;
                         e.kind = Kind::Frame;
                         e.direction = Direction::In;
                         e.detail = u"GET "_s + rawAccess.url.toString(QUrl::FullyEncoded);
                         e.payload = text.toUtf8();
                         e.size = e.payload.size();
                         store.append(e);
                     });
    QNetworkRequest request(rawAccess.url);
    request.setRawHeader("Sec-WebSocket-Protocol", "json.reliable.webpubsub.azure.v1");
    request.setRawHeader("Authorization", "Bearer " + rawAccess.token);
    raw.open(request);
    ASSERT_TRUE(QTest::qWaitFor([&reconnectionToken] { return !reconnectionToken.isEmpty(); }, kWaitMs));

    auto *send = service.sendToAll(wps::service::Message::text(u"hello everyone"_s));
    ASSERT_TRUE(QTest::qWaitFor([send] { return send->isFinished(); }, kWaitMs));
    auto *token = service.generateClientToken({});
    ASSERT_TRUE(QTest::qWaitFor([token] { return token->isFinished(); }, kWaitMs));
    ASSERT_TRUE(QTest::qWaitFor([&store] { return store.count() >= 8; }, kWaitMs));

    QBuffer file;
    ASSERT_TRUE(file.open(QIODevice::ReadWrite));
    const auto written = exportJsonl(store, &file);
    ASSERT_TRUE(written) << written.error().toStdString();
    const QByteArray text = file.data();

    // The traffic really went through: the export has the REST calls, frames and the hello.
    EXPECT_TRUE(text.contains("\"kind\":\"http\""));
    EXPECT_TRUE(text.contains("\"kind\":\"frame\""));
    EXPECT_TRUE(text.contains("hello everyone"));
    EXPECT_TRUE(text.contains("\"event\\\":\\\"connected\\\"")) << "the raw connected frame is in the trace";

    const QByteArray key = connection.accessKey().toUtf8();
    EXPECT_FALSE(text.contains(key)) << "access key";
    EXPECT_FALSE(text.contains(liveAccess.token)) << "live client's access token";
    EXPECT_FALSE(text.contains(rawAccess.token)) << "raw client's access token";
    EXPECT_FALSE(text.contains(reconnectionToken)) << "reconnection token";
    EXPECT_FALSE(text.contains("eyJ")) << "no JWT of any kind (the generated client token included)";
    EXPECT_FALSE(text.contains(liveAccess.token.left(40)));
    live.stop();
}

} // namespace
