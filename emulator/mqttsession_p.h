#pragma once

// Internals of the MQTT endpoint (emulator/mqttendpoint.h), shared by its files; not for use outside them:
//   mqttendpoint.cpp      the WebSocket upgrade and the token check
//   mqttsession.cpp       a session's network connection: packets in, keep-alive, protocol errors, the end
//                         (with the will), a close by the service
//   mqttconnect.cpp       CONNECT: validation, acceptance as a new or resumed session, CONNACK
//   mqttsubscribe.cpp     SUBSCRIBE and UNSUBSCRIBE (topics are groups)
//   mqttpublish.cpp       PUBLISH from the client, and messages out to it (the fan-out path)
//   mqttsessionstate.cpp  a session kept while its client is away: queue, hand-over, expiry
//   mqttevents.cpp        the upstream events (connect, connected, disconnected, group presence)

#include "emulator/clientevents.h"
#include "emulator/httpserver.h"
#include "emulator/hubstate.h"
#include "emulator/mqttendpoint.h"
#include "emulator/mqttpacketids.h"
#include "emulator/websocket.h"
#include "protocol/mqtt.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcMqtt)

namespace wps::emulator {

/// One MQTT session and its current network connection. A session with an expiry (3.1.1 clean session 0,
/// 5.0 Session Expiry Interval > 0) outlives its network connection for up to 30 s ("parked": it stays a
/// connection of the hub, keeps its groups and queues QoS 1 messages); a CONNECT with the same client ID and
/// clean start 0 resumes it, and the new network connection's MqttSession takes its state over.
class MqttSession : public QObject
{
public:
    MqttSession(MqttEndpoint &endpoint, ws::Socket *socket, const HttpRequest &request, QString hubName,
                QJsonObject claims, QString authError);
    ~MqttSession() override;

    /// Hub -> client (the ConnectionSink).
    void deliver(const Delivery &message);
    /// The service ends the connection (REST close, or a takeover when \a reason is kTakenOver).
    void closeByService(const QString &reason);
    /// The hub reports a change of this connection's groups: the group presence event, when a handler takes
    /// it (docs/emulator.md#group-presence-events).
    void membershipChanged(const QString &group, bool joined);

    struct SubscriptionOptions
    {
        quint8 qos = 1;
        bool noLocal = false;
        quint32 identifier = 0; ///< 5.0 subscription identifier; 0 = none
    };
    /// What a resuming network connection takes over from the session's previous one.
    struct SessionState
    {
        QHash<QString, SubscriptionOptions> subscriptions;
        QList<Delivery> queued;
        QString sessionId;
        bool connectedSent = false;
        std::optional<QByteArray> connectionState;
    };
    /// Why a CONNECT is refused: the CONNACK code for each MQTT version and the reason the client reads.
    struct ConnectRefusal
    {
        quint8 code311;
        quint8 code5;
        QString reason;
        QList<mqtt::UserProperty> userProperties = {};
    };
    /// True when a CONNECT with clean start 0 by \a userId may resume this session.
    bool resumableBy(const std::optional<QString> &userId) const
    {
        return m_sessionExpirySeconds > 0 && (m_state == State::Open || m_state == State::Parked) &&
               m_userId == userId;
    }
    const QString &sessionId() const { return m_sessionId; }
    /// Gives the session to a new network connection: this one stops (an open one is told 0x8E, its will is
    /// published) without ending the session in the hub or upstream.
    SessionState handOver();

private:
    enum class State { AwaitConnect, Authorizing, Open, Parked, Closed };

    void onMessage(QByteArrayView payload, bool text);
    void handle(const mqtt::Packet &packet);
    void onConnect(const mqtt::Connect &connect);
    /// Refuses the CONNECT with the refusal's code (3.1.1 return code or 5.0 reason code) and closes.
    void refuseConnect(const ConnectRefusal &refusal);
    /// The CONNECT's client ID, checked, or assigned when empty (5.0, or 3.1.1 with a clean session).
    std::optional<ConnectRefusal> takeClientId(const mqtt::Connect &connect);
    /// The service's limits on CONNECT: the 3.1.1 keep-alive, the will's topic, size and retain flag.
    std::optional<ConnectRefusal> limitRefusal(const mqtt::Connect &connect) const;
    /// Enhanced authentication (not supported) and the token checked at the upgrade.
    std::optional<ConnectRefusal> authenticationRefusal(const mqtt::Connect &connect) const;
    /// Receive Maximum, clean start, the granted session expiry, a new session ID and the keep-alive.
    void takeSessionOptions(const mqtt::Connect &connect);
    /// The identity the token gives (user, roles, groups).
    cloudevents::ConnectIdentity tokenIdentity() const;
    /// Sends the `connect` event; true when its answer is awaited (it then accepts or refuses).
    bool sendConnectEvent(const mqtt::Connect &connect, const cloudevents::ConnectIdentity &identity);
    /// The session opens: in the hub (new, resumed or taking over), CONNACK, `connected`, then what waited.
    void accept(const cloudevents::ConnectIdentity &identity,
                const std::optional<QByteArray> &connectionState);
    /// A CONNECT with a client ID the hub has: the old session's state when this one resumes it, else the
    /// old session is closed.
    std::optional<SessionState> takeOverClientId(HubState &hub);
    /// This session as a hub connection (roles and groups of \a identity, this session as its sink).
    Connection hubConnection(const cloudevents::ConnectIdentity &identity);
    /// Attaches this network connection to the kept hub connection and takes over the session's state.
    void resumeSession(HubState &hub, const Connection &connection, const SessionState &resumed);
    void sendConnack(bool sessionPresent);
    /// `connected` upstream, then the group presence of the groups the session starts in.
    void sendConnected(const HubState &hub);
    void onPublish(const mqtt::Publish &publish);
    void onSubscribe(const mqtt::Subscribe &subscribe);
    void onUnsubscribe(const mqtt::Unsubscribe &unsubscribe);
    /// Sends a group message from this client (PUBLISH or its will) to the group's members.
    void publishToGroup(const QString &topic, const QByteArray &payload, DataType dataType);
    bool send(const mqtt::Packet &packet);
    /// A protocol violation: 5.0 DISCONNECT with \a code, then the end (the will is published).
    void fail(quint8 code, const QString &reason);
    /// Ends the session: forgets it in the hub, publishes the will when \a publishWill, sends
    /// `disconnected` (for sessions whose connect succeeded) and closes the WebSocket.
    void end(const QString &reason, bool publishWill, bool initiatedByClient);
    /// A parked session's end: its expiry, a REST close, or a clean-start CONNECT with its client ID.
    void expire(const QString &reason);
    /// The end of the session upstream (`disconnected`) and, with \a trace, on the live trace.
    void sendDisconnected(const QString &reason, bool trace);
    void queue(const Delivery &message);
    ClientEventContext eventContext();
    QString userIdText() const { return m_userId.value_or(QString()); }

