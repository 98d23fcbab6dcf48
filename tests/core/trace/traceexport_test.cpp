// HAR 1.2 export of real exchanges: the console's REST calls against the real emulator (with the service's
// live trace recording the same calls into the same store), a loopback server whose exact response bytes
// must come back in the HAR, upstream pairs and live-client sockets; every HAR validated against the HAR
// 1.2 JSON schema (tests/support/har-1.2.schema.json). Payloads are byte for byte as sent.
#include "arm/armclient.h"
#include "common/jsontext.h"
#include "protocol/connectionstring.h"
#include "protocol/messages.h"
#include "service/credential.h"
#include "service/httptrace.h"
#include "service/serviceclient.h"
#include "support/emulatorprocess.h"
#include "support/faultserver.h"
#include "support/jsonschema.h"
#include "support/wait.h"
#include "trace/livetrace.h"
#include "trace/traceadapters.h"
#include "trace/traceexport.h"
#include "trace/tracejsonl.h"
#include "trace/tracestore.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <functional>

using namespace Qt::Literals::StringLiterals;
using namespace wps::trace;

namespace {

using wps::test::kWaitMs;
const QByteArray kExactJson = R"({"b":1,"a":12345678901234567890,"c":1.10})";

QByteArray harOf(const TraceStore &store, const RecordSelection &ids = {})
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const auto written = exportHar(store, ids, &buffer, u"test"_s);
    EXPECT_TRUE(written.hasValue()) << (written ? std::string() : written.error().toStdString());
    return buffer.data();
}

QJsonArray entriesOf(const QByteArray &har)
{
    return QJsonDocument::fromJson(har).object().value(u"log"_s).toObject().value(u"entries"_s).toArray();
}

QString schemaErrors(const QByteArray &har)
{
    return wps::test::validateHar(har).join(u'\n');
}

/// The entries whose comment or custom type names \a type.
QList<QJsonObject> entriesOfType(const QJsonArray &entries, const QString &type)
{
    QList<QJsonObject> found;
    for (const QJsonValue &value : entries) {
        if (value.toObject().value(u"_type"_s).toString() == type)
            found << value.toObject();
    }
    return found;
}

QString headerValue(const QJsonObject &message, const QString &name)
{
    for (const QJsonValue &header : message.value(u"headers"_s).toArray()) {
        if (header.toObject().value(u"name"_s).toString().compare(name, Qt::CaseInsensitive) == 0)
            return header.toObject().value(u"value"_s).toString();
    }
    return {};
}

bool finishes(wps::service::ServiceJob *job)
{
    QSignalSpy finished(job, &wps::service::ServiceJob::finished);
    return finished.wait(kWaitMs);
}

TraceEvent httpRow(Direction direction, const QString &type, const QString &correlation, int status,
                   const QByteArray &payload, qint64 time)
{
    TraceEvent e;
    e.timestampMs = time;
    e.kind = Kind::Http;
    e.direction = direction;
    e.type = type;
    e.correlation = correlation;
    e.status = status;
    e.payload = payload;
    e.size = payload.size() - (payload.indexOf("\r\n\r\n") + 4);
    e.durationMs = direction == Direction::In ? 7 : -1;
    return e;
}

} // namespace

TEST(PayloadFidelity, PrettyOnlyChangesTheSpaceBetweenTokens)
{
    const auto pretty = wps::jsontext::pretty(kExactJson);
    ASSERT_TRUE(pretty.has_value());
    EXPECT_EQ(*pretty, "{\n    \"b\": 1,\n    \"a\": 12345678901234567890,\n    \"c\": 1.10\n}");
    // Strings keep braces, commas and escaped quotes; empty containers stay on one line.
    const auto nested = wps::jsontext::pretty(R"( {"s":"a,{b}:\"c\"","e":{},"l":[1, [ ]]} )");
    ASSERT_TRUE(nested.has_value());
    EXPECT_EQ(
        *nested,
        "{\n    \"s\": \"a,{b}:\\\"c\\\"\",\n    \"e\": {},\n    \"l\": [\n        1,\n        []\n    ]\n}");
    EXPECT_FALSE(wps::jsontext::pretty("not json").has_value());
    EXPECT_FALSE(wps::jsontext::pretty(R"({"a":)").has_value());
}

