// wps::live::LiveClient against the real `webpubsub-emulator` over loopback: every subprotocol, every ack
// outcome and role rule, REST operations reaching live clients, and the drop test of reliable recovery
// (docs/live-clients.md "Tested against the emulator").
#include "live/liveclient.h"
#include "protocol/clienttoken.h"
#include "service/serviceclient.h"
#include "support/emulatorprocess.h"
#include "support/faultserver.h"
#include "support/printers.h"
#include "support/wait.h"
#include "support/wsproxy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryFile>
#include <QTest>

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using wps::live::AckError;
using wps::live::AckJob;
using wps::live::LiveClient;
using wps::live::State;
using wps::live::Subprotocol;
using wps::messages::DataMessage;
using wps::messages::DataType;
using wps::messages::Payload;

namespace {

using wps::test::kWaitMs;

const QList<Subprotocol> kSubprotocols{Subprotocol::Json, Subprotocol::JsonReliable, Subprotocol::Protobuf,
                                       Subprotocol::ProtobufReliable};

std::string nameOf(Subprotocol protocol)
{
    const QString name = wps::live::subprotocolName(protocol);
    return name.isEmpty() ? std::string("raw") : name.toStdString();
}

/// Everything one client saw.
struct Seen
{
    QList<DataMessage> group;
    QList<DataMessage> server;
    QList<QPair<QByteArray, bool>> raw;
    QStringList disconnects;
    int connects = 0;
    int stops = 0;

    /// True once a message with \a type and \a bytes arrived (group or server).
    bool has(DataType type, const QByteArray &bytes) const
    {
        for (const QList<DataMessage> *list : {&group, &server}) {
            for (const DataMessage &m : *list) {
                if (m.data.type == type && m.data.bytes == bytes)
                    return true;
            }
        }
        return false;
    }
    bool hasText(const QString &text) const { return has(DataType::Text, text.toUtf8()); }
    bool hasRaw(const QByteArray &bytes, bool binary) const { return raw.contains(qMakePair(bytes, binary)); }
};

/// JSON payloads compare by value: the emulator may re-serialise them.
QJsonObject jsonOf(const Payload &payload)
{
    return QJsonDocument::fromJson(payload.bytes).object();
}

class LiveEmulatorTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        // Hub "events" has a user-event handler (the FaultServer answering "echo"); hub1 has none.
        using Response = wps::test::FaultServer::Response;
        const quint16 handlerPort = m_handler.listen();
        ASSERT_NE(handlerPort, 0);
        m_handler.setDefault(
            Response::answer(200, "echo", {{"Content-Type", "text/plain"}, {"WebHook-Allowed-Origin", "*"}}));
        ASSERT_TRUE(m_config.open());
        const QJsonObject handler{
            {u"urlTemplate"_s, u"http://127.0.0.1:%1/upstream/{event}"_s.arg(handlerPort)},
            {u"userEventPattern"_s, u"*"_s}};
        const QJsonObject config{
            {u"hubs"_s, QJsonObject{{u"events"_s, QJsonObject{{u"eventHandlers"_s, QJsonArray{handler}}}}}}};
        m_config.write(QJsonDocument(config).toJson());
        m_config.flush();

