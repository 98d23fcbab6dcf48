// LiveClient::invoke against a loopback QWebSocketServer that plays the service's invocation side
// (docs/live-clients.md "Invocations"): answers by event name ("echo" returns the data, "fail" an error,
// "empty" no data, "silent" nothing), records cancelInvocation. End to end against the emulator and a real
// event handler: tests/emulator/invoke_test.cpp.
#include "live/invocations.h"
#include "live/liveclient.h"
#include "support/printers.h"
#include "support/wait.h"
#include "trace/traceadapters.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using wps::test::kWaitMs;
using namespace std::chrono_literals;
using namespace wps::live;
namespace msg = wps::messages;

namespace {

class InvokeServer : public QObject
{
public:
    InvokeServer()
        : m_server(u"invoke-test"_s, QWebSocketServer::NonSecureMode)
    {
        m_server.setSupportedSubprotocols({subprotocolName(Subprotocol::Json),
                                           subprotocolName(Subprotocol::JsonReliable),
                                           subprotocolName(Subprotocol::Protobuf)});
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                m_socket = socket;
                const auto protocol = parseSubprotocol(socket->subprotocol()).value_or(Subprotocol::None);
                m_protocol = protocol;
                connect(socket, &QWebSocket::textMessageReceived, this,
                        [this](const QString &text) { onRequest(msg::json::decodeRequest(text.toUtf8())); });
                connect(socket, &QWebSocket::binaryMessageReceived, this,
                        [this](const QByteArray &bytes) { onRequest(msg::protobuf::decodeRequest(bytes)); });
                write(msg::Connected{u"conn-1"_s, u"alice"_s, {}});
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    ~InvokeServer() override
    {
        m_server.close();
        if (m_socket) {
            m_socket->disconnect(this);
            delete m_socket;
        }
    }
    QUrl url() const { return QUrl(u"ws://127.0.0.1:%1/client/hubs/chat"_s.arg(m_server.serverPort())); }
    void write(const msg::ServiceMessage &message)
    {
        if (!m_socket)
            return;
        if (isProtobuf(m_protocol))
            m_socket->sendBinaryMessage(msg::protobuf::encode(message));
        else
            m_socket->sendTextMessage(QString::fromUtf8(msg::json::encode(message)));
    }
    void drop()
    {
        if (m_socket)
            m_socket->abort();
    }

    QList<msg::Invoke> invokes;
    QStringList cancels;

private:
    void onRequest(const wps::Expected<msg::ClientRequest, QString> &request)
    {
        if (!request)
            return;
        if (const auto *cancel = std::get_if<msg::CancelInvocation>(&*request))
            cancels << cancel->invocationId;
        const auto *invoke = std::get_if<msg::Invoke>(&*request);
        if (!invoke)
            return;
        invokes << *invoke;
        msg::InvokeResponse response;
        response.invocationId = invoke->invocationId;
        if (invoke->event == u"echo"_s) {
            response.data = invoke->data;
        } else if (invoke->event == u"fail"_s) {
            response.success = false;
            response.errorName = u"InternalServerError"_s;
            response.errorMessage = u"The event handler failed: The handler answered with status 500."_s;
        } else if (invoke->event != u"empty"_s) {
            return; // "silent": never answered
        }
        write(response);
    }

    QWebSocketServer m_server;
    QPointer<QWebSocket> m_socket;
    Subprotocol m_protocol = Subprotocol::Json;
};

class Invoke : public ::testing::TestWithParam<Subprotocol>
{
protected:
    void SetUp() override
    {
        m_client = std::make_unique<LiveClient>(m_server.url(), GetParam());
        LiveClientSettings settings;
        settings.refusalProbeTimeout = 0ms;
        m_client->setSettings(settings);
        QObject::connect(m_client.get(), &LiveClient::frameObserved, m_client.get(),
                         [this](const FrameRecord &record) { m_records << record; });
        QSignalSpy connected(m_client.get(), &LiveClient::connected);
        m_client->start();
        ASSERT_TRUE(connected.wait(kWaitMs));
    }
    void TearDown() override { m_client.reset(); }

    InvocationJob *run(InvocationJob *job)
    {
        EXPECT_TRUE(QTest::qWaitFor([job] { return job->isFinished(); }, kWaitMs));
        return job;
    }
    const FrameRecord *record(const QString &type) const
    {
        for (const FrameRecord &r : m_records)
            if (r.type == type)
                return &r;
        return nullptr;
    }

