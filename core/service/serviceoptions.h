#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <chrono>
#include <optional>

namespace wps::service {

/// When and how long a failed request is retried, like the Azure SDKs' exponential retry policy
/// (docs/service-client.md). Every value is a plain field so tests can shrink it.
struct RetryOptions
{
    /// Retries after the first try; 0 disables retrying. The SDKs default to 3.
    int maxRetries = 3;
    /// Backoff before retry n (1-based) is initialDelay * 2^(n-1), capped at maxDelay, then jittered.
    std::chrono::milliseconds initialDelay{800};
    std::chrono::milliseconds maxDelay{60000};
    /// Each backoff is multiplied by a random factor in [1 - jitter, 1 + jitter].
    double jitter = 0.2;
    /// A Retry-After (or retry-after-ms) longer than this is cut to it, so a bad header cannot stall a call.
    std::chrono::milliseconds maxRetryAfter{60000};
    /// Whether a send (`:send`) is retried after a timeout or a reset once the request went out. Off by
    /// default: the service may have accepted the message already, and a retry would deliver it twice.
    bool retryUnansweredSends = false;
};

/// Settings of one ServiceClient.
struct ServiceClientOptions
{
    QString apiVersion = QStringLiteral("2024-12-01");
    /// Per attempt: the request is aborted when no byte moved for this long (setTransferTimeout) or when the
    /// attempt as a whole took this long.
    std::chrono::milliseconds timeout{30000};
    RetryOptions retry;
    /// Empty means "webpubsub-console/<version>".
    QString userAgent;
    /// Bodies in traces are cut to this many bytes.
    int bodyPreviewLimit = 1024;
    /// Upper bound on pages a listing follows (bounded loops).
    int maxPages = 10000;
};

/// Backoff for retry number \a retry (1-based) without any server hint, with jitter.
std::chrono::milliseconds backoffDelay(const RetryOptions &options, int retry);

/// The server's hint from `retry-after-ms`, `x-ms-retry-after-ms` (milliseconds) or `Retry-After` (seconds or
/// an HTTP-date, relative to \a now), in that order of preference, as the Azure SDKs read them. nullopt when
/// none is present or parseable.
std::optional<std::chrono::milliseconds> retryAfterHint(const QByteArray &retryAfterMs,
                                                        const QByteArray &xMsRetryAfterMs,
                                                        const QByteArray &retryAfter, const QDateTime &now);

/// Statuses the SDKs treat as transient: 408, 429, 500, 502, 503, 504.
bool isRetryableStatus(int status);

} // namespace wps::service