        ASSERT_TRUE(m_emulator.start({u"--config"_s, m_config.fileName()}))
            << m_emulator.errorText().toStdString();
        m_service = std::make_unique<wps::service::ServiceClient>(m_emulator.connectionString(), u"hub1"_s);
        auto options = m_service->options();
        options.timeout = 10000ms;
        options.retry.maxRetries = 1;
        options.retry.initialDelay = 10ms;
        m_service->setOptions(options);
    }

    static wps::live::LiveClientSettings testSettings()
    {
        wps::live::LiveClientSettings settings;
        settings.ackTimeout = 10000ms;
        settings.pingInterval = 0ms;
        settings.sequenceAckInterval = 20ms;
        settings.sequenceAckThreshold = 50;
        settings.recoveryRetryDelay = 20ms;
        settings.recoveryTimeout = 20000ms;
        settings.reconnectInitialDelay = 50ms;
        settings.closeTimeout = 2000ms;
        settings.autoReconnect = false;
        return settings;
    }

    /// A started client; \a seen records what it receives. Waits until it is connected.
    LiveClient *open(Subprotocol protocol, const wps::ClientTokenOptions &token, Seen *seen,
                     const QString &hub = u"hub1"_s, const wps::ConnectionString *via = nullptr,
                     bool waitConnected = true)
    {
        const wps::ClientAccess access =
            wps::makeClientAccess(via ? *via : m_emulator.connectionString(), hub, token);
        auto *client = new LiveClient(access.url, protocol);
        m_clients.emplace_back(client);
        client->setSettings(testSettings());
        client->setName(token.userId);
        QObject::connect(client, &LiveClient::groupMessage, client,
                         [seen](const DataMessage &m) { seen->group.append(m); });
        QObject::connect(client, &LiveClient::serverMessage, client,
                         [seen](const DataMessage &m) { seen->server.append(m); });
        QObject::connect(client, &LiveClient::rawMessage, client,
                         [seen](const QByteArray &data, bool binary) {
                             seen->raw.append({data, binary});
                         });
        QObject::connect(client, &LiveClient::disconnected, client,
                         [seen](const QString &why) { seen->disconnects.append(why); });
        QObject::connect(client, &LiveClient::connected, client, [seen] { ++seen->connects; });
        QObject::connect(client, &LiveClient::stopped, client, [seen] { ++seen->stops; });
        client->start();
        if (waitConnected) {
            EXPECT_TRUE(QTest::qWaitFor(
                [client] { return client->state() == State::Connected || client->state() == State::Stopped; },
                kWaitMs));
            EXPECT_EQ(client->state(), State::Connected)
                << nameOf(protocol) << ": " << seen->disconnects.join(u"; "_s).toStdString();
        }
        return client;
    }

    LiveClient *open(Subprotocol protocol, const QString &userId, const QStringList &roles, Seen *seen,
                     const QStringList &groups = {})
    {
        wps::ClientTokenOptions token;
        token.userId = userId;
        token.roles = roles;
        token.groups = groups;
        return open(protocol, token, seen);
    }

    /// Waits for \a job to finish and returns it.
    static AckJob *done(AckJob *job)
    {
        EXPECT_TRUE(QTest::qWaitFor([job] { return job->isFinished(); }, kWaitMs))
            << job->operation().toStdString();
        return job;
    }
    static bool ok(AckJob *job)
    {
        done(job);
        return job->succeeded();
    }
    /// The error kind of a finished job; Other with name "none" when it succeeded.
    static QString errorName(AckJob *job)
    {
        done(job);
        return job->error() ? job->error()->name : u"none"_s;
    }

    template <typename Job>
    static Job *run(Job *job)
    {
        QSignalSpy spy(job, &wps::service::ServiceJob::finished);
        EXPECT_TRUE(QTest::qWaitFor([&] { return spy.count() >= 1; }, 20000));
        EXPECT_FALSE(job->hasError())
            << job->operation().toStdString() << ": " << job->error().toString().toStdString();
        return job;
    }

    static bool eventually(const std::function<bool()> &predicate)
    {
        return QTest::qWaitFor(predicate, kWaitMs);
    }

    /// The drop test: \a total sequenced messages from a publisher client to a reliable receiver behind a
    /// proxy that cuts every connection \a cuts times -> nothing lost, nothing duplicated, order kept, one
    /// logical connection throughout.
    void dropTest(Subprotocol protocol, int total, int cuts)
    {
        wps::test::EmulatorProcess &emulator = m_emulator;
        wps::test::WsProxy proxy;
        const quint16 proxyPort = proxy.listen(QHostAddress::LocalHost, emulator.port());
        ASSERT_NE(proxyPort, 0);
        // The token's audience names the host the client dials: the proxy.
        const wps::ConnectionString viaProxy(QUrl(u"http://127.0.0.1:%1"_s.arg(proxyPort)),
                                             emulator.connectionString().accessKey());

        QList<int> received;
        received.reserve(total);
        int connects = 0;
        QStringList disconnects;
        int sent = 0;
        int nextCut = total / (cuts + 1);
        int cutsMade = 0;
        bool marker = false;
        wps::ClientTokenOptions receiverToken;
        receiverToken.userId = u"receiver"_s;
        receiverToken.groups = {u"stream"_s};
        // Declared after everything their lambdas capture, so the clients are destroyed first.
        auto receiverOwner = std::make_unique<LiveClient>(
            wps::makeClientAccess(viaProxy, u"hub1"_s, receiverToken).url, protocol);
        LiveClient *receiver = receiverOwner.get();
        wps::ClientTokenOptions publisherToken;
        publisherToken.userId = u"publisher"_s;
        publisherToken.roles = {u"webpubsub.sendToGroup.stream"_s};
        auto publisherOwner = std::make_unique<LiveClient>(
            wps::makeClientAccess(emulator.connectionString(), u"hub1"_s, publisherToken).url,
            Subprotocol::Json);
        LiveClient *publisher = publisherOwner.get();
        wps::live::LiveClientSettings settings;
        settings.pingInterval = 0ms;
        settings.sequenceAckInterval = 20ms;
        settings.sequenceAckThreshold = 50;
        settings.recoveryRetryDelay = 20ms;
        settings.recoveryTimeout = 20000ms;
        settings.autoReconnect = false;
        receiver->setSettings(settings);
        publisher->setSettings(settings);

        // The publisher keeps at most `window` messages ahead of the receiver: the emulator's reliable buffer
        // holds 1,000 unacked messages (docs/emulator.md), and the test is about loss, not overflow.
        constexpr int window = 200;
        auto pump = [&] {
            while (sent < total && sent - received.size() < window &&
                   publisher->state() == State::Connected) {
                LiveClient::SendOptions fire;
                fire.fireAndForget = true;
                AckJob *job = publisher->sendToGroup(u"stream"_s, Payload::text(QString::number(sent)), fire);
                QObject::connect(job, &AckJob::finished, job, &QObject::deleteLater);
                ++sent;
            }
        };
        QObject::connect(receiver, &LiveClient::connected, receiver, [&connects] { ++connects; });
        QObject::connect(receiver, &LiveClient::disconnected, receiver,
                         [&disconnects](const QString &why) { disconnects.append(why); });
        QObject::connect(receiver, &LiveClient::groupMessage, receiver, [&](const DataMessage &message) {
            received.append(QString::fromUtf8(message.data.bytes).toInt());
            if (cutsMade < cuts && received.size() >= nextCut) {
                ++cutsMade;
                nextCut += total / (cuts + 1);
                QTimer::singleShot(0, &proxy, [&proxy] { proxy.cutAll(); });
            }
            QTimer::singleShot(0, publisher, pump);
        });

        receiver->start();
        publisher->start();
        ASSERT_TRUE(QTest::qWaitFor(
            [&] { return receiver->state() == State::Connected && publisher->state() == State::Connected; },
            kWaitMs));
        pump();
        EXPECT_TRUE(QTest::qWaitFor(
            [&] { return received.size() >= total || receiver->state() == State::Stopped; }, 50000))
            << "received " << received.size() << " of " << total << ", sent " << sent << ", cuts "
            << proxy.cuts() << ", state " << wps::live::stateName(receiver->state()).toStdString() << ", "
            << disconnects.join(u"; "_s).toStdString();
        // Let anything late (a duplicate) show up before judging: a marker sent after everything else.
        QObject::connect(receiver, &LiveClient::serverMessage, receiver,
                         [&marker](const DataMessage &message) { marker = message.data.bytes == "end"; });
        run(m_service->sendToUser(u"receiver"_s, wps::service::Message::text(u"end"_s)));
        EXPECT_TRUE(QTest::qWaitFor([&marker] { return marker; }, kWaitMs));

        ASSERT_EQ(received.size(), total);
        for (int i = 0; i < total; ++i) {
            if (received.at(i) != i) {
                ADD_FAILURE() << "message " << i << " is " << received.at(i);
                break;
            }
        }
        EXPECT_EQ(proxy.cuts(), cuts);
        EXPECT_GE(receiver->recoveries(), cuts);
        EXPECT_EQ(connects, 1) << "a new connection would have lost messages";
        EXPECT_TRUE(disconnects.isEmpty()) << disconnects.join(u"; "_s).toStdString();
        EXPECT_EQ(receiver->state(), State::Connected);
    }

    wps::test::FaultServer m_handler;
    QTemporaryFile m_config;
    wps::test::EmulatorProcess m_emulator;
    std::unique_ptr<wps::service::ServiceClient> m_service;
    std::vector<std::unique_ptr<LiveClient>> m_clients;
};