TEST(PayloadFidelity, RedactionMasksInPlaceAndKeepsEveryOtherByte)
{
    EXPECT_EQ(wps::jsontext::maskMembers(R"({"b":1, "token" : "t", "n":{"key":{"x":[1]}},"a":1.10})",
                                         [](QStringView k) { return k == u"token" || k == u"key"; }),
              R"({"b":1, "token" : "***", "n":{"key":"***"},"a":1.10})");
    // The REST client's preview: key order, digits and spacing as sent, secrets masked.
    EXPECT_EQ(
        wps::service::redactedPreview(R"({"b":1,"a":12345678901234567890,"c":1.10,"accessToken":"x"})", 1000),
        R"({"b":1,"a":12345678901234567890,"c":1.10,"accessToken":"***"})");
    EXPECT_EQ(wps::service::redactedPreview(kExactJson, 1000), kExactJson);
}

TEST(HarExport, ResponseBodyIsTheBytesTheServerSent)
{
    wps::test::FaultServer server;
    const quint16 port = server.listen();
    server.setDefault(wps::test::FaultServer::Response::answer(
        202, kExactJson, {{"Content-Type", "application/json"}, {"x-ms-request-id", "r-1"}}));
    const auto connection = wps::ConnectionString::parse(
        u"Endpoint=http://127.0.0.1:%1;AccessKey=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq=;Version=1.0;"_s
            .arg(port));
    ASSERT_TRUE(connection.hasValue());
    wps::service::ServiceClient client(*connection, u"hub1"_s);
    TraceStore store;
    attach(&client, &store);
    ASSERT_TRUE(finishes(client.sendToAll(wps::service::Message::json(kExactJson))));
    ASSERT_EQ(server.bodies().value(0), kExactJson); // what went on the wire

    const QByteArray har = harOf(store);
    EXPECT_EQ(schemaErrors(har), QString());
    const QJsonArray entries = entriesOf(har);
    ASSERT_EQ(entries.size(), 1) << har.toStdString();
    const QJsonObject entry = entries.at(0).toObject();
    const QJsonObject request = entry.value(u"request"_s).toObject();
    const QJsonObject response = entry.value(u"response"_s).toObject();
    EXPECT_EQ(request.value(u"method"_s).toString(), u"POST"_s);
    EXPECT_EQ(request.value(u"postData"_s).toObject().value(u"text"_s).toString().toUtf8(), kExactJson);
    EXPECT_EQ(headerValue(request, u"Authorization"_s), u"Bearer ***"_s);
    EXPECT_EQ(response.value(u"status"_s).toInt(), 202);
    EXPECT_EQ(response.value(u"statusText"_s).toString(), u"Accepted"_s);
    EXPECT_EQ(headerValue(response, u"x-ms-request-id"_s), u"r-1"_s);
    const QJsonObject content = response.value(u"content"_s).toObject();
    EXPECT_EQ(content.value(u"text"_s).toString().toUtf8(), kExactJson);
    EXPECT_EQ(content.value(u"size"_s).toInt(), kExactJson.size());
    EXPECT_EQ(content.value(u"mimeType"_s).toString(), u"application/json"_s);
}

