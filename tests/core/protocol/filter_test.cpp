// The OData filter of docs/protocol.md#odata-filters: parser, type checks, evaluation and hostile input.
#include "protocol/filter.h"
#include "support/printers.h"

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using namespace wps::filter;

namespace {

/// One connection as the filter sees it; owns its group set.
struct Conn
{
    QString id = u"conn1"_s;
    std::optional<QString> user = u"user1"_s;
    QSet<QString> groups;
    std::optional<QString> protocol = u"json.webpubsub.azure.v1"_s;

    ConnectionFacts facts() const { return ConnectionFacts{id, user, &groups, protocol}; }
};

Conn conn(const QString &id, std::optional<QString> user, QSet<QString> groups = {})
{
    Conn c;
    c.id = id;
    c.user = std::move(user);
    c.groups = std::move(groups);
    return c;
}

/// Parses (which must succeed) and evaluates.
bool eval(const QString &text, const Conn &c = Conn())
{
    const auto expression = Expression::parse(text);
    EXPECT_TRUE(expression.hasValue())
        << text.left(200).toStdString() << ": "
        << (expression ? std::string() : expression.error().message.toStdString());
    return expression && expression->matches(c.facts());
}

ParseError error(const QString &text)
{
    const auto expression = Expression::parse(text);
    EXPECT_FALSE(expression.hasValue()) << text.left(200).toStdString();
    return expression ? ParseError{} : expression.error();
}

QString nested(int depth, const QString &inner)
{
    return QString(depth, u'(') + inner + QString(depth, u')');
}

QString clauses(int count)
{
    QStringList parts;
    for (int i = 0; i < count; ++i)
        parts << u"userId eq 'u%1'"_s.arg(i);
    return parts.join(u" or "_s);
}

} // namespace

TEST(Filter, DocumentedExamplesSelectTheDocumentedConnections)
{
    const Conn inG1 = conn(u"c1"_s, u"u1"_s, {u"g1"_s});
    const Conn inG2 = conn(u"c2"_s, u"u2"_s, {u"g2"_s});
    const Conn inNone = conn(u"123"_s, u"u1"_s);
    EXPECT_TRUE(eval(u"'g1' in groups or 'g2' in groups"_s, inG1));
    EXPECT_TRUE(eval(u"'g1' in groups or 'g2' in groups"_s, inG2));
    EXPECT_FALSE(eval(u"'g1' in groups or 'g2' in groups"_s, inNone));
    EXPECT_TRUE(eval(u"userId in ('u1','u2') and 'g1' in groups"_s, inG1));
    EXPECT_FALSE(eval(u"userId in ('u1','u2') and 'g1' in groups"_s, inG2));
    EXPECT_TRUE(eval(u"userId eq 'u1' and connectionId ne '123'"_s, inG1));
    EXPECT_FALSE(eval(u"userId eq 'u1' and connectionId ne '123'"_s, inNone));
    EXPECT_FALSE(eval(u"userId eq 'u1' and (not ('g1' in groups))"_s, inG1));
    EXPECT_TRUE(eval(u"userId eq 'u1' and (not ('g1' in groups))"_s, inNone));
    EXPECT_TRUE(eval(u"userId eq 'user''1'"_s, conn(u"c"_s, u"user'1"_s)));
    EXPECT_FALSE(eval(u"userId eq 'user''1'"_s, conn(u"c"_s, u"user1"_s)));
}

TEST(Filter, ParsedExpressionKeepsItsSourceText)
{
    const auto expression = Expression::parse(u"userId eq 'a'"_s);
    ASSERT_TRUE(expression.hasValue());
    EXPECT_EQ(expression->text(), u"userId eq 'a'"_s);
}

