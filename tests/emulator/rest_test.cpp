// Every REST route's status and error contract (docs/protocol.md#rest-api), over loopback HTTP with
// QNetworkAccessManager against an Emulator started in-process on port 0.
#include "emulator/emulator.h"
#include "protocol/filter.h"
#include "protocol/jwt.h"
#include "support/printers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QUrlQuery>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace wps::emulator;

namespace {

const QString kKey = u"primary-key-0123456789abcdefghijklmnop"_s;
const QString kSecondary = u"secondary-key-0123456789abcdefghijklmn"_s;

class RecordingSink : public ConnectionSink
{
public:
    void deliver(const Delivery &message) override { delivered << message; }
    void close(const QString &reason) override { closes << reason; }
    QList<Delivery> delivered;
    QStringList closes;
};

struct Reply
{
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers)
            if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
                return value;
        return {};
    }
    bool hasHeader(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers)
            if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
                return true;
        return false;
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

enum class Auth { Valid, None, WrongKey, Expired, WrongAudience, Secondary, AudienceWithoutQuery };

class RestTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        EmulatorOptions options;
        options.accessKey = kKey;
        options.secondaryKey = kSecondary;
        m_emulator = std::make_unique<Emulator>(options);
        auto started = m_emulator->start();
        ASSERT_TRUE(started) << started.error().toStdString();
    }

    QUrl url(const QString &pathAndQuery) const
    {
        return QUrl(m_emulator->connectionString().endpoint().toString() + pathAndQuery, QUrl::TolerantMode);
    }

    Reply call(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body = {},
               const QByteArray &contentType = {}, Auth auth = Auth::Valid)
    {
        const QUrl target = url(pathAndQuery);
        QNetworkRequest request(target);
        if (!contentType.isEmpty())
            request.setRawHeader("Content-Type", contentType);
        if (auth != Auth::None) {
            QString aud = target.toString(QUrl::FullyEncoded);
            if (auth == Auth::WrongAudience)
                aud = url(u"/api/hubs/other/:send"_s).toString();
            if (auth == Auth::AudienceWithoutQuery)
                aud = target.adjusted(QUrl::RemoveQuery).toString(QUrl::FullyEncoded);
            const qint64 now = QDateTime::currentSecsSinceEpoch();
            QJsonObject claims{{u"aud"_s, aud}, {u"exp"_s, auth == Auth::Expired ? now - 3600 : now + 3600}};
            QByteArray key = kKey.toUtf8();
            if (auth == Auth::WrongKey)
                key = "not-the-key";
            if (auth == Auth::Secondary)
                key = kSecondary.toUtf8();
            request.setRawHeader("Authorization", "Bearer " + wps::jwt::signHs256(claims, key));
        }
        QNetworkReply *reply =
            method == "HEAD" ? m_nam.head(request) : m_nam.sendCustomRequest(request, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished()) {
            EXPECT_TRUE(finished.wait(10000));
        }
        Reply result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
        result.headers = reply->rawHeaderPairs();
        reply->deleteLater();
        return result;
    }

    std::shared_ptr<RecordingSink> connect(const QString &id, std::optional<QString> user = std::nullopt,
                                           const QString &hub = u"chat"_s)
    {
        auto sink = std::make_shared<RecordingSink>();
        Connection c;
        c.id = id;
        c.userId = std::move(user);
        c.sink = sink;
        EXPECT_TRUE(m_emulator->hubs().hub(hub).addConnection(c));
        return sink;
    }

    HubState &chat() { return m_emulator->hubs().hub(u"chat"_s); }

    void expectError(const Reply &reply, int status, const QString &code, const QString &target = {})
    {
        EXPECT_EQ(reply.status, status) << reply.body.toStdString();
        EXPECT_EQ(reply.header("x-ms-error-code"), code.toLatin1());
        const QJsonObject body = reply.json();
        EXPECT_EQ(body.value(u"code"_s).toString(), code);
        EXPECT_FALSE(body.value(u"message"_s).toString().isEmpty());
        if (!target.isEmpty()) {
            EXPECT_EQ(body.value(u"target"_s).toString(), target);
        }
        EXPECT_TRUE(body.contains(u"details"_s));
        EXPECT_TRUE(body.contains(u"inner"_s));
    }

    std::unique_ptr<Emulator> m_emulator;
    QNetworkAccessManager m_nam;
};

