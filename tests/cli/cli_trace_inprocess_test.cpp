// `trace record` and `trace convert` in-process (wps::cli::Cli) against the real emulator.
#include "inprocesscli.h"

#include <QJsonArray>
#include <QTemporaryDir>

using namespace Qt::Literals::StringLiterals;
using wps::test::CliResult;
using wps::test::CliSession;

namespace {

class CliTraceTest : public wps::test::InProcessCliTest
{
protected:
    void SetUp() override
    {
        InProcessCliTest::SetUp();
        ASSERT_TRUE(m_dir.isValid());
    }
    QTemporaryDir m_dir;
};

TEST_F(CliTraceTest, RecordStopsOnInterruptAndConvertsWithoutAConnection)
{
    const QString session = m_dir.filePath(u"session.jsonl"_s);
    QBuffer in;
    CliSession record(&in, environment());
    record.start({u"trace"_s, u"record"_s, u"--out"_s, session});
    ASSERT_TRUE(QTest::qWaitFor([&] { return record.err().contains("listening to the live trace"); },
                                wps::test::kWaitMs))
        << record.err().toStdString();
    record.cli().interrupt();
    EXPECT_EQ(record.waitForExit(), 0) << record.err().toStdString();
    EXPECT_TRUE(record.err().contains(QByteArray(QByteArray("rows written to ") + session.toUtf8())))
        << record.err().toStdString();
    ASSERT_TRUE(QFile::exists(session));

    // convert needs no connection at all.
    QBuffer none;
    CliSession convert(&none, QProcessEnvironment());
    const QString har = m_dir.filePath(u"session.har"_s);
    convert.start({u"trace"_s, u"convert"_s, session, u"--out"_s, har});
    EXPECT_EQ(convert.waitForExit(), 0) << convert.err().toStdString();
    QFile file(har);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QJsonObject log = QJsonDocument::fromJson(file.readAll()).object().value(u"log"_s).toObject();
    EXPECT_EQ(log.value(u"version"_s), u"1.2"_s);
    EXPECT_FALSE(log.value(u"entries"_s).toArray().isEmpty()); // the health call
}

TEST_F(CliTraceTest, UsageErrorsExitTwo)
{
    for (const QStringList &args :
         {QStringList{u"trace"_s, u"record"_s}, QStringList{u"trace"_s, u"record"_s, u"--out"_s, u"x.txt"_s},
          QStringList{u"trace"_s, u"record"_s, u"--out"_s, u"x.har"_s, u"--duration"_s, u"-1"_s},
          QStringList{u"trace"_s, u"convert"_s, u"--out"_s, u"x.har"_s},
          QStringList{u"trace"_s, u"replay"_s}}) {
        const CliResult result = run(args);
        EXPECT_EQ(result.exitCode, 2) << args.join(u' ').toStdString();
        EXPECT_TRUE(result.err.startsWith("webpubsub: ")) << result.err.toStdString();
    }
    const CliResult missing = run({u"trace"_s, u"convert"_s, m_dir.filePath(u"none.jsonl"_s), u"--out"_s,
                                   m_dir.filePath(u"out.har"_s)});
    EXPECT_EQ(missing.exitCode, 3);
    EXPECT_TRUE(missing.err.contains("webpubsub: trace convert: cannot read")) << missing.err.toStdString();
}

} // namespace
