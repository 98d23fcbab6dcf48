#pragma once

#include "emulator/clientevents.h"

namespace wps::emulator {

class UpstreamClient;
struct EmulatorConfig;

/// Connects the client endpoint's event seam to the UpstreamClient (emulator/upstream/): the blocking
/// `connect`, user events and the connected/disconnected system events go to the hub's configured event
/// handlers. Stateless: event IDs and connection state travel in ClientEventContext, kept by each session.
class UpstreamEventHandler : public ClientEventHandler
{
public:
    /// \a client and \a config must outlive this object.
    UpstreamEventHandler(UpstreamClient &client, const EmulatorConfig &config);

    bool connecting(const ClientConnectRequest &connect, QObject *context,
                    std::function<void(const ClientConnectDecision &)> done) override;
    void userEvent(const ClientEventContext &connection, const QString &event, const messages::Payload &data,
                   QObject *context, std::function<void(const ClientEventReply &)> done) override;
    void connected(const ClientEventContext &connection) override;
    void disconnected(const ClientEventContext &connection, const QString &reason) override;
    bool wantsGroupPresence(const QString &hub, cloudevents::EventKind kind,
                            const QString &group) const override;
    void groupPresence(const ClientEventContext &connection, cloudevents::EventKind kind,
                       const QString &group) override;

private:
    UpstreamClient &m_client;
    const EmulatorConfig &m_config;
};

} // namespace wps::emulator