TEST(Filter, ComparisonOperatorsOnStringsAreOrdinal)
{
    const Conn c = conn(u"c"_s, u"m"_s);
    EXPECT_TRUE(eval(u"userId eq 'm'"_s, c));
    EXPECT_FALSE(eval(u"userId eq 'M'"_s, c)); // values are case-sensitive
    EXPECT_TRUE(eval(u"userId ne 'M'"_s, c));
    EXPECT_TRUE(eval(u"userId gt 'a'"_s, c));
    EXPECT_FALSE(eval(u"userId gt 'm'"_s, c));
    EXPECT_TRUE(eval(u"userId ge 'm'"_s, c));
    EXPECT_TRUE(eval(u"userId lt 'n'"_s, c));
    EXPECT_TRUE(eval(u"userId le 'm'"_s, c));
    EXPECT_FALSE(eval(u"userId le 'l'"_s, c));
    EXPECT_TRUE(eval(u"userId gt 'Z'"_s, c)); // ordinal: 'm' (0x6D) > 'Z' (0x5A)
    EXPECT_TRUE(eval(u"'B' lt 'a'"_s));
    EXPECT_TRUE(eval(u"'ab' gt 'a'"_s));
}

TEST(Filter, ComparisonOperatorsWorkOnNumbersAndBooleans)
{
    EXPECT_TRUE(eval(u"length(userId) eq 5"_s));
    EXPECT_TRUE(eval(u"length(userId) gt 4"_s));
    EXPECT_TRUE(eval(u"length(userId) ge 5"_s));
    EXPECT_TRUE(eval(u"length(userId) lt 6"_s));
    EXPECT_TRUE(eval(u"length(userId) le 5"_s));
    EXPECT_TRUE(eval(u"length(userId) ne -5"_s));
    EXPECT_TRUE(eval(u"-1 lt +1"_s));
    EXPECT_TRUE(eval(u"10 gt 9"_s)); // numeric, not text order
    EXPECT_TRUE(eval(u"true eq true"_s));
    EXPECT_TRUE(eval(u"true ne false"_s));
    EXPECT_TRUE(eval(u"true"_s));
    EXPECT_FALSE(eval(u"false"_s));
    EXPECT_TRUE(eval(u"startswith(userId, 'u') eq true"_s));
}

TEST(Filter, NullEqualsOnlyNullOrdersWithNothingAndPropagatesThroughFunctions)
{
    const Conn anonymous = conn(u"c"_s, std::nullopt);
    EXPECT_TRUE(eval(u"userId eq null"_s, anonymous));
    EXPECT_FALSE(eval(u"userId ne null"_s, anonymous));
    EXPECT_FALSE(eval(u"userId eq null"_s));
    EXPECT_TRUE(eval(u"userId ne null"_s));
    EXPECT_TRUE(eval(u"null eq null"_s));
    EXPECT_FALSE(eval(u"userId eq ''"_s, anonymous));  // null is not the empty string
    EXPECT_FALSE(eval(u"userId gt 'a'"_s, anonymous)); // null orders with nothing
    EXPECT_FALSE(eval(u"userId lt 'a'"_s, anonymous));
    EXPECT_FALSE(eval(u"userId in ('a','b')"_s, anonymous));
    EXPECT_TRUE(eval(u"userId in ('a',null)"_s, anonymous));
    EXPECT_FALSE(eval(u"userId in groups"_s, anonymous));
    EXPECT_TRUE(eval(u"length(userId) eq null"_s, anonymous)); // functions of null are null
    EXPECT_FALSE(eval(u"length(userId) gt 0"_s, anonymous));
    EXPECT_TRUE(eval(u"tolower(userId) eq null"_s, anonymous));
    EXPECT_TRUE(eval(u"concat(userId, 'x') eq null"_s, anonymous));
    EXPECT_FALSE(eval(u"startswith(userId, '')"_s, anonymous));
    EXPECT_FALSE(eval(u"contains(userId, null)"_s));
    EXPECT_TRUE(eval(u"protocol eq null"_s, [] {
        Conn raw;
        raw.protocol.reset();
        return raw;
    }()));
    EXPECT_TRUE(eval(u"protocol eq 'json.webpubsub.azure.v1'"_s));
}

