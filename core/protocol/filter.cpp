#include "protocol/filter.h"

#include <QCoreApplication>

#include <limits>
#include <vector>

using namespace Qt::Literals::StringLiterals;

// A recursive-descent parser for the OData filter subset of docs/protocol.md#odata-filters, in two phases as
// the Microsoft.OData URI parser (whose messages the service returns) works: first syntax, into an untyped
// tree whose names are still text; then binding, which resolves identifiers and functions and checks types.
// So a syntax error anywhere wins over an unknown name earlier on ("invalid filter" is a syntax error at 14).
//
// Precedence, high to low: primary (literals, names, calls, parentheses), `in`, `not`, comparisons, `and`,
// `or`. Recursion is bounded by maxNestingDepth; comparison chains, the only other source of a deep tree,
// are bounded by maxClauses. `and`/`or` chains are flat n-ary nodes.

namespace wps::filter {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::filter", text);
}

enum class Type { Null, String, Int, Bool, Collection };

QString typeName(Type type)
{
    switch (type) {
    case Type::Null:
        return tr("null");
    case Type::String:
        return tr("a string");
    case Type::Int:
        return tr("a number");
    case Type::Bool:
        return tr("a boolean");
    case Type::Collection:
        return tr("a collection");
    }
    return {};
}

/// A runtime value. Collections never appear as values: `groups` is only read by `in` and length().
struct Value
{
    Type type = Type::Null;
    bool boolean = false;
    qint64 integer = 0;
    QString string;

    static Value ofString(QString s)
    {
        Value v;
        v.type = Type::String;
        v.string = std::move(s);
        return v;
    }
    static Value ofInt(qint64 i)
    {
        Value v;
        v.type = Type::Int;
        v.integer = i;
        return v;
    }
    static Value ofBool(bool b)
    {
        Value v;
        v.type = Type::Bool;
        v.boolean = b;
        return v;
    }
    bool isNull() const { return type == Type::Null; }
};

} // namespace

/// One node of the tree. The parser makes Name, Call and In nodes; the binder turns them into the
/// concrete operations below and sets `type`.
struct Node
{
    enum class Op {
        Literal,
        Name, // unbound identifier
        Call, // unbound function call
        In,   // unbound `x in ...`; `inList` says whether the right side was a parenthesized list
        UserId,
        ConnectionId,
        Protocol,
        Groups,
        ToLower,
        ToUpper,
        Trim,
        Substring,
        Concat,
        IndexOf,
        Length,
        LengthGroups,
        StartsWith,
        EndsWith,
        Contains,
        Eq,
        Ne,
        Gt,
        Ge,
        Lt,
        Le,
        InList,
        InGroups,
        Not,
        And,
        Or,
    };

    Op op = Op::Literal;
    Type type = Type::Null;
    int position = 0;
    bool inList = false;
    QString name; // Name/Call: the text as written; comparison operators: the keyword
    Value value;  // Literal
    std::vector<std::unique_ptr<Node>> children;
};

namespace {

using NodePtr = std::unique_ptr<Node>;

NodePtr makeNode(Node::Op op, int position)
{
    auto node = std::make_unique<Node>();
    node->op = op;
    node->position = position;
    return node;
}

/// The filter text as echoed in messages: the whole text, as the service does, unless it is huge.
QString quotedText(QStringView text)
{
    constexpr qsizetype kMaxEcho = 256;
    if (text.size() <= kMaxEcho)
        return u'\'' + text.toString() + u'\'';
    return u'\'' + text.first(kMaxEcho).toString() + u"\u2026'"_s;
}

QString clipped(const QString &name)
{
    return name.size() <= 64 ? name : name.left(64) + u"\u2026"_s;
}

ParseError makeError(int position, QString message)
{
    return ParseError{std::move(message), position};
}

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

/// Resolves names and functions and checks types, so that evaluation can never fail.
class Binder
{
public:
    explicit Binder(QStringView text)
        : m_text(text)
    {
    }

    std::optional<ParseError> bindFilter(Node &root)
    {
        const std::optional<Type> type = bind(root);
        if (!type)
            return m_error;
        if (*type != Type::Bool)
            return typeError(0, tr("the filter must be a boolean expression, not %1").arg(typeName(*type)));
        return std::nullopt;
    }

private:
    ParseError typeError(int position, const QString &detail) const
    {
        return makeError(position, tr("Type error at position %1 in %2: %3.")
                                       .arg(QString::number(position), quotedText(m_text), detail));
    }

    std::optional<Type> fail(ParseError error)
    {
        m_error = std::move(error);
        return std::nullopt;
    }

    std::optional<Type> failType(int position, const QString &detail)
    {
        return fail(typeError(position, detail));
    }

    std::optional<Type> bind(Node &node)
    {
        const std::optional<Type> type = bindUnset(node);
        if (type)
            node.type = *type;
        return type;
    }

