#pragma once

#include "service/serviceerror.h"

#include <QJsonObject>
#include <QString>

class QIODevice;

namespace wps::cli {

/// The exit codes of docs/cli.md.
constexpr int kExitOk = 0;
constexpr int kExitFalse = 1;   ///< `*-exists` / `check`: no
constexpr int kExitUsage = 2;   ///< usage error, or input refused before sending
constexpr int kExitService = 3; ///< service or network error

/// Writes UTF-8 text to \a device and flushes it (a file on stdout is flushed per write).
void writeText(QIODevice *device, const QString &text);

/// Prints one result or error of a run on its stdout/stderr devices and gives the exit code. With --json,
/// stdout gets one compact JSON object with `ok` and `operation`.
class Output
{
public:
    Output(QIODevice *out, QIODevice *err, bool json, QString operation);

    void writeOut(const QString &text) const;
    void writeErr(const QString &text) const;
    /// One compact JSON object and a line break on stdout (listen's JSON lines).
    void writeJsonLine(const QJsonObject &object) const;
    void writeJsonLine(const QByteArray &compactJson) const;

    /// A usage error (redacted like every log and trace): exit 2.
    int usage(const QString &text) const;
    /// A service, network or input error with its status, code and request id: exit 3 (2 for InvalidInput).
    int error(const service::ServiceError &serviceError) const;
    /// Success: \a result (plus `ok`) with --json, else \a humanText when it is not empty: exit 0.
    int ok(QJsonObject result, const QString &humanText) const;

    bool json() const { return m_json; }
    QIODevice *outDevice() const { return m_out; }
    QIODevice *errDevice() const { return m_err; }

private:
    void printJson(QJsonObject object) const;

    QIODevice *m_out;
    QIODevice *m_err;
    bool m_json;
    QString m_operation;
};

/// True when \a argument holds something secret: the redaction of logs and traces would mask part of it (a
/// connection string's AccessKey, a JWT, `access_token=`, ...), or it looks like a bare access key (a long
/// run of base64 characters).
bool looksSecret(const QString &argument);

/// "unexpected argument 'x'." or, for a secret-looking one, a message that does not quote it.
QString strayArgumentMessage(const QString &argument);

} // namespace wps::cli