TEST(HarExport, ManagementCallsAreEntriesWithTheirRealResponses)
{
    wps::test::FaultServer server;
    const quint16 port = server.listen();
    const QByteArray page =
        R"({"value":[{"subscriptionId":"s1","displayName":"Sub one","state":"Enabled"}]})";
    server.setDefault(
        wps::test::FaultServer::Response::answer(200, page, {{"Content-Type", "application/json"}}));
    wps::arm::ArmClientOptions options;
    options.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    options.retry.maxRetries = 0;
    wps::arm::ArmClient client(std::make_shared<wps::service::AccessKeyCredential>(
                                   u"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq="_s),
                               options);
    TraceStore store;
    attach(&client, &store);
    auto *list = client.listSubscriptions();
    QSignalSpy finished(list, &wps::arm::ArmJob::finished);
    ASSERT_TRUE(finished.wait(kWaitMs));
    const QByteArray har = harOf(store);
    EXPECT_EQ(schemaErrors(har), QString());
    const QJsonArray entries = entriesOf(har);
    ASSERT_EQ(entries.size(), 1) << har.toStdString();
    const QJsonObject entry = entries.at(0).toObject();
    EXPECT_EQ(entry.value(u"request"_s).toObject().value(u"method"_s).toString(), u"GET"_s);
    EXPECT_TRUE(
        entry.value(u"request"_s).toObject().value(u"url"_s).toString().contains(u"/subscriptions"_s));
    EXPECT_EQ(headerValue(entry.value(u"request"_s).toObject(), u"Authorization"_s), u"Bearer ***"_s);
    EXPECT_EQ(entry.value(u"response"_s).toObject().value(u"status"_s).toInt(), 200);
    EXPECT_EQ(entry.value(u"response"_s)
                  .toObject()
                  .value(u"content"_s)
                  .toObject()
                  .value(u"text"_s)
                  .toString()
                  .toUtf8(),
              page);
}

TEST(HarExport, AFailedCallHasStatusZeroAndItsReason)
{
    wps::test::FaultServer server;
    const quint16 port = server.listen();
    server.setDefault(wps::test::FaultServer::Response::drop());
    const auto connection = wps::ConnectionString::parse(
        u"Endpoint=http://127.0.0.1:%1;AccessKey=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq=;Version=1.0;"_s
            .arg(port));
    ASSERT_TRUE(connection.hasValue());
    wps::service::ServiceClient client(*connection, u"hub1"_s);
    auto options = client.options();
    options.retry.maxRetries = 0;
    client.setOptions(options);
    TraceStore store;
    attach(&client, &store);
    ASSERT_TRUE(finishes(client.health()));
    const QByteArray har = harOf(store);
    EXPECT_EQ(schemaErrors(har), QString());
    const QJsonArray entries = entriesOf(har);
    ASSERT_EQ(entries.size(), 1);
    const QJsonObject response = entries.at(0).toObject().value(u"response"_s).toObject();
    EXPECT_EQ(response.value(u"status"_s).toInt(), 0);
    EXPECT_FALSE(response.value(u"_error"_s).toString().isEmpty());
    EXPECT_FALSE(response.value(u"_error"_s).toString().contains(u"http://"_s)); // the reason, not the URL
    EXPECT_TRUE(entries.at(0).toObject().value(u"comment"_s).toString().contains(u"No HTTP answer"_s));
}