TEST_F(LiveEmulatorTest, ConnectedCarriesIdsOnEverySubprotocol)
{
    for (Subprotocol protocol : kSubprotocols) {
        SCOPED_TRACE(nameOf(protocol));
        Seen seen;
        const QString user = u"user-"_s + QString::number(int(protocol));
        LiveClient *client = open(protocol, user, {}, &seen);
        EXPECT_EQ(seen.connects, 1);
        EXPECT_EQ(client->userId(), user);
        EXPECT_EQ(client->connectionId().size(), 31); // docs/emulator.md: 31 URL-safe characters
        EXPECT_TRUE(run(m_service->connectionExists(client->connectionId()))->exists());
        EXPECT_TRUE(run(m_service->userExists(user))->exists());
        m_clients.clear(); // the Seen records of this round end here
    }
    // A raw client has no `connected` message; the service still knows its user.
    Seen raw;
    LiveClient *client = open(Subprotocol::None, u"raw-user"_s, {}, &raw);
    EXPECT_TRUE(client->connectionId().isEmpty());
    EXPECT_TRUE(run(m_service->userExists(u"raw-user"_s))->exists());

    // An anonymous user: connected, no user id.
    Seen anonymous;
    LiveClient *nobody = open(Subprotocol::Json, QString(), {}, &anonymous);
    EXPECT_FALSE(nobody->connectionId().isEmpty());
    EXPECT_TRUE(nobody->userId().isEmpty());
}

