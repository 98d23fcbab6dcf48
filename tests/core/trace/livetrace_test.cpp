// LiveTraceClient against the real emulator's /livetrace hub: events with correlation ids reach the
// store, a wrong key is a clear 401 error, and a cut connection is re-established by the client itself.
#include "arm/armclient.h"
#include "protocol/clienttoken.h"
#include "service/credential.h"
#include "support/emulatorprocess.h"
#include "support/wsproxy.h"
#include "trace/livetrace.h"
#include "trace/tracestore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <gtest/gtest.h>

#include <functional>

using namespace Qt::Literals::StringLiterals;
using namespace wps::trace;
using wps::test::EmulatorProcess;

namespace {

LiveTraceOptions fastOptions()
{
    LiveTraceOptions options;
    options.initialBackoffMs = 50;
    options.maxBackoffMs = 400;
    options.serverTimeoutMs = 10000;
    return options;
}

/// True when some live record satisfies \a predicate.
bool hasRecord(const TraceStore &store, const std::function<bool(const TraceRecordView &)> &predicate)
{
    bool found = false;
    store.forEach(store.firstId(), store.endId(),
                  [&](const TraceRecordView &r) { found = found || predicate(r); });
    return found;
}

/// POSTs a text message to the hub with a client request id; returns the HTTP status.
int restSend(const wps::ConnectionString &connection, const QString &hub, const QByteArray &requestId)
{
    QUrl url = connection.endpoint();
    url.setPath(u"/api/hubs/"_s + hub + u"/:send"_s);
    url.setQuery(u"api-version=2024-12-01"_s);
    const auto authorization = wps::service::AccessKeyCredential(connection.accessKey()).authorization(url);
    if (!authorization)
        return -1;
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", *authorization);
    request.setRawHeader("x-ms-client-request-id", requestId);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"text/plain"_s);
    QNetworkReply *reply = network.post(request, "hello from rest"_ba);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(10000))
        return -1;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return status;
}

} // namespace

TEST(LiveTraceClient, EventsFromTheEmulatorCarryCorrelationIds)
{
    EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    const wps::ConnectionString connection = emulator.connectionString();

    TraceStore store;
    LiveTraceClient trace(&store, fastOptions());
    trace.start(connection);
    ASSERT_TRUE(QTest::qWaitFor([&] { return trace.state() == LiveTraceClient::State::Connected; }, 10000))
        << trace.lastError().toStdString();

    wps::ClientTokenOptions tokenOptions;
    tokenOptions.userId = u"alice"_s;
    tokenOptions.roles = {u"webpubsub.joinLeaveGroup"_s, u"webpubsub.sendToGroup"_s};
    const wps::ClientAccess access = wps::makeClientAccess(connection, u"hub1"_s, tokenOptions);
    QWebSocket client;
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols({u"json.webpubsub.azure.v1"_s});
    QStringList received;
    QObject::connect(&client, &QWebSocket::textMessageReceived, &client,
                     [&received](const QString &text) { received << text; });
    client.open(QNetworkRequest(access.url), handshake);
    ASSERT_TRUE(QTest::qWaitFor([&] { return received.size() >= 1; }, 10000)); // `connected`
    client.sendTextMessage(u"{\"type\":\"joinGroup\",\"group\":\"room\",\"ackId\":1}"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return received.size() >= 2; }, 10000)); // its ack

    ASSERT_EQ(restSend(connection, u"hub1"_s, "req-42"_ba), 202);

    // Connectivity: the connection, with its "conn:" correlation.
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return hasRecord(store, [](const TraceRecordView &r) {
                return r.kind == Kind::Lifecycle && r.hub == u"hub1"_s && r.userId == u"alice"_s &&
                       r.correlation == u"conn:"_s + r.connectionId && !r.connectionId.isEmpty();
            });
        },
        10000));
    // Messaging in: the joinGroup frame the client sent, correlated with its ack by ackId.
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return hasRecord(store, [](const TraceRecordView &r) {
                return r.kind == Kind::Frame && r.direction == Direction::In && r.userId == u"alice"_s &&
                       r.size > 0 && r.correlation == u"ack:"_s + r.connectionId + u":1"_s;
            });
        },
        10000));
    // The REST call and the frame it sent share the request's id.
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return hasRecord(store, [](const TraceRecordView &r) {
                return r.kind == Kind::Http && r.status == 202 && r.correlation == u"req-42"_s &&
                       r.hub == u"hub1"_s && r.detail.startsWith(u"POST /api/hubs/hub1/:send"_s);
            });
        },
        10000));
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return hasRecord(store, [](const TraceRecordView &r) {
                return r.kind == Kind::Frame && r.direction == Direction::Out &&
                       r.correlation == u"req-42"_s && r.size == 15;
            });
        },
        10000));
    // No secret in what was traced.
    EXPECT_FALSE(hasRecord(store, [&](const TraceRecordView &r) {
        return r.detail.contains(connection.accessKey()) || r.payload.contains(access.token) ||
               r.detail.contains(u"access_token"_s);
    }));
    client.close();
}

TEST(LiveTraceClient, WrongKeyIsAClear401)
{
    EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    TraceStore store;
    LiveTraceClient trace(&store, fastOptions());
    QSignalSpy errors(&trace, &LiveTraceClient::errorOccurred);
    trace.start(wps::ConnectionString(emulator.endpoint(), u"not-the-key"_s));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !errors.isEmpty(); }, 10000));
    EXPECT_TRUE(errors.first().first().toString().contains(u"401"_s))
        << errors.first().first().toString().toStdString();
    EXPECT_TRUE(
        QTest::qWaitFor([&] { return trace.state() == LiveTraceClient::State::Disconnected; }, 10000));
    EXPECT_FALSE(trace.lastError().contains(u"not-the-key"_s));
}

