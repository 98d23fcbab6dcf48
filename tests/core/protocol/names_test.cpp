// Hub, group and other name rules (docs/protocol.md#paths-names-and-bodies, docs/protocol.md#limits).
#include "protocol/names.h"
#include "support/printers.h"

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
namespace names = wps::names;

TEST(Names, HubNamesStartWithALetterAndHaveAtMost128Characters)
{
    for (const QString &ok :
         {u"a"_s, u"Chat_Hub"_s, u"h1"_s, u"a`,.[]_9"_s, QString(u"A"_s + QString(127, u'b'))})
        EXPECT_TRUE(names::checkHub(ok).isEmpty()) << ok.toStdString();
    for (const QString &bad : {u""_s, u"1hub"_s, u"_hub"_s, u"hub-1"_s, u"hub 1"_s, u"hub/x"_s, u"hüb"_s,
                               u"chat\n"_s, QString(u"A"_s + QString(128, u'b'))})
        EXPECT_FALSE(names::checkHub(bad).isEmpty()) << bad.toStdString();
}

TEST(Names, GroupNamesAreOneTo1024CharactersAndNotBlank)
{
    EXPECT_TRUE(names::checkGroup(u"g"_s).isEmpty());
    EXPECT_TRUE(names::checkGroup(u" g "_s).isEmpty());
    EXPECT_TRUE(names::checkGroup(u"group with spaces/and?chars"_s).isEmpty());
    EXPECT_TRUE(names::checkGroup(QString(1024, u'x')).isEmpty());
    EXPECT_FALSE(names::checkGroup(QString(1025, u'x')).isEmpty());
    EXPECT_FALSE(names::checkGroup(u""_s).isEmpty());
    EXPECT_FALSE(names::checkGroup(u"   "_s).isEmpty());
    EXPECT_FALSE(names::checkGroup(u"\t\n"_s).isEmpty());
    // The service's message for a bad group name (recorded, docs/protocol.md#error-model).
    EXPECT_EQ(names::checkGroup(u""_s),
              u"Invalid group name. Valid group name should be in between 1 and 1024 characters long."_s);
}

TEST(Names, UserAndConnectionIdsMustBeNonEmptyAndPermissionsKnown)
{
    EXPECT_TRUE(names::checkUserId(u"alice"_s).isEmpty());
    EXPECT_FALSE(names::checkUserId(u""_s).isEmpty());
    EXPECT_TRUE(names::checkConnectionId(u"MakDGZKW2X9sepRAdxLKFwD4EB9Aa02"_s).isEmpty());
    EXPECT_FALSE(names::checkConnectionId(u""_s).isEmpty());
    EXPECT_TRUE(names::checkPermission(u"sendToGroup"_s).isEmpty());
    EXPECT_TRUE(names::checkPermission(u"joinleavegroup"_s).isEmpty());
    EXPECT_FALSE(names::checkPermission(u"admin"_s).isEmpty());
}
