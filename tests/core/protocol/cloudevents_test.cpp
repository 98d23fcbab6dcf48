// Upstream CloudEvents: request headers and bodies, signatures, connect and user-event answers
// (docs/protocol.md#upstream-cloudevents).
#include "protocol/cloudevents.h"
#include "support/printers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
namespace ce = wps::cloudevents;
using wps::messages::DataType;
using wps::messages::Payload;

namespace {

const QByteArray kPrimary = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH"_ba;
const QByteArray kSecondary = "secondary-key-0123456789abcdefghijklmno"_ba;
// Computed outside Qt: python3 -c "import hmac,hashlib; print(hmac.new(KEY, b'conn1',
// hashlib.sha256).hexdigest())"
const QByteArray kPrimaryHmac = "8de7281e588e23b0a30a7180ffa240257b8176e983004c240c9f3f7a7233c993"_ba;
const QByteArray kSecondaryHmac = "94b6725fcc8aa280566495f7f7870d74e0707314b8fc6ad6081046a534d901bb"_ba;

QByteArray header(const ce::Headers &headers, QByteArrayView name)
{
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return "<absent>"_ba;
}

ce::EventAttributes userEvent()
{
    ce::EventAttributes event;
    event.kind = ce::EventKind::User;
    event.userEventName = u"chat"_s;
    event.hub = u"Chat_Hub"_s;
    event.connectionId = u"conn1"_s;
    event.userId = u"alice"_s;
    event.subprotocol = u"json.webpubsub.azure.v1"_s;
    event.connectionState = "eyJrZXkiOiJhIn0="_ba;
    event.id = 3;
    event.time = QDateTime(QDate(2021, 1, 1), QTime(0, 0), QTimeZone::utc());
    return event;
}

ce::ConnectResponse parseOk(const QByteArray &body, const QStringList &offered = {})
{
    auto result = ce::parseConnectResponse(body, std::nullopt, offered);
    EXPECT_TRUE(result) << body.toStdString() << ": "
                        << (result ? std::string() : result.error().toStdString());
    return result ? *result : ce::ConnectResponse{};
}

} // namespace

TEST(CloudEventsNames, SystemAndUserEventsGetTheirTypeAndName)
{
    EXPECT_EQ(ce::eventType(ce::EventKind::Connect), u"azure.webpubsub.sys.connect"_s);
    EXPECT_EQ(ce::eventType(ce::EventKind::Connected), u"azure.webpubsub.sys.connected"_s);
    EXPECT_EQ(ce::eventType(ce::EventKind::Disconnected), u"azure.webpubsub.sys.disconnected"_s);
    EXPECT_EQ(ce::eventType(ce::EventKind::User, u"message"_s), u"azure.webpubsub.user.message"_s);
    EXPECT_EQ(ce::eventName(ce::EventKind::User, u"chat"_s), u"chat"_s);
    EXPECT_EQ(ce::eventName(ce::EventKind::Disconnected), u"disconnected"_s);
}

TEST(CloudEventsSignature, TwoKeysMatchAHandComputedHmac)
{
    EXPECT_EQ(ce::signature(u"conn1"_s, {kPrimary}), "sha256=" + kPrimaryHmac);
    EXPECT_EQ(ce::signature(u"conn1"_s, {kPrimary, kSecondary}),
              "sha256=" + kPrimaryHmac + ",sha256=" + kSecondaryHmac);
}

TEST(CloudEventsSignature, VerifiesAnyEntryCaseInsensitively)
{
    const QList<QByteArray> keys{kPrimary, kSecondary};
    EXPECT_TRUE(ce::verifySignature(QByteArray("sha256=" + kPrimaryHmac), u"conn1"_s, keys));
    EXPECT_TRUE(ce::verifySignature(QByteArray("sha256=" + kSecondaryHmac.toUpper()), u"conn1"_s, keys));
    EXPECT_TRUE(
        ce::verifySignature(QByteArray("sha256=00, sha256=" + kSecondaryHmac), u"conn1"_s, {kSecondary}));
    EXPECT_FALSE(ce::verifySignature(QByteArray("sha256=" + kPrimaryHmac), u"conn2"_s, keys));
    EXPECT_FALSE(ce::verifySignature(QByteArray("sha256=" + kSecondaryHmac), u"conn1"_s, {kPrimary}));
    EXPECT_FALSE(ce::verifySignature(kPrimaryHmac, u"conn1"_s, keys)); // no sha256= prefix
    EXPECT_FALSE(ce::verifySignature("", u"conn1"_s, keys));
}

