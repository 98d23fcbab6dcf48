#include "trace/tracequery.h"

#include <QCoreApplication>

#include <algorithm>
#include <optional>

using namespace Qt::Literals::StringLiterals;

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

// ---- Lexer --------------------------------------------------------------------------------------------

struct Token
{
    enum class Type : quint8 { Word, String, Op, LParen, RParen, And, Or, Not, End };
    Type type = Type::End;
    QString text;
    QueryOp op = QueryOp::Eq;
    int position = 0;
};

bool keywordOp(const QString &word, QueryOp *op)
{
    static const std::pair<QStringView, QueryOp> words[] = {{u"eq", QueryOp::Eq},
                                                            {u"ne", QueryOp::Ne},
                                                            {u"lt", QueryOp::Lt},
                                                            {u"le", QueryOp::Le},
                                                            {u"gt", QueryOp::Gt},
                                                            {u"ge", QueryOp::Ge},
                                                            {u"contains", QueryOp::Contains},
                                                            {u"matches", QueryOp::Matches}};
    for (const auto &[name, value] : words) {
        if (word.compare(name, Qt::CaseInsensitive) == 0) {
            *op = value;
            return true;
        }
    }
    return false;
}

Expected<std::vector<Token>, QueryError> lex(QStringView text)
{
    std::vector<Token> tokens;
    const auto n = int(text.size());
    int i = 0;
    auto symbol = [&](Token::Type type, int length, QueryOp op = QueryOp::Eq) {
        Token t;
        t.type = type;
        t.op = op;
        t.position = i;
        t.text = text.mid(i, length).toString();
        tokens.push_back(std::move(t));
        i += length;
    };
    while (i < n) {
        const QChar c = text[i];
        const QChar next = i + 1 < n ? text[i + 1] : QChar();
        if (c.isSpace()) {
            ++i;
        } else if (c == u'(') {
            symbol(Token::Type::LParen, 1);
        } else if (c == u')') {
            symbol(Token::Type::RParen, 1);
        } else if (c == u'&' || c == u'|') {
            if (next != c)
                return Expected<std::vector<Token>, QueryError>::failure(
                    {tr("'%1' needs to be doubled: '%1%1'").arg(c), i});
            symbol(c == u'&' ? Token::Type::And : Token::Type::Or, 2);
        } else if (c == u'=') {
            symbol(Token::Type::Op, next == u'=' ? 2 : 1, QueryOp::Eq);
        } else if (c == u'!') {
            if (next == u'=')
                symbol(Token::Type::Op, 2, QueryOp::Ne);
            else
                symbol(Token::Type::Not, 1);
        } else if (c == u'<') {
            if (next == u'=')
                symbol(Token::Type::Op, 2, QueryOp::Le);
            else
                symbol(Token::Type::Op, 1, QueryOp::Lt);
        } else if (c == u'>') {
            if (next == u'=')
                symbol(Token::Type::Op, 2, QueryOp::Ge);
            else
                symbol(Token::Type::Op, 1, QueryOp::Gt);
        } else if (c == u'~') {
            symbol(Token::Type::Op, 1, QueryOp::Matches);
        } else if (c == u'"') {
            Token t;
            t.type = Token::Type::String;
            t.position = i;
            int j = i + 1;
            bool closed = false;
            while (j < n) {
                const QChar d = text[j];
                if (d == u'\\' && j + 1 < n && (text[j + 1] == u'"' || text[j + 1] == u'\\')) {
                    t.text += text[j + 1];
                    j += 2;
                } else if (d == u'"') {
                    closed = true;
                    ++j;
                    break;
                } else {
                    t.text += d;
                    ++j;
                }
            }
            if (!closed)
                return Expected<std::vector<Token>, QueryError>::failure(
                    {tr("This string is not closed: add a '\"'"), i});
            i = j;
            tokens.push_back(std::move(t));
        } else {
            Token t;
            t.position = i;
            int j = i;
            while (j < n && isQueryWordChar(text[j]))
                ++j;
            t.text = text.mid(i, j - i).toString();
            i = j;
            if (t.text.compare(u"and"_s, Qt::CaseInsensitive) == 0)
                t.type = Token::Type::And;
            else if (t.text.compare(u"or"_s, Qt::CaseInsensitive) == 0)
                t.type = Token::Type::Or;
            else if (t.text.compare(u"not"_s, Qt::CaseInsensitive) == 0)
                t.type = Token::Type::Not;
            else if (keywordOp(t.text, &t.op))
                t.type = Token::Type::Op;
            else
                t.type = Token::Type::Word;
            tokens.push_back(std::move(t));
        }
    }
    Token end;
    end.type = Token::Type::End;
    end.position = n;
    tokens.push_back(std::move(end));
    return tokens;
}

// ---- Parser -------------------------------------------------------------------------------------------

constexpr int maxDepth = 64;
/// Bounds the tree (and so the recursion of the binder, the evaluator and the destructor): a chain of
/// `and`s is as deep as it is long.
constexpr int maxNodes = 400;

class Parser
{
public:
    explicit Parser(std::vector<Token> tokens)
        : m_tokens(std::move(tokens))
    {
    }

