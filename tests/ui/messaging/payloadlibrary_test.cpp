// The Messaging panel's saved payload library and JSON colouring: save the form, find it again in a new
// panel (the settings file), send a loaded payload to a real emulator, and move a library between machines
// as a JSON file without losing a field -- or import nothing when the file is wrong.
#include "live/liveclient.h"
#include "panels/messaging/messagingpanel.h"
#include "panels/messaging/payloadlibrary.h"
#include "protocol/clienttoken.h"
#include "session/consolesession.h"
#include "support/emulatorprocess.h"
#include "support/wait.h"
#include "support/widgets.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

#include <gtest/gtest.h>

#include <chrono>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using wps::ui::MessagingPanel;
using wps::ui::PayloadLibrary;
using wps::ui::SavedPayload;

namespace {

using wps::test::child;

using wps::test::kWaitMs;

SavedPayload sample(const QString &name)
{
    SavedPayload p;
    p.name = name;
    p.target = u"group"_s;
    p.targetId = u"room1"_s;
    p.content = u"json"_s;
    p.body = u"{\"text\": \"hello\"}"_s;
    p.excluded = {u"conn-a"_s, u"conn-b"_s};
    p.filter = u"userId ne 'bot'"_s;
    p.ttlSeconds = 42;
    return p;
}

class PayloadLibraryTest : public ::testing::Test
{
protected:
    QString settingsPath() const { return m_dir.filePath(u"console.ini"_s); }
    QTemporaryDir m_dir;
};

} // namespace

TEST_F(PayloadLibraryTest, KeepsPayloadsSortedAndPersistsThem)
{
    {
        PayloadLibrary library(settingsPath());
        QAbstractItemModelTester tester(&library, QAbstractItemModelTester::FailureReportingMode::Warning);
        EXPECT_TRUE(library.save(sample(u"zeta"_s)).isEmpty());
        EXPECT_TRUE(library.save(sample(u"alpha"_s)).isEmpty());
        SavedPayload changed = sample(u"zeta"_s);
        changed.body = u"{}"_s;
        EXPECT_TRUE(library.save(changed).isEmpty()); // same name: replaced, not added
        EXPECT_FALSE(library.save(sample(u"  "_s)).isEmpty());
        ASSERT_EQ(library.rowCount(), 2);
        EXPECT_EQ(library.at(0).name, u"alpha"_s);
        EXPECT_EQ(library.at(1).body, u"{}"_s);
        library.remove(0);
    }
    PayloadLibrary reopened(settingsPath());
    ASSERT_EQ(reopened.rowCount(), 1);
    EXPECT_EQ(reopened.at(0).name, u"zeta"_s);
    EXPECT_EQ(reopened.at(0).excluded, sample(u"x"_s).excluded);
    EXPECT_EQ(reopened.at(0).ttlSeconds, 42);
}

TEST_F(PayloadLibraryTest, ExportImportIsLosslessAndABadFileImportsNothing)
{
    PayloadLibrary source(m_dir.filePath(u"a.ini"_s));
    ASSERT_TRUE(source.save(sample(u"one"_s)).isEmpty());
    SavedPayload binary = sample(u"two"_s);
    binary.content = u"binary"_s;
    binary.body = u"de ad be ef"_s;
    binary.ttlSeconds = -1;
    binary.excluded.clear();
    ASSERT_TRUE(source.save(binary).isEmpty());

    PayloadLibrary target(m_dir.filePath(u"b.ini"_s));
    QAbstractItemModelTester tester(&target, QAbstractItemModelTester::FailureReportingMode::Warning);
    const auto imported = target.importJson(source.exportJson());
    ASSERT_TRUE(imported) << imported.error().toStdString();
    EXPECT_EQ(*imported, 2);
    ASSERT_EQ(target.rowCount(), 2);
    EXPECT_EQ(target.at(0), source.at(0));
    EXPECT_EQ(target.at(1), source.at(1));

    // One bad entry: an error naming it, and nothing added.
    QByteArray bad = source.exportJson();
    bad.replace("\"binary\"", "\"video\"");
    PayloadLibrary untouched(m_dir.filePath(u"c.ini"_s));
    const auto refused = untouched.importJson(bad);
    ASSERT_FALSE(refused);
    EXPECT_TRUE(refused.error().contains(u"content"_s)) << refused.error().toStdString();
    EXPECT_EQ(untouched.rowCount(), 0);
    EXPECT_FALSE(untouched.importJson("{\"format\": \"something else\"}"));
    EXPECT_FALSE(untouched.importJson("not json"));
    EXPECT_EQ(untouched.rowCount(), 0);
}