const QByteArray kVersions = "2021-10-01, 2022-11-01, 2023-07-01, 2024-01-01, 2024-12-01";
const QString v = u"?api-version=2024-12-01"_s;

} // namespace

TEST_F(RestTest, HealthNeedsNoTokenAndHasNoVersionsHeader)
{
    const Reply reply = call("HEAD", u"/api/health"_s + v, {}, {}, Auth::None);
    EXPECT_EQ(reply.status, 200);
    EXPECT_FALSE(reply.hasHeader("api-supported-versions"));
    EXPECT_TRUE(reply.body.isEmpty());
}

TEST_F(RestTest, UnauthorizedForEveryBadToken)
{
    for (Auth auth : {Auth::None, Auth::WrongKey, Auth::Expired, Auth::WrongAudience}) {
        const Reply reply = call("POST", u"/api/hubs/chat/:send"_s + v, "hi", "text/plain", auth);
        EXPECT_EQ(reply.status, 401) << static_cast<int>(auth);
        EXPECT_FALSE(reply.json().value(u"message"_s).toString().isEmpty());
        EXPECT_FALSE(reply.body.contains("eyJ")) << "the 401 body must not echo the token";
    }
}

TEST_F(RestTest, AcceptsSecondaryKeyAndAudienceWithoutQuery)
{
    EXPECT_EQ(call("POST", u"/api/hubs/chat/:send"_s + v, "hi", "text/plain", Auth::Secondary).status, 202);
    EXPECT_EQ(
        call("POST", u"/api/hubs/chat/:send"_s + v, "hi", "text/plain", Auth::AudienceWithoutQuery).status,
        202);
}

TEST_F(RestTest, EverySupportedApiVersionIsAcceptedAndAnUnknownOneIs400)
{
    for (const char *version : {"2021-10-01", "2022-11-01", "2023-07-01", "2024-01-01", "2024-12-01"}) {
        const Reply reply =
            call("POST", u"/api/hubs/chat/:send?api-version="_s + QString::fromLatin1(version), "hi",
                 "text/plain");
        EXPECT_EQ(reply.status, 202) << version;
        EXPECT_EQ(reply.header("api-supported-versions"), kVersions);
    }
    EXPECT_EQ(call("POST", u"/api/hubs/chat/:send"_s, "hi", "text/plain").status, 202);
    expectError(call("POST", u"/api/hubs/chat/:send?api-version=2099-01-01"_s, "hi", "text/plain"), 400,
                u"Error.BadRequest"_s, u"api-version"_s);
}

TEST_F(RestTest, SendsAreAcceptedForUnknownTargets)
{
    EXPECT_EQ(call("POST", u"/api/hubs/chat/connections/nobody/:send"_s + v, "x", "text/plain").status, 202);
    EXPECT_EQ(call("POST", u"/api/hubs/chat/users/nobody/:send"_s + v, "x", "text/plain").status, 202);
    EXPECT_EQ(call("POST", u"/api/hubs/chat/groups/nothing/:send"_s + v, "x", "text/plain").status, 202);
}

