// The Live clients panel's group streams strip against the real emulator: a stream opened from the selected
// client reaches the other clients in the group, is listed as it arrives and ends; an end with an error and a
// refused start say so in words.
#include "live/liveclient.h"
#include "panels/clients/groupstreamswidget.h"
#include "panels/clients/liveclientsmodel.h"
#include "panels/clients/liveclientspanel.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/panelfixture.h"
#include "support/wait.h"

#include <QCheckBox>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using wps::ui::ConsoleSession;
using wps::ui::GroupStreamsWidget;
using wps::ui::LiveClientsPanel;

namespace {

using wps::test::kWaitMs;

class GroupStreamsPanelTest : public wps::test::PanelTest<wps::ui::LiveClientsPanel>
{
protected:
    void panelReady() override { m_panel->resize(1200, 700); }

    /// Spawns \a count json clients in group room1 with \a roles and waits until they are connected.
    void spawn(int count, const QString &roles)
    {
        m_panel->findChild<QLineEdit *>(u"roles"_s)->setText(roles);
        m_panel->findChild<QLineEdit *>(u"initialGroups"_s)->setText(u"room1"_s);
        const int before = m_panel->model()->rowCount();
        ASSERT_TRUE(m_panel->spawn(count, u"user-{n}"_s));
        ASSERT_TRUE(QTest::qWaitFor(
            [&] {
                if (m_panel->model()->rowCount() < before + count)
                    return false;
                for (int r = 0; r < m_panel->model()->rowCount(); ++r)
                    if (m_panel->model()->client(r)->state() != wps::live::State::Connected)
                        return false;
                return true;
            },
            kWaitMs));
    }

    void select(int row)
    {
        QItemSelectionModel *selection = m_panel->view()->selectionModel();
        selection->clearSelection();
        selection->select(m_panel->model()->index(row, 0),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
        selection->setCurrentIndex(m_panel->model()->index(row, 0), QItemSelectionModel::NoUpdate);
    }

    GroupStreamsWidget *streams() const { return m_panel->groupStreams(); }

    bool received(const QString &needle) const
    {
        return QTest::qWaitFor(
            [&] {
                for (const QString &line : streams()->receivedLines())
                    if (line.contains(needle))
                        return true;
                return false;
            },
            kWaitMs);
    }
};

} // namespace

TEST_F(GroupStreamsPanelTest, AStreamFromTheSelectedClientArrivesAtTheOthers)
{
    spawn(3, u"webpubsub.sendToGroup"_s);
    ASSERT_NE(streams(), nullptr);
    select(0);
    streams()->findChild<QLineEdit *>(u"streamGroup"_s)->setText(u"room1"_s);
    streams()->findChild<QLineEdit *>(u"streamChunks"_s)->setText(u"Hel|lo, |stream|!"_s);
    streams()->findChild<QPushButton *>(u"openStream"_s)->click();
    EXPECT_TRUE(
        QTest::qWaitFor([&] { return streams()->outcomeText().contains(u"closed after 4"_s); }, kWaitMs))
        << streams()->outcomeText().toStdString();
    // Both other clients (and the publisher itself: no noEcho) list the stream with 4 fragments, ended.
    for (const QString &client : {u"client-2 ←"_s, u"client-3 ←"_s, u"client-1 ←"_s})
        EXPECT_TRUE(received(client)) << client.toStdString();
    EXPECT_TRUE(received(u"from user-1 in room1: 4 fragment(s), 14 bytes, ended"_s))
        << streams()->receivedLines().join(u" | "_s).toStdString();
    // The receiver's timeline notes it.
    select(1);
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return m_panel->findChild<QPlainTextEdit *>(u"timeline"_s)->toPlainText().contains(u"ended"_s);
        },
        kWaitMs));
}

TEST_F(GroupStreamsPanelTest, AnEndWithAnErrorAndARefusedStartSaySo)
{
    spawn(2, u"webpubsub.sendToGroup.room1"_s);
    select(0);
    streams()->findChild<QCheckBox *>(u"streamWithError"_s)->setChecked(true);
    streams()->findChild<QPushButton *>(u"openStream"_s)->click();
    EXPECT_TRUE(received(u"failed: UserError"_s)) << streams()->receivedLines().join(u" | "_s).toStdString();

    // No permission for another group: the service's refusal, in its words.
    streams()->findChild<QLineEdit *>(u"streamGroup"_s)->setText(u"elsewhere"_s);
    streams()->findChild<QPushButton *>(u"openStream"_s)->click();
    EXPECT_TRUE(QTest::qWaitFor([&] { return streams()->outcomeText().contains(u"Forbidden"_s); }, kWaitMs))
        << streams()->outcomeText().toStdString();

    // Nothing selected: said, nothing sent.
    m_panel->view()->selectionModel()->clear();
    m_panel->view()->setCurrentIndex({});
    streams()->findChild<QPushButton *>(u"openStream"_s)->click();
    EXPECT_TRUE(streams()->outcomeText().contains(u"Select"_s)) << streams()->outcomeText().toStdString();
}