    InvokeServer m_server;
    std::unique_ptr<LiveClient> m_client;
    QList<FrameRecord> m_records;
};

INSTANTIATE_TEST_SUITE_P(Subprotocols, Invoke,
                         ::testing::Values(Subprotocol::Json, Subprotocol::JsonReliable,
                                           Subprotocol::Protobuf),
                         [](const auto &info) {
                             return std::string(info.param == Subprotocol::Json           ? "Json"
                                                : info.param == Subprotocol::JsonReliable ? "JsonReliable"
                                                                                          : "Protobuf");
                         });

} // namespace

TEST_P(Invoke, AnswersCarryTheHandlersDataAndAReadableSummary)
{
    InvocationJob *text = run(m_client->invoke(u"echo"_s, msg::Payload::text(u"hi"_s)));
    ASSERT_TRUE(text->succeeded()) << text->summary().toStdString();
    EXPECT_EQ(text->data(), msg::Payload::text(u"hi"_s));
    EXPECT_FALSE(text->invocationId().isEmpty());
    EXPECT_TRUE(text->summary().startsWith(u"invoke echo → answered 'hi' (text) in "_s))
        << text->summary().toStdString();

    InvocationJob *json = run(m_client->invoke(u"echo"_s, msg::Payload::json(R"({"b":1,"a":1.10})")));
    ASSERT_TRUE(json->succeeded());
    EXPECT_EQ(json->data(), msg::Payload::json(R"({"b":1,"a":1.10})")); // byte for byte
    InvocationJob *binary = run(m_client->invoke(u"echo"_s, msg::Payload::binary("\x01\x02\x03")));
    ASSERT_TRUE(binary->succeeded());
    EXPECT_NE(binary->summary().indexOf(u"3 bytes (binary)"_s), -1) << binary->summary().toStdString();
    InvocationJob *empty = run(m_client->invoke(u"empty"_s, std::nullopt));
    ASSERT_TRUE(empty->succeeded());
    EXPECT_FALSE(empty->data().has_value());
    EXPECT_NE(empty->summary().indexOf(u"answered with no data"_s), -1);

    // Ids are distinct; the invoke went out as sent, without data when there was none.
    ASSERT_EQ(m_server.invokes.size(), 4);
    EXPECT_NE(m_server.invokes[0].invocationId, m_server.invokes[1].invocationId);
    EXPECT_EQ(m_server.invokes[0].event, u"echo"_s);
    EXPECT_FALSE(m_server.invokes[3].data.has_value());
    // The trace: the invoke frame out, the answer in with the summary as its detail.
    ASSERT_NE(record(u"invoke"_s), nullptr);
    const FrameRecord *answer = record(u"invokeResponse"_s);
    ASSERT_NE(answer, nullptr);
    EXPECT_TRUE(answer->detail.startsWith(u"invoke echo → answered 'hi' (text)"_s))
        << answer->detail.toStdString();
    EXPECT_EQ(m_client->pendingInvocations(), 0);
}

TEST_P(Invoke, HandlerFailuresAreErrorsWithTheServicesWords)
{
    InvocationJob *job = run(m_client->invoke(u"fail"_s, msg::Payload::text(u"x"_s)));
    ASSERT_FALSE(job->succeeded());
    ASSERT_TRUE(job->error().has_value());
    EXPECT_EQ(job->error()->kind, AckError::Kind::InternalServerError);
    EXPECT_EQ(job->error()->name, u"InternalServerError"_s);
    EXPECT_TRUE(job->summary().startsWith(
        u"invoke fail → failed: InternalServerError: The event handler failed: The handler answered with status 500."_s))
        << job->summary().toStdString();
}

TEST_P(Invoke, TimeoutCancelsAndALateAnswerChangesNothing)
{
    InvocationJob *job = run(m_client->invoke(u"silent"_s, msg::Payload::text(u"x"_s), 50ms));
    ASSERT_TRUE(job->error().has_value());
    EXPECT_EQ(job->error()->kind, AckError::Kind::Timeout);
    EXPECT_EQ(job->summary(), u"invoke silent → no answer within 50 ms; cancelInvocation sent"_s);
    ASSERT_TRUE(QTest::qWaitFor([this] { return !m_server.cancels.isEmpty(); }, kWaitMs));
    EXPECT_EQ(m_server.cancels, QStringList{job->invocationId()});
    // A lifecycle row says what happened.
    const FrameRecord *row = record(u"invocation"_s);
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->detail, job->summary());
    EXPECT_EQ(row->direction, FrameRecord::Direction::Event);

    // The answer that comes after all is ignored.
    msg::InvokeResponse late;
    late.invocationId = job->invocationId();
    late.data = msg::Payload::text(u"late"_s);
    m_server.write(late);
    InvocationJob *next = run(m_client->invoke(u"echo"_s, msg::Payload::text(u"after"_s)));
    EXPECT_TRUE(next->succeeded());
    EXPECT_FALSE(job->data().has_value());
}

