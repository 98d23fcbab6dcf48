// libFuzzer target: the linear-time glob matcher of wildcard roles and user event patterns
// (core/protocol/glob.h). Input: one byte of options, then pattern '\n' text. Every input must match without
// a crash in bounded time; short ASCII inputs with few stars are also compared with a reference regular
// expression translation (the emulator's former, backtracking matcher), which must agree.
#include "protocol/glob.h"

#include <QRegularExpression>

#include <cstddef>
#include <cstdint>

namespace {

/// One literal character of the pattern in the reference expression, as a \x{…} escape: the reference must
/// not depend on how a character reads in PCRE (QRegularExpression::escape writes NUL as "\0", which swallows
/// a following digit as an octal escape, so "\0" "0" would match one NUL — the first long run found that
/// difference in the reference, not in the matcher).
QString literal(QChar c)
{
    return QStringLiteral("\\x{%1}").arg(c.unicode(), 0, 16);
}

/// The reference: the pattern translated to an anchored regular expression.
bool referenceMatches(QStringView pattern, QStringView text, const wps::glob::Syntax &syntax)
{
    QString regex;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern.at(i);
        if (c == u'\\' && syntax.escapes) {
            if (i + 1 >= pattern.size())
                return false;
            const QChar next = pattern.at(++i);
            if (next != u'\\' && next != u'*' && next != u'?')
                return false;
            regex += literal(next);
        } else if (c == u'*') {
            if (i + 1 < pattern.size() && pattern.at(i + 1) == u'*') {
                ++i;
                regex += QStringLiteral(".*");
            } else {
                regex += QStringLiteral("[^.]*");
            }
        } else if (c == u'?') {
            regex += QStringLiteral("[^.]");
        } else {
            regex += literal(c);
        }
    }
    QRegularExpression::PatternOptions options = QRegularExpression::DotMatchesEverythingOption;
    if (syntax.caseSensitivity == Qt::CaseInsensitive)
        options |= QRegularExpression::CaseInsensitiveOption;
    const QRegularExpression re(QRegularExpression::anchoredPattern(regex), options);
    return re.match(text).hasMatch();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    wps::glob::Syntax syntax;
    syntax.escapes = (data[0] & 1) != 0;
    syntax.caseSensitivity = (data[0] & 2) != 0 ? Qt::CaseInsensitive : Qt::CaseSensitive;
    const QByteArrayView rest(reinterpret_cast<const char *>(data + 1), static_cast<qsizetype>(size - 1));
    const qsizetype split = rest.indexOf('\n');
    // Bounded as in the emulator: a group name has at most 1,024 characters; roles come from a token.
    const QString pattern = QString::fromUtf8(split < 0 ? rest : rest.first(split)).left(256);
    const QString text = QString::fromUtf8(split < 0 ? QByteArrayView() : rest.sliced(split + 1)).left(1024);

    bool valid = true;
    const bool matched = wps::glob::matches(pattern, text, syntax, &valid);
    if (!valid && matched)
        __builtin_trap(); // an invalid pattern matches nothing

    // Differential check where the reference is cheap (at most three stars, short text) and well defined
    // (ASCII: both sides fold case the same way).
    auto ascii = [](const QString &s) {
        for (const QChar c : s)
            if (c.unicode() > 0x7E)
                return false;
        return true;
    };
    if (pattern.size() <= 64 && text.size() <= 64 && wps::glob::starCount(pattern, syntax) <= 3 &&
        ascii(pattern) && ascii(text)) {
        if (referenceMatches(pattern, text, syntax) != matched)
            __builtin_trap();
    }
    return 0;
}