TEST_F(LiveEmulatorTest, JoinSendWithNoEchoAndLeave)
{
    const QStringList roles{u"webpubsub.joinLeaveGroup"_s, u"webpubsub.sendToGroup"_s};
    for (Subprotocol protocol : kSubprotocols) {
        SCOPED_TRACE(nameOf(protocol));
        const QString group = u"room-"_s + QString::number(int(protocol));
        Seen senderSeen;
        Seen peerSeen;
        LiveClient *sender = open(protocol, u"sender"_s, roles, &senderSeen);
        LiveClient *peer = open(protocol, u"peer"_s, roles, &peerSeen);
        ASSERT_TRUE(ok(sender->joinGroup(group)));
        ASSERT_TRUE(ok(peer->joinGroup(group)));
        EXPECT_EQ(sender->joinedGroups(), QStringList{group});

        wps::live::LiveClient::SendOptions noEcho;
        noEcho.noEcho = true;
        EXPECT_TRUE(ok(sender->sendToGroup(group, Payload::text(u"quiet"_s), noEcho)));
        EXPECT_TRUE(ok(sender->sendToGroup(group, Payload::json(R"({"loud":true})"_ba))));
        ASSERT_TRUE(eventually([&] { return peerSeen.group.size() >= 2; }));
        EXPECT_EQ(peerSeen.group.at(0).data, Payload::text(u"quiet"_s));
        EXPECT_EQ(peerSeen.group.at(0).group, group);
        // Protobuf data messages have no fromUserId (docs/protocol.md#protobuf).
        EXPECT_EQ(peerSeen.group.at(0).fromUserId,
                  wps::live::isProtobuf(protocol) ? std::nullopt : std::optional<QString>(u"sender"_s));
        EXPECT_EQ(peerSeen.group.at(1).data.type, DataType::Json);
        EXPECT_EQ(jsonOf(peerSeen.group.at(1).data), (QJsonObject{{u"loud"_s, true}}));
        // The echo of the second send arrives; the noEcho one never did (it went out first).
        ASSERT_TRUE(eventually([&] { return senderSeen.group.size() >= 1; }));
        EXPECT_EQ(senderSeen.group.at(0).data.type, DataType::Json);
        EXPECT_FALSE(senderSeen.hasText(u"quiet"_s));
        if (wps::live::isReliable(protocol)) {
            EXPECT_TRUE(peerSeen.group.at(0).sequenceId.has_value());
        }

        ASSERT_TRUE(ok(peer->leaveGroup(group)));
        EXPECT_TRUE(peer->joinedGroups().isEmpty());
        EXPECT_TRUE(ok(sender->sendToGroup(group, Payload::text(u"after leave"_s))));
        run(m_service->sendToConnection(peer->connectionId(), wps::service::Message::text(u"marker"_s)));
        ASSERT_TRUE(eventually([&] { return peerSeen.hasText(u"marker"_s); }));
        EXPECT_FALSE(peerSeen.hasText(u"after leave"_s));
        m_clients.clear(); // the Seen records of this round end here
    }
}

