#pragma once

#include "protocol/clienttoken.h"
#include "service/httpjob.h"
#include "service/serviceerror.h"

#include <QList>
#include <QUrl>

namespace wps::service {

class ServiceClient;

/// What one job sends; made by ServiceClient, read by the job on every attempt.
struct ServiceRequest
{
    QByteArray method; ///< GET, HEAD, PUT, POST or DELETE
    QUrl url;          ///< includes api-version
    QByteArray body;
    QByteArray contentType; ///< empty for no body
    QList<int> successStatuses;
    bool notFoundIsFalse = false; ///< exists/check calls: 404 is the answer "false", not an error
    bool isSend = false;          ///< a `:send`: not retried once it may have reached the service
    QString target;               ///< what the call is about, e.g. "group 'g1'", for error texts
};

/// One data-plane REST call on the shared job engine (HttpJob): adds the data plane's error reading
/// (`x-ms-error-code`, the body's code/message/target, clear texts for 401 and unexpected statuses) and the
/// `exists` convention. Parented to its ServiceClient; see HttpJob for the life cycle.
class ServiceJob : public HttpJob
{
    Q_OBJECT
public:
    ~ServiceJob() override;

protected:
    friend class ServiceClient;
    ServiceJob(ServiceClient *client, QString operation, ServiceRequest request);

    ServiceError errorFor(const HttpAnswer &answer) const override;
    ServiceClient *client() const;

private:
    QList<int> m_expected;
};

/// connectionExists / userExists / groupExists / checkPermission: 200 is true, 404 is false.
class ExistsJob : public ServiceJob
{
    Q_OBJECT
public:
    bool exists() const { return m_exists; }

protected:
    friend class ServiceClient;
    using ServiceJob::ServiceJob;
    bool handleSuccess(int status, const QByteArray &body) override;

private:
    bool m_exists = false;
};

/// `:generateToken`: the token the service made and the client URL built from it.
class TokenJob : public ServiceJob
{
    Q_OBJECT
public:
    ClientAccess access() const { return m_access; }

protected:
    friend class ServiceClient;
    TokenJob(ServiceClient *client, QString operation, ServiceRequest request, ClientProtocol protocol);
    bool handleSuccess(int status, const QByteArray &body) override;

private:
    ClientProtocol m_protocol;
    ClientAccess m_access;
};

/// One member of a group listing; userId is empty for a connection without a user (JSON null).
struct GroupMember
{
    QString connectionId;
    QString userId;
    bool hasUser = false;
};

/// List connections in a group: follows `nextLink` page by page (each page signed anew) until the last
/// page, and collects every member.
class ListConnectionsJob : public ServiceJob
{
    Q_OBJECT
public:
    QList<GroupMember> members() const { return m_members; }
    int pages() const { return m_pageCount; }

protected:
    friend class ServiceClient;
    using ServiceJob::ServiceJob;
    bool handleSuccess(int status, const QByteArray &body) override;

private:
    QList<GroupMember> m_members;
    int m_pageCount = 0;
};

} // namespace wps::service