TEST(LiveTraceClient, ReconnectsAfterTheConnectionIsCut)
{
    EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    wps::test::WsProxy proxy;
    const quint16 port = proxy.listen(QHostAddress::LocalHost, emulator.port());
    ASSERT_NE(port, 0);
    QUrl viaProxy = emulator.endpoint();
    viaProxy.setPort(port);
    const wps::ConnectionString connection(viaProxy, emulator.connectionString().accessKey());

    TraceStore store;
    LiveTraceClient trace(&store, fastOptions());
    QSignalSpy states(&trace, &LiveTraceClient::stateChanged);
    trace.start(connection);
    ASSERT_TRUE(QTest::qWaitFor([&] { return trace.state() == LiveTraceClient::State::Connected; }, 10000));

    ASSERT_GE(proxy.cutAll(), 1);
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            for (const auto &args : std::as_const(states))
                if (args.first().value<LiveTraceClient::State>() == LiveTraceClient::State::Reconnecting)
                    return true;
            return false;
        },
        10000));
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            return trace.state() == LiveTraceClient::State::Connected && proxy.acceptedConnections() >= 2;
        },
        10000));

    // Events flow again on the new connection (the REST call goes straight to the emulator).
    ASSERT_EQ(restSend(emulator.connectionString(), u"hub2"_s, "after-cut"_ba), 202);
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return hasRecord(store, [](const TraceRecordView &r) {
                return r.kind == Kind::Http && r.correlation == u"after-cut"_s;
            });
        },
        10000));
}

TEST(LiveTraceClient, UpstreamDeliveriesAppearAsOutgoingHttpRelatedToTheConnection)
{
    EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    const wps::ConnectionString connection = emulator.connectionString();

    // Hub "up" sends `connected` to the emulator's own echo handler (/demo/echo, a real CloudEvents handler
    // over loopback), set through ARM as the console does.
    wps::arm::ArmClientOptions armOptions;
    armOptions.baseUrl = connection.endpoint();
    wps::arm::ArmClient arm(std::make_shared<wps::service::AccessKeyCredential>(connection.accessKey()),
                            armOptions);
    wps::arm::HubSettings settings;
    wps::arm::EventHandler handler;
    handler.urlTemplate =
        connection.endpoint().toString(QUrl::StripTrailingSlash) + u"/demo/echo/{event}?code=s3cret"_s;
    handler.systemEvents = {u"connected"_s};
    settings.eventHandlers = {handler};
    auto *job = arm.createOrUpdateHub(
        u"/subscriptions/local/resourceGroups/local/providers/Microsoft.SignalRService/webPubSub/emulator"_s,
        u"up"_s, settings);
    QSignalSpy put(job, &wps::arm::ArmJob::finished);
    ASSERT_TRUE(put.wait(10000));
    ASSERT_FALSE(job->hasError()) << job->error().toString().toStdString();

    TraceStore store;
    LiveTraceClient trace(&store, fastOptions());
    trace.start(connection);
    ASSERT_TRUE(QTest::qWaitFor([&] { return trace.state() == LiveTraceClient::State::Connected; }, 10000));

    wps::ClientTokenOptions tokenOptions;
    tokenOptions.userId = u"uma"_s;
    QWebSocket client;
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols({u"json.webpubsub.azure.v1"_s});
    QString connectionId;
    QObject::connect(
        &client, &QWebSocket::textMessageReceived, &client, [&connectionId](const QString &text) {
            if (connectionId.isEmpty())
                connectionId =
                    QJsonDocument::fromJson(text.toUtf8()).object().value(u"connectionId"_s).toString();
        });
    client.open(QNetworkRequest(wps::makeClientAccess(connection, u"up"_s, tokenOptions).url), handshake);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !connectionId.isEmpty(); }, 10000));

    // The validation (OPTIONS) and the `connected` delivery, as the service saw them: each one a request
    // row (out: the service sends it) and a response row (in) sharing "upstream:<connectionId>:<n>".
    QString correlation;
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return hasRecord(store, [&](const TraceRecordView &r) {
                const bool match = r.kind == Kind::Http && r.direction == Direction::In &&
                                   r.type == u"upstream connected"_s && r.connectionId == connectionId &&
                                   r.correlation.startsWith(u"upstream:"_s + connectionId + u':') &&
                                   r.status >= 200 && r.status < 300 &&
                                   r.detail.contains(u"/demo/echo/connected"_s);
                if (match)
                    correlation = r.correlation;
                return match;
            });
        },
        10000));
    EXPECT_TRUE(hasRecord(store, [&](const TraceRecordView &r) {
        return r.kind == Kind::Http && r.direction == Direction::Out && r.type == u"upstream connected"_s &&
               r.correlation == correlation && r.status == 0 &&
               QString::fromUtf8(r.payload).contains(u"ce-type: azure.webpubsub.sys.connected"_s) &&
               QString::fromUtf8(r.payload).contains(u"ce-signature: ***"_s);
    }));
    EXPECT_TRUE(hasRecord(store, [](const TraceRecordView &r) {
        return r.kind == Kind::Http && r.direction == Direction::Out &&
               r.type.startsWith(u"upstream validate"_s) && r.detail.startsWith(u"OPTIONS "_s);
    }));
    // The handler URL's query (it may hold a key) never reaches the trace.
    EXPECT_FALSE(hasRecord(store, [](const TraceRecordView &r) {
        return r.detail.contains(u"s3cret"_s) || QString::fromUtf8(r.payload).contains(u"s3cret"_s);
    }));
}