TEST_F(LiveEmulatorTest, EventAcksWithErrorUntilAHandlerIsConfigured)
{
    for (Subprotocol protocol : kSubprotocols) {
        SCOPED_TRACE(nameOf(protocol));
        Seen seen;
        LiveClient *client = open(protocol, u"u"_s, {}, &seen);
        AckJob *job = done(client->sendEvent(u"hello"_s, Payload::text(u"hi"_s)));
        ASSERT_FALSE(job->succeeded());
        EXPECT_EQ(job->error()->kind, AckError::Kind::InternalServerError);

        wps::ClientTokenOptions token;
        token.userId = u"u"_s;
        Seen handled;
        LiveClient *withHandler = open(protocol, token, &handled, u"events"_s);
        EXPECT_TRUE(ok(withHandler->sendEvent(u"hello"_s, Payload::text(u"hi"_s))));
        // The handler's answer comes back from the server (before the ack, docs/emulator.md).
        EXPECT_TRUE(handled.has(DataType::Text, "echo"));
        ASSERT_TRUE(eventually([&] { return m_handler.bodies().contains("hi"); }));
        // Fire-and-forget: no ack, the reply still arrives.
        EXPECT_TRUE(ok(withHandler->sendEvent(u"again"_s, Payload::text(u"hi2"_s), true)));
        EXPECT_TRUE(eventually([&] { return handled.server.size() >= 2; }));
        m_clients.clear(); // the Seen records of this round end here
    }
}

TEST_F(LiveEmulatorTest, ForbiddenDuplicateAndBadRequestAcksReachTheCallerOnEverySubprotocol)
{
    for (Subprotocol protocol : kSubprotocols) {
        SCOPED_TRACE(nameOf(protocol));
        Seen plainSeen;
        LiveClient *plain = open(protocol, u"norole"_s, {}, &plainSeen);
        AckJob *join = done(plain->joinGroup(u"g"_s));
        ASSERT_FALSE(join->succeeded());
        EXPECT_EQ(join->error()->kind, AckError::Kind::Forbidden);
        EXPECT_TRUE(join->error()->message.contains(u"'g'"_s)) << join->error()->message.toStdString();
        EXPECT_TRUE(plain->joinedGroups().isEmpty());
        EXPECT_EQ(errorName(plain->leaveGroup(u"g"_s)), u"Forbidden"_s);
        EXPECT_EQ(errorName(plain->sendToGroup(u"g"_s, Payload::text(u"x"_s))), u"Forbidden"_s);

        Seen senderSeen;
        LiveClient *sender = open(protocol, u"sender"_s, {u"webpubsub.sendToGroup"_s}, &senderSeen);
        LiveClient::SendOptions withId;
        withId.ackId = 500;
        AckJob *first = done(sender->sendToGroup(u"g"_s, Payload::text(u"once"_s), withId));
        EXPECT_TRUE(first->succeeded());
        EXPECT_FALSE(first->isDuplicated());
        EXPECT_EQ(first->ackId(), std::optional<quint64>(500));
        AckJob *again = done(sender->sendToGroup(u"g"_s, Payload::text(u"once"_s), withId));
        EXPECT_TRUE(again->succeeded());
        EXPECT_TRUE(again->isDuplicated());
        // Automatic ids continue after the caller's id, so they never collide with it.
        AckJob *next = done(sender->sendToGroup(u"g"_s, Payload::text(u"next"_s)));
        EXPECT_TRUE(next->succeeded());
        EXPECT_FALSE(next->isDuplicated());
        EXPECT_GT(next->ackId().value_or(0), 500u);
        // A failed request is not remembered: retrying its ackId is not a Duplicate.
        LiveClient::SendOptions failedId;
        failedId.ackId = 900;
        EXPECT_EQ(errorName(plain->sendToGroup(u"g"_s, Payload::text(u"x"_s), failedId)), u"Forbidden"_s);
        EXPECT_EQ(errorName(plain->sendToGroup(u"g"_s, Payload::text(u"x"_s), failedId)), u"Forbidden"_s);
        // An invalid group name (over 1,024 characters) is refused by the service, its error name kept.
        AckJob *bad = done(sender->sendToGroup(QString(1100, u'x'), Payload::text(u"x"_s)));
        ASSERT_FALSE(bad->succeeded());
        EXPECT_EQ(bad->error()->kind, AckError::Kind::Other);
        EXPECT_EQ(bad->error()->name, u"BadRequest"_s) << bad->error()->message.toStdString();
        EXPECT_EQ(sender->state(), State::Connected);
        m_clients.clear(); // the Seen records of this round end here
    }
    // A raw client has no acked operations.
    Seen rawSeen;
    LiveClient *raw = open(Subprotocol::None, u"raw"_s, {}, &rawSeen);
    EXPECT_EQ(errorName(raw->joinGroup(u"g"_s)), u"NotSupported"_s);
}

