// The Hubs panel's group presence editor against the real `webpubsub-emulator`: a handler's
// `groupPresenceEvents` edited with the checkboxes and the filter field, saved through ARM (an independent
// ArmClient GET sees it), and used by the emulator (a live client's join reaches a loopback handler as a
// `joined` event, a join outside the filter does not).
#include "arm/armclient.h"
#include "live/liveclient.h"
#include "panels/hubs/hubmodels.h"
#include "panels/hubs/hubspanel.h"
#include "panels/hubs/presenceeditor.h"
#include "protocol/clienttoken.h"
#include "service/credential.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/faultserver.h"
#include "support/panelfixture.h"
#include "support/printers.h"
#include "support/wait.h"
#include "support/widgets.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {

using wps::test::child;

using wps::test::kWaitMs;

class HubsPresenceTest : public wps::test::PanelTest<wps::ui::HubsPanel>
{
protected:
    void panelReady() override
    {
        m_tester =
            std::make_unique<QAbstractItemModelTester>(child<QTableView>(*m_panel, u"handlerView"_s)->model(),
                                                       QAbstractItemModelTester::FailureReportingMode::Fatal);
    }

    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

} // namespace

TEST(PresenceEditor, EditorRoundTripsTheSettingSummarisesItAndChecksFilters)
{
    wps::ui::PresenceEditor editor;
    EXPECT_FALSE(editor.value());
    EXPECT_FALSE(child<QCheckBox>(editor, u"presenceJoinedCheck"_s)->isEnabled()); // no handler yet
    editor.setValue(wps::arm::GroupPresenceEvents{{u"left"_s}, {u"room*"_s, u"lobby"_s}});
    EXPECT_FALSE(child<QCheckBox>(editor, u"presenceJoinedCheck"_s)->isChecked());
    EXPECT_TRUE(child<QCheckBox>(editor, u"presenceLeftCheck"_s)->isChecked());
    EXPECT_EQ(child<QLineEdit>(editor, u"presenceFiltersEdit"_s)->text(), u"room*, lobby"_s);

    QSignalSpy edited(&editor, &wps::ui::PresenceEditor::edited);
    child<QCheckBox>(editor, u"presenceJoinedCheck"_s)->setChecked(true);
    EXPECT_EQ(edited.count(), 1);
    EXPECT_EQ(editor.value(),
              (wps::arm::GroupPresenceEvents{{u"joined"_s, u"left"_s}, {u"room*"_s, u"lobby"_s}}));
    child<QCheckBox>(editor, u"presenceJoinedCheck"_s)->setChecked(false);
    child<QCheckBox>(editor, u"presenceLeftCheck"_s)->setChecked(false);
    child<QLineEdit>(editor, u"presenceFiltersEdit"_s)->clear();
    EXPECT_FALSE(editor.value()); // nothing asked for: the setting is absent

    EXPECT_EQ(wps::ui::PresenceEditor::summary(std::nullopt), u"none"_s);
    EXPECT_EQ(wps::ui::PresenceEditor::summary(wps::arm::GroupPresenceEvents{{u"joined"_s}, {}}),
              u"joined of every group"_s);
    EXPECT_EQ(
        wps::ui::PresenceEditor::summary(wps::arm::GroupPresenceEvents{{u"joined"_s, u"left"_s}, {u"a*"_s}}),
        u"joined, left of a*"_s);
    EXPECT_TRUE(wps::ui::PresenceEditor::checkFilters({u"room*"_s, u"a\\*"_s}).isEmpty());
    EXPECT_TRUE(wps::ui::PresenceEditor::checkFilters({u"a\\b"_s}).contains(u"a\\b"_s));
}

