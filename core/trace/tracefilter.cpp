#include "trace/tracefilter.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

namespace {

inline unsigned char fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c;
}

/// Case-insensitive (ASCII) substring search; \a needle is already folded.
bool containsFolded(const char *data, qsizetype size, const QByteArray &needle)
{
    const qsizetype n = needle.size();
    if (n == 0)
        return true;
    if (size < n)
        return false;
    const auto *hay = reinterpret_cast<const unsigned char *>(data);
    const auto *ndl = reinterpret_cast<const unsigned char *>(needle.constData());
    const unsigned char first = ndl[0];
    const unsigned char firstUpper =
        (first >= 'a' && first <= 'z') ? static_cast<unsigned char>(first - 32) : first;
    const qsizetype last = size - n;
    for (qsizetype i = 0; i <= last; ++i) {
        const unsigned char c = hay[i];
        if (c != first && c != firstUpper)
            continue;
        qsizetype k = 1;
        while (k < n && fold(hay[i + k]) == ndl[k])
            ++k;
        if (k == n)
            return true;
    }
    return false;
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
}

bool TraceFilter::isValid(QString *error) const
{
    if (m_spec.regex.isEmpty() || m_regex.isValid())
        return true;
    if (error)
        *error = u"Invalid regular expression: "_s + m_regex.errorString();
    return false;
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
