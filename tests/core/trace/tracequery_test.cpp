// Display filters (tracequery.h): the grammar, errors with positions, and the compiled query run by the
// store's match() against a brute-force count over the same events.
#include "trace/tracefilter.h"
#include "trace/tracequery.h"
#include "trace/tracestore.h"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace wps::trace;

namespace {

constexpr qint64 kT0 = 1'700'000'000'000;

TraceEvent event(int n)
{
    TraceEvent e;
    e.timestampMs = kT0 + n * 10;
    e.kind = n % 4 == 0 ? Kind::Http : (n % 4 == 3 ? Kind::Lifecycle : Kind::Frame);
    e.direction = e.kind == Kind::Lifecycle ? Direction::None : (n % 2 ? Direction::In : Direction::Out);
    e.hub = n % 7 == 0 ? u"chat"_s : u"demo"_s;
    e.connectionId = u"conn-"_s + QString::number(n % 11);
    e.userId = n % 5 == 0 ? u"alice"_s : u"bob"_s;
    e.group = n % 3 == 0 ? u"room"_s + QString::number(n % 6) : QString();
    e.type = e.kind == Kind::Http ? (n % 8 == 0 ? u"upstream connect"_s : u"sendToAll"_s)
                                  : (n % 10 == 1 ? u"ping"_s : u"message"_s);
    e.status = e.kind == Kind::Http ? (n % 16 == 4 ? 500 : 202) : 0;
    e.durationMs = e.kind == Kind::Http ? n % 50 : -1;
    e.detail = e.kind == Kind::Http ? u"POST /api/hubs/demo/:send"_s : QString();
    e.payload = n % 17 == 0 ? QByteArray(QByteArray("{\"text\":\"Needle-") + QByteArray::number(n) + "\"}")
                            : QByteArray(QByteArray("{\"seq\":") + QByteArray::number(n) + "}");
    e.size = e.payload.size();
    e.source = n % 9 == 0 ? Source::Service : Source::Console;
    return e;
}

constexpr int kEvents = 3000;

class TraceQueryTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        std::vector<TraceEvent> events;
        for (int n = 0; n < kEvents; ++n)
            events.push_back(event(n));
        m_store.append(events);
    }
    /// Rows the store matches for \a query (it must compile).
    int count(const QString &query)
    {
        TraceFilterSpec spec;
        spec.query = query;
        const TraceFilter filter(spec);
        QString error;
        EXPECT_TRUE(filter.isValid(&error)) << query.toStdString() << ": " << error.toStdString();
        std::vector<quint64> out;
        m_store.match(filter, 0, m_store.endId(), &out, std::numeric_limits<qint64>::max());
        return int(out.size());
    }
    static int expected(const std::function<bool(const TraceEvent &)> &pred)
    {
        int n = 0;
        for (int i = 0; i < kEvents; ++i)
            n += pred(event(i)) ? 1 : 0;
        return n;
    }
    TraceStore m_store;
};

QueryError errorOf(const QString &text)
{
    const auto compiled = compileQuery(text);
    EXPECT_FALSE(compiled.hasValue()) << text.toStdString();
    return compiled ? QueryError{} : compiled.error();
}

} // namespace

TEST(TraceQueryGrammar, ParsesPrecedenceAndParentheses)
{
    // and binds tighter than or; not tighter than and.
    auto tree = parseQuery(u"a==1 or b==2 and not c==3");
    ASSERT_TRUE(tree.hasValue());
    const QueryNode &root = **tree;
    ASSERT_EQ(root.type, QueryNode::Type::Or);
    EXPECT_EQ(root.left->type, QueryNode::Type::Compare);
    EXPECT_EQ(root.left->field, u"a"_s);
    ASSERT_EQ(root.right->type, QueryNode::Type::And);
    EXPECT_EQ(root.right->right->type, QueryNode::Type::Not);
    EXPECT_EQ(root.right->right->left->field, u"c"_s);

    auto grouped = parseQuery(u"(a==1 || b==2) && !c==3");
    ASSERT_TRUE(grouped.hasValue());
    EXPECT_EQ((*grouped)->type, QueryNode::Type::And);
    EXPECT_EQ((*grouped)->left->type, QueryNode::Type::Or);
    EXPECT_EQ((*grouped)->right->type, QueryNode::Type::Not);
}

