// The REST operations on groups and users (emulator/restapi_p.h): whether one exists, membership of
// connections and users (one by one or in bulk by filter), and the paged list of a group's connections.

#include "emulator/hubstate.h"
#include "emulator/restapi_p.h"
#include "protocol/names.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator::rest {

namespace {

constexpr int kMaxPageSize = 200;

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

} // namespace

HttpResponse groupExists(Call &call)
{
    return existsCheck(
        call, u"group"_s, names::checkGroup,
        [](const HubState &hub, const QString &group) { return hub.hasGroup(group); }, u"Group"_s);
}

HttpResponse userExists(Call &call)
{
    return existsCheck(
        call, u"userId"_s, names::checkUserId,
        [](const HubState &hub, const QString &user) { return hub.hasUser(user); }, u"User"_s);
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

} // namespace wps::emulator::rest