TEST(Filter, InMatchesGroupsAndListsCaseSensitively)
{
    const Conn c = conn(u"c1"_s, u"u1"_s, {u"g1"_s, u"Group Two"_s});
    EXPECT_TRUE(eval(u"'g1' in groups"_s, c));
    EXPECT_FALSE(eval(u"'G1' in groups"_s, c));
    EXPECT_TRUE(eval(u"'Group Two' in groups"_s, c));
    EXPECT_TRUE(eval(u"'g1' in (groups)"_s, c));
    EXPECT_TRUE(eval(u"'g1' in ((groups))"_s, c));
    EXPECT_FALSE(eval(u"'g3' in groups"_s, c));
    EXPECT_TRUE(eval(u"connectionId in ('c0', 'c1')"_s, c));
    EXPECT_TRUE(eval(u"connectionId in ('c1')"_s, c));
    EXPECT_FALSE(eval(u"connectionId in ('c0')"_s, c));
    EXPECT_TRUE(eval(u"length(userId) in (1, 2)"_s, c));
    EXPECT_TRUE(eval(u"concat('g', '1') in groups"_s, c));
    EXPECT_FALSE(eval(u"'g1' in groups"_s, conn(u"c"_s, u"u"_s)));
    // No group set at all.
    const ConnectionFacts bare{u"c"_s, u"u"_s, nullptr, std::nullopt};
    const auto e = Expression::parse(u"'g1' in groups or length(groups) gt 0"_s);
    ASSERT_TRUE(e.hasValue());
    EXPECT_FALSE(e->matches(bare));
}

TEST(Filter, StringFunctionsAreCaseSensitiveAndClampTheirIndices)
{
    const Conn c = conn(u"Conn-42"_s, u"  Alice  "_s);
    EXPECT_TRUE(eval(u"tolower(connectionId) eq 'conn-42'"_s, c));
    EXPECT_TRUE(eval(u"toupper(connectionId) eq 'CONN-42'"_s, c));
    EXPECT_TRUE(eval(u"trim(userId) eq 'Alice'"_s, c));
    EXPECT_TRUE(eval(u"substring(connectionId, 5) eq '42'"_s, c));
    EXPECT_TRUE(eval(u"substring(connectionId, 0, 4) eq 'Conn'"_s, c));
    EXPECT_TRUE(eval(u"substring(connectionId, 5, 100) eq '42'"_s, c)); // clamped
    EXPECT_TRUE(eval(u"substring(connectionId, 100) eq ''"_s, c));
    EXPECT_TRUE(eval(u"substring(connectionId, -3, 4) eq 'Conn'"_s, c));
    EXPECT_TRUE(eval(u"substring(connectionId, 1, -1) eq ''"_s, c));
    EXPECT_TRUE(eval(u"substring(connectionId, 9223372036854775807, 9223372036854775807) eq ''"_s, c));
    EXPECT_TRUE(eval(u"concat(connectionId, '!') eq 'Conn-42!'"_s, c));
    EXPECT_TRUE(eval(u"concat(concat('a', 'b'), 'c') eq 'abc'"_s, c));
    EXPECT_TRUE(eval(u"indexof(connectionId, '-') eq 4"_s, c));
    EXPECT_TRUE(eval(u"indexof(connectionId, 'x') eq -1"_s, c));
    EXPECT_TRUE(eval(u"indexof(connectionId, 'c') eq -1"_s, c)); // case-sensitive
    EXPECT_TRUE(eval(u"length(connectionId) eq 7"_s, c));
    EXPECT_TRUE(eval(u"length('') eq 0"_s, c));
    EXPECT_TRUE(eval(u"length(groups) eq 2"_s, conn(u"c"_s, u"u"_s, {u"a"_s, u"b"_s})));
    EXPECT_TRUE(eval(u"length(groups) eq 0"_s, c));
    EXPECT_TRUE(eval(u"startswith(connectionId, 'Conn')"_s, c));
    EXPECT_FALSE(eval(u"startswith(connectionId, 'conn')"_s, c));
    EXPECT_TRUE(eval(u"endswith(connectionId, '42')"_s, c));
    EXPECT_FALSE(eval(u"endswith(connectionId, '4')"_s, c));
    EXPECT_TRUE(eval(u"contains(connectionId, 'n-4')"_s, c));
    EXPECT_FALSE(eval(u"contains(connectionId, 'N-4')"_s, c));
    EXPECT_TRUE(eval(u"length('\u00e9\u00e8') eq 2"_s, c)); // non-ASCII inside literals is fine
}

