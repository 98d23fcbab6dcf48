#include "emulator/upstreamevents.h"

#include "emulator/config.h"
#include "emulator/upstream/upstreamclient.h"

namespace wps::emulator {

namespace {
UpstreamConnection upstreamConnection(const ClientEventContext &c)
{
    UpstreamConnection connection;
    connection.hub = c.hub;
    connection.connectionId = c.connectionId;
    connection.userId = c.userId;
    connection.subprotocol = c.subprotocol;
    return connection;
}
} // namespace

UpstreamEventHandler::UpstreamEventHandler(UpstreamClient &client, const EmulatorConfig &config)
    : m_client(client)
    , m_config(config)
{
}

void UpstreamEventHandler::userEvent(const ClientEventContext &connection, const QString &event,
                                     const messages::Payload &data, QObject *context,
                                     std::function<void(const ClientEventReply &)> done)
{
    UserEventContext request;
    request.connection = upstreamConnection(connection);
    request.eventName = event;
    request.eventId = m_nextEventId++;
    request.data = data;
    m_client.deliverUserEvent(m_config.hubs.value(connection.hub), request, context,
                              [done = std::move(done)](const UserEventOutcome &outcome) {
                                  ClientEventReply reply;
                                  switch (outcome.result) {
                                  case UserEventOutcome::Result::NoHandler:
                                      reply.result = ClientEventReply::Result::NoHandler;
                                      break;
                                  case UserEventOutcome::Result::Replied:
                                      reply.result = ClientEventReply::Result::Replied;
                                      reply.payload = outcome.reply.payload;
                                      break;
                                  case UserEventOutcome::Result::Failed:
                                      reply.result = ClientEventReply::Result::Failed;
                                      reply.error = outcome.error;
                                      break;
                                  }
                                  done(reply);
                              });
}

void UpstreamEventHandler::connected(const ClientEventContext &connection)
{
    m_client.deliverConnected(m_config.hubs.value(connection.hub), upstreamConnection(connection),
                              m_nextEventId++);
}

void UpstreamEventHandler::disconnected(const ClientEventContext &connection, const QString &reason)
{
    m_client.deliverDisconnected(m_config.hubs.value(connection.hub), upstreamConnection(connection),
                                 m_nextEventId++, reason);
}

} // namespace wps::emulator
