// JSONL sessions: export -> import is lossless, malformed files are errors as data, no secret is exported.
#include "trace/tracejsonl.h"
#include "trace/tracestore.h"

#include <QBuffer>

#include <gtest/gtest.h>

#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace wps::trace;

namespace {

std::vector<TraceEvent> variedEvents()
{
    std::vector<TraceEvent> events;
    TraceEvent http;
    http.timestampMs = 1'700'000'000'123;
    http.kind = Kind::Http;
    http.direction = Direction::In;
    http.hub = u"hub1"_s;
    http.userId = u"üser ✓"_s;
    http.group = u"room 1"_s;
    http.type = u"sendToGroup"_s;
    http.status = 429;
    http.durationMs = 1234;
    http.detail = u"POST http://127.0.0.1:1/api/hubs/hub1/groups/room%201/:send?api-version=2024-12-01"_s;
    http.payload = "Content-Type: application/json\r\n\r\n{\"text\":\"h\\u00e9llo \xe2\x9c\x93\"}";
    http.size = 9999;
    http.truncated = true;
    events.push_back(http);

    TraceEvent binary;
    binary.timestampMs = 1'700'000'000'124;
    binary.kind = Kind::Frame;
    binary.direction = Direction::Out;
    binary.connectionId = u"c-1"_s;
    binary.type = u"binary"_s;
    binary.binary = true;
    binary.payload = QByteArray("\x00\x01\xff\xfe\x80 \n\"", 8);
    binary.size = 8;
    events.push_back(binary);

    TraceEvent lifecycle;
    lifecycle.timestampMs = -5; // odd but representable
    lifecycle.kind = Kind::Lifecycle;
    lifecycle.type = u"close"_s;
    lifecycle.detail = u"1006 \"abnormal\"\ttab"_s;
    events.push_back(lifecycle);

    TraceEvent note;
    note.kind = Kind::Note;
    note.direction = Direction::Out;
    note.payload = "line1\nline2\r\n";
    note.size = 1LL << 40;
    events.push_back(note);
    return events;
}

void expectSame(const TraceRecordView &a, const TraceRecordView &b)
{
    EXPECT_EQ(a.timestampMs, b.timestampMs);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.direction, b.direction);
    EXPECT_EQ(a.binary, b.binary);
    EXPECT_EQ(a.truncated, b.truncated);
    EXPECT_EQ(a.status, b.status);
    EXPECT_EQ(a.size, b.size);
    EXPECT_EQ(a.durationMs, b.durationMs);
    EXPECT_EQ(a.hub, b.hub);
    EXPECT_EQ(a.connectionId, b.connectionId);
    EXPECT_EQ(a.userId, b.userId);
    EXPECT_EQ(a.group, b.group);
    EXPECT_EQ(a.type, b.type);
    EXPECT_EQ(a.detail, b.detail);
    EXPECT_EQ(a.payload, b.payload);
}

std::vector<TraceRecordView> all(const TraceStore &store)
{
    std::vector<TraceRecordView> out;
    store.forEach(store.firstId(), store.endId(), [&out](const TraceRecordView &r) { out.push_back(r); });
    return out;
}

TEST(TraceJsonl, RoundTripIsLossless)
{
    TraceStore original;
    original.append(variedEvents());
    for (int n = 0; n < 5000; ++n) { // more than one export slice
        TraceEvent e;
        e.timestampMs = n;
        e.kind = Kind::Frame;
        e.payload = "{\"n\":" + QByteArray::number(n) + "}";
        original.append(e);
    }
    QBuffer file;
    ASSERT_TRUE(file.open(QIODevice::ReadWrite));
    const auto written = exportJsonl(original, &file);
    ASSERT_TRUE(written) << written.error().toStdString();
    EXPECT_EQ(*written, 5004);
    EXPECT_TRUE(file.data().startsWith(R"({"format":"wps-trace","version":1})"));

    file.seek(0);
    TraceStore reopened;
    const auto imported = importJsonl(&file, &reopened);
    ASSERT_TRUE(imported) << imported.error().toStdString();
    EXPECT_EQ(*imported, 5004);
    const auto a = all(original);
    const auto b = all(reopened);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        SCOPED_TRACE(i);
        expectSame(a[i], b[i]);
    }

    // And the second generation writes the same bytes.
    QBuffer again;
    ASSERT_TRUE(again.open(QIODevice::ReadWrite));
    ASSERT_TRUE(exportJsonl(reopened, &again));
    EXPECT_EQ(again.data(), file.data());
}

TEST(TraceJsonl, MalformedFilesAreErrors)
{
    const auto load = [](const QByteArray &text) {
        QBuffer file;
        file.setData(text);
        file.open(QIODevice::ReadOnly);
        TraceStore store;
        return importJsonl(&file, &store);
    };
    EXPECT_FALSE(load(""));
    EXPECT_FALSE(load("{\"format\":\"other\"}\n"));
    const auto bad = load("{\"format\":\"wps-trace\",\"version\":1}\n{\"kind\":\"frame\"}\nnot json\n");
    ASSERT_FALSE(bad);
    EXPECT_TRUE(bad.error().contains(u"Line 3"_s)) << bad.error().toStdString();
    EXPECT_FALSE(load("{\"format\":\"wps-trace\",\"version\":1}\n{\"kind\":\"martian\"}\n"));
    EXPECT_FALSE(load("{\"format\":\"wps-trace\",\"version\":99}\n"));
    const auto ok = load("{\"format\":\"wps-trace\",\"version\":1}\n\n{\"kind\":\"frame\",\"dir\":\"in\"}\n");
    ASSERT_TRUE(ok);
    EXPECT_EQ(*ok, 1);
}

TEST(TraceJsonl, ImportedSecretsAreRedactedToo)
{
    QBuffer file;
    file.setData("{\"format\":\"wps-trace\",\"version\":1}\n"
                 "{\"kind\":\"frame\",\"payload\":\"{\\\"reconnectionToken\\\":\\\"leak-me\\\"}\"}\n");
    file.open(QIODevice::ReadOnly);
    TraceStore store;
    ASSERT_TRUE(importJsonl(&file, &store));
    TraceRecordView r;
    ASSERT_TRUE(store.record(store.firstId(), &r, true));
    EXPECT_FALSE(r.payload.contains("leak-me"));
}

} // namespace