TEST_F(RestTest, SendDeliversWithDataTypeFromContentType)
{
    auto c1 = connect(u"c1"_s, u"alice"_s);
    auto c2 = connect(u"c2"_s);
    EXPECT_EQ(
        call("POST", u"/api/hubs/chat/:send"_s + v, R"({"a":1})", "application/json; charset=utf-8").status,
        202);
    EXPECT_EQ(call("POST", u"/api/hubs/chat/:send"_s + v, "text", "text/plain;charset=utf-8").status, 202);
    EXPECT_EQ(
        call("POST", u"/api/hubs/chat/:send"_s + v, QByteArray("\x00\x01", 2), "application/octet-stream")
            .status,
        202);
    EXPECT_EQ(call("POST", u"/api/hubs/chat/:send"_s + v, R"("scalar")", "application/json").status, 202);
    ASSERT_EQ(c1->delivered.size(), 4);
    ASSERT_EQ(c2->delivered.size(), 4);
    EXPECT_EQ(c1->delivered[0].dataType, DataType::Json);
    EXPECT_EQ(c1->delivered[0].data, R"({"a":1})");
    EXPECT_TRUE(c1->delivered[0].group.isEmpty());
    EXPECT_EQ(c1->delivered[1].dataType, DataType::Text);
    EXPECT_EQ(c1->delivered[2].dataType, DataType::Binary);
    EXPECT_EQ(c1->delivered[2].data, QByteArray("\x00\x01", 2));

    expectError(call("POST", u"/api/hubs/chat/:send"_s + v, "x", "application/xml"), 415,
                u"Error.UnsupportedMediaType"_s);
    expectError(call("POST", u"/api/hubs/chat/:send"_s + v, "{not json", "application/json"), 400,
                u"Error.BadRequest"_s);
    EXPECT_EQ(c1->delivered.size(), 4);
}

TEST_F(RestTest, EachSendReachesItsTargetsExceptTheExcludedConnections)
{
    auto a1 = connect(u"a1"_s, u"alice"_s);
    auto a2 = connect(u"a2"_s, u"alice"_s);
    auto b1 = connect(u"b1"_s, u"bob"_s);
    ASSERT_TRUE(chat().addToGroup(u"a1"_s, u"room"_s));
    ASSERT_TRUE(chat().addToGroup(u"b1"_s, u"room"_s));

    EXPECT_EQ(
        call("POST", u"/api/hubs/chat/:send"_s + v + u"&excluded=a1&excluded=b1"_s, "x", "text/plain").status,
        202);
    EXPECT_EQ(a1->delivered.size(), 0);
    EXPECT_EQ(a2->delivered.size(), 1);
    EXPECT_EQ(b1->delivered.size(), 0);

    EXPECT_EQ(call("POST", u"/api/hubs/chat/users/alice/:send"_s + v, "x", "text/plain").status, 202);
    EXPECT_EQ(a1->delivered.size(), 1);
    EXPECT_EQ(a2->delivered.size(), 2);

    EXPECT_EQ(
        call("POST", u"/api/hubs/chat/groups/room/:send"_s + v + u"&excluded=b1"_s, "g", "text/plain").status,
        202);
    ASSERT_EQ(a1->delivered.size(), 2);
    EXPECT_EQ(a1->delivered.last().group, u"room"_s);
    EXPECT_EQ(b1->delivered.size(), 0);

    EXPECT_EQ(call("POST", u"/api/hubs/chat/connections/b1/:send"_s + v + u"&messageTtlSeconds=300"_s, "x",
                   "text/plain")
                  .status,
              202);
    EXPECT_EQ(b1->delivered.size(), 1);
    for (const QString &bad : {u"-1"_s, u"301"_s, u"abc"_s})
        expectError(
            call("POST", u"/api/hubs/chat/:send"_s + v + u"&messageTtlSeconds="_s + bad, "x", "text/plain"),
            400, u"Error.BadRequest"_s, u"messageTtlSeconds"_s);
}

TEST_F(RestTest, BodyLimitIsOneMebibyte)
{
    auto c1 = connect(u"c1"_s);
    EXPECT_EQ(call("POST", u"/api/hubs/chat/:send"_s + v, QByteArray(1024 * 1024, 'a'), "text/plain").status,
              202);
    const Reply tooBig =
        call("POST", u"/api/hubs/chat/:send"_s + v, QByteArray(1024 * 1024 + 1, 'a'), "text/plain");
    EXPECT_EQ(tooBig.status, 413);
    EXPECT_EQ(c1->delivered.size(), 1);
}

TEST_F(RestTest, BadHubAndGroupNamesAreBadRequests)
{
    expectError(call("POST", u"/api/hubs/1bad/:send"_s + v, "x", "text/plain"), 400, u"Error.BadRequest"_s,
                u"hub"_s);
    expectError(call("POST", u"/api/hubs/chat/groups/%20%20/:send"_s + v, "x", "text/plain"), 400,
                u"Error.BadRequest"_s, u"group"_s);
    const Reply longGroup = call("HEAD", u"/api/hubs/chat/groups/"_s + QString(1025, u'g') + v);
    EXPECT_EQ(longGroup.status, 400);
    EXPECT_EQ(longGroup.header("x-ms-error-code"), "Error.BadRequest");
}