    std::optional<Type> bindUnset(Node &node)
    {
        switch (node.op) {
        case Node::Op::Literal:
            return node.value.type;
        case Node::Op::Name:
            return bindName(node);
        case Node::Op::Call:
            return bindCall(node);
        case Node::Op::In:
            return bindIn(node);
        case Node::Op::Eq:
        case Node::Op::Ne:
        case Node::Op::Gt:
        case Node::Op::Ge:
        case Node::Op::Lt:
        case Node::Op::Le:
            return bindComparison(node);
        case Node::Op::Not:
        case Node::Op::And:
        case Node::Op::Or: {
            const QString keyword = node.op == Node::Op::Not   ? u"not"_s
                                    : node.op == Node::Op::And ? u"and"_s
                                                               : u"or"_s;
            for (const NodePtr &child : node.children) {
                const std::optional<Type> type = bind(*child);
                if (!type)
                    return std::nullopt;
                if (*type != Type::Bool)
                    return failType(child->position,
                                    tr("'%1' needs boolean operands, not %2").arg(keyword, typeName(*type)));
            }
            return Type::Bool;
        }
        default:
            break; // already bound: the binder runs once over a fresh tree
        }
        return node.type;
    }

    std::optional<Type> bindName(Node &node)
    {
        const QString lower = node.name.toLower();
        if (lower == u"userid") {
            node.op = Node::Op::UserId;
            return Type::String;
        }
        if (lower == u"connectionid") {
            node.op = Node::Op::ConnectionId;
            return Type::String;
        }
        if (lower == u"protocol") {
            node.op = Node::Op::Protocol;
            return Type::String;
        }
        if (lower == u"groups") {
            node.op = Node::Op::Groups;
            return Type::Collection;
        }
        return fail(makeError(
            node.position, tr("Unknown identifier '%1' at position %2 in %3. A filter can use "
                              "userId, connectionId, groups and protocol.")
                               .arg(clipped(node.name), QString::number(node.position), quotedText(m_text))));
    }

    std::optional<Type> bindCall(Node &node)
    {
        struct Function
        {
            QStringView name;
            Node::Op op;
            int minArgs;
            int maxArgs;
            Type result;
        };
        static const Function functions[] = {
            {u"tolower", Node::Op::ToLower, 1, 1, Type::String},
            {u"toupper", Node::Op::ToUpper, 1, 1, Type::String},
            {u"trim", Node::Op::Trim, 1, 1, Type::String},
            {u"substring", Node::Op::Substring, 2, 3, Type::String},
            {u"concat", Node::Op::Concat, 2, 2, Type::String},
            {u"indexof", Node::Op::IndexOf, 2, 2, Type::Int},
            {u"length", Node::Op::Length, 1, 1, Type::Int},
            {u"startswith", Node::Op::StartsWith, 2, 2, Type::Bool},
            {u"endswith", Node::Op::EndsWith, 2, 2, Type::Bool},
            {u"contains", Node::Op::Contains, 2, 2, Type::Bool},
        };
        const Function *function = nullptr;
        for (const Function &f : functions)
            if (node.name.compare(f.name, Qt::CaseInsensitive) == 0)
                function = &f;
        if (!function)
            return fail(makeError(node.position, tr("Unknown function '%1' at position %2 in %3.")
                                                     .arg(clipped(node.name), QString::number(node.position),
                                                          quotedText(m_text))));
        const int count = static_cast<int>(node.children.size());
        if (count < function->minArgs || count > function->maxArgs) {
            const QString expected = function->minArgs == function->maxArgs
                                         ? QString::number(function->minArgs)
                                         : tr("%1 or %2").arg(function->minArgs).arg(function->maxArgs);
            return fail(
                makeError(node.position, tr("The function '%1' at position %2 in %3 takes %4 argument(s), "
                                            "not %5.")
                                             .arg(function->name.toString(), QString::number(node.position),
                                                  quotedText(m_text), expected, QString::number(count))));
        }
        node.op = function->op;
        for (int i = 0; i < count; ++i) {
            Node &arg = *node.children[static_cast<size_t>(i)];
            const std::optional<Type> type = bind(arg);
            if (!type)
                return std::nullopt;
            if (function->op == Node::Op::Length && *type == Type::Collection) {
                node.op = Node::Op::LengthGroups;
                continue;
            }
            const Type wanted = (function->op == Node::Op::Substring && i > 0) ? Type::Int : Type::String;
            if (*type != wanted && *type != Type::Null)
                return failType(arg.position,
                                tr("argument %1 of '%2' must be %3, not %4")
                                    .arg(i + 1)
                                    .arg(function->name.toString(), typeName(wanted), typeName(*type)));
        }
        return function->result;
    }

