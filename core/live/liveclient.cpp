// LiveClient's socket state machine: start and stop, opening and closing sockets, the keepalive timers,
// what a lost connection leads to (recovery of a reliable connection, reconnect with backoff, or stop) and
// the service's `connected`. The frames, the refusals and the subprotocol conversation are in
// liveclient_frames.cpp, liveclient_refusal.cpp and liveclient_messages.cpp.

#include "live/liveclient.h"

#include "live/invocations.h"
#include "live/livelogging.h"
#include "protocol/jwt.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <algorithm>
#include <utility>

Q_LOGGING_CATEGORY(lcLive, "wps.live")

using namespace Qt::Literals::StringLiterals;

namespace wps::live {

namespace {

constexpr int kCloseRecoveryRefused = 1008;

} // namespace

LiveClient::LiveClient(QUrl url, Subprotocol protocol, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_protocol(protocol)
    , m_acks(this)
{
    m_watchdog.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    m_closeTimer.setSingleShot(true);
    connect(&m_pingTimer, &QTimer::timeout, this, [this] {
        if (!m_socket || !m_socketOpened)
            return;
        if (m_protocol == Subprotocol::None)
            m_socket->ping(); // a control frame: a raw client's data frames would become user events
        else
            sendRequest(messages::Ping{});
    });
    connect(&m_watchdog, &QTimer::timeout, this, [this] {
        if (!m_socket)
            return;
        m_deadReason = u"No message received for %1 ms"_s.arg(m_settings.deadTimeout.count());
        qCInfo(lcLive) << m_name << "watchdog:" << m_deadReason;
        QPointer<QWebSocket> socket = m_socket;
        socket->abort();
        if (socket && socket == m_socket)
            onGone(); // a handshake that never completed emits nothing on abort()
    });
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Recovering)
            attemptRecovery();
        else if (m_state == State::Reconnecting)
            openSocket(m_url);
    });
    connect(&m_sequenceAckTimer, &QTimer::timeout, this, &LiveClient::sendSequenceAck);
    connect(this, &LiveClient::disconnected, this,
            [this](const QString &message) { m_lastReason = message; });
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        if (m_socket)
            m_socket->abort();
    });
    m_invocations = new Invocations(
        [this](const messages::ClientRequest &request) { return sendRequest(request); }, this);
    connect(m_invocations, &Invocations::endedLocally, this, [this](const QString &summary) {
        observe(FrameRecord::Direction::Event, u"invocation"_s, 0, summary.toUtf8(), summary);
    });
}

LiveClient::~LiveClient()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
    }
}

QStringList LiveClient::tokenRoles() const
{
    const QString token = QUrlQuery(m_url).queryItemValue(u"access_token"_s, QUrl::FullyDecoded);
    const auto claims = jwt::decodeClaimsUnverified(token.toLatin1());
    if (token.isEmpty() || !claims)
        return {};
    const QJsonValue role = claims->value(u"role"_s);
    QStringList roles;
    if (role.isString())
        roles << role.toString();
    const QJsonArray list = role.toArray();
    for (const QJsonValue &value : list)
        roles << value.toString();
    return roles;
}

void LiveClient::setState(State state)
{
    if (m_state == state)
        return;
    qCDebug(lcLive) << m_name << stateName(m_state) << "->" << stateName(state);
    m_state = state;
    Q_EMIT stateChanged(state);
}

void LiveClient::start()
{
    if (m_state != State::Disconnected && m_state != State::Stopped)
        return;
    m_stopping = false;
    m_everConnected = false;
    m_fatalReason.clear();
    m_lastDisconnectedMessage.clear();
    m_lastReason.clear();
    m_refusedStatus = 0;
    m_lastRefusal.reset();
    m_connectionId.clear();
    m_userId.clear();
    m_reliable.clearReconnectionToken();
    m_reconnectAttempt = 0;
    m_reliable.resetSequence();
    setState(State::Connecting);
    openSocket(m_url);
}

void LiveClient::stop()
{
    if (m_state == State::Disconnected || m_state == State::Stopped || m_stopping)
        return;
    m_stopping = true;
    m_retryTimer.stop();
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState && m_socketOpened) {
        // 1000, as docs/protocol.md#keepalive-and-close-codes asks; the JS SDK sends a close frame without a
        // status (1005).
        m_socket->close(QWebSocketProtocol::CloseCodeNormal, u"Client stopped"_s);
        m_closeTimer.start(m_settings.closeTimeout);
        return;
    }
    finishStop(u"Client stopped"_s);
}

void LiveClient::finishStop(const QString &reason)
{
    const bool wasLive =
        m_state == State::Connected || m_state == State::Recovering || m_state == State::Connecting;
    m_closeTimer.stop();
    m_retryTimer.stop();
    stopLiveTimers();
    dropSocket();
    failAllPending(u"The client stopped before the ack arrived"_s);
    m_reliable.resetSequence();
    m_stopping = false;
    if (m_probe)
        m_probe->deleteLater();
    m_lastReason = reason;
    if (wasLive)
        Q_EMIT disconnected(reason);
    setState(State::Stopped);
    Q_EMIT stopped();
}

