#include "emulator/clientendpoint.h"

#include "emulator/httpserver.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QTcpSocket>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcClient, "wps.emulator.client")

namespace wps::emulator {

ClientEndpoint::ClientEndpoint(HubRegistry &hubs, QObject *parent)
    : QObject(parent)
    , m_hubs(hubs)
{
}

void ClientEndpoint::takeOver(QTcpSocket *socket, const HttpRequest &request)
{
    socket->setParent(this);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    const bool clientPath =
        request.path.startsWith("/client/hubs/") || request.path == "/client" || request.path == "/client/";
    // TODO(next issue): parse the handshake with peek(), check the token (401 on failure), then
    // m_webSocketServer->handleConnection(socket) with subprotocols json.webpubsub.azure.v1 and none, and
    // register a ConnectionSink in m_hubs.
    Q_UNUSED(m_hubs);
    HttpResponse response =
        clientPath
            ? HttpResponse::json(501, QJsonObject{{u"code"_s, u"NotImplemented"_s},
                                                  {u"message"_s, u"The client WebSocket endpoint is not "
                                                                 "implemented by this emulator yet."_s}})
            : HttpResponse::json(404, QJsonObject{{u"code"_s, u"Error.NotFound"_s},
                                                  {u"message"_s, u"No WebSocket endpoint at this path."_s}});
    socket->read(socket->bytesAvailable());
    socket->write(serializeResponse(response, false, false));
    socket->disconnectFromHost();
    qCInfo(lcClient).noquote() << QString::fromLatin1(request.method) << QString::fromUtf8(request.path)
                               << "(upgrade)" << response.status;
}

} // namespace wps::emulator
