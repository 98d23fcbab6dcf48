#include "emulator/restapi.h"

#include "emulator/hubstate.h"
#include "protocol/clienttoken.h"
#include "protocol/connectionstring.h"
#include "protocol/filter.h"
#include "protocol/jsontext.h"
#include "protocol/jwt.h"
#include "protocol/names.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSet>
#include <QUrl>

#include <optional>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcRest, "wps.emulator.rest")

namespace wps::emulator {

namespace {

const QStringList &supportedVersions()
{
    static const QStringList versions{u"2021-10-01"_s, u"2022-11-01"_s, u"2023-07-01"_s, u"2024-01-01"_s,
                                      u"2024-12-01"_s};
    return versions;
}

constexpr int kMaxPageSize = 200;
const QString kDefaultCloseReason = u"Closed by REST API."_s;

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// Query parameters, decoded once (%2F does become '/' here; '+' stays '+'). Names are case-insensitive.
class Query
{
public:
    explicit Query(QByteArrayView raw)
    {
        for (QByteArrayView part : QByteArray(raw.toByteArray()).split('&')) {
            if (part.isEmpty())
                continue;
            const qsizetype eq = part.indexOf('=');
            const QByteArrayView key = eq < 0 ? part : part.first(eq);
            const QByteArrayView value = eq < 0 ? QByteArrayView() : part.sliced(eq + 1);
            m_items.append({QUrl::fromPercentEncoding(key.toByteArray()).toLower(),
                            QUrl::fromPercentEncoding(value.toByteArray())});
        }
    }
    std::optional<QString> value(const QString &name) const
    {
        for (const auto &[key, value] : m_items)
            if (key == name.toLower())
                return value;
        return std::nullopt;
    }
    QStringList values(const QString &name) const
    {
        QStringList result;
        for (const auto &[key, value] : m_items)
            if (key == name.toLower())
                result << value;
        return result;
    }

private:
    QList<QPair<QString, QString>> m_items;
};

HttpResponse errorResponse(int status, const QString &code, const QString &message, const QString &target)
{
    HttpResponse response = HttpResponse::json(status, QJsonObject{{u"code"_s, code},
                                                                   {u"message"_s, message},
                                                                   {u"target"_s, target},
                                                                   {u"details"_s, QJsonValue::Null},
                                                                   {u"inner"_s, QJsonValue::Null}});
    response.setHeader("x-ms-error-code", code.toLatin1());
    return response;
}

HttpResponse badRequest(const QString &message, const QString &target)
{
    return errorResponse(400, u"Error.BadRequest"_s, message, target);
}

/// The ASP.NET validation-problem document the service sends for an invalid filter
/// (docs/protocol.md#error-model).
HttpResponse filterError(const QString &filterText, const filter::ParseError &error)
{
    QString detail = error.message;
    if (!detail.endsWith(u'.'))
        detail += u'.';
    const QString message = u"Invalid syntax for '%1': %2 (Parameter 'filter')"_s.arg(filterText, detail);
    HttpResponse response;
    response.status = 400;
    response.body = QJsonDocument(QJsonObject{{u"code"_s, u"Error.BadRequest"_s},
                                              {u"message"_s, message},
                                              {u"target"_s, u"Filter"_s},
                                              {u"errors"_s, QJsonObject{{u"Filter"_s, QJsonArray{message}}}},
                                              {u"type"_s, QJsonValue::Null},
                                              {u"title"_s, u"One or more validation errors occurred."_s},
                                              {u"status"_s, 400},
                                              {u"detail"_s, QJsonValue::Null},
                                              {u"instance"_s, QJsonValue::Null},
                                              {u"extensions"_s, QJsonObject()}})
                        .toJson(QJsonDocument::Compact);
    response.setHeader("Content-Type", "application/problem+json; charset=utf-8");
    response.setHeader("x-ms-error-code", "Error.BadRequest");
    return response;
}

HttpResponse notExisted(int status, const QString &code, const QString &kind, const QString &id)
{
    return errorResponse(status, code, u"%1 `%2` is not found."_s.arg(kind, id), kind);
}

/// Everything an operation needs about its request.
struct Call
{
    const HttpRequest &request;
    const Query &query;
    QHash<QString, QString> params; ///< decoded path parameters
    HubState &hub;
    QString hubName;
    QString host;       ///< host[:port] the client addressed
    QString apiVersion; ///< effective version
    QList<QByteArray> keys;

