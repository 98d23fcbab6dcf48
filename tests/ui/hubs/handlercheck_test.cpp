// Hubs > Validate handler against loopback handlers written here: the abuse-protection OPTIONS goes out with
// the service's origin, the verdict says exactly why it passes or fails, and the exchange is in the trace.
#include "panels/hubs/handlercheckbox.h"
#include "panels/hubs/hubspanel.h"
#include "service/handlercheck.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/faultserver.h"
#include "support/panelfixture.h"
#include "support/wait.h"
#include "support/widgets.h"
#include "trace/tracestore.h"

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using wps::test::FaultServer;

namespace {

using wps::test::child;

using wps::test::kWaitMs;

class HandlerCheckTest : public wps::test::PanelTest<wps::ui::HubsPanel>
{
protected:
    void panelReady() override { m_port = m_handler.listen(); }

    /// Types \a url into the section, clicks Validate and waits for the verdict.
    std::pair<bool, QString> validate(const QString &url)
    {
        auto *box = m_panel->handlerCheck();
        EXPECT_NE(box, nullptr);
        QSignalSpy checked(box, &wps::ui::HandlerCheckBox::checked);
        child<QLineEdit>(*m_panel, u"handlerCheckUrl"_s)->setText(url);
        child<QPushButton>(*m_panel, u"validateHandlerButton"_s)->click();
        EXPECT_TRUE(checked.wait(kWaitMs));
        if (checked.isEmpty())
            return {false, QString()};
        return {checked.first().at(0).toBool(), checked.first().at(1).toString()};
    }

    QString handlerUrl() const { return u"http://127.0.0.1:%1/api/{hub}/{event}"_s.arg(m_port); }
    QString origin() const { return m_emulator.endpoint().authority(); }
    QString exchange() { return child<QPlainTextEdit>(*m_panel, u"handlerCheckExchange"_s)->toPlainText(); }

    int traceRows(const QString &type)
    {
        int rows = 0;
        auto *store = m_session.traceStore();
        if (store->count() == 0)
            return 0;
        store->forEach(store->firstId(), store->endId(), [&](const wps::trace::TraceRecordView &v) {
            rows += v.kind == wps::trace::Kind::Http && v.type == type ? 1 : 0;
        });
        return rows;
    }

    FaultServer m_handler;
    quint16 m_port = 0;
};

} // namespace

TEST_F(HandlerCheckTest, PassesWhenTheHandlerAllowsTheOrigin)
{
    m_handler.setDefault(FaultServer::Response::answer(200, {}, {{"WebHook-Allowed-Origin", "*"}}));
    const auto [passed, verdict] = validate(handlerUrl());
    EXPECT_TRUE(passed) << verdict.toStdString();
    EXPECT_TRUE(verdict.startsWith(u"Passes"_s)) << verdict.toStdString();
    ASSERT_EQ(m_handler.requestCount(), 1);
    const QByteArray sent = m_handler.requests().first();
    EXPECT_TRUE(sent.startsWith("OPTIONS /api/chat/validate ")) << sent.toStdString();
    const QByteArray expected = QByteArray("webhook-request-origin: ") + origin().toLower().toUtf8();
    EXPECT_TRUE(sent.toLower().contains(expected)) << sent.toStdString();
    // What was sent and answered, shown as such.
    EXPECT_TRUE(exchange().contains(u"OPTIONS http://127.0.0.1:%1/api/chat/validate"_s.arg(m_port)));
    EXPECT_TRUE(exchange().contains(u"WebHook-Request-Origin: "_s + origin()));
    EXPECT_TRUE(exchange().contains(u"HTTP 200"_s));
    EXPECT_TRUE(exchange().contains(u"WebHook-Allowed-Origin: *"_s, Qt::CaseInsensitive));
    // ...and in the trace: the request and its answer.
    EXPECT_EQ(traceRows(u"validateHandler"_s), 2);
}