TEST(Filter, IdentifiersAndFunctionsAreCaseInsensitive)
{
    const Conn c = conn(u"c1"_s, u"u1"_s, {u"g"_s});
    EXPECT_TRUE(eval(u"UserId eq 'u1'"_s, c));
    EXPECT_TRUE(eval(u"USERID eq 'u1'"_s, c));
    EXPECT_TRUE(eval(u"connectionid eq 'c1'"_s, c));
    EXPECT_TRUE(eval(u"'g' in Groups"_s, c));
    EXPECT_TRUE(eval(u"ToLower(UserId) eq 'u1'"_s, c));
    EXPECT_TRUE(eval(u"STARTSWITH(userId, 'u')"_s, c));
    // Keywords and operators are lowercase, as in OData.
    EXPECT_FALSE(Expression::parse(u"userId EQ 'u1'"_s).hasValue());
    EXPECT_FALSE(Expression::parse(u"userId eq 'u1' AND true"_s).hasValue());
    EXPECT_FALSE(Expression::parse(u"TRUE"_s).hasValue());
}

TEST(Filter, OperatorsBindInTheOrderInNotComparisonAndOr)
{
    // and binds tighter than or
    EXPECT_TRUE(eval(u"true or false and false"_s));
    EXPECT_FALSE(eval(u"(true or false) and false"_s));
    EXPECT_TRUE(eval(u"false and false or true"_s));
    // not binds tighter than and/or
    EXPECT_TRUE(eval(u"not false and true"_s));
    EXPECT_FALSE(eval(u"not true or false"_s));
    EXPECT_TRUE(eval(u"not not true"_s));
    // not binds tighter than comparisons: (not true) eq false
    EXPECT_TRUE(eval(u"not true eq false"_s));
    const ParseError typeError = error(u"not length(userId) gt 5"_s);
    EXPECT_TRUE(typeError.message.startsWith(u"Type error at position 4"_s))
        << typeError.message.toStdString();
    EXPECT_EQ(typeError.position, 4);
    EXPECT_FALSE(eval(u"not (length(userId) gt 5)"_s, conn(u"c"_s, u"abcdefg"_s)));
    // in binds tighter than not (a postfix on its value, as in Microsoft.OData)
    EXPECT_TRUE(eval(u"not 'g' in groups"_s));
    EXPECT_FALSE(eval(u"not 'g' in groups"_s, conn(u"c"_s, u"u"_s, {u"g"_s})));
}

TEST(Filter, AnyWhitespaceAndRedundantParenthesesAreAccepted)
{
    EXPECT_TRUE(eval(u"  userId\teq\r\n'user1'  "_s));
    EXPECT_TRUE(eval(u"(userId eq 'user1')"_s));
    EXPECT_TRUE(eval(u"((userId) eq ('user1'))"_s));
    EXPECT_TRUE(eval(u"userId eq'user1'"_s));
    EXPECT_TRUE(eval(u"tolower (userId) eq 'user1'"_s));
    EXPECT_TRUE(eval(u"userId in('a','user1')"_s));
}

TEST(Filter, ServiceSyntaxErrorText)
{
    // The recorded service message (docs/protocol.md#error-model).
    const ParseError e = error(u"invalid filter"_s);
    EXPECT_EQ(e.message, u"Syntax error at position 14 in 'invalid filter'."_s);
    EXPECT_EQ(e.position, 14);
}

