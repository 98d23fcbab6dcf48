// The emulator's live trace hub (/livetrace): token checks, the SignalR JSON handshake and framing,
// templates on request, events with their category, context and correlation.
#include "emulator/emulator.h"
#include "protocol/jwt.h"
#include "support/emulatorprocess.h"
#include "support/faultserver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <gtest/gtest.h>

#include <functional>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using wps::test::EmulatorProcess;

namespace {

QByteArray traceToken(const EmulatorProcess &emulator, const QString &key,
                      const QString &audiencePath = u"/livetrace"_s, qint64 lifetime = 3600)
{
    QUrl audience = emulator.endpoint();
    audience.setPath(audiencePath);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return wps::jwt::signHs256(QJsonObject{{u"aud"_s, audience.toString()}, {u"exp"_s, now + lifetime}},
                               key.toUtf8());
}

QUrl traceUrl(const EmulatorProcess &emulator, const QByteArray &token)
{
    QUrl url = emulator.endpoint();
    url.setScheme(u"ws"_s);
    url.setPath(u"/livetrace"_s);
    if (!token.isEmpty())
        url.setQuery(u"access_token="_s + QString::fromLatin1(token));
    return url;
}

/// A test-side hub client: collects every record (split at 0x1e) it receives.
struct HubClient
{
    QWebSocket socket;
    QList<QJsonObject> records;
    QStringList errors;

    HubClient()
    {
        QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket, [this](const QString &text) {
            const QByteArray bytes = text.toUtf8();
            for (const QByteArray &part : bytes.split('\x1e'))
                if (!part.isEmpty())
                    records << QJsonDocument::fromJson(part).object();
        });
        QObject::connect(&socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), &socket,
                         [this](QAbstractSocket::SocketError) { errors << socket.errorString(); });
    }
    void send(const QByteArray &records) { socket.sendTextMessage(QString::fromUtf8(records)); }
    bool waitRecords(qsizetype n)
    {
        return QTest::qWaitFor([&] { return records.size() >= n; }, 10000);
    }
};

} // namespace

TEST(EmulatorLiveTrace, RefusesMissingBadAndForeignTokensWith401)
{
    EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    const QString key = emulator.connectionString().accessKey();
    const QList<QByteArray> tokens{QByteArray(), traceToken(emulator, u"wrong"_s),
                                   traceToken(emulator, key, u"/client/hubs/h"_s),
                                   traceToken(emulator, key, u"/livetrace"_s, -3600)};
    for (const QByteArray &token : tokens) {
        HubClient client;
        client.socket.open(traceUrl(emulator, token));
        ASSERT_TRUE(QTest::qWaitFor([&] { return !client.errors.isEmpty(); }, 10000));
        EXPECT_TRUE(client.errors.first().contains(u"401"_s)) << client.errors.first().toStdString();
        EXPECT_NE(client.socket.state(), QAbstractSocket::ConnectedState);
    }
}