TEST_P(Invoke, CancelStopsWaitingAndTellsTheService)
{
    InvocationJob *job = m_client->invoke(u"silent"_s, msg::Payload::text(u"x"_s));
    ASSERT_TRUE(QTest::qWaitFor([this] { return !m_server.invokes.isEmpty(); }, kWaitMs));
    EXPECT_EQ(m_client->pendingInvocations(), 1);
    EXPECT_TRUE(m_client->cancelInvocation(job->invocationId()));
    EXPECT_FALSE(m_client->cancelInvocation(job->invocationId())); // only once
    ASSERT_TRUE(job->isFinished());
    EXPECT_EQ(job->error()->name, u"Cancelled"_s);
    EXPECT_TRUE(job->summary().startsWith(u"invoke silent → cancelled after "_s))
        << job->summary().toStdString();
    ASSERT_TRUE(QTest::qWaitFor([this] { return !m_server.cancels.isEmpty(); }, kWaitMs));
    EXPECT_EQ(m_server.cancels.value(0), job->invocationId());
}

TEST_P(Invoke, ALostConnectionFailsWhatWaits)
{
    InvocationJob *job = m_client->invoke(u"silent"_s, msg::Payload::text(u"x"_s));
    ASSERT_TRUE(QTest::qWaitFor([this] { return !m_server.invokes.isEmpty(); }, kWaitMs));
    m_server.drop();
    run(job);
    ASSERT_TRUE(job->error().has_value());
    EXPECT_EQ(job->error()->kind, AckError::Kind::NotConnected);
    EXPECT_TRUE(job->summary().startsWith(u"invoke silent → the connection ended before the answer"_s))
        << job->summary().toStdString();
    EXPECT_EQ(m_client->pendingInvocations(), 0);
}

TEST(InvokeOffline, NotConnectedAndRawClientsFailAtOnce)
{
    LiveClient offline(QUrl(u"ws://127.0.0.1:9/client/hubs/chat"_s), Subprotocol::Json);
    InvocationJob *job = offline.invoke(u"echo"_s, msg::Payload::text(u"x"_s));
    EXPECT_FALSE(job->isFinished()); // never inside the call
    QSignalSpy finished(job, &InvocationJob::finished);
    ASSERT_TRUE(finished.wait(kWaitMs));
    EXPECT_EQ(job->error()->kind, AckError::Kind::NotConnected);
    EXPECT_TRUE(job->invocationId().isEmpty());
    EXPECT_EQ(job->summary(), u"invoke echo → not sent: the client is not connected"_s);

    LiveClient raw(QUrl(u"ws://127.0.0.1:9/client/hubs/chat"_s), Subprotocol::None);
    InvocationJob *rawJob = raw.invoke(u"echo"_s, msg::Payload::text(u"x"_s));
    QSignalSpy rawFinished(rawJob, &InvocationJob::finished);
    ASSERT_TRUE(rawFinished.wait(kWaitMs));
    EXPECT_EQ(rawJob->error()->name, u"NotSupported"_s);
    EXPECT_TRUE(rawJob->invocationId().isEmpty());
    EXPECT_EQ(
        rawJob->summary(),
        u"invoke echo → not sent: a raw WebSocket client cannot invoke (json and protobuf subprotocols can)"_s);
}

TEST(InvokeOffline, PayloadDescriptionsAreShortAndReadable)
{
    EXPECT_EQ(describePayload(msg::Payload::text(u"line\nbreak"_s)), u"'line break' (text)"_s);
    EXPECT_EQ(describePayload(msg::Payload::json("[1]")), u"[1] (json)"_s);
    EXPECT_EQ(describePayload(msg::Payload::binary("\x01")), u"1 byte (binary)"_s);
    EXPECT_EQ(describePayload(msg::Payload::text(QString(100, u'a')), 10), u"'aaaaaaaaaa…' (text)"_s);
}

TEST(InvokeOffline, InvocationFramesShareOneTraceCorrelation)
{
    FrameRecord out;
    out.direction = FrameRecord::Direction::Out;
    out.subprotocol = Subprotocol::Json;
    out.type = u"invoke"_s;
    out.preview = R"({"type":"invoke","invocationId":"7","target":"event","event":"e"})";
    EXPECT_EQ(wps::trace::frameCorrelation(out, u"c1"_s), u"invoke:c1:7"_s);
    FrameRecord in;
    in.direction = FrameRecord::Direction::In;
    in.subprotocol = Subprotocol::Protobuf;
    in.type = u"invokeResponse"_s;
    msg::InvokeResponse response;
    response.invocationId = u"7"_s;
    in.preview = msg::protobuf::encode(response);
    EXPECT_EQ(wps::trace::frameCorrelation(in, u"c1"_s), u"invoke:c1:7"_s);
    FrameRecord cancel = out;
    cancel.subprotocol = Subprotocol::Protobuf;
    cancel.type = u"cancelInvocation"_s;
    cancel.preview = msg::protobuf::encode(msg::CancelInvocation{u"7"_s});
    EXPECT_EQ(wps::trace::frameCorrelation(cancel, u"c1"_s), u"invoke:c1:7"_s);
}
