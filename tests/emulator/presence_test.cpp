// Group presence events (docs/emulator.md#group-presence-events): a handler's `groupPresenceEvents` in the
// configuration and in ARM hub settings, and the `joined` / `left` CloudEvents the real emulator sends to a
// loopback event handler (tests/support/faultserver.h) for client joins and leaves, REST membership calls,
// groups a connection starts in, and a connection that closes.
#include "emulator/armapi.h"
#include "emulator/config.h"
#include "emulator/emulator.h"
#include "emulator/upstream/eventhandlers.h"
#include "emulator/upstream/upstreamclient.h"
#include "protocol/cloudevents.h"
#include "protocol/jwt.h"
#include "support/faultserver.h"
#include "support/printers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace wps::emulator;
using wps::test::FaultServer;
namespace ce = wps::cloudevents;

namespace {

const QString kKey = u"presence-test-key-0123456789abcdefghijklmn"_s;
const QString kJson = u"json.webpubsub.azure.v1"_s;

/// One event request the handler received.
struct Event
{
    QByteArray head;
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return "<absent>"_ba;
    }
    QString name() const { return QString::fromUtf8(header("ce-eventName")); }
    QString group() const { return QJsonDocument::fromJson(body).object().value(u"group"_s).toString(); }
    QByteArray path() const { return head.left(head.indexOf('\r')).split(' ').value(1); }
    /// "joined:room1" / "left:room1" / "connected" ...
    QString label() const
    {
        return name() == u"joined"_s || name() == u"left"_s ? name() + u':' + group() : name();
    }
};

struct Client
{
    explicit Client(const QUrl &url)
    {
        QObject::connect(&ws, &QWebSocket::textMessageReceived, &ws,
                         [this](const QString &m) { texts << m; });
        QObject::connect(&ws, &QWebSocket::disconnected, &ws, [this] { closed = true; });
        QWebSocketHandshakeOptions options;
        options.setSubprotocols({kJson});
        ws.open(QNetworkRequest(url), options);
    }
    bool waitConnected()
    {
        return QTest::qWaitFor([this] { return !texts.isEmpty() || closed; }, 10000) && !texts.isEmpty();
    }
    /// Sends joinGroup/leaveGroup with \a ackId and waits for its successful ack.
    bool request(const QString &type, const QString &group, int ackId)
    {
        const qsizetype before = texts.size();
        ws.sendTextMessage(QString::fromUtf8(
            QJsonDocument(QJsonObject{{u"type"_s, type}, {u"group"_s, group}, {u"ackId"_s, ackId}})
                .toJson(QJsonDocument::Compact)));
        for (qsizetype seen = before;; ++seen) {
            if (!QTest::qWaitFor([&] { return texts.size() > seen || closed; }, 10000) ||
                texts.size() <= seen)
                return false;
            const QJsonObject o = QJsonDocument::fromJson(texts.at(seen).toUtf8()).object();
            if (o.value(u"type"_s) == u"ack"_s && o.value(u"ackId"_s).toInt() == ackId)
                return o.value(u"success"_s).toBool();
        }
    }
    QString connectionId() const
    {
        return QJsonDocument::fromJson(texts.value(0).toUtf8()).object().value(u"connectionId"_s).toString();
    }

    QWebSocket ws;
    QStringList texts;
    bool closed = false;
};