TEST(TraceQueryGrammar, ReadsOperatorsStringsAndPositions)
{
    auto tree = parseQuery(u"  text ~ \"a \\\"b\\\" c\"");
    ASSERT_TRUE(tree.hasValue());
    EXPECT_EQ((*tree)->op, QueryOp::Matches);
    EXPECT_EQ((*tree)->value, u"a \"b\" c"_s);
    EXPECT_TRUE((*tree)->quoted);
    EXPECT_EQ((*tree)->fieldPosition, 2);
    EXPECT_EQ((*tree)->valuePosition, 9);

    const std::pair<const char16_t *, QueryOp> ops[] = {{u"status==1", QueryOp::Eq},
                                                        {u"status=1", QueryOp::Eq},
                                                        {u"status!=1", QueryOp::Ne},
                                                        {u"status<1", QueryOp::Lt},
                                                        {u"status<=1", QueryOp::Le},
                                                        {u"status>1", QueryOp::Gt},
                                                        {u"status>=1", QueryOp::Ge},
                                                        {u"status eq 1", QueryOp::Eq},
                                                        {u"text contains x", QueryOp::Contains},
                                                        {u"text matches x", QueryOp::Matches}};
    for (const auto &[text, op] : ops) {
        auto parsed = parseQuery(QStringView(text));
        ASSERT_TRUE(parsed.hasValue()) << QString::fromUtf16(text).toStdString();
        EXPECT_EQ((*parsed)->op, op) << QString::fromUtf16(text).toStdString();
    }
    // Identifiers keep the characters connection ids use.
    auto conn = parseQuery(u"conn==Ab-3_x.y:z/1@2");
    ASSERT_TRUE(conn.hasValue());
    EXPECT_EQ((*conn)->value, u"Ab-3_x.y:z/1@2"_s);
}

TEST(TraceQueryGrammar, ErrorsSayWhatAndWhere)
{
    struct Case
    {
        QString text;
        int position;
        QString words;
    };
    const Case cases[] = {
        {u""_s, 0, u"empty"_s},
        {u"status>="_s, 8, u"value"_s},
        {u"(status>=400"_s, 12, u"')'"_s},
        {u"status>=400)"_s, 11, u"')'"_s},
        {u"user==alice and"_s, 15, u"too early"_s},
        {u"user==alice & hub==x"_s, 12, u"doubled"_s},
        {u"text~\"abc"_s, 5, u"not closed"_s},
        {u"==3"_s, 0, u"field name"_s},
        {u"usr==alice"_s, 0, u"Unknown field 'usr'"_s},
        {u"status>=high"_s, 8, u"number"_s},
        {u"kind==bogus"_s, 6, u"Unknown kind"_s},
        {u"dir==up"_s, 5, u"in, out or none"_s},
        {u"source==cloud"_s, 8, u"console or service"_s},
        {u"user>alice"_s, 0, u"cannot be used"_s},
        {u"text==x"_s, 0, u"contains or ~"_s},
        {u"text~\"(\""_s, 5, u"regular expression"_s},
        {u"status>=400 hub==demo"_s, 12, u"Expected 'and'"_s},
    };
    for (const Case &c : cases) {
        const QueryError error = errorOf(c.text);
        EXPECT_EQ(error.position, c.position) << c.text.toStdString() << " → " << error.message.toStdString();
        EXPECT_TRUE(error.message.contains(c.words))
            << c.text.toStdString() << " → " << error.message.toStdString();
    }
}

TEST(TraceQueryGrammar, DeepOrLongInputIsAnErrorNotACrash)
{
    EXPECT_FALSE(compileQuery(QString(QString(5000, u'(') + u"status==1"_s)).hasValue());
    EXPECT_FALSE(compileQuery(QString(QString(5000, u'!') + u"status==1"_s)).hasValue());
    QString chain = u"status==1"_s;
    for (int i = 0; i < 2000; ++i)
        chain += u" and status==1"_s;
    EXPECT_FALSE(compileQuery(chain).hasValue());
}

