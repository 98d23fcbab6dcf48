#include "service/upstreamreplay.h"

#include "protocol/cloudevents.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::Literals::StringLiterals;

namespace wps::service {

namespace {

constexpr qint64 kMaxAnswer = 1024 * 1024;

QList<QPair<QByteArray, QByteArray>> parseHeaderLines(const QByteArray &block)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    for (QByteArray line : block.split('\n')) {
        if (line.endsWith('\r'))
            line.chop(1);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return headers;
}

} // namespace

std::optional<UpstreamRequest> UpstreamRequest::fromTrace(const QString &detail, const QByteArray &payload,
                                                          const QString &connectionId)
{
    QString line = detail.trimmed();
    if (const qsizetype dash = line.indexOf(u" — "_s); dash >= 0)
        line.truncate(dash);
    const QStringList parts = line.split(u' ', Qt::SkipEmptyParts);
    if (parts.size() < 2)
        return std::nullopt;
    UpstreamRequest request;
    request.method = parts.at(0).toLatin1();
    request.url = QUrl(parts.at(1));
    if (!request.url.isValid() || request.url.host().isEmpty())
        return std::nullopt;
    // Header block, blank line, body: the body is kept byte for byte.
    qsizetype split = payload.indexOf("\r\n\r\n");
    qsizetype skip = 4;
    if (split < 0) {
        split = payload.indexOf("\n\n");
        skip = 2;
    }
    if (split < 0) {
        request.headers = parseHeaderLines(payload);
    } else {
        request.headers = parseHeaderLines(payload.left(split));
        request.body = payload.mid(split + skip);
    }
    request.connectionId = connectionId;
    for (const auto &h : std::as_const(request.headers)) {
        if (h.first.compare("ce-connectionId", Qt::CaseInsensitive) == 0 && !h.second.isEmpty())
            request.connectionId = QString::fromUtf8(h.second);
    }
    return request;
}

QByteArray UpstreamRequest::headerBlock() const
{
    QByteArray block;
    for (const auto &h : headers)
        block += h.first + ": " + h.second + '\n';
    return block;
}

void UpstreamRequest::setHeaderBlock(const QByteArray &block)
{
    headers = parseHeaderLines(block);
    for (const auto &h : std::as_const(headers)) {
        if (h.first.compare("ce-connectionId", Qt::CaseInsensitive) == 0 && !h.second.isEmpty())
            connectionId = QString::fromUtf8(h.second);
    }
}

UpstreamReplay::UpstreamReplay(UpstreamRequest request, QList<QByteArray> keys, QObject *parent)
    : QObject(parent)
    , m_request(std::move(request))
    , m_network(new QNetworkAccessManager(this))
{
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_network->setCookieJar(nullptr);
    QList<QPair<QByteArray, QByteArray>> headers;
    for (const auto &h : std::as_const(m_request.headers)) {
        const bool signature = h.first.compare("ce-signature", Qt::CaseInsensitive) == 0;
        const bool length = h.first.compare("Content-Length", Qt::CaseInsensitive) == 0;
        if (signature || length)
            continue; // made afresh below / by the network stack for the (possibly edited) body
        if (h.second.contains("***")) {
            m_dropped << QString::fromLatin1(h.first);
            continue;
        }
        headers.append(h);
    }
    if (!keys.isEmpty() && !m_request.connectionId.isEmpty())
        headers.append({"ce-signature", cloudevents::signature(m_request.connectionId, keys)});
    m_request.headers = headers;
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_reply) {
            m_timedOut = true;
            m_reply->abort();
        }
    });
}

UpstreamReplay::~UpstreamReplay()
{
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void UpstreamReplay::start()
{
    if (m_started)
        return;
    m_started = true;
    QNetworkRequest request(m_request.url);
    for (const auto &h : std::as_const(m_request.headers))
        request.setRawHeader(h.first, h.second);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);

    HttpTrace trace;
    trace.phase = HttpTrace::Phase::Request;
    trace.exchangeId = 1;
    trace.operation = u"replayUpstream"_s;
    trace.method = m_request.method;
    trace.url = redactUrl(m_request.url);
    for (const auto &h : std::as_const(m_request.headers))
        trace.headers.append(
            {h.first, h.first.compare("ce-signature", Qt::CaseInsensitive) == 0 ? "***" : h.second});
    trace.bodySize = m_request.body.size();
    trace.bodyPreview = redactedPreview(m_request.body, 16 * 1024);
    trace.timestamp = QDateTime::currentDateTimeUtc();
    Q_EMIT traced(trace);

    m_clock.start();
    m_reply = m_network->sendCustomRequest(request, m_request.method, m_request.body);
    connect(m_reply, &QNetworkReply::finished, this, &UpstreamReplay::onReply);
    m_timer.start(m_timeout);
}

void UpstreamReplay::onReply()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_timer.stop();
    m_reply = nullptr;
    reply->deleteLater();
    m_answer.durationMs = m_clock.elapsed();
    m_answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    for (const auto &pair : reply->rawHeaderPairs())
        m_answer.headers.append(pair);
    m_answer.body = reply->read(kMaxAnswer);
    if (m_answer.status == 0 && reply->error() != QNetworkReply::NoError)
        m_answer.error =
            m_timedOut ? tr("no answer within %1 ms").arg(m_timeout.count()) : reply->errorString();

    HttpTrace trace;
    trace.phase = HttpTrace::Phase::Response;
    trace.exchangeId = 1;
    trace.operation = u"replayUpstream"_s;
    trace.method = m_request.method;
    trace.url = redactUrl(m_request.url);
    trace.headers = m_answer.headers;
    trace.bodySize = m_answer.body.size();
    trace.bodyPreview = redactedPreview(m_answer.body, 16 * 1024);
    trace.status = m_answer.status;
    trace.durationMs = m_answer.durationMs;
    trace.error = m_answer.error;
    trace.timestamp = QDateTime::currentDateTimeUtc();
    Q_EMIT traced(trace);
    Q_EMIT finished();
}

} // namespace wps::service