class Presence : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_handler.setDefault(FaultServer::Response::answer(200, {}, {{"WebHook-Allowed-Origin", "*"}}));
        ASSERT_NE(m_handler.listen(), 0);
    }

    /// A handler taking connected/disconnected and \a presence.
    EventHandlerSettings handler(std::optional<GroupPresenceSettings> presence) const
    {
        EventHandlerSettings h;
        h.urlTemplate = u"http://127.0.0.1:%1/upstream/{hub}/{event}"_s.arg(m_handler.port());
        h.systemEvents = {u"connected"_s, u"disconnected"_s};
        h.groupPresenceEvents = std::move(presence);
        return h;
    }

    void start(std::optional<GroupPresenceSettings> presence)
    {
        EmulatorOptions options;
        options.accessKey = kKey;
        options.config.hubs[u"chat"_s].eventHandlers = {handler(std::move(presence))};
        options.client.socket.closeTimeout = 300ms;
        options.upstream.retryDelays = {1ms, 1ms, 1ms};
        options.upstream.eventTimeout = 3s;
        options.upstream.validationTimeout = 3s;
        m_emulator = std::make_unique<Emulator>(options);
        auto started = m_emulator->start();
        ASSERT_TRUE(started) << started.error().toStdString();
        m_port = *started;
    }

    QString authority() const { return u"127.0.0.1:%1"_s.arg(m_port); }

    std::unique_ptr<Client> open(const QString &user, const QStringList &groups = {})
    {
        QJsonObject claims{{u"sub"_s, user},
                           {u"role"_s, QJsonArray{u"webpubsub.joinLeaveGroup"_s}},
                           {u"aud"_s, QString(u"http://"_s + authority() + u"/client/hubs/chat"_s)},
                           {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 3600}};
        if (!groups.isEmpty())
            claims.insert(u"webpubsub.group"_s, QJsonArray::fromStringList(groups));
        auto client =
            std::make_unique<Client>(QUrl(u"ws://"_s + authority() + u"/client/hubs/chat?access_token="_s +
                                          QString::fromLatin1(wps::jwt::signHs256(claims, kKey.toUtf8()))));
        EXPECT_TRUE(client->waitConnected());
        return client;
    }

    int rest(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        const QUrl target(u"http://"_s + authority() + u"/api/hubs/chat"_s + path +
                          (path.contains(u'?') ? u"&"_s : u"?"_s) + u"api-version=2024-12-01"_s);
        QNetworkRequest request(target);
        request.setRawHeader("Content-Type", "application/json");
        const QJsonObject claims{{u"aud"_s, target.toString(QUrl::FullyEncoded)},
                                 {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 3600}};
        request.setRawHeader("Authorization", "Bearer " + wps::jwt::signHs256(claims, kKey.toUtf8()));
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished()) {
            EXPECT_TRUE(finished.wait(10000));
        }
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return status;
    }

    /// Every upstream delivery has finished, so an event that was not sent will not come later.
    bool idle()
    {
        return QTest::qWaitFor([this] { return m_emulator->upstream()->pendingCount() == 0; }, 10000);
    }

    /// Event requests (POST) so far, in arrival order; validation requests are left out.
    QList<Event> events() const
    {
        QList<Event> result;
        for (qsizetype i = 0; i < m_handler.requests().size(); ++i)
            if (m_handler.requests().at(i).startsWith("POST "))
                result.append({m_handler.requests().at(i), m_handler.bodies().value(i)});
        return result;
    }
    /// Labels of the presence events of \a connectionId, in ce-id order.
    QStringList presence(const QString &connectionId = {}) const
    {
        QList<Event> list;
        for (const Event &e : events())
            if ((e.name() == u"joined"_s || e.name() == u"left"_s) &&
                (connectionId.isEmpty() || e.header("ce-connectionId") == connectionId.toUtf8()))
                list << e;
        std::stable_sort(list.begin(), list.end(), [](const Event &a, const Event &b) {
            return a.header("ce-id").toInt() < b.header("ce-id").toInt();
        });
        QStringList labels;
        for (const Event &e : list)
            labels << e.label();
        return labels;
    }
    bool waitPresence(qsizetype n, const QString &connectionId = {})
    {
        return QTest::qWaitFor([&] { return presence(connectionId).size() >= n; }, 10000);
    }

    FaultServer m_handler;
    std::unique_ptr<Emulator> m_emulator;
    quint16 m_port = 0;
    QNetworkAccessManager m_nam;
};

GroupPresenceSettings both(QStringList filters = {})
{
    return GroupPresenceSettings{{u"joined"_s, u"left"_s}, std::move(filters)};
}

} // namespace

// ---- settings -------------------------------------------------------------------------------------------

