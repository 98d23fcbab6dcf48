// Group streams against the real emulator on loopback (docs/emulator.md#group-streams): a stream opened by
// one client reaches the group's members with its `stream` info, fragments in order, acks and nacks with
// expectedSequenceId, the idle timeout, streamEnd with and without an error, the limits, permissions, the
// publisher's disconnect, protobuf receivers, and the live trace records.
#include "emulator/emulator.h"
#include "emulator/livetrace.h"
#include "protocol/jwt.h"
#include "protocol/messages.h"
#include "support/wait.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace wps::emulator;

namespace {

using wps::test::kWaitMs;

const QString kKey = u"stream-test-key-0123456789abcdefghijklmnop"_s;
const QString kJson = u"json.webpubsub.azure.v1"_s;
const QString kJsonReliable = u"json.reliable.webpubsub.azure.v1"_s;
const QString kProtobuf = u"protobuf.webpubsub.azure.v1"_s;

/// A QWebSocket that keeps every message it receives, decoded as JSON (text) or kept as bytes (binary).
struct Client
{
    Client(const QUrl &url, const QString &protocol)
    {
        QObject::connect(&ws, &QWebSocket::textMessageReceived, &ws, [this](const QString &m) {
            texts << m;
            messages << QJsonDocument::fromJson(m.toUtf8()).object();
        });
        QObject::connect(&ws, &QWebSocket::binaryMessageReceived, &ws,
                         [this](const QByteArray &m) { binaries << m; });
        QObject::connect(&ws, &QWebSocket::disconnected, &ws, [this] { closed = true; });
        QWebSocketHandshakeOptions options;
        if (!protocol.isEmpty()) // empty: a raw WebSocket client
            options.setSubprotocols({protocol});
        ws.open(QNetworkRequest(url), options);
    }
    bool waitFor(const std::function<bool()> &condition)
    {
        return QTest::qWaitFor([&] { return condition() || closed; }, kWaitMs) && condition();
    }
    /// Waits for the first message after index \a from whose type is \a type; returns it (empty if none).
    QJsonObject next(const QString &type, qsizetype *from)
    {
        QJsonObject found;
        (void)QTest::qWaitFor(
            [&] {
                for (qsizetype i = *from; i < messages.size(); ++i)
                    if (messages.at(i).value(u"type"_s).toString() == type) {
                        found = messages.at(i);
                        *from = i + 1;
                        return true;
                    }
                return closed;
            },
            kWaitMs);
        return found;
    }
    /// The group messages (stream fragments and end markers) received so far.
    QList<QJsonObject> groupMessages() const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &m : messages)
            if (m.value(u"type"_s).toString() == u"message"_s)
                out << m;
        return out;
    }
    void send(const QJsonObject &o)
    {
        ws.sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    }
    void start(const QString &group, const QString &streamId, std::optional<int> idleMs = std::nullopt,
               bool noEcho = false)
    {
        QJsonObject stream{{u"streamId"_s, streamId}};
        if (idleMs)
            stream.insert(u"idleTimeoutMs"_s, *idleMs);
        send({{u"type"_s, u"sendToGroup"_s},
              {u"group"_s, group},
              {u"noEcho"_s, noEcho},
              {u"stream"_s, stream}});
    }
    void data(const QString &streamId, int sequenceId, const QString &text)
    {
        send({{u"type"_s, u"streamData"_s},
              {u"streamId"_s, streamId},
              {u"streamSequenceId"_s, sequenceId},
              {u"dataType"_s, u"text"_s},
              {u"data"_s, text}});
    }

    QWebSocket ws;
    QList<QJsonObject> messages;
    QStringList texts; ///< every text frame as received
    QList<QByteArray> binaries;
    bool closed = false;
};