TEST_F(HubsPresenceTest, EditsGroupPresenceAndTheEmulatorSendsIt)
{
    ASSERT_TRUE(QTest::qWaitFor([&] { return !m_panel->resourceId().isEmpty(); }, kWaitMs))
        << child<QLabel>(*m_panel, u"armStatusLabel"_s)->text().toStdString();
    auto *list = child<QListView>(*m_panel, u"hubList"_s);
    const auto *hubs = static_cast<wps::ui::HubListModel *>(list->model());
    const int chat = hubs->rowOf(u"chat"_s);
    ASSERT_GE(chat, 0);
    QSignalSpy settingsLoaded(m_panel.get(), &wps::ui::HubsPanel::settingsLoaded);
    list->setCurrentIndex(list->model()->index(chat, 0));
    ASSERT_TRUE(settingsLoaded.wait(kWaitMs));

    wps::test::FaultServer upstream;
    upstream.setDefault(wps::test::FaultServer::Response::answer(200, {}, {{"WebHook-Allowed-Origin", "*"}}));
    const quint16 port = upstream.listen();
    ASSERT_NE(port, 0);
    auto *view = child<QTableView>(*m_panel, u"handlerView"_s);
    QAbstractItemModel *handlers = view->model();
    const int row = handlers->rowCount();
    child<QPushButton>(*m_panel, u"addHandlerButton"_s)->click();
    ASSERT_EQ(handlers->rowCount(), row + 1);
    EXPECT_TRUE(handlers->setData(handlers->index(row, wps::ui::EventHandlerModel::UrlTemplate),
                                  u"http://127.0.0.1:%1/upstream/{event}"_s.arg(port)));
    view->setCurrentIndex(handlers->index(row, wps::ui::EventHandlerModel::UserEvents));

    auto *joined = child<QCheckBox>(*m_panel, u"presenceJoinedCheck"_s);
    ASSERT_TRUE(joined->isEnabled());
    joined->setChecked(true);
    auto *filters = child<QLineEdit>(*m_panel, u"presenceFiltersEdit"_s);
    filters->setText(u"room*, lobby"_s);
    Q_EMIT filters->textEdited(filters->text());
    EXPECT_EQ(handlers->index(row, wps::ui::EventHandlerModel::GroupPresence).data().toString(),
              u"joined of room*, lobby"_s);

    QSignalSpy saved(m_panel.get(), &wps::ui::HubsPanel::settingsSaved);
    child<QPushButton>(*m_panel, u"saveSettingsButton"_s)->click();
    ASSERT_TRUE(saved.wait(kWaitMs));
    EXPECT_TRUE(saved.last().at(1).toString().isEmpty()) << saved.last().at(1).toString().toStdString();

    // An independent ARM client (hub settings at the preview api-version) sees the setting.
    wps::arm::ArmClientOptions options;
    options.baseUrl = m_emulator.endpoint();
    wps::arm::ArmClient client(
        std::make_shared<wps::service::AccessKeyCredential>(m_emulator.connectionString().accessKey()),
        options);
    wps::arm::HubJob *get = client.getHub(m_panel->resourceId(), u"chat"_s);
    QSignalSpy got(get, &wps::arm::ArmJob::finished);
    ASSERT_TRUE(got.wait(kWaitMs));
    ASSERT_FALSE(get->hasError()) << get->error().toString().toStdString();
    ASSERT_EQ(get->hub().eventHandlers.size(), row + 1);
    EXPECT_EQ(get->hub().eventHandlers.constLast().groupPresenceEvents,
              (wps::arm::GroupPresenceEvents{{u"joined"_s}, {u"room*"_s, u"lobby"_s}}));

    // The emulator uses it: a join of "lounge" (no match) then "room1" gives one joined event, for room1.
    wps::ClientTokenOptions token;
    token.userId = u"alice"_s;
    token.roles = {u"webpubsub.joinLeaveGroup"_s};
    const wps::ClientAccess access = wps::makeClientAccess(m_emulator.connectionString(), u"chat"_s, token);
    wps::live::LiveClient live(access.url, wps::live::Subprotocol::Json);
    wps::live::LiveClientSettings liveSettings;
    liveSettings.autoReconnect = false;
    live.setSettings(liveSettings);
    QSignalSpy connected(&live, &wps::live::LiveClient::connected);
    live.start();
    ASSERT_TRUE(connected.wait(kWaitMs));
    for (const QString &group : {u"lounge"_s, u"room1"_s}) {
        wps::live::AckJob *join = live.joinGroup(group);
        QSignalSpy done(join, &wps::live::AckJob::finished);
        ASSERT_TRUE(done.wait(kWaitMs));
        ASSERT_TRUE(join->succeeded());
    }
    auto joinedEvents = [&] {
        QList<QByteArray> bodies;
        for (qsizetype i = 0; i < upstream.requests().size(); ++i)
            if (upstream.requests().at(i).startsWith("POST /upstream/joined"))
                bodies << upstream.bodies().value(i);
        return bodies;
    };
    ASSERT_TRUE(QTest::qWaitFor([&] { return !joinedEvents().isEmpty(); }, kWaitMs))
        << upstream.requestCount();
    EXPECT_EQ(joinedEvents(), QList<QByteArray>{R"({"group":"room1"})"_ba});
}

