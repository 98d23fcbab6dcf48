#pragma once

#include "emulator/clientevents.h"

namespace wps::emulator {

class UpstreamClient;
struct EmulatorConfig;

/// Connects the client endpoint's event seam to the UpstreamClient (emulator/upstream/): user events and the
/// connected/disconnected system events go to the hub's configured event handlers. The blocking `connect`
/// event is not called yet (see docs/emulator.md).
class UpstreamEventHandler : public ClientEventHandler
{
public:
    /// \a client and \a config must outlive this object.
    UpstreamEventHandler(UpstreamClient &client, const EmulatorConfig &config);

    void userEvent(const ClientEventContext &connection, const QString &event, const messages::Payload &data,
                   QObject *context, std::function<void(const ClientEventReply &)> done) override;
    void connected(const ClientEventContext &connection) override;
    void disconnected(const ClientEventContext &connection, const QString &reason) override;

private:
    UpstreamClient &m_client;
    const EmulatorConfig &m_config;
    quint64 m_nextEventId = 1;
};

} // namespace wps::emulator
