#include "service/handlercheck.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslError>

using namespace Qt::Literals::StringLiterals;

namespace wps::service {

namespace {

constexpr qsizetype kMaxBody = 16 * 1024;

QByteArray header(const QList<QPair<QByteArray, QByteArray>> &headers, QByteArrayView name)
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

bool hasHeader(const QList<QPair<QByteArray, QByteArray>> &headers, QByteArrayView name)
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

HandlerCheck::HandlerCheck(const QString &handlerUrl, const QString &hub, const QString &origin,
                           QObject *parent)
    : QObject(parent)
    , m_origin(origin.trimmed())
    , m_network(new QNetworkAccessManager(this))
{
    m_url = expand(handlerUrl.trimmed(), hub, u"validate"_s);
    const QString scheme = m_url.scheme().toLower();
    if (!m_url.isValid() || m_url.host().isEmpty() || (scheme != u"http"_s && scheme != u"https"_s))
        m_templateError = tr("\"%1\" is not an http(s) URL.").arg(handlerUrl.trimmed());
    else if (m_origin.isEmpty())
        m_templateError = tr("No origin to send: connect to a service first (its host is the origin).");
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_network->setCookieJar(nullptr);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HandlerCheck::onTimeout);
}

HandlerCheck::~HandlerCheck()
{
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

QUrl HandlerCheck::expand(const QString &urlTemplate, const QString &hub, const QString &event)
{
    QString text = urlTemplate;
    text.replace(u"{hub}"_s, QString::fromLatin1(QUrl::toPercentEncoding(hub)), Qt::CaseInsensitive);
    text.replace(u"{event}"_s, QString::fromLatin1(QUrl::toPercentEncoding(event)), Qt::CaseInsensitive);
    return QUrl(text, QUrl::StrictMode);
}

void HandlerCheck::start()
{
    if (m_started)
        return;
    m_started = true;
    if (!m_templateError.isEmpty()) {
        m_result.failure = Failure::InvalidUrl;
        m_result.verdict = m_templateError;
        QTimer::singleShot(0, this, [this] { finish(); });
        return;
    }
    send("OPTIONS");
}

void HandlerCheck::cancel()
{
    if (m_done || !m_started)
        return;
    m_cancelled = true;
    if (m_reply)
        m_reply->abort(); // onReply() finishes
}

void HandlerCheck::send(const QByteArray &method)
{
    Exchange exchange;
    exchange.method = method;
    exchange.url = m_url;
    exchange.requestHeaders = {{"WebHook-Request-Origin", m_origin.toUtf8()}, {"ce-awpsversion", "1.0"}};
    m_result.exchanges.append(exchange);

    QNetworkRequest request(m_url);
    for (const auto &h : std::as_const(exchange.requestHeaders))
        request.setRawHeader(h.first, h.second);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("webpubsub-console handler check"));

    HttpTrace trace;
    trace.phase = HttpTrace::Phase::Request;
    trace.exchangeId = ++m_exchangeId;
    trace.operation = u"validateHandler"_s;
    trace.method = method;
    trace.url = redactUrl(m_url);
    trace.headers = exchange.requestHeaders;
    trace.timestamp = QDateTime::currentDateTimeUtc();
    Q_EMIT traced(trace);

    m_timedOut = false;
    m_tlsErrors.clear();
    m_clock.start();
    m_reply = m_network->sendCustomRequest(request, method);
    connect(m_reply, &QNetworkReply::finished, this, &HandlerCheck::onReply);
    connect(m_reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        QStringList texts;
        for (const QSslError &error : errors)
            texts << error.errorString();
        m_tlsErrors = texts.join(u"; "_s);
    });
    m_timer.start(m_timeout);
}

void HandlerCheck::onTimeout()
{
    if (!m_reply)
        return;
    m_timedOut = true;
    m_reply->abort();
}