TEST_F(HubsPresenceTest, AnInvalidFilterIsNamedAndSavingItFailsSayingWhy)
{
    ASSERT_TRUE(QTest::qWaitFor([&] { return !m_panel->resourceId().isEmpty(); }, kWaitMs))
        << child<QLabel>(*m_panel, u"armStatusLabel"_s)->text().toStdString();
    auto *list = child<QListView>(*m_panel, u"hubList"_s);
    const auto *hubs = static_cast<wps::ui::HubListModel *>(list->model());
    const int chat = hubs->rowOf(u"chat"_s);
    ASSERT_GE(chat, 0);
    QSignalSpy settingsLoaded(m_panel.get(), &wps::ui::HubsPanel::settingsLoaded);
    list->setCurrentIndex(list->model()->index(chat, 0));
    ASSERT_TRUE(settingsLoaded.wait(kWaitMs));

    auto *view = child<QTableView>(*m_panel, u"handlerView"_s);
    QAbstractItemModel *handlers = view->model();
    const int row = handlers->rowCount();
    child<QPushButton>(*m_panel, u"addHandlerButton"_s)->click();
    ASSERT_EQ(handlers->rowCount(), row + 1);
    EXPECT_TRUE(handlers->setData(handlers->index(row, wps::ui::EventHandlerModel::UrlTemplate),
                                  u"http://127.0.0.1:9/upstream/{event}"_s));
    view->setCurrentIndex(handlers->index(row, wps::ui::EventHandlerModel::UserEvents));
    child<QCheckBox>(*m_panel, u"presenceLeftCheck"_s)->setChecked(true);
    auto *filters = child<QLineEdit>(*m_panel, u"presenceFiltersEdit"_s);
    filters->setText(u"room\\x"_s);
    Q_EMIT filters->textEdited(filters->text());
    auto *problem = child<QLabel>(*m_panel, u"presenceProblemLabel"_s);
    EXPECT_FALSE(problem->isHidden());
    EXPECT_TRUE(problem->text().contains(u"room\\x"_s)) << problem->text().toStdString();

    QSignalSpy saved(m_panel.get(), &wps::ui::HubsPanel::settingsSaved);
    child<QPushButton>(*m_panel, u"saveSettingsButton"_s)->click();
    ASSERT_TRUE(saved.wait(kWaitMs));
    const QString error = saved.last().at(1).toString();
    EXPECT_TRUE(error.contains(u"groupFilters"_s)) << error.toStdString();
    EXPECT_TRUE(child<QLabel>(*m_panel, u"settingsStatusLabel"_s)->text().contains(u"groupFilters"_s))
        << child<QLabel>(*m_panel, u"settingsStatusLabel"_s)->text().toStdString();
}