    std::unique_ptr<QueryNode> parseAll()
    {
        auto node = parseOr(0);
        if (node && peek().type != Token::Type::End)
            fail(peek().type == Token::Type::RParen
                     ? tr("This ')' has no matching '('")
                     : tr("Expected 'and', 'or' or the end, found '%1'").arg(peek().text),
                 peek().position);
        return m_error ? nullptr : std::move(node);
    }
    const std::optional<QueryError> &error() const { return m_error; }

private:
    const Token &peek() const { return m_tokens[m_at]; }
    const Token &take() { return m_tokens[m_at < m_tokens.size() - 1 ? m_at++ : m_at]; }
    void fail(const QString &message, int position)
    {
        if (!m_error)
            m_error = QueryError{message, position};
    }

    std::unique_ptr<QueryNode> binary(QueryNode::Type type, std::unique_ptr<QueryNode> l,
                                      std::unique_ptr<QueryNode> r)
    {
        if (++m_nodes > maxNodes) {
            fail(tr("The filter is too long (at most %1 terms)").arg(maxNodes / 2), peek().position);
            return nullptr;
        }
        auto node = std::make_unique<QueryNode>();
        node->type = type;
        node->left = std::move(l);
        node->right = std::move(r);
        return node;
    }

    std::unique_ptr<QueryNode> parseOr(int depth)
    {
        auto left = parseAnd(depth);
        while (left && peek().type == Token::Type::Or) {
            take();
            auto right = parseAnd(depth);
            if (!right)
                return nullptr;
            left = binary(QueryNode::Type::Or, std::move(left), std::move(right));
            if (!left)
                return nullptr;
        }
        return left;
    }

    std::unique_ptr<QueryNode> parseAnd(int depth)
    {
        auto left = parseUnary(depth);
        while (left && peek().type == Token::Type::And) {
            take();
            auto right = parseUnary(depth);
            if (!right)
                return nullptr;
            left = binary(QueryNode::Type::And, std::move(left), std::move(right));
            if (!left)
                return nullptr;
        }
        return left;
    }

    std::unique_ptr<QueryNode> parseUnary(int depth)
    {
        if (depth > maxDepth) {
            fail(tr("The filter is nested too deeply"), peek().position);
            return nullptr;
        }
        if (peek().type == Token::Type::Not) {
            take();
            auto operand = parseUnary(depth + 1);
            if (!operand)
                return nullptr;
            return binary(QueryNode::Type::Not, std::move(operand), nullptr);
        }
        return parsePrimary(depth);
    }

    std::unique_ptr<QueryNode> parsePrimary(int depth)
    {
        const Token &t = take();
        switch (t.type) {
        case Token::Type::LParen: {
            auto inner = parseOr(depth + 1);
            if (!inner)
                return nullptr;
            if (peek().type != Token::Type::RParen) {
                fail(tr("Expected ')' to close the '(' at %1").arg(t.position + 1), peek().position);
                return nullptr;
            }
            take();
            return inner;
        }
        case Token::Type::Word:
        case Token::Type::String: {
            auto node = std::make_unique<QueryNode>();
            if (t.type == Token::Type::Word && peek().type == Token::Type::Op) {
                node->type = QueryNode::Type::Compare;
                node->field = t.text;
                node->fieldPosition = t.position;
                const Token &op = take();
                node->op = op.op;
                const Token &value = take();
                if (value.type != Token::Type::Word && value.type != Token::Type::String) {
                    fail(tr("Expected a value after '%1'").arg(op.text), value.position);
                    return nullptr;
                }
                node->value = value.text;
                node->valuePosition = value.position;
                node->quoted = value.type == Token::Type::String;
                return node;
            }
            node->type = QueryNode::Type::Term;
            node->value = t.text;
            node->valuePosition = t.position;
            node->quoted = t.type == Token::Type::String;
            return node;
        }
        case Token::Type::End:
            fail(m_at == 0 || m_tokens.size() == 1 ? tr("The filter is empty")
                                                   : tr("The filter ends too early: a comparison is missing"),
                 t.position);
            return nullptr;
        case Token::Type::Op:
            fail(tr("'%1' needs a field name before it (for example status%1400)").arg(t.text), t.position);
            return nullptr;
        case Token::Type::RParen:
            fail(tr("Unexpected ')'"), t.position);
            return nullptr;
        case Token::Type::And:
        case Token::Type::Or:
        case Token::Type::Not:
            fail(tr("Unexpected '%1': a comparison is missing before it").arg(t.text), t.position);
            return nullptr;
        }
        return nullptr;
    }

    std::vector<Token> m_tokens;
    std::size_t m_at = 0;
    int m_nodes = 0;
    std::optional<QueryError> m_error;
};

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

bool isQueryWordChar(QChar c)
{
    return !c.isSpace() && c != u'(' && c != u')' && c != u'"' && c != u'=' && c != u'!' && c != u'<' &&
           c != u'>' && c != u'~' && c != u'&' && c != u'|';
}

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

QStringList queryOperators()
{
    return {u"=="_s, u"!="_s,       u">="_s,  u"<="_s, u">"_s,  u"<"_s,
            u"~"_s,  u"contains"_s, u"and"_s, u"or"_s, u"not"_s};
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

Expected<std::unique_ptr<QueryNode>, QueryError> parseQuery(QStringView text)
{
    auto tokens = lex(text);
    if (!tokens)
        return Expected<std::unique_ptr<QueryNode>, QueryError>::failure(tokens.error());
    Parser parser(std::move(tokens).value());
    auto root = parser.parseAll();
    if (!root)
        return Expected<std::unique_ptr<QueryNode>, QueryError>::failure(
            parser.error().value_or(QueryError{tr("Invalid filter"), 0}));
    return std::move(root);
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
