// Live clients against a loopback QWebSocketServer that plays the Web PubSub client endpoint (docs/style.md
// rule 22), with drops made by a real TCP proxy (tests/support/wsproxy.h). The server-specific part is
// LiveServer: when the emulator's client endpoint is ready, the same tests can point at it by swapping that
// class.
#include "live/liveclient.h"
#include "live/liveclientpool.h"
#include "support/printers.h"
#include "support/wait.h"
#include "support/wsproxy.h"

#include <QPointer>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <gtest/gtest.h>

#include <memory>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace wps::live;
namespace msg = wps::messages;

namespace {

const QString kToken = u"secret.token.value"_s;
using wps::test::kWaitMs;

/// The live server seam: negotiates subprotocols, sends `connected`, acks by ackId (Duplicate for a repeated
/// ackId), sends sequenced messages it buffers until acked, resends them on recovery, refuses recovery with
/// 1008 when told. Group or event names starting with "forbidden"/"error"/"silent" get Forbidden,
/// InternalServerError or no ack at all.
class LiveServer : public QObject
{
public:
    struct Session
    {
        QString connectionId;
        QString token;
        Subprotocol protocol = Subprotocol::None;
        QPointer<QWebSocket> socket;
        quint64 nextSequenceId = 1;
        QList<msg::DataMessage> unacked;
        QList<quint64> seenAckIds; ///< in arrival order, repeats included
        QList<quint64> sequenceAcks;
        QStringList joins;
        QStringList groups;
        QList<msg::ClientRequest> requests;
        QList<QByteArray> rawFrames;
        int pings = 0;
        int closeCode = -1;
        int attachments = 0;
    };

    explicit LiveServer(bool negotiate = true)
        : m_server(u"live-test"_s, QWebSocketServer::NonSecureMode)
    {
        if (negotiate)
            m_server.setSupportedSubprotocols(
                {subprotocolName(Subprotocol::JsonReliable), subprotocolName(Subprotocol::Json),
                 subprotocolName(Subprotocol::ProtobufReliable), subprotocolName(Subprotocol::Protobuf)});
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] { onNewConnection(); });
    }

    ~LiveServer() override
    {
        // Sessions die with us: no socket may call back into them while the members go.
        m_server.close();
        const auto sockets = findChildren<QWebSocket *>();
        for (QWebSocket *socket : sockets) {
            socket->disconnect(this);
            delete socket;
        }
    }

    quint16 listen()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        return m_server.serverPort();
    }
    QUrl url(quint16 port) const
    {
        return QUrl(u"ws://127.0.0.1:%1/client/hubs/chat?access_token=%2"_s.arg(port).arg(kToken));
    }

    Session *session(int index) const
    {
        return index < int(m_sessions.size()) ? m_sessions[index].get() : nullptr;
    }
    int sessionCount() const { return int(m_sessions.size()); }
    Session *last() const { return m_sessions.empty() ? nullptr : m_sessions.back().get(); }

    void publish(Session *s, msg::DataMessage message)
    {
        if (isReliable(s->protocol)) {
            message.sequenceId = s->nextSequenceId++;
            s->unacked.append(message);
        }
        write(s, message);
    }
    void publishServerTexts(Session *s, int count)
    {
        for (int i = 0; i < count; ++i) {
            msg::DataMessage m;
            m.from = msg::DataMessage::From::Server;
            m.data = msg::Payload::text(u"m%1"_s.arg(s->nextSequenceId));
            publish(s, m);
        }
    }
    void write(Session *s, const msg::ServiceMessage &message)
    {
        if (!s->socket)
            return;
        if (isProtobuf(s->protocol))
            s->socket->sendBinaryMessage(msg::protobuf::encode(message));
        else
            s->socket->sendTextMessage(QString::fromUtf8(msg::json::encode(message)));
    }

    bool refuseRecovery = false;
    bool answerPings = true;
    QSet<QString> forbiddenGroups;
    QList<int> refusedRecoveries;

