#include "emulator/upstreamevents.h"

#include "emulator/config.h"
#include "emulator/upstream/eventhandlers.h"
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
    connection.connectionState = c.connectionState;
    if (c.mqtt) {
        connection.physicalConnectionId = c.mqtt->physicalConnectionId;
        connection.sessionId = c.mqtt->sessionId;
        connection.mqtt = c.mqtt->body;
    }
    return connection;
}
} // namespace

UpstreamEventHandler::UpstreamEventHandler(UpstreamClient &client, const EmulatorConfig &config)
    : m_client(client)
    , m_config(config)
{
}

bool UpstreamEventHandler::connecting(const ClientConnectRequest &connect, QObject *context,
                                      std::function<void(const ClientConnectDecision &)> done)
{
    const HubSettings hub = m_config.hubs.value(connect.connection.hub);
    // Decided here, synchronously, so a hub without a connect handler answers the upgrade at once.
    if (!upstream::resolveHandler(hub, cloudevents::EventKind::Connect))
        return false;
    ConnectEventContext event;
    event.connection = upstreamConnection(connect.connection);
    // The connect event names no subprotocol, except for MQTT clients (`mqtt`, how the express SDK tells
    // them).
    if (!connect.connection.mqtt)
        event.connection.subprotocol.clear();
    event.connection.connectionState.reset();
    event.request = connect.request;
    m_client.deliverConnect(
        hub, event, context, [token = connect.token, done = std::move(done)](const ConnectOutcome &outcome) {
            ClientConnectDecision decision;
            switch (outcome.result) {
            case ConnectOutcome::Result::NoHandler: // the configuration changed meanwhile: token identity
                decision.accepted = true;
                decision.identity = token;
                break;
            case ConnectOutcome::Result::Accepted:
                decision.accepted = true;
                decision.identity = cloudevents::applyConnectResponse(token, outcome.response);
                decision.connectionState = outcome.response.connectionState;
                break;
            case ConnectOutcome::Result::Rejected:
                decision.accepted = false;
                decision.status = outcome.status >= 400 && outcome.status <= 599 ? outcome.status : 500;
                decision.body = outcome.body;
                decision.contentType = outcome.contentType;
                decision.error = outcome.error;
                break;
            }
            done(decision);
        });
    return true;
}

void UpstreamEventHandler::userEvent(const ClientEventContext &connection, const QString &event,
                                     const messages::Payload &data, QObject *context,
                                     std::function<void(const ClientEventReply &)> done)
{
    UserEventContext request;
    request.connection = upstreamConnection(connection);
    request.eventName = event;
    request.eventId = connection.eventId;
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
                                      reply.connectionState = outcome.reply.connectionState;
                                      break;
                                  case UserEventOutcome::Result::Failed:
                                      reply.result = ClientEventReply::Result::Failed;
                                      reply.error = outcome.error;
                                      reply.timedOut = outcome.failure == UpstreamFailure::Timeout;
                                      break;
                                  }
                                  done(reply);
                              });
}

void UpstreamEventHandler::connected(const ClientEventContext &connection)
{
    m_client.deliverConnected(m_config.hubs.value(connection.hub), upstreamConnection(connection),
                              connection.eventId);
}

void UpstreamEventHandler::disconnected(const ClientEventContext &connection, const QString &reason)
{
    m_client.deliverDisconnected(m_config.hubs.value(connection.hub), upstreamConnection(connection),
                                 connection.eventId, reason);
}

bool UpstreamEventHandler::wantsGroupPresence(const QString &hub, cloudevents::EventKind kind,
                                              const QString &group) const
{
    const auto it = m_config.hubs.constFind(hub);
    return it != m_config.hubs.cend() && upstream::wantsPresence(*it, kind, group);
}

void UpstreamEventHandler::groupPresence(const ClientEventContext &connection, cloudevents::EventKind kind,
                                         const QString &group)
{
    m_client.deliverGroupPresence(m_config.hubs.value(connection.hub), upstreamConnection(connection),
                                  connection.eventId, kind, group);
}

} // namespace wps::emulator