TEST(HarExport, RealRestCallsPairWithTheirResponsesNotTheServicesLogRecords)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    TraceStore store;
    LiveTraceClient live(&store);
    QSignalSpy state(&live, &LiveTraceClient::stateChanged);
    live.start(emulator.connectionString());
    ASSERT_TRUE(QTest::qWaitFor([&] { return live.state() == LiveTraceClient::State::Connected; }, kWaitMs));

    wps::service::ServiceClient client(emulator.connectionString(), u"hub1"_s);
    attach(&client, &store);
    ASSERT_TRUE(finishes(client.sendToAll(wps::service::Message::json(kExactJson))));
    auto *list = client.listConnectionsInGroup(u"nobody"_s);
    ASSERT_TRUE(finishes(list));
    ASSERT_FALSE(list->hasError());
    // The service's own record of the send (same correlation id) reaches the store too.
    auto serviceLogged = [&] {
        int logs = 0;
        store.forEach(store.firstId(), store.endId(), [&](const TraceRecordView &r) {
            logs += r.kind == Kind::Http && r.payload.contains("\"logContext\"") ? 1 : 0;
        });
        return logs >= 2;
    };
    ASSERT_TRUE(QTest::qWaitFor(serviceLogged, kWaitMs));

    const QByteArray har = harOf(store);
    EXPECT_EQ(schemaErrors(har), QString());
    const QJsonArray entries = entriesOf(har);
    const auto sends = entriesOfType(entries, u"sendToAll"_s);
    ASSERT_EQ(sends.size(), 1) << har.toStdString();
    const QJsonObject send = sends.first();
    EXPECT_EQ(send.value(u"request"_s)
                  .toObject()
                  .value(u"postData"_s)
                  .toObject()
                  .value(u"text"_s)
                  .toString()
                  .toUtf8(),
              kExactJson);
    const QJsonObject sendResponse = send.value(u"response"_s).toObject();
    EXPECT_EQ(sendResponse.value(u"status"_s).toInt(), 202);
    EXPECT_FALSE(sendResponse.value(u"headers"_s).toArray().isEmpty());
    EXPECT_FALSE(
        sendResponse.value(u"content"_s).toObject().value(u"text"_s).toString().contains(u"logContext"_s));
    EXPECT_TRUE(send.value(u"comment"_s).toString().contains(u"The service's live trace"_s))
        << send.value(u"comment"_s).toString().toStdString();

    // A REST entry carries the actual response body: the page the client parsed.
    const auto lists = entriesOfType(entries, u"listConnectionsInGroup"_s);
    ASSERT_EQ(lists.size(), 1);
    const QJsonObject listResponse = lists.first().value(u"response"_s).toObject();
    EXPECT_EQ(listResponse.value(u"status"_s).toInt(), 200);
    const QByteArray body = listResponse.value(u"content"_s).toObject().value(u"text"_s).toString().toUtf8();
    EXPECT_TRUE(QJsonDocument::fromJson(body).object().value(u"value"_s).isArray()) << body.toStdString();
    EXPECT_EQ(listResponse.value(u"content"_s).toObject().value(u"size"_s).toInt(), body.size());
    EXPECT_TRUE(headerValue(listResponse, u"Content-Type"_s).contains(u"json"_s));

    // The log records are not entries; the log's comment says they were left out.
    for (const QJsonValue &value : entries)
        EXPECT_FALSE(value.toObject()
                         .value(u"response"_s)
                         .toObject()
                         .value(u"content"_s)
                         .toObject()
                         .value(u"text"_s)
                         .toString()
                         .contains(u"logContext"_s));
    EXPECT_TRUE(QJsonDocument::fromJson(har)
                    .object()
                    .value(u"log"_s)
                    .toObject()
                    .value(u"comment"_s)
                    .toString()
                    .contains(u"Left out"_s));
    live.stop();
}

