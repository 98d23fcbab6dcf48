#include "trace/tracequery.h"

#include <QCoreApplication>

#include <algorithm>
#include <optional>

using namespace Qt::Literals::StringLiterals;

// The display-filter language of the trace, phase 2: binding a syntax tree (tracequeryparser.cpp) to a flat
// program, and evaluating it against rows.

namespace wps::trace {

namespace {

inline unsigned char fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::trace::TraceQuery", text);
}

// ---- Binder -------------------------------------------------------------------------------------------

struct FieldName
{
    QStringView name;
    QueryField field;
};
constexpr FieldName fieldNames[] = {{u"status", QueryField::Status},
                                    {u"size", QueryField::Size},
                                    {u"duration", QueryField::Duration},
                                    {u"ms", QueryField::Duration},
                                    {u"kind", QueryField::Kind},
                                    {u"dir", QueryField::Direction},
                                    {u"direction", QueryField::Direction},
                                    {u"source", QueryField::Source},
                                    {u"hub", QueryField::Hub},
                                    {u"conn", QueryField::Connection},
                                    {u"connection", QueryField::Connection},
                                    {u"user", QueryField::User},
                                    {u"group", QueryField::Group},
                                    {u"type", QueryField::Type},
                                    {u"corr", QueryField::Correlation},
                                    {u"correlation", QueryField::Correlation},
                                    {u"text", QueryField::Text}};

/// The query-level kinds: stored kinds plus two views of http.
enum class QueryKind : quint8 { Http, Frame, Lifecycle, Note, Upstream, Rest };
constexpr std::pair<QStringView, QueryKind> kindNames[] = {
    {u"http", QueryKind::Http},   {u"rest", QueryKind::Rest},           {u"upstream", QueryKind::Upstream},
    {u"frame", QueryKind::Frame}, {u"lifecycle", QueryKind::Lifecycle}, {u"note", QueryKind::Note}};

bool findKind(QStringView name, QueryKind *kind)
{
    for (const auto &[spelling, value] : kindNames) {
        if (name.compare(spelling, Qt::CaseInsensitive) == 0) {
            *kind = value;
            return true;
        }
    }
    return false;
}

QString opText(QueryOp op)
{
    switch (op) {
    case QueryOp::Eq:
        return u"=="_s;
    case QueryOp::Ne:
        return u"!="_s;
    case QueryOp::Lt:
        return u"<"_s;
    case QueryOp::Le:
        return u"<="_s;
    case QueryOp::Gt:
        return u">"_s;
    case QueryOp::Ge:
        return u">="_s;
    case QueryOp::Contains:
        return u"contains"_s;
    case QueryOp::Matches:
        return u"~"_s;
    }
    return {};
}

bool isUpstreamType(const QString &type)
{
    return type.startsWith(u"upstream"_s);
}

} // namespace

QStringList queryKindNames()
{
    QStringList names;
    for (const auto &[name, kind] : kindNames)
        names << name.toString();
    return names;
}

QStringList queryFieldNames()
{
    return {u"status"_s, u"user"_s,   u"hub"_s,  u"group"_s, u"kind"_s,     u"conn"_s, u"type"_s,
            u"dir"_s,    u"source"_s, u"text"_s, u"size"_s,  u"duration"_s, u"corr"_s};
}

bool containsFoldedAscii(const char *data, qsizetype size, const QByteArray &needle)
{
    const qsizetype n = needle.size();
    if (n == 0)
        return true;
    if (size < n)
        return false;
    const auto *hay = reinterpret_cast<const unsigned char *>(data);
    const auto *ndl = reinterpret_cast<const unsigned char *>(needle.constData());
    const unsigned char first = ndl[0];
    const unsigned char firstUpper =
        (first >= 'a' && first <= 'z') ? static_cast<unsigned char>(first - 32) : first;
    const qsizetype last = size - n;
    for (qsizetype i = 0; i <= last; ++i) {
        const unsigned char c = hay[i];
        if (c != first && c != firstUpper)
            continue;
        qsizetype k = 1;
        while (k < n && fold(hay[i + k]) == ndl[k])
            ++k;
        if (k == n)
            return true;
    }
    return false;
}

// ---- Evaluator ----------------------------------------------------------------------------------------