private:
    void onNewConnection()
    {
        while (QWebSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            const QUrlQuery query(socket->requestUrl());
            const QString recoverId = query.queryItemValue(u"awps_connection_id"_s);
            Session *s = nullptr;
            if (!recoverId.isEmpty()) {
                for (const auto &candidate : m_sessions) {
                    if (candidate->connectionId == recoverId &&
                        candidate->token == query.queryItemValue(u"awps_reconnection_token"_s))
                        s = candidate.get();
                }
                if (!s || refuseRecovery) {
                    refusedRecoveries.append(1);
                    socket->close(QWebSocketProtocol::CloseCodePolicyViolated, u"Recovery refused"_s);
                    continue;
                }
            } else {
                m_sessions.push_back(std::make_unique<Session>());
                s = m_sessions.back().get();
                s->connectionId = u"conn-%1"_s.arg(m_sessions.size());
                s->protocol = parseSubprotocol(socket->subprotocol()).value_or(Subprotocol::None);
            }
            s->socket = socket;
            ++s->attachments;
            connect(socket, &QWebSocket::textMessageReceived, this,
                    [this, s, socket](const QString &text) { onFrame(s, socket, text.toUtf8()); });
            connect(socket, &QWebSocket::binaryMessageReceived, this,
                    [this, s, socket](const QByteArray &data) { onFrame(s, socket, data); });
            connect(socket, &QWebSocket::disconnected, this, [s, socket] {
                if (s->socket == socket)
                    s->closeCode = int(socket->closeCode());
                socket->deleteLater();
            });
            if (s->protocol == Subprotocol::None)
                continue;
            msg::Connected connected{s->connectionId, u"alice"_s, {}};
            if (isReliable(s->protocol)) {
                s->token = u"rtok-%1-%2"_s.arg(s->connectionId).arg(s->attachments);
                connected.reconnectionToken = s->token;
            }
            write(s, connected);
            for (const msg::DataMessage &m : std::as_const(s->unacked))
                write(s, m); // recovery: everything not acked yet, duplicates included
        }
    }

    void onFrame(Session *s, QWebSocket *socket, const QByteArray &frame)
    {
        if (s->socket != socket)
            return;
        if (s->protocol == Subprotocol::None) {
            s->rawFrames.append(frame);
            return;
        }
        auto decoded =
            isProtobuf(s->protocol) ? msg::protobuf::decodeRequest(frame) : msg::json::decodeRequest(frame);
        ASSERT_TRUE(decoded.hasValue()) << decoded.error().toStdString();
        const msg::ClientRequest request = *decoded;
        s->requests.append(request);
        std::visit([this, s](const auto &r) { handle(s, r); }, request);
    }

    void ackFor(Session *s, const QString &name, std::optional<quint64> ackId, bool *execute)
    {
        *execute = true;
        if (!ackId)
            return;
        const bool repeated = s->seenAckIds.contains(*ackId);
        s->seenAckIds.append(*ackId);
        if (repeated) {
            *execute = false;
            write(s, msg::Ack{*ackId, false, u"Duplicate"_s, u"Duplicate ackId"_s});
        } else if (name.startsWith(u"forbidden"_s) || forbiddenGroups.contains(name)) {
            *execute = false;
            write(s, msg::Ack{*ackId, false, u"Forbidden"_s, u"No permission"_s});
        } else if (name.startsWith(u"error"_s)) {
            *execute = false;
            write(s, msg::Ack{*ackId, false, u"InternalServerError"_s, u"Boom"_s});
        } else if (!name.startsWith(u"silent"_s)) {
            write(s, msg::Ack{*ackId, true, {}, {}});
        }
    }
    void handle(Session *s, const msg::JoinGroup &r)
    {
        bool execute = false;
        ackFor(s, r.group, r.ackId, &execute);
        s->joins.append(r.group);
        if (execute && !s->groups.contains(r.group))
            s->groups.append(r.group);
    }
    void handle(Session *s, const msg::LeaveGroup &r)
    {
        bool execute = false;
        ackFor(s, r.group, r.ackId, &execute);
        if (execute)
            s->groups.removeAll(r.group);
    }
    void handle(Session *s, const msg::SendToGroup &r)
    {
        bool execute = false;
        ackFor(s, r.group, r.ackId, &execute);
        if (execute && !r.noEcho && s->groups.contains(r.group)) {
            msg::DataMessage m;
            m.from = msg::DataMessage::From::Group;
            m.group = r.group;
            m.fromUserId = u"alice"_s;
            m.data = r.data;
            publish(s, m);
        }
    }
    void handle(Session *s, const msg::SendEvent &r)
    {
        bool execute = false;
        ackFor(s, r.event, r.ackId, &execute);
    }
    void handle(Session *s, const msg::SequenceAck &r)
    {
        s->sequenceAcks.append(r.sequenceId);
        while (!s->unacked.isEmpty() && *s->unacked.first().sequenceId <= r.sequenceId)
            s->unacked.removeFirst();
    }
    void handle(Session *, const msg::StreamStart &) {}
    void handle(Session *, const msg::StreamData &) {}
    void handle(Session *, const msg::StreamEnd &) {}
    void handle(Session *s, const msg::Ping &)
    {
        ++s->pings;
        if (answerPings)
            write(s, msg::Pong{});
    }
    /// Requests this stand-in does not play (invocations: tests/core/live/invocations_test.cpp) are recorded
    /// only.
    template <typename Request>
    void handle(Session *, const Request &)
    {
    }

    QWebSocketServer m_server;
    std::vector<std::unique_ptr<Session>> m_sessions;
};