TEST_F(RestTest, PathSegmentsAreDecodedOnceAndSlashStaysEncoded)
{
    auto slash = connect(u"s"_s, u"tenant%2Falice"_s);
    auto plus = connect(u"p"_s, u"alice+bob"_s);
    auto space = connect(u"sp"_s, u"alice smith"_s);
    EXPECT_EQ(call("HEAD", u"/api/hubs/chat/users/tenant%2Falice"_s + v).status, 200);
    EXPECT_EQ(call("HEAD", u"/api/hubs/chat/users/tenant%252Falice"_s + v).status, 200);
    EXPECT_EQ(call("HEAD", u"/api/hubs/chat/users/alice+bob"_s + v).status, 200);
    EXPECT_EQ(call("HEAD", u"/api/hubs/chat/users/alice%20smith"_s + v).status, 200);
    EXPECT_EQ(call("HEAD", u"/api/hubs/chat/users/alice%20bob"_s + v).status, 404);
    EXPECT_EQ(call("POST", u"/api/hubs/chat/users/tenant%2Falice/:send"_s + v, "x", "text/plain").status,
              202);
    EXPECT_EQ(slash->delivered.size(), 1);
    EXPECT_EQ(plus->delivered.size(), 0);
    EXPECT_EQ(space->delivered.size(), 0);
}

TEST_F(RestTest, HeadIs404WithTheServicesCodeUntilTheTargetExists)
{
    for (const auto &[path, code] :
         {std::pair{u"/api/hubs/chat/connections/c1"_s, "Warning.Connection.NotExisted"},
          std::pair{u"/api/hubs/chat/users/u1"_s, "Warning.User.NotExisted"},
          std::pair{u"/api/hubs/chat/groups/g1"_s, "Warning.Group.NotExisted"},
          std::pair{
              u"/api/hubs/chat/permissions/sendToGroup/connections/c1?targetName=g1&api-version=2024-12-01"_s,
              "Info.Connection.NotExisted"}}) {
        const Reply reply = call("HEAD", path.contains(u'?') ? path : path + v);
        EXPECT_EQ(reply.status, 404) << path.toStdString();
        EXPECT_EQ(reply.header("x-ms-error-code"), QByteArray(code));
        EXPECT_TRUE(reply.body.isEmpty());
        EXPECT_GT(reply.header("content-length").toInt(), 0);
        EXPECT_EQ(reply.header("api-supported-versions"), kVersions);
    }
    connect(u"c1"_s, u"u1"_s);
    ASSERT_TRUE(chat().addToGroup(u"c1"_s, u"g1"_s));
    EXPECT_EQ(call("HEAD", u"/api/hubs/chat/connections/c1"_s + v).status, 200);
    EXPECT_EQ(call("HEAD", u"/api/hubs/chat/users/u1"_s + v).status, 200);
    EXPECT_EQ(call("HEAD", u"/api/hubs/chat/groups/g1"_s + v).status, 200);
}

TEST_F(RestTest, EveryCloseEndpointClosesExactlyItsTargetsAndAnswers204)
{
    auto a = connect(u"a"_s, u"alice"_s);
    auto b = connect(u"b"_s, u"bob"_s);
    auto c = connect(u"c"_s, u"bob"_s);
    auto d = connect(u"d"_s);
    ASSERT_TRUE(chat().addToGroup(u"d"_s, u"room"_s));
    EXPECT_EQ(call("DELETE", u"/api/hubs/chat/connections/unknown"_s + v).status, 204);
    EXPECT_EQ(call("DELETE", u"/api/hubs/chat/connections/a"_s + v + u"&reason=bye%20now"_s).status, 204);
    EXPECT_EQ(a->closes, QStringList{u"bye now"_s});
    EXPECT_EQ(call("POST", u"/api/hubs/chat/users/bob/:closeConnections"_s + v + u"&excluded=c"_s).status,
              204);
    EXPECT_EQ(b->closes, QStringList{u"Closed by REST API."_s});
    EXPECT_TRUE(c->closes.isEmpty());
    EXPECT_EQ(call("POST", u"/api/hubs/chat/groups/room/:closeConnections"_s + v).status, 204);
    EXPECT_EQ(d->closes.size(), 1);
    EXPECT_EQ(call("POST", u"/api/hubs/chat/:closeConnections"_s + v + u"&reason=all"_s).status, 204);
    EXPECT_EQ(c->closes, QStringList{u"all"_s});
    EXPECT_TRUE(chat().connectionIds().isEmpty());
    EXPECT_EQ(call("POST", u"/api/hubs/chat/users/nobody/:closeConnections"_s + v).status, 204);
}

