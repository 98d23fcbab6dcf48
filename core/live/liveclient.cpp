#include "live/liveclient.h"

#include "live/groupstream.h"
#include "live/invocations.h"
#include "live/livelogging.h"
#include "protocol/jwt.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMetaMethod>
#include <QRegularExpression>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <algorithm>
#include <type_traits>
#include <utility>

Q_LOGGING_CATEGORY(lcLive, "wps.live")

using namespace Qt::Literals::StringLiterals;

namespace wps::live {

namespace {

constexpr int kCloseRecoveryRefused = 1008;

QString requestType(const messages::ClientRequest &request)
{
    return std::visit(
        [](const auto &r) -> QString {
            using T = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<T, messages::JoinGroup>)
                return u"joinGroup"_s;
            else if constexpr (std::is_same_v<T, messages::LeaveGroup>)
                return u"leaveGroup"_s;
            else if constexpr (std::is_same_v<T, messages::SendToGroup>)
                return u"sendToGroup"_s;
            else if constexpr (std::is_same_v<T, messages::SendEvent>)
                return u"event"_s;
            else if constexpr (std::is_same_v<T, messages::SequenceAck>)
                return u"sequenceAck"_s;
            else if constexpr (std::is_same_v<T, messages::StreamStart>)
                return u"streamStart"_s;
            else if constexpr (std::is_same_v<T, messages::StreamData>)
                return u"streamData"_s;
            else if constexpr (std::is_same_v<T, messages::StreamEnd>)
                return u"streamEnd"_s;
            else if constexpr (std::is_same_v<T, messages::Invoke>)
                return u"invoke"_s;
            else if constexpr (std::is_same_v<T, messages::CancelInvocation>)
                return u"cancelInvocation"_s;
            else
                return u"ping"_s;
        },
        request);
}

QString messageType(const messages::ServiceMessage &message)
{
    return std::visit(
        [](const auto &m) -> QString {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, messages::Ack>)
                return u"ack"_s;
            else if constexpr (std::is_same_v<T, messages::DataMessage>)
                return u"message"_s;
            else if constexpr (std::is_same_v<T, messages::Connected>)
                return u"connected"_s;
            else if constexpr (std::is_same_v<T, messages::Disconnected>)
                return u"disconnected"_s;
            else if constexpr (std::is_same_v<T, messages::Pong>)
                return u"pong"_s;
            else if constexpr (std::is_same_v<T, messages::StreamAck>)
                return u"streamAck"_s;
            else if constexpr (std::is_same_v<T, messages::StreamNack>)
                return u"streamNack"_s;
            else if constexpr (std::is_same_v<T, messages::StreamClosed>)
                return u"streamClosed"_s;
            else if constexpr (std::is_same_v<T, messages::InvokeResponse>)
                return u"invokeResponse"_s;
            else
                return m.type.isEmpty() ? u"unknown"_s : m.type;
        },
        message);
}

AckError::Kind kindOf(const QString &name)
{
    if (name == u"Forbidden"_s)
        return AckError::Kind::Forbidden;
    if (name == u"InternalServerError"_s)
        return AckError::Kind::InternalServerError;
    if (name == u"Timeout"_s)
        return AckError::Kind::Timeout;
    return AckError::Kind::Other;
}

AckError notConnected(const QString &why)
{
    return AckError{AckError::Kind::NotConnected, u"NotConnected"_s, why};
}

} // namespace

QString subprotocolName(Subprotocol protocol)
{
    switch (protocol) {
    case Subprotocol::None:
        return {};
    case Subprotocol::Json:
        return u"json.webpubsub.azure.v1"_s;
    case Subprotocol::JsonReliable:
        return u"json.reliable.webpubsub.azure.v1"_s;
    case Subprotocol::Protobuf:
        return u"protobuf.webpubsub.azure.v1"_s;
    case Subprotocol::ProtobufReliable:
        return u"protobuf.reliable.webpubsub.azure.v1"_s;
    }
    return {};
}

std::optional<Subprotocol> parseSubprotocol(QStringView name)
{
    for (Subprotocol p : {Subprotocol::None, Subprotocol::Json, Subprotocol::JsonReliable,
                          Subprotocol::Protobuf, Subprotocol::ProtobufReliable}) {
        if (name == subprotocolName(p))
            return p;
    }
    return std::nullopt;
}