/// Short timers for tests (docs/style.md rule 12).
LiveClientSettings fastSettings()
{
    LiveClientSettings s;
    s.ackTimeout = std::chrono::milliseconds(10000);
    s.sequenceAckInterval = std::chrono::milliseconds(100);
    s.recoveryRetryDelay = std::chrono::milliseconds(50);
    s.reconnectInitialDelay = std::chrono::milliseconds(50);
    s.reconnectMaxDelay = std::chrono::milliseconds(400);
    return s;
}

/// A server, a proxy in front of it and a client that talks through the proxy.
struct Rig
{
    explicit Rig(Subprotocol protocol, LiveClientSettings settings = fastSettings(), bool negotiate = true)
        : server(negotiate)
    {
        const quint16 port = server.listen();
        EXPECT_NE(port, 0);
        EXPECT_NE(proxy.listen(QHostAddress::LocalHost, port), 0);
        client = std::make_unique<LiveClient>(server.url(proxy.port()), protocol);
        client->setSettings(settings);
        QObject::connect(client.get(), &LiveClient::connected, client.get(),
                         [this](const QString &id, const QString &) { connectedIds.append(id); });
        QObject::connect(client.get(), &LiveClient::disconnected, client.get(),
                         [this](const QString &m) { events.append(u"disconnected:"_s + m); });
        QObject::connect(client.get(), &LiveClient::stopped, client.get(),
                         [this] { events.append(u"stopped"_s); });
        QObject::connect(client.get(), &LiveClient::serverMessage, client.get(),
                         [this](const msg::DataMessage &m) { serverMessages.append(m); });
        QObject::connect(client.get(), &LiveClient::groupMessage, client.get(),
                         [this](const msg::DataMessage &m) { groupMessages.append(m); });
    }
    bool startAndWait()
    {
        client->start();
        return QTest::qWaitFor([this] { return client->state() == State::Connected; }, kWaitMs);
    }
    /// Waits for \a job to finish.
    static bool done(AckJob *job)
    {
        return QTest::qWaitFor([job] { return job->isFinished(); }, kWaitMs);
    }
    int disconnects() const
    {
        int n = 0;
        for (const QString &e : events)
            n += e.startsWith(u"disconnected:"_s) ? 1 : 0;
        return n;
    }

    LiveServer server;
    wps::test::WsProxy proxy;
    std::unique_ptr<LiveClient> client;
    QStringList connectedIds;
    QStringList events;
    QList<msg::DataMessage> serverMessages;
    QList<msg::DataMessage> groupMessages;
};

class EverySubprotocol : public ::testing::TestWithParam<Subprotocol>
{
};
class ReliableSubprotocol : public ::testing::TestWithParam<Subprotocol>
{
};
class PlainSubprotocol : public ::testing::TestWithParam<Subprotocol>
{
};

std::string protocolLabel(const ::testing::TestParamInfo<Subprotocol> &info)
{
    switch (info.param) {
    case Subprotocol::None:
        return "Raw";
    case Subprotocol::Json:
        return "Json";
    case Subprotocol::JsonReliable:
        return "JsonReliable";
    case Subprotocol::Protobuf:
        return "Protobuf";
    case Subprotocol::ProtobufReliable:
        return "ProtobufReliable";
    }
    return "Unknown";
}

} // namespace

