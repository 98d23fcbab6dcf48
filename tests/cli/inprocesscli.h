// In-process runs of the `webpubsub` command line (wps::cli::Cli) against the real emulator on 127.0.0.1
// port 0: stdout and stderr are buffers, stdin a buffer or a real pipe (for listen), the environment is the
// test's. The same runner the binary uses (app/webpubsub/main.cpp only wires it to the process).
#pragma once

#include "cli/cli.h"
#include "support/emulatorprocess.h"
#include "support/printers.h"
#include "support/wait.h"

#include <QBuffer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <unistd.h>

namespace wps::test {

struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// A pipe whose read end is a QFile (what the binary's stdin is); write() and close() feed it.
class StdinPipe
{
public:
    StdinPipe()
    {
        if (::pipe(m_fds) == 0)
            m_reader.open(m_fds[0], QIODevice::ReadOnly | QIODevice::Unbuffered);
    }
    ~StdinPipe()
    {
        close();
        m_reader.close();
        if (m_fds[0] >= 0)
            ::close(m_fds[0]);
    }
    QFile *device() { return &m_reader; }
    bool write(const QByteArray &bytes)
    {
        return m_fds[1] >= 0 && ::write(m_fds[1], bytes.constData(), size_t(bytes.size())) == bytes.size();
    }
    /// End of input.
    void close()
    {
        if (m_fds[1] >= 0)
            ::close(m_fds[1]);
        m_fds[1] = -1;
    }

private:
    int m_fds[2] = {-1, -1};
    QFile m_reader;
};

/// One Cli with buffers for stdout/stderr, started on demand and kept until destroyed (for listen).
class CliSession
{
public:
    CliSession(QIODevice *in, const QProcessEnvironment &environment)
        : m_cli(in, &m_out, &m_err)
        , m_finished(&m_cli, &cli::Cli::finished)
    {
        m_out.open(QIODevice::ReadWrite);
        m_err.open(QIODevice::ReadWrite);
        m_cli.setEnvironment(environment);
    }

    cli::Cli &cli() { return m_cli; }
    void start(const QStringList &args) { m_cli.start(args); }
    QByteArray out() const { return m_out.data(); }
    QByteArray err() const { return m_err.data(); }
    bool hasFinished() const { return !m_finished.isEmpty(); }
    /// Waits for finished(); its exit code, or -1 when it did not come.
    int waitForExit()
    {
        if (m_finished.isEmpty() && !m_finished.wait(kWaitMs))
            return -1;
        return m_finished.constFirst().constFirst().toInt();
    }
    /// stdout's JSON lines so far.
    QList<QJsonObject> lines() const
    {
        QList<QJsonObject> objects;
        const QList<QByteArray> raw = m_out.data().split('\n');
        for (const QByteArray &line : raw)
            if (!line.trimmed().isEmpty())
                objects.append(QJsonDocument::fromJson(line).object());
        return objects;
    }
    /// Waits until a JSON line on stdout satisfies \a predicate; that line.
    std::optional<QJsonObject> waitForLine(const std::function<bool(const QJsonObject &)> &predicate)
    {
        std::optional<QJsonObject> found;
        const bool seen = QTest::qWaitFor(
            [&] {
                const QList<QJsonObject> all = lines();
                for (const QJsonObject &line : all)
                    if (predicate(line)) {
                        found = line;
                        return true;
                    }
                return false;
            },
            kWaitMs);
        return seen ? found : std::nullopt;
    }

private:
    QBuffer m_out;
    QBuffer m_err;
    cli::Cli m_cli;
    QSignalSpy m_finished;
};

/// Fixture: a real emulator, and run() for one command line to its end.
class InProcessCliTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(m_emulator.start()) << m_emulator.errorText().toStdString(); }

    QProcessEnvironment environment(const QString &connectionString = {}) const
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("WEBPUBSUB_CONNECTION_STRING"),
                   connectionString.isEmpty() ? m_emulator.connectionString().toString() : connectionString);
        env.insert(QStringLiteral("AZURE_WEBPUBSUB_HUB"), QStringLiteral("hub1"));
        return env;
    }

    /// Runs \a args with \a stdinData as stdin (a buffer) to the end.
    CliResult run(const QStringList &args, const QByteArray &stdinData = {},
                  const QString &connectionString = {})
    {
        QBuffer in;
        in.setData(stdinData);
        in.open(QIODevice::ReadOnly);
        CliSession session(&in, environment(connectionString));
        session.start(args);
        EXPECT_FALSE(session.hasFinished()) << "finished() must come from the event loop, not from start()";
        CliResult result;
        result.exitCode = session.waitForExit();
        result.out = session.out();
        result.err = session.err();
        return result;
    }

    QByteArray key() const { return m_emulator.connectionString().accessKey().toUtf8(); }

    EmulatorProcess m_emulator;
};

inline bool isSystemEvent(const QJsonObject &line, const QString &event)
{
    return line.value(QStringLiteral("type")) == QStringLiteral("system") &&
           line.value(QStringLiteral("event")) == event;
}

} // namespace wps::test