TEST_F(LiveEmulatorTest, EachRoleAllowsOnlyItsOwnActionOnItsGroupOrPattern)
{
    Seen seen;
    LiveClient *scoped = open(Subprotocol::Json, u"scoped"_s,
                              {u"webpubsub.joinLeaveGroup.room1"_s, u"webpubsub.sendToGroup.room1"_s}, &seen);
    EXPECT_TRUE(ok(scoped->joinGroup(u"room1"_s)));
    EXPECT_EQ(errorName(scoped->joinGroup(u"room2"_s)), u"Forbidden"_s);
    EXPECT_TRUE(ok(scoped->sendToGroup(u"room1"_s, Payload::text(u"x"_s))));
    EXPECT_EQ(errorName(scoped->sendToGroup(u"room2"_s, Payload::text(u"x"_s))), u"Forbidden"_s);
    EXPECT_TRUE(ok(scoped->leaveGroup(u"room1"_s)));
    EXPECT_EQ(errorName(scoped->leaveGroup(u"room2"_s)), u"Forbidden"_s);

    // joinLeaveGroup alone does not allow sending, and the other way round.
    Seen joinerSeen;
    LiveClient *joiner =
        open(Subprotocol::Protobuf, u"joiner"_s, {u"webpubsub.joinLeaveGroup"_s}, &joinerSeen);
    EXPECT_TRUE(ok(joiner->joinGroup(u"any"_s)));
    EXPECT_EQ(errorName(joiner->sendToGroup(u"any"_s, Payload::text(u"x"_s))), u"Forbidden"_s);
    Seen senderSeen;
    LiveClient *sender =
        open(Subprotocol::JsonReliable, u"sender"_s, {u"webpubsub.sendToGroup"_s}, &senderSeen);
    EXPECT_TRUE(ok(sender->sendToGroup(u"any"_s, Payload::text(u"x"_s))));
    EXPECT_EQ(errorName(sender->joinGroup(u"any"_s)), u"Forbidden"_s);

    // Wildcards: webpubsub.joinLeaveGroups.<pattern> and webpubsub.sendToGroups.<pattern>.
    Seen wildSeen;
    LiveClient *wild =
        open(Subprotocol::ProtobufReliable, u"wild"_s,
             {u"webpubsub.joinLeaveGroups.team-*"_s, u"webpubsub.sendToGroups.chat?"_s}, &wildSeen);
    EXPECT_TRUE(ok(wild->joinGroup(u"team-a"_s)));
    EXPECT_TRUE(ok(wild->joinGroup(u"team-"_s)));
    EXPECT_EQ(errorName(wild->joinGroup(u"teams"_s)), u"Forbidden"_s);
    EXPECT_TRUE(ok(wild->sendToGroup(u"chat1"_s, Payload::text(u"x"_s))));
    EXPECT_EQ(errorName(wild->sendToGroup(u"chat12"_s, Payload::text(u"x"_s))), u"Forbidden"_s);
    EXPECT_EQ(errorName(wild->sendToGroup(u"team-a"_s, Payload::text(u"x"_s))), u"Forbidden"_s);
    // REST CheckPermission sees wildcard roles too.
    EXPECT_TRUE(
        run(m_service->checkPermission(u"joinLeaveGroup"_s, wild->connectionId(), u"team-b"_s))->exists());
}

TEST_F(LiveEmulatorTest, TheGroupsInTheTokenAreJoinedOnConnect)
{
    for (Subprotocol protocol : kSubprotocols) {
        SCOPED_TRACE(nameOf(protocol));
        Seen seen;
        const QString group = u"lobby-"_s + QString::number(int(protocol));
        LiveClient *client = open(protocol, u"u"_s, {}, &seen, {group});
        EXPECT_TRUE(run(m_service->groupExists(group))->exists());
        run(m_service->sendToGroup(group, wps::service::Message::text(u"welcome"_s)));
        ASSERT_TRUE(eventually([&] { return seen.group.size() >= 1; }));
        EXPECT_EQ(seen.group.at(0).group, group);
        EXPECT_EQ(seen.group.at(0).data, Payload::text(u"welcome"_s));
        // Joined by the token, not by a joinGroup: the client has nothing to rejoin.
        EXPECT_TRUE(client->joinedGroups().isEmpty());
        m_clients.clear(); // the Seen records of this round end here
    }
}

