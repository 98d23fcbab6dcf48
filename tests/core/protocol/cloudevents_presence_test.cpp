// Group presence CloudEvents (docs/protocol.md#group-presence-events): the `ce-type` / `ce-eventName` the
// express SDK 1.1.0 dispatches on, written and read back by the shared codec.
#include "protocol/cloudevents.h"
#include "support/printers.h"

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
namespace ce = wps::cloudevents;

TEST(CloudEventsPresence, NamesTypesAndHeadersRoundTrip)
{
    EXPECT_EQ(ce::eventName(ce::EventKind::GroupJoined), u"joined"_s);
    EXPECT_EQ(ce::eventName(ce::EventKind::GroupLeft), u"left"_s);
    EXPECT_EQ(ce::eventType(ce::EventKind::GroupJoined), u"azure.webpubsub.gp.joined"_s);
    EXPECT_EQ(ce::eventType(ce::EventKind::GroupLeft), u"azure.webpubsub.gp.left"_s);

    for (const auto kind : {ce::EventKind::GroupJoined, ce::EventKind::GroupLeft}) {
        ce::EventAttributes event;
        event.kind = kind;
        event.hub = u"chat"_s;
        event.connectionId = u"conn1"_s;
        event.userId = u"alice"_s;
        event.id = 4;
        const ce::Headers headers =
            ce::buildHeaders(event, {"key"_ba}, u"127.0.0.1:8080"_s, ce::systemEventContentType());
        const auto parsed = ce::parseHeaders(headers);
        ASSERT_TRUE(parsed) << parsed.error().toStdString();
        EXPECT_EQ(parsed->kind, kind);
        EXPECT_EQ(parsed->userId, std::optional<QString>(u"alice"_s));
        EXPECT_EQ(parsed->id, 4u);
        bool sawName = false;
        for (const auto &[name, value] : headers)
            if (name.compare("ce-eventName", Qt::CaseInsensitive) == 0)
                sawName = value == ce::eventName(kind).toUtf8();
        EXPECT_TRUE(sawName);
    }
    // Other gp types are not ours.
    ce::Headers unknown{
        {"ce-type", "azure.webpubsub.gp.renamed"}, {"ce-hub", "h"}, {"ce-connectionId", "c"}, {"ce-id", "1"}};
    EXPECT_FALSE(ce::parseHeaders(unknown));
}