TEST_P(EverySubprotocol, ConnectsOnTheServiceConnectedMessage)
{
    Rig rig(GetParam());
    QList<State> states;
    QObject::connect(rig.client.get(), &LiveClient::stateChanged, rig.client.get(),
                     [&states](State s) { states.append(s); });
    ASSERT_TRUE(rig.startAndWait());
    EXPECT_EQ(rig.connectedIds, QStringList{u"conn-1"_s});
    EXPECT_EQ(rig.client->connectionId(), u"conn-1"_s);
    EXPECT_EQ(rig.client->userId(), u"alice"_s);
    EXPECT_EQ(rig.server.last()->protocol, GetParam());
    EXPECT_EQ(states, (QList<State>{State::Connecting, State::Connected}));
}

TEST_P(EverySubprotocol, EveryAckOutcome)
{
    LiveClientSettings settings = fastSettings();
    settings.ackTimeout = std::chrono::milliseconds(300);
    Rig rig(GetParam(), settings);
    ASSERT_TRUE(rig.startAndWait());

    AckJob *join = rig.client->joinGroup(u"g1"_s);
    AckJob *forbidden = rig.client->joinGroup(u"forbidden-room"_s);
    AckJob *error = rig.client->sendEvent(u"error-event"_s, msg::Payload::text(u"x"_s));
    AckJob *silent = rig.client->sendToGroup(u"silent-room"_s, msg::Payload::text(u"x"_s));
    AckJob *fireAndForget = rig.client->sendToGroup(u"g1"_s, msg::Payload::json(R"({"j":1})"),
                                                    {.noEcho = true, .fireAndForget = true});
    for (AckJob *job : {join, forbidden, error, silent, fireAndForget})
        ASSERT_TRUE(Rig::done(job)) << job->operation().toStdString();

    EXPECT_TRUE(join->succeeded());
    EXPECT_FALSE(join->isDuplicated());
    EXPECT_EQ(rig.client->joinedGroups(), QStringList{u"g1"_s});
    ASSERT_TRUE(forbidden->error());
    EXPECT_EQ(forbidden->error()->kind, AckError::Kind::Forbidden);
    EXPECT_EQ(rig.client->joinedGroups(), QStringList{u"g1"_s});
    ASSERT_TRUE(error->error());
    EXPECT_EQ(error->error()->kind, AckError::Kind::InternalServerError);
    ASSERT_TRUE(silent->error());
    EXPECT_EQ(silent->error()->kind, AckError::Kind::Timeout);
    EXPECT_TRUE(fireAndForget->succeeded());
    EXPECT_FALSE(fireAndForget->ackId().has_value());

    // ackIds increase per client; the fire-and-forget send carried none.
    EXPECT_EQ(join->ackId(), 1u);
    EXPECT_EQ(forbidden->ackId(), 2u);
    EXPECT_EQ(error->ackId(), 3u);
    EXPECT_EQ(silent->ackId(), 4u);
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.server.last()->requests.size() >= 5; }, kWaitMs));
    const auto *sent = std::get_if<msg::SendToGroup>(&rig.server.last()->requests.at(4));
    ASSERT_NE(sent, nullptr);
    EXPECT_FALSE(sent->ackId.has_value());
    EXPECT_TRUE(sent->noEcho);
}

TEST_P(EverySubprotocol, DeliversServerAndGroupMessages)
{
    Rig rig(GetParam());
    ASSERT_TRUE(rig.startAndWait());
    AckJob *join = rig.client->joinGroup(u"g1"_s);
    ASSERT_TRUE(Rig::done(join));
    AckJob *send = rig.client->sendToGroup(u"g1"_s, msg::Payload::text(u"hello"_s));
    ASSERT_TRUE(Rig::done(send));
    EXPECT_TRUE(send->succeeded());
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.groupMessages.size() == 1; }, kWaitMs));
    EXPECT_EQ(rig.groupMessages[0].group, u"g1"_s);
    EXPECT_EQ(rig.groupMessages[0].data, msg::Payload::text(u"hello"_s));

    rig.server.publishServerTexts(rig.server.last(), 3);
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.serverMessages.size() == 3; }, kWaitMs));
    EXPECT_EQ(rig.serverMessages[2].data.bytes, isReliable(GetParam()) ? QByteArray("m4") : QByteArray("m1"));
}

