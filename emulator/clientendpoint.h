#pragma once

#include <QObject>

class QTcpSocket;

namespace wps::emulator {

class HubRegistry;
struct HttpRequest;

/// The client WebSocket endpoint (`/client/hubs/{hub}`, `/client/?hub=`) on the REST port. The HTTP server
/// hands it every `Upgrade: websocket` request with the handshake still unread in the socket, so the socket
/// can be given untouched to a QWebSocketServer (with setSupportedSubprotocols) via handleConnection().
class ClientEndpoint : public QObject
{
    Q_OBJECT
public:
    ClientEndpoint(HubRegistry &hubs, QObject *parent = nullptr);

    /// Takes ownership of \a socket, whose unread bytes start with the upgrade request \a request.
    void takeOver(QTcpSocket *socket, const HttpRequest &request);

private:
    HubRegistry &m_hubs;
};

} // namespace wps::emulator
