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
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace wps::service {

/// One event-handler request as the trace captured it, ready to be sent again (possibly edited).
struct UpstreamRequest
{
    QByteArray method = "POST";
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString connectionId; ///< from `ce-connectionId`, or the row's connection column

    /// Reads a trace row of an upstream request: \a detail is "METHOD URL[ — error]", \a payload the header
    /// block, a blank line and the body (the shape every HTTP request row has). nullopt when \a detail names
    /// no URL.
    static std::optional<UpstreamRequest> fromTrace(const QString &detail, const QByteArray &payload,
                                                    const QString &connectionId);
    /// The header block and body as one editable text ("Name: value" lines, a blank line, the body).
    QByteArray headerBlock() const;
    /// Replaces headers from \a block ("Name: value" lines).
    void setHeaderBlock(const QByteArray &block);
};

/// Sends a captured upstream request again to its handler (or another URL), as the service would: the
/// `ce-signature` is made afresh (HMAC-SHA256 of the connection id under each access key, the same
/// cloudevents::signature() the emulator signs with), headers the trace redacted (`***`) are left out, and
/// no redirect is followed. The answer (status, headers, body up to 1 MiB, time, or the network error)
/// comes with finished(); request and answer are reported through traced() like any HTTP call.
class UpstreamReplay : public QObject
{
    Q_OBJECT
public:
    struct Answer
    {
        int status = 0;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        qint64 durationMs = 0;
        QString error;
    };

    UpstreamReplay(UpstreamRequest request, QList<QByteArray> keys, QObject *parent = nullptr);
    ~UpstreamReplay() override;

    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    /// The request as it is sent (signature filled in, redacted headers dropped).
    const UpstreamRequest &request() const { return m_request; }
    /// Header names that were left out because the trace only had `***` for them.
    QStringList droppedHeaders() const { return m_dropped; }

    void start();
    const Answer &answer() const { return m_answer; }

Q_SIGNALS:
    void finished();
    void traced(const wps::service::HttpTrace &trace);

private:
    void onReply();

    UpstreamRequest m_request;
    QStringList m_dropped;
    std::chrono::milliseconds m_timeout{30000};
    QNetworkAccessManager *m_network = nullptr;
    QPointer<QNetworkReply> m_reply;
    QTimer m_timer;
    QElapsedTimer m_clock;
    bool m_timedOut = false;
    bool m_started = false;
    Answer m_answer;
};

} // namespace wps::service
