#pragma once

// The one fixture of the panel tests (tests/ui/<panel>/): a real `webpubsub-emulator` on 127.0.0.1 port 0, a
// ConsoleSession connected to it under the profile name "test", and the panel under test built from that
// session. Tests talk to the emulator over sockets like the console does; nothing of our own is mocked.
//
// A test class derives from PanelTest<ThePanel> (or SessionTest when it builds its widget in the test body)
// and overrides the hooks it needs: emulatorArguments() (e.g. a --config with event handlers),
// prepareSession() (what must be set before the session connects, e.g. live trace), makePanel() (a panel
// whose constructor takes more than the session) and panelReady() (waits that every test of the class needs).
// openClient() gives a connected live client traced through the session, as the Live clients panel would.
#include "live/liveclient.h"
#include "protocol/clienttoken.h"
#include "session/consolesession.h"
#include "support/emulatorprocess.h"
#include "support/wait.h"

#include <QObject>
#include <QSignalSpy>
#include <QStringList>

#include <gtest/gtest.h>

#include <memory>
#include <type_traits>

namespace wps::test {

/// A real emulator and a ConsoleSession connected to it: the part shared by every panel test, also used alone
/// by tests that build their widget inside the test body.
class SessionTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_emulator.start(emulatorArguments())) << m_emulator.errorText().toStdString();
        prepareSession();
        if (connectOnSetUp())
            m_session.setConnection(m_emulator.connectionString(), QStringLiteral("test"));
    }

    /// Extra command-line arguments of the emulator (none by default).
    virtual QStringList emulatorArguments() const { return {}; }
    /// Runs before the session connects to the emulator.
    virtual void prepareSession() {}
    /// False for a test of a session that starts with no connection (the Profiles panel connects it).
    virtual bool connectOnSetUp() const { return true; }

    /// A live client of the console (traced through the session like the Live clients panel's), connected
    /// to \a hub as \a user in \a groups with \a roles; a test failure when it does not connect.
    live::LiveClient *openClient(const QString &user, const QStringList &groups = {},
                                 const QStringList &roles = {}, const QString &hub = QStringLiteral("chat"),
                                 live::Subprotocol protocol = live::Subprotocol::Json)
    {
        ClientTokenOptions options;
        options.userId = user;
        options.groups = groups;
        options.roles = roles;
        const ClientAccess access = makeClientAccess(m_emulator.connectionString(), hub, options);
        auto *client = new live::LiveClient(access.url, protocol, &m_owner);
        m_session.traceLiveClient(client, hub);
        QSignalSpy connected(client, &live::LiveClient::connected);
        client->start();
        EXPECT_TRUE(connected.wait(kWaitMs)) << user.toStdString();
        return client;
    }

    EmulatorProcess m_emulator;
    ui::ConsoleSession m_session;
    QObject m_owner; ///< owns the clients of openClient()
};

/// SessionTest plus the panel under test, built from the session once it is connected.
template <typename Panel>
class PanelTest : public SessionTest
{
protected:
    void SetUp() override
    {
        SessionTest::SetUp();
        if (HasFatalFailure())
            return;
        m_panel = makePanel();
        ASSERT_NE(m_panel, nullptr);
        panelReady();
    }

    /// The panel under test; by default built from the session alone (a panel whose constructor needs more
    /// overrides this).
    virtual std::unique_ptr<Panel> makePanel()
    {
        if constexpr (std::is_constructible_v<Panel, ui::ConsoleSession *>)
            return std::make_unique<Panel>(&m_session);
        else
            return nullptr;
    }
    /// Runs once the panel exists; a failed ASSERT here fails the test before its body runs.
    virtual void panelReady() {}

    std::unique_ptr<Panel> m_panel;
};

} // namespace wps::test