TEST_F(LiveEmulatorTest, RestGrantTakesEffectAtOnce)
{
    Seen seen;
    LiveClient *client = open(Subprotocol::JsonReliable, u"u"_s, {}, &seen);
    EXPECT_EQ(errorName(client->joinGroup(u"vip"_s)), u"Forbidden"_s);
    EXPECT_EQ(errorName(client->sendToGroup(u"vip"_s, Payload::text(u"x"_s))), u"Forbidden"_s);
    run(m_service->grantPermission(u"joinLeaveGroup"_s, client->connectionId(), u"vip"_s));
    EXPECT_TRUE(ok(client->joinGroup(u"vip"_s)));
    EXPECT_EQ(errorName(client->sendToGroup(u"vip"_s, Payload::text(u"x"_s))), u"Forbidden"_s);
    run(m_service->grantPermission(u"sendToGroup"_s, client->connectionId(), u"vip"_s));
    EXPECT_TRUE(ok(client->sendToGroup(u"vip"_s, Payload::text(u"granted"_s))));
    ASSERT_TRUE(eventually([&] { return seen.hasText(u"granted"_s); })); // its own echo
    run(m_service->revokePermission(u"sendToGroup"_s, client->connectionId(), u"vip"_s));
    EXPECT_EQ(errorName(client->sendToGroup(u"vip"_s, Payload::text(u"x"_s))), u"Forbidden"_s);
}

TEST_F(LiveEmulatorTest, RestSendsArriveWithTheirDataTypes)
{
    using wps::service::Message;
    Seen jsonSeen;
    Seen pbSeen;
    Seen rawSeen;
    Seen reliableSeen;
    LiveClient *json = open(Subprotocol::Json, u"u-json"_s, {}, &jsonSeen);
    LiveClient *pb = open(Subprotocol::Protobuf, u"u-pb"_s, {}, &pbSeen);
    open(Subprotocol::None, u"u-raw"_s, {}, &rawSeen);
    LiveClient *reliable = open(Subprotocol::ProtobufReliable, u"u-rel"_s, {}, &reliableSeen);

    // All: json, text and binary.
    run(m_service->sendToAll(Message::json(R"({"n":1})"_ba)));
    run(m_service->sendToAll(Message::text(u"t1"_s)));
    run(m_service->sendToAll(Message::binary("\x01\x02\x00\xff"_ba)));
    for (Seen *seen : {&jsonSeen, &pbSeen, &reliableSeen}) {
        ASSERT_TRUE(eventually([seen] { return seen->server.size() >= 3; }));
        EXPECT_EQ(seen->server.at(0).data.type, DataType::Json);
        EXPECT_EQ(jsonOf(seen->server.at(0).data), (QJsonObject{{u"n"_s, 1}}));
        EXPECT_EQ(seen->server.at(1).data, Payload::text(u"t1"_s));
        EXPECT_EQ(seen->server.at(2).data, Payload::binary("\x01\x02\x00\xff"_ba));
        EXPECT_EQ(seen->server.at(0).from, DataMessage::From::Server);
    }
    EXPECT_FALSE(jsonSeen.server.at(0).sequenceId.has_value());
    EXPECT_EQ(reliableSeen.server.at(2).sequenceId, std::optional<quint64>(3));
    ASSERT_TRUE(eventually([&] { return rawSeen.raw.size() >= 3; }));
    EXPECT_EQ(QJsonDocument::fromJson(rawSeen.raw.at(0).first).object(), (QJsonObject{{u"n"_s, 1}}));
    EXPECT_FALSE(rawSeen.raw.at(0).second);
    EXPECT_EQ(rawSeen.raw.at(1), qMakePair("t1"_ba, false));
    EXPECT_EQ(rawSeen.raw.at(2), qMakePair("\x01\x02\x00\xff"_ba, true));

    // User and connection.
    run(m_service->sendToUser(u"u-pb"_s, Message::text(u"to pb"_s)));
    run(m_service->sendToUser(u"u-raw"_s, Message::text(u"to raw"_s)));
    run(m_service->sendToConnection(json->connectionId(), Message::text(u"to json"_s)));
    EXPECT_TRUE(eventually([&] { return pbSeen.hasText(u"to pb"_s); }));
    EXPECT_TRUE(eventually([&] { return rawSeen.hasRaw("to raw", false); }));
    EXPECT_TRUE(eventually([&] { return jsonSeen.hasText(u"to json"_s); }));

    // Group (everyone added by user), with excluded.
    for (const QString &user : {u"u-json"_s, u"u-pb"_s, u"u-raw"_s, u"u-rel"_s})
        run(m_service->addUserToGroup(u"all"_s, user));
    wps::service::SendOptions excluded;
    excluded.excluded = {pb->connectionId()};
    run(m_service->sendToGroup(u"all"_s, Message::json(R"({"g":true})"_ba), excluded));
    for (Seen *seen : {&jsonSeen, &reliableSeen}) {
        ASSERT_TRUE(eventually([seen] { return !seen->group.isEmpty(); }));
        EXPECT_EQ(seen->group.at(0).group, u"all"_s);
        EXPECT_EQ(seen->group.at(0).data.type, DataType::Json);
        EXPECT_EQ(jsonOf(seen->group.at(0).data), (QJsonObject{{u"g"_s, true}}));
        EXPECT_FALSE(seen->group.at(0).fromUserId.has_value()); // from REST: no publisher
    }
    EXPECT_TRUE(eventually([&] { return rawSeen.raw.size() >= 5; }));

    // Filter: only the protobuf user; excluded on sendToAll.
    wps::service::SendOptions filtered;
    filtered.filter = u"userId eq 'u-pb'"_s;
    run(m_service->sendToAll(Message::text(u"filtered"_s), filtered));
    wps::service::SendOptions notJson;
    notJson.excluded = {json->connectionId()};
    run(m_service->sendToAll(Message::text(u"not json"_s), notJson));
    run(m_service->sendToAll(Message::text(u"end"_s)));
    EXPECT_TRUE(eventually([&] { return pbSeen.hasText(u"end"_s) && jsonSeen.hasText(u"end"_s); }));
    EXPECT_TRUE(eventually([&] { return reliableSeen.hasText(u"end"_s) && rawSeen.hasRaw("end", false); }));
    EXPECT_TRUE(pbSeen.hasText(u"filtered"_s));
    EXPECT_FALSE(jsonSeen.hasText(u"filtered"_s));
    EXPECT_FALSE(reliableSeen.hasText(u"filtered"_s));
    EXPECT_FALSE(rawSeen.hasRaw("filtered", false));
    EXPECT_FALSE(pbSeen.group.size() > 0); // excluded from the group send
    EXPECT_FALSE(jsonSeen.hasText(u"not json"_s));
    EXPECT_TRUE(pbSeen.hasText(u"not json"_s));
    EXPECT_EQ(reliable->duplicatesDropped(), 0u);
}