void LiveClient::openSocket(const QUrl &url)
{
    dropSocket();
    m_socketOpened = false;
    m_deadReason.clear();
    m_refusalReason.clear();
    m_refusalPending = false;
    m_openUrl = url;
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    connect(socket, &QWebSocket::connected, this, [this, socket] {
        if (socket == m_socket)
            onOpened();
    });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        if (socket == m_socket && !m_refusalPending) // a refusal being read ends the attempt itself
            onGone();
    });
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, socket](QAbstractSocket::SocketError error) {
                if (socket != m_socket)
                    return;
                qCDebug(lcLive) << m_name << "socket error" << error << redact(socket->errorString());
                if (!m_socketOpened) {
                    // QWebSocket 6.4 reports a refused upgrade only as text: read the status from it.
                    static const QRegularExpression refused(
                        u"status code:\\s*(\\d{3})(?:\\s*\\(([^)]*)\\))?"_s);
                    const auto match = refused.match(socket->errorString());
                    if (m_refusalPending)
                        return; // the refusal being read ends this attempt
                    if (match.hasMatch() && m_refusalReason.isEmpty()) {
                        m_refusalPending = true;
                        handleRefusal(socket, match.captured(1).toInt(), match.captured(2));
                        return;
                    }
                }
                // A connection that never opened gets no disconnected() from QWebSocket: end it here, once
                // the error handling inside QWebSocket has finished.
                if (!m_socketOpened)
                    QTimer::singleShot(0, this, [this, socket] {
                        if (socket == m_socket)
                            onGone();
                    });
            });
    connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &text) {
        if (socket == m_socket)
            onFrame(text.toUtf8(), false);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket](const QByteArray &data) {
        if (socket == m_socket)
            onFrame(data, true);
    });
    connect(socket, &QWebSocket::pong, this, [this, socket] {
        if (socket == m_socket && m_protocol == Subprotocol::None)
            m_watchdog.start(m_settings.deadTimeout);
    });

    m_watchdog.start(m_settings.deadTimeout); // also bounds a handshake that hangs
    observe(FrameRecord::Direction::Event, u"open"_s, 0,
            redactedUrl(url).toString(QUrl::FullyEncoded).toUtf8());
    QWebSocketHandshakeOptions options;
    if (m_protocol != Subprotocol::None)
        options.setSubprotocols({subprotocolName(m_protocol)});
    socket->open(url, options);
}

void LiveClient::dropConnection(const QString &reason)
{
    if (!m_socket || !m_socketOpened)
        return;
    m_deadReason = reason; // read by onGone(); an abnormal drop, as when the watchdog fires
    qCInfo(lcLive) << m_name << "dropping the connection:" << reason;
    QPointer<QWebSocket> socket = m_socket;
    socket->abort();
    if (socket && socket == m_socket)
        onGone();
}