TEST_F(RestTest, AConnectionJoinsAndLeavesGroupsAndOnlyAddingAnUnknownOneIs404)
{
    const Reply unknown = call("PUT", u"/api/hubs/chat/groups/g/connections/nope"_s + v);
    expectError(unknown, 404, u"Error.Connection.NotExisted"_s, u"Connection"_s);
    EXPECT_EQ(unknown.json().value(u"message"_s).toString(), u"Connection `nope` is not found."_s);
    connect(u"c1"_s);
    EXPECT_EQ(call("PUT", u"/api/hubs/chat/groups/g/connections/c1"_s + v).status, 200);
    EXPECT_EQ(call("PUT", u"/api/hubs/chat/groups/h/connections/c1"_s + v).status, 200);
    EXPECT_EQ(chat().connection(u"c1"_s)->groups, (QSet<QString>{u"g"_s, u"h"_s}));
    EXPECT_EQ(call("DELETE", u"/api/hubs/chat/groups/g/connections/c1"_s + v).status, 204);
    EXPECT_EQ(chat().connection(u"c1"_s)->groups, QSet<QString>{u"h"_s});
    EXPECT_EQ(call("DELETE", u"/api/hubs/chat/connections/c1/groups"_s + v).status, 204);
    EXPECT_TRUE(chat().connection(u"c1"_s)->groups.isEmpty());
    EXPECT_EQ(call("DELETE", u"/api/hubs/chat/connections/nope/groups"_s + v).status, 204);
    EXPECT_EQ(call("DELETE", u"/api/hubs/chat/groups/g/connections/nope"_s + v).status, 204);
}

TEST_F(RestTest, AUserJoinsAndLeavesGroupsWithAllItsConnections)
{
    const Reply unknown = call("PUT", u"/api/hubs/chat/users/alice/groups/g"_s + v);
    expectError(unknown, 404, u"Warning.User.NotExisted"_s, u"User"_s);
    EXPECT_EQ(unknown.json().value(u"message"_s).toString(), u"User `alice` is not found."_s);
    connect(u"a1"_s, u"alice"_s);
    connect(u"a2"_s, u"alice"_s);
    EXPECT_EQ(call("PUT", u"/api/hubs/chat/users/alice/groups/g"_s + v).status, 200);
    EXPECT_EQ(call("PUT", u"/api/hubs/chat/users/alice/groups/h"_s + v).status, 200);
    EXPECT_EQ(chat().connectionsInGroup(u"g"_s), (QStringList{u"a1"_s, u"a2"_s}));
    EXPECT_EQ(call("DELETE", u"/api/hubs/chat/users/alice/groups/g"_s + v).status, 204);
    EXPECT_FALSE(chat().hasGroup(u"g"_s));
    EXPECT_EQ(call("DELETE", u"/api/hubs/chat/users/alice/groups"_s + v).status, 204);
    EXPECT_FALSE(chat().hasGroup(u"h"_s));
    EXPECT_EQ(call("DELETE", u"/api/hubs/chat/users/nobody/groups"_s + v).status, 204);
}

