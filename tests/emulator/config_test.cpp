#include "emulator/config.h"

#include <gtest/gtest.h>

using namespace Qt::Literals::StringLiterals;
using wps::emulator::EmulatorConfig;

namespace {

QString errorOf(const QByteArray &json)
{
    auto result = EmulatorConfig::fromJson(json);
    return result ? QString() : result.error();
}

} // namespace

TEST(EmulatorConfig, ParsesTheDocumentedShape)
{
    auto config = EmulatorConfig::fromJson(R"({"hubs": {"chat": {"anonymousConnect": false, "eventHandlers": [
        {"urlTemplate": "http://127.0.0.1:3000/eventhandler/{event}", "userEventPattern": "*",
         "systemEvents": ["connect", "connected", "disconnected"]}]}, "other": {"anonymousConnect": true}}})");
    ASSERT_TRUE(config) << config.error().toStdString();
    ASSERT_EQ(config->hubs.size(), 2);
    const auto &chat = config->hubs.value(u"chat"_s);
    EXPECT_FALSE(chat.anonymousConnect);
    ASSERT_EQ(chat.eventHandlers.size(), 1);
    EXPECT_EQ(chat.eventHandlers[0].urlTemplate, u"http://127.0.0.1:3000/eventhandler/{event}"_s);
    EXPECT_EQ(chat.eventHandlers[0].userEventPattern, u"*"_s);
    EXPECT_EQ(chat.eventHandlers[0].systemEvents,
              (QStringList{u"connect"_s, u"connected"_s, u"disconnected"_s}));
    EXPECT_TRUE(config->hubs.value(u"other"_s).anonymousConnect);
}

TEST(EmulatorConfig, EmptyObjectAndEmptyHubsAreValid)
{
    EXPECT_TRUE(EmulatorConfig::fromJson("{}"));
    EXPECT_TRUE(EmulatorConfig::fromJson(R"({"hubs": {}})"));
}

TEST(EmulatorConfig, RoundTripsThroughToJson)
{
    auto config = EmulatorConfig::fromJson(R"({"hubs": {"chat": {"anonymousConnect": true, "eventHandlers": [
        {"urlTemplate": "https://example.com/{hub}/{event}", "userEventPattern": "a,b", "systemEvents": ["connected"]}]}}})");
    ASSERT_TRUE(config);
    auto again = EmulatorConfig::fromJson(config->toJson());
    ASSERT_TRUE(again) << again.error().toStdString();
    EXPECT_EQ(again->toJson(), config->toJson());
    EXPECT_TRUE(again->hubs.value(u"chat"_s).anonymousConnect);
    EXPECT_EQ(again->hubs.value(u"chat"_s).eventHandlers.value(0).userEventPattern, u"a,b"_s);
}

struct BadCase
{
    const char *json;
    const char *expectedInError;
};

class EmulatorConfigBad : public ::testing::TestWithParam<BadCase>
{
};

TEST_P(EmulatorConfigBad, IsAClearErrorNamingThePath)
{
    const QString error = errorOf(GetParam().json);
    ASSERT_FALSE(error.isEmpty()) << GetParam().json;
    EXPECT_TRUE(error.contains(QString::fromUtf8(GetParam().expectedInError))) << error.toStdString();
}

