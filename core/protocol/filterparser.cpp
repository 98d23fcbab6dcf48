#include "protocol/filter_p.h"

using namespace Qt::Literals::StringLiterals;

// Phase 1 of the filter: a recursive-descent parser from text to an untyped tree (protocol/filter_p.h).

namespace wps::filter {

namespace {

struct Token
{
    enum class Kind { End, Identifier, String, Integer, LParen, RParen, Comma };
    Kind kind = Kind::End;
    int start = 0;
    int end = 0;
    QString text; // identifier text or the unescaped string literal
    qint64 integer = 0;
};

bool isIdentifierStart(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
}

bool isIdentifierPart(QChar c)
{
    return isIdentifierStart(c) || (c >= u'0' && c <= u'9');
}

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isBlank(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\r' || c == u'\n';
}

QString describeCharacter(QChar c)
{
    if (c.isPrint() && !c.isSurrogate())
        return QString(c);
    return u"U+"_s + QString::number(c.unicode(), 16).toUpper().rightJustified(4, u'0');
}

class Parser
{
public:
    explicit Parser(QStringView text)
        : m_text(text)
    {
    }

    /// The untyped tree, or null with error() set.
    NodePtr parse()
    {
        if (!advance())
            return nullptr;
        NodePtr root = parseOr();
        if (!root)
            return nullptr;
        if (m_token.kind != Token::Kind::End)
            return fail(syntaxError(m_token.end));
        return root;
    }

    const ParseError &error() const { return m_error; }

private:
    NodePtr fail(ParseError error)
    {
        m_error = std::move(error);
        return nullptr;
    }

    ParseError syntaxError(int position) const
    {
        return makeError(
            position,
            tr("Syntax error at position %1 in %2.").arg(QString::number(position), quotedText(m_text)));
    }
    ParseError expressionExpected(int position) const
    {
        return makeError(position, tr("Expression expected at position %1 in %2.")
                                       .arg(QString::number(position), quotedText(m_text)));
    }

    bool lexError(ParseError error)
    {
        m_error = std::move(error);
        return false;
    }

    /// Reads the next token into m_token. False (with the error set) for text no token can start with.
    bool advance()
    {
        const int size = static_cast<int>(m_text.size());
        while (m_pos < size && isBlank(m_text[m_pos]))
            ++m_pos;
        Token token;
        token.start = m_pos;
        if (m_pos >= size) {
            token.kind = Token::Kind::End;
            token.end = size;
            m_token = std::move(token);
            return true;
        }
        const QChar c = m_text[m_pos];
        if (c == u'(' || c == u')' || c == u',') {
            token.kind = c == u'('   ? Token::Kind::LParen
                         : c == u')' ? Token::Kind::RParen
                                     : Token::Kind::Comma;
            ++m_pos;
        } else if (c == u'\'') {
            token.kind = Token::Kind::String;
            ++m_pos;
            bool closed = false;
            while (m_pos < size) {
                if (m_text[m_pos] == u'\'') {
                    if (m_pos + 1 < size && m_text[m_pos + 1] == u'\'') {
                        token.text += u'\'';
                        m_pos += 2;
                        continue;
                    }
                    ++m_pos;
                    closed = true;
                    break;
                }
                token.text += m_text[m_pos];
                ++m_pos;
            }
            if (!closed)
                return lexError(
                    makeError(size, tr("There is an unterminated string literal at position %1 in %2.")
                                        .arg(QString::number(size), quotedText(m_text))));
        } else if (isDigit(c) ||
                   ((c == u'-' || c == u'+') && m_pos + 1 < size && isDigit(m_text[m_pos + 1]))) {
            token.kind = Token::Kind::Integer;
            const bool negative = c == u'-';
            if (!isDigit(c))
                ++m_pos;
            // Accumulate negatively so that the most negative value is representable.
            qint64 value = 0;
            bool overflow = false;
            while (m_pos < size && isDigit(m_text[m_pos])) {
                const int digit = m_text[m_pos].unicode() - u'0';
                if (value < (std::numeric_limits<qint64>::min() + digit) / 10)
                    overflow = true;
                else
                    value = value * 10 - digit;
                ++m_pos;
            }
            if (!negative && value == std::numeric_limits<qint64>::min())
                overflow = true;
            if (overflow)
                return lexError(
                    makeError(token.start, tr("The number at position %1 in %2 is out of range.")
                                               .arg(QString::number(token.start), quotedText(m_text))));
            token.integer = negative ? value : -value;
        } else if (isIdentifierStart(c)) {
            token.kind = Token::Kind::Identifier;
            while (m_pos < size && isIdentifierPart(m_text[m_pos]))
                ++m_pos;
            token.text = m_text.sliced(token.start, m_pos - token.start).toString();
        } else {
            return lexError(
                makeError(m_pos, tr("Syntax error: character '%1' is not valid at position %2 in %3.")
                                     .arg(describeCharacter(c), QString::number(m_pos), quotedText(m_text))));
        }
        token.end = m_pos;
        m_token = std::move(token);
        return true;
    }