TEST_P(EverySubprotocol, StopClosesNormallyThenReportsDisconnectedAndStopped)
{
    Rig rig(GetParam());
    ASSERT_TRUE(rig.startAndWait());
    rig.client->stop();
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.client->state() == State::Stopped; }, kWaitMs));
    EXPECT_EQ(rig.events, (QStringList{u"disconnected:Client stopped"_s, u"stopped"_s}));
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.server.last()->closeCode != -1; }, kWaitMs));
    EXPECT_EQ(rig.server.last()->closeCode, 1000);
    EXPECT_EQ(rig.server.sessionCount(), 1);
    AckJob *late = rig.client->joinGroup(u"g1"_s);
    ASSERT_TRUE(Rig::done(late));
    ASSERT_TRUE(late->error());
    EXPECT_EQ(late->error()->kind, AckError::Kind::NotConnected);
}

INSTANTIATE_TEST_SUITE_P(LiveClient, EverySubprotocol,
                         ::testing::Values(Subprotocol::Json, Subprotocol::JsonReliable,
                                           Subprotocol::Protobuf, Subprotocol::ProtobufReliable),
                         protocolLabel);

TEST(LiveClient, OperationsBeforeStartFailWithNotConnected)
{
    LiveClient client(QUrl(u"ws://127.0.0.1:1/client/hubs/chat"_s), Subprotocol::Json);
    AckJob *job = client.joinGroup(u"g"_s);
    EXPECT_FALSE(job->isFinished()); // finished() never fires inside the call
    ASSERT_TRUE(Rig::done(job));
    ASSERT_TRUE(job->error());
    EXPECT_EQ(job->error()->kind, AckError::Kind::NotConnected);
}

TEST(LiveClient, ServerThatNegotiatesNoSubprotocolIsAnError)
{
    Rig rig(Subprotocol::JsonReliable, fastSettings(), /*negotiate=*/false);
    rig.client->start();
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.client->state() == State::Stopped; }, kWaitMs));
    EXPECT_EQ(rig.events, (QStringList{u"disconnected:Server sent no subprotocol"_s, u"stopped"_s}));
    EXPECT_TRUE(rig.connectedIds.isEmpty());
}

TEST(LiveClient, RawClientSendsAndReceivesBareFrames)
{
    Rig rig(Subprotocol::None);
    QList<QPair<QByteArray, bool>> received;
    QObject::connect(rig.client.get(), &LiveClient::rawMessage, rig.client.get(),
                     [&received](const QByteArray &data, bool binary) {
                         received.append({data, binary});
                     });
    ASSERT_TRUE(rig.startAndWait());
    EXPECT_EQ(rig.connectedIds, QStringList{QString()});
    EXPECT_TRUE(rig.client->sendText(u"hi"_s));
    EXPECT_TRUE(rig.client->sendBinary(QByteArray("\x00\x01", 2)));
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.server.last()->rawFrames.size() == 2; }, kWaitMs));
    EXPECT_EQ(rig.server.last()->rawFrames[0], "hi"_ba);
    rig.server.last()->socket->sendTextMessage(u"back"_s);
    rig.server.last()->socket->sendBinaryMessage("\x02"_ba);
    ASSERT_TRUE(QTest::qWaitFor([&] { return received.size() == 2; }, kWaitMs));
    EXPECT_EQ(received[0], qMakePair("back"_ba, false));
    EXPECT_EQ(received[1], qMakePair("\x02"_ba, true));
    AckJob *join = rig.client->joinGroup(u"g"_s);
    ASSERT_TRUE(Rig::done(join));
    EXPECT_FALSE(join->succeeded());
}

TEST_P(ReliableSubprotocol, DropsDuplicateSequenceIds)
{
    Rig rig(GetParam());
    ASSERT_TRUE(rig.startAndWait());
    for (quint64 id : {1, 2, 3, 2, 3, 4}) {
        msg::DataMessage m;
        m.data = msg::Payload::text(u"m%1"_s.arg(id));
        m.sequenceId = id;
        rig.server.write(rig.server.last(), m);
    }
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.client->lastSequenceId() == 4; }, kWaitMs));
    EXPECT_EQ(rig.serverMessages.size(), 4);
    EXPECT_EQ(rig.client->duplicatesDropped(), 2u);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            return !rig.server.last()->sequenceAcks.isEmpty() && rig.server.last()->sequenceAcks.last() == 4;
        },
        kWaitMs));
}

