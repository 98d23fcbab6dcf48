// PacketIdSet: the emulator's set of MQTT packet identifiers in flight on a session.
#include "emulator/mqttpacketids.h"

#include <gtest/gtest.h>

using wps::emulator::PacketIdSet;

TEST(PacketIdSet, InsertsRemovesAndCountsEveryIdentifierOnce)
{
    PacketIdSet ids;
    EXPECT_TRUE(ids.isEmpty());
    EXPECT_FALSE(ids.contains(1));
    EXPECT_FALSE(ids.remove(1)); // nothing kept yet
    for (const quint16 id : {quint16(1), quint16(63), quint16(64), quint16(65535)})
        EXPECT_TRUE(ids.insert(id)) << id;
    EXPECT_FALSE(ids.insert(64)); // already in flight
    EXPECT_EQ(ids.size(), 4);
    EXPECT_TRUE(ids.contains(63));
    EXPECT_TRUE(ids.contains(65535));
    EXPECT_FALSE(ids.contains(62));
    EXPECT_FALSE(ids.contains(0));
    EXPECT_TRUE(ids.remove(63));
    EXPECT_FALSE(ids.remove(63));
    EXPECT_FALSE(ids.contains(63));
    EXPECT_TRUE(ids.contains(64)); // its neighbour in the next word is untouched
    EXPECT_EQ(ids.size(), 3);
    ids.clear();
    EXPECT_TRUE(ids.isEmpty());
    EXPECT_FALSE(ids.contains(64));
}
