#include "protocol/filter_p.h"

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

NodePtr makeNode(Node::Op op, int position)
{
    auto node = std::make_unique<Node>();
    node->op = op;
    node->position = position;
    return node;
}

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

Expected<Expression, ParseError> Expression::parse(QStringView text)
{
    using R = Expected<Expression, ParseError>;
    if (text.size() > maxTextLength)
        return R::failure(
            makeError(maxTextLength, tr("The filter is too long: %1 characters, at most %2 are allowed.")
                                         .arg(QString::number(text.size()), QString::number(maxTextLength))));
    if (text.trimmed().isEmpty())
        return R::failure(makeError(0, tr("The filter is empty.")));

    ParseError syntaxError;
    NodePtr root = parseSyntax(text, &syntaxError);
    if (!root)
        return R::failure(std::move(syntaxError));
    if (std::optional<ParseError> error = bindTypes(text, *root))
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