TEST(EmulatorLiveTrace, TheHandshakeGivesTemplatesAndARestCallIsTracedWithoutSecrets)
{
    EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    const QString key = emulator.connectionString().accessKey();
    HubClient client;
    QSignalSpy connected(&client.socket, &QWebSocket::connected);
    client.socket.open(traceUrl(emulator, traceToken(emulator, key)));
    ASSERT_TRUE(connected.wait(10000));
    // Handshake, then two invocations batched in one WebSocket message.
    client.send("{\"protocol\":\"json\",\"version\":1}\x1e");
    ASSERT_TRUE(client.waitRecords(1));
    EXPECT_TRUE(client.records.at(0).isEmpty()); // {} = accepted
    client.send("{\"type\":1,\"target\":\"startListeningToLogEvents\",\"arguments\":[]}\x1e"
                "{\"type\":1,\"target\":\"LogProperty\",\"arguments\":[3001]}\x1e{\"type\":6}\x1e");
    ASSERT_TRUE(client.waitRecords(2));
    const QJsonObject property = client.records.at(1);
    EXPECT_EQ(property.value(u"type"_s).toInt(), 1);
    EXPECT_EQ(property.value(u"target"_s).toString(), u"LogProperty"_s);
    const QJsonObject propertyArg = property.value(u"arguments"_s).toArray().at(0).toObject();
    EXPECT_EQ(propertyArg.value(u"eventId"_s).toInt(), 3001);
    EXPECT_TRUE(propertyArg.value(u"template"_s).toString().contains(u"{statusCode}"_s));

    // A REST call is traced with its path (no query: no signature), status and request id.
    QUrl url = emulator.endpoint();
    url.setPath(u"/api/hubs/hub1/:send"_s);
    url.setQuery(u"api-version=2024-12-01"_s);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QByteArray rest =
        wps::jwt::signHs256(QJsonObject{{u"aud"_s, url.toString()}, {u"exp"_s, now + 600}}, key.toUtf8());
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + rest);
    request.setRawHeader("x-ms-client-request-id", "rid-7");
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"text/plain"_s);
    QNetworkReply *reply = network.post(request, "x"_ba);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    ASSERT_TRUE(finished.wait(10000));
    EXPECT_EQ(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202);
    EXPECT_EQ(reply->rawHeader("x-ms-request-id"), "rid-7"_ba);
    reply->deleteLater();

    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            for (const QJsonObject &r : std::as_const(client.records))
                if (r.value(u"target"_s).toString() == u"logEvent"_s)
                    return true;
            return false;
        },
        10000));
    QJsonObject event;
    for (const QJsonObject &r : std::as_const(client.records))
        if (r.value(u"target"_s).toString() == u"logEvent"_s)
            event = r.value(u"arguments"_s).toArray().at(0).toObject();
    EXPECT_EQ(event.value(u"eventId"_s).toInt(), 3001);
    const QJsonObject context = event.value(u"logContext"_s).toObject();
    EXPECT_EQ(context.value(u"category"_s).toString(), u"HttpRequestLogs"_s);
    EXPECT_EQ(context.value(u"hub"_s).toString(), u"hub1"_s);
    EXPECT_EQ(context.value(u"traceId"_s).toString(), u"rid-7"_s);
    EXPECT_EQ(context.value(u"statusCode"_s).toString(), u"202"_s);
    EXPECT_EQ(context.value(u"url"_s).toString(), u"/api/hubs/hub1/:send"_s);
    // A send says what it reached: nobody, and why.
    EXPECT_EQ(context.value(u"deliveredCount"_s).toString(), u"0"_s);
    EXPECT_EQ(context.value(u"deliveryNote"_s).toString(), u"hub hub1 has no connections"_s);
    const QByteArray all = QJsonDocument(event).toJson();
    EXPECT_FALSE(all.contains(rest));
    EXPECT_FALSE(all.contains("api-version"));
}

TEST(EmulatorLiveTrace, UnsupportedProtocolGetsAnErrorRecord)
{
    EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    HubClient client;
    QSignalSpy connected(&client.socket, &QWebSocket::connected);
    QSignalSpy disconnected(&client.socket, &QWebSocket::disconnected);
    client.socket.open(traceUrl(emulator, traceToken(emulator, emulator.connectionString().accessKey())));
    ASSERT_TRUE(connected.wait(10000));
    client.send("{\"protocol\":\"messagepack\",\"version\":1}\x1e");
    ASSERT_TRUE(client.waitRecords(1));
    EXPECT_FALSE(client.records.at(0).value(u"error"_s).toString().isEmpty());
    // The server closes after the error record (the signal may already have come while waiting above).
    EXPECT_TRUE(QTest::qWaitFor([&] { return !disconnected.isEmpty(); }, 10000));
}

