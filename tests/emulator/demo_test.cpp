// The emulator's demo routes (docs/demo.md) against the real emulator process: the chat page, the negotiate
// endpoint's scoped client URLs, and the echo event handler driven through a real hub configured over ARM,
// including after ARM regenerated the keys (upstream signatures must follow).
#include "live/liveclient.h"
#include "protocol/cloudevents.h"
#include "protocol/jwt.h"
#include "support/emulatorprocess.h"
#include "support/printers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using wps::test::EmulatorProcess;

namespace {

struct Reply
{
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers)
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

class DemoRoutesTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(m_emulator.start()) << m_emulator.errorText().toStdString(); }

    QUrl url(const QString &path, const QString &query = {}) const
    {
        QUrl url = m_emulator.endpoint();
        url.setPath(path);
        if (!query.isEmpty())
            url.setQuery(query);
        return url;
    }

    Reply call(const QByteArray &method, const QUrl &target, const QByteArray &body = {},
               const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        QNetworkRequest request(target);
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
        EXPECT_TRUE(QTest::qWaitFor([reply] { return reply->isFinished(); }, 15000));
        Reply answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.body = reply->readAll();
        answer.headers = reply->rawHeaderPairs();
        reply->deleteLater();
        return answer;
    }

    /// An ARM call with an access-key bearer token (docs/arm.md).
    Reply arm(const QByteArray &method, const QString &path, const QJsonObject &body = {})
    {
        const QUrl target = url(path, u"api-version=2024-03-01"_s);
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QByteArray token = wps::jwt::signHs256(
            QJsonObject{{u"aud"_s, target.toString()}, {u"iat"_s, now}, {u"exp"_s, now + 600}},
            m_key.isEmpty() ? m_emulator.connectionString().accessKey().toUtf8() : m_key);
        QList<QPair<QByteArray, QByteArray>> headers{{"Authorization", "Bearer " + token}};
        if (!body.isEmpty())
            headers.append(qMakePair("Content-Type"_ba, "application/json"_ba));
        return call(method, target, body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(), headers);
    }

    static QString resourcePath()
    {
        return u"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.SignalRService/webPubSub/emulator"_s;
    }

    /// Points hub "demo"'s event handler at the emulator's own echo route.
    void useEchoHandler()
    {
        const QString echo = url(u"/demo/echo"_s).toString() + u"/{event}"_s;
        const Reply put =
            arm("PUT", resourcePath() + u"/hubs/demo"_s,
                {{u"properties"_s,
                  QJsonObject{{u"eventHandlers"_s,
                               QJsonArray{QJsonObject{
                                   {u"urlTemplate"_s, echo},
                                   {u"userEventPattern"_s, u"*"_s},
                                   {u"systemEvents"_s, QJsonArray{u"connect"_s, u"connected"_s}}}}}}}});
        ASSERT_TRUE(put.status == 200 || put.status == 201) << put.body.toStdString();
    }

    /// A JSON-subprotocol live client on a negotiated URL; waits until it is connected.
    std::unique_ptr<wps::live::LiveClient> negotiatedClient(const QString &user, const QString &group)
    {
        const Reply negotiated =
            call("GET", url(u"/demo/negotiate"_s, u"hub=demo&userId=%1&group=%2"_s.arg(user, group)));
        EXPECT_EQ(negotiated.status, 200) << negotiated.body.toStdString();
        const QUrl clientUrl(negotiated.json().value(u"url"_s).toString());
        EXPECT_TRUE(clientUrl.isValid());
        auto client = std::make_unique<wps::live::LiveClient>(clientUrl, wps::live::Subprotocol::Json);
        QSignalSpy connected(client.get(), &wps::live::LiveClient::connected);
        client->start();
        EXPECT_TRUE(connected.count() > 0 || connected.wait(15000));
        return client;
    }

    static bool ackOk(wps::live::AckJob *job)
    {
        EXPECT_TRUE(QTest::qWaitFor([job] { return job->isFinished(); }, 15000));
        return job->succeeded();
    }

    EmulatorProcess m_emulator;
    QNetworkAccessManager m_network;
    QByteArray m_key;
};

} // namespace

TEST_F(DemoRoutesTest, ServesTheChatPage)
{
    const Reply page = call("GET", url(u"/demo/chat"_s));
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.header("Content-Type").startsWith("text/html"));
    EXPECT_TRUE(page.body.contains("json.webpubsub.azure.v1"));
    EXPECT_TRUE(page.body.contains("/demo/negotiate"));
    // No external resources: nothing is loaded from another origin.
    EXPECT_FALSE(page.body.contains("http://"));
    EXPECT_FALSE(page.body.contains("https://"));
    EXPECT_EQ(call("GET", url(u"/demo/nothing"_s)).status, 404);
    EXPECT_EQ(call("DELETE", url(u"/demo/chat"_s)).status, 405);
}

