#include "service/serviceoptions.h"

#include <QLocale>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace wps::service {

std::chrono::milliseconds backoffDelay(const RetryOptions &options, int retry)
{
    const double base =
        static_cast<double>(options.initialDelay.count()) * std::pow(2.0, std::max(0, retry - 1));
    const double capped = std::min(base, static_cast<double>(options.maxDelay.count()));
    const double jitter = std::clamp(options.jitter, 0.0, 1.0);
    const double factor = 1.0 - jitter + 2.0 * jitter * QRandomGenerator::global()->generateDouble();
    return std::chrono::milliseconds(static_cast<qint64>(std::max(0.0, capped * factor)));
}

std::optional<std::chrono::milliseconds> retryAfterHint(const QByteArray &retryAfterMs,
                                                        const QByteArray &xMsRetryAfterMs,
                                                        const QByteArray &retryAfter, const QDateTime &now)
{
    for (const QByteArray &ms : {retryAfterMs, xMsRetryAfterMs}) {
        bool ok = false;
        const double value = ms.trimmed().toDouble(&ok);
        if (ok && value >= 0)
            return std::chrono::milliseconds(static_cast<qint64>(value));
    }
    const QByteArray text = retryAfter.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (ok)
        return seconds >= 0 ? std::optional(std::chrono::milliseconds(static_cast<qint64>(seconds * 1000)))
                            : std::nullopt;
    // IMF-fixdate ("Wed, 21 Oct 2015 07:28:00 GMT"), which Qt 6.4's RFC 2822 parser does not take with "GMT".
    QString dateText = QString::fromLatin1(text);
    QDateTime when;
    if (dateText.endsWith(u" GMT"_s)) {
        when = QLocale::c().toDateTime(dateText.chopped(4), u"ddd, dd MMM yyyy HH:mm:ss"_s);
        when.setTimeSpec(Qt::UTC);
    }
    if (!when.isValid())
        when = QDateTime::fromString(dateText, Qt::RFC2822Date);
    if (!when.isValid())
        return std::nullopt;
    return std::chrono::milliseconds(std::max<qint64>(0, now.msecsTo(when)));
}

bool isRetryableStatus(int status)
{
    switch (status) {
    case 408:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
        return true;
    default:
        return false;
    }
}

} // namespace wps::service