class GroupStreamTest : public ::testing::Test
{
protected:
    void start(const GroupStreamLimits &limits = {})
    {
        EmulatorOptions options;
        options.accessKey = kKey;
        options.client.streams = limits;
        m_emulator = std::make_unique<Emulator>(options);
        auto started = m_emulator->start();
        ASSERT_TRUE(started) << started.error().toStdString();
        m_port = *started;
    }
    void SetUp() override { start(); }

    QString authority() const { return u"127.0.0.1:%1"_s.arg(m_port); }

    /// A client of hub chat whose `connected` arrived, with \a roles, in group \a group when not empty.
    std::unique_ptr<Client> open(const QString &user, const QStringList &roles, const QString &group = {},
                                 const QString &protocol = kJson)
    {
        QJsonObject claims{{u"sub"_s, user},
                           {u"role"_s, QJsonArray::fromStringList(roles)},
                           {u"aud"_s, QString(u"http://"_s + authority() + u"/client/hubs/chat"_s)},
                           {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 3600}};
        if (!group.isEmpty())
            claims.insert(u"webpubsub.group"_s, QJsonArray{group});
        auto client =
            std::make_unique<Client>(QUrl(u"ws://"_s + authority() + u"/client/hubs/chat?access_token="_s +
                                          QString::fromLatin1(wps::jwt::signHs256(claims, kKey.toUtf8()))),
                                     protocol);
        if (protocol.isEmpty()) // a raw client hears no `connected`
            EXPECT_TRUE(
                client->waitFor([&] { return client->ws.state() == QAbstractSocket::ConnectedState; }));
        else if (protocol == kProtobuf)
            EXPECT_TRUE(client->waitFor([&] { return !client->binaries.isEmpty(); }));
        else
            EXPECT_TRUE(client->waitFor([&] { return !client->messages.isEmpty(); }));
        return client;
    }

    std::unique_ptr<Emulator> m_emulator;
    quint16 m_port = 0;
};

const QStringList kPublisher{u"webpubsub.sendToGroup.room"_s};

} // namespace

TEST_F(GroupStreamTest, AStreamReachesTheGroupInOrderWithAcksAndEnds)
{
    auto ann = open(u"ann"_s, kPublisher);
    auto bob = open(u"bob"_s, {}, u"room"_s);
    auto cid = open(u"cid"_s, {}, u"room"_s, kJsonReliable);
    qsizetype at = 0;

    ann->start(u"room"_s, u"s1"_s);
    EXPECT_EQ(
        ann->next(u"streamAck"_s, &at),
        (QJsonObject{{u"type"_s, u"streamAck"_s}, {u"streamId"_s, u"s1"_s}, {u"expectedSequenceId"_s, 1}}));
    for (int i = 1; i <= 3; ++i) {
        ann->data(u"s1"_s, i, u"part %1"_s.arg(i));
        EXPECT_EQ(ann->next(u"streamAck"_s, &at).value(u"expectedSequenceId"_s).toInt(), i + 1);
    }
    ann->send({{u"type"_s, u"streamEnd"_s}, {u"streamId"_s, u"s1"_s}});
    EXPECT_EQ(ann->next(u"streamClosed"_s, &at),
              (QJsonObject{{u"type"_s, u"streamClosed"_s}, {u"streamId"_s, u"s1"_s}}));

    for (Client *receiver : {bob.get(), cid.get()}) {
        ASSERT_TRUE(receiver->waitFor([&] { return receiver->groupMessages().size() >= 4; }));
        const QList<QJsonObject> got = receiver->groupMessages();
        for (int i = 0; i < 3; ++i) {
            EXPECT_EQ(got.at(i).value(u"group"_s).toString(), u"room"_s);
            EXPECT_EQ(got.at(i).value(u"fromUserId"_s).toString(), u"ann"_s);
            EXPECT_EQ(got.at(i).value(u"dataType"_s).toString(), u"text"_s);
            EXPECT_EQ(got.at(i).value(u"data"_s).toString(), u"part %1"_s.arg(i + 1));
            const QJsonObject stream = got.at(i).value(u"stream"_s).toObject();
            EXPECT_EQ(stream.value(u"streamId"_s).toString(), u"s1"_s);
            EXPECT_EQ(stream.value(u"streamSequenceId"_s).toInt(), i + 1);
            EXPECT_FALSE(stream.contains(u"endOfStream"_s));
        }
        // The end marker: the next expected number, endOfStream, a dataType and no data.
        const QJsonObject end = got.at(3);
        EXPECT_EQ(end.value(u"dataType"_s).toString(), u"json"_s);
        EXPECT_FALSE(end.contains(u"data"_s));
        const QJsonObject stream = end.value(u"stream"_s).toObject();
        EXPECT_EQ(stream.value(u"streamSequenceId"_s).toInt(), 4);
        EXPECT_TRUE(stream.value(u"endOfStream"_s).toBool());
        EXPECT_FALSE(stream.contains(u"error"_s));
    }
    // The reliable receiver's sequence ids are its own, independent of the stream's numbers.
    const QList<QJsonObject> reliable = cid->groupMessages();
    EXPECT_EQ(reliable.at(0).value(u"sequenceId"_s).toInt(), 1);
    EXPECT_EQ(reliable.at(3).value(u"sequenceId"_s).toInt(), 4);
    // The start reached nobody: receivers see a stream from its first fragment.
    EXPECT_EQ(bob->groupMessages().size(), 4);
}

