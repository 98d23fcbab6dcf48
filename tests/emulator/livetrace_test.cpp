// The emulator's live trace hub (/livetrace): token checks, the SignalR JSON handshake and framing,
// templates on request, events with their category, context and correlation.
#include "protocol/jwt.h"
#include "support/emulatorprocess.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>

#include <gtest/gtest.h>

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

TEST(EmulatorLiveTrace, HandshakeTemplatesAndEvents)
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
