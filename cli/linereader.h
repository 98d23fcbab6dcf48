#pragma once

#include <QByteArray>
#include <QObject>

class QIODevice;

namespace wps::cli {

/// The one stdin reader of `listen` (every client kind): splits what arrives into lines (UTF-8, `\r\n`
/// accepted, empty lines skipped) and says when the input ended. A device backed by a file descriptor
/// (stdin, a pipe) is read when it is readable (a socket notifier, Unix); another device is read as it is,
/// and ends once read (a buffer) or when its read channel finishes (a socket). Without a device, the input
/// never ends (listen until interrupted).
class LineReader : public QObject
{
    Q_OBJECT
public:
    explicit LineReader(QIODevice *input, QObject *parent = nullptr);

    /// Starts reading (lines arrive from the event loop, never from inside start()).
    void start();
    bool hasEnded() const { return m_ended; }

Q_SIGNALS:
    void lineRead(const QString &line);
    void ended();

private:
    void readDescriptor(int fd);
    void readDevice();
    void take(const QByteArray &bytes);
    void end();

    QIODevice *m_input;
    QByteArray m_partial; ///< an unfinished line
    bool m_ended = false;
};

} // namespace wps::cli
