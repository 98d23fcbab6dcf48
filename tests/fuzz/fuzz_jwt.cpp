// libFuzzer target: JWT verification with a fixed key, unverified decoding and audience matching.
#include "protocol/jwt.h"

#include <QDateTime>
#include <QUrl>

#include <cstddef>
#include <cstdint>

using namespace Qt::Literals::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QByteArray key = QByteArrayLiteral("fuzz-access-key");
    static const QUrl requestUrl(u"http://127.0.0.1:8080/api/hubs/chat/:send?api-version=2024-12-01"_s);
    const QByteArray token(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));

    wps::jwt::VerifyOptions options;
    options.now = QDateTime::fromSecsSinceEpoch(1735689600, Qt::UTC);
    const auto verified = wps::jwt::verifyHs256(token, {key}, options);
    if (!verified && verified.error().message.isEmpty())
        __builtin_trap();

    const auto claims = wps::jwt::decodeClaimsUnverified(token);
    if (!claims)
        return 0;
    for (const QString &audience : wps::jwt::audiences(*claims)) {
        (void)wps::jwt::audienceMatches(audience, requestUrl, false);
        (void)wps::jwt::audienceMatches(audience, requestUrl, true);
    }
    // Whatever the claims, re-signing them with a valid lifetime must verify.
    QJsonObject resigned = *claims;
    resigned.insert(u"exp"_s, options.now.toSecsSinceEpoch() + 3600);
    resigned.remove(u"nbf"_s);
    if (!wps::jwt::verifyHs256(wps::jwt::signHs256(resigned, key), {key}, options))
        __builtin_trap();
    return 0;
}