TEST_F(GroupStreamTest, DuplicatesAreAckedNotDeliveredAndGapsAreNacked)
{
    auto ann = open(u"ann"_s, kPublisher);
    auto bob = open(u"bob"_s, {}, u"room"_s);
    qsizetype at = 0;
    ann->start(u"room"_s, u"s"_s);
    ASSERT_FALSE(ann->next(u"streamAck"_s, &at).isEmpty());
    ann->data(u"s"_s, 1, u"a"_s);
    EXPECT_EQ(ann->next(u"streamAck"_s, &at).value(u"expectedSequenceId"_s).toInt(), 2);
    // A resend of 1: acked with what comes next (2), not delivered again.
    ann->data(u"s"_s, 1, u"a"_s);
    EXPECT_EQ(ann->next(u"streamAck"_s, &at).value(u"expectedSequenceId"_s).toInt(), 2);
    // A gap (4 while 2 is expected): nacked; the stream stays open and takes 2 next.
    ann->data(u"s"_s, 4, u"d"_s);
    const QJsonObject nack = ann->next(u"streamNack"_s, &at);
    EXPECT_EQ(nack.value(u"name"_s).toString(), u"InvalidSequenceId"_s);
    EXPECT_EQ(nack.value(u"expectedSequenceId"_s).toInt(), 2);
    EXPECT_FALSE(nack.value(u"message"_s).toString().isEmpty());
    ann->data(u"s"_s, 2, u"b"_s);
    EXPECT_EQ(ann->next(u"streamAck"_s, &at).value(u"expectedSequenceId"_s).toInt(), 3);
    ASSERT_TRUE(bob->waitFor([&] { return bob->groupMessages().size() >= 2; }));
    const QList<QJsonObject> got = bob->groupMessages();
    EXPECT_EQ(got.at(0).value(u"data"_s).toString(), u"a"_s);
    EXPECT_EQ(got.at(1).value(u"data"_s).toString(), u"b"_s);
    // A repeated start of the open stream to the same group is answered with what it expects now.
    ann->start(u"room"_s, u"s"_s);
    EXPECT_EQ(ann->next(u"streamAck"_s, &at).value(u"expectedSequenceId"_s).toInt(), 3);
    // Unknown streams are StreamNotFound.
    ann->data(u"nope"_s, 1, u"x"_s);
    const QJsonObject notFound = ann->next(u"streamClosed"_s, &at);
    EXPECT_EQ(notFound.value(u"streamId"_s).toString(), u"nope"_s);
    EXPECT_EQ(notFound.value(u"error"_s).toObject().value(u"name"_s).toString(), u"StreamNotFound"_s);
    EXPECT_EQ(bob->groupMessages().size(), 2);
}

