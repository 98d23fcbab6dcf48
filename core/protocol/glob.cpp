#include "protocol/glob.h"

#include <vector>

namespace wps::glob {

namespace {

enum class Kind : char { Literal, One, Star, DoubleStar };

struct Token
{
    Kind kind;
    char16_t ch = 0; ///< Literal only (case-folded when matching case-insensitively)
};

char16_t fold(char16_t c, Qt::CaseSensitivity cs)
{
    return cs == Qt::CaseSensitive ? c : QChar::toCaseFolded(c);
}

/// The pattern as tokens; false for an invalid escape.
bool compile(QStringView pattern, const Syntax &syntax, std::vector<Token> *tokens)
{
    tokens->reserve(static_cast<std::size_t>(pattern.size()));
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const char16_t c = pattern.at(i).unicode();
        if (c == u'\\' && syntax.escapes) {
            if (i + 1 >= pattern.size())
                return false;
            const char16_t next = pattern.at(++i).unicode();
            if (next != u'\\' && next != u'*' && next != u'?')
                return false;
            tokens->push_back({Kind::Literal, next});
        } else if (c == u'*') {
            if (i + 1 < pattern.size() && pattern.at(i + 1) == u'*') {
                ++i;
                tokens->push_back({Kind::DoubleStar});
            } else {
                tokens->push_back({Kind::Star});
            }
        } else if (c == u'?') {
            tokens->push_back({Kind::One});
        } else {
            tokens->push_back({Kind::Literal, fold(c, syntax.caseSensitivity)});
        }
    }
    return true;
}

} // namespace

bool matches(QStringView pattern, QStringView text, const Syntax &syntax, bool *valid)
{
    std::vector<Token> tokens;
    const bool ok = compile(pattern, syntax, &tokens);
    if (valid)
        *valid = ok;
    if (!ok)
        return false;
    const std::size_t n = tokens.size();
    // active[i]: the text read so far can be followed by a match of tokens[i..]. State n is the end.
    std::vector<char> active(n + 1, 0);
    std::vector<char> next(n + 1, 0);
    // A star matches the empty string: a state before a star also enables the state after it.
    auto close = [&](std::vector<char> &set) {
        for (std::size_t i = 0; i < n; ++i)
            if (set[i] && (tokens[i].kind == Kind::Star || tokens[i].kind == Kind::DoubleStar))
                set[i + 1] = 1;
    };
    active[0] = 1;
    close(active);
    for (const QChar qc : text) {
        const char16_t c = fold(qc.unicode(), syntax.caseSensitivity);
        std::fill(next.begin(), next.end(), 0);
        bool any = false;
        auto enable = [&](std::size_t state) {
            next[state] = 1;
            any = true;
        };
        for (std::size_t i = 0; i < n; ++i) {
            if (!active[i])
                continue;
            switch (tokens[i].kind) {
            case Kind::Literal:
                if (tokens[i].ch == c)
                    enable(i + 1);
                break;
            case Kind::One:
                if (c != u'.')
                    enable(i + 1);
                break;
            case Kind::Star:
                if (c != u'.')
                    enable(i);
                break;
            case Kind::DoubleStar:
                enable(i);
                break;
            }
        }
        if (!any)
            return false;
        close(next);
        active.swap(next);
    }
    return active[n] != 0;
}

int starCount(QStringView pattern, const Syntax &syntax)
{
    int stars = 0;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        if (pattern.at(i) == u'\\' && syntax.escapes)
            ++i;
        else if (pattern.at(i) == u'*')
            ++stars;
    }
    return stars;
}

} // namespace wps::glob