    bool isKeyword(QStringView keyword) const
    {
        return m_token.kind == Token::Kind::Identifier && m_token.text == keyword;
    }

    bool enter(int position)
    {
        if (++m_depth <= maxNestingDepth)
            return true;
        m_error = makeError(position, tr("The filter is nested too deeply at position %1 in %2: at most %3 "
                                         "levels of parentheses, 'not' and function calls are allowed.")
                                          .arg(QString::number(position), quotedText(m_text),
                                               QString::number(maxNestingDepth)));
        return false;
    }
    void leave() { --m_depth; }

    bool countClause(int position)
    {
        if (++m_clauses <= maxClauses)
            return true;
        m_error = makeError(
            position, tr("The filter has too many clauses at position %1 in %2: at most %3 "
                         "comparisons, 'in' tests and string tests are allowed.")
                          .arg(QString::number(position), quotedText(m_text), QString::number(maxClauses)));
        return false;
    }

    NodePtr parseLogical(QStringView keyword, Node::Op op, NodePtr (Parser::*operand)())
    {
        NodePtr first = (this->*operand)();
        if (!first || !isKeyword(keyword))
            return first;
        NodePtr node = makeNode(op, m_token.start);
        node->children.push_back(std::move(first));
        while (isKeyword(keyword)) {
            if (!advance())
                return nullptr;
            NodePtr next = (this->*operand)();
            if (!next)
                return nullptr;
            node->children.push_back(std::move(next));
        }
        return node;
    }

    NodePtr parseOr() { return parseLogical(u"or", Node::Op::Or, &Parser::parseAnd); }
    NodePtr parseAnd() { return parseLogical(u"and", Node::Op::And, &Parser::parseComparison); }

    std::optional<Node::Op> comparisonOperator() const
    {
        if (m_token.kind != Token::Kind::Identifier)
            return std::nullopt;
        static const struct
        {
            QStringView keyword;
            Node::Op op;
        } operators[] = {{u"eq", Node::Op::Eq}, {u"ne", Node::Op::Ne}, {u"gt", Node::Op::Gt},
                         {u"ge", Node::Op::Ge}, {u"lt", Node::Op::Lt}, {u"le", Node::Op::Le}};
        for (const auto &entry : operators)
            if (m_token.text == entry.keyword)
                return entry.op;
        return std::nullopt;
    }

    NodePtr parseComparison()
    {
        NodePtr left = parseUnary();
        while (left) {
            const std::optional<Node::Op> op = comparisonOperator();
            if (!op)
                break;
            if (!countClause(m_token.start))
                return nullptr;
            NodePtr node = makeNode(*op, m_token.start);
            node->name = m_token.text;
            if (!advance())
                return nullptr;
            NodePtr right = parseUnary();
            if (!right)
                return nullptr;
            node->children.push_back(std::move(left));
            node->children.push_back(std::move(right));
            left = std::move(node);
        }
        return left;
    }

    NodePtr parseUnary()
    {
        if (!isKeyword(u"not"))
            return parseMembership();
        NodePtr node = makeNode(Node::Op::Not, m_token.start);
        if (!enter(m_token.start) || !advance())
            return nullptr;
        NodePtr operand = parseUnary();
        if (!operand)
            return nullptr;
        leave();
        node->children.push_back(std::move(operand));
        return node;
    }