namespace {

/// A hub client that has done the handshake and listens (the completion of startListeningToLogEvents
/// arrived); \a url is the live trace URL with its token.
bool listen(HubClient &client, const QUrl &url)
{
    QSignalSpy connected(&client.socket, &QWebSocket::connected);
    client.socket.open(url);
    if (!connected.wait(10000))
        return false;
    client.send("{\"protocol\":\"json\",\"version\":1}\x1e");
    if (!client.waitRecords(1))
        return false;
    client.send(
        "{\"type\":1,\"invocationId\":\"1\",\"target\":\"startListeningToLogEvents\",\"arguments\":[]}\x1e");
    return QTest::qWaitFor(
        [&] {
            for (const QJsonObject &r : std::as_const(client.records))
                if (r.value(u"type"_s).toInt() == 3)
                    return true;
            return false;
        },
        10000);
}

/// The first logEvent argument with \a eventId that \a accept takes (empty object when none).
QJsonObject logEvent(const HubClient &client, int eventId,
                     const std::function<bool(const QJsonObject &)> &accept = nullptr)
{
    for (const QJsonObject &r : std::as_const(client.records)) {
        if (r.value(u"target"_s).toString() != u"logEvent"_s)
            continue;
        for (const QJsonValue &argument : r.value(u"arguments"_s).toArray()) {
            const QJsonObject data = argument.toObject();
            if (data.value(u"eventId"_s).toInt() == eventId && (!accept || accept(data)))
                return data;
        }
    }
    return {};
}

} // namespace