    QString param(const QString &name) const { return params.value(name); }
};

using Operation = HttpResponse (*)(Call &call);

struct Route
{
    QByteArray method;
    QStringList pattern; ///< literal segments, or {name} parameters
    Operation operation;
};

std::optional<HttpResponse> checkName(const QString &error, const QString &target)
{
    if (error.isEmpty())
        return std::nullopt;
    return badRequest(error, target);
}

std::optional<HttpResponse> parseIntParam(const Query &query, const QString &name, qint64 min, qint64 max,
                                          std::optional<qint64> *out)
{
    const auto text = query.value(name);
    if (!text)
        return std::nullopt;
    bool ok = false;
    const qint64 value = text->toLongLong(&ok);
    if (!ok || value < min || value > max)
        return badRequest(u"The value '%1' is not valid for %2: it must be an integer from %3 to %4."_s.arg(
                              text->left(64), name, QString::number(min), QString::number(max)),
                          name);
    *out = value;
    return std::nullopt;
}

/// Parses the optional filter; an invalid one is the problem document of docs/protocol.md#error-model.
std::optional<HttpResponse> parseFilter(const QString &text, std::optional<filter::Expression> *out)
{
    if (text.isEmpty())
        return std::nullopt;
    auto parsed = filter::Expression::parse(text);
    if (!parsed)
        return filterError(text, parsed.error());
    *out = *parsed;
    return std::nullopt;
}

bool matches(const std::optional<filter::Expression> &expression, const Connection &c)
{
    if (!expression)
        return true;
    filter::ConnectionFacts facts;
    facts.connectionId = c.id;
    facts.userId = c.userId;
    facts.groups = &c.groups;
    facts.protocol = c.protocol;
    return expression->matches(facts);
}

/// The send body: its data type from Content-Type (parameters ignored), JSON checked for validity.
std::optional<HttpResponse> messageBody(const HttpRequest &request, Delivery *delivery)
{
    const QByteArray media = request.header("content-type").split(';').first().trimmed().toLower();
    if (media == "application/json") {
        delivery->dataType = DataType::Json;
        // Exactly one JSON value (scalars too), checked as the bytes are kept: they are pasted as they are
        // into JSON receivers' frames.
        if (!jsontext::checkValue(request.body).isEmpty())
            return badRequest(u"The message body is not valid JSON."_s, u"message"_s);
    } else if (media == "text/plain") {
        delivery->dataType = DataType::Text;
    } else if (media == "application/octet-stream") {
        delivery->dataType = DataType::Binary;
    } else {
        return errorResponse(415, u"Error.UnsupportedMediaType"_s,
                             u"Content-Type '%1' is not supported; use application/json, text/plain or "
                             "application/octet-stream."_s.arg(QString::fromLatin1(media.left(100))),
                             u"Content-Type"_s);
    }
    delivery->data = request.body;
    return std::nullopt;
}

/// Validation shared by the send operations, then delivery to each selected connection.
/// \a nobody says why nothing was delivered when there are no candidates at all ("group g has no members").
HttpResponse send(Call &call, const QStringList &candidates, bool allowExcluded, bool allowFilter,
                  const QString &group, const QString &nobody)
{
    std::optional<qint64> ttl;
    if (auto error = parseIntParam(call.query, u"messageTtlSeconds"_s, 0, 300, &ttl))
        return *error;
    std::optional<filter::Expression> expression;
    if (allowFilter)
        if (auto error = parseFilter(call.query.value(u"filter"_s).value_or(QString()), &expression))
            return *error;
    Delivery delivery;
    delivery.group = group;
    if (ttl)
        delivery.expiresAt = std::chrono::steady_clock::now() + std::chrono::seconds(*ttl);
    if (auto error = messageBody(call.request, &delivery))
        return *error;
    const QStringList excludedList = allowExcluded ? call.query.values(u"excluded"_s) : QStringList();
    const QSet<QString> excluded(excludedList.cbegin(), excludedList.cend());
    int delivered = 0;
    int existing = 0;
    for (const QString &id : candidates) {
        const Connection *c = call.hub.connection(id);
        if (!c)
            continue;
        ++existing;
        if (excluded.contains(id) || !matches(expression, *c))
            continue;
        call.hub.deliver(id, delivery);
        ++delivered;
    }
    HttpResponse response = HttpResponse::empty(202);
    response.deliveredCount = delivered;
    if (delivered == 0)
        response.deliveryNote =
            existing == 0
                ? nobody
                : u"none of the %1 connection(s) matched the filter or the excluded list"_s.arg(existing);
    return response;
}

HttpResponse closeAll(Call &call, const QStringList &candidates)
{
    const QStringList excludedList = call.query.values(u"excluded"_s);
    const QSet<QString> excluded(excludedList.cbegin(), excludedList.cend());
    QString reason = call.query.value(u"reason"_s).value_or(QString());
    if (reason.isEmpty())
        reason = kDefaultCloseReason;
    for (const QString &id : candidates)
        if (!excluded.contains(id))
            call.hub.closeConnection(id, reason);
    return HttpResponse::empty(204);
}

// --- operations -------------------------------------------------------------------------------------------

HttpResponse sendToAll(Call &call)
{
    return send(call, call.hub.connectionIds(), true, true, {},
                u"hub %1 has no connections"_s.arg(call.hubName));
}

HttpResponse sendToConnection(Call &call)
{
    const QString id = call.param(u"connectionId"_s);
    if (auto error = checkName(names::checkConnectionId(id), u"connectionId"_s))
        return *error;
    return send(call, {id}, false, false, {},
                u"connection %1 does not exist in hub %2"_s.arg(id, call.hubName));
}

HttpResponse sendToGroup(Call &call)
{
    const QString group = call.param(u"group"_s);
    if (auto error = checkName(names::checkGroup(group), u"group"_s))
        return *error;
    return send(call, call.hub.connectionsInGroup(group), true, true, group,
                u"group %1 has no members"_s.arg(group));
}

HttpResponse sendToUser(Call &call)
{
    const QString user = call.param(u"userId"_s);
    if (auto error = checkName(names::checkUserId(user), u"userId"_s))
        return *error;
    return send(call, call.hub.connectionsOfUser(user), false, true, {},
                u"user %1 has no connections"_s.arg(user));
}

HttpResponse connectionExists(Call &call)
{
    const QString id = call.param(u"connectionId"_s);
    if (auto error = checkName(names::checkConnectionId(id), u"connectionId"_s))
        return *error;
    if (call.hub.connection(id))
        return HttpResponse::empty(200);
    return notExisted(404, u"Warning.Connection.NotExisted"_s, u"Connection"_s, id);
}

HttpResponse groupExists(Call &call)
{
    const QString group = call.param(u"group"_s);
    if (auto error = checkName(names::checkGroup(group), u"group"_s))
        return *error;
    if (call.hub.hasGroup(group))
        return HttpResponse::empty(200);
    return notExisted(404, u"Warning.Group.NotExisted"_s, u"Group"_s, group);
}

HttpResponse userExists(Call &call)
{
    const QString user = call.param(u"userId"_s);
    if (auto error = checkName(names::checkUserId(user), u"userId"_s))
        return *error;
    if (call.hub.hasUser(user))
        return HttpResponse::empty(200);
    return notExisted(404, u"Warning.User.NotExisted"_s, u"User"_s, user);
}

HttpResponse closeConnection(Call &call)
{
    const QString id = call.param(u"connectionId"_s);
    if (auto error = checkName(names::checkConnectionId(id), u"connectionId"_s))
        return *error;
    QString reason = call.query.value(u"reason"_s).value_or(QString());
    call.hub.closeConnection(id, reason.isEmpty() ? kDefaultCloseReason : reason);
    return HttpResponse::empty(204);
}

HttpResponse closeAllConnections(Call &call)
{
    return closeAll(call, call.hub.connectionIds());
}

HttpResponse closeGroupConnections(Call &call)
{
    const QString group = call.param(u"group"_s);
    if (auto error = checkName(names::checkGroup(group), u"group"_s))
        return *error;
    return closeAll(call, call.hub.connectionsInGroup(group));
}

HttpResponse closeUserConnections(Call &call)
{
    const QString user = call.param(u"userId"_s);
    if (auto error = checkName(names::checkUserId(user), u"userId"_s))
        return *error;
    return closeAll(call, call.hub.connectionsOfUser(user));
}

HttpResponse addConnectionToGroup(Call &call)
{
    const QString group = call.param(u"group"_s);
    const QString id = call.param(u"connectionId"_s);
    if (auto error = checkName(names::checkGroup(group), u"group"_s))
        return *error;
    if (auto error = checkName(names::checkConnectionId(id), u"connectionId"_s))
        return *error;
    if (call.hub.atGroupLimit(id, group))
        return badRequest(u"The connection is already in %1 groups, the most one connection can join."_s.arg(
                              HubState::kMaxGroupsPerConnection),
                          u"group"_s);
    if (!call.hub.addToGroup(id, group))
        return notExisted(404, u"Error.Connection.NotExisted"_s, u"Connection"_s, id);
    return HttpResponse::empty(200);
}

HttpResponse removeConnectionFromGroup(Call &call)
{
    const QString group = call.param(u"group"_s);
    const QString id = call.param(u"connectionId"_s);
    if (auto error = checkName(names::checkGroup(group), u"group"_s))
        return *error;
    if (auto error = checkName(names::checkConnectionId(id), u"connectionId"_s))
        return *error;
    call.hub.removeFromGroup(id, group);
    return HttpResponse::empty(204);
}

HttpResponse removeConnectionFromAllGroups(Call &call)
{
    const QString id = call.param(u"connectionId"_s);
    if (auto error = checkName(names::checkConnectionId(id), u"connectionId"_s))
        return *error;
    call.hub.removeFromAllGroups(id);
    return HttpResponse::empty(204);
}

HttpResponse addUserToGroup(Call &call)
{
    const QString user = call.param(u"userId"_s);
    const QString group = call.param(u"group"_s);
    if (auto error = checkName(names::checkUserId(user), u"userId"_s))
        return *error;
    if (auto error = checkName(names::checkGroup(group), u"group"_s))
        return *error;
    const QStringList ids = call.hub.connectionsOfUser(user);
    if (ids.isEmpty())
        return notExisted(404, u"Warning.User.NotExisted"_s, u"User"_s, user);
    for (const QString &id : ids)
        call.hub.addToGroup(id, group);
    return HttpResponse::empty(200);
}

HttpResponse removeUserFromGroup(Call &call)
{
    const QString user = call.param(u"userId"_s);
    const QString group = call.param(u"group"_s);
    if (auto error = checkName(names::checkUserId(user), u"userId"_s))
        return *error;
    if (auto error = checkName(names::checkGroup(group), u"group"_s))
        return *error;
    for (const QString &id : call.hub.connectionsOfUser(user))
        call.hub.removeFromGroup(id, group);
    return HttpResponse::empty(204);
}

HttpResponse removeUserFromAllGroups(Call &call)
{
    const QString user = call.param(u"userId"_s);
    if (auto error = checkName(names::checkUserId(user), u"userId"_s))
        return *error;
    for (const QString &id : call.hub.connectionsOfUser(user))
        call.hub.removeFromAllGroups(id);
    return HttpResponse::empty(204);
}

/// :addToGroups and :removeFromGroups: `{"groups": [...], "filter": "..."}`, no other properties.
HttpResponse bulkGroups(Call &call, bool add)
{
    const QByteArray media = call.request.header("content-type").split(';').first().trimmed().toLower();
    if (media != "application/json")
        return errorResponse(415, u"Error.UnsupportedMediaType"_s,
                             u"The request body must be application/json."_s, u"Content-Type"_s);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(call.request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return badRequest(u"The request body must be a JSON object with 'groups' and an optional 'filter'."_s,
                          u"Request"_s);
    const QJsonObject body = doc.object();
    for (auto it = body.begin(); it != body.end(); ++it)
        if (it.key() != u"groups" && it.key() != u"filter")
            return badRequest(u"Unknown property '%1' in the request body."_s.arg(it.key().left(64)),
                              u"Request"_s);
    const QJsonValue groupsValue = body.value(u"groups"_s);
    if (!groupsValue.isArray() || groupsValue.toArray().isEmpty())
        return badRequest(u"'groups' must be a non-empty array of group names."_s, u"groups"_s);
    QStringList groups;
    for (const QJsonValue &g : groupsValue.toArray()) {
        if (!g.isString())
            return badRequest(u"'groups' must contain only strings."_s, u"groups"_s);
        if (auto error = checkName(names::checkGroup(g.toString()), u"groups"_s))
            return *error;
        groups << g.toString();
    }
    const QJsonValue filterValue = body.value(u"filter"_s);
    if (!filterValue.isUndefined() && !filterValue.isNull() && !filterValue.isString())
        return badRequest(u"'filter' must be a string."_s, u"filter"_s);
    std::optional<filter::Expression> expression;
    if (auto error = parseFilter(filterValue.toString(), &expression))
        return *error;
    // Select first, then change membership, so a filter on groups sees the state before the request.
    QStringList selected;
    for (const QString &id : call.hub.connectionIds())
        if (const Connection *c = call.hub.connection(id); c && matches(expression, *c))
            selected << id;
    for (const QString &id : std::as_const(selected))
        for (const QString &group : std::as_const(groups))
            add ? void(call.hub.addToGroup(id, group)) : call.hub.removeFromGroup(id, group);
    return HttpResponse::empty(200);
}

HttpResponse addToGroups(Call &call)
{
    return bulkGroups(call, true);
}

HttpResponse removeFromGroups(Call &call)
{
    return bulkGroups(call, false);
}

HttpResponse listConnectionsInGroup(Call &call)
{
    const QString group = call.param(u"group"_s);
    if (auto error = checkName(names::checkGroup(group), u"group"_s))
        return *error;
    std::optional<qint64> maxPageSize;
    std::optional<qint64> top;
    if (auto error = parseIntParam(call.query, u"maxpagesize"_s, 1, kMaxPageSize, &maxPageSize))
        return *error;
    if (auto error = parseIntParam(call.query, u"top"_s, 1, 2147483647, &top))
        return *error;
    QString after;
    bool haveCursor = false;
    if (const auto token = call.query.value(u"continuationToken"_s); token && !token->isEmpty()) {
        const auto decoded = QByteArray::fromBase64Encoding(
            token->toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded || !decoded.decoded.startsWith("c:"))
            return badRequest(u"The continuation token is not valid."_s, u"continuationToken"_s);
        after = QString::fromUtf8(decoded.decoded.mid(2));
        haveCursor = true;
    }
    const QStringList members = call.hub.connectionsInGroup(group); // ordered by connection ID
    qsizetype start = 0;
    if (haveCursor)
        start = std::upper_bound(members.cbegin(), members.cend(), after) - members.cbegin();
    qint64 pageSize = maxPageSize.value_or(kMaxPageSize);
    if (top)
        pageSize = std::min(pageSize, *top);
    QJsonArray value;
    qsizetype index = start;
    for (; index < members.size() && value.size() < pageSize; ++index) {
        const Connection *c = call.hub.connection(members.at(index));
        value.append(
            QJsonObject{{u"connectionId"_s, c->id},
                        {u"userId"_s, c->userId ? QJsonValue(*c->userId) : QJsonValue(QJsonValue::Null)}});
    }
    QJsonObject body{{u"value"_s, value}};
    const qint64 remainingTop = top ? *top - value.size() : 1;
    if (index < members.size() && remainingTop > 0 && !value.isEmpty()) {
        const QByteArray cursor =
            QByteArray("c:" + members.at(index - 1).toUtf8())
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        QByteArray next = "http://" + call.host.toUtf8() + call.request.path + '?';
        if (top)
            next += "top=" + QByteArray::number(remainingTop) + '&';
        if (maxPageSize)
            next += "maxpagesize=" + QByteArray::number(*maxPageSize) + '&';
        next += "continuationToken=" + cursor + "&api-version=" + call.apiVersion.toLatin1();
        body.insert(u"nextLink"_s, QString::fromUtf8(next));
    }
    return HttpResponse::json(200, body);
}

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

const QList<Route> &routes()
{
    static const QList<Route> table{
        {"POST", {u":send"_s}, &sendToAll},
        {"POST", {u":closeConnections"_s}, &closeAllConnections},
        {"POST", {u":generateToken"_s}, &generateToken},
        {"POST", {u":addToGroups"_s}, &addToGroups},
        {"POST", {u":removeFromGroups"_s}, &removeFromGroups},
        {"HEAD", {u"connections"_s, u"{connectionId}"_s}, &connectionExists},
        {"DELETE", {u"connections"_s, u"{connectionId}"_s}, &closeConnection},
        {"POST", {u"connections"_s, u"{connectionId}"_s, u":send"_s}, &sendToConnection},
        {"DELETE", {u"connections"_s, u"{connectionId}"_s, u"groups"_s}, &removeConnectionFromAllGroups},
        {"HEAD", {u"groups"_s, u"{group}"_s}, &groupExists},
        {"POST", {u"groups"_s, u"{group}"_s, u":send"_s}, &sendToGroup},
        {"POST", {u"groups"_s, u"{group}"_s, u":closeConnections"_s}, &closeGroupConnections},
        {"GET", {u"groups"_s, u"{group}"_s, u"connections"_s}, &listConnectionsInGroup},
        {"PUT", {u"groups"_s, u"{group}"_s, u"connections"_s, u"{connectionId}"_s}, &addConnectionToGroup},
        {"DELETE",
         {u"groups"_s, u"{group}"_s, u"connections"_s, u"{connectionId}"_s},
         &removeConnectionFromGroup},
        {"HEAD", {u"users"_s, u"{userId}"_s}, &userExists},
        {"POST", {u"users"_s, u"{userId}"_s, u":send"_s}, &sendToUser},
        {"POST", {u"users"_s, u"{userId}"_s, u":closeConnections"_s}, &closeUserConnections},
        {"DELETE", {u"users"_s, u"{userId}"_s, u"groups"_s}, &removeUserFromAllGroups},
        {"PUT", {u"users"_s, u"{userId}"_s, u"groups"_s, u"{group}"_s}, &addUserToGroup},
        {"DELETE", {u"users"_s, u"{userId}"_s, u"groups"_s, u"{group}"_s}, &removeUserFromGroup},
        {"PUT",
         {u"permissions"_s, u"{permission}"_s, u"connections"_s, u"{connectionId}"_s},
         &grantPermission},
        {"DELETE",
         {u"permissions"_s, u"{permission}"_s, u"connections"_s, u"{connectionId}"_s},
         &revokePermission},
        {"HEAD",
         {u"permissions"_s, u"{permission}"_s, u"connections"_s, u"{connectionId}"_s},
         &checkPermission},
    };
    return table;
}

bool matchRoute(const Route &route, const QStringList &segments, QHash<QString, QString> *params)
{
    if (route.pattern.size() != segments.size())
        return false;
    QHash<QString, QString> captured;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const QString &pattern = route.pattern.at(i);
        if (pattern.startsWith(u'{'))
            captured.insert(pattern.mid(1, pattern.size() - 2), segments.at(i));
        else if (pattern.compare(segments.at(i), Qt::CaseInsensitive) != 0)
            return false;
    }
    *params = captured;
    return true;
}

/// Empty when the request carries a valid access-key JWT for its own URL; otherwise why not.
QString authenticate(const HttpRequest &request, const QUrl &requestUrl, const QList<QByteArray> &keys)
{
    const QByteArray authorization = request.header("authorization");
    if (authorization.isEmpty())
        return u"No Authorization header: send 'Authorization: Bearer <access-key JWT>'."_s;
    if (!authorization.toLower().startsWith("bearer "))
        return u"The Authorization header must use the Bearer scheme."_s;
    const QByteArray token = authorization.mid(7).trimmed();
    auto claims = jwt::verifyHs256(token, keys);
    if (!claims)
        return claims.error().message;
    const QStringList audiences = jwt::audiences(*claims);
    for (const QString &aud : audiences)
        if (jwt::audienceMatches(aud, requestUrl, true))
            return {};
    return u"The access token's audience does not match the request URL."_s;
}

HttpResponse unauthorized(const QString &why)
{
    return HttpResponse::json(401, QJsonObject{{u"code"_s, u"Unauthorized"_s}, {u"message"_s, why}});
}

} // namespace

QString decodePathSegment(QByteArrayView raw)
{
    QByteArray out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw.at(i);
        if (c == '%' && i + 2 < raw.size()) {
            const int hi = hexValue(raw.at(i + 1));
            const int lo = hexValue(raw.at(i + 2));
            if (hi >= 0 && lo >= 0) {
                const char decoded = static_cast<char>(hi * 16 + lo);
                if (decoded == '/') {
                    out += raw.sliced(i, 3); // %2F never becomes a path separator
                } else {
                    out += decoded;
                }
                i += 2;
                continue;
            }
        }
        out += c;
    }
    return QString::fromUtf8(out);
}

