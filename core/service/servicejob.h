#pragma once

#include "protocol/clienttoken.h"
#include "service/serviceerror.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkReply;

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

/// One REST call (style rule 7). Parented to its ServiceClient; emits finished() exactly once, after which
/// either hasError() and error(), or the result accessors, tell the outcome. Delete it (or let the client's
/// destruction do so) once it finished; deleting it earlier aborts the call without emitting finished().
class ServiceJob : public QObject
{
    Q_OBJECT
public:
    ~ServiceJob() override;

    /// The client's name for the operation, e.g. "sendToAll".
    QString operation() const { return m_operation; }
    bool isFinished() const { return m_finished; }
    bool hasError() const { return m_hasError; }
    /// Valid once finished() was emitted with hasError().
    const ServiceError &error() const { return m_error; }
    /// Status of the last HTTP answer; 0 when none came.
    int httpStatus() const { return m_status; }
    /// Attempts made for the last request (1 when it succeeded first time).
    int attempts() const { return m_attempt; }
    /// The body of the last answer (for callers that want more than the typed result).
    QByteArray responseBody() const { return m_responseBody; }

    /// Stops the call: finished() follows with a Cancelled error, unless the job already finished.
    void cancel();

Q_SIGNALS:
    /// Emitted exactly once, never from inside the call that created the job.
    void finished();

protected:
    friend class ServiceClient;
    ServiceJob(ServiceClient *client, QString operation, ServiceRequest request);

    /// Called with a success status. Return true when the job is done; a paging job may instead set a new
    /// request with continueWith() and return false.
    virtual bool handleSuccess(int status, const QByteArray &body);
    /// Sends \a url as the next request of the same job (a new page): attempts start again at 1.
    void continueWith(const QUrl &url);
    /// Ends the job with an error the subclass found in an otherwise successful answer.
    void failParsing(const QString &message);

    ServiceClient *client() const { return m_client; }

private:
    void start();
    void failEarly(ServiceError error);
    void sendAttempt();
    void onReplyFinished();
    void onAttemptTimeout();
    void finishWithError(ServiceError error);
    void finishOk();
    void scheduleRetry(std::chrono::milliseconds delay);
    ServiceError httpError(QNetworkReply *reply, int status, const QByteArray &body) const;

    QPointer<ServiceClient> m_client;
    QString m_operation;
    ServiceRequest m_request;
    QPointer<QNetworkReply> m_reply;
    QTimer m_attemptTimer;
    QTimer m_retryTimer;
    QElapsedTimer m_elapsed;
    quint64 m_exchangeId = 0;
    int m_attempt = 0;
    int m_pages = 0;
    int m_status = 0;
    QByteArray m_responseBody;
    bool m_timedOut = false;
    bool m_cancelled = false;
    bool m_finished = false;
    bool m_hasError = false;
    bool m_pendingError = false;
    bool m_parseFailed = false;
    ServiceError m_error;
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