TEST(EmulatorLiveTrace, RefusedUpgradeIsAConnectionRefusedRecordWithStatusAndReason)
{
    EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    const QString key = emulator.connectionString().accessKey();
    HubClient trace;
    ASSERT_TRUE(listen(trace, traceUrl(emulator, traceToken(emulator, key))));

    // An outside client with a token made for hub "other", on hub "chat".
    QUrl audience = emulator.endpoint();
    audience.setPath(u"/client/hubs/other"_s);
    const QByteArray token =
        wps::jwt::signHs256(QJsonObject{{u"aud"_s, audience.toString()},
                                        {u"sub"_s, u"mallory"_s},
                                        {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 600}},
                            key.toUtf8());
    QUrl url = emulator.endpoint();
    url.setScheme(u"ws"_s);
    url.setPath(u"/client/hubs/chat"_s);
    url.setQuery(u"access_token="_s + QString::fromLatin1(token));
    QWebSocket outside;
    QSignalSpy failed(&outside, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({u"json.webpubsub.azure.v1"_s});
    outside.open(QNetworkRequest(url), options);
    ASSERT_TRUE(failed.wait(10000));

    ASSERT_TRUE(QTest::qWaitFor([&] { return !logEvent(trace, 1004).isEmpty(); }, 10000));
    const QJsonObject data = logEvent(trace, 1004);
    const QJsonObject context = data.value(u"logContext"_s).toObject();
    EXPECT_EQ(context.value(u"category"_s).toString(), u"ConnectivityLogs"_s);
    EXPECT_EQ(context.value(u"statusCode"_s).toString(), u"401"_s);
    EXPECT_EQ(context.value(u"reason"_s).toString(), u"The token's audience does not match this hub."_s);
    EXPECT_EQ(context.value(u"hub"_s).toString(), u"chat"_s);
    EXPECT_EQ(context.value(u"userId"_s).toString(), u"mallory"_s);
    EXPECT_EQ(context.value(u"subprotocol"_s).toString(), u"json.webpubsub.azure.v1"_s);
    EXPECT_EQ(context.value(u"url"_s).toString(), u"/client/hubs/chat"_s);
    EXPECT_FALSE(QJsonDocument(data).toJson().contains(token)); // the path only: never the query
}

TEST(EmulatorLiveTrace, UpstreamRecordCarriesTheWholeExchangeWithTheSignatureMasked)
{
    using Response = wps::test::FaultServer::Response;
    wps::test::FaultServer handler;
    const quint16 handlerPort = handler.listen();
    ASSERT_NE(handlerPort, 0);
    handler.enqueue(Response::answer(200, {}, {{"WebHook-Allowed-Origin", "*"}})); // validation
    handler.setDefault(Response::answer(500, R"({"error":"db down","code":42})",
                                        {{"Content-Type", "application/json"}, {"X-Handler", "one"}}));
    wps::emulator::EmulatorOptions options;
    options.accessKey = u"livetrace-test-key-0123456789abcdefghijkl"_s;
    options.upstream.retryDelays = {std::chrono::milliseconds(10)}; // two attempts, quickly
    options.config.hubs[u"chat"_s].eventHandlers.append(
        {u"http://127.0.0.1:%1/upstream/{event}?code=s3cret"_s.arg(handlerPort), u""_s, {u"connected"_s}});
    wps::emulator::Emulator emulator(options);
    const auto port = emulator.start();
    ASSERT_TRUE(port);
    const QString authority = u"127.0.0.1:%1"_s.arg(*port);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    HubClient trace;
    const QByteArray traceJwt = wps::jwt::signHs256(
        QJsonObject{{u"aud"_s, QString(u"http://"_s + authority + u"/livetrace"_s)}, {u"exp"_s, now + 600}},
        options.accessKey.toUtf8());
    ASSERT_TRUE(listen(
        trace, QUrl(u"ws://"_s + authority + u"/livetrace?access_token="_s + QString::fromLatin1(traceJwt))));

    const QByteArray clientJwt = wps::jwt::signHs256(
        QJsonObject{{u"aud"_s, QString(u"http://"_s + authority + u"/client/hubs/chat"_s)},
                    {u"sub"_s, u"uma"_s},
                    {u"exp"_s, now + 600}},
        options.accessKey.toUtf8());
    QWebSocket client;
    client.open(
        QUrl(u"ws://"_s + authority + u"/client/hubs/chat?access_token="_s + QString::fromLatin1(clientJwt)));

    auto connectedAttempt = [&](int attempt) {
        return logEvent(trace, 3002, [attempt](const QJsonObject &data) {
            const QJsonObject c = data.value(u"logContext"_s).toObject();
            return c.value(u"event"_s).toString() == u"connected"_s &&
                   c.value(u"attempt"_s).toString() == QString::number(attempt);
        });
    };
    ASSERT_TRUE(QTest::qWaitFor([&] { return !connectedAttempt(2).isEmpty(); }, 10000));
    const QJsonObject first = connectedAttempt(1).value(u"logContext"_s).toObject();
    const QJsonObject second = connectedAttempt(2).value(u"logContext"_s).toObject();
    EXPECT_EQ(first.value(u"statusCode"_s).toString(), u"500"_s);
    EXPECT_EQ(first.value(u"httpMethod"_s).toString(), u"POST"_s);
    EXPECT_EQ(first.value(u"url"_s).toString(),
              u"http://127.0.0.1:%1/upstream/connected?…"_s.arg(handlerPort));
    const QJsonObject requestHeaders = first.value(u"requestHeaders"_s).toObject();
    EXPECT_EQ(requestHeaders.value(u"ce-type"_s).toString(), u"azure.webpubsub.sys.connected"_s);
    EXPECT_EQ(requestHeaders.value(u"ce-userId"_s).toString(), u"uma"_s);
    EXPECT_EQ(requestHeaders.value(u"ce-signature"_s).toString(), u"***"_s);
    EXPECT_FALSE(requestHeaders.value(u"ce-connectionId"_s).toString().isEmpty());
    EXPECT_EQ(first.value(u"requestBody"_s).toString(), u"{}"_s);
    EXPECT_EQ(first.value(u"requestBodySize"_s).toString(), u"2"_s);
    EXPECT_EQ(first.value(u"responseBody"_s).toString(), uR"({"error":"db down","code":42})"_s);
    EXPECT_EQ(first.value(u"responseHeaders"_s).toObject().value(u"X-Handler"_s).toString(), u"one"_s);
    EXPECT_NE(first.value(u"exchangeId"_s).toString(), second.value(u"exchangeId"_s).toString());
    // The validation is an exchange too (no connection), with the handler's allowed origin.
    const QJsonObject validation =
        logEvent(trace, 3002,
                 [](const QJsonObject &data) {
                     return data.value(u"logContext"_s).toObject().value(u"event"_s).toString() ==
                            u"validate"_s;
                 })
            .value(u"logContext"_s)
            .toObject();
    EXPECT_EQ(validation.value(u"httpMethod"_s).toString(), u"OPTIONS"_s);
    EXPECT_EQ(validation.value(u"responseHeaders"_s).toObject().value(u"WebHook-Allowed-Origin"_s).toString(),
              u"*"_s);
    // Neither the handler URL's key nor the signature's value is in any record.
    const QByteArray signature = handler.requests().value(1);
    for (const QJsonObject &r : std::as_const(trace.records)) {
        const QByteArray text = QJsonDocument(r).toJson();
        EXPECT_FALSE(text.contains("s3cret"));
        EXPECT_FALSE(text.contains(clientJwt));
    }
    const qsizetype at = signature.toLower().indexOf("ce-signature:");
    ASSERT_GE(at, 0);
    const QByteArray value = signature.mid(at + 13, signature.indexOf('\r', at) - at - 13).trimmed();
    ASSERT_FALSE(value.isEmpty());
    for (const QJsonObject &r : std::as_const(trace.records))
        EXPECT_FALSE(QJsonDocument(r).toJson().contains(value));
}

TEST(EmulatorLiveTrace, HugeHandlerResponseHeadersAreAnUpstreamRecordThatSaysSo)
{
    using Response = wps::test::FaultServer::Response;
    wps::test::FaultServer handler;
    const quint16 handlerPort = handler.listen();
    ASSERT_NE(handlerPort, 0);
    handler.enqueue(Response::answer(200, {}, {{"WebHook-Allowed-Origin", "*"}})); // validation
    QList<QPair<QByteArray, QByteArray>> huge; // 100 KiB of headers, over the 64 KiB bound
    for (int i = 0; i < 2000; ++i)
        huge.append({"X-Filler-" + QByteArray::number(i), QByteArray(40, 'h')});
    handler.setDefault(Response::answer(200, {}, huge));
    wps::emulator::EmulatorOptions options;
    options.accessKey = u"livetrace-test-key-0123456789abcdefghijkl"_s;
    options.config.hubs[u"chat"_s].eventHandlers.append(
        {u"http://127.0.0.1:%1/upstream/{event}"_s.arg(handlerPort), u""_s, {u"connected"_s}});
    wps::emulator::Emulator emulator(options);
    const auto port = emulator.start();
    ASSERT_TRUE(port);
    const QString authority = u"127.0.0.1:%1"_s.arg(*port);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    HubClient trace;
    const QByteArray traceJwt = wps::jwt::signHs256(
        QJsonObject{{u"aud"_s, QString(u"http://"_s + authority + u"/livetrace"_s)}, {u"exp"_s, now + 600}},
        options.accessKey.toUtf8());
    ASSERT_TRUE(listen(
        trace, QUrl(u"ws://"_s + authority + u"/livetrace?access_token="_s + QString::fromLatin1(traceJwt))));
    const QByteArray clientJwt = wps::jwt::signHs256(
        QJsonObject{{u"aud"_s, QString(u"http://"_s + authority + u"/client/hubs/chat"_s)},
                    {u"sub"_s, u"uma"_s},
                    {u"exp"_s, now + 600}},
        options.accessKey.toUtf8());
    QWebSocket client;
    client.open(
        QUrl(u"ws://"_s + authority + u"/client/hubs/chat?access_token="_s + QString::fromLatin1(clientJwt)));

    auto connected = [&] {
        return logEvent(trace, 3002, [](const QJsonObject &data) {
            return data.value(u"logContext"_s).toObject().value(u"event"_s).toString() == u"connected"_s;
        });
    };
    ASSERT_TRUE(QTest::qWaitFor([&] { return !connected().isEmpty(); }, 10000));
    const QJsonObject record = connected().value(u"logContext"_s).toObject();
    EXPECT_EQ(record.value(u"error"_s).toString(), u"The handler's response headers exceed 64 KiB."_s);
    EXPECT_EQ(record.value(u"attempt"_s).toString(), u"1"_s);             // not retried
    EXPECT_TRUE(record.value(u"responseHeaders"_s).toObject().isEmpty()); // none of the head is kept
}

TEST(EmulatorLiveTrace, ConnectHandlerRefusalIsARefusedRecordWithTheHandlersWords)
{
    using Response = wps::test::FaultServer::Response;
    wps::test::FaultServer handler;
    const quint16 handlerPort = handler.listen();
    ASSERT_NE(handlerPort, 0);
    handler.enqueue(Response::answer(200, {}, {{"WebHook-Allowed-Origin", "*"}})); // validation
    handler.setDefault(
        Response::answer(403, R"({"message":"user uma is banned"})", {{"Content-Type", "application/json"}}));
    wps::emulator::EmulatorOptions options;
    options.accessKey = u"livetrace-test-key-0123456789abcdefghijkl"_s;
    options.config.hubs[u"chat"_s].eventHandlers.append(
        {u"http://127.0.0.1:%1/upstream/{event}"_s.arg(handlerPort), u""_s, {u"connect"_s}});
    wps::emulator::Emulator emulator(options);
    const auto port = emulator.start();
    ASSERT_TRUE(port);
    const QString authority = u"127.0.0.1:%1"_s.arg(*port);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    HubClient trace;
    const QByteArray traceJwt = wps::jwt::signHs256(
        QJsonObject{{u"aud"_s, QString(u"http://"_s + authority + u"/livetrace"_s)}, {u"exp"_s, now + 600}},
        options.accessKey.toUtf8());
    ASSERT_TRUE(listen(
        trace, QUrl(u"ws://"_s + authority + u"/livetrace?access_token="_s + QString::fromLatin1(traceJwt))));
    const QByteArray clientJwt = wps::jwt::signHs256(
        QJsonObject{{u"aud"_s, QString(u"http://"_s + authority + u"/client/hubs/chat"_s)},
                    {u"sub"_s, u"uma"_s},
                    {u"exp"_s, now + 600}},
        options.accessKey.toUtf8());
    QWebSocket client;
    QSignalSpy failed(&client, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
    client.open(
        QUrl(u"ws://"_s + authority + u"/client/hubs/chat?access_token="_s + QString::fromLatin1(clientJwt)));
    ASSERT_TRUE(failed.wait(10000));
    EXPECT_TRUE(client.errorString().contains(u"403"_s)) << client.errorString().toStdString();

    ASSERT_TRUE(QTest::qWaitFor([&] { return !logEvent(trace, 1004).isEmpty(); }, 10000));
    const QJsonObject context = logEvent(trace, 1004).value(u"logContext"_s).toObject();
    EXPECT_EQ(context.value(u"statusCode"_s).toString(), u"403"_s);
    EXPECT_EQ(context.value(u"reason"_s).toString(), uR"({"message":"user uma is banned"})"_s);
    EXPECT_EQ(context.value(u"userId"_s).toString(), u"uma"_s);
    // The connect call itself is an upstream record with the handler's answer.
    const QJsonObject connect =
        logEvent(trace, 3002,
                 [](const QJsonObject &data) {
                     return data.value(u"logContext"_s).toObject().value(u"event"_s).toString() ==
                            u"connect"_s;
                 })
            .value(u"logContext"_s)
            .toObject();
    EXPECT_EQ(connect.value(u"statusCode"_s).toString(), u"403"_s);
    EXPECT_TRUE(connect.value(u"requestBody"_s).toString().contains(u"claims"_s));
}

namespace {

/// A reliable JSON client's recovery as the live trace sees it: an emulator on port 0 with a listening trace
/// client, and a reliable client on hub "chat" that is connected and can be dropped and recovered.
class EmulatorLiveTraceRecovery : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_options.accessKey = u"livetrace-test-key-0123456789abcdefghijkl"_s;
        m_emulator = std::make_unique<wps::emulator::Emulator>(m_options);
        const auto port = m_emulator->start();
        ASSERT_TRUE(port);
        m_authority = u"127.0.0.1:%1"_s.arg(*port);
        ASSERT_TRUE(listen(m_trace, QUrl(u"ws://"_s + m_authority + u"/livetrace?access_token="_s +
                                         QString::fromLatin1(sign(u"/livetrace"_s)))));
        m_reliable.setSubprotocols({u"json.reliable.webpubsub.azure.v1"_s});
        QObject::connect(&m_first, &QWebSocket::textMessageReceived, &m_first,
                         [this](const QString &text) { m_texts << text; });
        m_first.open(QNetworkRequest(QUrl(u"ws://"_s + m_authority + u"/client/hubs/chat?access_token="_s +
                                          QString::fromLatin1(sign(u"/client/hubs/chat"_s)))),
                     m_reliable);
        ASSERT_TRUE(QTest::qWaitFor([&] { return !m_texts.isEmpty(); }, 10000));
        m_connected = QJsonDocument::fromJson(m_texts.constFirst().toUtf8()).object();
        m_id = m_connected.value(u"connectionId"_s).toString();
    }

    /// A token for \a audience, signed with this emulator's key.
    QByteArray signFor(const QString &audience) const
    {
        return wps::jwt::signHs256(
            QJsonObject{{u"aud"_s, audience}, {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 600}},
            m_options.accessKey.toUtf8());
    }
    /// A token for \a path of this emulator.
    QByteArray sign(const QString &path) const { return signFor(u"http://"_s + m_authority + path); }

    /// Opens \a again as the recovery of the first client's connection.
    void recover(QWebSocket &again)
    {
        again.open(
            QNetworkRequest(QUrl(u"ws://"_s + m_authority + u"/client/hubs/chat?awps_connection_id="_s +
                                 m_id + u"&awps_reconnection_token="_s +
                                 m_connected.value(u"reconnectionToken"_s).toString())),
            m_reliable);
    }

    wps::emulator::EmulatorOptions m_options;
    std::unique_ptr<wps::emulator::Emulator> m_emulator;
    QString m_authority;
    HubClient m_trace;
    QWebSocketHandshakeOptions m_reliable;
    QWebSocket m_first;
    QStringList m_texts;
    QJsonObject m_connected;
    QString m_id;
};

} // namespace

