#include "trace/traceredact.h"

#include <algorithm>
#include <array>
#include <cstring>

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

namespace {

constexpr char mask[] = "***";

inline char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
}

inline bool isIdent(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

inline bool isB64Url(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

inline bool isCredentialChar(char c)
{
    return isB64Url(c) || c == '.' || c == '~' || c == '+' || c == '/' || c == '=' || c == '%';
}

template <std::size_t N>
bool endsWith(const char *name, qsizetype length, const char (&suffix)[N])
{
    constexpr auto n = qsizetype(N - 1);
    if (length < n)
        return false;
    for (qsizetype i = 0; i < n; ++i) {
        if (lower(name[length - n + i]) != suffix[i])
            return false;
    }
    return true;
}

template <std::size_t N>
bool equals(const char *name, qsizetype length, const char (&word)[N])
{
    return qsizetype(N - 1) == length && endsWith(name, length, word);
}

/// The last letters of every secret name and secret header (token, key, sig, signature, secret, password,
/// authorization, cookie): a name ending in anything else is rejected with one table load.
constexpr std::array<bool, 256> secretLastLetter = [] {
    std::array<bool, 256> table{};
    for (unsigned char c : {'n', 'y', 'g', 'e', 't', 'd'}) {
        table[c] = true;
        table[c - 32] = true;
    }
    return table;
}();

/// Mirrors service::redactUrl's idea of a secret name, widened to *key and *secret.
bool isSecretName(const char *name, qsizetype length)
{
    if (length < 3 || length > 64)
        return false;
    switch (lower(name[length - 1])) {
    case 'n':
        return endsWith(name, length, "token") && !equals(name, length, "continuationtoken");
    case 'y':
        return endsWith(name, length, "key");
    case 'g':
        return equals(name, length, "sig");
    case 'e':
        return equals(name, length, "signature");
    case 't':
        return endsWith(name, length, "secret");
    case 'd':
        return endsWith(name, length, "password");
    default:
        return false;
    }
}

bool isSecretHeader(const char *name, qsizetype length)
{
    return equals(name, length, "authorization") || equals(name, length, "proxy-authorization") ||
           equals(name, length, "cookie") || equals(name, length, "set-cookie") ||
           equals(name, length, "ocp-apim-subscription-key");
}

bool isMask(const char *data, qsizetype begin, qsizetype end)
{
    return end - begin == 3 && std::memcmp(data + begin, mask, 3) == 0;
}

class Redactor
{
public:
    Redactor(const char *data, qsizetype size)
        : m_data(data)
        , m_size(size)
    {
    }

    /// Replaces [begin, end) by the mask unless it already is one.
    void replace(qsizetype begin, qsizetype end)
    {
        if (end <= begin || isMask(m_data, begin, end))
            return;
        if (!m_changed) {
            m_out.reserve(m_size);
            m_changed = true;
        }
        m_out.append(m_data + m_copied, begin - m_copied);
        m_out.append(mask, 3);
        m_copied = end;
    }

    /// Returns the end of what was examined at \a i (so the caller skips masked text).
    qsizetype step(qsizetype i)
    {
        const char c = m_data[i];
        switch (c) {
        case 'e':
            return jwt(i);
        case 'b':
        case 'B':
            return bearer(i);
        case '=':
            return assignment(i);
        case ':':
            return colon(i);
        default:
            return i + 1;
        }
    }

    bool changed() const { return m_changed; }
    QByteArray finish()
    {
        m_out.append(m_data + m_copied, m_size - m_copied);
        return m_out;
    }

private:
    qsizetype jwt(qsizetype i)
    {
        if (i < m_copied || i + 3 > m_size || m_data[i + 1] != 'y' || m_data[i + 2] != 'J' ||
            (i > 0 && isB64Url(m_data[i - 1])))
            return i + 1;
        qsizetype j = i;
        while (j < m_size && (isB64Url(m_data[j]) || m_data[j] == '.'))
            ++j;
        if (j - i < 16)
            return i + 1;
        replace(i, j);
        return j;
    }

    qsizetype bearer(qsizetype i)
    {
        static constexpr char word[] = "bearer ";
        if (i + 7 >= m_size || (i > 0 && isIdent(m_data[i - 1])))
            return i + 1;
        for (int k = 0; k < 7; ++k) {
            if (lower(m_data[i + k]) != word[k])
                return i + 1;
        }
        qsizetype j = i + 7;
        while (j < m_size && isCredentialChar(m_data[j]))
            ++j;
        replace(i + 7, j);
        return qMax(j, i + 7);
    }

    qsizetype assignment(qsizetype i)
    {
        qsizetype k = i;
        while (k > 0 && isIdent(m_data[k - 1]) && i - k <= 64)
            --k;
        if (k == i || !isSecretName(m_data + k, i - k))
            return i + 1;
        qsizetype j = i + 1;
        while (j < m_size) {
            const char v = m_data[j];
            if (v == '&' || v == ';' || v == ',' || v == '"' || v == '\'' || v == '<' || v == '>' ||
                v == ' ' || v == '\t' || v == '\r' || v == '\n' || v == '\0')
                break;
            ++j;
        }
        replace(i + 1, j);
        return qMax(j, i + 1);
    }

    qsizetype colon(qsizetype i)
    {
        qsizetype k = i;
        while (k > 0 && (m_data[k - 1] == ' ' || m_data[k - 1] == '\t'))
            --k;
        if (k > 0 && m_data[k - 1] == '"') {
            // JSON member: "name" : "value"
            const qsizetype nameEnd = k - 1;
            qsizetype nameBegin = nameEnd;
            while (nameBegin > 0 && isIdent(m_data[nameBegin - 1]) && nameEnd - nameBegin <= 64)
                --nameBegin;
            if (nameBegin == 0 || m_data[nameBegin - 1] != '"' ||
                !isSecretName(m_data + nameBegin, nameEnd - nameBegin))
                return i + 1;
            qsizetype j = i + 1;
            while (j < m_size && (m_data[j] == ' ' || m_data[j] == '\t'))
                ++j;
            if (j >= m_size || m_data[j] != '"')
                return i + 1;
            qsizetype e = j + 1;
            while (e < m_size && m_data[e] != '"') {
                if (m_data[e] == '\\')
                    ++e;
                ++e;
            }
            e = qMin(e, m_size);
            replace(j + 1, e);
            return qMax(e, i + 1);
        }
        // Header line: Authorization: Bearer xyz
        qsizetype nameBegin = k;
        while (nameBegin > 0 && isIdent(m_data[nameBegin - 1]) && k - nameBegin <= 64)
            --nameBegin;
        if (nameBegin == k || !isSecretHeader(m_data + nameBegin, k - nameBegin))
            return i + 1;
        qsizetype j = i + 1;
        while (j < m_size && m_data[j] == ' ')
            ++j;
        qsizetype lineEnd = j;
        while (lineEnd < m_size && m_data[lineEnd] != '\r' && m_data[lineEnd] != '\n')
            ++lineEnd;
        // Keep an auth scheme ("Bearer", "SharedAccessSignature") when one precedes a space.
        qsizetype scheme = j;
        while (scheme < lineEnd && isIdent(m_data[scheme]))
            ++scheme;
        const qsizetype valueBegin =
            (scheme < lineEnd && m_data[scheme] == ' ' && scheme > j) ? scheme + 1 : j;
        replace(valueBegin, lineEnd);
        return qMax(lineEnd, i + 1);
    }

    const char *m_data;
    qsizetype m_size;
    QByteArray m_out;
    qsizetype m_copied = 0;
    bool m_changed = false;
};

} // namespace

QByteArray redactSecrets(const QByteArray &bytes)
{
    Redactor redactor(bytes.constData(), bytes.size());
    const char *data = bytes.constData();
    const qsizetype size = bytes.size();
    // The bytes where a secret can start or end a name; everything else is skipped with one table load.
    static constexpr auto interesting = [] {
        std::array<bool, 256> table{};
        for (unsigned char c : {'J', 'b', 'B', '=', ':'})
            table[c] = true;
        return table;
    }();
    qsizetype i = 0;
    while (i < size) {
        const char c = data[i];
        if (!interesting[static_cast<unsigned char>(c)]) {
            ++i;
            continue;
        }
        // A JWT starts with "eyJ" (a JSON header in base64url): look for the rarer 'J' and step back.
        if (c == 'J') {
            i = (i >= 2 && data[i - 1] == 'y' && data[i - 2] == 'e') ? std::max(redactor.step(i - 2), i + 1)
                                                                     : i + 1;
            continue;
        }
        // '=' and ':' matter only after a name that could be secret ("name"= / "name": / Name:).
        if (c == '=' || c == ':') {
            const qsizetype last = (c == ':' && i >= 2 && data[i - 1] == '"') ? i - 2 : i - 1;
            if (last < 0 || (!secretLastLetter[static_cast<unsigned char>(data[last])] && data[last] != ' ' &&
                             data[last] != '\t')) {
                ++i;
                continue;
            }
        }
        // Most 'b's start no "bearer": reject them without a call.
        if ((c == 'b' || c == 'B') && (i + 1 >= size || (data[i + 1] != 'e' && data[i + 1] != 'E'))) {
            ++i;
            continue;
        }
        i = redactor.step(i);
    }
    return redactor.changed() ? redactor.finish() : bytes;
}

QString redactSecrets(const QString &text)
{
    if (text.isEmpty())
        return text;
    const QByteArray utf8 = text.toUtf8();
    const QByteArray redacted = redactSecrets(utf8);
    return redacted.constData() == utf8.constData() ? text : QString::fromUtf8(redacted);
}

} // namespace wps::trace
