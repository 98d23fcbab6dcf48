// Pure parts of the retry policy and the redaction helpers.
#include "service/httptrace.h"
#include "service/serviceoptions.h"
#include "support/printers.h"

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using wps::service::retryAfterHint;

TEST(RetryPolicy, RetryAfterHintReadsEveryFormat)
{
    const QDateTime now = QDateTime::fromString(u"2026-01-01T00:00:00Z"_s, Qt::ISODate);
    EXPECT_EQ(retryAfterHint({}, {}, "3", now), std::optional(3000ms));
    EXPECT_EQ(retryAfterHint("250", {}, "3", now), std::optional(250ms));
    EXPECT_EQ(retryAfterHint({}, "125", {}, now), std::optional(125ms));
    EXPECT_EQ(retryAfterHint({}, {}, "Thu, 01 Jan 2026 00:00:10 GMT", now), std::optional(10000ms));
    EXPECT_EQ(retryAfterHint({}, {}, "Wed, 31 Dec 2025 23:00:00 GMT", now), std::optional(0ms));
    EXPECT_EQ(retryAfterHint({}, {}, "soon", now), std::nullopt);
    EXPECT_EQ(retryAfterHint({}, {}, {}, now), std::nullopt);
}

TEST(RetryPolicy, BackoffGrowsIsCappedAndJittered)
{
    wps::service::RetryOptions options;
    options.initialDelay = 100ms;
    options.maxDelay = 1000ms;
    options.jitter = 0.2;
    for (int i = 0; i < 20; ++i) {
        const auto first = wps::service::backoffDelay(options, 1);
        EXPECT_GE(first, 80ms);
        EXPECT_LE(first, 120ms);
        const auto third = wps::service::backoffDelay(options, 3);
        EXPECT_GE(third, 320ms);
        EXPECT_LE(third, 480ms);
        EXPECT_LE(wps::service::backoffDelay(options, 30), 1200ms);
    }
    EXPECT_TRUE(wps::service::isRetryableStatus(429));
    EXPECT_TRUE(wps::service::isRetryableStatus(503));
    EXPECT_FALSE(wps::service::isRetryableStatus(501));
    EXPECT_FALSE(wps::service::isRetryableStatus(404));
}

TEST(Redaction, SecretsAreMaskedInUrlsHeadersAndBodyPreviews)
{
    const QUrl url(
        u"ws://h/client/hubs/a?access_token=eyJabc.def.ghi&hub=a&Signature=xyz&continuationToken=c1"_s);
    EXPECT_EQ(wps::service::redactUrl(url),
              u"ws://h/client/hubs/a?access_token=***&hub=a&Signature=***&continuationToken=c1"_s);
    EXPECT_EQ(wps::service::redactHeaderValue("authorization", "Bearer abc.def.ghi"), "Bearer ***");
    EXPECT_EQ(wps::service::redactHeaderValue("Content-Type", "text/plain"), "text/plain");
    EXPECT_EQ(wps::service::redactedPreview(R"({"code":"E","nested":{"accessKey":"k"},"token":"t"})", 1000),
              R"({"code":"E","nested":{"accessKey":"***"},"token":"***"})");
    EXPECT_EQ(wps::service::redactedPreview("Endpoint=http://x;AccessKey=secret;Version=1.0;", 1000),
              "Endpoint=http://x;AccessKey=***;Version=1.0;");
    EXPECT_EQ(wps::service::redactedPreview("token eyJhbGciOi.eyJzdWIi.c2ln here", 1000), "token *** here");
    EXPECT_EQ(wps::service::redactedPreview(QByteArray(5000, 'a'), 100).size(), 100);
}
