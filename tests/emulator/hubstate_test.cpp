#include "emulator/hubstate.h"

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using namespace wps::emulator;

namespace {

class Sink : public ConnectionSink
{
public:
    void deliver(const Delivery &message) override { delivered << message; }
    void close(const QString &reason) override { closes << reason; }
    QList<Delivery> delivered;
    QStringList closes;
};

Connection makeConnection(const QString &id, std::optional<QString> user, std::shared_ptr<Sink> sink = {})
{
    Connection c;
    c.id = id;
    c.userId = std::move(user);
    c.sink = std::move(sink);
    return c;
}

} // namespace

TEST(HubState, MembershipIsConnectionScoped)
{
    HubState hub;
    ASSERT_TRUE(hub.addConnection(makeConnection(u"c2"_s, u"u"_s)));
    ASSERT_TRUE(hub.addConnection(makeConnection(u"c1"_s, u"u"_s)));
    EXPECT_FALSE(hub.addConnection(makeConnection(u"c1"_s, std::nullopt)));
    EXPECT_EQ(hub.connectionsOfUser(u"u"_s), (QStringList{u"c1"_s, u"c2"_s}));
    EXPECT_TRUE(hub.addToGroup(u"c1"_s, u"g"_s));
    EXPECT_FALSE(hub.addToGroup(u"nope"_s, u"g"_s));
    EXPECT_TRUE(hub.hasGroup(u"g"_s));
    hub.removeConnection(u"c1"_s);
    EXPECT_FALSE(hub.hasGroup(u"g"_s));
    EXPECT_TRUE(hub.hasUser(u"u"_s));
    hub.removeConnection(u"c2"_s);
    EXPECT_FALSE(hub.hasUser(u"u"_s));
}

TEST(HubState, CloseForgetsThenTellsTheSink)
{
    HubState hub;
    auto sink = std::make_shared<Sink>();
    ASSERT_TRUE(hub.addConnection(makeConnection(u"c1"_s, std::nullopt, sink)));
    hub.closeConnection(u"c1"_s, u"bye"_s);
    EXPECT_EQ(sink->closes, QStringList{u"bye"_s});
    EXPECT_EQ(hub.connection(u"c1"_s), nullptr);
}

TEST(HubState, LiteralRolesAndRevocableGrantsBothGivePermissions)
{
    HubState hub;
    Connection c = makeConnection(u"c1"_s, std::nullopt);
    c.roles = {u"webpubsub.joinLeaveGroup.room1"_s, u"webpubsub.sendToGroup"_s};
    ASSERT_TRUE(hub.addConnection(c));
    EXPECT_TRUE(hub.hasPermission(u"c1"_s, u"joinLeaveGroup"_s, u"room1"_s));
    EXPECT_FALSE(hub.hasPermission(u"c1"_s, u"joinLeaveGroup"_s, u"Room1"_s));
    EXPECT_TRUE(hub.hasPermission(u"c1"_s, u"sendToGroup"_s, u"anything"_s));
    EXPECT_FALSE(hub.hasPermission(u"c1"_s, u"joinLeaveGroup"_s, u"room2"_s));
    EXPECT_TRUE(hub.grant(u"c1"_s, u"JoinLeaveGroup"_s, u"room2"_s));
    EXPECT_TRUE(hub.hasPermission(u"c1"_s, u"joinLeaveGroup"_s, u"room2"_s));
    hub.revoke(u"c1"_s, u"joinLeaveGroup"_s, u"room2"_s);
    EXPECT_FALSE(hub.hasPermission(u"c1"_s, u"joinLeaveGroup"_s, u"room2"_s));
}
