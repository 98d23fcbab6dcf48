#pragma once

#include "common/expected.h"
#include "protocol/clienttoken.h"
#include "protocol/connectionstring.h"
#include "service/credential.h"
#include "service/httpjob.h"
#include "service/httptrace.h"
#include "service/serviceerror.h"
#include "service/servicejob.h"
#include "service/serviceoptions.h"

#include <QByteArray>
#include <QNetworkRequest>
#include <QObject>
#include <QStringList>

#include <memory>
#include <optional>

namespace wps::service {

/// A message body and its content type (docs/protocol.md#paths-names-and-bodies: JSON, text or binary).
struct Message
{
    QByteArray data;
    QByteArray contentType = QByteArrayLiteral("text/plain");

    static Message json(QByteArray data) { return {std::move(data), QByteArrayLiteral("application/json")}; }
    static Message text(const QString &text) { return {text.toUtf8(), QByteArrayLiteral("text/plain")}; }
    static Message binary(QByteArray data)
    {
        return {std::move(data), QByteArrayLiteral("application/octet-stream")};
    }
};

/// Options of the send operations. `excluded` only applies to all/group, `filter` to all/group/user.
struct SendOptions
{
    QStringList excluded;
    QString filter;                       ///< OData filter (docs/protocol.md#odata-filters); empty for none
    std::optional<int> messageTtlSeconds; ///< 0..300
};

/// Options of the close operations. `excluded` does not apply to closeConnection.
struct CloseOptions
{
    QString reason;
    QStringList excluded;
};

/// Paging of listConnectionsInGroup.
struct ListOptions
{
    std::optional<int> maxPageSize; ///< 1..200
    std::optional<int> top;         ///< >= 1: at most this many members overall
};

/// `:generateToken` parameters.
struct GenerateTokenOptions
{
    QString userId;
    QStringList roles;
    QStringList groups;
    std::optional<int> minutesToExpire; ///< >= 1; the service's default is 60
    ClientProtocol clientType = ClientProtocol::Default;
};

/// The REST client of one Web PubSub connection and hub: every data-plane operation of api-version 2024-12-01
/// (docs/protocol.md#operations), asynchronous over QNetworkAccessManager.
///
/// Each call returns a job parented to this client that emits finished() exactly once (docs/style.md rule 7).
/// Invalid input is refused before anything is sent. Every request comes from one factory (auth, api-version,
/// User-Agent, timeouts) and goes through the retry policy in ServiceClientOptions; every request and
/// response is reported, redacted, through traced() for the trace panel.
class ServiceClient : public HttpClient
{
    Q_OBJECT
public:
    /// A client that signs with the connection string's access key.
    ServiceClient(const ConnectionString &connection, QString hub, QObject *parent = nullptr);
    /// A client with any credential (e.g. Entra ID later); \a endpoint as in ConnectionString::endpoint().
    ServiceClient(QUrl endpoint, QString hub, std::shared_ptr<const Credential> credential,
                  QObject *parent = nullptr);
    ~ServiceClient() override;

    QString hub() const { return m_hub; }
    QUrl endpoint() const { return m_connection.endpoint(); }
    const ServiceClientOptions &options() const { return m_options; }
    /// Applies to calls made afterwards.
    void setOptions(const ServiceClientOptions &options) { m_options = options; }
    HttpOptions httpOptions() const override;
    /// The endpoint: the only place a nextLink may lead.
    QUrl origin() const override { return endpoint(); }

    // Messaging (202).
    ServiceJob *sendToAll(const Message &message, const SendOptions &options = {});
    ServiceJob *sendToUser(const QString &userId, const Message &message, const SendOptions &options = {});
    ServiceJob *sendToGroup(const QString &group, const Message &message, const SendOptions &options = {});
    ServiceJob *sendToConnection(const QString &connectionId, const Message &message,
                                 const SendOptions &options = {});

    // Group membership.
    ServiceJob *addConnectionToGroup(const QString &group, const QString &connectionId);
    ServiceJob *removeConnectionFromGroup(const QString &group, const QString &connectionId);
    ServiceJob *removeConnectionFromAllGroups(const QString &connectionId);
    ServiceJob *addUserToGroup(const QString &group, const QString &userId);
    ServiceJob *removeUserFromGroup(const QString &group, const QString &userId);
    ServiceJob *removeUserFromAllGroups(const QString &userId);
    /// `:addToGroups`: adds every connection matching \a filter (all when empty) to \a groups.
    ServiceJob *addConnectionsToGroups(const QStringList &groups, const QString &filter = {});
    /// `:removeFromGroups`: the reverse of addConnectionsToGroups().
    ServiceJob *removeConnectionsFromGroups(const QStringList &groups, const QString &filter = {});
    ListConnectionsJob *listConnectionsInGroup(const QString &group, const ListOptions &options = {});

    // Existence checks (HEAD; 404 means false).
    ExistsJob *connectionExists(const QString &connectionId);
    ExistsJob *userExists(const QString &userId);
    ExistsJob *groupExists(const QString &group);

    // Closing connections (204).
    ServiceJob *closeConnection(const QString &connectionId, const QString &reason = {});
    ServiceJob *closeAllConnections(const CloseOptions &options = {});
    ServiceJob *closeGroupConnections(const QString &group, const CloseOptions &options = {});
    ServiceJob *closeUserConnections(const QString &userId, const CloseOptions &options = {});

    // Permissions: \a permission is sendToGroup or joinLeaveGroup, \a targetName the group.
    ServiceJob *grantPermission(const QString &permission, const QString &connectionId,
                                const QString &targetName);
    ServiceJob *revokePermission(const QString &permission, const QString &connectionId,
                                 const QString &targetName);
    ExistsJob *checkPermission(const QString &permission, const QString &connectionId,
                               const QString &targetName);

    // Tokens.
    TokenJob *generateClientToken(const GenerateTokenOptions &options = {});
    /// Makes a client token locally with the access key (no HTTP call), as the SDKs' getClientAccessToken().
    /// Fails with InvalidInput when the client has no access key or the hub name is invalid.
    Expected<ClientAccess, ServiceError> makeClientAccess(const ClientTokenOptions &options) const;

    /// `HEAD /api/health`: succeeds on 200.
    ServiceJob *health();

    /// `{endpoint}/api/hubs/{hub}` + \a path, with api-version first and then \a query (already encoded).
    QUrl hubUrl(const QString &path, const QList<QPair<QString, QString>> &query = {}) const;

private:
    friend class ServiceJob;
    template <typename Job, typename... Extra>
    Job *makeJob(const QString &operation, ServiceRequest request, const QString &invalid, Extra &&...extra);
    ServiceJob *send(const QString &operation, const QString &path, const QString &invalid,
                     const Message &message, const SendOptions &options, bool allowExcluded, bool allowFilter,
                     const QString &target);
    ServiceJob *simple(const QString &operation, const QByteArray &method, const QString &path,
                       const QList<QPair<QString, QString>> &query, const QString &invalid, int success,
                       const QString &target);
    ServiceJob *groupsBulk(const QString &operation, const QString &path, const QStringList &groups,
                           const QString &filter);
    QString checkHub() const;

    ConnectionString m_connection;
    QString m_hub;
    ServiceClientOptions m_options;
};

/// Percent-encodes one path segment (everything but unreserved characters).
QString encodePathSegment(const QString &value);

} // namespace wps::service
