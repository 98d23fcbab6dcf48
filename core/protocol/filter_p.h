#pragma once

// Internals of the OData filter (protocol/filter.h), shared by its three phases, each in its own file:
// filterparser.cpp (syntax, into an untyped tree whose names are still text), filterbinder.cpp (names,
// functions and types) and filterevaluator.cpp (one connection against a bound tree). Not for use outside
// them.

#include "protocol/filter.h"

#include <QCoreApplication>
#include <QStringView>

#include <memory>
#include <optional>
#include <vector>

namespace wps::filter {

inline QString tr(const char *text)
{
    return QCoreApplication::translate("wps::filter", text);
}

enum class Type { Null, String, Int, Bool, Collection };

QString typeName(Type type);

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

using NodePtr = std::unique_ptr<Node>;

NodePtr makeNode(Node::Op op, int position);

/// The filter text as echoed in messages: the whole text, as the service does, unless it is huge.
QString quotedText(QStringView text);

/// A name as echoed in messages, cut at 64 characters.
QString clipped(const QString &name);

ParseError makeError(int position, QString message);

/// Phase 1: the untyped tree of \a text, or null with \a error set (syntax errors, nesting and clause
/// limits).
NodePtr parseSyntax(QStringView text, ParseError *error);

/// Phase 2: resolves names and functions in \a root and checks types, so that evaluation can never fail.
std::optional<ParseError> bindTypes(QStringView text, Node &root);

/// Phase 3: the value of a bound tree for one connection.
Value evaluate(const Node &node, const ConnectionFacts &facts);

} // namespace wps::filter