TEST_F(RestTest, AddToAndRemoveFromGroupsCheckTheirBodyAndApplyToEveryMatch)
{
    connect(u"c1"_s, u"u1"_s);
    connect(u"c2"_s);
    const QString add = u"/api/hubs/chat/:addToGroups"_s + v;
    const QString remove = u"/api/hubs/chat/:removeFromGroups"_s + v;
    expectError(call("POST", add, R"({"groups":["g"]})", "text/plain"), 415, u"Error.UnsupportedMediaType"_s);
    expectError(call("POST", add, R"({"filter":null})", "application/json"), 400, u"Error.BadRequest"_s);
    expectError(call("POST", add, R"({"groups":[]})", "application/json"), 400, u"Error.BadRequest"_s);
    expectError(call("POST", add, R"({"groups":["g"],"extra":1})", "application/json"), 400,
                u"Error.BadRequest"_s);
    expectError(call("POST", add, R"({"groups":["  "]})", "application/json"), 400, u"Error.BadRequest"_s);
    expectError(call("POST", add, "not json", "application/json"), 400, u"Error.BadRequest"_s);

    const Reply added = call("POST", add, R"({"groups":["g","h"],"filter":null})", "application/json");
    EXPECT_EQ(added.status, 200);
    EXPECT_TRUE(added.body.isEmpty());
    EXPECT_EQ(chat().connectionsInGroup(u"g"_s), (QStringList{u"c1"_s, u"c2"_s}));
    EXPECT_EQ(chat().connectionsInGroup(u"h"_s), (QStringList{u"c1"_s, u"c2"_s}));
    EXPECT_EQ(call("POST", remove, R"({"groups":["g"]})", "application/json").status, 200);
    EXPECT_FALSE(chat().hasGroup(u"g"_s));
    EXPECT_TRUE(chat().hasGroup(u"h"_s));
}

TEST_F(RestTest, InvalidFilterIsAProblemDocument)
{
    for (const Reply &reply :
         {call("POST", u"/api/hubs/chat/:addToGroups"_s + v, R"({"groups":["g"],"filter":"invalid filter"})",
               "application/json"),
          call("POST", u"/api/hubs/chat/:send"_s + v + u"&filter=invalid%20filter"_s, "x", "text/plain")}) {
        EXPECT_EQ(reply.status, 400);
        EXPECT_TRUE(reply.header("content-type").startsWith("application/problem+json"));
        EXPECT_EQ(reply.header("x-ms-error-code"), "Error.BadRequest");
        EXPECT_FALSE(reply.hasHeader("api-supported-versions"));
        const QJsonObject body = reply.json();
        EXPECT_EQ(body.value(u"code"_s).toString(), u"Error.BadRequest"_s);
        EXPECT_EQ(body.value(u"target"_s).toString(), u"Filter"_s);
        EXPECT_TRUE(
            body.value(u"message"_s).toString().startsWith(u"Invalid syntax for 'invalid filter': "_s));
        EXPECT_TRUE(body.value(u"message"_s).toString().endsWith(u"(Parameter 'filter')"_s));
        EXPECT_EQ(body.value(u"errors"_s).toObject().value(u"Filter"_s).toArray().size(), 1);
        EXPECT_EQ(body.value(u"status"_s).toInt(), 400);
    }
}

TEST_F(RestTest, FiltersSelectConnections)
{
    if (!wps::filter::Expression::parse(u"userId eq 'u1'"))
        GTEST_SKIP() << "wps::filter::Expression::parse is not implemented yet";
    auto c1 = connect(u"c1"_s, u"u1"_s);
    auto c2 = connect(u"c2"_s, u"u2"_s);
    EXPECT_EQ(call("POST", u"/api/hubs/chat/:send"_s + v + u"&filter=userId%20eq%20'u1'"_s, "x", "text/plain")
                  .status,
              202);
    EXPECT_EQ(c1->delivered.size(), 1);
    EXPECT_EQ(c2->delivered.size(), 0);
    EXPECT_EQ(call("POST", u"/api/hubs/chat/:addToGroups"_s + v,
                   R"({"groups":["g"],"filter":"userId eq 'u2'"})", "application/json")
                  .status,
              200);
    EXPECT_EQ(chat().connectionsInGroup(u"g"_s), QStringList{u"c2"_s});
    EXPECT_EQ(call("POST", u"/api/hubs/chat/:addToGroups"_s + v,
                   R"({"groups":["g"],"filter":"userId eq 'nobody'"})", "application/json")
                  .status,
              200);
}

