#include "cli/invocation.h"

#include "cli/command.h"
#include "cli/tracecommand.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::cli {

namespace {

QList<QCommandLineOption> commonOptions()
{
    return {
        {{u"h"_s, u"help"_s}, u"Show this help."_s},
        {u"connection-string"_s, u"Connection string (default: env WEBPUBSUB_CONNECTION_STRING)."_s, u"cs"_s},
        {u"hub"_s, u"Hub name (default: env AZURE_WEBPUBSUB_HUB)."_s, u"hub"_s},
        {u"json"_s, u"Print machine-readable JSON on stdout."_s},
        {u"timeout"_s, u"Seconds per attempt (default 30)."_s, u"seconds"_s},
        {u"retries"_s, u"Retries of transient failures (default 3)."_s, u"n"_s},
    };
}

QList<QCommandLineOption> commandOptions()
{
    return {
        {u"text"_s, u"Payload: text (text/plain)."_s, u"text"_s},
        {u"json-body"_s, u"Payload: JSON (application/json); also --json JSON."_s, u"json"_s},
        {u"binary-file"_s, u"Payload: file bytes (application/octet-stream)."_s, u"path"_s},
        {u"content-type"_s, u"Content type of the payload."_s, u"type"_s},
        {u"excluded"_s, u"Connection ID to leave out (repeatable)."_s, u"id"_s},
        {u"filter"_s, u"OData filter."_s, u"filter"_s},
        {u"ttl"_s, u"messageTtlSeconds (0..300)."_s, u"seconds"_s},
        {u"user"_s, u"User ID."_s, u"id"_s},
        {u"group"_s, u"Group name (repeatable where it makes sense)."_s, u"group"_s},
        {u"connection"_s, u"Connection ID."_s, u"id"_s},
        {u"reason"_s, u"Close reason."_s, u"text"_s},
        {u"permission"_s, u"sendToGroup or joinLeaveGroup."_s, u"p"_s},
        {u"target"_s, u"Permission target group (targetName)."_s, u"group"_s},
        {u"role"_s, u"Token role (repeatable)."_s, u"role"_s},
        {u"minutes"_s, u"Token lifetime in minutes (default 60)."_s, u"n"_s},
        {u"client-type"_s, u"default, mqtt or socketio."_s, u"type"_s},
        {u"local"_s, u"Sign the token locally instead of :generateToken."_s},
        {u"maxpagesize"_s, u"Page size (1..200)."_s, u"n"_s},
        {u"top"_s, u"At most this many connections."_s, u"n"_s},
        {u"protocol"_s,
         u"listen: json, json.reliable (default), protobuf, protobuf.reliable, raw, mqtt (3.1.1) or mqtt5."_s,
         u"p"_s},
        {u"send-group"_s, u"listen: send stdin lines to this group."_s, u"group"_s},
        {u"event"_s, u"listen: event name for stdin lines (default message)."_s, u"name"_s},
        {u"invoke"_s,
         u"listen: stdin lines invoke this event; each answer is printed (--timeout s, default 60)."_s,
         u"event"_s},
    };
}

/// Pulls `--json <value>` / `--json=<value>` out of \a args for send commands, where it is the payload; a
/// bare `--json` (followed by another option or nothing) stays the output switch. \a args[0] is the command.
std::optional<QString> takeJsonPayload(QStringList &args)
{
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args.at(i).startsWith(u"--json="_s)) {
            const QString value = args.at(i).mid(7);
            args.removeAt(i);
            return value;
        }
        if (args.at(i) == u"--json" && i + 1 < args.size() && !args.at(i + 1).startsWith(u'-')) {
            const QString value = args.at(i + 1);
            args.remove(i, 2);
            return value;
        }
    }
    return std::nullopt;
}

} // namespace

Invocation::Invocation()
{
    m_parser.setApplicationDescription(u"Azure Web PubSub data-plane REST client."_s);
    m_parser.addOption({u"endpoint"_s,
                        u"Service endpoint without a key: authenticate with Entra ID (docs/entra-id.md)."_s,
                        u"url"_s});
    m_parser.addVersionOption();
    m_parser.addOptions(commonOptions());
    m_parser.addOptions(commandOptions());
    m_parser.addOptions(traceOptions());
    m_parser.addPositionalArgument(u"command"_s, u"What to do; see the list above."_s);
}

bool Invocation::parse(QStringList args)
{
    if (!args.isEmpty() && args.constFirst().startsWith(u"send-to-"_s))
        m_jsonPayload = takeJsonPayload(args);
    m_jsonWanted = args.contains(u"--json"_s);
    args.prepend(u"webpubsub"_s); // QCommandLineParser skips the program name
    if (!m_parser.parse(args))
        return false;
    m_positional = m_parser.positionalArguments();
    return true;
}

bool Invocation::intValue(const QString &name, std::optional<int> *target) const
{
    if (!m_parser.isSet(name))
        return true;
    bool ok = false;
    const int value = m_parser.value(name).toInt(&ok);
    if (ok)
        *target = value;
    return ok;
}

bool Invocation::timeout(std::optional<std::chrono::milliseconds> *target) const
{
    if (!m_parser.isSet(u"timeout"_s))
        return true;
    bool ok = false;
    const double seconds = m_parser.value(u"timeout"_s).toDouble(&ok);
    if (!ok || seconds <= 0)
        return false;
    *target = std::chrono::milliseconds(static_cast<qint64>(seconds * 1000));
    return true;
}

QString Invocation::usageText() const
{
    QString text = u"Usage: webpubsub <command> [options]\n\nCommands:\n"_s;
    for (const Command &command : commandTable())
        text += u"  "_s + command.name.leftJustified(34) + command.synopsis + u'\n';
    text += u"  "_s + u"help"_s.leftJustified(34) + u"this text\n\n"_s;
    text += u"payload: --text T | --json JSON | --json-body JSON | --binary-file PATH | stdin; "
            "--content-type overrides the type.\n"
            "Exit codes: 0 success (exists/check: yes), 1 exists/check: no, 2 usage error, 3 service or "
            "network error.\n\n"_s;
    // QCommandLineParser's own text lists every option.
    const QString help = m_parser.helpText();
    const qsizetype optionsAt = help.indexOf(u"Options:"_s);
    text += optionsAt >= 0 ? help.mid(optionsAt) : help;
    return text;
}

} // namespace wps::cli
