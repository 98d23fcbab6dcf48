#pragma once

// Internals of the REST API (emulator/restapi.h), shared by its files: restapi.cpp (routing, the route table,
// authentication, api-version), restapi_request.cpp (the query, the service's error answers and the
// parameter checks every operation uses) and the operations by subject: restapi_connections.cpp (send,
// close, existence of a connection), restapi_groups.cpp (groups and users: existence, membership, listing)
// and restapi_access.cpp (permissions, client tokens). Not for use outside them.

#include "emulator/httpserver.h"
#include "protocol/filter.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace wps::emulator {

class HubState;
struct Connection;

namespace rest {

/// Query parameters, decoded once (%2F does become '/' here; '+' stays '+'). Names are case-insensitive.
class Query
{
public:
    explicit Query(QByteArrayView raw);
    std::optional<QString> value(const QString &name) const;
    QStringList values(const QString &name) const;

private:
    QList<QPair<QString, QString>> m_items;
};

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

/// One REST operation: the answer to a routed, authenticated request.
using Operation = HttpResponse (*)(Call &call);

// --- the service's error answers and parameter checks (restapi_request.cpp) ------------------------------

/// The service's error document (code, message, target) with its x-ms-error-code header.
HttpResponse errorResponse(int status, const QString &code, const QString &message, const QString &target);
HttpResponse badRequest(const QString &message, const QString &target);
/// "<kind> `<id>` is not found." with \a code.
HttpResponse notExisted(int status, const QString &code, const QString &kind, const QString &id);
/// A 400 naming \a target when a names:: check gave an \a error.
std::optional<HttpResponse> checkName(const QString &error, const QString &target);
/// The exists checks (group, user, connection): the path parameter \a param, validated by \a check, then 200
/// when \a exists says so, else 404 "<kind> `<id>` is not found." with the service's
/// `Warning.<kind>.NotExisted`.
HttpResponse existsCheck(Call &call, const QString &param, QString (*check)(const QString &),
                         bool (*exists)(const HubState &hub, const QString &id), const QString &kind);
/// The optional integer parameter \a name in [\a min, \a max] into \a out; a 400 when it is not one.
std::optional<HttpResponse> parseIntParam(const Query &query, const QString &name, qint64 min, qint64 max,
                                          std::optional<qint64> *out);
/// Parses the optional filter; an invalid one is the problem document of docs/protocol.md#error-model.
std::optional<HttpResponse> parseFilter(const QString &text, std::optional<filter::Expression> *out);
/// Whether connection \a c is selected by \a expression (no filter selects every connection).
bool matches(const std::optional<filter::Expression> &expression, const Connection &c);

// --- operations on connections (restapi_connections.cpp) --------------------------------------------------

HttpResponse sendToAll(Call &call);
HttpResponse sendToConnection(Call &call);
HttpResponse sendToGroup(Call &call);
HttpResponse sendToUser(Call &call);
HttpResponse connectionExists(Call &call);
HttpResponse closeConnection(Call &call);
HttpResponse closeAllConnections(Call &call);
HttpResponse closeGroupConnections(Call &call);
HttpResponse closeUserConnections(Call &call);

// --- groups and users (restapi_groups.cpp) ----------------------------------------------------------------

HttpResponse groupExists(Call &call);
HttpResponse userExists(Call &call);
HttpResponse addConnectionToGroup(Call &call);
HttpResponse removeConnectionFromGroup(Call &call);
HttpResponse removeConnectionFromAllGroups(Call &call);
HttpResponse addUserToGroup(Call &call);
HttpResponse removeUserFromGroup(Call &call);
HttpResponse removeUserFromAllGroups(Call &call);
HttpResponse addToGroups(Call &call);
HttpResponse removeFromGroups(Call &call);
HttpResponse listConnectionsInGroup(Call &call);

// --- permissions and client tokens (restapi_access.cpp) ---------------------------------------------------

HttpResponse grantPermission(Call &call);
HttpResponse revokePermission(Call &call);
HttpResponse checkPermission(Call &call);
HttpResponse generateToken(Call &call);

} // namespace rest
} // namespace wps::emulator