TEST(PresenceSettings, ConfigParsesValidatesAndRoundTrips)
{
    const QByteArray json = R"({"hubs": {"chat": {"eventHandlers": [
        {"urlTemplate": "http://127.0.0.1:9/{event}", "systemEvents": [],
         "groupPresenceEvents": {"eventNames": ["Joined", "left", "joined"], "groupFilters": ["room*", "lobby"]}},
        {"urlTemplate": "http://127.0.0.1:9/{event}", "groupPresenceEvents": {"eventNames": ["left"]}},
        {"urlTemplate": "http://127.0.0.1:9/{event}"}]}}})";
    const auto config = EmulatorConfig::fromJson(json);
    ASSERT_TRUE(config) << config.error().toStdString();
    const auto &handlers = config->hubs.value(u"chat"_s).eventHandlers;
    ASSERT_EQ(handlers.size(), 3);
    ASSERT_TRUE(handlers[0].groupPresenceEvents);
    EXPECT_EQ(handlers[0].groupPresenceEvents->eventNames, (QStringList{u"joined"_s, u"left"_s}));
    EXPECT_EQ(handlers[0].groupPresenceEvents->groupFilters, (QStringList{u"room*"_s, u"lobby"_s}));
    ASSERT_TRUE(handlers[1].groupPresenceEvents);
    EXPECT_TRUE(handlers[1].groupPresenceEvents->groupFilters.isEmpty());
    EXPECT_FALSE(handlers[2].groupPresenceEvents);

    const auto again = EmulatorConfig::fromJson(config->toJson());
    ASSERT_TRUE(again) << again.error().toStdString();
    EXPECT_EQ(again->hubs.value(u"chat"_s).eventHandlers[0].groupPresenceEvents,
              handlers[0].groupPresenceEvents);
    EXPECT_EQ(again->hubs.value(u"chat"_s).eventHandlers[1].groupPresenceEvents,
              handlers[1].groupPresenceEvents);
    EXPECT_FALSE(again->hubs.value(u"chat"_s).eventHandlers[2].groupPresenceEvents);

    auto error = [](const char *presence) {
        const QByteArray text =
            QByteArray(R"({"hubs": {"chat": {"eventHandlers": [{"urlTemplate": "http://h/x", )"
                       R"("groupPresenceEvents": )") +
            presence + "}]}}}";
        const auto parsed = EmulatorConfig::fromJson(text);
        return parsed ? QString() : parsed.error();
    };
    EXPECT_TRUE(error(R"({"eventNames": ["connected"]})").contains(u"eventNames[0] must be joined or left"_s))
        << error(R"({"eventNames": ["connected"]})").toStdString();
    EXPECT_TRUE(error(R"({"eventNames": "joined"})").contains(u"eventNames must be an array"_s));
    EXPECT_TRUE(error(R"({"groupFilters": [""]})").contains(u"groupFilters[0]"_s));
    EXPECT_TRUE(error(R"({"groupFilters": ["a\\b"]})").contains(u"not a valid group pattern"_s));
    EXPECT_TRUE(error(R"({"names": []})").contains(u"Unknown field"_s));
    EXPECT_TRUE(error(R"([])").contains(u"must be an object"_s));
}

TEST(PresenceSettings, HandlerResolutionHonoursNamesAndFilters)
{
    HubSettings hub;
    EventHandlerSettings none;
    none.urlTemplate = u"http://none/{event}"_s;
    EventHandlerSettings rooms;
    rooms.urlTemplate = u"http://rooms/{event}"_s;
    rooms.groupPresenceEvents = GroupPresenceSettings{{u"joined"_s}, {u"room*"_s, u"game.**"_s}};
    EventHandlerSettings all;
    all.urlTemplate = u"http://all/{event}"_s;
    all.groupPresenceEvents = GroupPresenceSettings{{u"joined"_s, u"left"_s}, {}};
    EventHandlerSettings nothing;
    nothing.urlTemplate = u"http://nothing/{event}"_s;
    nothing.groupPresenceEvents = GroupPresenceSettings{{}, {}};
    hub.eventHandlers = {none, nothing, rooms, all};

    using upstream::resolvePresenceHandler;
    EXPECT_EQ(resolvePresenceHandler(hub, ce::EventKind::GroupJoined, u"room1"_s)->urlTemplate,
              rooms.urlTemplate);
    EXPECT_EQ(resolvePresenceHandler(hub, ce::EventKind::GroupJoined, u"game.a.b"_s)->urlTemplate,
              rooms.urlTemplate);
    // Filters are case-sensitive, like group names; `*` does not cross a '.'.
    EXPECT_EQ(resolvePresenceHandler(hub, ce::EventKind::GroupJoined, u"Room1"_s)->urlTemplate,
              all.urlTemplate);
    EXPECT_EQ(resolvePresenceHandler(hub, ce::EventKind::GroupJoined, u"room.1"_s)->urlTemplate,
              all.urlTemplate);
    EXPECT_EQ(resolvePresenceHandler(hub, ce::EventKind::GroupLeft, u"room1"_s)->urlTemplate,
              all.urlTemplate);
    EXPECT_FALSE(resolvePresenceHandler(hub, ce::EventKind::Connected, u"room1"_s));
    hub.eventHandlers = {none, nothing};
    EXPECT_FALSE(resolvePresenceHandler(hub, ce::EventKind::GroupJoined, u"room1"_s));
    // Presence settings never make a handler take system events.
    EXPECT_FALSE(upstream::resolveHandler(HubSettings{false, {all}, {}}, ce::EventKind::Connected));
}

