#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QUrl>

namespace wps::service {

/// One request or response as the trace panel sees it. Everything secret is already redacted when a trace is
/// made: the `Authorization` header, `access_token` and other secret query values, tokens and keys in bodies.
struct HttpTrace
{
    enum class Phase { Request, Response };
    Phase phase = Phase::Request;
    quint64 exchangeId = 0; ///< pairs a response with its request; unique per client
    int attempt = 1;        ///< 1 for the first try, 2 for the first retry ...
    QString operation;      ///< e.g. "sendToAll"
    QByteArray method;
    QString url;                                  ///< redacted, fully encoded
    QList<QPair<QByteArray, QByteArray>> headers; ///< redacted
    qint64 bodySize = 0;
    QByteArray bodyPreview; ///< at most ServiceClientOptions::bodyPreviewLimit bytes, redacted
    int status = 0;         ///< response only; 0 when there was no HTTP answer
    qint64 durationMs = 0;  ///< response only
    QString error;          ///< response only: the network error text, if any
    QDateTime timestamp;
};

/// The URL with the values of secret query items (access_token, token, signature, key ...) replaced by `***`.
QString redactUrl(const QUrl &url);
/// `Authorization`, `Proxy-Authorization`, cookies, subscription keys and `X-IDENTITY-HEADER` become `***`
/// (keeping a `Bearer` scheme).
QByteArray redactHeaderValue(const QByteArray &name, const QByteArray &value);
/// A bounded preview of \a body: JSON values under secret-looking keys become "***", JWTs, `AccessKey=` and
/// `access_token=` values in text are masked, then the result is cut to \a limit bytes.
QByteArray redactedPreview(const QByteArray &body, int limit);

} // namespace wps::service

Q_DECLARE_METATYPE(wps::service::HttpTrace)