TEST_F(GroupStreamTest, StreamEndWithAnErrorReachesReceiversAsUserError)
{
    auto ann = open(u"ann"_s, kPublisher);
    auto bob = open(u"bob"_s, {}, u"room"_s);
    qsizetype at = 0;
    ann->start(u"room"_s, u"s"_s);
    ASSERT_FALSE(ann->next(u"streamAck"_s, &at).isEmpty());
    ann->data(u"s"_s, 1, u"partial"_s);
    ann->send(
        {{u"type"_s, u"streamEnd"_s},
         {u"streamId"_s, u"s"_s},
         {u"error"_s, QJsonObject{{u"message"_s, u"model overloaded"_s}, {u"userErrorCode"_s, u"E42"_s}}}});
    const QJsonObject closed = ann->next(u"streamClosed"_s, &at);
    EXPECT_FALSE(closed.contains(u"error"_s)); // the publisher ended it itself
    ASSERT_TRUE(bob->waitFor([&] { return bob->groupMessages().size() >= 2; }));
    const QJsonObject stream = bob->groupMessages().at(1).value(u"stream"_s).toObject();
    EXPECT_TRUE(stream.value(u"endOfStream"_s).toBool());
    EXPECT_EQ(stream.value(u"streamSequenceId"_s).toInt(), 2);
    EXPECT_EQ(stream.value(u"error"_s).toObject(), (QJsonObject{{u"name"_s, u"UserError"_s},
                                                                {u"message"_s, u"model overloaded"_s},
                                                                {u"userErrorCode"_s, u"E42"_s}}));
    // The stream is gone: its id can be opened again.
    ann->start(u"room"_s, u"s"_s);
    EXPECT_EQ(ann->next(u"streamAck"_s, &at).value(u"expectedSequenceId"_s).toInt(), 1);
}

TEST_F(GroupStreamTest, AnIdleStreamTimesOutForBothSides)
{
    auto ann = open(u"ann"_s, kPublisher);
    auto bob = open(u"bob"_s, {}, u"room"_s);
    qsizetype at = 0;
    ann->start(u"room"_s, u"s"_s, 200);
    ASSERT_FALSE(ann->next(u"streamAck"_s, &at).isEmpty());
    const QJsonObject closed = ann->next(u"streamClosed"_s, &at);
    EXPECT_EQ(closed.value(u"error"_s).toObject().value(u"name"_s).toString(), u"IdleTimeout"_s);
    ASSERT_TRUE(bob->waitFor([&] { return !bob->groupMessages().isEmpty(); }));
    const QJsonObject stream = bob->groupMessages().at(0).value(u"stream"_s).toObject();
    EXPECT_TRUE(stream.value(u"endOfStream"_s).toBool());
    EXPECT_EQ(stream.value(u"streamSequenceId"_s).toInt(), 1);
    EXPECT_EQ(stream.value(u"error"_s).toObject().value(u"name"_s).toString(), u"IdleTimeout"_s);
    // Data after the timeout: the stream no longer exists.
    ann->data(u"s"_s, 1, u"late"_s);
    EXPECT_EQ(ann->next(u"streamClosed"_s, &at).value(u"error"_s).toObject().value(u"name"_s).toString(),
              u"StreamNotFound"_s);
}