TEST_F(DemoRoutesTest, NegotiateGivesAClientUrlScopedToOneGroup)
{
    auto alice = negotiatedClient(u"alice"_s, u"room"_s);
    ASSERT_EQ(alice->state(), wps::live::State::Connected);
    EXPECT_EQ(alice->userId(), u"alice"_s);
    EXPECT_TRUE(ackOk(alice->joinGroup(u"room"_s)));
    EXPECT_TRUE(ackOk(alice->sendToGroup(u"room"_s, wps::messages::Payload::text(u"hi"_s))));
    // Only that group: the token carries no other role.
    EXPECT_FALSE(ackOk(alice->joinGroup(u"other"_s)));
    EXPECT_FALSE(ackOk(alice->sendToGroup(u"other"_s, wps::messages::Payload::text(u"hi"_s))));
    alice->stop();

    const Reply bad = call("GET", url(u"/demo/negotiate"_s, u"hub=demo&userId=bob&group=%20%20"_s));
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(call("GET", url(u"/demo/negotiate"_s, u"hub=1hub"_s)).status, 400);
    // The token is short-lived.
    const Reply ok = call("GET", url(u"/demo/negotiate"_s, u"userId=bob&group=room"_s));
    ASSERT_EQ(ok.status, 200);
    const QDateTime expires = QDateTime::fromString(ok.json().value(u"expiresAt"_s).toString(), Qt::ISODate);
    ASSERT_TRUE(expires.isValid());
    EXPECT_LE(QDateTime::currentDateTimeUtc().secsTo(expires), 15 * 60);
    EXPECT_TRUE(QUrl(ok.json().value(u"url"_s).toString()).path().endsWith(u"/client/hubs/demo"_s));
}

TEST_F(DemoRoutesTest, EchoHandlerAnswersValidationAndChecksSignatures)
{
    const Reply options = call("OPTIONS", url(u"/demo/echo/validate"_s), {},
                               {{"WebHook-Request-Origin", "127.0.0.1:1234"}, {"ce-awpsversion", "1.0"}});
    EXPECT_EQ(options.status, 200);
    EXPECT_EQ(options.header("WebHook-Allowed-Origin"), "127.0.0.1:1234"_ba);

    wps::cloudevents::EventAttributes event;
    event.kind = wps::cloudevents::EventKind::User;
    event.userEventName = u"echo"_s;
    event.hub = u"demo"_s;
    event.connectionId = u"conn1"_s;
    event.id = 1;
    const QByteArray key = m_emulator.connectionString().accessKey().toUtf8();
    auto signedHeaders =
        wps::cloudevents::buildHeaders(event, {key}, u"127.0.0.1"_s, "text/plain; charset=utf-8");
    const Reply echoed = call("POST", url(u"/demo/echo/echo"_s), "ping", signedHeaders);
    EXPECT_EQ(echoed.status, 200);
    EXPECT_EQ(echoed.body, "ping"_ba);
    EXPECT_TRUE(echoed.header("Content-Type").startsWith("text/plain"));

    auto wrongHeaders = wps::cloudevents::buildHeaders(event, {"not-the-key"_ba}, u"127.0.0.1"_s,
                                                       "text/plain; charset=utf-8");
    EXPECT_EQ(call("POST", url(u"/demo/echo/echo"_s), "ping", wrongHeaders).status, 401);
    EXPECT_EQ(call("POST", url(u"/demo/echo/echo"_s), "ping").status, 400);
}

TEST_F(DemoRoutesTest, EchoHandlerBehindAHubRepliesToUserEvents)
{
    useEchoHandler();
    auto alice = negotiatedClient(u"alice"_s, u"room"_s);
    ASSERT_EQ(alice->state(), wps::live::State::Connected); // connect went through the echo handler
    QSignalSpy replies(alice.get(), &wps::live::LiveClient::serverMessage);
    EXPECT_TRUE(ackOk(alice->sendEvent(u"echo"_s, wps::messages::Payload::text(u"marco"_s))));
    ASSERT_TRUE(replies.count() > 0 || replies.wait(15000));
    const auto reply = replies.first().first().value<wps::messages::DataMessage>();
    EXPECT_EQ(reply.data, wps::messages::Payload::text(u"marco"_s));
    alice->stop();
}

// Issue 6 leftover: after ARM regenerated both keys, upstream requests are signed with the new ones (the
// echo handler verifies with the current keys, as a handler reading listKeys would).
TEST_F(DemoRoutesTest, UpstreamSignaturesFollowRegeneratedKeys)
{
    useEchoHandler();
    for (const QString &type : {u"Primary"_s, u"Secondary"_s}) {
        const Reply regenerated = arm("POST", resourcePath() + u"/regenerateKey"_s, {{u"keyType"_s, type}});
        ASSERT_EQ(regenerated.status, 200) << regenerated.body.toStdString();
        m_key = regenerated.json().value(u"primaryKey"_s).toString().toUtf8();
    }
    ASSERT_NE(QString::fromUtf8(m_key), m_emulator.connectionString().accessKey());
    auto alice = negotiatedClient(u"alice"_s, u"room"_s); // connect is signed and checked too
    ASSERT_EQ(alice->state(), wps::live::State::Connected);
    QSignalSpy replies(alice.get(), &wps::live::LiveClient::serverMessage);
    EXPECT_TRUE(ackOk(alice->sendEvent(u"echo"_s, wps::messages::Payload::text(u"after"_s))));
    ASSERT_TRUE(replies.count() > 0 || replies.wait(15000));
    EXPECT_EQ(replies.first().first().value<wps::messages::DataMessage>().data,
              wps::messages::Payload::text(u"after"_s));
    alice->stop();
}
