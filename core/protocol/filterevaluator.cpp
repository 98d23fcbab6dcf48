#include "protocol/filter_p.h"

#include <limits>

// Phase 3 of the filter: evaluation of a bound tree for one connection (protocol/filter_p.h).

namespace wps::filter {

namespace {

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

/// The string functions: tolower, toupper, trim, substring, concat, indexof, length, startswith, endswith
/// and contains. A null argument gives null (false for the predicates).
Value evaluateStringFunction(const Node &node, const ConnectionFacts &facts)
{
    const auto arg = [&](size_t i) { return evaluate(*node.children[i], facts); };
    switch (node.op) {
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
    default:
        break; // evaluate() routes only the string functions here
    }
    return Value();
}

/// The boolean operators: comparisons, `in (...)`, `in groups`, not, and, or (the last two short-circuit).
Value evaluateBoolean(const Node &node, const ConnectionFacts &facts)
{
    const auto arg = [&](size_t i) { return evaluate(*node.children[i], facts); };
    switch (node.op) {
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
    default:
        break; // evaluate() routes only the boolean operators here
    }
    return Value();
}

} // namespace

Value evaluate(const Node &node, const ConnectionFacts &facts)
{
    switch (node.op) {
    case Node::Op::Literal:
        return node.value;
    case Node::Op::UserId:
        return facts.userId ? Value::ofString(*facts.userId) : Value();
    case Node::Op::ConnectionId:
        return Value::ofString(facts.connectionId);
    case Node::Op::Protocol:
        return facts.protocol ? Value::ofString(*facts.protocol) : Value();
    case Node::Op::LengthGroups:
        return Value::ofInt(facts.groups ? facts.groups->size() : 0);
    case Node::Op::ToLower:
    case Node::Op::ToUpper:
    case Node::Op::Trim:
    case Node::Op::Substring:
    case Node::Op::Concat:
    case Node::Op::IndexOf:
    case Node::Op::Length:
    case Node::Op::StartsWith:
    case Node::Op::EndsWith:
    case Node::Op::Contains:
        return evaluateStringFunction(node, facts);
    case Node::Op::Eq:
    case Node::Op::Ne:
    case Node::Op::Gt:
    case Node::Op::Ge:
    case Node::Op::Lt:
    case Node::Op::Le:
    case Node::Op::InList:
    case Node::Op::InGroups:
    case Node::Op::Not:
    case Node::Op::And:
    case Node::Op::Or:
        return evaluateBoolean(node, facts);
    case Node::Op::Groups:
    case Node::Op::Name:
    case Node::Op::Call:
    case Node::Op::In:
        break; // never evaluated: groups is read by its parent, the rest do not survive binding
    }
    return Value();
}

} // namespace wps::filter