TEST(HarExport, UpstreamPairsAndSocketsBecomeEntriesAndImportBack)
{
    TraceStore store;
    const qint64 t0 = 1'700'000'000'000;
    // An upstream exchange as the console maps it from the service's live trace (docs/trace.md).
    TraceEvent upstreamRequest = httpRow(Direction::Out, u"upstream connect"_s, u"upstream:c1:1"_s, 0,
                                         "ce-type: azure.webpubsub.sys.connect\r\nce-signature: "
                                         "***\r\ncontent-type: application/json\r\n\r\n" +
                                             kExactJson,
                                         t0);
    upstreamRequest.detail = u"POST http://127.0.0.1:9/handler"_s;
    upstreamRequest.connectionId = u"c1"_s;
    TraceEvent upstreamResponse =
        httpRow(Direction::In, u"upstream connect"_s, u"upstream:c1:1"_s, 500,
                "content-type: application/json\r\n\r\n{\"error\":\"boom\"}", t0 + 7);
    upstreamResponse.detail = upstreamRequest.detail;
    upstreamResponse.connectionId = u"c1"_s;
    // A live client: its open row (URL, token redacted), frames both ways, one binary.
    TraceEvent open;
    open.timestampMs = t0 + 10;
    open.kind = Kind::Lifecycle;
    open.type = u"open"_s;
    open.connectionId = u"c2"_s;
    open.correlation = u"conn:c2"_s;
    open.payload = "ws://127.0.0.1:9/client/hubs/chat?access_token=***";
    TraceEvent in;
    in.timestampMs = t0 + 11;
    in.kind = Kind::Frame;
    in.direction = Direction::In;
    in.type = u"connected"_s;
    in.connectionId = u"c2"_s;
    in.payload = R"({"type":"system","event":"connected","connectionId":"c2"})";
    TraceEvent out = in;
    out.timestampMs = t0 + 12;
    out.direction = Direction::Out;
    out.type = u"message"_s;
    out.payload = kExactJson;
    TraceEvent binary = out;
    binary.timestampMs = t0 + 13;
    binary.binary = true;
    binary.payload = QByteArray("\x00\x01\xff\x10", 4);
    TraceEvent note;
    note.timestampMs = t0 + 14;
    note.detail = u"a note"_s;
    store.append(std::vector<TraceEvent>{upstreamRequest, upstreamResponse, open, in, out, binary, note});

    const QByteArray har = harOf(store);
    EXPECT_EQ(schemaErrors(har), QString());
    const QJsonArray entries = entriesOf(har);
    ASSERT_EQ(entries.size(), 2) << har.toStdString();
    const QJsonObject upstream = entries.at(0).toObject();
    EXPECT_EQ(upstream.value(u"_connectionId"_s).toString(), u"c1"_s);
    EXPECT_EQ(upstream.value(u"request"_s)
                  .toObject()
                  .value(u"postData"_s)
                  .toObject()
                  .value(u"text"_s)
                  .toString()
                  .toUtf8(),
              kExactJson);
    EXPECT_EQ(headerValue(upstream.value(u"request"_s).toObject(), u"ce-type"_s),
              u"azure.webpubsub.sys.connect"_s);
    EXPECT_EQ(upstream.value(u"response"_s).toObject().value(u"status"_s).toInt(), 500);
    EXPECT_EQ(
        upstream.value(u"response"_s).toObject().value(u"content"_s).toObject().value(u"text"_s).toString(),
        u"{\"error\":\"boom\"}"_s);
    EXPECT_EQ(upstream.value(u"time"_s).toInt(), 7);
    const QJsonObject socket = entries.at(1).toObject();
    EXPECT_EQ(socket.value(u"response"_s).toObject().value(u"status"_s).toInt(), 101);
    const QJsonArray messages = socket.value(u"_webSocketMessages"_s).toArray();
    ASSERT_EQ(messages.size(), 3);
    EXPECT_EQ(messages.at(0).toObject().value(u"type"_s).toString(), u"receive"_s);
    EXPECT_EQ(messages.at(1).toObject().value(u"type"_s).toString(), u"send"_s);
    EXPECT_EQ(messages.at(1).toObject().value(u"data"_s).toString().toUtf8(), kExactJson);
    EXPECT_EQ(messages.at(2).toObject().value(u"opcode"_s).toInt(), 2);
    EXPECT_EQ(QByteArray::fromBase64(messages.at(2).toObject().value(u"data"_s).toString().toLatin1()),
              binary.payload);
    EXPECT_TRUE(QJsonDocument::fromJson(har)
                    .object()
                    .value(u"log"_s)
                    .toObject()
                    .value(u"comment"_s)
                    .toString()
                    .contains(u"1 note"_s));

    // Trace > Import of the HAR gives back the rows, and exporting them again the same entries.
    EXPECT_TRUE(looksLikeHar(har));
    QBuffer input;
    input.setData(har);
    input.open(QIODevice::ReadOnly);
    TraceStore imported;
    const auto rows = importHar(&input, &imported);
    ASSERT_TRUE(rows.hasValue()) << rows.error().toStdString();
    EXPECT_EQ(*rows, 6); // request, response, open, three frames
    EXPECT_EQ(entriesOf(harOf(imported)), entries);
}

