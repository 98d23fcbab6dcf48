#include "protocol/filter_p.h"

using namespace Qt::Literals::StringLiterals;

// Phase 2 of the filter: binding (protocol/filter_p.h).

namespace wps::filter {

namespace {

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

} // namespace

std::optional<ParseError> bindTypes(QStringView text, Node &root)
{
    Binder binder(text);
    return binder.bindFilter(root);
}

} // namespace wps::filter
