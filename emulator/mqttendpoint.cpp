#include "emulator/mqttendpoint.h"

#include "emulator/clientendpoint.h"
#include "emulator/config.h"
#include "emulator/httpserver.h"
#include "emulator/mqttsession_p.h"
#include "emulator/websocket.h"
#include "protocol/jwt.h"
#include "protocol/names.h"

#include <QTcpSocket>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcMqtt, "wps.emulator.mqtt")

namespace wps::emulator {

MqttEndpoint::MqttEndpoint(HubRegistry &hubs, std::function<QList<QByteArray>()> keys,
                           const EmulatorConfig &config, const ClientLimits &limits, QObject *parent)
    : QObject(parent)
    , m_hubs(hubs)
    , m_keys(std::move(keys))
    , m_config(config)
    , m_limits(limits)
{
}

MqttEndpoint::~MqttEndpoint()
{
    // Sessions are children; they must not reach back into the endpoint while it is destroyed.
    const QSet<MqttSession *> sessions = std::exchange(m_sessions, {});
    for (MqttSession *session : sessions)
        delete session;
}

bool MqttEndpoint::handles(QByteArrayView path)
{
    return path.startsWith("/clients/mqtt/") || path == "/clients/mqtt";
}

void MqttEndpoint::refuse(QTcpSocket *socket, const HttpRequest &request, int status, const QString &message)
{
    const QString code = status == 404 ? u"Error.NotFound"_s : u"Error.BadRequest"_s;
    socket->write(serializeResponse(
        HttpResponse::json(status, QJsonObject{{u"code"_s, code}, {u"message"_s, message}}), false, false));
    socket->disconnectFromHost();
    qCInfo(lcMqtt).noquote() << QString::fromLatin1(request.method) << QString::fromUtf8(request.path)
                             << "(upgrade)" << status << message;
}

void MqttEndpoint::takeOver(QTcpSocket *socket, const HttpRequest &request)
{
    socket->setParent(this);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    if (!request.path.startsWith("/clients/mqtt/hubs/"))
        return refuse(socket, request, 404, u"No WebSocket endpoint at this path."_s);
    const QByteArray segment = request.path.mid(19);
    if (segment.isEmpty() || segment.contains('/'))
        return refuse(socket, request, 404, u"No WebSocket endpoint at this path."_s);
    const QString hubName = QUrl::fromPercentEncoding(segment);
    if (request.method != "GET")
        return refuse(socket, request, 400, u"A WebSocket upgrade must be a GET request."_s);
    if (const QString error = names::checkHub(hubName); !error.isEmpty())
        return refuse(socket, request, 400, error);
    if (request.header("sec-websocket-version").trimmed() != "13")
        return refuse(socket, request, 426, u"Only WebSocket version 13 is supported."_s);
    if (QByteArray::fromBase64(request.header("sec-websocket-key").trimmed()).size() != 16)
        return refuse(socket, request, 400, u"Sec-WebSocket-Key is missing or invalid."_s);
    if (!ClientEndpoint::offeredProtocols(request).contains(u"mqtt"_s))
        return refuse(socket, request, 400, u"MQTT over WebSocket needs the subprotocol 'mqtt'."_s);

    // The token is checked now; a refusal is sent as the CONNACK code once the CONNECT says which MQTT
    // version the client reads.
    QByteArray token =
        ClientEndpoint::queryParameter(request, u"access_token"_s).value_or(QString()).toUtf8();
    const QByteArray authorization = request.header("authorization").trimmed();
    if (token.isEmpty() && authorization.toLower().startsWith("bearer "))
        token = authorization.mid(7).trimmed();
    QJsonObject claims;
    QString authError;
    if (token.isEmpty()) {
        if (!m_config.hubs.value(hubName).anonymousConnect)
            authError = u"An access token is required (anonymous connections are not allowed in this hub)."_s;
    } else if (auto verified = jwt::verifyHs256(token, m_keys()); !verified) {
        authError = verified.error().message;
    } else {
        claims = *verified;
        const QUrl expected(u"http://"_s + QString::fromLatin1(request.header("host").trimmed()) +
                            u"/clients/mqtt/hubs/"_s + QString::fromLatin1(QUrl::toPercentEncoding(hubName)));
        bool audienceOk = false;
        for (const QString &audience : jwt::audiences(claims))
            audienceOk = audienceOk || jwt::audienceMatches(audience, expected, false);
        if (!audienceOk) {
            authError = u"The token's audience does not match this hub's MQTT endpoint."_s;
            claims = {};
        }
    }

    QByteArray response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: " +
                          ws::acceptKey(request.header("sec-websocket-key").trimmed()) +
                          "\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n";
    socket->write(response);
    disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater); // the ws::Socket owns it
    qCInfo(lcMqtt).noquote() << "GET" << QString::fromUtf8(request.path) << "(upgrade) 101 mqtt";
    ws::Limits limits = m_limits.socket;
    if (const std::optional<int> seconds = m_config.hubs.value(hubName).keepAliveSeconds)
        limits.keepAliveInterval = std::chrono::seconds(*seconds);
    auto *ws = new ws::Socket(socket, limits);
    auto *session = new MqttSession(*this, ws, request, hubName, claims, authError);
    m_sessions.insert(session);
}

} // namespace wps::emulator
