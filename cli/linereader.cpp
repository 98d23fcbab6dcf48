#include "cli/linereader.h"

#include <QFileDevice>
#include <QIODevice>
#include <QSocketNotifier>
#include <QTimer>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace wps::cli {

LineReader::LineReader(QIODevice *input, QObject *parent)
    : QObject(parent)
    , m_input(input)
{
}

void LineReader::start()
{
    if (!m_input)
        return; // nothing to read: the input never ends
#ifdef Q_OS_UNIX
    if (auto *file = qobject_cast<QFileDevice *>(m_input); file && file->handle() >= 0) {
        const int fd = file->handle();
        auto *notifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
        connect(notifier, &QSocketNotifier::activated, this, [this, notifier, fd] {
            readDescriptor(fd);
            if (m_ended)
                notifier->setEnabled(false);
        });
        return;
    }
#else
    if (auto *file = qobject_cast<QFileDevice *>(m_input); file && file->handle() >= 0)
        return; // no reader for a console or pipe handle here: listen until interrupted
#endif
    connect(m_input, &QIODevice::readyRead, this, &LineReader::readDevice);
    connect(m_input, &QIODevice::readChannelFinished, this, [this] {
        readDevice();
        end();
    });
    QTimer::singleShot(0, this, [this] {
        readDevice();
        if (!m_input->isSequential() || !m_input->isOpen())
            end(); // a buffer or a file: what it holds is all there is
    });
}

void LineReader::readDescriptor([[maybe_unused]] int fd)
{
#ifdef Q_OS_UNIX
    char buffer[4096];
    const auto got = ::read(fd, buffer, sizeof buffer);
    if (got <= 0) {
        end();
        return;
    }
    take(QByteArray(buffer, got));
#endif
}

void LineReader::readDevice()
{
    if (!m_ended && m_input->isOpen())
        take(m_input->readAll());
}

void LineReader::take(const QByteArray &bytes)
{
    m_partial.append(bytes);
    qsizetype newline = 0;
    while (!m_ended && (newline = m_partial.indexOf('\n')) >= 0) {
        QByteArray line = m_partial.left(newline);
        m_partial.remove(0, newline + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        if (!line.isEmpty())
            Q_EMIT lineRead(QString::fromUtf8(line));
    }
}

void LineReader::end()
{
    if (m_ended)
        return;
    QByteArray last = std::exchange(m_partial, {});
    if (last.endsWith('\r'))
        last.chop(1);
    if (!last.isEmpty())
        Q_EMIT lineRead(QString::fromUtf8(last));
    m_ended = true;
    Q_EMIT ended();
}

} // namespace wps::cli
