// wps::trace::redactSecrets: every secret shape the trace can see is masked, nothing else changes.
#include "trace/traceredact.h"

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using wps::trace::redactSecrets;

namespace {

const QByteArray kJwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyMSJ9.c2lnbmF0dXJlLXZhbHVl";

TEST(TraceRedact, MasksJwtsAnywhere)
{
    const QByteArray out = redactSecrets("token " + kJwt + " end");
    EXPECT_FALSE(out.contains(kJwt));
    EXPECT_FALSE(out.contains("eyJzdWIi"));
    EXPECT_TRUE(out.contains("***"));
    EXPECT_TRUE(out.endsWith(" end"));
}

TEST(TraceRedact, MasksCutJwtPreviews)
{
    // A preview cut in the middle of a token still must not show its parts.
    const QByteArray cut = kJwt.left(50);
    EXPECT_FALSE(redactSecrets(cut).contains("eyJhbGciOiJIUzI1NiIs"));
}

TEST(TraceRedact, MasksSecretQueryValues)
{
    const QByteArray url = "wss://h/client/hubs/x?access_token=abc.def&awps_reconnection_token=rt123&id=7";
    const QByteArray out = redactSecrets(url);
    EXPECT_EQ(out, QByteArray("wss://h/client/hubs/x?access_token=***&awps_reconnection_token=***&id=7"));
    const QByteArray cs = "Endpoint=http://127.0.0.1:8080;AccessKey=c2VjcmV0a2V5;Version=1.0;";
    EXPECT_EQ(redactSecrets(cs), QByteArray("Endpoint=http://127.0.0.1:8080;AccessKey=***;Version=1.0;"));
    // continuationToken is paging, not a secret.
    EXPECT_EQ(redactSecrets(QByteArrayLiteral("continuationToken=page2")),
              QByteArray("continuationToken=page2"));
}

TEST(TraceRedact, MasksSecretJsonMembers)
{
    const QByteArray json =
        R"({"type":"system","event":"connected","userId":"u1","connectionId":"c1","reconnectionToken":"r-e-c"})";
    const QByteArray out = redactSecrets(json);
    EXPECT_FALSE(out.contains("r-e-c"));
    EXPECT_TRUE(out.contains(R"("reconnectionToken":"***")"));
    EXPECT_TRUE(out.contains(R"("userId":"u1")"));
    EXPECT_EQ(redactSecrets(QByteArrayLiteral(R"({"token" : "a\"b", "x":1})")),
              QByteArray(R"({"token" : "***", "x":1})"));
}

TEST(TraceRedact, MasksAuthorizationHeadersAndBearer)
{
    const QByteArray headers =
        "Content-Type: text/plain\r\nAuthorization: Bearer abc.def.ghi\r\nCookie: s=1\r\n";
    const QByteArray out = redactSecrets(headers);
    EXPECT_EQ(out, QByteArray("Content-Type: text/plain\r\nAuthorization: Bearer ***\r\nCookie: ***\r\n"));
    EXPECT_EQ(redactSecrets(QByteArrayLiteral("use bearer xyz now")), QByteArray("use bearer *** now"));
}

TEST(TraceRedact, LeavesOrdinaryDataAloneAndIsIdempotent)
{
    const QByteArray plain = R"({"type":"message","from":"group","group":"g1","data":"hello: key"})";
    EXPECT_EQ(redactSecrets(plain), plain);
    EXPECT_EQ(redactSecrets(plain).constData(), plain.constData()) << "no copy when nothing is masked";
    const QByteArray once = redactSecrets("a=1&sig=xyz&token=" + kJwt);
    EXPECT_EQ(redactSecrets(once), once);
}

TEST(TraceRedact, WorksOnBinaryAndStrings)
{
    const QByteArray binary =
        QByteArray("\x08\x01\x12", 3) + QByteArray(1, '\0') + "access_token=qq&" + "\xff\xfe";
    const QByteArray out = redactSecrets(binary);
    EXPECT_FALSE(out.contains("=qq"));
    EXPECT_TRUE(out.endsWith("\xff\xfe"));
    EXPECT_EQ(redactSecrets(u"GET https://x/api?access_token=zz"_s), u"GET https://x/api?access_token=***"_s);
}

} // namespace