TEST_F(GroupStreamTest, KeepalivesHoldAStreamOpenWithoutDeliveringAnything)
{
    auto ann = open(u"ann"_s, kPublisher);
    auto bob = open(u"bob"_s, {}, u"room"_s);
    qsizetype at = 0;
    ann->start(u"room"_s, u"s"_s, 1500);
    ASSERT_FALSE(ann->next(u"streamAck"_s, &at).isEmpty());
    // Keepalives, each followed by a ping round trip, for twice the idle timeout (bounded in count and time).
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 2000 && clock.elapsed() < 3000; ++i) {
        ann->send({{u"type"_s, u"streamData"_s}, {u"streamId"_s, u"s"_s}});
        ann->send({{u"type"_s, u"ping"_s}});
        ASSERT_FALSE(ann->next(u"pong"_s, &at).isEmpty());
    }
    ann->data(u"s"_s, 1, u"still here"_s);
    EXPECT_EQ(ann->next(u"streamAck"_s, &at).value(u"expectedSequenceId"_s).toInt(), 2);
    ASSERT_TRUE(bob->waitFor([&] { return !bob->groupMessages().isEmpty(); }));
    EXPECT_EQ(bob->groupMessages().at(0).value(u"data"_s).toString(), u"still here"_s);
    EXPECT_EQ(bob->groupMessages().size(), 1); // keepalives deliver nothing
}

TEST_F(GroupStreamTest, PermissionsAndRefusalsAreAnsweredOnTheStream)
{
    auto bob = open(u"bob"_s, {}, u"room"_s);
    qsizetype at = 0;
    // No sendToGroup role: Forbidden with the service's words.
    bob->start(u"room"_s, u"s"_s);
    const QJsonObject forbidden = bob->next(u"streamClosed"_s, &at);
    EXPECT_EQ(forbidden.value(u"error"_s).toObject().value(u"name"_s).toString(), u"Forbidden"_s);
    EXPECT_EQ(forbidden.value(u"error"_s).toObject().value(u"message"_s).toString(),
              u"The client has no permission to send message to group 'room'."_s);

    auto ann = open(u"ann"_s, kPublisher);
    at = 0;
    // A start carrying data, an idle timeout of 0, and a stream to another group are refused as BadRequest.
    ann->send({{u"type"_s, u"sendToGroup"_s},
               {u"group"_s, u"room"_s},
               {u"dataType"_s, u"text"_s},
               {u"data"_s, u"x"_s},
               {u"stream"_s, QJsonObject{{u"streamId"_s, u"d"_s}}}});
    EXPECT_EQ(ann->next(u"streamClosed"_s, &at).value(u"error"_s).toObject().value(u"name"_s).toString(),
              u"BadRequest"_s);
    ann->start(u"room"_s, u"z"_s, 0);
    const QJsonObject zero = ann->next(u"streamClosed"_s, &at);
    EXPECT_EQ(zero.value(u"error"_s).toObject().value(u"name"_s).toString(), u"BadRequest"_s);
    EXPECT_TRUE(
        zero.value(u"error"_s).toObject().value(u"message"_s).toString().contains(u"idleTimeoutMs"_s));
    ann->start(u"other"_s, u"o"_s);
    EXPECT_EQ(ann->next(u"streamClosed"_s, &at).value(u"error"_s).toObject().value(u"name"_s).toString(),
              u"Forbidden"_s);
    // Nothing of it reached the group, and the connections stay open.
    EXPECT_TRUE(bob->groupMessages().isEmpty());
    EXPECT_FALSE(ann->closed);
    EXPECT_FALSE(bob->closed);
}