TEST_F(PayloadLibraryTest, PanelSavesLoadsAndSendsALibraryPayloadToAGroup)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    wps::ui::ConsoleSession session;
    session.setConnection(emulator.connectionString(), u"test"_s);

    // A live client in group "room1" receives what the loaded payload sends.
    wps::ClientTokenOptions token;
    token.userId = u"dana"_s;
    token.groups = {u"room1"_s};
    wps::live::LiveClient client(wps::makeClientAccess(emulator.connectionString(), u"chat"_s, token).url,
                                 wps::live::Subprotocol::Json);
    wps::live::LiveClientSettings settings;
    settings.pingInterval = 0ms;
    settings.autoReconnect = false;
    client.setSettings(settings);
    QList<wps::messages::DataMessage> received;
    // The service delivers a REST send to a group as a group message
    // (docs/protocol.md#client-websocket-protocols).
    QObject::connect(&client, &wps::live::LiveClient::serverMessage, &client,
                     [&received](const wps::messages::DataMessage &m) { received.append(m); });
    QObject::connect(&client, &wps::live::LiveClient::groupMessage, &client,
                     [&received](const wps::messages::DataMessage &m) { received.append(m); });
    QSignalSpy connected(&client, &wps::live::LiveClient::connected);
    client.start();
    ASSERT_TRUE(connected.wait(kWaitMs));

    {
        MessagingPanel panel(nullptr, nullptr, settingsPath()); // no session: the library needs none
        auto *target = child<QComboBox>(panel, u"target"_s);
        target->setCurrentIndex(target->findText(u"Group"_s));
        child<QLineEdit>(panel, u"targetId"_s)->setText(u"room1"_s);
        child<QComboBox>(panel, u"contentType"_s)->setCurrentIndex(1); // JSON
        child<QPlainTextEdit>(panel, u"body"_s)->setPlainText(u"{\"from\": \"library\"}"_s);
        child<QSpinBox>(panel, u"ttl"_s)->setValue(60);
        EXPECT_TRUE(panel.saveToLibrary(u"greeting"_s).isEmpty());
        EXPECT_TRUE(child<QLabel>(panel, u"libraryHint"_s)->text().contains(u"greeting"_s));
    }

    MessagingPanel panel(&session, nullptr, settingsPath()); // a new window: the library comes from the
                                                             // settings file
    ASSERT_EQ(panel.library()->rowCount(), 1);
    EXPECT_FALSE(panel.loadFromLibrary(5)); // nothing there: said so, form unchanged
    EXPECT_EQ(child<QLineEdit>(panel, u"targetId"_s)->text(), QString());
    ASSERT_TRUE(panel.loadFromLibrary(0));
    EXPECT_EQ(child<QComboBox>(panel, u"target"_s)->currentText(), u"Group"_s);
    EXPECT_EQ(child<QLineEdit>(panel, u"targetId"_s)->text(), u"room1"_s);
    EXPECT_EQ(child<QSpinBox>(panel, u"ttl"_s)->value(), 60);

    // The JSON body is coloured; plain text is not.
    auto *body = child<QPlainTextEdit>(panel, u"body"_s);
    EXPECT_FALSE(body->document()->firstBlock().layout()->formats().isEmpty());

    auto *send = child<QPushButton>(panel, u"send"_s);
    QTest::mouseClick(send, Qt::LeftButton);
    EXPECT_TRUE(QTest::qWaitFor([&] { return panel.outcomeText().startsWith(u"Sent (accepted"_s); }, kWaitMs))
        << panel.outcomeText().toStdString();
    EXPECT_TRUE(QTest::qWaitFor([&] { return !received.isEmpty(); }, kWaitMs));
    ASSERT_EQ(received.size(), 1);
    EXPECT_TRUE(received.first().data.bytes.contains("library"));

    child<QComboBox>(panel, u"contentType"_s)->setCurrentIndex(0); // text
    body->setPlainText(u"{\"plain\": 1}"_s);
    EXPECT_TRUE(body->document()->firstBlock().layout()->formats().isEmpty());

    // Export and import through files, as the buttons do.
    const QString file = m_dir.filePath(u"payloads.json"_s);
    EXPECT_TRUE(panel.exportLibrary(file).isEmpty());
    MessagingPanel other(nullptr, nullptr, m_dir.filePath(u"other.ini"_s));
    EXPECT_TRUE(other.importLibrary(file).isEmpty());
    EXPECT_EQ(other.library()->rowCount(), 1);
    EXPECT_FALSE(other.importLibrary(m_dir.filePath(u"missing.json"_s)).isEmpty());
    EXPECT_TRUE(child<QLabel>(other, u"libraryHint"_s)->text().startsWith(u"Cannot read"_s));
}