INSTANTIATE_TEST_SUITE_P(
    AllBadCases, EmulatorConfigBad,
    ::testing::Values(
        BadCase{"not json", "not valid JSON"}, BadCase{"[]", "must be a JSON object"},
        BadCase{R"({"hub": {}})", "Unknown field hub"}, BadCase{R"({"hubs": []})", "hubs must be an object"},
        BadCase{R"({"hubs": {"1chat": {}}})", "hubs.1chat"},
        BadCase{R"({"hubs": {"chat": []}})", "hubs.chat must be an object"},
        BadCase{R"({"hubs": {"chat": {"anonymous": true}}})", "Unknown field hubs.chat.anonymous"},
        BadCase{R"({"hubs": {"chat": {"anonymousConnect": "yes"}}})",
                "hubs.chat.anonymousConnect must be a boolean"},
        BadCase{R"({"hubs": {"chat": {"eventHandlers": {}}}})", "hubs.chat.eventHandlers must be an array"},
        BadCase{R"({"hubs": {"chat": {"eventHandlers": [1]}}})",
                "hubs.chat.eventHandlers[0] must be an object"},
        BadCase{R"({"hubs": {"chat": {"eventHandlers": [{}]}}})",
                "hubs.chat.eventHandlers[0].urlTemplate is required"},
        BadCase{R"({"hubs": {"chat": {"eventHandlers": [{"urlTemplate": 5}]}}})",
                "hubs.chat.eventHandlers[0].urlTemplate must be a string"},
        BadCase{R"({"hubs": {"chat": {"eventHandlers": [{"urlTemplate": "ftp://x/{event}"}]}}})",
                "hubs.chat.eventHandlers[0].urlTemplate must be an absolute http or https URL"},
        // {event}/{hub} may not choose the host, port, scheme or credentials (issue 15).
        BadCase{R"({"hubs": {"chat": {"eventHandlers": [{"urlTemplate": "http://{event}.example/x"}]}}})",
                "{event} may appear only in the path or query"},
        BadCase{R"({"hubs": {"chat": {"eventHandlers": [{"urlTemplate": "http://127.0.0.1:{Event}/x"}]}}})",
                "{event} may appear only in the path or query"},
        BadCase{R"({"hubs": {"chat": {"eventHandlers": [{"urlTemplate": "http://{hub}:pw@127.0.0.1/x"}]}}})",
                "{hub} may appear only in the path or query"},
        BadCase{R"({"hubs": {"chat": {"eventHandlers": [{"urlTemplate": "http://127.0.0.1/x#{event}"}]}}})",
                "not in its fragment"},
        BadCase{R"({"hubs": {"chat": {"eventHandlers": [{"urlTemplate": "http://x", "url": 1}]}}})",
                "Unknown field hubs.chat.eventHandlers[0].url"},
        BadCase{
            R"({"hubs": {"chat": {"eventHandlers": [{"urlTemplate": "http://x", "userEventPattern": []}]}}})",
            "hubs.chat.eventHandlers[0].userEventPattern must be a string"},
        BadCase{
            R"({"hubs": {"chat": {"eventHandlers": [{"urlTemplate": "http://x", "systemEvents": "connect"}]}}})",
            "hubs.chat.eventHandlers[0].systemEvents must be an array"},
        BadCase{
            R"({"hubs": {"chat": {"eventHandlers": [{"urlTemplate": "http://x", "systemEvents": [true]}]}}})",
            "hubs.chat.eventHandlers[0].systemEvents[0] must be a string"},
        BadCase{
            R"({"hubs": {"chat": {"eventHandlers": [{"urlTemplate": "http://x", "systemEvents": ["message"]}]}}})",
            "hubs.chat.eventHandlers[0].systemEvents[0] must be one of"}),
    [](const ::testing::TestParamInfo<BadCase> &param) { return "case" + std::to_string(param.index); });

TEST(EmulatorConfig, FromFileNamesTheFile)
{
    auto missing = EmulatorConfig::fromFile(u"/nonexistent/wps-config.json"_s);
    ASSERT_FALSE(missing);
    EXPECT_TRUE(missing.error().contains(u"/nonexistent/wps-config.json"_s));
}

TEST(EmulatorConfig, KeepAliveIntervalIsOptionalValidatedAndRoundTrips)
{
    auto config =
        EmulatorConfig::fromJson(R"({"hubs": {"chat": {"webSocketKeepAliveIntervalInSeconds": 5}}})");
    ASSERT_TRUE(config) << config.error().toStdString();
    EXPECT_EQ(config->hubs.value(u"chat"_s).keepAliveSeconds, std::optional<int>(5));
    auto again = EmulatorConfig::fromJson(config->toJson());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->hubs.value(u"chat"_s).keepAliveSeconds, std::optional<int>(5));
    EXPECT_FALSE(
        EmulatorConfig::fromJson(R"({"hubs": {"chat": {}}})")->hubs.value(u"chat"_s).keepAliveSeconds);
    for (const char *bad : {"0", "121", "2.5", "\"20\"", "1e300", "-1"}) {
        const QString error = errorOf(R"({"hubs": {"chat": {"webSocketKeepAliveIntervalInSeconds": )" +
                                      QByteArray(bad) + "}}}");
        EXPECT_TRUE(error.contains(u"hubs.chat.webSocketKeepAliveIntervalInSeconds"_s))
            << bad << ": " << error.toStdString();
    }
}
