// token: a client access token and URL, from the service's `:generateToken` or signed locally (--local).
#include "cli/clientaccess.h"
#include "cli/command.h"
#include "service/serviceclient.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::cli {

namespace {

QJsonObject accessJson(const ClientAccess &access)
{
    return {{u"token"_s, QString::fromLatin1(access.token)},
            {u"url"_s, access.url.toString(QUrl::FullyEncoded)},
            {u"baseUrl"_s, access.baseUrl.toString(QUrl::FullyEncoded)},
            {u"expiresAt"_s, access.expiresAt.toString(Qt::ISODate)}};
}

QString accessText(const ClientAccess &access)
{
    return QString::fromLatin1(access.token) + u'\n' + access.url.toString(QUrl::FullyEncoded);
}

QString validateToken(const Invocation &args)
{
    std::optional<int> minutes;
    if (!args.intValue(u"minutes"_s, &minutes))
        return u"--minutes needs a number."_s;
    ClientProtocol protocol = ClientProtocol::Default;
    if (args.isSet(u"client-type"_s) && !parseClientProtocol(args.value(u"client-type"_s), &protocol))
        return u"--client-type must be default, mqtt or socketio."_s;
    return checkNames(args);
}

void runToken(Context &context)
{
    std::optional<int> minutes;
    context.args.intValue(u"minutes"_s, &minutes); // checked by validateToken()
    ClientProtocol protocol = ClientProtocol::Default;
    if (context.args.isSet(u"client-type"_s))
        parseClientProtocol(context.args.value(u"client-type"_s), &protocol);
    makeClientAccess(context, context.args.isSet(u"local"_s), protocol, minutes,
                     [&context](const ClientAccess &access) {
                         context.finish(context.out.ok(accessJson(access), accessText(access)));
                     });
}

} // namespace

void makeClientAccess(Context &context, bool local, ClientProtocol protocol,
                      std::optional<int> lifetimeMinutes,
                      const std::function<void(const ClientAccess &)> &done)
{
    const Invocation &args = context.args;
    if (local) {
        ClientTokenOptions options;
        options.userId = args.value(u"user"_s);
        options.roles = args.values(u"role"_s);
        options.groups = args.values(u"group"_s);
        options.protocol = protocol;
        if (lifetimeMinutes)
            options.lifetime = std::chrono::minutes(*lifetimeMinutes);
        const auto access = context.client->makeClientAccess(options);
        if (!access)
            context.finish(context.out.error(access.error()));
        else
            done(*access);
        return;
    }
    service::GenerateTokenOptions options;
    options.userId = args.value(u"user"_s);
    options.roles = args.values(u"role"_s);
    options.groups = args.values(u"group"_s);
    options.minutesToExpire = lifetimeMinutes;
    options.clientType = protocol;
    service::TokenJob *job = context.client->generateClientToken(options);
    QObject::connect(job, &service::ServiceJob::finished, context.owner, [&context, job, done] {
        if (job->hasError())
            context.finish(context.out.error(job->error()));
        else
            done(job->access());
    });
}

QList<Command> tokenCommands()
{
    Command token;
    token.name = u"token"_s;
    token.synopsis = u"[--user ID] [--role R]... [--group G]... [--minutes N] [--client-type T] [--local]"_s;
    token.validate = validateToken;
    token.run = runToken;
    return {token};
}

} // namespace wps::cli