TEST_F(HandlerCheckTest, FailsWithoutTheAllowedOriginHeader)
{
    m_handler.setDefault(FaultServer::Response::answer(200, "ok"));
    const auto [passed, verdict] = validate(handlerUrl());
    EXPECT_FALSE(passed);
    EXPECT_TRUE(verdict.contains(u"without a WebHook-Allowed-Origin header"_s)) << verdict.toStdString();
    EXPECT_TRUE(child<QLabel>(*m_panel, u"handlerCheckVerdict"_s)->text().startsWith(u"Fails"_s));
}

TEST_F(HandlerCheckTest, FailsForAnotherOriginARedirectAndARefusal)
{
    m_handler.enqueue(FaultServer::Response::answer(200, {}, {{"WebHook-Allowed-Origin", "other.example"}}));
    auto [passed, verdict] = validate(handlerUrl());
    EXPECT_FALSE(passed);
    EXPECT_TRUE(verdict.contains(u"not this service's origin"_s)) << verdict.toStdString();

    m_handler.enqueue(FaultServer::Response::answer(302, {}, {{"Location", "http://127.0.0.1:1/elsewhere"}}));
    std::tie(passed, verdict) = validate(handlerUrl());
    EXPECT_FALSE(passed);
    EXPECT_TRUE(verdict.contains(u"redirect"_s)) << verdict.toStdString();
    EXPECT_TRUE(verdict.contains(u"/elsewhere"_s)) << verdict.toStdString();

    QTcpServer closed;
    ASSERT_TRUE(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    std::tie(passed, verdict) = validate(u"http://127.0.0.1:%1/api/{event}"_s.arg(port));
    EXPECT_FALSE(passed);
    EXPECT_TRUE(verdict.contains(u"nothing accepts connections"_s)) << verdict.toStdString();
}

TEST_F(HandlerCheckTest, TriesGetWhenOptionsIsUnknown)
{
    m_handler.enqueue(FaultServer::Response::answer(404));
    m_handler.enqueue(
        FaultServer::Response::answer(200, {}, {{"WebHook-Allowed-Origin", origin().toUtf8()}}));
    const auto [passed, verdict] = validate(handlerUrl());
    EXPECT_TRUE(passed) << verdict.toStdString();
    ASSERT_EQ(m_handler.requestCount(), 2);
    EXPECT_TRUE(m_handler.requests().at(1).startsWith("GET /api/chat/validate"));
    EXPECT_TRUE(exchange().contains(u"HTTP 404"_s));
    EXPECT_EQ(traceRows(u"validateHandler"_s), 4);
}

TEST(HandlerCheckCore, SilentHandlerTimesOut)
{
    FaultServer silent;
    silent.setDefault(FaultServer::Response::hang());
    const quint16 port = silent.listen();
    wps::service::HandlerCheck check(u"http://127.0.0.1:%1/h"_s.arg(port), u"chat"_s, u"svc.example"_s);
    check.setTimeout(300ms);
    QSignalSpy finished(&check, &wps::service::HandlerCheck::finished);
    check.start();
    ASSERT_TRUE(finished.wait(kWaitMs));
    EXPECT_FALSE(check.result().passed);
    EXPECT_EQ(check.result().failure, wps::service::HandlerCheck::Failure::Timeout);
    EXPECT_TRUE(check.result().verdict.contains(u"did not answer"_s)) << check.result().verdict.toStdString();
}

TEST(HandlerCheckCore, ANonHttpUrlFailsAsAnInvalidUrl)
{
    wps::service::HandlerCheck check(u"tunnel:///api"_s, u"chat"_s, u"svc.example"_s);
    QSignalSpy finished(&check, &wps::service::HandlerCheck::finished);
    check.start();
    ASSERT_TRUE(finished.wait(kWaitMs));
    EXPECT_EQ(check.result().failure, wps::service::HandlerCheck::Failure::InvalidUrl);
}
