#include "trace/tracefilter.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

namespace {

inline unsigned char fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c;
}

bool containsFolded(const char *data, qsizetype size, const QByteArray &needle)
{
    return containsFoldedAscii(data, size, needle);
}

} // namespace

bool TraceFilterSpec::isEmpty() const
{
    return *this == TraceFilterSpec{};
}

TraceFilter::TraceFilter(TraceFilterSpec spec)
    : m_spec(std::move(spec))
{
    if (!m_spec.text.isEmpty()) {
        m_needle = m_spec.text.toUtf8();
        for (char &c : m_needle)
            c = char(fold(static_cast<unsigned char>(c)));
        m_hasText = true;
    }
    if (!m_spec.regex.isEmpty()) {
        m_regex = QRegularExpression(m_spec.regex);
        m_regex.optimize();
        m_hasRegex = m_regex.isValid();
    }
    if (!m_spec.query.trimmed().isEmpty()) {
        auto compiled = compileQuery(m_spec.query);
        if (compiled)
            m_query = std::make_shared<const BoundQuery>(std::move(compiled).value());
        else
            m_queryError = compiled.error();
    }
}

bool TraceFilter::isValid(QString *error, int *position) const
{
    if (m_queryError) {
        if (error)
            *error = m_queryError->message;
        if (position)
            *position = m_queryError->position;
        return false;
    }
    if (m_spec.regex.isEmpty() || m_regex.isValid())
        return true;
    if (error)
        *error = u"Invalid regular expression: "_s + m_regex.errorString();
    if (position)
        *position = -1;
    return false;
}

bool TraceFilter::isKeepAlive(quint32 typeId, const QString &type) const
{
    if (typeId == 0)
        return false;
    if (typeId >= m_keepAlive.size())
        m_keepAlive.resize(std::max<std::size_t>(typeId + 1, m_keepAlive.size() * 2), -1);
    qint8 &verdict = m_keepAlive[typeId];
    if (verdict < 0)
        verdict = (type == u"ping"_s || type == u"pong"_s || type == u"sequenceAck"_s) ? 1 : 0;
    return verdict == 1;
}

quint8 TraceFilter::fieldHits(const char *data, qsizetype size, bool binary, quint8 wanted) const
{
    quint8 hits = 0;
    if (m_hasText && (wanted & TextHit) && containsFolded(data, size, m_needle))
        hits |= TextHit;
    if (m_hasRegex && (wanted & RegexHit) && !binary &&
        m_regex.match(QString::fromUtf8(data, size)).hasMatch())
        hits |= RegexHit;
    return hits;
}

quint8 TraceFilter::stringHits(quint32 stringId, const QString &value) const
{
    if (stringId == 0)
        return 0;
    if (stringId >= m_verdicts.size())
        m_verdicts.resize(std::max<std::size_t>(stringId + 1, m_verdicts.size() * 2), -1);
    qint8 &verdict = m_verdicts[stringId];
    if (verdict < 0) {
        const QByteArray utf8 = value.toUtf8();
        verdict = qint8(fieldHits(utf8.constData(), utf8.size(), false));
    }
    return quint8(verdict);
}

} // namespace wps::trace