void HandlerCheck::onReply()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_timer.stop();
    m_reply = nullptr;
    reply->deleteLater();
    Exchange &exchange = m_result.exchanges.last();
    exchange.durationMs = m_clock.elapsed();
    exchange.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    for (const auto &pair : reply->rawHeaderPairs())
        exchange.responseHeaders.append(pair);
    exchange.responseBody = reply->read(kMaxBody);
    const QNetworkReply::NetworkError error = reply->error();
    if (exchange.status == 0 && error != QNetworkReply::NoError)
        exchange.error =
            m_timedOut ? tr("no answer within %1 ms").arg(m_timeout.count()) : reply->errorString();

    HttpTrace trace;
    trace.phase = HttpTrace::Phase::Response;
    trace.exchangeId = m_exchangeId;
    trace.operation = u"validateHandler"_s;
    trace.method = exchange.method;
    trace.url = redactUrl(m_url);
    trace.headers = exchange.responseHeaders;
    trace.bodySize = exchange.responseBody.size();
    trace.bodyPreview = redactedPreview(exchange.responseBody, int(kMaxBody));
    trace.status = exchange.status;
    trace.durationMs = exchange.durationMs;
    trace.error = exchange.error;
    trace.timestamp = QDateTime::currentDateTimeUtc();
    Q_EMIT traced(trace);

    if (m_cancelled) {
        m_result.cancelled = true;
        m_result.verdict = tr("Cancelled.");
        finish();
        return;
    }
    if (exchange.status == 404 && exchange.method == "OPTIONS") {
        send("GET"); // a handler that does not route OPTIONS: the service tries GET
        return;
    }
    if (exchange.status == 0) {
        switch (error) {
        case QNetworkReply::ConnectionRefusedError:
            m_result.failure = Failure::Refused;
            m_result.verdict = tr("Fails: nothing accepts connections at %1 (%2). Is the handler running, "
                                  "and reachable from the service?")
                                   .arg(m_url.authority(), exchange.error);
            break;
        case QNetworkReply::SslHandshakeFailedError:
            m_result.failure = Failure::Tls;
            m_result.verdict = tr("Fails: the TLS handshake failed (%1). The service needs a certificate it "
                                  "trusts.")
                                   .arg(m_tlsErrors.isEmpty() ? exchange.error : m_tlsErrors);
            break;
        case QNetworkReply::OperationCanceledError:
        case QNetworkReply::TimeoutError:
            m_result.failure = Failure::Timeout;
            m_result.verdict = tr("Fails: the handler did not answer within %1 s; the service gives up too.")
                                   .arg(double(m_timeout.count()) / 1000.0);
            break;
        default:
            m_result.failure = Failure::Network;
            m_result.verdict = tr("Fails: %1.").arg(exchange.error);
            break;
        }
        if (m_timedOut) {
            m_result.failure = Failure::Timeout;
            m_result.verdict = tr("Fails: the handler did not answer within %1 s; the service gives up too.")
                                   .arg(double(m_timeout.count()) / 1000.0);
        }
        finish();
        return;
    }
    evaluate();
}

void HandlerCheck::evaluate()
{
    const Exchange &exchange = m_result.exchanges.last();
    const QString answered =
        tr("%1 answered HTTP %2").arg(QString::fromLatin1(exchange.method)).arg(exchange.status);
    if (exchange.status >= 300 && exchange.status < 400) {
        const QByteArray location = header(exchange.responseHeaders, "Location");
        m_result.failure = Failure::Redirect;
        m_result.verdict =
            tr("Fails: %1, a redirect to %2. The service does not follow redirects: configure the "
               "final URL.")
                .arg(answered, location.isEmpty() ? tr("(no Location)") : QString::fromUtf8(location));
        finish();
        return;
    }
    if (exchange.status < 200 || exchange.status >= 300) {
        m_result.failure = Failure::Status;
        m_result.verdict =
            tr("Fails: %1; the check needs a 2xx answer carrying WebHook-Allowed-Origin.").arg(answered);
        finish();
        return;
    }
    if (!hasHeader(exchange.responseHeaders, "WebHook-Allowed-Origin")) {
        m_result.failure = Failure::MissingHeader;
        m_result.verdict =
            tr("Fails: %1 without a WebHook-Allowed-Origin header. The handler must answer the "
               "OPTIONS request with WebHook-Allowed-Origin: %2 (or *).")
                .arg(answered, m_origin);
        finish();
        return;
    }
    const QString allowed =
        QString::fromUtf8(header(exchange.responseHeaders, "WebHook-Allowed-Origin")).trimmed();
    if (allowed == u"*"_s || allowed.compare(m_origin, Qt::CaseInsensitive) == 0) {
        m_result.passed = true;
        m_result.verdict = tr("Passes: %1 with WebHook-Allowed-Origin: %2, which allows %3.")
                               .arg(answered, allowed, m_origin);
        finish();
        return;
    }
    m_result.failure = Failure::WrongOrigin;
    m_result.verdict =
        allowed.contains(u',')
            ? tr("Fails: WebHook-Allowed-Origin is the list \"%1\"; the service needs one value, "
                 "%2 or *.")
                  .arg(allowed, m_origin)
            : tr("Fails: WebHook-Allowed-Origin is \"%1\", not this service's origin %2 (or *).")
                  .arg(allowed, m_origin);
    finish();
}

void HandlerCheck::finish()
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT finished();
}

QString HandlerCheck::describe(const Exchange &exchange)
{
    QString text =
        QString::fromLatin1(exchange.method) + u' ' + exchange.url.toString(QUrl::FullyEncoded) + u'\n';
    for (const auto &h : exchange.requestHeaders)
        text += QString::fromLatin1(h.first) + u": "_s + QString::fromUtf8(h.second) + u'\n';
    text += u'\n';
    if (exchange.status == 0) {
        text += tr("(no answer: %1)").arg(exchange.error) + u'\n';
        return text;
    }
    text += u"HTTP %1  (%2 ms)\n"_s.arg(exchange.status).arg(exchange.durationMs);
    for (const auto &h : exchange.responseHeaders)
        text += QString::fromLatin1(h.first) + u": "_s + QString::fromUtf8(h.second) + u'\n';
    if (!exchange.responseBody.isEmpty())
        text += u'\n' + QString::fromUtf8(exchange.responseBody) + u'\n';
    return text;
}

} // namespace wps::service