TEST_F(LiveEmulatorTest, RestCloseDisconnectsWithTheReason)
{
    for (Subprotocol protocol : kSubprotocols) {
        SCOPED_TRACE(nameOf(protocol));
        Seen seen;
        LiveClient *client = open(protocol, u"u"_s, {}, &seen);
        run(m_service->closeConnection(client->connectionId(), u"bye now"_s));
        ASSERT_TRUE(eventually([&] { return client->state() == State::Stopped; }));
        ASSERT_EQ(seen.disconnects.size(), 1);
        EXPECT_EQ(seen.disconnects.at(0), u"bye now"_s);
        EXPECT_EQ(seen.stops, 1);
        EXPECT_EQ(client->recoveries(), 0); // a service close is not recovered
        m_clients.clear();                  // the Seen records of this round end here
    }
    Seen rawSeen;
    LiveClient *raw = open(Subprotocol::None, u"raw"_s, {}, &rawSeen);
    run(m_service->closeUserConnections(u"raw"_s, {u"raw bye"_s, {}}));
    ASSERT_TRUE(eventually([&] { return raw->state() == State::Stopped; }));
    ASSERT_EQ(rawSeen.disconnects.size(), 1);
    EXPECT_EQ(rawSeen.disconnects.at(0), u"raw bye"_s);
}

TEST_F(LiveEmulatorTest, RefusedTokenStopsTheFirstConnection)
{
    Seen seen;
    wps::ClientTokenOptions token;
    token.userId = u"u"_s;
    const wps::ConnectionString wrongKey(m_emulator.endpoint(), u"not-the-key"_s);
    LiveClient *client = open(Subprotocol::Json, token, &seen, u"hub1"_s, &wrongKey, false);
    ASSERT_TRUE(eventually([&] { return client->state() == State::Stopped; }));
    ASSERT_EQ(seen.disconnects.size(), 1);
    EXPECT_TRUE(seen.disconnects.at(0).contains(u"401"_s)) << seen.disconnects.at(0).toStdString();
    EXPECT_EQ(seen.connects, 0);
}

TEST_F(LiveEmulatorTest, AJsonReliableReceiverLosesNothingAcross20Cuts)
{
    dropTest(Subprotocol::JsonReliable, 10000, 20);
}

TEST_F(LiveEmulatorTest, AProtobufReliableReceiverLosesNothingAcross5Cuts)
{
    dropTest(Subprotocol::ProtobufReliable, 2000, 5);
}

} // namespace
