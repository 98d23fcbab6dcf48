// The REST operations on connections (emulator/restapi_p.h): send to all, a connection, a group or a
// user; close connections; whether a connection exists.

#include "emulator/hubstate.h"
#include "emulator/restapi_p.h"
#include "protocol/jsontext.h"
#include "protocol/names.h"

#include <QSet>

#include <chrono>

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator::rest {

namespace {

const QString kDefaultCloseReason = u"Closed by REST API."_s;

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

} // namespace

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
    return existsCheck(
        call, u"connectionId"_s, names::checkConnectionId,
        [](const HubState &hub, const QString &id) { return hub.connection(id) != nullptr; },
        u"Connection"_s);
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

} // namespace wps::emulator::rest