/// One node of the bound program. Small and flat: the evaluator is a switch over these.
struct BoundQuery::Node
{
    enum class Type : quint8 { And, Or, Not, Number, Kind, Direction, Source, StringEq, StringTest, Text };
    Type type = Type::And;
    QueryField field = QueryField::Status;
    QueryOp op = QueryOp::Eq;
    bool negate = false; ///< Kind/Direction/Source/StringEq: != instead of ==
    int left = -1;
    int right = -1;
    qint64 number = 0;
    QueryKind kind = QueryKind::Http;
    Direction direction = Direction::None;
    wps::trace::Source source = wps::trace::Source::Console;
    int slot = 0;
    QString value;
    QByteArray needle; ///< folded UTF-8 (Contains)
    QRegularExpression regex;
    mutable quint32 resolved = 0; ///< StringEq: the interned id, or unseen
    /// Per interned string id: -1 unknown, 0/1 the verdict (StringTest, Text, Kind upstream/rest).
    mutable std::vector<qint8> verdicts;
};

namespace {

constexpr quint32 unseen = ~quint32(0);

class Binder
{
public:
    std::vector<BoundQuery::Node> nodes;
    std::optional<QueryError> error;

    int bind(const QueryNode &node)
    {
        using N = BoundQuery::Node;
        const int index = int(nodes.size());
        nodes.emplace_back();
        switch (node.type) {
        case QueryNode::Type::And:
        case QueryNode::Type::Or: {
            nodes[index].type = node.type == QueryNode::Type::And ? N::Type::And : N::Type::Or;
            const int l = bind(*node.left);
            const int r = bind(*node.right);
            nodes[index].left = l;
            nodes[index].right = r;
            return index;
        }
        case QueryNode::Type::Not: {
            nodes[index].type = N::Type::Not;
            const int l = bind(*node.left);
            nodes[index].left = l;
            return index;
        }
        case QueryNode::Type::Term: {
            QueryKind kind;
            if (!node.quoted && findKind(node.value, &kind)) {
                nodes[index].type = N::Type::Kind;
                nodes[index].kind = kind;
                return index;
            }
            bindText(nodes[index], QueryOp::Contains, node.value, node.valuePosition);
            return index;
        }
        case QueryNode::Type::Compare:
            bindCompare(nodes[index], node);
            return index;
        }
        return index;
    }

private:
    void fail(const QString &message, int position)
    {
        if (!error)
            error = QueryError{message, position};
    }

    void bindText(BoundQuery::Node &n, QueryOp op, const QString &value, int position)
    {
        n.type = BoundQuery::Node::Type::Text;
        n.op = op;
        setPattern(n, op, value, position);
    }

    void setPattern(BoundQuery::Node &n, QueryOp op, const QString &value, int position)
    {
        n.value = value;
        if (op == QueryOp::Contains) {
            n.needle = value.toUtf8();
            for (char &c : n.needle)
                c = char(fold(static_cast<unsigned char>(c)));
        } else {
            n.regex = QRegularExpression(value);
            if (!n.regex.isValid()) {
                fail(tr("Invalid regular expression: %1 (at character %2 of the pattern)")
                         .arg(n.regex.errorString())
                         .arg(n.regex.patternErrorOffset() + 1),
                     position);
                return;
            }
            n.regex.optimize();
        }
    }