// ---- events ---------------------------------------------------------------------------------------------

TEST_F(Presence, ClientJoinAndLeaveSendJoinedAndLeftCloudEvents)
{
    start(both());
    auto alice = open(u"alice"_s);
    const QString id = alice->connectionId();
    ASSERT_TRUE(alice->request(u"joinGroup"_s, u"room1"_s, 1));
    ASSERT_TRUE(alice->request(u"joinGroup"_s, u"room1"_s, 2)); // already in: no second event
    ASSERT_TRUE(alice->request(u"leaveGroup"_s, u"room1"_s, 3));
    ASSERT_TRUE(alice->request(u"leaveGroup"_s, u"room1"_s, 4)); // not in: no event
    ASSERT_TRUE(waitPresence(2));
    ASSERT_TRUE(idle());
    EXPECT_EQ(presence(id), (QStringList{u"joined:room1"_s, u"left:room1"_s}));

    Event joined;
    for (const Event &e : events())
        if (e.name() == u"joined"_s)
            joined = e;
    EXPECT_EQ(joined.path(), "/upstream/chat/joined");
    EXPECT_EQ(joined.header("ce-type"), "azure.webpubsub.gp.joined");
    EXPECT_EQ(joined.header("ce-specversion"), "1.0");
    EXPECT_EQ(joined.header("ce-awpsversion"), "1.0");
    EXPECT_EQ(joined.header("ce-hub"), "chat");
    EXPECT_EQ(joined.header("ce-userId"), "alice");
    EXPECT_EQ(joined.header("ce-connectionId"), id.toUtf8());
    EXPECT_EQ(joined.header("ce-source"), QString(u"/hubs/chat/client/"_s + id).toUtf8());
    EXPECT_EQ(joined.header("ce-subprotocol"), kJson.toUtf8());
    EXPECT_TRUE(joined.header("Content-Type").startsWith("application/json"));
    EXPECT_TRUE(joined.header("WebHook-Request-Origin") != "<absent>");
    EXPECT_TRUE(ce::verifySignature(joined.header("ce-signature"), id, {kKey.toUtf8()}));
    EXPECT_EQ(QJsonDocument::fromJson(joined.body).object(), (QJsonObject{{u"group"_s, u"room1"_s}}));
    // ce-id counts on from `connected` (1): joined 2, left 3.
    EXPECT_EQ(joined.header("ce-id"), "2");
}

TEST_F(Presence, AbsentSettingsSendNothingAndFiltersAndNamesAreHonoured)
{
    start(std::nullopt);
    auto alice = open(u"alice"_s);
    ASSERT_TRUE(alice->request(u"joinGroup"_s, u"room1"_s, 1));
    ASSERT_TRUE(alice->request(u"leaveGroup"_s, u"room1"_s, 2));
    ASSERT_TRUE(QTest::qWaitFor([&] { return !events().isEmpty(); }, 10000)); // `connected`
    ASSERT_TRUE(idle());
    EXPECT_TRUE(presence().isEmpty());
    alice.reset();
    m_emulator.reset();

    start(GroupPresenceSettings{{u"joined"_s}, {u"room*"_s}});
    auto bob = open(u"bob"_s);
    ASSERT_TRUE(bob->request(u"joinGroup"_s, u"lobby"_s, 1));
    ASSERT_TRUE(bob->request(u"joinGroup"_s, u"room2"_s, 2));
    ASSERT_TRUE(bob->request(u"leaveGroup"_s, u"room2"_s, 3));
    ASSERT_TRUE(waitPresence(1, bob->connectionId()));
    ASSERT_TRUE(idle());
    EXPECT_EQ(presence(bob->connectionId()), QStringList{u"joined:room2"_s});
}