    NodePtr parseMembership()
    {
        NodePtr left = parsePrimary();
        if (!left || !isKeyword(u"in"))
            return left;
        NodePtr node = makeNode(Node::Op::In, m_token.start);
        if (!countClause(m_token.start) || !advance())
            return nullptr;
        node->children.push_back(std::move(left));
        if (m_token.kind == Token::Kind::LParen) {
            node->inList = true;
            if (!enter(m_token.start) || !advance())
                return nullptr;
            if (!parseList(&node->children))
                return nullptr;
            leave();
        } else {
            NodePtr right = parsePrimary();
            if (!right)
                return nullptr;
            node->children.push_back(std::move(right));
        }
        return node;
    }

    /// Parses `a, b, c)` after an opening parenthesis (which the caller consumed).
    bool parseList(std::vector<NodePtr> *into)
    {
        while (true) {
            NodePtr item = parseOr();
            if (!item)
                return false;
            into->push_back(std::move(item));
            if (m_token.kind == Token::Kind::RParen)
                return advance();
            if (m_token.kind != Token::Kind::Comma) {
                m_error =
                    makeError(m_token.start, tr("')' or ',' expected at position %1 in %2.")
                                                 .arg(QString::number(m_token.start), quotedText(m_text)));
                return false;
            }
            if (!advance())
                return false;
        }
    }

    NodePtr parsePrimary()
    {
        switch (m_token.kind) {
        case Token::Kind::String: {
            NodePtr node = makeNode(Node::Op::Literal, m_token.start);
            node->value = Value::ofString(m_token.text);
            return advance() ? std::move(node) : nullptr;
        }
        case Token::Kind::Integer: {
            NodePtr node = makeNode(Node::Op::Literal, m_token.start);
            node->value = Value::ofInt(m_token.integer);
            return advance() ? std::move(node) : nullptr;
        }
        case Token::Kind::LParen: {
            if (!enter(m_token.start) || !advance())
                return nullptr;
            NodePtr inner = parseOr();
            if (!inner)
                return nullptr;
            if (m_token.kind != Token::Kind::RParen)
                return fail(
                    makeError(m_token.start, tr("')' or operator expected at position %1 in %2.")
                                                 .arg(QString::number(m_token.start), quotedText(m_text))));
            leave();
            return advance() ? std::move(inner) : nullptr;
        }
        case Token::Kind::Identifier:
            return parseName();
        case Token::Kind::End:
        case Token::Kind::RParen:
        case Token::Kind::Comma:
            break;
        }
        return fail(expressionExpected(m_token.start));
    }

    NodePtr parseName()
    {
        static const QStringView reserved[] = {u"and", u"or", u"not", u"in", u"eq",
                                               u"ne",  u"gt", u"ge",  u"lt", u"le"};
        for (QStringView word : reserved)
            if (m_token.text == word)
                return fail(expressionExpected(m_token.start));
        if (m_token.text == u"true" || m_token.text == u"false" || m_token.text == u"null") {
            NodePtr node = makeNode(Node::Op::Literal, m_token.start);
            if (m_token.text != u"null")
                node->value = Value::ofBool(m_token.text == u"true");
            return advance() ? std::move(node) : nullptr;
        }
        const int start = m_token.start;
        QString name = m_token.text;
        if (!advance())
            return nullptr;
        if (m_token.kind != Token::Kind::LParen) {
            NodePtr node = makeNode(Node::Op::Name, start);
            node->name = std::move(name);
            return node;
        }
        // A function call. The string tests are boolean clauses and count towards the limit.
        if (name.compare(u"startswith"_s, Qt::CaseInsensitive) == 0 ||
            name.compare(u"endswith"_s, Qt::CaseInsensitive) == 0 ||
            name.compare(u"contains"_s, Qt::CaseInsensitive) == 0) {
            if (!countClause(start))
                return nullptr;
        }
        NodePtr node = makeNode(Node::Op::Call, start);
        node->name = std::move(name);
        if (!enter(m_token.start) || !advance())
            return nullptr;
        if (m_token.kind == Token::Kind::RParen) {
            if (!advance())
                return nullptr;
        } else if (!parseList(&node->children)) {
            return nullptr;
        }
        leave();
        return node;
    }

    QStringView m_text;
    int m_pos = 0;
    Token m_token;
    int m_depth = 0;
    int m_clauses = 0;
    ParseError m_error;
};

} // namespace

NodePtr parseSyntax(QStringView text, ParseError *error)
{
    Parser parser(text);
    NodePtr root = parser.parse();
    if (!root && error)
        *error = parser.error();
    return root;
}

} // namespace wps::filter