TEST_F(EmulatorLiveTraceRecovery, RecoveryRecordCountsMessagesDroppedForTheirTtl)
{
    m_first.abort();
    QNetworkAccessManager nam;
    const QUrl send(u"http://"_s + m_authority + u"/api/hubs/chat/connections/"_s + m_id +
                    u"/:send?api-version=2024-12-01&messageTtlSeconds=1"_s);
    QNetworkRequest request(send);
    request.setRawHeader("Content-Type", "text/plain");
    request.setRawHeader("Authorization", "Bearer " + signFor(send.toString(QUrl::FullyEncoded)));
    QNetworkReply *reply = nam.post(request, QByteArray("short-lived"));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    ASSERT_TRUE(finished.wait(10000));
    EXPECT_EQ(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202);
    reply->deleteLater();

    // Outlive the 1 s TTL on a timer this test owns, then recover.
    QTimer ttlPassed;
    ttlPassed.setSingleShot(true);
    QSignalSpy passed(&ttlPassed, &QTimer::timeout);
    ttlPassed.start(1200);
    ASSERT_TRUE(passed.wait(5000));
    QWebSocket again;
    recover(again);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !logEvent(m_trace, 1003).isEmpty(); }, 10000));
    const QJsonObject context = logEvent(m_trace, 1003).value(u"logContext"_s).toObject();
    EXPECT_EQ(context.value(u"connectionId"_s).toString(), m_id);
    EXPECT_EQ(context.value(u"expiredMessageCount"_s).toString(), u"1"_s);
}