TEST_F(GroupStreamTest, LimitsOnOpenStreamsAndFragmentSize)
{
    GroupStreamLimits limits;
    limits.maxOpenStreams = 2;
    limits.maxChunkBytes = 8;
    m_emulator.reset();
    start(limits);
    auto ann = open(u"ann"_s, kPublisher);
    auto bob = open(u"bob"_s, {}, u"room"_s);
    qsizetype at = 0;
    ann->start(u"room"_s, u"a"_s);
    ann->start(u"room"_s, u"b"_s);
    ann->start(u"room"_s, u"c"_s);
    EXPECT_EQ(ann->next(u"streamAck"_s, &at).value(u"streamId"_s).toString(), u"a"_s);
    EXPECT_EQ(ann->next(u"streamAck"_s, &at).value(u"streamId"_s).toString(), u"b"_s);
    const QJsonObject third = ann->next(u"streamClosed"_s, &at);
    EXPECT_EQ(third.value(u"streamId"_s).toString(), u"c"_s);
    EXPECT_EQ(third.value(u"error"_s).toObject().value(u"name"_s).toString(), u"BadRequest"_s);
    // A fragment over the size limit ends its stream: BadRequest to the publisher, Cancelled to receivers.
    ann->data(u"a"_s, 1, u"0123456789"_s);
    const QJsonObject tooBig = ann->next(u"streamClosed"_s, &at);
    EXPECT_EQ(tooBig.value(u"streamId"_s).toString(), u"a"_s);
    EXPECT_EQ(tooBig.value(u"error"_s).toObject().value(u"name"_s).toString(), u"BadRequest"_s);
    ASSERT_TRUE(bob->waitFor([&] { return !bob->groupMessages().isEmpty(); }));
    const QJsonObject stream = bob->groupMessages().at(0).value(u"stream"_s).toObject();
    EXPECT_TRUE(stream.value(u"endOfStream"_s).toBool());
    EXPECT_EQ(stream.value(u"error"_s).toObject().value(u"name"_s).toString(), u"Cancelled"_s);
    // A slot is free again.
    ann->start(u"room"_s, u"c"_s);
    EXPECT_EQ(ann->next(u"streamAck"_s, &at).value(u"streamId"_s).toString(), u"c"_s);
}

TEST_F(GroupStreamTest, APublisherThatLeavesCancelsItsStreamsAndProtobufReceiversGetThem)
{
    auto ann = open(u"ann"_s, kPublisher);
    auto pat = open(u"pat"_s, {}, u"room"_s, kProtobuf);
    auto bob = open(u"bob"_s, {}, u"room"_s);
    qsizetype at = 0;
    ann->start(u"room"_s, u"s"_s);
    ASSERT_FALSE(ann->next(u"streamAck"_s, &at).isEmpty());
    ann->data(u"s"_s, 1, u"hello"_s);
    ASSERT_FALSE(ann->next(u"streamAck"_s, &at).isEmpty());
    ann->ws.close();
    ASSERT_TRUE(bob->waitFor([&] { return bob->groupMessages().size() >= 2; }));
    const QJsonObject stream = bob->groupMessages().at(1).value(u"stream"_s).toObject();
    EXPECT_TRUE(stream.value(u"endOfStream"_s).toBool());
    EXPECT_EQ(stream.value(u"error"_s).toObject().value(u"name"_s).toString(), u"Cancelled"_s);

    // The protobuf receiver: connected, the fragment, the end marker.
    ASSERT_TRUE(pat->waitFor([&] { return pat->binaries.size() >= 3; }));
    auto fragment = wps::messages::protobuf::decodeMessage(pat->binaries.at(1));
    ASSERT_TRUE(fragment.hasValue());
    const auto &data = std::get<wps::messages::DataMessage>(*fragment);
    EXPECT_EQ(data.data, wps::messages::Payload::text(u"hello"_s));
    ASSERT_TRUE(data.stream);
    EXPECT_EQ(data.stream->streamSequenceId, 1u);
    auto end = wps::messages::protobuf::decodeMessage(pat->binaries.at(2));
    ASSERT_TRUE(end.hasValue());
    const auto &marker = std::get<wps::messages::DataMessage>(*end);
    ASSERT_TRUE(marker.stream);
    EXPECT_TRUE(marker.stream->endOfStream);
    ASSERT_TRUE(marker.stream->error);
    EXPECT_EQ(marker.stream->error->name, u"Cancelled"_s);
}

