#include "emulator/upstream/delivery.h"

#include "emulator/upstream/eventhandlers.h"
#include "emulator/upstream/httpclient.h"

#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;

Q_DECLARE_LOGGING_CATEGORY(lcUpstream)

namespace wps::emulator::upstream {

namespace {

bool isSuccess(int status)
{
    return status >= 200 && status <= 299;
}

} // namespace

Delivery::Delivery(UpstreamClient *client, RequestSpec spec, std::function<void(const AttemptResult &)> done)
    : QObject(client)
    , m_client(client)
    , m_spec(std::move(spec))
    , m_done(std::move(done))
{
    m_retryTimer.setSingleShot(true);
    m_totalTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Delivery::sendAttempt);
    connect(&m_totalTimer, &QTimer::timeout, this, &Delivery::onTotalTimeout);
}

Delivery::~Delivery()
{
    if (m_request != 0)
        m_client->m_http->cancel(std::exchange(m_request, 0));
}

void Delivery::start()
{
    if (m_spec.totalTimeout > 0ms) {
        m_deadline = QDeadlineTimer(m_spec.totalTimeout);
        m_totalTimer.start(m_spec.totalTimeout);
    }
    sendAttempt();
}

void Delivery::sendAttempt()
{
    ++m_attempt;
    // Webhooks are not browsers: no redirects, no cookies, no cache, no content decoding (which would escape
    // the response bound) — the HttpClient does none of these.
    HttpClientRequest request;
    request.method = m_spec.method;
    request.url = m_spec.url;
    request.headers = m_spec.headers;
    request.body = m_spec.body;
    request.timeout = m_spec.attemptTimeout;
    request.maxBodyBytes = m_spec.maxResponseBytes;
    m_started = QDateTime::currentDateTimeUtc();
    m_clock.start();
    m_request = m_client->m_http->send(std::move(request), [this](const HttpClientResponse &response) {
        m_request = 0;
        onResponse(response);
    });
}

void Delivery::onResponse(const HttpClientResponse &response)
{
    AttemptResult result;
    result.attempts = m_attempt;
    result.error = response.errorText;
    switch (response.error) {
    case HttpClientResponse::Error::None:
        result.status = response.status;
        result.headers = response.headers;
        result.body = response.body;
        if (!isSuccess(result.status)) {
            result.failure = UpstreamFailure::HttpStatus;
            result.error = tr("The handler answered with status %1.").arg(result.status);
        }
        break;
    case HttpClientResponse::Error::HeadTooLarge:
    case HttpClientResponse::Error::BodyTooLarge:
        result.failure = UpstreamFailure::TooLarge;
        result.status = response.status;
        break;
    case HttpClientResponse::Error::Timeout:
        result.failure = UpstreamFailure::Timeout;
        break;
    case HttpClientResponse::Error::InvalidRequest:
        result.failure = UpstreamFailure::BadUrl;
        break;
    case HttpClientResponse::Error::Connect:
    case HttpClientResponse::Error::Tls:
    case HttpClientResponse::Error::Closed:
    case HttpClientResponse::Error::Malformed:
        result.failure = UpstreamFailure::Network;
        break;
    }
    record(result);

    const bool retriable = result.failure == UpstreamFailure::Network ||
                           result.failure == UpstreamFailure::Timeout || result.status == 408 ||
                           (result.status >= 500 && result.status <= 599);
    if (retriable && !m_totalExpired && m_attempt <= m_spec.retryDelays.size()) {
        const std::chrono::milliseconds delay = m_spec.retryDelays.at(m_attempt - 1);
        if (m_deadline.isForever() || m_deadline.remainingTimeAsDuration() > delay) {
            m_last = result;
            m_retryTimer.start(delay);
            return;
        }
    }
    finish(result);
}

void Delivery::onTotalTimeout()
{
    m_totalExpired = true;
    if (m_request != 0) {
        m_client->m_http->cancel(std::exchange(m_request, 0));
        AttemptResult result;
        result.attempts = m_attempt;
        result.failure = UpstreamFailure::Timeout;
        result.error = tr("No answer within the timeout.");
        record(result);
        finish(result);
        return;
    }
    m_retryTimer.stop();
    AttemptResult result = m_last;
    result.failure = UpstreamFailure::Timeout;
    result.error = tr("No usable answer within the timeout.");
    finish(result);
}

void Delivery::finish(const AttemptResult &result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_totalTimer.stop();
    m_retryTimer.stop();
    deleteLater();
    if (m_done)
        std::exchange(m_done, {})(result);
}

void Delivery::record(const AttemptResult &result)
{
    UpstreamExchange exchange;
    exchange.started = m_started;
    exchange.hub = m_spec.hub;
    exchange.connectionId = m_spec.connectionId;
    exchange.eventName = m_spec.eventName;
    exchange.method = m_spec.method;
    exchange.url = upstream::redactedUrl(m_spec.url);
    exchange.attempt = m_attempt;
    exchange.requestHeaders = m_spec.headers;
    exchange.requestBody = m_spec.body;
    exchange.status = result.status;
    exchange.responseHeaders = result.headers;
    exchange.responseBody = result.body;
    exchange.error = result.error;
    exchange.elapsedMs = m_clock.elapsed();

    // Headers (the signature among them) and bodies stay out of the log; the trace gets them.
    QString subject = exchange.eventName + u", hub "_s + exchange.hub;
    if (!exchange.connectionId.isEmpty())
        subject += u", connection "_s + exchange.connectionId;
    if (result.status != 0) {
        qCInfo(lcUpstream).noquote().nospace()
            << exchange.method << ' ' << exchange.url << " (" << subject << ", attempt " << m_attempt
            << ") -> " << result.status << ", " << result.body.size() << " bytes in " << exchange.elapsedMs
            << " ms";
    } else {
        qCInfo(lcUpstream).noquote().nospace()
            << exchange.method << ' ' << exchange.url << " (" << subject << ", attempt " << m_attempt
            << ") failed: " << result.error << " after " << exchange.elapsedMs << " ms";
    }
    Q_EMIT m_client->exchangeFinished(exchange);
}

} // namespace wps::emulator::upstream