    void bindCompare(BoundQuery::Node &n, const QueryNode &node)
    {
        using N = BoundQuery::Node;
        const FieldName *found = nullptr;
        for (const FieldName &f : fieldNames) {
            if (node.field.compare(f.name, Qt::CaseInsensitive) == 0) {
                found = &f;
                break;
            }
        }
        if (!found) {
            fail(tr("Unknown field '%1' (fields: %2)").arg(node.field, queryFieldNames().join(u", "_s)),
                 node.fieldPosition);
            return;
        }
        n.field = found->field;
        n.op = node.op;
        const bool equality = node.op == QueryOp::Eq || node.op == QueryOp::Ne;
        const bool ordering = equality || node.op == QueryOp::Lt || node.op == QueryOp::Le ||
                              node.op == QueryOp::Gt || node.op == QueryOp::Ge;
        auto badOp = [&](const QString &allowed) {
            fail(tr("'%1' cannot be used with %2 (use %3)").arg(opText(node.op), node.field, allowed),
                 node.fieldPosition);
        };
        switch (found->field) {
        case QueryField::Status:
        case QueryField::Size:
        case QueryField::Duration: {
            if (!ordering)
                return badOp(u"==, !=, <, <=, >, >="_s);
            bool ok = false;
            n.number = node.value.toLongLong(&ok);
            if (!ok)
                return fail(tr("%1 takes a number, not '%2'").arg(node.field, node.value),
                            node.valuePosition);
            n.type = N::Type::Number;
            return;
        }
        case QueryField::Kind:
            if (!equality)
                return badOp(u"== or !="_s);
            if (!findKind(node.value, &n.kind))
                return fail(
                    tr("Unknown kind '%1' (kinds: %2)").arg(node.value, queryKindNames().join(u", "_s)),
                    node.valuePosition);
            n.type = N::Type::Kind;
            n.negate = node.op == QueryOp::Ne;
            return;
        case QueryField::Direction:
            if (!equality)
                return badOp(u"== or !="_s);
            if (node.value.compare(u"in"_s, Qt::CaseInsensitive) == 0)
                n.direction = Direction::In;
            else if (node.value.compare(u"out"_s, Qt::CaseInsensitive) == 0)
                n.direction = Direction::Out;
            else if (node.value.compare(u"none"_s, Qt::CaseInsensitive) == 0)
                n.direction = Direction::None;
            else
                return fail(tr("dir is in, out or none, not '%1'").arg(node.value), node.valuePosition);
            n.type = N::Type::Direction;
            n.negate = node.op == QueryOp::Ne;
            return;
        case QueryField::Source:
            if (!equality)
                return badOp(u"== or !="_s);
            if (!parseSource(node.value.toLower(), &n.source))
                return fail(tr("source is console or service, not '%1'").arg(node.value), node.valuePosition);
            n.type = N::Type::Source;
            n.negate = node.op == QueryOp::Ne;
            return;
        case QueryField::Hub:
        case QueryField::Connection:
        case QueryField::User:
        case QueryField::Group:
        case QueryField::Type:
        case QueryField::Correlation: {
            n.slot = found->field == QueryField::Hub          ? HubSlot
                     : found->field == QueryField::Connection ? ConnectionSlot
                     : found->field == QueryField::User       ? UserSlot
                     : found->field == QueryField::Group      ? GroupSlot
                     : found->field == QueryField::Type       ? TypeSlot
                                                              : CorrelationSlot;
            if (equality) {
                n.type = N::Type::StringEq;
                n.value = node.value;
                n.negate = node.op == QueryOp::Ne;
                return;
            }
            if (node.op != QueryOp::Contains && node.op != QueryOp::Matches)
                return badOp(u"==, !=, contains or ~"_s);
            n.type = N::Type::StringTest;
            setPattern(n, node.op, node.value, node.valuePosition);
            return;
        }
        case QueryField::Text:
            if (node.op != QueryOp::Contains && node.op != QueryOp::Matches)
                return badOp(u"contains or ~"_s);
            bindText(n, node.op, node.value, node.valuePosition);
            return;
        }
    }
};

bool testString(const BoundQuery::Node &n, const QString &value)
{
    if (n.op == QueryOp::Contains) {
        const QByteArray utf8 = value.toUtf8();
        return containsFoldedAscii(utf8.constData(), utf8.size(), n.needle);
    }
    return n.regex.match(value).hasMatch();
}

/// The cached verdict of \a test on the interned string \a id.
template <typename Test>
bool cachedVerdict(const BoundQuery::Node &n, quint32 id, const QList<QString> &strings, Test test)
{
    if (id >= n.verdicts.size())
        n.verdicts.resize(std::max<std::size_t>(id + 1, n.verdicts.size() * 2), -1);
    qint8 &verdict = n.verdicts[id];
    if (verdict < 0)
        verdict = id < quint32(strings.size()) && test(strings.at(id)) ? 1 : 0;
    return verdict == 1;
}

bool testBytes(const BoundQuery::Node &n, const char *data, qsizetype size, bool binary)
{
    if (size <= 0)
        return false;
    if (n.op == QueryOp::Contains)
        return containsFoldedAscii(data, size, n.needle);
    return !binary && n.regex.match(QString::fromUtf8(data, size)).hasMatch();
}

bool compareNumber(qint64 a, QueryOp op, qint64 b)
{
    switch (op) {
    case QueryOp::Eq:
        return a == b;
    case QueryOp::Ne:
        return a != b;
    case QueryOp::Lt:
        return a < b;
    case QueryOp::Le:
        return a <= b;
    case QueryOp::Gt:
        return a > b;
    case QueryOp::Ge:
        return a >= b;
    case QueryOp::Contains:
    case QueryOp::Matches:
        return false;
    }
    return false;
}

bool evaluate(const std::vector<BoundQuery::Node> &nodes, int index, const QueryRow &row,
              const QList<QString> &strings)
{
    using N = BoundQuery::Node;
    const N &n = nodes[std::size_t(index)];
    switch (n.type) {
    case N::Type::And:
        return evaluate(nodes, n.left, row, strings) && evaluate(nodes, n.right, row, strings);
    case N::Type::Or:
        return evaluate(nodes, n.left, row, strings) || evaluate(nodes, n.right, row, strings);
    case N::Type::Not:
        return !evaluate(nodes, n.left, row, strings);
    case N::Type::Number:
        // A field the record does not have compares as false, whatever the operator (as in Wireshark).
        switch (n.field) {
        case QueryField::Status:
            return row.status != 0 && compareNumber(row.status, n.op, n.number);
        case QueryField::Duration:
            return row.durationMs >= 0 && compareNumber(row.durationMs, n.op, n.number);
        default:
            return compareNumber(row.size, n.op, n.number);
        }
    case N::Type::Kind: {
        bool is = false;
        switch (n.kind) {
        case QueryKind::Http:
            is = row.kind == Kind::Http;
            break;
        case QueryKind::Frame:
            is = row.kind == Kind::Frame;
            break;
        case QueryKind::Lifecycle:
            is = row.kind == Kind::Lifecycle;
            break;
        case QueryKind::Note:
            is = row.kind == Kind::Note;
            break;
        case QueryKind::Upstream:
        case QueryKind::Rest:
            if (row.kind == Kind::Http) {
                const bool upstream = cachedVerdict(n, row.strings[TypeSlot], strings, isUpstreamType);
                is = upstream == (n.kind == QueryKind::Upstream);
            }
            break;
        }
        return is != n.negate;
    }
    case N::Type::Direction:
        return (row.direction == n.direction) != n.negate;
    case N::Type::Source:
        return (row.source == n.source) != n.negate;
    case N::Type::StringEq:
        return (row.strings[n.slot] == n.resolved) != n.negate;
    case N::Type::StringTest:
        return cachedVerdict(n, row.strings[n.slot], strings,
                             [&n](const QString &value) { return testString(n, value); });
    case N::Type::Text: {
        for (int slot = 0; slot < SlotCount; ++slot) {
            if (row.strings[slot] != 0 &&
                cachedVerdict(n, row.strings[slot], strings,
                              [&n](const QString &value) { return testString(n, value); }))
                return true;
        }
        return testBytes(n, row.detail, row.detailLength, false) ||
               testBytes(n, row.payload, row.payloadLength, row.binary);
    }
    }
    return false;
}

} // namespace