TEST(CloudEventsHeaders, UserEventHasEveryAttribute)
{
    const ce::Headers headers = ce::buildHeaders(userEvent(), {kPrimary, kSecondary}, u"localhost:8080"_s,
                                                 ce::contentTypeFor(DataType::Text));
    EXPECT_EQ(header(headers, "WebHook-Request-Origin"), "localhost:8080");
    EXPECT_EQ(header(headers, "Content-Type"), "text/plain");
    EXPECT_EQ(header(headers, "ce-specversion"), "1.0");
    EXPECT_EQ(header(headers, "ce-awpsversion"), "1.0");
    EXPECT_EQ(header(headers, "ce-type"), "azure.webpubsub.user.chat");
    EXPECT_EQ(header(headers, "ce-source"), "/hubs/Chat_Hub/client/conn1");
    EXPECT_EQ(header(headers, "ce-id"), "3");
    EXPECT_EQ(header(headers, "ce-time"), "2021-01-01T00:00:00Z");
    EXPECT_EQ(header(headers, "ce-signature"), "sha256=" + kPrimaryHmac + ",sha256=" + kSecondaryHmac);
    EXPECT_EQ(header(headers, "ce-userId"), "alice");
    EXPECT_EQ(header(headers, "ce-connectionId"), "conn1");
    EXPECT_EQ(header(headers, "ce-hub"), "Chat_Hub");
    EXPECT_EQ(header(headers, "ce-eventName"), "chat");
    EXPECT_EQ(header(headers, "ce-subprotocol"), "json.webpubsub.azure.v1");
    EXPECT_EQ(header(headers, "ce-connectionState"), "eyJrZXkiOiJhIn0=");
}

TEST(CloudEventsHeaders, ConnectLeavesOutWhatItDoesNotHave)
{
    ce::EventAttributes event;
    event.kind = ce::EventKind::Connect;
    event.hub = u"chat"_s;
    event.connectionId = u"c"_s;
    const ce::Headers headers = ce::buildHeaders(event, {kPrimary}, u"h"_s, ce::systemEventContentType());
    EXPECT_EQ(header(headers, "ce-id"), "0");
    EXPECT_EQ(header(headers, "ce-type"), "azure.webpubsub.sys.connect");
    EXPECT_EQ(header(headers, "ce-eventName"), "connect");
    EXPECT_EQ(header(headers, "Content-Type"), "application/json; charset=utf-8");
    EXPECT_EQ(header(headers, "ce-userId"), "<absent>");
    EXPECT_EQ(header(headers, "ce-subprotocol"), "<absent>");
    EXPECT_EQ(header(headers, "ce-connectionState"), "<absent>");
    // ce-time is now, in RFC 3339 UTC.
    const QDateTime time = QDateTime::fromString(QString::fromUtf8(header(headers, "ce-time")), Qt::ISODate);
    EXPECT_TRUE(time.isValid());
    EXPECT_TRUE(header(headers, "ce-time").endsWith('Z'));
}

TEST(CloudEventsHeaders, ParseReadsBackWhatBuildWrote)
{
    const ce::EventAttributes event = userEvent();
    auto parsed = ce::parseHeaders(ce::buildHeaders(event, {kPrimary}, u"h"_s, "text/plain"));
    ASSERT_TRUE(parsed) << parsed.error().toStdString();
    EXPECT_EQ(parsed->kind, ce::EventKind::User);
    EXPECT_EQ(parsed->userEventName, u"chat"_s);
    EXPECT_EQ(parsed->hub, event.hub);
    EXPECT_EQ(parsed->connectionId, event.connectionId);
    EXPECT_EQ(parsed->userId, event.userId);
    EXPECT_EQ(parsed->subprotocol, event.subprotocol);
    EXPECT_EQ(parsed->connectionState, event.connectionState);
    EXPECT_EQ(parsed->id, 3u);
    EXPECT_EQ(parsed->time, event.time);

    EXPECT_FALSE(ce::parseHeaders({{"ce-type", "x"}}));
    EXPECT_FALSE(ce::parseHeaders({{"ce-type", "azure.webpubsub.sys.connect"},
                                   {"ce-hub", "h"},
                                   {"ce-connectionId", "c"},
                                   {"ce-id", "x"}}));
    EXPECT_TRUE(ce::parseHeaders({{"CE-TYPE", "azure.webpubsub.sys.connect"},
                                  {"ce-hub", "h"},
                                  {"ce-connectionid", "c"},
                                  {"ce-id", "0"}}));
}