bool isReliable(Subprotocol protocol)
{
    return protocol == Subprotocol::JsonReliable || protocol == Subprotocol::ProtobufReliable;
}

bool isProtobuf(Subprotocol protocol)
{
    return protocol == Subprotocol::Protobuf || protocol == Subprotocol::ProtobufReliable;
}

QString stateName(State state)
{
    switch (state) {
    case State::Disconnected:
        return u"Disconnected"_s;
    case State::Connecting:
        return u"Connecting"_s;
    case State::Connected:
        return u"Connected"_s;
    case State::Recovering:
        return u"Recovering"_s;
    case State::Reconnecting:
        return u"Reconnecting"_s;
    case State::Stopped:
        return u"Stopped"_s;
    }
    return {};
}

// ---- LiveClient ------------------------------------------------------------------------------------------

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

QStringList LiveClient::joinedGroups() const
{
    return m_groups;
}

QUrl LiveClient::redactedUrl(const QUrl &url)
{
    QUrlQuery query(url);
    const auto items = query.queryItems(QUrl::FullyEncoded);
    QUrlQuery redacted;
    for (const auto &[key, value] : items) {
        const bool secret = key.compare(u"access_token"_s, Qt::CaseInsensitive) == 0 ||
                            key.compare(u"awps_reconnection_token"_s, Qt::CaseInsensitive) == 0;
        redacted.addQueryItem(key, secret ? u"***"_s : value);
    }
    QUrl out = url;
    out.setUserInfo({});
    out.setQuery(redacted);
    return out;
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

QString LiveClient::redact(QString text) const
{
    const QString token = QUrlQuery(m_url).queryItemValue(u"access_token"_s, QUrl::FullyDecoded);
    if (!token.isEmpty())
        text.replace(token, u"***"_s);
    if (!m_reliable.reconnectionToken().isEmpty())
        text.replace(m_reliable.reconnectionToken(), u"***"_s);
    return text;
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

QString LiveClient::userError(const QString &text)
{
    // Qt's texts name its private classes ("QWebSocketPrivate::processHandshake: ..."): keep the words.
    static const QRegularExpression prefix(u"^Q[A-Za-z]*Private::[A-Za-z]+:\\s*"_s);
    QString out = text;
    out.remove(prefix);
    return out;
}

QString LiveClient::refusalWords(int status)
{
    switch (status) {
    case 400:
        return tr("the service rejected the connection request");
    case 401:
        return tr("the access token was refused (missing, invalid, expired or made for another hub)");
    case 403:
        return tr("the connection is forbidden");
    case 404:
        return tr("there is no hub endpoint at this URL");
    case 426:
        return tr("the service wants another WebSocket version");
    case 429:
        return tr("too many connections or requests");
    default:
        break;
    }
    if (status >= 500)
        return tr("the service could not accept the connection (a connect event handler that fails gives "
                  "this)");
    return tr("the service refused the connection");
}

void LiveClient::handleRefusal(QWebSocket *socket, int status, const QString &phrase)
{
    m_refusedStatus = status;
    const QPointer<QWebSocket> guard(socket);
    const bool known = m_lastRefusal && m_lastRefusal->status == status;
    if (m_settings.refusalProbeTimeout.count() <= 0 || known) {
        // No replay (turned off, or this run already read the answer to this status): conclude once
        // QWebSocket's own error handling has finished.
        QTimer::singleShot(0, this, [this, guard, status, phrase, known] {
            if (guard && guard == m_socket)
                concludeRefusal(status, phrase, known ? &*m_lastRefusal : nullptr);
        });
        return;
    }
    QStringList subprotocols;
    if (m_protocol != Subprotocol::None)
        subprotocols << subprotocolName(m_protocol);
    auto *probe =
        new HandshakeProbe(m_openUrl, subprotocols, int(m_settings.refusalProbeTimeout.count()), this);
    m_probe = probe;
    connect(probe, &HandshakeProbe::finished, this, [this, probe, guard, status, phrase] {
        probe->deleteLater();
        if (probe != m_probe.data())
            return;
        m_probe = nullptr;
        if (!guard || guard != m_socket)
            return; // stopped, or another socket took over meanwhile
        if (probe->answer().status == status)
            m_lastRefusal = probe->answer();
        concludeRefusal(status, phrase, &probe->answer());
    });
    qCInfo(lcLive) << m_name << "upgrade refused with" << status << "- reading the service's answer";
    probe->start();
}

void LiveClient::concludeRefusal(int status, const QString &phrase, const HandshakeAnswer *answer)
{
    m_refusalPending = false;
    const bool same = answer && answer->status == status;
    const QString serviceReason = same ? redact(HandshakeProbe::reasonFromBody(answer->body)) : QString();
    QString text = tr("Refused: HTTP %1").arg(status);
    if (!phrase.isEmpty())
        text += u" ("_s + phrase + u')';
    text += u" — "_s + (serviceReason.isEmpty() ? refusalWords(status) : serviceReason);
    m_refusalReason = text;

    QByteArray preview = "HTTP/1.1 " + QByteArray::number(status) + ' ' +
                         (same ? answer->statusText : phrase.toUtf8()) + "\r\n";
    if (same) {
        for (const auto &[name, value] : answer->headers)
            preview += name + ": " + value + "\r\n";
        preview += "\r\n" + redact(QString::fromUtf8(answer->body)).toUtf8();
    } else {
        preview += "\r\n";
    }
    if (isSignalConnected(QMetaMethod::fromSignal(&LiveClient::frameObserved))) {
        FrameRecord record;
        record.direction = FrameRecord::Direction::Event;
        record.subprotocol = m_protocol;
        record.type = u"refused"_s;
        record.size = same ? answer->bodySize : 0;
        record.preview = preview;
        record.connectionId = m_connectionId;
        record.status = status;
        record.detail = text;
        Q_EMIT frameObserved(record);
    }
    qCInfo(lcLive).noquote() << m_name << text;
    if (m_socket)
        onGone();
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

void LiveClient::onFrame(const QByteArray &frame, bool isBinary)
{
    m_watchdog.start(m_settings.deadTimeout);
    if (m_protocol == Subprotocol::None) {
        observe(FrameRecord::Direction::In, isBinary ? u"binary"_s : u"text"_s, frame.size(),
                frame.left(m_settings.previewBytes));
        Q_EMIT rawMessage(frame, isBinary);
        return;
    }
    auto decoded = isProtobuf(m_protocol) ? messages::protobuf::decodeMessage(frame)
                                          : messages::json::decodeMessage(frame);
    if (!decoded) {
        observe(FrameRecord::Direction::In, u"invalid"_s, frame.size(), frame.left(m_settings.previewBytes));
        qCWarning(lcLive) << m_name << "ignoring an undecodable frame:" << decoded.error();
        return;
    }
    QString detail;
    if (const auto *response = std::get_if<messages::InvokeResponse>(&decoded.value()))
        detail = m_invocations->describe(*response);
    observe(FrameRecord::Direction::In, messageType(*decoded), frame.size(),
            previewOf(frame, &decoded.value()), detail.isEmpty() ? streamSummary(*decoded) : detail);
    handleMessage(*decoded);
}

void LiveClient::handleMessage(const messages::ServiceMessage &message)
{
    if (const auto *connected = std::get_if<messages::Connected>(&message))
        handleConnected(*connected);
    else if (const auto *ack = std::get_if<messages::Ack>(&message))
        handleAck(*ack);
    else if (const auto *data = std::get_if<messages::DataMessage>(&message))
        handleData(*data);
    else if (const auto *disconnectedMessage = std::get_if<messages::Disconnected>(&message))
        m_lastDisconnectedMessage = disconnectedMessage->message;
    else if (std::holds_alternative<messages::StreamAck>(message) ||
             std::holds_alternative<messages::StreamNack>(message) ||
             std::holds_alternative<messages::StreamClosed>(message))
        Q_EMIT streamAnswer(message);
    else if (const auto *response = std::get_if<messages::InvokeResponse>(&message))
        m_invocations->resolve(*response);
    // Pong and unknown types only feed the watchdog.
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

void LiveClient::handleAck(const messages::Ack &ack)
{
    std::optional<PendingAcks::Entry> entry = m_acks.take(ack.ackId);
    if (!entry)
        return; // timed out or unknown: a late ack changes nothing
    const QPointer<AckJob> job = entry->job;
    const messages::ClientRequest &request = entry->request;
    if (!job)
        return;
    const bool duplicated = !ack.success && ack.errorName == u"Duplicate"_s;
    if (ack.success || duplicated) {
        if (const auto *join = std::get_if<messages::JoinGroup>(&request)) {
            if (!m_groups.contains(join->group))
                m_groups.append(join->group);
        } else if (const auto *leave = std::get_if<messages::LeaveGroup>(&request)) {
            m_groups.removeAll(leave->group);
        }
        job->finish(std::nullopt, duplicated);
        return;
    }
    job->finish(AckError{kindOf(ack.errorName), ack.errorName, ack.errorMessage});
}

void LiveClient::handleData(const messages::DataMessage &message)
{
    if (isReliable(m_protocol) && message.sequenceId) {
        if (!m_reliable.accept(*message.sequenceId))
            return; // a duplicate, e.g. resent after a recovery
        if (m_reliable.unackedCount() > m_settings.sequenceAckThreshold)
            sendSequenceAck();
    }
    if (message.from == messages::DataMessage::From::Group)
        Q_EMIT groupMessage(message);
    else
        Q_EMIT serverMessage(message);
}

void LiveClient::sendSequenceAck()
{
    const std::optional<quint64> due = m_reliable.sequenceAckDue();
    if (!due || !m_socketOpened)
        return;
    if (sendRequest(messages::SequenceAck{*due}))
        m_reliable.acknowledged(*due);
}

AckJob *LiveClient::joinGroup(const QString &group)
{
    return submit(u"joinGroup"_s, messages::JoinGroup{group, std::nullopt}, false);
}

AckJob *LiveClient::leaveGroup(const QString &group)
{
    return submit(u"leaveGroup"_s, messages::LeaveGroup{group, std::nullopt}, false);
}

AckJob *LiveClient::sendToGroup(const QString &group, const messages::Payload &data, SendOptions options)
{
    return submit(u"sendToGroup"_s, messages::SendToGroup{group, std::nullopt, options.noEcho, data},
                  options.fireAndForget, options.ackId);
}

AckJob *LiveClient::sendEvent(const QString &event, const messages::Payload &data, bool fireAndForget)
{
    return submit(u"sendEvent"_s, messages::SendEvent{event, std::nullopt, data}, fireAndForget);
}

InvocationJob *LiveClient::invoke(const QString &event, const std::optional<messages::Payload> &data,
                                  std::chrono::milliseconds timeout)
{
    std::optional<AckError> refusal;
    if (m_protocol == Subprotocol::None)
        refusal = AckError{
            AckError::Kind::Other, u"NotSupported"_s,
            u"not sent: a raw WebSocket client cannot invoke (json and protobuf subprotocols can)"_s};
    else if (m_state != State::Connected)
        refusal = notConnected(u"not sent: the client is not connected"_s);
    return m_invocations->start(event, data, timeout, refusal);
}

bool LiveClient::cancelInvocation(const QString &invocationId)
{
    return m_invocations->cancel(invocationId);
}

int LiveClient::pendingInvocations() const
{
    return m_invocations->pendingCount();
}

AckJob *LiveClient::submit(const QString &operation, messages::ClientRequest request, bool fireAndForget,
                           std::optional<quint64> chosenAckId)
{
    auto *job = new AckJob(operation, this);
    if (m_protocol == Subprotocol::None) {
        job->finishLater(AckError{AckError::Kind::Other, u"NotSupported"_s,
                                  u"A raw WebSocket client has no %1"_s.arg(operation)});
        return job;
    }
    // While a reliable connection recovers, requests wait and go out once it is back.
    const bool canQueue = m_state == State::Recovering && !fireAndForget;
    if (m_state != State::Connected && !canQueue) {
        job->finishLater(notConnected(u"The client is not connected"_s));
        return job;
    }
    if (fireAndForget) {
        const bool sent = sendRequest(request);
        job->finishLater(sent ? std::nullopt
                              : std::optional<AckError>(notConnected(u"The frame could not be written"_s)));
        return job;
    }
    if (chosenAckId && m_acks.contains(*chosenAckId)) {
        job->finishLater(AckError{AckError::Kind::Other, u"AckIdInUse"_s,
                                  u"ackId %1 is still waiting for its ack"_s.arg(*chosenAckId)});
        return job;
    }
    m_acks.add(request, job, chosenAckId, m_settings.ackTimeout);
    if (m_state == State::Connected)
        sendRequest(request);
    return job;
}

void LiveClient::resendPending()
{
    // Same ackIds as before: the service answers Duplicate for what it already processed.
    const QList<messages::ClientRequest> requests = m_acks.requests();
    for (const messages::ClientRequest &request : requests)
        sendRequest(request);
}

void LiveClient::failAllPending(const QString &why)
{
    m_acks.failAll(notConnected(why));
}

void LiveClient::rejoinGroups()
{
    const QStringList groups = m_groups;
    for (const QString &group : groups) {
        AckJob *job = submit(u"rejoinGroup"_s, messages::JoinGroup{group, std::nullopt}, false);
        connect(job, &AckJob::finished, this, [this, job, group] {
            if (!job->succeeded()) {
                qCInfo(lcLive) << m_name << "rejoining" << group << "failed:" << job->error()->name;
                m_groups.removeAll(group);
                Q_EMIT rejoinGroupFailed(group, *job->error());
            }
            job->deleteLater();
        });
    }
}

bool LiveClient::sendRequest(const messages::ClientRequest &request)
{
    const QByteArray frame =
        isProtobuf(m_protocol) ? messages::protobuf::encode(request) : messages::json::encode(request);
    return writeFrame(frame, requestType(request));
}

bool LiveClient::sendStreamRequest(const messages::ClientRequest &request)
{
    if (m_state != State::Connected)
        return false;
    const QByteArray frame =
        isProtobuf(m_protocol) ? messages::protobuf::encode(request) : messages::json::encode(request);
    return writeFrame(frame, requestType(request), streamSummary(request));
}

bool LiveClient::writeFrame(const QByteArray &frame, const QString &type, const QString &detail)
{
    if (!m_socket || !m_socketOpened)
        return false;
    if (isProtobuf(m_protocol))
        m_socket->sendBinaryMessage(frame);
    else
        m_socket->sendTextMessage(QString::fromUtf8(frame));
    observe(FrameRecord::Direction::Out, type, frame.size(), frame.left(m_settings.previewBytes), detail);
    return true;
}

bool LiveClient::sendText(const QString &text)
{
    if (m_protocol != Subprotocol::None || m_state != State::Connected || !m_socket)
        return false;
    const QByteArray bytes = text.toUtf8();
    m_socket->sendTextMessage(text);
    observe(FrameRecord::Direction::Out, u"text"_s, bytes.size(), bytes.left(m_settings.previewBytes));
    return true;
}

bool LiveClient::sendBinary(const QByteArray &data)
{
    if (m_protocol != Subprotocol::None || m_state != State::Connected || !m_socket)
        return false;
    m_socket->sendBinaryMessage(data);
    observe(FrameRecord::Direction::Out, u"binary"_s, data.size(), data.left(m_settings.previewBytes));
    return true;
}

QByteArray LiveClient::previewOf(const QByteArray &frame, const messages::ServiceMessage *decoded) const
{
    // The `connected` message carries the reconnection token: show it re-encoded with the token masked.
    if (decoded) {
        if (const auto *c = std::get_if<messages::Connected>(decoded); c && !c->reconnectionToken.isEmpty()) {
            messages::Connected masked = *c;
            masked.reconnectionToken = u"***"_s;
            const QByteArray safe =
                isProtobuf(m_protocol) ? messages::protobuf::encode(masked) : messages::json::encode(masked);
            return safe.left(m_settings.previewBytes);
        }
    }
    return frame.left(m_settings.previewBytes);
}

void LiveClient::observe(FrameRecord::Direction direction, const QString &type, qint64 size,
                         QByteArray preview, QString detail)
{
    if (!isSignalConnected(QMetaMethod::fromSignal(&LiveClient::frameObserved)))
        return;
    FrameRecord record;
    record.direction = direction;
    record.subprotocol = m_protocol;
    record.type = type;
    record.size = size;
    record.preview = std::move(preview);
    record.connectionId = m_connectionId;
    record.detail = std::move(detail);
    Q_EMIT frameObserved(record);
}

} // namespace wps::live
