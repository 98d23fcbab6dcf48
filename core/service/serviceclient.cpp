#include "service/serviceclient.h"

#include "protocol/names.h"
#include "service/servicelogging.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>

Q_LOGGING_CATEGORY(lcService, "wps.service")

using namespace Qt::Literals::StringLiterals;

namespace wps::service {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::service", text);
}

using Query = QList<QPair<QString, QString>>;

QString quoted(const QString &what, const QString &value)
{
    return what + u" '"_s + value.left(128) + u'\'';
}

/// The first non-empty message wins: validation stops at the first problem.
QString firstProblem(std::initializer_list<QString> problems)
{
    for (const QString &problem : problems)
        if (!problem.isEmpty())
            return problem;
    return {};
}

QString checkTtl(const std::optional<int> &ttl)
{
    if (ttl && (*ttl < 0 || *ttl > 300))
        return tr("messageTtlSeconds must be from 0 to 300, not %1.").arg(*ttl);
    return {};
}

QString checkExcluded(const QStringList &excluded)
{
    for (const QString &id : excluded)
        if (id.isEmpty())
            return tr("An excluded connection ID is empty.");
    return {};
}

QString checkGroups(const QStringList &groups)
{
    if (groups.isEmpty())
        return tr("At least one group is needed.");
    for (const QString &group : groups)
        if (QString problem = names::checkGroup(group); !problem.isEmpty())
            return problem;
    return {};
}

} // namespace

