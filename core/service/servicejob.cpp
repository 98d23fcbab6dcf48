#include "service/servicejob.h"

#include "service/serviceclient.h"
#include "service/servicelogging.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

namespace wps::service {

namespace {

QString statusText(int status)
{
    switch (status) {
    case 400:
        return u"Bad Request"_s;
    case 401:
        return u"Unauthorized"_s;
    case 403:
        return u"Forbidden"_s;
    case 404:
        return u"Not Found"_s;
    case 408:
        return u"Request Timeout"_s;
    case 409:
        return u"Conflict"_s;
    case 413:
        return u"Payload Too Large"_s;
    case 415:
        return u"Unsupported Media Type"_s;
    case 429:
        return u"Too Many Requests"_s;
    case 500:
        return u"Internal Server Error"_s;
    case 502:
        return u"Bad Gateway"_s;
    case 503:
        return u"Service Unavailable"_s;
    case 504:
        return u"Gateway Timeout"_s;
    default:
        return {};
    }
}

} // namespace

namespace {

HttpRequest toHttpRequest(ServiceRequest request)
{
    HttpRequest out;
    out.method = std::move(request.method);
    out.url = std::move(request.url);
    out.body = std::move(request.body);
    out.contentType = std::move(request.contentType);
    out.success = request.successStatuses;
    if (request.notFoundIsFalse)
        out.success.append(404);
    out.repeatable = !request.isSend;
    return out;
}

} // namespace

ServiceJob::ServiceJob(ServiceClient *client, QString operation, ServiceRequest request)
    : HttpJob(client, std::move(operation), request.target, toHttpRequest(request))
    , m_expected(request.successStatuses)
{
}

ServiceJob::~ServiceJob() = default;

ServiceClient *ServiceJob::client() const
{
    return static_cast<ServiceClient *>(httpClient());
}

ServiceError ServiceJob::errorFor(const HttpAnswer &answer) const
{
    const int status = answer.status;
    const QByteArray &body = answer.body;
    ServiceError error;
    error.kind = ServiceError::Kind::Http;
    error.httpStatus = status;
    error.code = QString::fromUtf8(answer.header("x-ms-error-code"));
    error.requestId = QString::fromUtf8(answer.header("x-ms-request-id"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::NoError && doc.isObject()) {
        const QJsonObject object = doc.object();
        if (error.code.isEmpty())
            error.code = object.value(u"code"_s).toString();
        error.message = object.value(u"message"_s).toString();
        error.target = object.value(u"target"_s).toString();
    }
    const QString statusLine = QString(QString::number(status) + u' ' + statusText(status)).trimmed();
    if (error.message.isEmpty()) {
        const QString text = QString::fromUtf8(body.left(512)).simplified();
        if (status == 401)
            error.message =
                tr("The service refused the credentials (%1). Check the access key, and that this "
                   "computer's clock is right.")
                    .arg(statusLine);
        else if (!m_expected.isEmpty() && status >= 200 && status < 300)
            error.message = tr("The service answered %1, but this call expects %2.")
                                .arg(statusLine)
                                .arg(m_expected.constFirst());
        else if (!text.isEmpty() && parseError.error != QJsonParseError::NoError)
            error.message = tr("The service answered %1: %2").arg(statusLine, text.left(200));
        else
            error.message = tr("The service answered %1 without an error description.").arg(statusLine);
    }
    if (error.target.isEmpty())
        error.target = target();
    return error;
}

bool ExistsJob::handleSuccess(int status, const QByteArray &)
{
    m_exists = status == 200;
    return true;
}

TokenJob::TokenJob(ServiceClient *client, QString operation, ServiceRequest request, ClientProtocol protocol)
    : ServiceJob(client, std::move(operation), std::move(request))
    , m_protocol(protocol)
{
}

bool TokenJob::handleSuccess(int, const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QString token = doc.object().value(u"token"_s).toString();
    if (token.isEmpty() || !client()) {
        fail(tr("The service answered without a token."));
        return false;
    }
    m_access = clientAccessForToken(ConnectionString(client()->endpoint(), {}), client()->hub(), m_protocol,
                                    token.toUtf8());
    return true;
}

bool ListConnectionsJob::handleSuccess(int, const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject() ||
        !doc.object().value(u"value"_s).isArray()) {
        fail(tr("The service's listing is not a JSON object with a 'value' array."));
        return false;
    }
    ++m_pageCount;
    const QJsonObject page = doc.object();
    const QJsonArray values = page.value(u"value"_s).toArray();
    for (const QJsonValue &value : values) {
        const QJsonObject member = value.toObject();
        GroupMember m;
        m.connectionId = member.value(u"connectionId"_s).toString();
        m.hasUser = member.value(u"userId"_s).isString();
        m.userId = member.value(u"userId"_s).toString();
        m_members.append(m);
    }
    const QString nextLink = page.value(u"nextLink"_s).toString();
    if (nextLink.isEmpty() || !client())
        return true;
    QUrl next(nextLink, QUrl::StrictMode);
    if (next.isValid() && !QUrlQuery(next).hasQueryItem(u"api-version"_s)) {
        const QString apiVersion = client()->options().apiVersion;
        next.setQuery(next.query(QUrl::FullyEncoded) + (next.hasQuery() ? u"&"_s : QString()) +
                          u"api-version="_s + apiVersion,
                      QUrl::StrictMode);
    }
    followLink(next); // refused (the job fails) when it points to another host
    return false;
}

} // namespace wps::service