    /// Whether values of these types may be tested for equality (eq, ne, in lists).
    static bool equatable(Type a, Type b)
    {
        if (a == Type::Collection || b == Type::Collection)
            return false;
        return a == b || a == Type::Null || b == Type::Null;
    }

    std::optional<Type> bindComparison(Node &node)
    {
        const std::optional<Type> left = bind(*node.children[0]);
        if (!left)
            return std::nullopt;
        const std::optional<Type> right = bind(*node.children[1]);
        if (!right)
            return std::nullopt;
        if (*left == Type::Collection || *right == Type::Collection)
            return failType(
                node.position,
                tr("'%1' cannot compare a collection; use 'in' or length() with groups").arg(node.name));
        const bool ordering = node.op != Node::Op::Eq && node.op != Node::Op::Ne;
        if (ordering) {
            if (*left == Type::Null || *right == Type::Null)
                return failType(node.position,
                                tr("'%1' cannot compare with null; only eq and ne can").arg(node.name));
            if (*left != *right || *left == Type::Bool)
                return failType(node.position, tr("'%1' needs two strings or two numbers, not %2 and %3")
                                                   .arg(node.name, typeName(*left), typeName(*right)));
        } else if (!equatable(*left, *right)) {
            return failType(
                node.position,
                tr("'%1' cannot compare %2 with %3").arg(node.name, typeName(*left), typeName(*right)));
        }
        return Type::Bool;
    }

    std::optional<Type> bindIn(Node &node)
    {
        const std::optional<Type> left = bind(*node.children[0]);
        if (!left)
            return std::nullopt;
        if (*left == Type::Collection)
            return failType(node.position, tr("the left side of 'in' must be a value, not a collection"));
        std::vector<Type> itemTypes;
        for (size_t i = 1; i < node.children.size(); ++i) {
            const std::optional<Type> type = bind(*node.children[i]);
            if (!type)
                return std::nullopt;
            itemTypes.push_back(*type);
        }
        const bool collection = itemTypes.size() == 1 && itemTypes.front() == Type::Collection;
        if (collection) {
            if (*left != Type::String && *left != Type::Null)
                return failType(node.position,
                                tr("only strings can be in groups, not %1").arg(typeName(*left)));
            node.op = Node::Op::InGroups;
            return Type::Bool;
        }
        if (!node.inList)
            return failType(node.children[1]->position,
                            tr("the right side of 'in' must be groups or a list in parentheses, not %1")
                                .arg(typeName(itemTypes.front())));
        for (size_t i = 0; i < itemTypes.size(); ++i) {
            if (!equatable(*left, itemTypes[i]))
                return failType(
                    node.children[i + 1]->position,
                    tr("'in' cannot compare %1 with %2").arg(typeName(*left), typeName(itemTypes[i])));
        }
        node.op = Node::Op::InList;
        return Type::Bool;
    }

