#pragma once

#include "emulator/upstream/upstreamclient.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QTimer>

namespace wps::emulator::upstream {

struct HttpClientResponse;

/// The final result of one request after its retries.
struct AttemptResult
{
    int status = 0; ///< 0 when no HTTP answer came
    cloudevents::Headers headers;
    QByteArray body;
    UpstreamFailure failure = UpstreamFailure::None; ///< None means a 2xx answer within the bounds
    QString error;
    int attempts = 0;
};

struct RequestSpec
{
    QByteArray method;
    QUrl url;
    cloudevents::Headers headers;
    QByteArray body;
    std::chrono::milliseconds attemptTimeout{0}; ///< 0: none
    std::chrono::milliseconds totalTimeout{0};   ///< 0: none
    QList<std::chrono::milliseconds> retryDelays;
    qint64 maxResponseBytes = cloudevents::kMaxResponseBytes;
    QString hub;
    QString connectionId;
    QString eventName;
};

/// One HTTP request with its retries, timeouts and response bound, through the client's HttpClient.
/// Reports once, then deletes itself. Owned by the UpstreamClient (its parent), so a destroyed client
/// cancels what is in flight.
class Delivery : public QObject
{
public:
    Delivery(UpstreamClient *client, RequestSpec spec, std::function<void(const AttemptResult &)> done);
    ~Delivery() override;
    void start();

private:
    void sendAttempt();
    void onResponse(const HttpClientResponse &response);
    void onTotalTimeout();
    void finish(const AttemptResult &result);
    void record(const AttemptResult &result);

    UpstreamClient *m_client;
    RequestSpec m_spec;
    std::function<void(const AttemptResult &)> m_done;
    quint64 m_request = 0; ///< the HttpClient request in flight, 0 when none
    int m_attempt = 0;
    QTimer m_retryTimer;
    QTimer m_totalTimer;
    QDeadlineTimer m_deadline{QDeadlineTimer::Forever};
    bool m_totalExpired = false;
    QElapsedTimer m_clock;
    QDateTime m_started;
    AttemptResult m_last;
    bool m_finished = false;
};

} // namespace wps::emulator::upstream