TEST_F(Presence, RestMembershipCallsSendPresenceEvents)
{
    start(both());
    auto alice = open(u"alice"_s);
    auto bob = open(u"bob"_s);
    const QString a = alice->connectionId();
    const QString b = bob->connectionId();

    EXPECT_EQ(rest("PUT", u"/groups/g1/connections/"_s + a), 200);
    EXPECT_EQ(rest("PUT", u"/users/bob/groups/g2"_s), 200);
    EXPECT_EQ(rest("POST", u"/:addToGroups"_s, R"({"groups": ["g3"], "filter": "userId eq 'alice'"})"), 200);
    ASSERT_TRUE(waitPresence(3));
    EXPECT_EQ(rest("DELETE", u"/groups/g1/connections/"_s + a), 204);
    EXPECT_EQ(rest("DELETE", u"/users/bob/groups/g2"_s), 204);
    EXPECT_EQ(rest("DELETE", u"/connections/"_s + a + u"/groups"_s), 204);
    ASSERT_TRUE(waitPresence(6));
    ASSERT_TRUE(idle());
    EXPECT_EQ(presence(a), (QStringList{u"joined:g1"_s, u"joined:g3"_s, u"left:g1"_s, u"left:g3"_s}));
    EXPECT_EQ(presence(b), (QStringList{u"joined:g2"_s, u"left:g2"_s}));

    EXPECT_EQ(rest("PUT", u"/users/bob/groups/g4"_s), 200);
    EXPECT_EQ(rest("DELETE", u"/users/bob/groups"_s), 204); // from every group
    EXPECT_EQ(rest("POST", u"/:addToGroups"_s, R"({"groups": ["g5"], "filter": "userId eq 'bob'"})"), 200);
    EXPECT_EQ(rest("POST", u"/:removeFromGroups"_s, R"({"groups": ["g5"], "filter": "userId eq 'bob'"})"),
              200);
    ASSERT_TRUE(waitPresence(6, b));
    ASSERT_TRUE(idle());
    EXPECT_EQ(presence(b), (QStringList{u"joined:g2"_s, u"left:g2"_s, u"joined:g4"_s, u"left:g4"_s,
                                        u"joined:g5"_s, u"left:g5"_s}));
}

TEST_F(Presence, GroupsFromTheTokenAreJoinedAfterConnectedAndAClosingConnectionLeavesThemAll)
{
    start(both());
    auto alice = open(u"alice"_s, {u"b"_s, u"a"_s});
    const QString id = alice->connectionId();
    ASSERT_TRUE(alice->request(u"joinGroup"_s, u"c"_s, 1));
    ASSERT_TRUE(waitPresence(3, id));
    alice->ws.close();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            for (const Event &e : events())
                if (e.name() == u"disconnected"_s)
                    return true;
            return false;
        },
        10000));
    ASSERT_TRUE(idle());
    EXPECT_EQ(presence(id), (QStringList{u"joined:a"_s, u"joined:b"_s, u"joined:c"_s, u"left:a"_s,
                                         u"left:b"_s, u"left:c"_s}));
    // Order of the connection's events by ce-id: connected, the joins, the leaves, then disconnected.
    QMap<int, QString> byId;
    for (const Event &e : events())
        if (e.header("ce-connectionId") == id.toUtf8())
            byId.insert(e.header("ce-id").toInt(), e.label());
    EXPECT_EQ(byId.values(), (QStringList{u"connected"_s, u"joined:a"_s, u"joined:b"_s, u"joined:c"_s,
                                          u"left:a"_s, u"left:b"_s, u"left:c"_s, u"disconnected"_s}));
}

TEST_F(Presence, RestCloseLeavesEveryGroupBeforeDisconnected)
{
    start(both({u"keep*"_s}));
    auto alice = open(u"alice"_s);
    const QString id = alice->connectionId();
    ASSERT_TRUE(alice->request(u"joinGroup"_s, u"keep1"_s, 1));
    ASSERT_TRUE(alice->request(u"joinGroup"_s, u"other"_s, 2));
    EXPECT_EQ(rest("DELETE", u"/connections/"_s + id + u"?reason=bye"_s), 204);
    ASSERT_TRUE(QTest::qWaitFor([&] { return alice->closed; }, 10000));
    ASSERT_TRUE(waitPresence(2, id));
    ASSERT_TRUE(idle());
    EXPECT_EQ(presence(id), (QStringList{u"joined:keep1"_s, u"left:keep1"_s}));
}

