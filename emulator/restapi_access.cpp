// The REST operations on permissions and client tokens (emulator/restapi_p.h): grant, revoke and check a
// connection's permission on a group; generate a client access token.

#include "emulator/hubstate.h"
#include "emulator/restapi_p.h"
#include "protocol/clienttoken.h"
#include "protocol/connectionstring.h"
#include "protocol/names.h"

#include <QJsonObject>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator::rest {

namespace {

struct PermissionArgs
{
    QString permission;
    QString id;
    QString target;
};

std::optional<HttpResponse> permissionArgs(Call &call, PermissionArgs *args)
{
    args->permission = call.param(u"permission"_s);
    args->id = call.param(u"connectionId"_s);
    if (auto error = checkName(names::checkPermission(args->permission), u"permission"_s))
        return error;
    if (auto error = checkName(names::checkConnectionId(args->id), u"connectionId"_s))
        return error;
    args->target = call.query.value(u"targetName"_s).value_or(QString());
    // The service rejects a missing targetName with the group-name message (recorded,
    // docs/protocol.md#operations).
    if (auto error = checkName(names::checkGroup(args->target), u"Request"_s))
        return error;
    return std::nullopt;
}

} // namespace

HttpResponse grantPermission(Call &call)
{
    PermissionArgs args;
    if (auto error = permissionArgs(call, &args))
        return *error;
    if (!call.hub.grant(args.id, args.permission, args.target))
        return notExisted(404, u"Info.Connection.NotExisted"_s, u"Connection"_s, args.id);
    return HttpResponse::empty(200);
}

HttpResponse revokePermission(Call &call)
{
    PermissionArgs args;
    if (auto error = permissionArgs(call, &args))
        return *error;
    call.hub.revoke(args.id, args.permission, args.target);
    return HttpResponse::empty(204);
}

HttpResponse checkPermission(Call &call)
{
    PermissionArgs args;
    if (auto error = permissionArgs(call, &args))
        return *error;
    if (!call.hub.connection(args.id))
        return notExisted(404, u"Info.Connection.NotExisted"_s, u"Connection"_s, args.id);
    if (!call.hub.hasPermission(args.id, args.permission, args.target))
        return errorResponse(404, u"Warning.Permission.NotExisted"_s,
                             u"Connection `%1` has no permission %2 for group `%3`."_s.arg(
                                 args.id, args.permission, args.target),
                             u"Permission"_s);
    return HttpResponse::empty(200);
}

HttpResponse generateToken(Call &call)
{
    ClientTokenOptions options;
    options.userId = call.query.value(u"userId"_s).value_or(QString());
    options.roles = call.query.values(u"role"_s);
    options.groups = call.query.values(u"group"_s);
    for (const QString &group : std::as_const(options.groups))
        if (auto error = checkName(names::checkGroup(group), u"group"_s))
            return *error;
    std::optional<qint64> minutes;
    if (auto error = parseIntParam(call.query, u"minutesToExpire"_s, 1, 2147483647, &minutes))
        return *error;
    options.lifetime = std::chrono::minutes(minutes.value_or(60));
    if (const auto type = call.query.value(u"clientType"_s); type && !type->isEmpty()) {
        if (!parseClientProtocol(*type, &options.protocol))
            return badRequest(
                u"Unknown clientType '%1'; use Default, MQTT or SocketIO."_s.arg(type->left(32)),
                u"clientType"_s);
    }
    const ConnectionString connection(QUrl(u"http://"_s + call.host), QString::fromUtf8(call.keys.value(0)));
    const ClientAccess access = makeClientAccess(connection, call.hubName, options);
    return HttpResponse::json(200, QJsonObject{{u"token"_s, QString::fromLatin1(access.token)}});
}

} // namespace wps::emulator::rest