TEST_F(TraceQueryTest, EveryFieldSelectsWhatABruteForcePredicateCounts)
{
    struct Case
    {
        QString query;
        std::function<bool(const TraceEvent &)> pred;
    };
    const Case cases[] = {
        {u"status>=400"_s, [](const TraceEvent &e) { return e.status >= 400; }},
        {u"status<400"_s, [](const TraceEvent &e) { return e.status != 0 && e.status < 400; }},
        {u"status==202"_s, [](const TraceEvent &e) { return e.status == 202; }},
        {u"user==alice"_s, [](const TraceEvent &e) { return e.userId == u"alice"_s; }},
        {u"user!=alice"_s, [](const TraceEvent &e) { return e.userId != u"alice"_s; }},
        {u"hub==demo"_s, [](const TraceEvent &e) { return e.hub == u"demo"_s; }},
        {u"group==room3"_s, [](const TraceEvent &e) { return e.group == u"room3"_s; }},
        {u"group==\"\""_s, [](const TraceEvent &e) { return e.group.isEmpty(); }},
        {u"group contains ROOM"_s, [](const TraceEvent &e) { return !e.group.isEmpty(); }},
        {u"group~\"room[12]\""_s,
         [](const TraceEvent &e) { return e.group == u"room1"_s || e.group == u"room2"_s; }},
        {u"conn==conn-3"_s, [](const TraceEvent &e) { return e.connectionId == u"conn-3"_s; }},
        {u"type==ping"_s, [](const TraceEvent &e) { return e.type == u"ping"_s; }},
        {u"kind==http"_s, [](const TraceEvent &e) { return e.kind == Kind::Http; }},
        {u"kind==upstream"_s,
         [](const TraceEvent &e) { return e.kind == Kind::Http && e.type.startsWith(u"upstream"_s); }},
        {u"kind==rest"_s,
         [](const TraceEvent &e) { return e.kind == Kind::Http && !e.type.startsWith(u"upstream"_s); }},
        {u"upstream"_s,
         [](const TraceEvent &e) { return e.kind == Kind::Http && e.type.startsWith(u"upstream"_s); }},
        {u"kind==frame"_s, [](const TraceEvent &e) { return e.kind == Kind::Frame; }},
        {u"kind!=lifecycle"_s, [](const TraceEvent &e) { return e.kind != Kind::Lifecycle; }},
        {u"dir==in"_s, [](const TraceEvent &e) { return e.direction == Direction::In; }},
        {u"dir==none"_s, [](const TraceEvent &e) { return e.direction == Direction::None; }},
        {u"source==service"_s, [](const TraceEvent &e) { return e.source == Source::Service; }},
        {u"duration>=40"_s, [](const TraceEvent &e) { return e.durationMs >= 40; }},
        {u"size>10"_s, [](const TraceEvent &e) { return e.size > 10; }},
        {u"text contains needle"_s, [](const TraceEvent &e) { return e.payload.contains("Needle"); }},
        {u"\"needle-17\""_s, [](const TraceEvent &e) { return e.payload.contains("Needle-17"); }},
        {u"text~\"Needle-1[0-9]+\""_s,
         [](const TraceEvent &e) {
             return QString::fromUtf8(e.payload).contains(QRegularExpression(u"Needle-1[0-9]+"_s));
         }},
        {u"text contains alice"_s, [](const TraceEvent &e) { return e.userId == u"alice"_s; }},
        {u"user==alice and (group==room0 or group==room3) and not dir==out"_s,
         [](const TraceEvent &e) {
             return e.userId == u"alice"_s && (e.group == u"room0"_s || e.group == u"room3"_s) &&
                    e.direction != Direction::Out;
         }},
        {u"status>=400 || kind==lifecycle && hub==chat"_s,
         [](const TraceEvent &e) {
             return e.status >= 400 || (e.kind == Kind::Lifecycle && e.hub == u"chat"_s);
         }},
        {u"user==nobody"_s, [](const TraceEvent &) { return false; }},
        {u"user!=nobody"_s, [](const TraceEvent &) { return true; }},
    };
    for (const Case &c : cases) {
        const int want = expected(c.pred);
        EXPECT_EQ(count(c.query), want) << c.query.toStdString();
    }
    // A sanity check on the data: the interesting cases are neither empty nor everything.
    EXPECT_GT(expected(cases[0].pred), 0);
    EXPECT_LT(expected(cases[0].pred), kEvents);
}

TEST_F(TraceQueryTest, AValueSeenLaterMatchesOnTheNextScan)
{
    TraceFilterSpec spec;
    spec.query = u"user==carol"_s;
    const TraceFilter filter(spec);
    std::vector<quint64> out;
    m_store.match(filter, 0, m_store.endId(), &out, std::numeric_limits<qint64>::max());
    EXPECT_TRUE(out.empty());
    TraceEvent e = event(1);
    e.userId = u"carol"_s;
    const quint64 id = m_store.append(e);
    m_store.match(filter, 0, m_store.endId(), &out, std::numeric_limits<qint64>::max());
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0], id);
}

TEST_F(TraceQueryTest, QueryCombinesWithTheOtherCriteriaAndKeepAlives)
{
    TraceFilterSpec spec;
    spec.query = u"kind==frame"_s;
    spec.hideKeepAlives = true;
    const TraceFilter filter(spec);
    std::vector<quint64> out;
    m_store.match(filter, 0, m_store.endId(), &out, std::numeric_limits<qint64>::max());
    EXPECT_EQ(int(out.size()),
              expected([](const TraceEvent &e) { return e.kind == Kind::Frame && e.type != u"ping"_s; }));

    TraceFilterSpec invalid;
    invalid.query = u"status>>4"_s;
    QString error;
    int position = -2;
    EXPECT_FALSE(TraceFilter(invalid).isValid(&error, &position));
    EXPECT_EQ(position, 7);
    EXPECT_FALSE(error.isEmpty());
}
