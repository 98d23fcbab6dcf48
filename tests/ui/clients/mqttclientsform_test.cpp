// The MQTT part of the Live clients panel against the real emulator: spawn MQTT 3.1.1 and 5.0 clients that
// subscribe, publish from one and watch the other receive it, see refusals (SUBACK without the role, a client
// ID the service rejects) in the outcome line and as readable trace rows, and resume a kept session.
#include "live/mqttclient.h"
#include "panels/clients/liveclientspanel.h"
#include "panels/clients/mqttclientsform.h"
#include "service/serviceclient.h"
#include "session/consolesession.h"
#include "support/panelfixture.h"
#include "support/wait.h"
#include "support/widgets.h"
#include "trace/tracestore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>

#include <gtest/gtest.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using wps::test::child;
using wps::ui::ConsoleSession;
using wps::ui::MqttClientsForm;

namespace {

using wps::test::kWaitMs;

class MqttClientsFormTest : public wps::test::PanelTest<MqttClientsForm>
{
protected:
    void panelReady() override
    {
        m_form = m_panel.get();
        m_form->setExpanded(true);
        m_form->resize(1200, 500);
    }

    bool connectedCount(int count)
    {
        return QTest::qWaitFor(
            [&] {
                int n = 0;
                for (auto *c : m_form->clients())
                    n += c->isConnected();
                return n >= count;
            },
            kWaitMs);
    }

    /// The trace rows' details (the readable summaries of MQTT packets).
    QStringList traceDetails() const
    {
        QStringList details;
        m_session.traceStore()->forEach(m_session.traceStore()->firstId(), m_session.traceStore()->endId(),
                                        [&](const wps::trace::TraceRecordView &v) { details << v.detail; });
        return details;
    }

    bool traceHas(const QString &text)
    {
        return QTest::qWaitFor(
            [&] {
                for (const QString &d : traceDetails())
                    if (d.contains(text))
                        return true;
                return false;
            },
            kWaitMs);
    }

    void selectRow(int row)
    {
        QTableWidget *view = m_form->view();
        view->selectionModel()->clearSelection();
        view->selectRow(row);
    }

    MqttClientsForm *m_form = nullptr; ///< the form under test (m_panel)
};

} // namespace

TEST_F(MqttClientsFormTest, SpawnsMqttClientsThatPublishAndReceiveThroughATopic)
{
    child<QLineEdit>(*m_form, u"mqttClientId"_s)->setText(u"dev{n}"_s);
    child<QLineEdit>(*m_form, u"mqttTopics"_s)->setText(u"room1"_s);
    ASSERT_TRUE(m_form->spawn(1)); // 3.1.1
    child<QComboBox>(*m_form, u"mqttVersion"_s)->setCurrentIndex(1);
    ASSERT_TRUE(m_form->spawn(1)); // 5.0
    ASSERT_TRUE(connectedCount(2));
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            return m_form->view()->rowCount() == 2 &&
                   m_form->view()->item(0, 3)->text().contains(u"room1 (QoS1)"_s) &&
                   m_form->view()->item(1, 3)->text().contains(u"room1 (QoS1)"_s);
        },
        kWaitMs));
    EXPECT_EQ(m_form->view()->item(1, 1)->text(), u"5.0"_s);

    child<QLineEdit>(*m_form, u"mqttPublishTopic"_s)->setText(u"room1"_s);
    child<QLineEdit>(*m_form, u"mqttPublishMessage"_s)->setText(u"hello world!"_s);
    selectRow(1);
    child<QPushButton>(*m_form, u"mqttPublish"_s)->click();
    // Both are subscribed: the 3.1.1 client (and the publisher itself) receive it.
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return m_form->receivedText().contains(u"dev1 ← room1 (QoS1): hello world!"_s); }, kWaitMs))
        << m_form->receivedText().toStdString();
    EXPECT_TRUE(QTest::qWaitFor([&] { return m_form->outcomeText().contains(u"acknowledged"_s); }, kWaitMs))
        << m_form->outcomeText().toStdString();
    // The trace has the packets with readable summaries, the payload byte for byte.
    EXPECT_TRUE(traceHas(u"PUBLISH room1 QoS1 12 B"_s));
    EXPECT_TRUE(traceHas(u"SUBACK granted QoS1"_s));
    EXPECT_TRUE(traceHas(u"CONNACK accepted"_s));
    bool payloadKept = false;
    m_session.traceStore()->forEach(
        m_session.traceStore()->firstId(), m_session.traceStore()->endId(),
        [&](const wps::trace::TraceRecordView &v) {
            payloadKept = payloadKept || (v.type == u"PUBLISH"_s && v.payload == QByteArray("hello world!") &&
                                          v.group == u"room1"_s);
        });
    EXPECT_TRUE(payloadKept);
}

TEST_F(MqttClientsFormTest, RefusalsAreSaidInWordsAndTraced)
{
    // No joinLeaveGroup role: the 5.0 SUBACK refuses with "Not authorized".
    child<QLineEdit>(*m_form, u"mqttRoles"_s)->setText(QString());
    child<QComboBox>(*m_form, u"mqttVersion"_s)->setCurrentIndex(1);
    child<QLineEdit>(*m_form, u"mqttClientId"_s)->setText(u"norole{n}"_s);
    ASSERT_TRUE(m_form->spawn(1));
    ASSERT_TRUE(connectedCount(1));
    EXPECT_TRUE(QTest::qWaitFor(
        [&] { return m_form->outcomeText().contains(u"cannot subscribe to room1"_s); }, kWaitMs))
        << m_form->outcomeText().toStdString();
    EXPECT_TRUE(traceHas(u"SUBACK refused: Not authorized"_s));

    // A client ID the service rejects: the CONNACK's code and words, and the row says closed.
    child<QLineEdit>(*m_form, u"mqttClientId"_s)->setText(u"bad-id-{n}"_s);
    ASSERT_TRUE(m_form->spawn(1));
    EXPECT_TRUE(traceHas(u"CONNACK 0x85"_s));
    EXPECT_TRUE(QTest::qWaitFor([&] { return m_form->outcomeText().contains(u"refused"_s); }, kWaitMs))
        << m_form->outcomeText().toStdString();
    EXPECT_TRUE(m_form->view()->item(1, 2)->text().startsWith(u"closed"_s));

    // A wildcard is sent as asked; the service's SUBACK refusal is what the user sees.
    child<QLineEdit>(*m_form, u"mqttRoles"_s)->setText(u"webpubsub.joinLeaveGroup"_s);
    child<QLineEdit>(*m_form, u"mqttClientId"_s)->setText(u"wild{n}"_s);
    child<QLineEdit>(*m_form, u"mqttTopics"_s)->setText(u"room/#"_s);
    ASSERT_TRUE(m_form->spawn(1));
    EXPECT_TRUE(traceHas(u"SUBACK refused: Wildcard subscriptions not supported"_s));
    EXPECT_TRUE(QTest::qWaitFor(
        [&] { return m_form->outcomeText().contains(u"Wildcard subscriptions not supported"_s); }, kWaitMs))
        << m_form->outcomeText().toStdString();
}

TEST_F(MqttClientsFormTest, TheListFoldsAndTheLiveClientsPanelCarriesIt)
{
    wps::ui::LiveClientsPanel panel(&m_session);
    auto *form = panel.findChild<MqttClientsForm *>(u"mqttClients"_s);
    ASSERT_NE(form, nullptr);
    EXPECT_FALSE(form->isExpanded());
    child<QToolButton>(*form, u"mqttToggle"_s)->click();
    EXPECT_TRUE(form->isExpanded());
}