TEST(HarExport, JsonlKeepsTheExactBytesAndConvertsToTheSameHar)
{
    TraceStore store;
    TraceEvent request = httpRow(Direction::Out, u"sendToAll"_s, u"r1"_s, 0,
                                 "Content-Type: application/json\r\n\r\n" + kExactJson, 1'700'000'000'000);
    request.detail = u"POST http://127.0.0.1:9/api/hubs/h/:send?api-version=2024-01-01"_s;
    TraceEvent response =
        httpRow(Direction::In, u"sendToAll"_s, u"r1"_s, 202, "Content-Length: 0\r\n\r\n", 1'700'000'000'005);
    response.detail = request.detail;
    store.append(std::vector<TraceEvent>{request, response});
    QBuffer jsonl;
    jsonl.open(QIODevice::WriteOnly);
    ASSERT_TRUE(exportJsonl(store, &jsonl).hasValue());
    EXPECT_TRUE(jsonl.data().contains(R"({\"b\":1,\"a\":12345678901234567890,\"c\":1.10})"));
    EXPECT_FALSE(looksLikeHar(jsonl.data()));
    QBuffer input;
    input.setData(jsonl.data());
    input.open(QIODevice::ReadOnly);
    TraceStore again;
    ASSERT_TRUE(importJsonl(&input, &again).hasValue());
    const QByteArray har = harOf(again);
    EXPECT_EQ(schemaErrors(har), QString());
    EXPECT_EQ(entriesOf(har), entriesOf(harOf(store)));
    const QJsonObject query = entriesOf(har)
                                  .at(0)
                                  .toObject()
                                  .value(u"request"_s)
                                  .toObject()
                                  .value(u"queryString"_s)
                                  .toArray()
                                  .at(0)
                                  .toObject();
    EXPECT_EQ(query.value(u"name"_s).toString(), u"api-version"_s);
}

TEST(HarSchema, TheValidatorRejectsWhatTheSpecForbids)
{
    // The validator and the schema are themselves checked: a HAR missing a required member, with a wrong
    // type or an unknown member fails.
    const QByteArray valid = R"({"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[]}})";
    EXPECT_EQ(schemaErrors(valid), QString());
    EXPECT_NE(schemaErrors(R"({"log":{"version":"1.2","entries":[]}})"), QString());
    EXPECT_NE(schemaErrors(R"({"log":{"version":"1.2","creator":{"name":"x","version":1},"entries":[]}})"),
              QString());
    EXPECT_NE(schemaErrors(
                  R"({"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[],"bogus":1}})"),
              QString());
    EXPECT_EQ(schemaErrors(
                  R"({"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[],"_own":1}})"),
              QString());
    EXPECT_NE(
        schemaErrors(
            R"({"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[{"startedDateTime":"yesterday"}]}})"),
        QString());
}

TEST(PayloadFidelity, TheJsonSubprotocolPassesDataOnByteForByte)
{
    // A frame as a client or the service writes it: the decoded payload is the `data` member's bytes.
    const QByteArray frame =
        R"({"type":"message","from":"server","dataType":"json","data":{"b":1, "a":12345678901234567890,"c":1.10}})";
    const auto message = wps::messages::json::decodeMessage(frame);
    ASSERT_TRUE(message.hasValue()) << message.error().toStdString();
    const auto *data = std::get_if<wps::messages::DataMessage>(&message.value());
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(data->data.bytes, R"({"b":1, "a":12345678901234567890,"c":1.10})");
    const auto request = wps::messages::json::decodeRequest(
        R"({"type":"sendToGroup","group":"g","dataType":"json","data":[2.50,{"z":0,"y":1}]})");
    ASSERT_TRUE(request.hasValue());
    const auto *send = std::get_if<wps::messages::SendToGroup>(&request.value());
    ASSERT_NE(send, nullptr);
    EXPECT_EQ(send->data.bytes, R"([2.50,{"z":0,"y":1}])");
    EXPECT_EQ(wps::jsontext::rawMember(R"({"x":{"data":1},"data":"s\"}"})", "data"), QByteArray(R"("s\"}")"));
    EXPECT_FALSE(wps::jsontext::rawMember(R"({"x":{"data":1}})", "data").has_value());
}