TEST(Filter, SyntaxErrorsGiveTheirPositionAndQuoteTheText)
{
    struct Case
    {
        QString text;
        int position;
        QString start;
    };
    const Case cases[] = {
        {u"userId eq"_s, 9, u"Expression expected at position 9"_s},
        {u"userId eq 'a' and"_s, 17, u"Expression expected at position 17"_s},
        {u"eq 'a'"_s, 0, u"Expression expected at position 0"_s},
        {u")"_s, 0, u"Expression expected at position 0"_s},
        {u"userId eq 'a')"_s, 14, u"Syntax error at position 14"_s},
        {u"userId eq 'a' userId"_s, 20, u"Syntax error at position 20"_s},
        {u"(userId eq 'a'"_s, 14, u"')' or operator expected at position 14"_s},
        {u"userId in ('a' 'b')"_s, 15, u"')' or ',' expected at position 15"_s},
        {u"userId in ('a',)"_s, 15, u"Expression expected at position 15"_s},
        {u"userId eq 'abc"_s, 14, u"There is an unterminated string literal at position 14"_s},
        {u"userId eq ''' "_s, 14, u"There is an unterminated string literal at position 14"_s},
        {u"userId eq 'a' & true"_s, 14, u"Syntax error: character '&' is not valid at position 14"_s},
        {u"userId eq - 1"_s, 10, u"Syntax error: character '-' is not valid at position 10"_s},
        {u"userId eq \"a\""_s, 10, u"Syntax error: character '\"' is not valid at position 10"_s},
        {u"userId eq 99999999999999999999"_s, 10, u"The number at position 10"_s},
        {u"tolower(userId"_s, 14, u"')' or ',' expected at position 14"_s},
    };
    for (const Case &c : cases) {
        const ParseError e = error(c.text);
        EXPECT_EQ(e.position, c.position) << c.text.toStdString() << " -> " << e.message.toStdString();
        EXPECT_TRUE(e.message.startsWith(c.start))
            << c.text.toStdString() << " -> " << e.message.toStdString();
        EXPECT_TRUE(e.message.contains(u"'"_s + c.text + u"'"_s)) << e.message.toStdString();
    }
    EXPECT_TRUE(eval(u"-9223372036854775808 lt 9223372036854775807"_s));
}

TEST(Filter, UnknownNamesAndWrongArgumentCountsAreRefused)
{
    ParseError e = error(u"userId eq 'a' and foo eq 'b'"_s);
    EXPECT_EQ(e.position, 18);
    EXPECT_TRUE(e.message.startsWith(u"Unknown identifier 'foo' at position 18"_s))
        << e.message.toStdString();
    e = error(u"frobnicate(userId)"_s);
    EXPECT_EQ(e.position, 0);
    EXPECT_TRUE(e.message.startsWith(u"Unknown function 'frobnicate'"_s)) << e.message.toStdString();
    e = error(u"substring(userId) eq 'a'"_s);
    EXPECT_TRUE(e.message.contains(u"takes 2 or 3 argument(s), not 1"_s)) << e.message.toStdString();
    e = error(u"substring(userId, 1, 2, 3) eq 'a'"_s);
    EXPECT_TRUE(e.message.contains(u"not 4"_s)) << e.message.toStdString();
    e = error(u"tolower() eq 'a'"_s);
    EXPECT_TRUE(e.message.contains(u"takes 1 argument(s), not 0"_s)) << e.message.toStdString();
    e = error(u"contains(userId) "_s);
    EXPECT_TRUE(e.message.contains(u"takes 2"_s)) << e.message.toStdString();
}

TEST(Filter, IllTypedExpressionsAreTypeErrorsAtTheirPosition)
{
    struct Case
    {
        QString text;
        int position;
    };
    const Case cases[] = {
        {u"userId eq 1"_s, 7},              // string vs number
        {u"userId eq true"_s, 7},           // string vs boolean
        {u"true gt false"_s, 5},            // booleans do not order
        {u"userId gt null"_s, 7},           // null only with eq/ne
        {u"groups eq 'a'"_s, 7},            // collections do not compare
        {u"userId"_s, 0},                   // not a boolean
        {u"length(userId)"_s, 0},           // not a boolean
        {u"groups"_s, 0},                   // not a boolean
        {u"null"_s, 0},                     // not a boolean
        {u"'a' and true"_s, 0},             // and needs booleans
        {u"true or 1"_s, 8},                // or needs booleans
        {u"not userId"_s, 4},               // not needs a boolean
        {u"1 in groups"_s, 2},              // only strings in groups
        {u"'a' in userId"_s, 7},            // in needs a list or groups
        {u"'a' in ('a', 1)"_s, 13},         // list items must match
        {u"userId in ('a', groups)"_s, 16}, // no collections inside a list
        {u"groups in ('a')"_s, 7},          // collection on the left
        {u"tolower(1) eq 'a'"_s, 8},        // argument type
        {u"substring(userId, 'a') eq 'b'"_s, 18},
        {u"length(true) eq 1"_s, 7},
        {u"startswith(userId, 1)"_s, 19},
        {u"indexof(groups, 'a') eq 1"_s, 8},
    };
    for (const Case &c : cases) {
        const ParseError e = error(c.text);
        EXPECT_EQ(e.position, c.position) << c.text.toStdString() << " -> " << e.message.toStdString();
        EXPECT_TRUE(e.message.startsWith(u"Type error at position %1 in '"_s.arg(c.position)))
            << c.text.toStdString() << " -> " << e.message.toStdString();
    }
}

