#pragma once

#include <QString>

namespace wps::glob {

/// How a pattern is read.
struct Syntax
{
    bool escapes = true; ///< `\` escapes `\`, `*` and `?`; otherwise `\` is a literal character
    Qt::CaseSensitivity caseSensitivity = Qt::CaseSensitive;
};

/// The pattern language of the service's wildcard roles (`webpubsub.joinLeaveGroups.<pattern>`) and of event
/// handlers' user event patterns: `?` is one character other than `.`, `*` zero or more characters other
/// than `.`, `**` zero or more characters of any kind, `.` and everything else itself. With
/// Syntax::escapes, `\\`, `\*` and `\?` are the literal characters; any other escape, or a `\` at the end,
/// makes the pattern invalid (\a valid is set to false when given) and it matches nothing.
///
/// Runs in O(pattern length × text length) time and O(pattern length) memory whatever the input: the
/// pattern is simulated as a set of positions advanced one text character at a time (no backtracking), so a
/// hostile pattern such as `*a*a*a*a*b` against a 1,024-character name costs microseconds, not seconds.
bool matches(QStringView pattern, QStringView text, const Syntax &syntax = {}, bool *valid = nullptr);

/// The number of `*` characters of \a pattern outside escapes (a `**` counts two).
int starCount(QStringView pattern, const Syntax &syntax = {});

} // namespace wps::glob