    QStringView m_text;
    ParseError m_error;
};

// --- evaluation ---

bool equalValues(const Value &a, const Value &b)
{
    if (a.isNull() || b.isNull())
        return a.isNull() && b.isNull();
    switch (a.type) {
    case Type::String:
        return a.string == b.string;
    case Type::Int:
        return a.integer == b.integer;
    case Type::Bool:
        return a.boolean == b.boolean;
    case Type::Null:
    case Type::Collection:
        break;
    }
    return false;
}

bool compareValues(Node::Op op, const Value &a, const Value &b)
{
    if (op == Node::Op::Eq)
        return equalValues(a, b);
    if (op == Node::Op::Ne)
        return !equalValues(a, b);
    if (a.isNull() || b.isNull())
        return false; // null is neither greater nor less than anything
    int order = 0;
    if (a.type == Type::String)
        order = QString::compare(a.string, b.string, Qt::CaseSensitive); // ordinal, by UTF-16 code unit
    else
        order = a.integer < b.integer ? -1 : (a.integer > b.integer ? 1 : 0);
    switch (op) {
    case Node::Op::Gt:
        return order > 0;
    case Node::Op::Ge:
        return order >= 0;
    case Node::Op::Lt:
        return order < 0;
    case Node::Op::Le:
        return order <= 0;
    default:
        break;
    }
    return false;
}

qsizetype clampIndex(qint64 value, qsizetype size)
{
    if (value < 0)
        return 0;
    if (value > static_cast<qint64>(size))
        return size;
    return static_cast<qsizetype>(value);
}

Value evaluate(const Node &node, const ConnectionFacts &facts)
{
    const auto arg = [&](size_t i) { return evaluate(*node.children[i], facts); };
    switch (node.op) {
    case Node::Op::Literal:
        return node.value;
    case Node::Op::UserId:
        return facts.userId ? Value::ofString(*facts.userId) : Value();
    case Node::Op::ConnectionId:
        return Value::ofString(facts.connectionId);
    case Node::Op::Protocol:
        return facts.protocol ? Value::ofString(*facts.protocol) : Value();
    case Node::Op::ToLower:
    case Node::Op::ToUpper:
    case Node::Op::Trim: {
        const Value s = arg(0);
        if (s.isNull())
            return s;
        if (node.op == Node::Op::ToLower)
            return Value::ofString(s.string.toLower());
        if (node.op == Node::Op::ToUpper)
            return Value::ofString(s.string.toUpper());
        return Value::ofString(s.string.trimmed());
    }
    case Node::Op::Substring: {
        const Value s = arg(0);
        const Value start = arg(1);
        const Value length =
            node.children.size() > 2 ? arg(2) : Value::ofInt(std::numeric_limits<qint64>::max());
        if (s.isNull() || start.isNull() || length.isNull())
            return Value();
        const qsizetype from = clampIndex(start.integer, s.string.size());
        const qsizetype count = clampIndex(length.integer, s.string.size() - from);
        return Value::ofString(s.string.mid(from, count));
    }
    case Node::Op::Concat: {
        const Value a = arg(0);
        const Value b = arg(1);
        if (a.isNull() || b.isNull())
            return Value();
        return Value::ofString(a.string + b.string);
    }
    case Node::Op::IndexOf: {
        const Value s = arg(0);
        const Value sub = arg(1);
        if (s.isNull() || sub.isNull())
            return Value();
        return Value::ofInt(s.string.indexOf(sub.string, 0, Qt::CaseSensitive));
    }
    case Node::Op::Length: {
        const Value s = arg(0);
        return s.isNull() ? Value() : Value::ofInt(s.string.size());
    }
    case Node::Op::LengthGroups:
        return Value::ofInt(facts.groups ? facts.groups->size() : 0);
    case Node::Op::StartsWith:
    case Node::Op::EndsWith:
    case Node::Op::Contains: {
        const Value s = arg(0);
        const Value p = arg(1);
        if (s.isNull() || p.isNull())
            return Value::ofBool(false);
        if (node.op == Node::Op::StartsWith)
            return Value::ofBool(s.string.startsWith(p.string, Qt::CaseSensitive));
        if (node.op == Node::Op::EndsWith)
            return Value::ofBool(s.string.endsWith(p.string, Qt::CaseSensitive));
        return Value::ofBool(s.string.contains(p.string, Qt::CaseSensitive));
    }
    case Node::Op::Eq:
    case Node::Op::Ne:
    case Node::Op::Gt:
    case Node::Op::Ge:
    case Node::Op::Lt:
    case Node::Op::Le:
        return Value::ofBool(compareValues(node.op, arg(0), arg(1)));
    case Node::Op::InList: {
        const Value left = arg(0);
        for (size_t i = 1; i < node.children.size(); ++i)
            if (equalValues(left, arg(i)))
                return Value::ofBool(true);
        return Value::ofBool(false);
    }
    case Node::Op::InGroups: {
        const Value left = arg(0);
        return Value::ofBool(!left.isNull() && facts.groups && facts.groups->contains(left.string));
    }
    case Node::Op::Not:
        return Value::ofBool(!arg(0).boolean);
    case Node::Op::And:
        for (size_t i = 0; i < node.children.size(); ++i)
            if (!arg(i).boolean)
                return Value::ofBool(false);
        return Value::ofBool(true);
    case Node::Op::Or:
        for (size_t i = 0; i < node.children.size(); ++i)
            if (arg(i).boolean)
                return Value::ofBool(true);
        return Value::ofBool(false);
    case Node::Op::Groups:
    case Node::Op::Name:
    case Node::Op::Call:
    case Node::Op::In:
        break; // never evaluated: groups is read by its parent, the rest do not survive binding
    }
    return Value();
}

} // namespace

Expected<Expression, ParseError> Expression::parse(QStringView text)
{
    using R = Expected<Expression, ParseError>;
    if (text.size() > maxTextLength)
        return R::failure(
            makeError(maxTextLength, tr("The filter is too long: %1 characters, at most %2 are allowed.")
                                         .arg(QString::number(text.size()), QString::number(maxTextLength))));
    if (text.trimmed().isEmpty())
        return R::failure(makeError(0, tr("The filter is empty.")));

    Parser parser(text);
    NodePtr root = parser.parse();
    if (!root)
        return R::failure(parser.error());
    Binder binder(text);
    if (std::optional<ParseError> error = binder.bindFilter(*root))
        return R::failure(std::move(*error));

    Expression expression;
    expression.m_root = std::shared_ptr<const Node>(std::move(root));
    expression.m_text = text.toString();
    return expression;
}

bool Expression::matches(const ConnectionFacts &connection) const
{
    if (!m_root)
        return false;
    return evaluate(*m_root, connection).boolean;
}

} // namespace wps::filter