QString encodePathSegment(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

ServiceClient::ServiceClient(const ConnectionString &connection, QString hub, QObject *parent)
    : ServiceClient(connection.endpoint(), std::move(hub),
                    std::make_shared<AccessKeyCredential>(connection.accessKey()), parent)
{
    m_connection = connection;
}

ServiceClient::ServiceClient(QUrl endpoint, QString hub, std::shared_ptr<const Credential> credential,
                             QObject *parent)
    : HttpClient(std::move(credential), lcService, parent)
    , m_connection(std::move(endpoint), QString())
    , m_hub(std::move(hub))
{
}

ServiceClient::~ServiceClient() = default;

HttpOptions ServiceClient::httpOptions() const
{
    return engineOptions(m_options);
}

QUrl ServiceClient::hubUrl(const QString &path, const Query &query) const
{
    QString queryText =
        u"api-version="_s + QString::fromLatin1(QUrl::toPercentEncoding(m_options.apiVersion));
    for (const auto &[name, value] : query)
        queryText += u'&' + name + u'=' + QString::fromLatin1(QUrl::toPercentEncoding(value));
    QUrl url = m_connection.resolve(QString(u"/api/hubs/"_s + encodePathSegment(m_hub) + path));
    url.setQuery(queryText, QUrl::StrictMode);
    return url;
}

QString ServiceClient::checkHub() const
{
    return names::checkHub(m_hub);
}

template <typename Job, typename... Extra>
Job *ServiceClient::makeJob(const QString &operation, ServiceRequest request, const QString &invalid,
                            Extra &&...extra)
{
    const QString target = request.target;
    auto *job = new Job(this, operation, std::move(request), std::forward<Extra>(extra)...);
    if (!invalid.isEmpty())
        job->failEarly({ServiceError::Kind::InvalidInput, 0, {}, invalid, {}, target});
    job->start();
    return job;
}

ServiceJob *ServiceClient::send(const QString &operation, const QString &path, const QString &invalid,
                                const Message &message, const SendOptions &options, bool allowExcluded,
                                bool allowFilter, const QString &target)
{
    QString problem = firstProblem(
        {checkHub(), invalid, checkTtl(options.messageTtlSeconds), checkExcluded(options.excluded)});
    if (problem.isEmpty() && !allowExcluded && !options.excluded.isEmpty())
        problem = tr("%1 does not take excluded connections.").arg(operation);
    if (problem.isEmpty() && !allowFilter && !options.filter.isEmpty())
        problem = tr("%1 does not take a filter.").arg(operation);
    if (problem.isEmpty() && message.contentType.trimmed().isEmpty())
        problem = tr("The message has no content type.");
    Query query;
    for (const QString &id : options.excluded)
        query.append({u"excluded"_s, id});
    if (!options.filter.isEmpty())
        query.append({u"filter"_s, options.filter});
    if (options.messageTtlSeconds)
        query.append({u"messageTtlSeconds"_s, QString::number(*options.messageTtlSeconds)});
    ServiceRequest request;
    request.method = "POST";
    request.url = hubUrl(path, query);
    request.body = message.data;
    request.contentType = message.contentType;
    request.successStatuses = {202};
    request.isSend = true;
    request.target = target;
    return makeJob<ServiceJob>(operation, std::move(request), problem);
}

ServiceJob *ServiceClient::sendToAll(const Message &message, const SendOptions &options)
{
    return send(u"sendToAll"_s, u"/:send"_s, {}, message, options, true, true, tr("hub '%1'").arg(m_hub));
}

ServiceJob *ServiceClient::sendToUser(const QString &userId, const Message &message,
                                      const SendOptions &options)
{
    return send(u"sendToUser"_s, u"/users/"_s + encodePathSegment(userId) + u"/:send"_s,
                names::checkUserId(userId), message, options, false, true, quoted(tr("user"), userId));
}

ServiceJob *ServiceClient::sendToGroup(const QString &group, const Message &message,
                                       const SendOptions &options)
{
    return send(u"sendToGroup"_s, u"/groups/"_s + encodePathSegment(group) + u"/:send"_s,
                names::checkGroup(group), message, options, true, true, quoted(tr("group"), group));
}

ServiceJob *ServiceClient::sendToConnection(const QString &connectionId, const Message &message,
                                            const SendOptions &options)
{
    return send(u"sendToConnection"_s, u"/connections/"_s + encodePathSegment(connectionId) + u"/:send"_s,
                names::checkConnectionId(connectionId), message, options, false, false,
                quoted(tr("connection"), connectionId));
}

ServiceJob *ServiceClient::simple(const QString &operation, const QByteArray &method, const QString &path,
                                  const Query &query, const QString &invalid, int success,
                                  const QString &target)
{
    ServiceRequest request;
    request.method = method;
    request.url = hubUrl(path, query);
    request.successStatuses = {success};
    request.target = target;
    return makeJob<ServiceJob>(operation, std::move(request), firstProblem({checkHub(), invalid}));
}

ServiceJob *ServiceClient::addConnectionToGroup(const QString &group, const QString &connectionId)
{
    return simple(u"addConnectionToGroup"_s, "PUT",
                  u"/groups/"_s + encodePathSegment(group) + u"/connections/"_s +
                      encodePathSegment(connectionId),
                  {}, firstProblem({names::checkGroup(group), names::checkConnectionId(connectionId)}), 200,
                  quoted(tr("connection"), connectionId));
}

ServiceJob *ServiceClient::removeConnectionFromGroup(const QString &group, const QString &connectionId)
{
    return simple(u"removeConnectionFromGroup"_s, "DELETE",
                  u"/groups/"_s + encodePathSegment(group) + u"/connections/"_s +
                      encodePathSegment(connectionId),
                  {}, firstProblem({names::checkGroup(group), names::checkConnectionId(connectionId)}), 204,
                  quoted(tr("connection"), connectionId));
}

ServiceJob *ServiceClient::removeConnectionFromAllGroups(const QString &connectionId)
{
    return simple(u"removeConnectionFromAllGroups"_s, "DELETE",
                  u"/connections/"_s + encodePathSegment(connectionId) + u"/groups"_s, {},
                  names::checkConnectionId(connectionId), 204, quoted(tr("connection"), connectionId));
}

ServiceJob *ServiceClient::addUserToGroup(const QString &group, const QString &userId)
{
    return simple(u"addUserToGroup"_s, "PUT",
                  u"/users/"_s + encodePathSegment(userId) + u"/groups/"_s + encodePathSegment(group), {},
                  firstProblem({names::checkGroup(group), names::checkUserId(userId)}), 200,
                  quoted(tr("user"), userId));
}

ServiceJob *ServiceClient::removeUserFromGroup(const QString &group, const QString &userId)
{
    return simple(u"removeUserFromGroup"_s, "DELETE",
                  u"/users/"_s + encodePathSegment(userId) + u"/groups/"_s + encodePathSegment(group), {},
                  firstProblem({names::checkGroup(group), names::checkUserId(userId)}), 204,
                  quoted(tr("user"), userId));
}

ServiceJob *ServiceClient::removeUserFromAllGroups(const QString &userId)
{
    return simple(u"removeUserFromAllGroups"_s, "DELETE",
                  u"/users/"_s + encodePathSegment(userId) + u"/groups"_s, {}, names::checkUserId(userId),
                  204, quoted(tr("user"), userId));
}

ServiceJob *ServiceClient::groupsBulk(const QString &operation, const QString &path,
                                      const QStringList &groups, const QString &filter)
{
    QJsonObject body;
    body.insert(u"groups"_s, QJsonArray::fromStringList(groups));
    if (!filter.isEmpty())
        body.insert(u"filter"_s, filter);
    ServiceRequest request;
    request.method = "POST";
    request.url = hubUrl(path);
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    request.contentType = "application/json";
    request.successStatuses = {200};
    request.target = tr("groups %1").arg(groups.join(u", "_s).left(256));
    return makeJob<ServiceJob>(operation, std::move(request),
                               firstProblem({checkHub(), checkGroups(groups)}));
}

ServiceJob *ServiceClient::addConnectionsToGroups(const QStringList &groups, const QString &filter)
{
    return groupsBulk(u"addConnectionsToGroups"_s, u"/:addToGroups"_s, groups, filter);
}

ServiceJob *ServiceClient::removeConnectionsFromGroups(const QStringList &groups, const QString &filter)
{
    return groupsBulk(u"removeConnectionsFromGroups"_s, u"/:removeFromGroups"_s, groups, filter);
}

ListConnectionsJob *ServiceClient::listConnectionsInGroup(const QString &group, const ListOptions &options)
{
    QString problem = firstProblem({checkHub(), names::checkGroup(group)});
    if (problem.isEmpty() && options.maxPageSize && (*options.maxPageSize < 1 || *options.maxPageSize > 200))
        problem = tr("maxpagesize must be from 1 to 200, not %1.").arg(*options.maxPageSize);
    if (problem.isEmpty() && options.top && *options.top < 1)
        problem = tr("top must be at least 1, not %1.").arg(*options.top);
    Query query;
    if (options.maxPageSize)
        query.append({u"maxpagesize"_s, QString::number(*options.maxPageSize)});
    if (options.top)
        query.append({u"top"_s, QString::number(*options.top)});
    ServiceRequest request;
    request.method = "GET";
    request.url = hubUrl(u"/groups/"_s + encodePathSegment(group) + u"/connections"_s, query);
    request.successStatuses = {200};
    request.target = quoted(tr("group"), group);
    return makeJob<ListConnectionsJob>(u"listConnectionsInGroup"_s, std::move(request), problem);
}

namespace {
ServiceRequest headRequest(QUrl url, QString target)
{
    ServiceRequest request;
    request.method = "HEAD";
    request.url = std::move(url);
    request.successStatuses = {200};
    request.notFoundIsFalse = true;
    request.target = std::move(target);
    return request;
}
} // namespace

ExistsJob *ServiceClient::connectionExists(const QString &connectionId)
{
    return makeJob<ExistsJob>(u"connectionExists"_s,
                              headRequest(hubUrl(u"/connections/"_s + encodePathSegment(connectionId)),
                                          quoted(tr("connection"), connectionId)),
                              firstProblem({checkHub(), names::checkConnectionId(connectionId)}));
}

ExistsJob *ServiceClient::userExists(const QString &userId)
{
    return makeJob<ExistsJob>(
        u"userExists"_s,
        headRequest(hubUrl(u"/users/"_s + encodePathSegment(userId)), quoted(tr("user"), userId)),
        firstProblem({checkHub(), names::checkUserId(userId)}));
}

ExistsJob *ServiceClient::groupExists(const QString &group)
{
    return makeJob<ExistsJob>(
        u"groupExists"_s,
        headRequest(hubUrl(u"/groups/"_s + encodePathSegment(group)), quoted(tr("group"), group)),
        firstProblem({checkHub(), names::checkGroup(group)}));
}

ServiceJob *ServiceClient::closeConnection(const QString &connectionId, const QString &reason)
{
    Query query;
    if (!reason.isEmpty())
        query.append({u"reason"_s, reason});
    return simple(u"closeConnection"_s, "DELETE", u"/connections/"_s + encodePathSegment(connectionId), query,
                  names::checkConnectionId(connectionId), 204, quoted(tr("connection"), connectionId));
}

namespace {
Query closeQuery(const CloseOptions &options)
{
    Query query;
    for (const QString &id : options.excluded)
        query.append({u"excluded"_s, id});
    if (!options.reason.isEmpty())
        query.append({u"reason"_s, options.reason});
    return query;
}
} // namespace

ServiceJob *ServiceClient::closeAllConnections(const CloseOptions &options)
{
    return simple(u"closeAllConnections"_s, "POST", u"/:closeConnections"_s, closeQuery(options),
                  checkExcluded(options.excluded), 204, tr("hub '%1'").arg(m_hub));
}

ServiceJob *ServiceClient::closeGroupConnections(const QString &group, const CloseOptions &options)
{
    return simple(u"closeGroupConnections"_s, "POST",
                  u"/groups/"_s + encodePathSegment(group) + u"/:closeConnections"_s, closeQuery(options),
                  firstProblem({names::checkGroup(group), checkExcluded(options.excluded)}), 204,
                  quoted(tr("group"), group));
}

ServiceJob *ServiceClient::closeUserConnections(const QString &userId, const CloseOptions &options)
{
    return simple(u"closeUserConnections"_s, "POST",
                  u"/users/"_s + encodePathSegment(userId) + u"/:closeConnections"_s, closeQuery(options),
                  firstProblem({names::checkUserId(userId), checkExcluded(options.excluded)}), 204,
                  quoted(tr("user"), userId));
}

namespace {
QString permissionPath(const QString &permission, const QString &connectionId)
{
    return u"/permissions/"_s + encodePathSegment(permission) + u"/connections/"_s +
           encodePathSegment(connectionId);
}
QString checkPermissionInput(const QString &permission, const QString &connectionId,
                             const QString &targetName)
{
    return firstProblem({names::checkPermission(permission), names::checkConnectionId(connectionId),
                         names::checkGroup(targetName)});
}
} // namespace

ServiceJob *ServiceClient::grantPermission(const QString &permission, const QString &connectionId,
                                           const QString &targetName)
{
    return simple(u"grantPermission"_s, "PUT", permissionPath(permission, connectionId),
                  {{u"targetName"_s, targetName}}, checkPermissionInput(permission, connectionId, targetName),
                  200, quoted(tr("connection"), connectionId));
}

ServiceJob *ServiceClient::revokePermission(const QString &permission, const QString &connectionId,
                                            const QString &targetName)
{
    return simple(u"revokePermission"_s, "DELETE", permissionPath(permission, connectionId),
                  {{u"targetName"_s, targetName}}, checkPermissionInput(permission, connectionId, targetName),
                  204, quoted(tr("connection"), connectionId));
}

ExistsJob *ServiceClient::checkPermission(const QString &permission, const QString &connectionId,
                                          const QString &targetName)
{
    return makeJob<ExistsJob>(
        u"checkPermission"_s,
        headRequest(hubUrl(permissionPath(permission, connectionId), {{u"targetName"_s, targetName}}),
                    quoted(tr("connection"), connectionId)),
        firstProblem({checkHub(), checkPermissionInput(permission, connectionId, targetName)}));
}

TokenJob *ServiceClient::generateClientToken(const GenerateTokenOptions &options)
{
    QString problem = checkHub();
    if (problem.isEmpty() && options.minutesToExpire && *options.minutesToExpire < 1)
        problem = tr("minutesToExpire must be at least 1, not %1.").arg(*options.minutesToExpire);
    for (const QString &role : options.roles)
        if (problem.isEmpty() && role.trimmed().isEmpty())
            problem = tr("A role is empty.");
    for (const QString &group : options.groups)
        if (problem.isEmpty())
            problem = names::checkGroup(group);
    Query query;
    if (!options.userId.isEmpty())
        query.append({u"userId"_s, options.userId});
    for (const QString &role : options.roles)
        query.append({u"role"_s, role});
    if (options.minutesToExpire)
        query.append({u"minutesToExpire"_s, QString::number(*options.minutesToExpire)});
    for (const QString &group : options.groups)
        query.append({u"group"_s, group});
    if (options.clientType != ClientProtocol::Default)
        query.append({u"clientType"_s, clientProtocolName(options.clientType)});
    ServiceRequest request;
    request.method = "POST";
    request.url = hubUrl(u"/:generateToken"_s, query);
    request.successStatuses = {200};
    request.target = tr("hub '%1'").arg(m_hub);
    return makeJob<TokenJob>(u"generateClientToken"_s, std::move(request), problem, options.clientType);
}

Expected<ClientAccess, ServiceError> ServiceClient::makeClientAccess(const ClientTokenOptions &options) const
{
    using R = Expected<ClientAccess, ServiceError>;
    QString problem = checkHub();
    if (problem.isEmpty() && !m_connection.hasAccessKey())
        problem = tr("Making a client token locally needs an access key.");
    if (problem.isEmpty() && options.lifetime.count() < 1)
        problem = tr("The token lifetime must be at least one minute.");
    for (const QString &group : options.groups)
        if (problem.isEmpty())
            problem = names::checkGroup(group);
    if (!problem.isEmpty())
        return R::failure({ServiceError::Kind::InvalidInput, 0, {}, problem, {}, tr("hub '%1'").arg(m_hub)});
    return wps::makeClientAccess(m_connection, m_hub, options);
}

ServiceJob *ServiceClient::health()
{
    ServiceRequest request;
    request.method = "HEAD";
    request.url = m_connection.resolve(u"/api/health"_s);
    request.url.setQuery(u"api-version="_s + m_options.apiVersion, QUrl::StrictMode);
    request.successStatuses = {200};
    request.target = tr("service health");
    return makeJob<ServiceJob>(u"health"_s, std::move(request), QString());
}

} // namespace wps::service
