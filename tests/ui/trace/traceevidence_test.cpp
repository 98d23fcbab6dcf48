// Every failure leaves a row in the Trace panel that says why: an outside client refused at the upgrade
// (from the service's live trace), the console's own client refused (never Qt's internal words), and an
// event handler answering 500 -- with its body in the row's payload. Against the real emulator and a
// loopback event handler written here.
#include "arm/armclient.h"
#include "live/liveclient.h"
#include "panels/trace/tracepanel.h"
#include "protocol/clienttoken.h"
#include "protocol/jwt.h"
#include "service/credential.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/faultserver.h"
#include "support/panelfixture.h"
#include "support/wait.h"
#include "trace/livetrace.h"
#include "trace/tracemodel.h"

#include <QDateTime>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using wps::trace::TraceModel;
using wps::ui::ConsoleSession;
using wps::ui::TracePanel;

namespace {

using wps::test::kWaitMs;

class TraceEvidenceTest : public wps::test::PanelTest<wps::ui::TracePanel>
{
protected:
    void prepareSession() override { m_session.setLiveTraceEnabled(true); }

    void panelReady() override
    {
        m_panel->resize(1200, 800);
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

    QString cell(int row, int column) const { return m_panel->model()->index(row, column).data().toString(); }

    /// Waits for a row that \a match accepts; returns it (-1 when none came).
    int findRow(const std::function<bool(int row)> &match)
    {
        int found = -1;
        (void)QTest::qWaitFor(
            [&] {
                m_panel->model()->flushNow();
                for (int row = 0; row < m_panel->model()->rowCount(); ++row) {
                    if (match(row)) {
                        found = row;
                        return true;
                    }
                }
                return false;
            },
            kWaitMs);
        return found;
    }

    /// Selects \a row and returns the detail pane's payload text.
    QString select(int row)
    {
        m_panel->view()->setCurrentIndex(m_panel->model()->index(row, 0));
        return m_panel->detailText();
    }

    /// A client URL for hub \a urlHub whose token was made for hub \a tokenHub.
    QUrl foreignTokenUrl(const QString &urlHub, const QString &tokenHub, const QString &user) const
    {
        QUrl audience = m_emulator.endpoint();
        audience.setPath(u"/client/hubs/"_s + tokenHub);
        const QByteArray token =
            wps::jwt::signHs256(QJsonObject{{u"aud"_s, audience.toString()},
                                            {u"sub"_s, user},
                                            {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 600}},
                                m_emulator.connectionString().accessKey().toUtf8());
        QUrl url = m_emulator.endpoint();
        url.setScheme(u"ws"_s);
        url.setPath(u"/client/hubs/"_s + urlHub);
        url.setQuery(u"access_token="_s + QString::fromLatin1(token));
        return url;
    }
};

} // namespace

TEST_F(TraceEvidenceTest, WrongAudienceOutsideClientLeavesARowWith401AndTheReason)
{
    QWebSocket outside; // a customer's client, not the console's: only the service's live trace sees it
    QSignalSpy failed(&outside, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
    outside.open(foreignTokenUrl(u"chat"_s, u"other"_s, u"mallory"_s));
    ASSERT_TRUE(failed.wait(kWaitMs));

    const int row = findRow([&](int r) {
        return cell(r, TraceModel::TypeColumn) == u"ConnectionRefused"_s &&
               cell(r, TraceModel::StatusColumn) == u"401"_s;
    });
    ASSERT_GE(row, 0);
    EXPECT_EQ(cell(row, TraceModel::HubColumn), u"chat"_s);
    EXPECT_EQ(cell(row, TraceModel::UserColumn), u"mallory"_s);
    const QString summary = cell(row, TraceModel::SummaryColumn);
    EXPECT_TRUE(summary.contains(u"401"_s)) << summary.toStdString();
    EXPECT_TRUE(summary.contains(u"The token's audience does not match this hub."_s))
        << summary.toStdString();
    EXPECT_TRUE(select(row).contains(u"audience"_s)) << m_panel->detailText().toStdString();
}

TEST_F(TraceEvidenceTest, ConsolesOwnRefusedClientShowsStatusAndTheServicesReason)
{
    wps::live::LiveClient client(foreignTokenUrl(u"chat"_s, u"other"_s, u"mallory"_s),
                                 wps::live::Subprotocol::Json);
    wps::live::LiveClientSettings settings;
    settings.pingInterval = 0ms;
    settings.autoReconnect = false;
    // The service's words come from a replay of the refused upgrade, bounded by 5 s in the product: a
    // loaded test machine (ASan, parallel tests) must not turn that bound into a missing reason.
    settings.refusalProbeTimeout = std::chrono::milliseconds(kWaitMs);
    client.setSettings(settings);
    m_session.traceLiveClient(&client, u"chat"_s);
    QSignalSpy stopped(&client, &wps::live::LiveClient::stopped);
    client.start();
    ASSERT_TRUE(stopped.wait(kWaitMs));
    EXPECT_EQ(client.refusedStatus(), 401);
    EXPECT_TRUE(client.lastReason().contains(u"401"_s)) << client.lastReason().toStdString();
    EXPECT_TRUE(client.lastReason().contains(u"The token's audience does not match this hub."_s))
        << client.lastReason().toStdString();
    EXPECT_FALSE(client.lastReason().contains(u"QWebSocket"_s)) << client.lastReason().toStdString();

    const int row = findRow([&](int r) {
        return cell(r, TraceModel::TypeColumn) == u"refused"_s &&
               cell(r, TraceModel::StatusColumn) == u"401"_s;
    });
    ASSERT_GE(row, 0);
    const QString summary = cell(row, TraceModel::SummaryColumn);
    EXPECT_TRUE(summary.contains(u"audience"_s)) << summary.toStdString();
    EXPECT_FALSE(summary.contains(u"QWebSocketPrivate"_s)) << summary.toStdString();
    const QString payload = select(row);
    EXPECT_TRUE(payload.contains(u"Unauthorized"_s)) << payload.toStdString();
    // The token is in the URL the client used, never in a row.
    const QString token = QUrlQuery(foreignTokenUrl(u"chat"_s, u"other"_s, u"mallory"_s))
                              .queryItemValue(u"access_token"_s)
                              .left(40);
    for (int r = 0; r < m_panel->model()->rowCount(); ++r) {
        EXPECT_FALSE(cell(r, TraceModel::SummaryColumn).contains(token));
        EXPECT_FALSE(select(r).contains(token));
    }
}

TEST_F(TraceEvidenceTest, HandlerAnswering500ShowsItsJsonBodyInTheRow)
{
    using Response = wps::test::FaultServer::Response;
    wps::test::FaultServer handler;
    const quint16 handlerPort = handler.listen();
    ASSERT_NE(handlerPort, 0);
    handler.enqueue(Response::answer(200, {}, {{"WebHook-Allowed-Origin", "*"}})); // abuse protection
    handler.setDefault(Response::answer(500, R"({"error":"database unavailable","retryable":true})",
                                        {{"Content-Type", "application/json"}}));

    // Hub "up" sends `connected` to the handler, set through ARM as the Hubs panel does.
    const wps::ConnectionString connection = m_emulator.connectionString();
    wps::arm::ArmClientOptions armOptions;
    armOptions.baseUrl = connection.endpoint();
    wps::arm::ArmClient arm(std::make_shared<wps::service::AccessKeyCredential>(connection.accessKey()),
                            armOptions);
    wps::arm::HubSettings hubSettings;
    wps::arm::EventHandler eventHandler;
    eventHandler.urlTemplate = u"http://127.0.0.1:%1/handler/{event}"_s.arg(handlerPort);
    eventHandler.systemEvents = {u"connected"_s};
    hubSettings.eventHandlers = {eventHandler};
    auto *job = arm.createOrUpdateHub(
        u"/subscriptions/local/resourceGroups/local/providers/Microsoft.SignalRService/webPubSub/emulator"_s,
        u"up"_s, hubSettings);
    QSignalSpy put(job, &wps::arm::ArmJob::finished);
    ASSERT_TRUE(put.wait(kWaitMs));
    ASSERT_FALSE(job->hasError()) << job->error().toString().toStdString();

    wps::ClientTokenOptions token;
    token.userId = u"uma"_s;
    QWebSocket client;
    QSignalSpy opened(&client, &QWebSocket::connected);
    client.open(QNetworkRequest(wps::makeClientAccess(connection, u"up"_s, token).url));
    ASSERT_TRUE(opened.wait(kWaitMs));

    // The handler's answer: status 500 and its JSON body, in the response row.
    const int response = findRow([&](int r) {
        return cell(r, TraceModel::TypeColumn) == u"upstream connected"_s &&
               cell(r, TraceModel::StatusColumn) == u"500"_s;
    });
    ASSERT_GE(response, 0);
    const QString answer = select(response);
    EXPECT_TRUE(answer.contains(u"database unavailable"_s)) << answer.toStdString();
    // The request the service sent, in its own row: the CloudEvents headers, the signature masked.
    const int request = findRow([&](int r) {
        return cell(r, TraceModel::TypeColumn) == u"upstream connected"_s &&
               cell(r, TraceModel::StatusColumn).isEmpty() &&
               cell(r, TraceModel::SummaryColumn).contains(u"/handler/connected"_s);
    });
    ASSERT_GE(request, 0);
    const QString sent = select(request);
    EXPECT_TRUE(sent.contains(u"ce-type"_s)) << sent.toStdString();
    EXPECT_TRUE(sent.contains(u"azure.webpubsub.sys.connected"_s)) << sent.toStdString();
    EXPECT_FALSE(handler.requests().isEmpty());
    for (const QByteArray &head : handler.requests()) {
        const qsizetype at = head.toLower().indexOf("ce-signature:");
        if (at < 0)
            continue;
        const QByteArray value = head.mid(at + 13, head.indexOf('\r', at) - at - 13).trimmed();
        EXPECT_FALSE(sent.contains(QString::fromLatin1(value)));
    }
}