TEST(CloudEventsConnectBody, StringArraysAndCredentialsStripped)
{
    ce::ConnectRequest request;
    request.claims = {{u"sub"_s, {u"alice"_s}}, {u"role"_s, {u"webpubsub.joinLeaveGroup"_s}}};
    request.query = {{u"param"_s, {u"value"_s}}, {u"Access_Token"_s, {u"secret.jwt.token"_s}}};
    request.headers = {{u"User-Agent"_s, {u"test"_s}}, {u"authorization"_s, {u"Bearer secret"_s}}};
    request.subprotocols = {u"json.webpubsub.azure.v1"_s};

    const QByteArray body = ce::encodeConnectRequest(request);
    EXPECT_FALSE(body.contains("secret"));
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    EXPECT_EQ(json.value(u"claims"_s).toObject().value(u"sub"_s).toArray().at(0).toString(), u"alice"_s);
    EXPECT_EQ(json.value(u"query"_s).toObject().keys(), QStringList{u"param"_s});
    EXPECT_EQ(json.value(u"headers"_s).toObject().keys(), QStringList{u"User-Agent"_s});
    EXPECT_EQ(json.value(u"subprotocols"_s).toArray().at(0).toString(), u"json.webpubsub.azure.v1"_s);
    EXPECT_FALSE(json.contains(u"clientCertificates"_s));

    auto decoded = ce::decodeConnectRequest(body);
    ASSERT_TRUE(decoded) << decoded.error().toStdString();
    ce::ConnectRequest expected = request;
    expected.query.remove(u"Access_Token"_s);
    expected.headers.remove(u"authorization"_s);
    EXPECT_EQ(*decoded, expected);
    EXPECT_FALSE(ce::decodeConnectRequest("[1]"));
    EXPECT_FALSE(ce::decodeConnectRequest(R"({"claims": {"sub": [1]}})"));
}

// The override table of docs/protocol.md#connect-event, one row per test.
TEST(CloudEventsConnectResponse, EmptyNullAndWhitespaceMeanNoOverrides)
{
    for (const QByteArray &body : {""_ba, "null"_ba, "  \n"_ba, "{}"_ba})
        EXPECT_EQ(parseOk(body), ce::ConnectResponse{}) << body.toStdString();
}

TEST(CloudEventsConnectResponse, UserIdReplacesIncludingEmptyNullKeeps)
{
    EXPECT_EQ(parseOk(R"({"userId":"bob"})").userId, std::optional<QString>(u"bob"_s));
    EXPECT_EQ(parseOk(R"({"userId":""})").userId, std::optional<QString>(QString()));
    EXPECT_EQ(parseOk(R"({"userId":null})").userId, std::nullopt);
    EXPECT_FALSE(ce::parseConnectResponse(R"({"userId":7})", std::nullopt, {}));
}

TEST(CloudEventsConnectResponse, RolesReplaceEmptyRemovesNullKeeps)
{
    EXPECT_EQ(parseOk(R"({"roles":["webpubsub.sendToGroup.a"]})").roles,
              std::optional<QStringList>(QStringList{u"webpubsub.sendToGroup.a"_s}));
    EXPECT_EQ(parseOk(R"({"roles":[]})").roles, std::optional<QStringList>(QStringList{}));
    EXPECT_EQ(parseOk(R"({"roles":null})").roles, std::nullopt);
    EXPECT_FALSE(ce::parseConnectResponse(R"({"roles":"webpubsub.joinLeaveGroup"})", std::nullopt, {}));
}

TEST(CloudEventsConnectResponse, GroupsReplaceOnlyWhenNonEmpty)
{
    EXPECT_EQ(parseOk(R"({"groups":["room1","room2"]})").groups,
              std::optional<QStringList>(QStringList{u"room1"_s, u"room2"_s}));
    EXPECT_EQ(parseOk(R"({"groups":[]})").groups, std::nullopt);
    EXPECT_EQ(parseOk(R"({"groups":null})").groups, std::nullopt);
    EXPECT_FALSE(ce::parseConnectResponse(R"({"groups":[""]})", std::nullopt, {})); // invalid group name
    EXPECT_FALSE(ce::parseConnectResponse(R"({"groups":[1]})", std::nullopt, {}));
}

TEST(CloudEventsConnectResponse, SubprotocolMustBeOffered)
{
    const QStringList offered{u"json.webpubsub.azure.v1"_s, u"json.reliable.webpubsub.azure.v1"_s};
    EXPECT_EQ(parseOk(R"({"subprotocol":"json.reliable.webpubsub.azure.v1"})", offered).subprotocol,
              std::optional<QString>(u"json.reliable.webpubsub.azure.v1"_s));
    EXPECT_EQ(parseOk(R"({"subprotocol":null})", offered).subprotocol, std::nullopt);
    EXPECT_FALSE(ce::parseConnectResponse(R"({"subprotocol":"mqtt"})", std::nullopt, offered));
    EXPECT_FALSE(ce::parseConnectResponse(R"({"subprotocol":""})", std::nullopt, offered));
}

TEST(CloudEventsConnectResponse, BodiesThatAreNotAJsonObjectAreRefused)
{
    for (const QByteArray &body : {"{"_ba, "[]"_ba, "\"alice\""_ba, "42"_ba, "not json"_ba}) {
        auto result = ce::parseConnectResponse(body, std::nullopt, {});
        EXPECT_FALSE(result) << body.toStdString();
    }
}

