#pragma once

#include "protocol/connectionstring.h"

#include <QProcess>
#include <QStringList>

#include <memory>

namespace wps::test {

/// Starts the real `webpubsub-emulator` executable on 127.0.0.1 port 0 and reads the connection string it
/// prints. Tests talk to it over loopback sockets exactly as the console would. The process is killed when
/// this object goes away.
class EmulatorProcess
{
public:
    EmulatorProcess();
    ~EmulatorProcess();

    /// Starts the emulator with \a extraArgs and waits (on its output, not a sleep) until it listens.
    /// Returns false with the emulator's stderr in errorText() if it did not start within \a timeoutMs.
    bool start(const QStringList &extraArgs = {}, int timeoutMs = 15000);
    void stop();

    ConnectionString connectionString() const { return m_connection; }
    QUrl endpoint() const { return m_connection.endpoint(); }
    quint16 port() const { return static_cast<quint16>(m_connection.endpoint().port()); }
    QString errorText() const { return m_error; }
    /// All stderr the emulator wrote so far (its log).
    QString log();
    QProcess &process() { return *m_process; }

    /// Path of the emulator binary (from WPS_EMULATOR_BIN, set by ctest).
    static QString binaryPath();

private:
    std::unique_ptr<QProcess> m_process;
    ConnectionString m_connection;
    QString m_error;
    QByteArray m_stderr;
};

} // namespace wps::test