TEST_P(ReliableSubprotocol, AcksSequenceAtOncePastThreshold)
{
    LiveClientSettings settings = fastSettings();
    settings.sequenceAckInterval = std::chrono::hours(1); // only the threshold can trigger an ack here
    Rig rig(GetParam(), settings);
    ASSERT_TRUE(rig.startAndWait());
    LiveServer::Session *s = rig.server.last();
    rig.server.publishServerTexts(s, 301);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !s->sequenceAcks.isEmpty(); }, kWaitMs));
    EXPECT_EQ(s->sequenceAcks, QList<quint64>{301});
    rig.server.publishServerTexts(s, 99);
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.client->lastSequenceId() == 400; }, kWaitMs));
    // Frames are ordered: once this join is acked, any sequenceAck sent before it has arrived.
    AckJob *join = rig.client->joinGroup(u"g"_s);
    ASSERT_TRUE(Rig::done(join));
    EXPECT_EQ(s->sequenceAcks, QList<quint64>{301});
}

TEST_P(ReliableSubprotocol, AcksSequencePeriodicallyWithTheLargestId)
{
    Rig rig(GetParam());
    ASSERT_TRUE(rig.startAndWait());
    LiveServer::Session *s = rig.server.last();
    rig.server.publishServerTexts(s, 10);
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return !s->sequenceAcks.isEmpty() && s->sequenceAcks.last() == 10; }, kWaitMs));
    for (qsizetype i = 1; i < s->sequenceAcks.size(); ++i)
        EXPECT_LT(s->sequenceAcks[i - 1], s->sequenceAcks[i]);
    EXPECT_TRUE(s->unacked.isEmpty());
}

TEST_P(ReliableSubprotocol, RecoversAcrossProxyCutsWithoutLossOrDuplicates)
{
    Rig rig(GetParam());
    ASSERT_TRUE(rig.startAndWait());
    LiveServer::Session *s = rig.server.last();
    constexpr int kCuts = 5;
    constexpr int kPerRound = 400;
    for (int round = 0; round < kCuts; ++round) {
        rig.server.publishServerTexts(s, kPerRound);
        const qsizetype floor = round * kPerRound + 50;
        ASSERT_TRUE(QTest::qWaitFor([&] { return rig.serverMessages.size() >= floor; }, kWaitMs));
        EXPECT_GE(rig.proxy.cutAll(), 1);
        ASSERT_TRUE(QTest::qWaitFor(
            [&] { return rig.client->recoveries() == round + 1 && rig.client->state() == State::Connected; },
            kWaitMs))
            << "round " << round;
    }
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.serverMessages.size() >= kCuts * kPerRound; }, kWaitMs));
    ASSERT_EQ(rig.serverMessages.size(), kCuts * kPerRound);
    for (int i = 0; i < kCuts * kPerRound; ++i) {
        ASSERT_EQ(rig.serverMessages[i].sequenceId, quint64(i + 1));
        ASSERT_EQ(rig.serverMessages[i].data.bytes, u"m%1"_s.arg(i + 1).toUtf8());
    }
    EXPECT_EQ(rig.disconnects(), 0); // recovery is silent, as in the SDK
    EXPECT_EQ(rig.connectedIds, QStringList{u"conn-1"_s});
    EXPECT_EQ(rig.server.sessionCount(), 1);
    EXPECT_EQ(s->attachments, kCuts + 1);
}

TEST_P(ReliableSubprotocol, RetriesWithTheSameAckIdAfterRecoveryAndDuplicateConfirms)
{
    Rig rig(GetParam());
    ASSERT_TRUE(rig.startAndWait());
    LiveServer::Session *s = rig.server.last();
    AckJob *job = rig.client->sendToGroup(u"silent-room"_s, msg::Payload::text(u"once"_s));
    ASSERT_TRUE(QTest::qWaitFor([&] { return s->seenAckIds.size() == 1; }, kWaitMs));
    rig.proxy.cutAll();
    ASSERT_TRUE(Rig::done(job));
    EXPECT_TRUE(job->succeeded());
    EXPECT_TRUE(job->isDuplicated());
    EXPECT_EQ(s->seenAckIds, (QList<quint64>{*job->ackId(), *job->ackId()}));
}