RestApi::RestApi(HubRegistry &hubs, std::function<QList<QByteArray>()> keys)
    : m_hubs(hubs)
    , m_keys(std::move(keys))
{
}

QByteArray RestApi::supportedVersionsHeader()
{
    return supportedVersions().join(u", "_s).toLatin1();
}

QString RestApi::latestVersion()
{
    return supportedVersions().constLast();
}

HttpResponse RestApi::handle(const HttpRequest &request, const QByteArray &fallbackHost) const
{
    QStringList segments;
    const QList<QByteArray> rawSegments = request.path.split('/');
    for (qsizetype i = 1; i < rawSegments.size(); ++i)
        segments << decodePathSegment(rawSegments.at(i));

    const Query query(request.query);
    const QByteArray hostHeader = request.header("host");
    const QString host = QString::fromUtf8(hostHeader.isEmpty() ? fallbackHost : hostHeader);

    // HEAD /api/health: no authentication, and (as the service) no api-supported-versions header.
    if (segments.size() == 2 && segments.at(1).compare(u"health"_s, Qt::CaseInsensitive) == 0) {
        if (request.method != "HEAD") {
            HttpResponse response = errorResponse(405, u"Error.MethodNotAllowed"_s,
                                                  u"Only HEAD is supported on /api/health."_s, u"Request"_s);
            response.setHeader("Allow", "HEAD");
            return response;
        }
        return HttpResponse::empty(200);
    }

    auto withVersions = [](HttpResponse response) {
        response.setHeader("api-supported-versions", supportedVersionsHeader());
        return response;
    };

    if (segments.size() < 3 || segments.at(1).compare(u"hubs"_s, Qt::CaseInsensitive) != 0)
        return withVersions(
            errorResponse(404, u"Error.NotFound"_s, u"No such REST operation."_s, u"Request"_s));
    const QString hubName = segments.at(2);
    const QStringList rest = segments.mid(3);
    const Route *match = nullptr;
    QHash<QString, QString> params;
    QByteArrayList allowed;
    for (const Route &route : routes()) {
        QHash<QString, QString> captured;
        if (!matchRoute(route, rest, &captured))
            continue;
        allowed << route.method;
        if (route.method == request.method) {
            match = &route;
            params = captured;
        }
    }
    if (!match) {
        if (allowed.isEmpty())
            return withVersions(
                errorResponse(404, u"Error.NotFound"_s, u"No such REST operation."_s, u"Request"_s));
        HttpResponse response = errorResponse(
            405, u"Error.MethodNotAllowed"_s,
            u"Method %1 is not allowed here."_s.arg(QString::fromLatin1(request.method.left(16))),
            u"Request"_s);
        response.setHeader("Allow", allowed.join(", "));
        return withVersions(response);
    }

    const QList<QByteArray> keys = m_keys();
    const QUrl requestUrl(u"http://"_s + host + QString::fromUtf8(request.target), QUrl::TolerantMode);
    if (const EntraCheck entra = EntraValidator::check(request, m_entra.get()); entra.isEntraToken) {
        if (entra.rejection)
            return *entra.rejection;
    } else if (const QString why = authenticate(request, requestUrl, keys); !why.isEmpty()) {
        qCDebug(lcRest) << "refused" << request.method << "with 401:" << why;
        return unauthorized(why);
    }

    QString apiVersion = query.value(u"api-version"_s).value_or(QString());
    if (apiVersion.isEmpty())
        apiVersion = latestVersion();
    if (!supportedVersions().contains(apiVersion))
        return withVersions(badRequest(u"The specified API version is not supported."_s, u"api-version"_s));

    if (auto error = checkName(names::checkHub(hubName), u"hub"_s))
        return withVersions(*error);

    Call call{request, query, params, m_hubs.hub(hubName), hubName, host, apiVersion, keys};
    HttpResponse response = match->operation(call);
    if (response.header("content-type").startsWith("application/problem+json"))
        return response; // the recorded filter error carries no api-supported-versions header
    return withVersions(response);
}

} // namespace wps::emulator
