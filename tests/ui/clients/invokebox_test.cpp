// The Live clients panel's invocation row against the real emulator: without an event handler the service
// answers every invocation with an error, with one (a loopback handler) with its answer; the answer's summary
// is shown and noted on the client, bad input is refused before anything is sent.
#include "live/liveclient.h"
#include "panels/clients/invokebox.h"
#include "panels/clients/liveclientsmodel.h"
#include "panels/clients/liveclientspanel.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/emulatorprocess.h"
#include "support/shouthandler.h"
#include "support/wait.h"

#include <QComboBox>
#include <QFile>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using wps::test::kWaitMs;

namespace {

} // namespace

TEST(InvokeBox, AnswersAreShownAndBadInputIsRefused)
{
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start()) << emulator.errorText().toStdString();
    wps::ui::ConsoleSession session;
    session.setConnection(emulator.connectionString(), u"test"_s);
    wps::ui::LiveClientsPanel panel(&session);
    panel.resize(1200, 700);
    auto *box = panel.findChild<wps::ui::InvokeBox *>();
    ASSERT_NE(box, nullptr);

    // Nothing selected yet.
    EXPECT_FALSE(box->invoke());
    EXPECT_EQ(box->outcomeText(), u"Select a client first."_s);

    ASSERT_TRUE(panel.spawn(1, u"ivan-{n}"_s));
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            return panel.model()->rowCount() == 1 &&
                   panel.model()->client(0)->state() == wps::live::State::Connected;
        },
        kWaitMs));
    panel.view()->selectionModel()->setCurrentIndex(panel.model()->index(0, 0),
                                                    QItemSelectionModel::Select | QItemSelectionModel::Rows);

    panel.findChild<QComboBox *>(u"invokeDataType"_s)->setCurrentIndex(1); // json
    panel.findChild<QLineEdit *>(u"invokeData"_s)->setText(u"{not json"_s);
    EXPECT_FALSE(box->invoke());
    EXPECT_TRUE(box->outcomeText().startsWith(u"The data is not one JSON value"_s))
        << box->outcomeText().toStdString();

    panel.findChild<QLineEdit *>(u"invokeData"_s)->setText(u"{\"q\":1}"_s);
    panel.findChild<QLineEdit *>(u"invokeEvent"_s)->setText(u"lookup"_s);
    panel.findChild<QPushButton *>(u"invoke"_s)->click();
    // The emulator has no handler for "lookup": its error answer, in words.
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return box->outcomeText().startsWith(
                u"invoke lookup → failed: InternalServerError: No event handler is registered for event 'lookup'."_s);
        },
        kWaitMs))
        << box->outcomeText().toStdString();
    // The same summary is noted in the client's timeline.
    const QString summary = box->outcomeText();
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            const QStringList lines = panel.model()->timeline(0);
            return std::any_of(lines.begin(), lines.end(),
                               [&](const QString &line) { return line.endsWith(summary); });
        },
        kWaitMs))
        << panel.model()->timeline(0).join(u'\n').toStdString();
    EXPECT_EQ(box->cancel(), 0); // nothing waits any more
}

TEST(InvokeBox, TheHandlersAnswerIsShown)
{
    wps::test::ShoutHandler handler;
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QFile config(dir.filePath(u"emulator.json"_s));
    ASSERT_TRUE(config.open(QIODevice::WriteOnly));
    config.write(handler.emulatorConfig(u"chat"_s)); // the session's default hub
    config.close();
    wps::test::EmulatorProcess emulator;
    ASSERT_TRUE(emulator.start({u"--config"_s, config.fileName()})) << emulator.errorText().toStdString();
    wps::ui::ConsoleSession session;
    session.setConnection(emulator.connectionString(), u"test"_s);
    wps::ui::LiveClientsPanel panel(&session);
    auto *box = panel.findChild<wps::ui::InvokeBox *>();
    ASSERT_NE(box, nullptr);

    ASSERT_TRUE(panel.spawn(1, u"ivy-{n}"_s));
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            return panel.model()->rowCount() == 1 &&
                   panel.model()->client(0)->state() == wps::live::State::Connected;
        },
        kWaitMs));
    panel.view()->selectionModel()->setCurrentIndex(panel.model()->index(0, 0),
                                                    QItemSelectionModel::Select | QItemSelectionModel::Rows);
    panel.findChild<QLineEdit *>(u"invokeEvent"_s)->setText(u"shout"_s);
    panel.findChild<QLineEdit *>(u"invokeData"_s)->setText(u"hi there"_s);
    ASSERT_TRUE(box->invoke());
    EXPECT_TRUE(QTest::qWaitFor(
        [&] { return box->outcomeText().startsWith(u"invoke shout → answered 'HI THERE' (text) in "_s); },
        kWaitMs))
        << box->outcomeText().toStdString();
}
