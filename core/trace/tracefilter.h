#pragma once

#include "trace/traceevent.h"
#include "trace/tracequery.h"

#include <QByteArray>
#include <QRegularExpression>
#include <QString>

#include <limits>
#include <memory>
#include <optional>
#include <vector>

namespace wps::trace {

/// What the user asked to see. Every criterion left at its default matches everything; set criteria are
/// ANDed. Text fields are compared exactly (the UI offers the values it saw).
struct TraceFilterSpec
{
    quint8 kinds = 0xff;      ///< bit (1 << int(Kind))
    quint8 directions = 0xff; ///< bit (1 << int(Direction))
    QString hub;
    QString connectionId;
    QString userId;
    QString group;
    /// Exact correlation id (TraceEvent::correlation): "show related".
    QString correlation;
    int statusMin = 0; ///< records with a status outside [statusMin, statusMax] are hidden; 0 = unbounded
    int statusMax = 0;
    /// Case-insensitive (ASCII folding) substring of any text column, the detail or the payload bytes.
    QString text;
    /// A QRegularExpression over the same fields (payloads decoded as UTF-8); empty = none. Text and regex
    /// may be satisfied by different fields of a record.
    QString regex;
    qint64 fromMs = std::numeric_limits<qint64>::min(); ///< inclusive time range, ms since the epoch
    qint64 toMs = std::numeric_limits<qint64>::max();
    /// A display filter (docs/trace.md, "Display filters"; tracequery.h), ANDed with the criteria above.
    /// Empty = none. An invalid one makes the filter invalid (TraceFilter::isValid says where and why).
    QString query;
    /// Hides keep-alive frames (types ping, pong and sequenceAck).
    bool hideKeepAlives = false;

    bool isEmpty() const;
    friend bool operator==(const TraceFilterSpec &, const TraceFilterSpec &) = default;
};

/// A spec compiled for fast matching in TraceStore::match(): the lower-cased needle, the regex, and a
/// verdict cache per interned string, so string columns cost one lookup per record. Not thread-safe (the
/// cache changes); the store calls it under its lock.
class TraceFilter
{
public:
    TraceFilter() = default;
    explicit TraceFilter(TraceFilterSpec spec);

    const TraceFilterSpec &spec() const { return m_spec; }
    /// False for an invalid regex or display filter; \a error then says why (as data: the UI shows it next
    /// to the field), \a position where in the query (-1 when it is the regex).
    bool isValid(QString *error = nullptr, int *position = nullptr) const;
    bool isEmpty() const { return m_spec.isEmpty(); }

private:
    friend class TraceStore;

    enum : quint8 { TextHit = 1, RegexHit = 2 };
    /// Which of the \a wanted text criteria (TextHit, RegexHit) these bytes satisfy. Each may be met by a
    /// different field.
    quint8 fieldHits(const char *data, qsizetype size, bool binary, quint8 wanted = TextHit | RegexHit) const;
    /// The same for an interned string, cached per string id.
    quint8 stringHits(quint32 stringId, const QString &value) const;
    /// The hits a record needs: TextHit if there is a needle, RegexHit if there is a regex.
    /// Whether the interned type \a typeId (text \a type) is a keep-alive; cached per id.
    bool isKeepAlive(quint32 typeId, const QString &type) const;
    quint8 requiredHits() const { return quint8((m_hasText ? TextHit : 0) | (m_hasRegex ? RegexHit : 0)); }

    TraceFilterSpec m_spec;
    QByteArray m_needle; ///< lower-cased UTF-8
    QRegularExpression m_regex;
    bool m_hasText = false;
    bool m_hasRegex = false;
    mutable std::vector<qint8> m_verdicts;     ///< per interned string id: -1 unknown, else the hit bits
    std::shared_ptr<const BoundQuery> m_query; ///< compiled spec.query; null when there is none
    std::optional<QueryError> m_queryError;
    mutable std::vector<qint8> m_keepAlive; ///< per interned type id: -1 unknown, 0/1 is a keep-alive type
};

} // namespace wps::trace
