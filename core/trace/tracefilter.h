#pragma once

#include "trace/traceevent.h"

#include <QByteArray>
#include <QRegularExpression>
#include <QString>

#include <limits>
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
    /// False for an invalid regex; \a error then says why (as data: the UI shows it next to the field).
    bool isValid(QString *error = nullptr) const;
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
    quint8 requiredHits() const { return quint8((m_hasText ? TextHit : 0) | (m_hasRegex ? RegexHit : 0)); }

    TraceFilterSpec m_spec;
    QByteArray m_needle; ///< lower-cased UTF-8
    QRegularExpression m_regex;
    bool m_hasText = false;
    bool m_hasRegex = false;
    mutable std::vector<qint8> m_verdicts; ///< per interned string id: -1 unknown, else the hit bits
};

} // namespace wps::trace