TEST_P(ReliableSubprotocol, RecoveryRefusedWith1008StartsABrandNewConnection)
{
    Rig rig(GetParam());
    ASSERT_TRUE(rig.startAndWait());
    ASSERT_TRUE(Rig::done(rig.client->joinGroup(u"g1"_s)));
    rig.server.publishServerTexts(rig.server.last(), 3);
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.client->lastSequenceId() == 3; }, kWaitMs));
    rig.server.refuseRecovery = true;
    rig.proxy.cutAll();
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.connectedIds.size() == 2; }, kWaitMs));
    EXPECT_EQ(rig.connectedIds, (QStringList{u"conn-1"_s, u"conn-2"_s}));
    EXPECT_EQ(rig.disconnects(), 1);
    EXPECT_EQ(rig.server.refusedRecoveries.size(), 1);
    // Sequence state starts again: the new connection's message 1 is not a duplicate.
    EXPECT_EQ(rig.client->lastSequenceId(), 0u);
    LiveServer::Session *fresh = rig.server.last();
    ASSERT_TRUE(QTest::qWaitFor([&] { return fresh->groups.contains(u"g1"_s); }, kWaitMs));
    rig.server.publishServerTexts(fresh, 1);
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.client->lastSequenceId() == 1; }, kWaitMs));
    EXPECT_EQ(rig.serverMessages.size(), 4);
}

INSTANTIATE_TEST_SUITE_P(LiveClient, ReliableSubprotocol,
                         ::testing::Values(Subprotocol::JsonReliable, Subprotocol::ProtobufReliable),
                         protocolLabel);

TEST_P(PlainSubprotocol, ReconnectsAfterADropAndRejoinsGroups)
{
    Rig rig(GetParam());
    QStringList rejoinFailures;
    QObject::connect(rig.client.get(), &LiveClient::rejoinGroupFailed, rig.client.get(),
                     [&rejoinFailures](const QString &group, const AckError &error) {
                         rejoinFailures.append(group + u':' + error.name);
                     });
    ASSERT_TRUE(rig.startAndWait());
    for (const QString &g : {u"g1"_s, u"g2"_s, u"g3"_s})
        ASSERT_TRUE(Rig::done(rig.client->joinGroup(g)));
    const quint64 lastOldAckId = rig.server.last()->seenAckIds.last();
    rig.server.forbiddenGroups.insert(u"g3"_s);
    AckJob *inFlight = rig.client->sendEvent(u"silent-event"_s, msg::Payload::text(u"x"_s));
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.server.last()->seenAckIds.size() == 4; }, kWaitMs));

    rig.proxy.cutAll();
    ASSERT_TRUE(Rig::done(inFlight));
    ASSERT_TRUE(inFlight->error());
    EXPECT_EQ(inFlight->error()->kind, AckError::Kind::NotConnected);
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return rig.connectedIds.size() == 2 && rejoinFailures.size() == 1; }, kWaitMs));
    EXPECT_EQ(rig.disconnects(), 1);
    EXPECT_EQ(rig.connectedIds, (QStringList{u"conn-1"_s, u"conn-2"_s}));
    LiveServer::Session *fresh = rig.server.last();
    ASSERT_TRUE(QTest::qWaitFor([&] { return fresh->seenAckIds.size() == 3; }, kWaitMs));
    EXPECT_EQ(fresh->joins, (QStringList{u"g1"_s, u"g2"_s, u"g3"_s}));
    for (quint64 id : std::as_const(fresh->seenAckIds))
        EXPECT_GT(id, lastOldAckId); // new ackIds
    EXPECT_EQ(rejoinFailures, QStringList{u"g3:Forbidden"_s});
    EXPECT_EQ(rig.client->joinedGroups(), (QStringList{u"g1"_s, u"g2"_s}));
}

TEST_P(PlainSubprotocol, PingWatchdogDropsASilentConnection)
{
    LiveClientSettings settings = fastSettings();
    settings.pingInterval = std::chrono::milliseconds(50);
    settings.deadTimeout = std::chrono::milliseconds(1500);
    Rig rig(GetParam(), settings);
    ASSERT_TRUE(rig.startAndWait());
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.server.last()->pings >= 3; }, kWaitMs));
    rig.server.answerPings = false; // the socket stays open, nothing arrives any more
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.disconnects() == 1; }, kWaitMs));
    EXPECT_TRUE(rig.events.first().contains(u"No message received"_s)) << rig.events.first().toStdString();
    rig.server.answerPings = true;
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.connectedIds.size() == 2; }, kWaitMs));
}

INSTANTIATE_TEST_SUITE_P(LiveClient, PlainSubprotocol,
                         ::testing::Values(Subprotocol::Json, Subprotocol::Protobuf), protocolLabel);