TEST(CloudEventsConnectResponse, ConnectionStateComesFromTheHeader)
{
    auto result = ce::parseConnectResponse("", "c3RhdGU="_ba, {});
    ASSERT_TRUE(result);
    EXPECT_EQ(result->connectionState, std::optional<QByteArray>("c3RhdGU="_ba));
}

TEST(CloudEventsConnectResponse, ApplyOverridesNotMerges)
{
    const ce::ConnectIdentity token{
        u"alice"_s, {u"webpubsub.joinLeaveGroup"_s}, {u"g1"_s}, u"json.webpubsub.azure.v1"_s};
    EXPECT_EQ(ce::applyConnectResponse(token, {}), token);

    const ce::ConnectIdentity changed =
        ce::applyConnectResponse(token, parseOk(R"({"userId":"bob","roles":[],"groups":["g2"],
            "subprotocol":"json.reliable.webpubsub.azure.v1"})",
                                                {u"json.reliable.webpubsub.azure.v1"_s}));
    EXPECT_EQ(changed.userId, std::optional<QString>(u"bob"_s));
    EXPECT_TRUE(changed.roles.isEmpty());
    EXPECT_EQ(changed.groups, QStringList{u"g2"_s});
    EXPECT_EQ(changed.subprotocol, u"json.reliable.webpubsub.azure.v1"_s);

    const ce::ConnectIdentity kept =
        ce::applyConnectResponse(token, parseOk(R"({"groups":[],"userId":null})"));
    EXPECT_EQ(kept.groups, token.groups);
    EXPECT_EQ(kept.userId, token.userId);
}

TEST(CloudEventsUserEventResponse, TextJsonAndBinaryBecomeTheirPayloadTypesOthersAreRefused)
{
    auto text = ce::parseUserEventResponse(200, "text/plain; charset=utf-8"_ba, "hi"_ba, std::nullopt);
    ASSERT_TRUE(text);
    EXPECT_EQ(text->payload, std::optional<Payload>(Payload::text(u"hi"_s)));

    auto json = ce::parseUserEventResponse(200, "Application/JSON"_ba, R"({"a":1})"_ba, std::nullopt);
    ASSERT_TRUE(json);
    EXPECT_EQ(json->payload, std::optional<Payload>(Payload::json(R"({"a":1})"_ba)));
    EXPECT_TRUE(ce::parseUserEventResponse(200, "application/json"_ba, "\"scalar\""_ba, std::nullopt));
    EXPECT_FALSE(ce::parseUserEventResponse(200, "application/json"_ba, "{oops"_ba, std::nullopt));

    auto binary = ce::parseUserEventResponse(200, "application/octet-stream"_ba, "\x01\x02"_ba, std::nullopt);
    ASSERT_TRUE(binary);
    EXPECT_EQ(binary->payload, std::optional<Payload>(Payload::binary("\x01\x02"_ba)));

    auto missing = ce::parseUserEventResponse(200, std::nullopt, "raw"_ba, "s"_ba);
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->payload, std::optional<Payload>(Payload::binary("raw"_ba)));
    EXPECT_EQ(missing->connectionState, std::optional<QByteArray>("s"_ba));

    EXPECT_FALSE(ce::parseUserEventResponse(200, "application/xml"_ba, "<a/>"_ba, std::nullopt));
}

TEST(CloudEventsUserEventResponse, NoContentMeansNoPayloadAndErrorStatusesAreRefused)
{
    auto none = ce::parseUserEventResponse(204, std::nullopt, {}, std::nullopt);
    ASSERT_TRUE(none);
    EXPECT_EQ(none->payload, std::nullopt);
    auto empty = ce::parseUserEventResponse(200, "text/plain"_ba, {}, std::nullopt);
    ASSERT_TRUE(empty);
    EXPECT_EQ(empty->payload, std::nullopt);
    EXPECT_FALSE(ce::parseUserEventResponse(500, "text/plain"_ba, "boom"_ba, std::nullopt));
    EXPECT_FALSE(ce::parseUserEventResponse(401, std::nullopt, {}, std::nullopt));
}

TEST(CloudEventsUserEventResponse, EachDataTypeIsSentWithItsContentType)
{
    EXPECT_EQ(ce::contentTypeFor(DataType::Text), "text/plain");
    EXPECT_EQ(ce::contentTypeFor(DataType::Json), "application/json");
    EXPECT_EQ(ce::contentTypeFor(DataType::Binary), "application/octet-stream");
    EXPECT_EQ(ce::contentTypeFor(DataType::Protobuf), "application/x-protobuf");
}
