// `listen` in-process (wps::cli::Cli) against the real emulator, and its one stdin reader (LineReader) on
// pipes and buffers.
#include "cli/linereader.h"
#include "inprocesscli.h"

using namespace Qt::Literals::StringLiterals;
using wps::test::CliSession;
using wps::test::isSystemEvent;
using wps::test::StdinPipe;

namespace {

class CliListenTest : public wps::test::InProcessCliTest
{
};

/// Collects what a LineReader gives.
struct Lines
{
    explicit Lines(wps::cli::LineReader &reader)
    {
        QObject::connect(&reader, &wps::cli::LineReader::lineRead, &reader,
                         [this](const QString &line) { read.append(line); });
        QObject::connect(&reader, &wps::cli::LineReader::ended, &reader, [this] { ended = true; });
    }
    QStringList read;
    bool ended = false;
};

TEST(CliLineReader, SplitsAPipeIntoLinesAndEndsWithIt)
{
    StdinPipe pipe;
    wps::cli::LineReader reader(pipe.device());
    Lines lines(reader);
    reader.start();
    ASSERT_TRUE(pipe.write("one\r\ntw"));
    EXPECT_TRUE(QTest::qWaitFor([&] { return lines.read.size() == 1; }, wps::test::kWaitMs));
    ASSERT_TRUE(pipe.write("o\n\n\nthree without a line break"));
    EXPECT_TRUE(QTest::qWaitFor([&] { return lines.read.size() == 2; }, wps::test::kWaitMs));
    EXPECT_FALSE(lines.ended);
    pipe.close();
    EXPECT_TRUE(QTest::qWaitFor([&] { return lines.ended; }, wps::test::kWaitMs));
    EXPECT_EQ(lines.read, (QStringList{u"one"_s, u"two"_s, u"three without a line break"_s}));
    EXPECT_TRUE(reader.hasEnded());
}

TEST(CliLineReader, ABufferIsReadWholeAndEnds)
{
    QBuffer buffer;
    buffer.setData("a\nb\r\n\nc");
    ASSERT_TRUE(buffer.open(QIODevice::ReadOnly));
    wps::cli::LineReader reader(&buffer);
    Lines lines(reader);
    reader.start();
    EXPECT_TRUE(lines.read.isEmpty()); // nothing from inside start()
    EXPECT_TRUE(QTest::qWaitFor([&] { return lines.ended; }, wps::test::kWaitMs));
    EXPECT_EQ(lines.read, (QStringList{u"a"_s, u"b"_s, u"c"_s}));
}

TEST_F(CliListenTest, StdinLinesGoToTheGroupAndEofEndsAfterTheirAcks)
{
    StdinPipe stdinPipe;
    CliSession listen(stdinPipe.device(), environment());
    listen.start({u"listen"_s, u"--user"_s, u"bob"_s, u"--group"_s, u"room"_s, u"--role"_s,
                  u"webpubsub.sendToGroup.room"_s, u"--send-group"_s, u"room"_s});
    ASSERT_TRUE(stdinPipe.write("queued before connected\n")); // waits for the connection
    ASSERT_TRUE(listen.waitForLine([](const QJsonObject &line) {
        return isSystemEvent(line, u"connected"_s);
    })) << listen.err().toStdString();
    ASSERT_TRUE(stdinPipe.write("second\n"));
    stdinPipe.close();
    EXPECT_EQ(listen.waitForExit(), 0) << listen.err().toStdString();

    QStringList echoed;
    int acks = 0;
    for (const QJsonObject &line : listen.lines()) {
        if (line.value(u"from"_s) == u"group"_s)
            echoed.append(line.value(u"data"_s).toString());
        if (line.value(u"type"_s) == u"ack"_s && line.value(u"success"_s).toBool())
            ++acks;
    }
    EXPECT_EQ(acks, 2); // EOF waited for both acks
    EXPECT_TRUE(echoed.contains(u"queued before connected"_s)) << listen.out().toStdString();
    EXPECT_TRUE(isSystemEvent(listen.lines().constLast(), u"disconnected"_s));
}

TEST_F(CliListenTest, MqttAndRawClientsShareTheStdinHandling)
{
    StdinPipe mqttPipe;
    CliSession mqtt(mqttPipe.device(), environment());
    mqtt.start({u"listen"_s, u"--protocol"_s, u"mqtt"_s, u"--group"_s, u"room"_s, u"--role"_s,
                u"webpubsub.sendToGroup.room"_s, u"--send-group"_s, u"room"_s});
    ASSERT_TRUE(mqttPipe.write("over mqtt\n"));
    mqttPipe.close(); // the queued line still goes out once connected, and its PUBACK is waited for
    EXPECT_EQ(mqtt.waitForExit(), 0) << mqtt.err().toStdString();
    const auto ack =
        mqtt.waitForLine([](const QJsonObject &line) { return line.value(u"type"_s) == u"ack"_s; });
    ASSERT_TRUE(ack) << mqtt.out().toStdString();
    EXPECT_EQ(ack->value(u"operation"_s), u"publish"_s);
    EXPECT_EQ(ack->value(u"success"_s), true);

    QBuffer empty;
    ASSERT_TRUE(empty.open(QIODevice::ReadOnly));
    CliSession raw(&empty, environment());
    raw.start({u"listen"_s, u"--protocol"_s, u"raw"_s}); // connect, then stop at once: stdin is empty
    EXPECT_EQ(raw.waitForExit(), 0) << raw.err().toStdString();
    ASSERT_FALSE(raw.lines().isEmpty());
    EXPECT_TRUE(isSystemEvent(raw.lines().constFirst(), u"connected"_s));
}

TEST_F(CliListenTest, UsageAndRefusalExitCodes)
{
    QBuffer empty;
    ASSERT_TRUE(empty.open(QIODevice::ReadOnly));
    CliSession event(&empty, environment());
    event.start({u"listen"_s, u"--protocol"_s, u"mqtt5"_s, u"--event"_s, u"chat"_s});
    EXPECT_EQ(event.waitForExit(), 2);
    EXPECT_TRUE(event.err().contains("--event is not available with MQTT")) << event.err().toStdString();

    CliSession protocol(&empty, environment());
    protocol.start({u"listen"_s, u"--protocol"_s, u"carrier-pigeon"_s});
    EXPECT_EQ(protocol.waitForExit(), 2);

    StdinPipe open; // never closed: a refused first connection ends listen by itself
    CliSession refused(open.device(), environment(u"Endpoint=%1;AccessKey=not-the-key;Version=1.0;"_s.arg(
                                          m_emulator.endpoint().toString())));
    refused.start({u"listen"_s});
    EXPECT_EQ(refused.waitForExit(), 3);
    EXPECT_TRUE(refused.err().contains("webpubsub: listen failed: ")) << refused.err().toStdString();
    EXPECT_TRUE(refused.err().contains("status: 401")) << refused.err().toStdString();
    EXPECT_FALSE(refused.err().contains("not-the-key"));
}

} // namespace
