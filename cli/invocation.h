#pragma once

#include <QCommandLineParser>
#include <QStringList>

#include <chrono>
#include <optional>

namespace wps::cli {

/// One parsed command line: every option of docs/cli.md (QCommandLineParser), the command, its positional
/// arguments and, for the send commands, the `--json JSON` payload taken out before parsing.
class Invocation
{
public:
    Invocation();
    Invocation(const Invocation &) = delete;
    Invocation &operator=(const Invocation &) = delete;

    /// Parses \a args (without the program name). False with errorText() on an unknown option or a
    /// missing value.
    bool parse(QStringList args);
    QString errorText() const { return m_parser.errorText(); }
    /// Whether the raw arguments ask for JSON output (to report a parse error as JSON too).
    bool jsonWanted() const { return m_jsonWanted; }

    QString command() const { return m_positional.value(0); }
    const QStringList &positional() const { return m_positional; }

    bool isSet(const QString &name) const { return m_parser.isSet(name); }
    QString value(const QString &name) const { return m_parser.value(name); }
    QStringList values(const QString &name) const { return m_parser.values(name); }
    /// The first value of a repeatable option (value() gives the last).
    QString firstValue(const QString &name) const { return m_parser.values(name).value(0); }
    /// The output switch --json.
    bool json() const { return m_parser.isSet(QStringLiteral("json")); }
    /// send-to-*: the payload of `--json JSON` / `--json=JSON`.
    const std::optional<QString> &jsonPayload() const { return m_jsonPayload; }

    /// An integer option: true when it is not set (\a target untouched) or a valid integer (stored).
    bool intValue(const QString &name, std::optional<int> *target) const;
    /// --timeout as a duration, or std::nullopt when not set; false when set but not a positive number.
    bool timeout(std::optional<std::chrono::milliseconds> *target) const;

    /// The usage text: the command table, the payload and exit code notes, every option.
    QString usageText() const;

private:
    QCommandLineParser m_parser;
    QStringList m_positional;
    std::optional<QString> m_jsonPayload;
    bool m_jsonWanted = false;
};

} // namespace wps::cli
