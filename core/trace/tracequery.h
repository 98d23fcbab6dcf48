#pragma once

#include "common/expected.h"
#include "trace/traceevent.h"

#include <QByteArray>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

namespace wps::trace {

/// Display filters in the Wireshark manner (docs/trace.md, "Display filters"): `status>=400`,
/// `user==alice and not kind==frame`, `text~"time.?out"`. Three small stages, kept apart:
/// - parseQuery(): text → QueryNode tree (syntax only: no field is known here);
/// - bindQuery(): tree → BoundQuery (field names, operators and values checked, regexes compiled);
/// - BoundQuery::matches(): the predicate the store runs over its compact records.
/// Every error is data with the position (0-based, in UTF-16 units) it points at.
struct QueryError
{
    QString message;
    int position = 0;
};

/// A comparison operator. Contains and Matches (`~`, `matches`) only apply to text.
enum class QueryOp : quint8 { Eq, Ne, Lt, Le, Gt, Ge, Contains, Matches };

/// The syntax tree. A comparison is `field op value`; a bare word or string is a Term (the binder decides
/// what it means: a kind name, or free text).
struct QueryNode
{
    enum class Type : quint8 { And, Or, Not, Compare, Term };
    Type type = Type::Term;
    std::unique_ptr<QueryNode> left;  ///< And, Or, Not
    std::unique_ptr<QueryNode> right; ///< And, Or
    QString field;                    ///< Compare
    int fieldPosition = 0;
    QueryOp op = QueryOp::Eq;
    QString value; ///< Compare, Term
    int valuePosition = 0;
    bool quoted = false; ///< the value was a "string"
};

Expected<std::unique_ptr<QueryNode>, QueryError> parseQuery(QStringView text);
/// A character of a bare word (field name or unquoted value): anything but spaces and `()"=!<>~&|`.
bool isQueryWordChar(QChar c);

/// Fields a filter can name (their spellings: queryFieldNames()).
enum class QueryField : quint8 {
    Status,
    Size,
    Duration,
    Kind,
    Direction,
    Source,
    Hub,
    Connection,
    User,
    Group,
    Type,
    Correlation,
    Text
};

/// The values a kind comparison knows: the stored kinds (http, frame, lifecycle, note) and two views of
/// http: upstream (the service calling an event handler: type "upstream …") and rest (every other http).
QStringList queryKindNames();
/// Field names for completion, then the operators and keywords.
QStringList queryFieldNames();
QStringList queryOperators();

/// A record as the evaluator sees it: the store hands its compact row over without resolving strings.
/// String slots hold interned ids (0 = empty) in this order.
enum QueryStringSlot : int {
    HubSlot,
    ConnectionSlot,
    UserSlot,
    GroupSlot,
    TypeSlot,
    CorrelationSlot,
    SlotCount
};
struct QueryRow
{
    const quint32 *strings = nullptr; ///< SlotCount interned ids
    const char *detail = nullptr;
    qsizetype detailLength = 0;
    const char *payload = nullptr;
    qsizetype payloadLength = 0;
    qint64 size = 0;
    qint32 durationMs = -1;
    int status = 0;
    Kind kind = Kind::Note;
    Direction direction = Direction::None;
    Source source = Source::Console;
    bool binary = false;
};

/// A bound, ready-to-run filter. Exact string comparisons are resolved to interned ids once per scan
/// (resolve()); other text verdicts are cached per interned string, so a string column costs one lookup per
/// record. Not thread-safe (the caches change): the store runs it under its lock.
class BoundQuery
{
public:
    BoundQuery();
    ~BoundQuery();
    BoundQuery(BoundQuery &&) noexcept;
    BoundQuery &operator=(BoundQuery &&) noexcept;

    /// Maps exact values to interned ids with \a lookup (0 = never seen). Call before a scan.
    void resolve(const std::function<quint32(const QString &)> &lookup) const;
    /// \a strings is the store's pool (id → text).
    bool matches(const QueryRow &row, const QList<QString> &strings) const;

    struct Node;

private:
    friend Expected<BoundQuery, QueryError> bindQuery(const QueryNode &root);
    std::vector<Node> m_nodes; ///< m_nodes[0] is the root; children by index
};

Expected<BoundQuery, QueryError> bindQuery(const QueryNode &root);
/// parseQuery() then bindQuery().
Expected<BoundQuery, QueryError> compileQuery(QStringView text);

/// Case-insensitive (ASCII folding) substring test; \a foldedNeedle is already lower-case.
bool containsFoldedAscii(const char *data, qsizetype size, const QByteArray &foldedNeedle);

} // namespace wps::trace
