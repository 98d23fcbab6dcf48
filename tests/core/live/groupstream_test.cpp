// GroupStreamWriter and GroupStreamReceiver on LiveClients against the real `webpubsub-emulator` over
// loopback (docs/live-clients.md#group-streams): open, write, end (with and without an error), receive in
// order on json and protobuf clients, refusals, and the trace rows' summaries.
#include "live/groupstream.h"
#include "live/liveclient.h"
#include "protocol/clienttoken.h"
#include "support/emulatorprocess.h"
#include "support/wait.h"

#include <QTest>

#include <gtest/gtest.h>

#include <memory>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using wps::live::FrameRecord;
using wps::live::GroupStreamOptions;
using wps::live::GroupStreamReceiver;
using wps::live::GroupStreamWriter;
using wps::live::LiveClient;
using wps::live::State;
using wps::live::Subprotocol;
using wps::messages::Payload;

namespace {

using wps::test::kWaitMs;

/// What a receiver reported.
struct Received
{
    QStringList started;
    QList<QPair<quint64, QByteArray>> fragments;
    QStringList ended; ///< "<streamId>:<errorName>"
};

class GroupStreamLiveTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(m_emulator.start()) << m_emulator.errorText().toStdString(); }

    LiveClient *open(Subprotocol protocol, const QString &user, const QStringList &roles,
                     const QStringList &groups = {})
    {
        wps::ClientTokenOptions token;
        token.userId = user;
        token.roles = roles;
        token.groups = groups;
        const wps::ClientAccess access =
            wps::makeClientAccess(m_emulator.connectionString(), u"hub1"_s, token);
        auto *client = new LiveClient(access.url, protocol);
        m_clients.emplace_back(client);
        wps::live::LiveClientSettings settings;
        settings.pingInterval = 0ms;
        settings.autoReconnect = false;
        client->setSettings(settings);
        QObject::connect(client, &LiveClient::frameObserved, client,
                         [this](const FrameRecord &record) { m_records << record; });
        client->start();
        EXPECT_TRUE(QTest::qWaitFor([client] { return client->state() == State::Connected; }, kWaitMs));
        return client;
    }

    static void watch(GroupStreamReceiver *receiver, Received *received)
    {
        QObject::connect(receiver, &GroupStreamReceiver::streamStarted, receiver,
                         [received](const QString &, const QString &streamId, const QString &) {
                             received->started << streamId;
                         });
        QObject::connect(
            receiver, &GroupStreamReceiver::fragmentReceived, receiver,
            [received](const QString &, const QString &, quint64 sequenceId, const Payload &data) {
                received->fragments.append({sequenceId, data.bytes});
            });
        QObject::connect(receiver, &GroupStreamReceiver::streamEnded, receiver,
                         [received](const QString &, const QString &streamId, const QString &errorName,
                                    const QString &) { received->ended << streamId + u':' + errorName; });
    }

    static bool opened(GroupStreamWriter *writer)
    {
        return QTest::qWaitFor([writer] { return writer->state() != GroupStreamWriter::State::Opening; },
                               kWaitMs) &&
               writer->state() == GroupStreamWriter::State::Open;
    }

    QStringList details() const
    {
        QStringList out;
        for (const FrameRecord &record : m_records)
            if (!record.detail.isEmpty())
                out << record.detail;
        return out;
    }

    wps::test::EmulatorProcess m_emulator;
    std::vector<std::unique_ptr<LiveClient>> m_clients;
    QList<FrameRecord> m_records;
};

const QStringList kPublisher{u"webpubsub.sendToGroup.room"_s};

GroupStreamOptions withId(const QString &streamId)
{
    GroupStreamOptions options;
    options.streamId = streamId;
    return options;
}

} // namespace

TEST_F(GroupStreamLiveTest, WritesAStreamThatJsonAndProtobufReceiversGetInOrder)
{
    LiveClient *ann = open(Subprotocol::Json, u"ann"_s, kPublisher);
    LiveClient *bob = open(Subprotocol::JsonReliable, u"bob"_s, {}, {u"room"_s});
    LiveClient *pat = open(Subprotocol::Protobuf, u"pat"_s, {}, {u"room"_s});
    Received bobGot;
    Received patGot;
    watch(new GroupStreamReceiver(bob), &bobGot);
    watch(new GroupStreamReceiver(pat), &patGot);

    GroupStreamWriter *writer = GroupStreamWriter::open(ann, u"room"_s, withId(u"s1"_s));
    ASSERT_TRUE(opened(writer)) << writer->errorName().toStdString();
    EXPECT_EQ(writer->streamId(), u"s1"_s);
    for (int i = 1; i <= 3; ++i)
        EXPECT_TRUE(writer->write(Payload::text(u"part %1"_s.arg(i))));
    EXPECT_TRUE(QTest::qWaitFor([writer] { return writer->acknowledgedUpTo() == 4; }, kWaitMs));
    EXPECT_TRUE(writer->end());
    EXPECT_FALSE(writer->write(Payload::text(u"late"_s))); // ended: no more writes
    EXPECT_TRUE(
        QTest::qWaitFor([writer] { return writer->state() == GroupStreamWriter::State::Closed; }, kWaitMs));
    EXPECT_TRUE(writer->errorName().isEmpty());

    for (Received *got : {&bobGot, &patGot}) {
        ASSERT_TRUE(QTest::qWaitFor([got] { return !got->ended.isEmpty(); }, kWaitMs));
        EXPECT_EQ(got->started, QStringList{u"s1"_s});
        ASSERT_EQ(got->fragments.size(), 3);
        for (int i = 0; i < 3; ++i) {
            EXPECT_EQ(got->fragments.at(i).first, static_cast<quint64>(i + 1));
            EXPECT_EQ(got->fragments.at(i).second, u"part %1"_s.arg(i + 1).toUtf8());
        }
        EXPECT_EQ(got->ended, QStringList{u"s1:"_s});
    }

    // The trace rows say what happened in words.
    const QStringList rows = details();
    EXPECT_TRUE(rows.contains(u"open stream s1 to group room"_s)) << rows.join(u" | "_s).toStdString();
    EXPECT_TRUE(rows.contains(u"stream s1 opened"_s));
    EXPECT_TRUE(rows.contains(u"stream s1 · fragment 2 · text, 6 bytes"_s));
    EXPECT_TRUE(rows.contains(u"end stream s1"_s));
    EXPECT_TRUE(rows.contains(u"stream s1 ended after 3 fragments"_s));
    EXPECT_TRUE(rows.contains(u"stream s1 closed"_s));
}

