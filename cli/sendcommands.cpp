// send-to-all, send-to-user, send-to-group, send-to-connection: one payload (--text, --json, --json-body,
// --binary-file or stdin) and the send options.
#include "cli/command.h"
#include "cli/payload.h"
#include "protocol/jsontext.h"
#include "service/serviceclient.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::cli {

namespace {

using service::Message;
using service::SendOptions;
using service::ServiceClient;
using service::ServiceJob;

/// How long a payload read may wait for data: --timeout, or 30 s.
std::chrono::milliseconds payloadWait(const Invocation &args)
{
    std::optional<std::chrono::milliseconds> timeout;
    if (!args.timeout(&timeout) || !timeout)
        return std::chrono::seconds(30);
    return *timeout;
}

/// What every send checks before anything is read or sent.
QString checkSendArguments(const Invocation &args)
{
    const int sources = (args.isSet(u"text"_s) ? 1 : 0) + (args.isSet(u"json-body"_s) ? 1 : 0) +
                        (args.isSet(u"binary-file"_s) ? 1 : 0) + (args.jsonPayload() ? 1 : 0);
    if (sources > 1)
        return u"give one payload: --text, --json, --json-body or --binary-file."_s;
    if (args.jsonPayload() || args.isSet(u"json-body"_s)) {
        const QByteArray data = args.jsonPayload().value_or(args.value(u"json-body"_s)).toUtf8();
        // Exactly one JSON value (any kind), as the service requires of an application/json body.
        if (const QString why = jsontext::checkValue(data); !why.isEmpty())
            return u"the JSON payload is not valid JSON: %1"_s.arg(why);
    }
    std::optional<int> ttl;
    if (!args.intValue(u"ttl"_s, &ttl))
        return u"--ttl needs a number of seconds."_s;
    return {};
}

/// The message: the payload option, or the file or stdin read up to 1 MiB (a usage error otherwise).
Expected<Message, QString> readMessage(const Context &context)
{
    const Invocation &args = context.args;
    Message message;
    if (args.isSet(u"text"_s)) {
        message = Message::text(args.value(u"text"_s));
    } else if (args.jsonPayload() || args.isSet(u"json-body"_s)) {
        message = Message::json(args.jsonPayload().value_or(args.value(u"json-body"_s)).toUtf8());
    } else {
        // A file or stdin: read at most the service's 1 MiB (and one byte to notice more), waiting for data
        // no longer than --timeout (a FIFO nobody writes to, a terminal nobody types in).
        const bool fromFile = args.isSet(u"binary-file"_s);
        auto read =
            readPayload(fromFile ? args.value(u"binary-file"_s) : QString(), context.in, payloadWait(args));
        if (!read)
            return Expected<Message, QString>::failure(read.error());
        message = fromFile ? Message::binary(*read) : Message{*read, QByteArrayLiteral("text/plain")};
    }
    if (args.isSet(u"content-type"_s))
        message.contentType = args.value(u"content-type"_s).toUtf8();
    return message;
}

SendOptions sendOptions(const Invocation &args)
{
    SendOptions options;
    options.excluded = args.values(u"excluded"_s);
    options.filter = args.value(u"filter"_s);
    args.intValue(u"ttl"_s, &options.messageTtlSeconds); // checked by checkSendArguments()
    return options;
}

using Send =
    std::function<ServiceJob *(ServiceClient &, const Message &, const SendOptions &, const QString &)>;

/// A send command; \a target names the option that says where (empty for send-to-all).
Command sendCommand(const QString &name, const QString &synopsis, const QString &target, Send send)
{
    Command command;
    command.name = name;
    command.synopsis = synopsis;
    command.validate = [target](const Invocation &args) {
        return firstProblem({checkSendArguments(args),
                             target.isEmpty() ? QString() : checkRequired(args, {target}), checkNames(args)});
    };
    command.run = [target, send](Context &context) {
        const auto message = readMessage(context);
        if (!message) {
            context.finish(context.out.usage(message.error()));
            return;
        }
        const QString to = target.isEmpty() ? QString() : context.args.firstValue(target);
        context.runJob(send(*context.client, *message, sendOptions(context.args), to),
                       [&context](ServiceJob *job) { return presentStatus(context, job); });
    };
    return command;
}

} // namespace

QList<Command> sendCommands()
{
    return {
        sendCommand(u"send-to-all"_s, u"[payload] [--excluded ID]... [--filter F] [--ttl S]"_s, {},
                    [](ServiceClient &client, const Message &message, const SendOptions &options,
                       const QString &) { return client.sendToAll(message, options); }),
        sendCommand(u"send-to-user"_s, u"--user ID [payload] [--filter F] [--ttl S]"_s, u"user"_s,
                    [](ServiceClient &client, const Message &message, const SendOptions &options,
                       const QString &user) { return client.sendToUser(user, message, options); }),
        sendCommand(u"send-to-group"_s, u"--group G [payload] [--excluded ID]... [--filter F] [--ttl S]"_s,
                    u"group"_s,
                    [](ServiceClient &client, const Message &message, const SendOptions &options,
                       const QString &group) { return client.sendToGroup(group, message, options); }),
        sendCommand(u"send-to-connection"_s, u"--connection ID [payload] [--ttl S]"_s, u"connection"_s,
                    [](ServiceClient &client, const Message &message, const SendOptions &options,
                       const QString &id) { return client.sendToConnection(id, message, options); }),
    };
}

} // namespace wps::cli