TEST_F(EmulatorLiveTraceRecovery, FramesOnARecoveredSocketAreTracedLikeThoseOnTheFirst)
{
    const auto received = [&](int ackId) {
        return logEvent(m_trace, 2001, [&](const QJsonObject &data) {
            return data.value(u"logContext"_s).toObject().value(u"traceId"_s).toString() ==
                   u"ack:%1:%2"_s.arg(m_id).arg(ackId);
        });
    };
    m_first.sendTextMessage(
        uR"({"type":"sendToGroup","group":"room","dataType":"text","data":"a","ackId":1})"_s);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !received(1).isEmpty(); }, 10000));
    m_first.abort();

    // The recovered connection's frames arrive on a new socket: the trace sees them too.
    QWebSocket again;
    QSignalSpy recovered(&again, &QWebSocket::connected);
    recover(again);
    ASSERT_TRUE(recovered.wait(10000));
    again.sendTextMessage(
        uR"({"type":"sendToGroup","group":"room","dataType":"text","data":"b","ackId":2})"_s);
    EXPECT_TRUE(QTest::qWaitFor([&] { return !received(2).isEmpty(); }, 10000));
    EXPECT_EQ(received(2).value(u"logContext"_s).toObject().value(u"connectionId"_s).toString(), m_id);
}