TEST(Filter, SyntaxErrorWinsOverUnknownName)
{
    EXPECT_TRUE(error(u"foo eq 'a' bar"_s).message.startsWith(u"Syntax error at position 14"_s));
}

TEST(FilterHostile, EmptyOrBlankTextIsRefused)
{
    EXPECT_EQ(error(u""_s).message, u"The filter is empty."_s);
    EXPECT_EQ(error(u"   \t"_s).position, 0);
    EXPECT_EQ(error(u"()"_s).message.left(32), u"Expression expected at position "_s);
}

TEST(FilterHostile, OverlongTextIsRefusedWithoutEchoingIt)
{
    const QString big = u"userId eq '"_s + QString(70 * 1024, u'a') + u"'"_s;
    const ParseError e = error(big);
    EXPECT_TRUE(e.message.contains(u"too long"_s));
    EXPECT_LT(e.message.size(), 300);
    // Right at the limit it still parses.
    const QString limit = u"userId eq '"_s + QString(maxTextLength - 12, u'a') + u"'"_s;
    ASSERT_EQ(limit.size(), maxTextLength);
    EXPECT_FALSE(eval(limit));
    // Errors in long texts do not echo all of it.
    const QString longBad = u"userId eq '"_s + QString(10000, u'a') + u"' )"_s;
    const ParseError e2 = error(longBad);
    EXPECT_LT(e2.message.size(), 400);
    EXPECT_EQ(e2.position, longBad.size());
}

TEST(FilterHostile, NestingDeeperThanTheLimitIsRefused)
{
    EXPECT_TRUE(eval(nested(maxNestingDepth, u"userId eq 'user1'"_s)));
    const ParseError e = error(nested(maxNestingDepth + 1, u"userId eq 'user1'"_s));
    EXPECT_TRUE(e.message.contains(u"nested too deeply"_s)) << e.message.toStdString();
    EXPECT_EQ(e.position, maxNestingDepth);
    // Far deeper than any stack would survive without the bound.
    EXPECT_TRUE(error(nested(30000, u"true"_s)).message.contains(u"nested too deeply"_s));
    EXPECT_TRUE(error(QString(30000, u'(')).message.contains(u"nested too deeply"_s));

    QString nots;
    for (int i = 0; i < 10000; ++i)
        nots += u"not "_s;
    EXPECT_TRUE(error(nots + u"true"_s).message.contains(u"nested too deeply"_s));

    QString calls = u"userId"_s;
    for (int i = 0; i < 5000; ++i)
        calls = u"tolower("_s + calls + u")"_s;
    EXPECT_TRUE(error(calls + u" eq 'a'"_s).message.contains(u"nested too deeply"_s));

    QString lists = u"'a'"_s;
    for (int i = 0; i < 200; ++i)
        lists = u"'a' in ("_s + lists + u")"_s;
    EXPECT_FALSE(Expression::parse(lists).hasValue());
}