void LiveClient::dropSocket()
{
    if (!m_socket)
        return;
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void LiveClient::startLiveTimers()
{
    if (m_settings.pingInterval.count() > 0)
        m_pingTimer.start(m_settings.pingInterval);
    m_watchdog.start(m_settings.deadTimeout);
    if (isReliable(m_protocol))
        m_sequenceAckTimer.start(m_settings.sequenceAckInterval);
}

void LiveClient::stopLiveTimers()
{
    m_pingTimer.stop();
    m_watchdog.stop();
    m_sequenceAckTimer.stop();
}

void LiveClient::onOpened()
{
    if (m_protocol != Subprotocol::None && m_socket->subprotocol().isEmpty()) {
        // As the SDK: asking for a subprotocol and getting none is not a Web PubSub service.
        m_fatalReason = u"Server sent no subprotocol"_s;
        m_socket->abort();
        return;
    }
    m_socketOpened = true;
    startLiveTimers();
    if (m_protocol == Subprotocol::None) {
        m_everConnected = true;
        m_reconnectAttempt = 0;
        setState(State::Connected);
        Q_EMIT connected(QString(), QString());
        return;
    }
    if (m_state == State::Recovering) {
        // The service keeps the connection id, groups and ack ids; a fresh `connected` may still arrive.
        ++m_recoveries;
        qCInfo(lcLive) << m_name << "recovered connection" << m_connectionId;
        setState(State::Connected);
        resendPending();
    }
}

void LiveClient::onGone()
{
    QWebSocket *socket = m_socket;
    const int code = socket ? int(socket->closeCode()) : 0;
    QString reason = socket ? socket->closeReason() : QString();
    if (reason.isEmpty() && socket && !m_socketOpened)
        reason = userError(socket->errorString());
    if (!m_deadReason.isEmpty())
        reason = m_deadReason;
    const bool refused = !m_refusalReason.isEmpty();
    if (refused)
        reason = m_refusalReason; // the `refused` row was recorded already
    reason = redact(reason);
    if (!refused)
        observe(FrameRecord::Direction::Event, u"close"_s, 0, u"%1 %2"_s.arg(code).arg(reason).toUtf8());
    const bool opened = m_socketOpened;
    stopLiveTimers();
    dropSocket();
    m_socketOpened = false;
    // As the SDK: an answer never comes over another socket, even after a reliable recovery.
    if (m_invocations->pendingCount() > 0)
        m_invocations->failAll(reason.isEmpty() ? u"connection closed with code %1"_s.arg(code) : reason);

    if (m_stopping) {
        finishStop(u"Client stopped"_s);
        return;
    }
    if (!m_fatalReason.isEmpty()) {
        const QString fatal = std::exchange(m_fatalReason, {});
        qCWarning(lcLive) << m_name << fatal;
        failAllPending(fatal);
        m_reliable.resetSequence();
        Q_EMIT disconnected(fatal);
        setState(State::Stopped);
        Q_EMIT stopped();
        return;
    }

    const QString message = !m_lastDisconnectedMessage.isEmpty() ? m_lastDisconnectedMessage
                            : !reason.isEmpty()                  ? reason
                                                : u"Connection closed with code %1"_s.arg(code);
    switch (m_state) {
    case State::Connecting:
        // The first connection failed: start() fails, as the SDK's start() rejects.
        failAllPending(message);
        Q_EMIT disconnected(message);
        setState(State::Stopped);
        Q_EMIT stopped();
        return;
    case State::Reconnecting:
        scheduleReconnect();
        return;
    case State::Recovering:
        if (opened && code == kCloseRecoveryRefused)
            giveUpRecovery(message);
        else if (m_recoveryClock.hasExpired(m_settings.recoveryTimeout.count()))
            giveUpRecovery(
                u"Recovery did not succeed within %1 ms"_s.arg(m_settings.recoveryTimeout.count()));
        else
            m_retryTimer.start(m_settings.recoveryRetryDelay);
        return;
    case State::Connected: {
        const bool serviceClosed =
            !m_lastDisconnectedMessage.isEmpty() && code == QWebSocketProtocol::CloseCodeNormal;
        if (isReliable(m_protocol) && !m_connectionId.isEmpty() &&
            !m_reliable.reconnectionToken().isEmpty() && code != kCloseRecoveryRefused && !serviceClosed) {
            beginRecovery();
            return;
        }
        if (code == kCloseRecoveryRefused && isReliable(m_protocol))
            qCInfo(lcLive) << m_name << "recovery refused (1008); the connection is gone";
        connectionLost(message);
        return;
    }
    case State::Disconnected:
    case State::Stopped:
        return;
    }
}

void LiveClient::beginRecovery()
{
    qCInfo(lcLive) << m_name << "connection" << m_connectionId << "dropped; recovering";
    setState(State::Recovering);
    m_recoveryClock.start();
    attemptRecovery();
}

void LiveClient::attemptRecovery()
{
    openSocket(m_reliable.recoveryUrl(m_url, m_connectionId));
}

void LiveClient::giveUpRecovery(const QString &reason)
{
    qCInfo(lcLive) << m_name << "recovery given up:" << reason;
    connectionLost(reason);
}

void LiveClient::connectionLost(const QString &reason)
{
    failAllPending(reason);
    m_reliable.resetSequence();
    m_lastDisconnectedMessage.clear();
    Q_EMIT disconnected(reason);
    if (!m_settings.autoReconnect) {
        setState(State::Stopped);
        Q_EMIT stopped();
        return;
    }
    setState(State::Reconnecting);
    m_reconnectAttempt = 0;
    scheduleReconnect();
}

void LiveClient::scheduleReconnect()
{
    // Capped exponential backoff: initial, 2x, 4x, ... up to reconnectMaxDelay.
    const int shift = std::min(m_reconnectAttempt, 20);
    const qint64 delay = std::min<qint64>(m_settings.reconnectInitialDelay.count() << shift,
                                          m_settings.reconnectMaxDelay.count());
    ++m_reconnectAttempt;
    m_retryTimer.start(std::chrono::milliseconds(std::max<qint64>(delay, 0)));
}

void LiveClient::handleConnected(const messages::Connected &message)
{
    m_reliable.updateReconnectionToken(message.reconnectionToken);
    if (m_state == State::Connected && message.connectionId == m_connectionId)
        return; // the `connected` that may follow a recovery: same logical connection
    if (m_state != State::Connecting && m_state != State::Reconnecting)
        return;
    const bool isNewAfterLoss = m_everConnected;
    m_connectionId = message.connectionId;
    m_userId = message.userId.value_or(QString());
    m_everConnected = true;
    m_reconnectAttempt = 0;
    m_lastDisconnectedMessage.clear();
    setState(State::Connected);
    Q_EMIT connected(m_connectionId, m_userId);
    if (isNewAfterLoss && m_settings.autoRejoinGroups)
        rejoinGroups();
}

} // namespace wps::live
