#pragma once

#include "common/expected.h"

#include <QSet>
#include <QString>

#include <memory>
#include <optional>

namespace wps::filter {

/// Limits that keep hostile filters from exhausting the stack or the CPU (docs/protocol-decisions.md).
/// The service documents "roughly 100 clauses"; Microsoft's emulator limits nesting to 100.
inline constexpr int maxNestingDepth = 100; ///< parentheses, `not`, function arguments, `in (...)` lists
inline constexpr int maxClauses = 100; ///< comparisons, `in` tests and startswith/endswith/contains calls
inline constexpr int maxTextLength = 64 * 1024; ///< UTF-16 code units

/// What a filter sees of one connection (docs/protocol.md#odata-filters).
struct ConnectionFacts
{
    QString connectionId;
    std::optional<QString> userId; ///< nullopt for a connection without a user (compares equal to null)
    const QSet<QString> *groups = nullptr; ///< the groups the connection is in now; null means none
    std::optional<QString> protocol;       ///< negotiated subprotocol; nullopt for raw WebSocket clients
};

/// A syntax or type error, with the 0-based character position it was found at.
struct ParseError
{
    QString message; ///< includes the position, e.g. "Syntax error at position 14 in '...'"
    int position = 0;
};

struct Node;

/// A parsed, type-checked OData filter expression. Cheap to copy (shared, immutable).
class Expression
{
public:
    /// Parses and type-checks \a text. Never crashes on hostile input: depth and length are bounded
    /// (nesting depth 100, 100 clauses, 64 KiB of text) and each violation is a ParseError.
    /// Because types are checked here, matches() can never fail.
    static Expected<Expression, ParseError> parse(QStringView text);

    /// Evaluates the expression for one connection. Identifiers are case-insensitive, values compared
    /// ordinally (case-sensitive), as Microsoft's emulator does. Thread-safe: the tree is immutable.
    bool matches(const ConnectionFacts &connection) const;

    /// The text it was parsed from.
    QString text() const { return m_text; }

private:
    Expression() = default;
    std::shared_ptr<const Node> m_root;
    QString m_text;
};

} // namespace wps::filter