TEST_F(RestTest, ListConnectionsInGroupPages)
{
    for (int i = 1; i <= 6; ++i)
        connect(u"c%1"_s.arg(i), i == 3 ? std::nullopt : std::optional<QString>(u"u%1"_s.arg(i)));
    for (int i = 1; i <= 6; ++i)
        ASSERT_TRUE(chat().addToGroup(u"c%1"_s.arg(i), u"group1"_s));

    QString next = u"/api/hubs/chat/groups/group1/connections?maxpagesize=2&top=5&api-version=2024-12-01"_s;
    QStringList seen;
    QStringList links;
    for (int page = 0; page < 10 && !next.isEmpty(); ++page) {
        const Reply reply = call("GET", next);
        ASSERT_EQ(reply.status, 200) << reply.body.toStdString();
        const QJsonObject body = reply.json();
        for (const QJsonValue &item : body.value(u"value"_s).toArray()) {
            seen << item[u"connectionId"_s].toString();
            EXPECT_TRUE(item.toObject().contains(u"userId"_s));
            if (item[u"connectionId"_s].toString() == u"c3") {
                EXPECT_TRUE(item[u"userId"_s].isNull());
            }
        }
        next.clear();
        if (body.contains(u"nextLink"_s)) {
            const QUrl link(body.value(u"nextLink"_s).toString());
            EXPECT_TRUE(link.isValid());
            EXPECT_EQ(link.host(), u"127.0.0.1"_s);
            links << link.query();
            next = link.path() + u'?' + link.query(QUrl::FullyEncoded);
        }
    }
    EXPECT_EQ(seen, (QStringList{u"c1"_s, u"c2"_s, u"c3"_s, u"c4"_s, u"c5"_s}));
    ASSERT_EQ(links.size(), 2);
    EXPECT_TRUE(links[0].startsWith(u"top=3&maxpagesize=2&continuationToken="_s)) << links[0].toStdString();
    EXPECT_TRUE(links[0].endsWith(u"&api-version=2024-12-01"_s));
    EXPECT_TRUE(links[1].startsWith(u"top=1&maxpagesize=2&"_s));

    const Reply empty = call("GET", u"/api/hubs/chat/groups/nothing/connections"_s + v);
    EXPECT_EQ(empty.status, 200);
    EXPECT_EQ(empty.body, R"({"value":[]})");
    expectError(call("GET", u"/api/hubs/chat/groups/group1/connections"_s + v + u"&maxpagesize=0"_s), 400,
                u"Error.BadRequest"_s, u"maxpagesize"_s);
    expectError(call("GET", u"/api/hubs/chat/groups/group1/connections"_s + v + u"&maxpagesize=201"_s), 400,
                u"Error.BadRequest"_s);
    expectError(call("GET", u"/api/hubs/chat/groups/group1/connections"_s + v + u"&top=0"_s), 400,
                u"Error.BadRequest"_s, u"top"_s);
    expectError(
        call("GET", u"/api/hubs/chat/groups/group1/connections"_s + v + u"&continuationToken=%25%25"_s), 400,
        u"Error.BadRequest"_s, u"continuationToken"_s);
}

