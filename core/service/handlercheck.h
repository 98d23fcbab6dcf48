#pragma once

#include "service/httptrace.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <chrono>

class QNetworkAccessManager;
class QNetworkReply;

namespace wps::service {

/// The abuse-protection check the service runs against an event handler before it sends it events, run on
/// demand: `OPTIONS <url>` with `WebHook-Request-Origin: <service host>` (and `ce-awpsversion: 1.0`), which
/// passes when the handler answers 2xx with `WebHook-Allowed-Origin` equal to `*` or to that origin (one
/// value, compared without regard to case). A handler that does not know OPTIONS (404) is asked again with
/// GET, as Microsoft's emulator does. No redirect is followed: a webhook that redirects fails, and says so.
///
/// The result keeps exactly what was sent and answered (both exchanges when GET was tried) and why it passed
/// or failed, in words: a missing header, another origin, a redirect, a status, TLS, timeout, refused.
/// Every request and response is also reported through traced(), as the REST client reports its calls.
class HandlerCheck : public QObject
{
    Q_OBJECT
public:
    enum class Failure {
        None,
        InvalidUrl,
        MissingHeader,
        WrongOrigin,
        Redirect,
        Status,
        Tls,
        Timeout,
        Refused,
        Network
    };
    Q_ENUM(Failure)

    struct Exchange
    {
        QByteArray method;
        QUrl url;
        QList<QPair<QByteArray, QByteArray>> requestHeaders;
        int status = 0; ///< 0 when no HTTP answer came
        QList<QPair<QByteArray, QByteArray>> responseHeaders;
        QByteArray responseBody; ///< at most 16 KiB
        qint64 durationMs = 0;
        QString error; ///< the network error, when there was no answer
    };

    struct Result
    {
        bool passed = false;
        Failure failure = Failure::None;
        QString verdict; ///< one paragraph: passed, or exactly why not
        QList<Exchange> exchanges;
        bool cancelled = false;
    };

    /// Checks \a handlerUrl (an event handler URL template: `{hub}` becomes \a hub and `{event}` becomes
    /// `validate`, as the service does) for the origin \a origin (the service host, `host[:port]`).
    HandlerCheck(const QString &handlerUrl, const QString &hub, const QString &origin,
                 QObject *parent = nullptr);
    ~HandlerCheck() override;

    /// Per request (default 10 s, as the service's validation).
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    QUrl url() const { return m_url; }
    QString origin() const { return m_origin; }

    /// Starts the check; finished() follows exactly once, never from inside start().
    void start();
    void cancel();
    const Result &result() const { return m_result; }

    /// The exchange as text, request then answer, for the panel and for copying.
    static QString describe(const Exchange &exchange);
    /// \a urlTemplate with `{hub}` and `{event}` filled in (percent-encoded).
    static QUrl expand(const QString &urlTemplate, const QString &hub, const QString &event);

Q_SIGNALS:
    void finished();
    /// Each request and each response, as the trace records REST calls.
    void traced(const wps::service::HttpTrace &trace);

private:
    void send(const QByteArray &method);
    void onReply();
    void onTimeout();
    void evaluate();
    void finish();

    QUrl m_url;
    QString m_origin;
    QString m_templateError;
    std::chrono::milliseconds m_timeout{10000};
    QNetworkAccessManager *m_network = nullptr;
    QPointer<QNetworkReply> m_reply;
    QTimer m_timer;
    QElapsedTimer m_clock;
    quint64 m_exchangeId = 0;
    bool m_timedOut = false;
    bool m_cancelled = false;
    bool m_started = false;
    bool m_done = false;
    QString m_tlsErrors;
    Result m_result;
};

} // namespace wps::service
