#include "service/connectionprobe.h"

#include "service/serviceclient.h"
#include "service/servicejob.h"

#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace wps::service {

namespace {

/// A group name no application uses: the read lists it (empty) only to see whether the credential is
/// accepted.
const auto kProbeGroup = u"wps-console-probe"_s;

QString serviceMessage(const ServiceError &error)
{
    QString text = error.message;
    if (!error.code.isEmpty() && !text.contains(error.code))
        text = error.code + u": "_s + text;
    return text;
}

} // namespace

QString healthName(ConnectionHealth health)
{
    switch (health) {
    case ConnectionHealth::Unknown:
        return ConnectionProbe::tr("Not connected");
    case ConnectionHealth::Connecting:
        return ConnectionProbe::tr("Connecting");
    case ConnectionHealth::Connected:
        return ConnectionProbe::tr("Connected");
    case ConnectionHealth::Unreachable:
        return ConnectionProbe::tr("Unreachable");
    case ConnectionHealth::Unauthorized:
        return ConnectionProbe::tr("Unauthorized");
    case ConnectionHealth::Misconfigured:
        return ConnectionProbe::tr("Misconfigured");
    }
    return {};
}

ConnectionProbe::ConnectionProbe(QUrl endpoint, std::shared_ptr<const Credential> credential,
                                 ProbeOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    m_client = new ServiceClient(std::move(endpoint), m_options.hub, std::move(credential), this);
    ServiceClientOptions clientOptions = m_client->options();
    clientOptions.timeout = m_options.timeout;
    clientOptions.retry.maxRetries = 0; // fail fast: the probe answers "now", a retry would only hide it
    m_client->setOptions(clientOptions);
}

ConnectionProbe::~ConnectionProbe() = default;

ProbeResult ConnectionProbe::misconfigured(const QString &reason)
{
    ProbeResult result;
    result.health = ConnectionHealth::Misconfigured;
    result.reason = reason;
    return result;
}

void ConnectionProbe::start()
{
    if (m_running || m_done)
        return;
    m_running = true;
    m_result = {};
    m_result.health = ConnectionHealth::Connecting;
    if (!m_client->endpoint().isValid() || m_client->endpoint().host().isEmpty()) {
        QTimer::singleShot(0, this, [this] {
            finish(misconfigured(tr("The endpoint is not a usable URL (expected https://<name>.webpubsub"
                                    ".azure.com).")));
        });
        return;
    }
    m_job = m_client->health();
    connect(m_job, &ServiceJob::finished, this, &ConnectionProbe::onHealth);
}

void ConnectionProbe::cancel()
{
    if (!m_running)
        return;
    if (m_job) {
        m_job->cancel(); // finished() of the job follows with Cancelled, and ends the probe
        return;
    }
    ProbeResult result;
    result.cancelled = true;
    result.reason = tr("Cancelled.");
    QTimer::singleShot(0, this, [this, result] { finish(result); });
}

void ConnectionProbe::onHealth()
{
    ServiceJob *job = m_job;
    if (!job)
        return;
    job->deleteLater();
    m_job = nullptr;
    ProbeResult result;
    result.healthStatus = job->httpStatus();
    if (job->hasError()) {
        const ServiceError &error = job->error();
        switch (error.kind) {
        case ServiceError::Kind::Cancelled:
            result.cancelled = true;
            result.reason = tr("Cancelled.");
            break;
        case ServiceError::Kind::Network:
        case ServiceError::Kind::Timeout:
            result.health = ConnectionHealth::Unreachable;
            result.reason = error.message;
            break;
        case ServiceError::Kind::InvalidInput:
            result.health = ConnectionHealth::Misconfigured;
            result.reason = error.message;
            break;
        case ServiceError::Kind::Http:
            if (error.httpStatus == 401 || error.httpStatus == 403) {
                result.health = ConnectionHealth::Unauthorized;
                result.reason = serviceMessage(error);
            } else if (error.httpStatus >= 500) {
                result.health = ConnectionHealth::Unreachable;
                result.reason =
                    tr("The service is not healthy: HTTP %1 from /api/health.").arg(error.httpStatus);
            } else {
                result.health = ConnectionHealth::Misconfigured;
                result.reason =
                    tr("The endpoint answered HTTP %1 to /api/health: it does not look like a Web "
                       "PubSub service endpoint.")
                        .arg(error.httpStatus);
            }
            break;
        }
        finish(result);
        return;
    }
    ListOptions list;
    list.maxPageSize = 1;
    list.top = 1;
    m_job = m_client->listConnectionsInGroup(kProbeGroup, list);
    connect(m_job, &ServiceJob::finished, this, [this, healthStatus = result.healthStatus] {
        m_result.healthStatus = healthStatus;
        onRead();
    });
}

void ConnectionProbe::onRead()
{
    ServiceJob *job = m_job;
    if (!job)
        return;
    job->deleteLater();
    m_job = nullptr;
    ProbeResult result;
    result.healthStatus = m_result.healthStatus;
    result.readStatus = job->httpStatus();
    if (!job->hasError()) {
        result.health = ConnectionHealth::Connected;
        finish(result);
        return;
    }
    const ServiceError &error = job->error();
    result.requestId = error.requestId;
    switch (error.kind) {
    case ServiceError::Kind::Cancelled:
        result.cancelled = true;
        result.reason = tr("Cancelled.");
        break;
    case ServiceError::Kind::Network:
    case ServiceError::Kind::Timeout:
        result.health = ConnectionHealth::Unreachable;
        result.reason = error.message;
        break;
    case ServiceError::Kind::InvalidInput:
        // The credential could not make an Authorization header (no Entra token, no key).
        result.health = ConnectionHealth::Unauthorized;
        result.reason = error.message;
        break;
    case ServiceError::Kind::Http:
        if (error.httpStatus == 401 || error.httpStatus == 403) {
            result.health = ConnectionHealth::Unauthorized;
            result.reason = tr("HTTP %1: %2").arg(error.httpStatus).arg(serviceMessage(error));
        } else if (error.httpStatus == 404) {
            // The credential was accepted; a service that does not know the probe group says so with 404.
            result.health = ConnectionHealth::Connected;
        } else if (error.httpStatus >= 500) {
            result.health = ConnectionHealth::Unreachable;
            result.reason = tr("The service failed the authenticated read: HTTP %1: %2")
                                .arg(error.httpStatus)
                                .arg(serviceMessage(error));
        } else {
            result.health = ConnectionHealth::Misconfigured;
            result.reason = tr("The service refused the authenticated read: HTTP %1: %2")
                                .arg(error.httpStatus)
                                .arg(serviceMessage(error));
        }
        break;
    }
    finish(result);
}

void ConnectionProbe::finish(ProbeResult result)
{
    if (m_done)
        return;
    m_done = true;
    m_running = false;
    m_result = std::move(result);
    Q_EMIT finished();
}

} // namespace wps::service