TEST_F(Presence, ArmHubSettingsRoundTripFromThePreviewVersionOn)
{
    start(both({u"room*"_s}));
    const QString hubPath =
        u"/subscriptions/s/resourceGroups/rg/providers/Microsoft.SignalRService/webPubSub/"_s +
        ArmApi::resourceName() + u"/hubs/chat"_s;
    auto call = [&](const QByteArray &method, const QString &version, const QByteArray &body = {}) {
        const QUrl target(u"http://"_s + authority() + hubPath + u"?api-version="_s + version);
        QNetworkRequest request(target);
        request.setRawHeader("Content-Type", "application/json");
        const QJsonObject claims{{u"aud"_s, target.toString(QUrl::FullyEncoded)},
                                 {u"exp"_s, QDateTime::currentSecsSinceEpoch() + 3600}};
        request.setRawHeader("Authorization", "Bearer " + wps::jwt::signHs256(claims, kKey.toUtf8()));
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished()) {
            EXPECT_TRUE(finished.wait(10000));
        }
        const QPair<int, QJsonObject> result{
            reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
            QJsonDocument::fromJson(reply->readAll()).object()};
        reply->deleteLater();
        return result;
    };
    auto handlerOf = [](const QJsonObject &hub) {
        return hub.value(u"properties"_s).toObject().value(u"eventHandlers"_s).toArray().at(0).toObject();
    };
    const auto preview = call("GET", u"2025-08-01-preview"_s);
    ASSERT_EQ(preview.first, 200) << QJsonDocument(preview.second).toJson().toStdString();
    EXPECT_EQ(handlerOf(preview.second).value(u"groupPresenceEvents"_s).toObject(),
              (QJsonObject{{u"eventNames"_s, QJsonArray{u"joined"_s, u"left"_s}},
                           {u"groupFilters"_s, QJsonArray{u"room*"_s}}}));
    const auto stable = call("GET", u"2024-03-01"_s);
    ASSERT_EQ(stable.first, 200);
    EXPECT_FALSE(handlerOf(stable.second).contains(u"groupPresenceEvents"_s));

    // A PUT at the preview version changes the live settings.
    QJsonObject body = preview.second;
    QJsonObject properties = body.value(u"properties"_s).toObject();
    QJsonObject handler = handlerOf(body);
    handler.insert(u"groupPresenceEvents"_s, QJsonObject{{u"eventNames"_s, QJsonArray{u"left"_s}}});
    properties.insert(u"eventHandlers"_s, QJsonArray{handler});
    body.insert(u"properties"_s, properties);
    const auto put = call("PUT", u"2025-08-01-preview"_s, QJsonDocument(body).toJson());
    ASSERT_EQ(put.first, 200) << QJsonDocument(put.second).toJson().toStdString();
    const auto &live = m_emulator->config().hubs.value(u"chat"_s).eventHandlers;
    ASSERT_EQ(live.size(), 1);
    ASSERT_TRUE(live[0].groupPresenceEvents);
    EXPECT_EQ(live[0].groupPresenceEvents->eventNames, QStringList{u"left"_s});
    EXPECT_TRUE(live[0].groupPresenceEvents->groupFilters.isEmpty());

    handler.insert(u"groupPresenceEvents"_s, QJsonObject{{u"eventNames"_s, QJsonArray{u"gone"_s}}});
    properties.insert(u"eventHandlers"_s, QJsonArray{handler});
    body.insert(u"properties"_s, properties);
    const auto bad = call("PUT", u"2025-08-01-preview"_s, QJsonDocument(body).toJson());
    EXPECT_EQ(bad.first, 400);
    EXPECT_TRUE(
        bad.second.value(u"error"_s).toObject().value(u"message"_s).toString().contains(u"joined or left"_s));

    // Live: the next leave is sent, joins no longer.
    auto alice = open(u"alice"_s);
    ASSERT_TRUE(alice->request(u"joinGroup"_s, u"x"_s, 1));
    ASSERT_TRUE(alice->request(u"leaveGroup"_s, u"x"_s, 2));
    ASSERT_TRUE(waitPresence(1, alice->connectionId()));
    ASSERT_TRUE(idle());
    EXPECT_EQ(presence(alice->connectionId()), QStringList{u"left:x"_s});
}