    MqttEndpoint &m_endpoint;
    QPointer<ws::Socket> m_socket;
    HttpRequest m_request;
    QString m_hubName;
    QJsonObject m_claims;
    QString m_authError; ///< why the token (or its absence) is refused; empty when it is fine
    State m_state = State::AwaitConnect;
    mqtt::Decoder m_decoder;
    mqtt::Version m_version = mqtt::Version::V311;
    QString m_id;
    std::optional<QString> m_userId;
    QString m_physicalId;
    QString m_sessionId;
    bool m_registered = false;    ///< in the hub
    bool m_connectedSent = false; ///< `connected` went upstream, so `disconnected` follows
    std::optional<mqtt::Will> m_will;
    std::optional<mqtt::Disconnect> m_disconnectPacket;
    quint16 m_receiveMaximum = 65535; ///< the client's, for QoS 1 messages in flight
    quint16 m_nextPacketId = 1;
    PacketIdSet m_unacked;        ///< our QoS 1 PUBLISHes the client has not acknowledged
    QSet<quint16> m_incomingQos2; ///< the client's QoS 2 PUBLISHes awaiting PUBREL
    QHash<QString, SubscriptionOptions> m_subscriptions;
    QList<mqtt::Packet> m_early; ///< packets received while the connect event is pending
    /// Keep-alive: 1.5 x the client's keep-alive (0 = off). Each packet only restarts m_lastPacket (a clock
    /// read); m_keepAlive fires at the earliest possible deadline and re-arms itself for the rest when a
    /// packet came since. Restarting a QTimer per packet cost a linear scan of every timer of the event loop
    /// (a third of the emulator's instructions in the QoS 1 fan-out bench, where every delivery brings back a
    /// PUBACK).
    std::chrono::milliseconds m_keepAlivePeriod{0};
    QElapsedTimer m_lastPacket;
    QTimer m_keepAlive;
    QTimer m_connectTimer;
    quint64 m_nextEventId = 1;
    std::optional<QByteArray> m_connectionState;
    bool m_assignedId = false;
    Connection m_snapshot; ///< roles and grants, for the will's permission after the hub forgot us
    bool m_cleanStart = true;
    quint32 m_sessionExpirySeconds = 0; ///< granted: 0 = the session ends with the network connection
    QTimer m_expiryTimer;
    QList<Delivery> m_queued; ///< QoS 1 messages for a parked session
    qsizetype m_queuedBytes = 0;
    qsizetype m_droppedWhileAway = 0;
    bool m_endedByClient = false; ///< for the `disconnected` event of a parked session
};

namespace mqttdetail {

/// What REST close and a session takeover tell the old connection; the takeover text is also how the sink
/// tells the two apart.
inline const QString kTakenOver =
    QStringLiteral("The session was taken over by a new connection with the same client ID.");
/// How long a session outlives its network connection at most: the service preserves MQTT sessions "for up to
/// 30 seconds" (Microsoft's "MQTT feature support status"). 3.1.1 clean session 0 gets this; a 5.0 Session
/// Expiry Interval is capped at it.
constexpr quint32 kMaxSessionExpirySeconds = 30;

/// \a length random characters of 0-9, a-z, A-Z (client, physical connection and session IDs).
QString randomId(int length);
/// The data type a Web PubSub receiver sees for an MQTT message: from the 5.0 Content Type as Microsoft's
/// "cross-protocol communication" page maps it; absent, unknown or MQTT 3.1.1: binary.
DataType dataTypeOf(const std::optional<QString> &contentType);

/// The hub's way to an MQTT session (the connection's sink).
class MqttSink : public ConnectionSink
{
public:
    explicit MqttSink(MqttSession *session)
        : m_session(session)
    {
    }
    void deliver(const Delivery &message) override
    {
        if (m_session)
            m_session->deliver(message);
    }
    void close(const QString &reason) override
    {
        if (m_session)
            m_session->closeByService(reason);
    }
    void membershipChanged(const QString &group, bool joined) override
    {
        if (m_session)
            m_session->membershipChanged(group, joined);
    }
    MqttSession *session() const { return m_session; }

private:
    QPointer<MqttSession> m_session;
};

/// The MQTT session that holds connection \a id in \a hub, or null.
MqttSession *sessionOf(const HubState &hub, const QString &id);

} // namespace mqttdetail

} // namespace wps::emulator