TEST(LiveClient, WithoutAutoReconnectADropStops)
{
    LiveClientSettings settings = fastSettings();
    settings.autoReconnect = false;
    Rig rig(Subprotocol::Json, settings);
    ASSERT_TRUE(rig.startAndWait());
    rig.proxy.cutAll();
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.client->state() == State::Stopped; }, kWaitMs));
    ASSERT_EQ(rig.events.size(), 2);
    EXPECT_TRUE(rig.events[0].startsWith(u"disconnected:"_s));
    EXPECT_EQ(rig.events[1], u"stopped"_s);
    EXPECT_EQ(rig.proxy.acceptedConnections(), 1);
}

TEST(LiveClient, ObserverSeesEveryFrameButNoToken)
{
    Rig rig(Subprotocol::JsonReliable);
    QList<FrameRecord> records;
    QObject::connect(rig.client.get(), &LiveClient::frameObserved, rig.client.get(),
                     [&records](const FrameRecord &r) { records.append(r); });
    ASSERT_TRUE(rig.startAndWait());
    ASSERT_TRUE(Rig::done(rig.client->joinGroup(u"g1"_s)));
    rig.proxy.cutAll();
    ASSERT_TRUE(QTest::qWaitFor([&] { return rig.client->recoveries() == 1; }, kWaitMs));
    ASSERT_TRUE(Rig::done(rig.client->leaveGroup(u"g1"_s)));

    QStringList seen;
    for (const FrameRecord &r : std::as_const(records)) {
        const char dir = r.direction == FrameRecord::Direction::In    ? '<'
                         : r.direction == FrameRecord::Direction::Out ? '>'
                                                                      : '*';
        seen.append(QLatin1Char(dir) + r.type);
        EXPECT_FALSE(r.preview.contains(kToken.toUtf8())) << r.preview.toStdString();
        EXPECT_FALSE(r.preview.contains("rtok-")) << r.preview.toStdString();
        EXPECT_LE(r.preview.size(), 256);
    }
    EXPECT_TRUE(seen.contains(u"*open"_s));
    EXPECT_TRUE(seen.contains(u"<connected"_s));
    EXPECT_TRUE(seen.contains(u">joinGroup"_s));
    EXPECT_TRUE(seen.contains(u"<ack"_s));
    EXPECT_TRUE(seen.contains(u"*close"_s));
    EXPECT_TRUE(seen.contains(u">leaveGroup"_s));
    EXPECT_TRUE(records.first().preview.contains("access_token=***"))
        << records.first().preview.toStdString();
    const QUrl recovery = LiveClient::redactedUrl(
        QUrl(u"ws://h/client/hubs/x?access_token=abc&awps_connection_id=c1&awps_reconnection_token=tok"_s));
    EXPECT_EQ(recovery.query(), u"access_token=***&awps_connection_id=c1&awps_reconnection_token=***"_s);
}

TEST(LiveClientPool, CreatesBatchesNamedUserNAndTearsThemDown)
{
    LiveServer server;
    const quint16 port = server.listen();
    ASSERT_NE(port, 0);
    LiveClientPool pool;
    pool.setClientSettings(fastSettings());
    pool.setStartsPerTurn(3);
    const auto factory = [&server, port](int, const QString &) { return server.url(port); };
    const auto first = pool.createBatch(7, factory, Subprotocol::Json);
    const auto second = pool.createBatch(5, factory, Subprotocol::ProtobufReliable);
    EXPECT_EQ(pool.size(), 12);
    EXPECT_EQ(pool.waitingToStart(), 12); // nothing connects inside the call
    EXPECT_EQ(first.first()->name(), u"user-1"_s);
    EXPECT_EQ(second.last()->name(), u"user-12"_s);
    EXPECT_EQ(pool.client(u"user-8"_s), second.first());
    ASSERT_TRUE(QTest::qWaitFor([&] { return pool.count(State::Connected) == 12; }, kWaitMs));
    EXPECT_EQ(server.sessionCount(), 12);

    pool.teardownBatch(5);
    EXPECT_EQ(pool.size(), 7);
    EXPECT_EQ(pool.client(u"user-8"_s), nullptr);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            int closed = 0;
            for (int i = 0; i < server.sessionCount(); ++i)
                closed += server.session(i)->closeCode == 1000 ? 1 : 0;
            return closed == 5;
        },
        kWaitMs));
    EXPECT_EQ(pool.count(State::Connected), 7);
    pool.teardownBatch();
    EXPECT_EQ(pool.size(), 0);
}
