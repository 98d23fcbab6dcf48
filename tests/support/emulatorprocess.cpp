#include "emulatorprocess.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFileInfo>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

using namespace Qt::Literals::StringLiterals;

namespace wps::test {

EmulatorProcess::EmulatorProcess()
    : m_process(std::make_unique<QProcess>())
{
}

EmulatorProcess::~EmulatorProcess()
{
    stop();
}

QString EmulatorProcess::binaryPath()
{
    const QString fromEnv = qEnvironmentVariable("WPS_EMULATOR_BIN");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QCoreApplication::applicationDirPath() + u"/../app/webpubsub-emulator"_s;
}

bool EmulatorProcess::start(const QStringList &extraArgs, int timeoutMs)
{
    const QString bin = binaryPath();
    if (!QFileInfo(bin).isExecutable()) {
        m_error = u"emulator binary not found: "_s + bin;
        return false;
    }
    QStringList args{u"--host"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s};
    args += extraArgs;
    m_process->setProgram(bin);
    m_process->setArguments(args);
#ifdef Q_OS_LINUX
    // A test binary that crashes (or is killed by ctest's timeout) must not leave emulators behind.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
#endif
    m_process->start();
    if (!m_process->waitForStarted(timeoutMs)) {
        m_error = m_process->errorString();
        return false;
    }
    QDeadlineTimer deadline(timeoutMs);
    QByteArray line;
    while (!deadline.hasExpired()) {
        if (m_process->canReadLine()) {
            line = m_process->readLine().trimmed();
            break;
        }
        if (m_process->state() != QProcess::Running)
            break;
        m_process->waitForReadyRead(static_cast<int>(qMax<qint64>(1, deadline.remainingTime())));
    }
    m_stderr += m_process->readAllStandardError();
    if (line.isEmpty()) {
        m_error = u"emulator printed no connection string; stderr: "_s + QString::fromUtf8(m_stderr);
        stop();
        return false;
    }
    auto parsed = ConnectionString::parse(QString::fromUtf8(line));
    if (!parsed) {
        m_error = u"emulator printed an invalid connection string: "_s + parsed.error();
        stop();
        return false;
    }
    m_connection = *parsed;
    return true;
}

void EmulatorProcess::stop()
{
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
}

QString EmulatorProcess::log()
{
    m_stderr += m_process->readAllStandardError();
    return QString::fromUtf8(m_stderr);
}

} // namespace wps::test
