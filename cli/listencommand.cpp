// listen: a live client until stdin ends or an interrupt (docs/cli.md, "listen").
#include "cli/clientaccess.h"
#include "cli/command.h"
#include "cli/listen.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::cli {

namespace {

/// `--protocol mqtt|mqtt5`: the MQTT version, else std::nullopt.
std::optional<mqtt::Version> mqttVersion(const Invocation &args)
{
    const QString name = args.value(u"protocol"_s);
    if (name == u"mqtt"_s)
        return mqtt::Version::V311;
    if (name == u"mqtt5"_s)
        return mqtt::Version::V5;
    return std::nullopt;
}

/// `--protocol`: the short names of docs/cli.md, or a full subprotocol name (default json.reliable).
std::optional<live::Subprotocol> subprotocol(const Invocation &args)
{
    using live::Subprotocol;
    QString name = args.value(u"protocol"_s);
    if (name.isEmpty())
        name = u"json.reliable"_s;
    if (name == u"json")
        return Subprotocol::Json;
    if (name == u"json.reliable")
        return Subprotocol::JsonReliable;
    if (name == u"protobuf")
        return Subprotocol::Protobuf;
    if (name == u"protobuf.reliable")
        return Subprotocol::ProtobufReliable;
    if (name == u"raw")
        return Subprotocol::None;
    return live::parseSubprotocol(name);
}

QString validateListen(const Invocation &args)
{
    if (mqttVersion(args)) {
        if (args.isSet(u"event"_s))
            return u"--event is not available with MQTT: publish to a topic with --send-group."_s;
    } else if (!subprotocol(args)) {
        return u"--protocol must be json, json.reliable, protobuf, protobuf.reliable, raw, mqtt or mqtt5."_s;
    }
    if (args.isSet(u"invoke"_s) && (args.value(u"invoke"_s).isEmpty() || mqttVersion(args) ||
                                    *subprotocol(args) == live::Subprotocol::None ||
                                    args.isSet(u"send-group"_s) || args.isSet(u"event"_s)))
        return u"--invoke needs an event name and a json or protobuf --protocol, without --send-group or --event."_s;
    return checkNames(args);
}

void runListen(Context &context)
{
    const auto mqtt = mqttVersion(context.args);
    // With a key the token is signed here; with Entra ID (no key) the client URL comes from
    // `:generateToken`, called with the Entra ID token, as the SDKs' getClientAccessToken() does.
    const bool local = context.connection.has_value();
    makeClientAccess(context, local, mqtt ? ClientProtocol::Mqtt : ClientProtocol::Default, std::nullopt,
                     [&context, mqtt](const ClientAccess &access) {
                         const QString sendGroup = context.args.value(u"send-group"_s);
                         ListenSession *session = nullptr;
                         if (mqtt) {
                             session = new MqttListen(context, access.url, *mqtt, sendGroup);
                         } else {
                             const QString event = context.args.isSet(u"event"_s)
                                                       ? context.args.value(u"event"_s)
                                                       : u"message"_s;
                             auto *client = new WebSocketListen(context, access.url,
                                                                *subprotocol(context.args), sendGroup, event);
                             if (context.args.isSet(u"invoke"_s)) {
                                 std::optional<std::chrono::milliseconds> timeout;
                                 context.args.timeout(&timeout); // validated before the run
                                 client->setInvoke(context.args.value(u"invoke"_s),
                                                   timeout.value_or(std::chrono::seconds(60)));
                             }
                             session = client;
                         }
                         session->setParent(context.owner);
                         context.onInterrupt = [session] { session->interrupt(); };
                         session->start();
                     });
}

} // namespace

QList<Command> listenCommands()
{
    Command listen;
    listen.name = u"listen"_s;
    listen.synopsis =
        u"[--user ID] [--role R]... [--group G]... [--protocol P] [--send-group G] [--event E] [--invoke E]"_s;
    listen.validate = validateListen;
    listen.run = runListen;
    listen.interruptible = true;
    return {listen};
}

} // namespace wps::cli
