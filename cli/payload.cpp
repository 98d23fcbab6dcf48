#include "cli/payload.h"

#include <QFile>
#include <QFileDevice>

#include <algorithm>
#include <cstring>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#endif

using namespace Qt::Literals::StringLiterals;

namespace wps::cli {

namespace {

using Result = Expected<QByteArray, QString>;

QString tooLarge(const QString &what)
{
    return u"the payload from %1 is larger than 1 MiB (1,048,576 bytes), the service's limit for one "
           u"message; "
           "nothing was sent."_s.arg(what);
}

/// A plain device (not a file descriptor): what it holds, up to the limit.
Result readDevice(QIODevice *input, const QString &what)
{
    if (!input || !input->isReadable())
        return Result::failure(u"cannot read %1."_s.arg(what));
    QByteArray data = input->read(kMaxPayloadBytes + 1);
    if (data.size() > kMaxPayloadBytes)
        return Result::failure(tooLarge(what));
    return data;
}

#ifdef Q_OS_UNIX
QString readError(const QString &what)
{
    return u"cannot read %1: %2."_s.arg(what, QString::fromLocal8Bit(std::strerror(errno)));
}

/// Reads \a fd to its end (or the limit) with poll(), giving up once \a wait has passed.
Result readDescriptor(int fd, const QString &what, std::chrono::milliseconds wait)
{
    QByteArray data;
    const auto deadline = std::chrono::steady_clock::now() + wait;
    char buffer[65536];
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return Result::failure(
                u"timed out after %1 s waiting for the payload from %2 (nothing more was written "
                "and it was not closed; --timeout sets the wait)."_s.arg(
                    QString::number(static_cast<double>(wait.count()) / 1000.0), what));
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(std::min<qint64>(left.count(), 1000)));
        if (ready < 0 && errno != EINTR)
            return Result::failure(readError(what));
        if (ready <= 0)
            continue;
        const qsizetype want = std::min<qsizetype>(sizeof buffer, kMaxPayloadBytes + 1 - data.size());
        const ssize_t got = ::read(fd, buffer, static_cast<size_t>(want));
        if (got == 0)
            break; // end of file
        if (got < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            return Result::failure(readError(what));
        }
        data.append(buffer, got);
        if (data.size() > kMaxPayloadBytes)
            return Result::failure(tooLarge(what));
    }
    return data;
}
#endif

} // namespace

Result readPayload(const QString &path, QIODevice *input, std::chrono::milliseconds wait)
{
    const QString what = path.isEmpty() ? u"stdin"_s : u"'%1'"_s.arg(path);
#ifdef Q_OS_UNIX
    if (!path.isEmpty()) {
        const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            return Result::failure(readError(what));
        Result result = readDescriptor(fd, what, wait);
        ::close(fd);
        return result;
    }
    if (auto *file = qobject_cast<QFileDevice *>(input); file && file->handle() >= 0)
        return readDescriptor(file->handle(), what, wait);
    return readDevice(input, what);
#else
    Q_UNUSED(wait);
    if (path.isEmpty())
        return readDevice(input, what);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result::failure(u"cannot read %1: %2."_s.arg(what, file.errorString()));
    return readDevice(&file, what);
#endif
}

} // namespace wps::cli