TEST_F(GroupStreamLiveTest, AnEndWithAnErrorReachesReceiversAsUserError)
{
    LiveClient *ann = open(Subprotocol::Protobuf, u"ann"_s, kPublisher);
    LiveClient *bob = open(Subprotocol::Json, u"bob"_s, {}, {u"room"_s});
    Received got;
    auto *receiver = new GroupStreamReceiver(bob);
    watch(receiver, &got);
    GroupStreamWriter *writer = GroupStreamWriter::open(ann, u"room"_s);
    ASSERT_TRUE(opened(writer));
    EXPECT_FALSE(writer->streamId().isEmpty()); // a generated id
    EXPECT_TRUE(writer->write(Payload::json(R"({"token":"Hel"})")));
    EXPECT_TRUE(writer->end(wps::messages::StreamEndError{u"model overloaded"_s, u"E42"_s}));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !got.ended.isEmpty(); }, kWaitMs));
    EXPECT_EQ(got.ended, QStringList{writer->streamId() + u":UserError"_s});
    ASSERT_EQ(got.fragments.size(), 1);
    EXPECT_EQ(got.fragments.at(0).second, R"({"token":"Hel"})"_ba);
    const QList<GroupStreamReceiver::Inbound> streams = receiver->streams();
    ASSERT_EQ(streams.size(), 1);
    EXPECT_TRUE(streams.at(0).ended);
    EXPECT_EQ(streams.at(0).fromUserId, u"ann"_s);
    EXPECT_EQ(streams.at(0).errorMessage, u"E42: model overloaded"_s);
}

TEST_F(GroupStreamLiveTest, ARefusedStartClosesTheWriterWithTheServicesReason)
{
    LiveClient *bob = open(Subprotocol::Json, u"bob"_s, {}, {u"room"_s});
    GroupStreamWriter *writer = GroupStreamWriter::open(bob, u"room"_s, withId(u"nope"_s));
    QString name;
    QObject::connect(writer, &GroupStreamWriter::closed, writer,
                     [&name](const QString &errorName, const QString &) { name = errorName; });
    ASSERT_TRUE(QTest::qWaitFor([&] { return !name.isEmpty(); }, kWaitMs));
    EXPECT_EQ(name, u"Forbidden"_s);
    EXPECT_EQ(writer->errorMessage(), u"The client has no permission to send message to group 'room'."_s);
    EXPECT_FALSE(writer->write(Payload::text(u"x"_s)));
    EXPECT_TRUE(details().contains(
        u"stream nope closed: Forbidden: The client has no permission to send message to group 'room'."_s));
}

TEST_F(GroupStreamLiveTest, AWriterOnAStoppedClientFailsWithoutSending)
{
    LiveClient *ann = open(Subprotocol::Json, u"ann"_s, kPublisher);
    ann->stop();
    ASSERT_TRUE(QTest::qWaitFor([ann] { return ann->state() == State::Stopped; }, kWaitMs));
    GroupStreamWriter *writer = GroupStreamWriter::open(ann, u"room"_s);
    QString name;
    QObject::connect(writer, &GroupStreamWriter::closed, writer,
                     [&name](const QString &errorName, const QString &) { name = errorName; });
    ASSERT_TRUE(QTest::qWaitFor([&] { return !name.isEmpty(); }, kWaitMs));
    EXPECT_EQ(name, u"NotConnected"_s);
}

TEST_F(GroupStreamLiveTest, AReceiverEndsAQuietStreamAfterItsIdleTimeout)
{
    LiveClient *ann = open(Subprotocol::Json, u"ann"_s, kPublisher);
    LiveClient *bob = open(Subprotocol::Json, u"bob"_s, {}, {u"room"_s});
    Received got;
    watch(new GroupStreamReceiver(bob, 150ms), &got);
    GroupStreamWriter *writer = GroupStreamWriter::open(ann, u"room"_s, withId(u"q"_s));
    ASSERT_TRUE(opened(writer));
    EXPECT_TRUE(writer->write(Payload::text(u"one"_s)));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !got.ended.isEmpty(); }, kWaitMs));
    EXPECT_EQ(got.ended, QStringList{u"q:IdleTimeout"_s});
    EXPECT_EQ(writer->state(), GroupStreamWriter::State::Open); // the publisher's stream is still open
}
