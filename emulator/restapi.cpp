#include "emulator/restapi.h"

#include "emulator/hubstate.h"
#include "emulator/restapi_p.h"
#include "protocol/jwt.h"
#include "protocol/names.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QUrl>

#include <optional>
#include <variant>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcRest, "wps.emulator.rest")

namespace wps::emulator {

using namespace rest;

namespace {

const QStringList &supportedVersions()
{
    static const QStringList versions{u"2021-10-01"_s, u"2022-11-01"_s, u"2023-07-01"_s, u"2024-01-01"_s,
                                      u"2024-12-01"_s};
    return versions;
}

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

struct Route
{
    QByteArray method;
    QStringList pattern; ///< literal segments, or {name} parameters
    Operation operation;
};

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

HttpResponse withVersions(HttpResponse response)
{
    response.setHeader("api-supported-versions", RestApi::supportedVersionsHeader());
    return response;
}

HttpResponse noSuchOperation()
{
    return withVersions(errorResponse(404, u"Error.NotFound"_s, u"No such REST operation."_s, u"Request"_s));
}

/// HEAD /api/health: no authentication, and (as the service) no api-supported-versions header.
HttpResponse health(const HttpRequest &request)
{
    if (request.method != "HEAD") {
        HttpResponse response = errorResponse(405, u"Error.MethodNotAllowed"_s,
                                              u"Only HEAD is supported on /api/health."_s, u"Request"_s);
        response.setHeader("Allow", "HEAD");
        return response;
    }
    return HttpResponse::empty(200);
}

/// The route for \a method on the path \a rest (after /api/hubs/{hub}) with its parameters in \a params;
/// or the 404 (no such path) or 405 (with Allow) refusal.
std::variant<const Route *, HttpResponse> findRoute(const QByteArray &method, const QStringList &rest,
                                                    QHash<QString, QString> *params)
{
    const Route *match = nullptr;
    QByteArrayList allowed;
    for (const Route &route : routes()) {
        QHash<QString, QString> captured;
        if (!matchRoute(route, rest, &captured))
            continue;
        allowed << route.method;
        if (route.method == method) {
            match = &route;
            *params = captured;
        }
    }
    if (match)
        return match;
    if (allowed.isEmpty())
        return noSuchOperation();
    HttpResponse response = errorResponse(
        405, u"Error.MethodNotAllowed"_s,
        u"Method %1 is not allowed here."_s.arg(QString::fromLatin1(method.left(16))), u"Request"_s);
    response.setHeader("Allow", allowed.join(", "));
    return withVersions(response);
}

/// The request's api-version (the latest when it names none) into \a version, or the 400 refusal.
std::optional<HttpResponse> apiVersion(const Query &query, QString *version)
{
    *version = query.value(u"api-version"_s).value_or(QString());
    if (version->isEmpty())
        *version = RestApi::latestVersion();
    if (!supportedVersions().contains(*version))
        return withVersions(badRequest(u"The specified API version is not supported."_s, u"api-version"_s));
    return std::nullopt;
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

    if (segments.size() == 2 && segments.at(1).compare(u"health"_s, Qt::CaseInsensitive) == 0)
        return health(request);
    if (segments.size() < 3 || segments.at(1).compare(u"hubs"_s, Qt::CaseInsensitive) != 0)
        return noSuchOperation();
    const QString hubName = segments.at(2);
    QHash<QString, QString> params;
    const auto route = findRoute(request.method, segments.mid(3), &params);
    if (const auto *refusal = std::get_if<HttpResponse>(&route))
        return *refusal;

    const QList<QByteArray> keys = m_keys();
    if (auto refusal = authorize(request, host, keys))
        return *refusal;
    QString version;
    if (auto refusal = apiVersion(query, &version))
        return *refusal;
    if (auto error = checkName(names::checkHub(hubName), u"hub"_s))
        return withVersions(*error);

    Call call{request, query, params, m_hubs.hub(hubName), hubName, host, version, keys};
    HttpResponse response = std::get<const Route *>(route)->operation(call);
    if (response.header("content-type").startsWith("application/problem+json"))
        return response; // the recorded filter error carries no api-supported-versions header
    return withVersions(response);
}

std::optional<HttpResponse> RestApi::authorize(const HttpRequest &request, const QString &host,
                                               const QList<QByteArray> &keys) const
{
    const QUrl requestUrl(u"http://"_s + host + QString::fromUtf8(request.target), QUrl::TolerantMode);
    if (const EntraCheck entra = EntraValidator::check(request, m_entra.get()); entra.isEntraToken)
        return entra.rejection;
    if (const QString why = authenticate(request, requestUrl, keys); !why.isEmpty()) {
        qCDebug(lcRest) << "refused" << request.method << "with 401:" << why;
        return unauthorized(why);
    }
    return std::nullopt;
}

} // namespace wps::emulator