TEST(FilterHostile, MoreClausesThanTheLimitAreRefusedButLiteralChainsAndListsAreNot)
{
    EXPECT_TRUE(eval(clauses(maxClauses), conn(u"c"_s, u"u99"_s)));
    const ParseError e = error(clauses(maxClauses + 1));
    EXPECT_TRUE(e.message.contains(u"too many clauses"_s)) << e.message.toStdString();
    EXPECT_TRUE(error(clauses(3000)).message.contains(u"too many clauses"_s));

    // A long comparison chain would make a deep tree: it is bounded by the same limit.
    QString chain = u"true"_s;
    for (int i = 0; i < 5000; ++i)
        chain += u" eq true"_s;
    EXPECT_TRUE(error(chain).message.contains(u"too many clauses"_s));

    QString tests;
    for (int i = 0; i < 150; ++i)
        tests += u"contains(userId, 'x') or "_s;
    EXPECT_TRUE(error(tests + u"true"_s).message.contains(u"too many clauses"_s));

    // Long flat and/or chains of literals and long lists are fine: they make no deep tree.
    QString literals = u"false"_s;
    for (int i = 0; i < 5000; ++i)
        literals += u" or false"_s;
    EXPECT_FALSE(eval(literals));
    QStringList items;
    for (int i = 0; i < 2000; ++i)
        items << u"'u%1'"_s.arg(i);
    EXPECT_TRUE(
        eval(u"userId in ("_s + items.join(u","_s) + u") or 'user1' in ("_s + items.join(u","_s) + u")"_s,
             conn(u"c"_s, u"u1999"_s)));
}

TEST(FilterHostile, UnbalancedQuotesAndParensErrAtAPositionInTheText)
{
    for (const QString &text : {u"'"_s, u"''''"_s, u"userId eq '"_s, u"("_s, u"((userId eq 'a')"_s,
                                u"userId eq 'a'))"_s, u"userId in ('a'"_s, u"userId in 'a')"_s, u","_s,
                                u"tolower("_s, u"'a' in"_s, u"not"_s, u"not ("_s}) {
        const ParseError e = error(text);
        EXPECT_FALSE(e.message.isEmpty()) << text.toStdString();
        EXPECT_GE(e.position, 0);
        EXPECT_LE(e.position, text.size());
    }
}

TEST(FilterHostile, NonAsciiAndControlCharactersAreValidOnlyInLiterals)
{
    ParseError e = error(u"userId eq 'a' \u00e9t\u00e9"_s);
    EXPECT_EQ(e.position, 14);
    EXPECT_TRUE(e.message.contains(u"character '\u00e9' is not valid"_s)) << e.message.toStdString();
    e = error(u"us\u0000erId eq 'a'"_s);
    EXPECT_EQ(e.position, 2);
    EXPECT_TRUE(e.message.contains(u"U+0000"_s)) << e.message.toStdString();
    e = error(u"userId eq 'a' or \U0001F600"_s);
    EXPECT_EQ(e.position, 17);
    EXPECT_TRUE(e.message.contains(u"U+D83D"_s)) << e.message.toStdString();
    e = error(u"\uFEFFuserId eq 'a'"_s); // a byte-order mark is not whitespace here
    EXPECT_EQ(e.position, 0);
    // Inside string literals anything goes, including lone surrogates and NUL.
    EXPECT_TRUE(eval(u"userId eq '\u00fc\U0001F600'"_s, conn(u"c"_s, u"\u00fc\U0001F600"_s)));
    EXPECT_FALSE(eval(u"userId eq '\u0000'"_s));
    EXPECT_TRUE(eval(u"length('"_s + QChar(0xD800) + u"') eq 1"_s));
}

TEST(FilterHostile, PercentSignsInTextDoNotConfuseMessages)
{
    const ParseError e = error(u"userId eq '%1%2%3' and %4"_s);
    EXPECT_TRUE(e.message.contains(u"'userId eq '%1%2%3' and %4'"_s)) << e.message.toStdString();
    const ParseError deep = error(nested(maxNestingDepth + 1, u"'%1%2%3' eq '%0'"_s));
    EXPECT_TRUE(deep.message.contains(u"at most 100 levels"_s)) << deep.message.toStdString();
}

TEST(Filter, CopiesShareTheTree)
{
    auto parsed = Expression::parse(u"userId eq 'user1'"_s);
    ASSERT_TRUE(parsed.hasValue());
    const Expression copy = *parsed;
    parsed = Expression::parse(u"false"_s);
    EXPECT_TRUE(copy.matches(Conn().facts()));
    EXPECT_FALSE(parsed->matches(Conn().facts()));
}
