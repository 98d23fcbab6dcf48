#include "trace/tracequery.h"

#include <QCoreApplication>

#include <algorithm>
#include <optional>

using namespace Qt::Literals::StringLiterals;

// The display-filter language of the trace, phase 1: text to a syntax tree (lexer and recursive-descent
// parser). Binding and evaluation are in tracequery.cpp.

namespace wps::trace {

namespace {

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

/// The quoted string that starts at \a at (its '"'), with `\"` and `\\` unescaped; \a end: the index after
/// its closing quote.
Expected<Token, QueryError> lexString(QStringView text, int at, int *end)
{
    const auto n = int(text.size());
    Token t;
    t.type = Token::Type::String;
    t.position = at;
    int j = at + 1;
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
        return Expected<Token, QueryError>::failure({tr("This string is not closed: add a '\"'"), at});
    *end = j;
    return t;
}

/// The word that starts at \a at: `and`, `or`, `not`, a keyword operator (`eq`, `contains`, ...) or a
/// field name or value; \a end: the index after it.
Token lexWord(QStringView text, int at, int *end)
{
    const auto n = int(text.size());
    Token t;
    t.position = at;
    int j = at;
    while (j < n && isQueryWordChar(text[j]))
        ++j;
    t.text = text.mid(at, j - at).toString();
    *end = j;
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
    return t;
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
            int end = i;
            auto t = lexString(text, i, &end);
            if (!t)
                return Expected<std::vector<Token>, QueryError>::failure(t.error());
            tokens.push_back(std::move(t).value());
            i = end;
        } else {
            int end = i;
            tokens.push_back(lexWord(text, i, &end));
            i = end;
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

} // namespace

bool isQueryWordChar(QChar c)
{
    return !c.isSpace() && c != u'(' && c != u')' && c != u'"' && c != u'=' && c != u'!' && c != u'<' &&
           c != u'>' && c != u'~' && c != u'&' && c != u'|';
}

QStringList queryOperators()
{
    return {u"=="_s, u"!="_s,       u">="_s,  u"<="_s, u">"_s,  u"<"_s,
            u"~"_s,  u"contains"_s, u"and"_s, u"or"_s, u"not"_s};
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

} // namespace wps::trace