TEST_F(RestTest, APermissionIsGrantedCheckedAndRevokedPerConnectionAndGroup)
{
    const QString base = u"/api/hubs/chat/permissions/sendToGroup/connections/"_s;
    const Reply missingTarget = call("DELETE", base + u"c1"_s + v);
    expectError(missingTarget, 400, u"Error.BadRequest"_s, u"Request"_s);
    EXPECT_EQ(missingTarget.json().value(u"message"_s).toString(),
              u"Invalid group name. Valid group name should be in between 1 and 1024 characters long."_s);
    expectError(call("PUT", base + u"c1"_s + v + u"&targetName=g"_s), 404, u"Info.Connection.NotExisted"_s,
                u"Connection"_s);
    EXPECT_EQ(call("DELETE", base + u"c1"_s + v + u"&targetName=g"_s).status, 204);
    expectError(call("PUT", u"/api/hubs/chat/permissions/fly/connections/c1"_s + v + u"&targetName=g"_s), 400,
                u"Error.BadRequest"_s);

    connect(u"c1"_s);
    EXPECT_EQ(call("HEAD", base + u"c1"_s + v + u"&targetName=g"_s).status, 404);
    EXPECT_EQ(call("PUT", base + u"c1"_s + v + u"&targetName=g"_s).status, 200);
    EXPECT_EQ(call("HEAD", base + u"c1"_s + v + u"&targetName=g"_s).status, 200);
    EXPECT_EQ(call("HEAD", base + u"c1"_s + v + u"&targetName=G"_s).status, 404);
    EXPECT_EQ(
        call("HEAD", u"/api/hubs/chat/permissions/joinLeaveGroup/connections/c1"_s + v + u"&targetName=g"_s)
            .status,
        404);
    EXPECT_EQ(call("DELETE", base + u"c1"_s + v + u"&targetName=g"_s).status, 204);
    EXPECT_EQ(call("HEAD", base + u"c1"_s + v + u"&targetName=g"_s).status, 404);
}

TEST_F(RestTest, GenerateTokenSignsTheRequestedClaimsAndRefusesBadOptions)
{
    const Reply reply =
        call("POST", u"/api/hubs/chat/:generateToken"_s + v +
                         u"&userId=alice&role=webpubsub.sendToGroup&role=webpubsub.joinLeaveGroup.r1"
                         "&group=r1&minutesToExpire=5"_s);
    ASSERT_EQ(reply.status, 200) << reply.body.toStdString();
    EXPECT_TRUE(reply.header("content-type").startsWith("application/json"));
    const QByteArray token = reply.json().value(u"token"_s).toString().toLatin1();
    auto claims = wps::jwt::verifyHs256(token, {kKey.toUtf8()});
    ASSERT_TRUE(claims) << claims.error().message.toStdString();
    EXPECT_EQ(claims->value(u"aud"_s).toString(), url(u"/client/hubs/chat"_s).toString());
    EXPECT_EQ(claims->value(u"sub"_s).toString(), u"alice"_s);
    EXPECT_EQ(claims->value(u"role"_s).toArray().size(), 2);
    EXPECT_EQ(claims->value(u"webpubsub.group"_s).toArray(), QJsonArray{u"r1"_s});
    const qint64 lifetime = static_cast<qint64>(claims->value(u"exp"_s).toDouble()) -
                            static_cast<qint64>(claims->value(u"iat"_s).toDouble());
    EXPECT_EQ(lifetime, 300);

    const Reply mqtt = call("POST", u"/api/hubs/chat/:generateToken"_s + v + u"&clientType=MQTT"_s);
    ASSERT_EQ(mqtt.status, 200);
    auto mqttClaims = wps::jwt::decodeClaimsUnverified(mqtt.json().value(u"token"_s).toString().toLatin1());
    ASSERT_TRUE(mqttClaims);
    EXPECT_EQ(mqttClaims->value(u"aud"_s).toString(), url(u"/clients/mqtt/hubs/chat"_s).toString());
    EXPECT_FALSE(mqttClaims->contains(u"sub"_s));

    expectError(call("POST", u"/api/hubs/chat/:generateToken"_s + v + u"&clientType=carrier-pigeon"_s), 400,
                u"Error.BadRequest"_s, u"clientType"_s);
    expectError(call("POST", u"/api/hubs/chat/:generateToken"_s + v + u"&minutesToExpire=0"_s), 400,
                u"Error.BadRequest"_s, u"minutesToExpire"_s);
}

TEST_F(RestTest, UnknownRoutesAre404AndWrongMethodsAre405WithAllow)
{
    EXPECT_EQ(call("GET", u"/api/hubs/chat/nothing"_s + v).status, 404);
    EXPECT_EQ(call("GET", u"/elsewhere"_s).status, 404);
    const Reply wrongMethod = call("GET", u"/api/hubs/chat/:send"_s + v);
    EXPECT_EQ(wrongMethod.status, 405);
    EXPECT_EQ(wrongMethod.header("allow"), "POST");
}
