#pragma once

#include <QMetaType>
#include <QString>

namespace wps::service {

/// The one error a service call ends with. Errors are data (docs/style.md rule 15): the caller decides how to
/// show them, and nothing in here ever contains an access key or a token.
struct ServiceError
{
    enum class Kind {
        Http,        ///< the service answered with a status the operation does not expect
        Network,     ///< no HTTP answer: connection refused, reset, DNS, TLS ...
        Timeout,     ///< no answer within the configured timeout (after all retries)
        Cancelled,   ///< the caller cancelled the job
        InvalidInput ///< refused before anything was sent (bad name, TTL out of range, empty id ...)
    };

    Kind kind = Kind::Http;
    int httpStatus = 0; ///< 0 when there was no HTTP answer
    QString code;       ///< `x-ms-error-code` header, else the body's "code"
    QString message;    ///< the body's "message", else a clear text made from the status or network error
    QString requestId;  ///< `x-ms-request-id` when the service sent one
    QString target;     ///< the body's "target", else what the call was about (e.g. "group 'g1'")

    /// "Http", "Network", ... for logs and machine-readable output.
    static QString kindName(Kind kind);
    /// One line for a status bar or stderr: "HTTP 404 Error.Connection.NotExisted: Connection `c1` is not
    /// found."
    QString toString() const;
};

} // namespace wps::service

Q_DECLARE_METATYPE(wps::service::ServiceError)