TEST_F(GroupStreamTest, TheLiveTraceRecordsAStreamsLife)
{
    QWebSocket trace;
    QList<QJsonObject> events;
    QObject::connect(&trace, &QWebSocket::textMessageReceived, &trace, [&](const QString &text) {
        for (const QByteArray &part : text.toUtf8().split('\x1e')) {
            const QJsonObject record = QJsonDocument::fromJson(part).object();
            if (record.value(u"target"_s).toString() == u"logEvent"_s)
                events << record.value(u"arguments"_s).toArray().at(0).toObject();
        }
    });
    const QJsonObject claims{{u"aud"_s, QString(u"http://"_s + authority() + u"/livetrace"_s)},
                             {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 600}};
    QSignalSpy connected(&trace, &QWebSocket::connected);
    trace.open(QUrl(u"ws://"_s + authority() + u"/livetrace?access_token="_s +
                    QString::fromLatin1(wps::jwt::signHs256(claims, kKey.toUtf8()))));
    ASSERT_TRUE(connected.wait(kWaitMs));
    QSignalSpy handshake(&trace, &QWebSocket::textMessageReceived);
    trace.sendTextMessage(u"{\"protocol\":\"json\",\"version\":1}\x1e"_s);
    ASSERT_TRUE(handshake.wait(kWaitMs));
    trace.sendTextMessage(u"{\"type\":1,\"target\":\"startListeningToLogEvents\",\"arguments\":[]}\x1e"_s);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return m_emulator->liveTrace() && m_emulator->liveTrace()->isActive(); }, kWaitMs));

    auto ann = open(u"ann"_s, kPublisher);
    auto bob = open(u"bob"_s, {}, u"room"_s);
    qsizetype at = 0;
    ann->start(u"room"_s, u"s"_s);
    ann->data(u"s"_s, 1, u"x"_s);
    ann->send({{u"type"_s, u"streamEnd"_s}, {u"streamId"_s, u"s"_s}});
    ASSERT_FALSE(ann->next(u"streamClosed"_s, &at).isEmpty());
    auto streamEvents = [&] {
        QStringList out;
        for (const QJsonObject &e : std::as_const(events))
            if (e.value(u"eventId"_s).toInt() == 2010)
                out << e.value(u"logContext"_s).toObject().value(u"streamEvent"_s).toString();
        return out;
    };
    ASSERT_TRUE(QTest::qWaitFor([&] { return streamEvents().size() >= 2; }, kWaitMs));
    EXPECT_EQ(streamEvents(), (QStringList{u"opened"_s, u"ended"_s}));
    // Fragments delivered to bob are MessageSent records of type streamMessage.
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            for (const QJsonObject &e : std::as_const(events))
                if (e.value(u"eventId"_s).toInt() == 2002 &&
                    e.value(u"logContext"_s).toObject().value(u"messageType"_s).toString() ==
                        u"streamMessage"_s)
                    return true;
            return false;
        },
        kWaitMs));
}

TEST_F(GroupStreamTest, RawMembersGetTheFragmentsAsPlainFramesAndNoEndMarker)
{
    auto ann = open(u"ann"_s, kPublisher);
    auto ray = open(u"ray"_s, {}, u"room"_s, QString());
    qsizetype at = 0;
    ann->start(u"room"_s, u"s"_s);
    ASSERT_FALSE(ann->next(u"streamAck"_s, &at).isEmpty());
    ann->data(u"s"_s, 1, u"one"_s);
    ann->data(u"s"_s, 2, u"two"_s);
    ann->send({{u"type"_s, u"streamEnd"_s}, {u"streamId"_s, u"s"_s}});
    ASSERT_FALSE(ann->next(u"streamClosed"_s, &at).isEmpty());
    // A plain group message after the end: had a marker been sent to the raw member, it would come before.
    ann->send({{u"type"_s, u"sendToGroup"_s},
               {u"group"_s, u"room"_s},
               {u"dataType"_s, u"text"_s},
               {u"data"_s, u"after"_s}});
    ASSERT_TRUE(ray->waitFor([&] { return ray->texts.size() >= 3; }))
        << ray->texts.join(u" | "_s).toStdString();
    EXPECT_EQ(ray->texts, (QStringList{u"one"_s, u"two"_s, u"after"_s}));
}
