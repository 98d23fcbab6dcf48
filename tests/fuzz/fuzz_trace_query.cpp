// libFuzzer target: the trace display-filter parser, binder and evaluator (core/trace/tracequery.h) on
// arbitrary UTF-8, run against a few records of a real store.
#include "trace/tracefilter.h"
#include "trace/tracequery.h"
#include "trace/tracestore.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace {

wps::trace::TraceStore &store()
{
    using namespace wps::trace;
    static TraceStore *s = [] {
        auto *created = new TraceStore;
        const Kind kinds[] = {Kind::Http, Kind::Frame, Kind::Lifecycle, Kind::Note};
        for (int n = 0; n < 8; ++n) {
            TraceEvent e;
            e.timestampMs = 1'700'000'000'000 + n;
            e.kind = kinds[n % 4];
            e.direction = Direction(n % 3);
            e.hub = n % 2 ? u"demo"_s : u"chat"_s;
            e.userId = u"alice"_s;
            e.group = n % 3 ? u"room1"_s : QString();
            e.connectionId = u"conn-"_s + QString::number(n);
            e.type = n == 0 ? u"upstream connect"_s : u"message"_s;
            e.status = n % 4 == 0 ? 500 : 0;
            e.detail = u"POST /api/hubs/demo/:send"_s;
            e.payload = n % 2 ? QByteArray("{\"text\":\"hi\"}") : QByteArray("\x00\x01\xff", 3);
            e.binary = n % 2 == 0;
            e.source = n % 2 ? Source::Service : Source::Console;
            created->append(e);
        }
        return created;
    }();
    return *s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace wps::trace;
    const QString text =
        QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const auto parsed = parseQuery(text);
    if (!parsed) {
        // Errors explain themselves and point into the text (or just past its end).
        const QueryError &error = parsed.error();
        if (error.message.isEmpty() || error.position < 0 || error.position > text.size())
            __builtin_trap();
        return 0;
    }
    TraceFilterSpec spec;
    spec.query = text;
    const TraceFilter filter(spec);
    QString message;
    int position = 0;
    if (!filter.isValid(&message, &position)) {
        if (message.isEmpty() || position < 0 || position > text.size())
            __builtin_trap();
        return 0;
    }
    std::vector<quint64> out;
    TraceStore &s = store();
    s.match(filter, s.firstId(), s.endId(), &out, std::numeric_limits<qint64>::max());
    if (out.size() > 8)
        __builtin_trap();
    return 0;
}