BoundQuery::BoundQuery() = default;
BoundQuery::~BoundQuery() = default;
BoundQuery::BoundQuery(BoundQuery &&) noexcept = default;
BoundQuery &BoundQuery::operator=(BoundQuery &&) noexcept = default;

void BoundQuery::resolve(const std::function<quint32(const QString &)> &lookup) const
{
    for (const Node &n : m_nodes) {
        if (n.type == Node::Type::StringEq) {
            if (n.value.isEmpty()) {
                n.resolved = 0;
            } else {
                const quint32 id = lookup(n.value);
                n.resolved = id == 0 ? unseen : id;
            }
        }
    }
}

bool BoundQuery::matches(const QueryRow &row, const QList<QString> &strings) const
{
    return m_nodes.empty() || evaluate(m_nodes, 0, row, strings);
}

Expected<BoundQuery, QueryError> bindQuery(const QueryNode &root)
{
    Binder binder;
    binder.bind(root);
    if (binder.error)
        return Expected<BoundQuery, QueryError>::failure(*binder.error);
    BoundQuery query;
    query.m_nodes = std::move(binder.nodes);
    return query;
}

Expected<BoundQuery, QueryError> compileQuery(QStringView text)
{
    auto tree = parseQuery(text);
    if (!tree)
        return Expected<BoundQuery, QueryError>::failure(tree.error());
    return bindQuery(**tree);
}

} // namespace wps::trace
