#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <optional>

class QTcpSocket;

namespace wps::emulator {

struct HttpRequest;
struct HttpResponse;
struct UpstreamExchange;
namespace ws {
class Socket;
}

/// The service's Live Trace hub at `{endpoint}/livetrace` (docs/protocol.md#live-trace, docs/trace.md
/// "Live trace"): a WebSocket with the ASP.NET Core SignalR JSON hub protocol, authorised by an HS256
/// `access_token` for aud "{endpoint}/livetrace". Trace clients call `startListeningToLogEvents` and get
/// `logEvent` invocations; `LogProperty` answers an event id's template. Output to each trace client is
/// bounded: a client whose unsent events reach the bound is closed (1008), the event counted as dropped.
///
/// The publishing calls are made from the emulator's hot paths: callers check isActive() first, so they
/// cost one bool test while nobody listens.
class LiveTraceHub : public QObject
{
    Q_OBJECT
public:
    /// Event ids of the emulator's live trace (stable: the console maps them to trace kinds).
    enum EventId : int {
        ConnectionConnected = 1001,
        ConnectionDisconnected = 1002,
        ConnectionRecovered = 1003,
        MessageReceived = 2001,
        MessageSent = 2002,
        HttpRequestHandled = 3001,
        UpstreamRequestSent = 3002, ///< one attempt of an event handler delivery (or its validation)
        ConnectionRefused = 1004,   ///< a client's WebSocket upgrade answered with an HTTP error
        GroupStreamEvent = 2010,    ///< a group stream opened, ended, was refused, nacked, timed out
        InvocationFinished = 2003,  ///< an `invoke` answered, cancelled or dropped (docs/emulator.md)
    };
    /// Bodies in upstream records are cut at this many bytes (the full size is reported beside them).
    static constexpr qsizetype maxBodyBytes = 16 * 1024;

    /// \a keys returns the access keys a trace token may be signed with.
    explicit LiveTraceHub(std::function<QList<QByteArray>()> keys, QObject *parent = nullptr);
    ~LiveTraceHub() override;

    /// True for the hub's path (`/livetrace`, with or without a trailing '/').
    static bool handles(QByteArrayView path);
    /// Takes over an upgrade request for the hub: checks the token (401 otherwise) and opens the socket.
    void takeOver(QTcpSocket *socket, const HttpRequest &request, const QByteArray &fallbackHost);

    /// Someone listens: the only thing hot paths test before building an event.
    bool isActive() const { return m_listeners > 0; }
    /// Events dropped for slow trace clients so far.
    quint64 droppedCount() const { return m_dropped; }
    /// The correlation (request id) given to the events published until it is cleared: a REST call sets
    /// it while it is handled, so the frames it sends carry the request's id.
    void setCorrelation(const QString &id) { m_correlation = id; }
    const QString &correlation() const { return m_correlation; }

    void connectionConnected(const QString &hub, const QString &connectionId, const QString &userId);
    void connectionDisconnected(const QString &hub, const QString &connectionId, const QString &userId,
                                const QString &reason);
    /// \a expiredMessages: unacknowledged messages dropped on this recovery because their TTL had passed.
    void connectionRecovered(const QString &hub, const QString &connectionId, const QString &userId,
                             int expiredMessages = 0);
    /// A data frame from a client: typed text/binary with its size; a JSON frame with an `ackId` gets the
    /// correlation "ack:<connectionId>:<ackId>" (the console's live-client rows use the same).
    void messageReceived(const QString &hub, const QString &connectionId, const QString &userId,
                         QByteArrayView payload, bool text);
    /// A message delivered to a client; \a group is empty for server sends.
    void messageSent(const QString &hub, const QString &connectionId, const QString &userId,
                     const QString &group, const QString &type, qint64 size);
    /// A group stream of \a connectionId changed (emulator/groupstreams.h): \a event is opened, ended,
    /// refused, nacked, timedOut or cancelled, \a detail says why.
    void groupStream(const QString &hub, const QString &connectionId, const QString &userId,
                     const QString &group, const QString &streamId, const QString &event,
                     const QString &detail);
    /// An `invoke` of \a connectionId ended: \a outcome says how ("answered text (2 bytes)", "failed: …",
    /// "cancelled by the client; …"); correlated as "invoke:<connectionId>:<invocationId>".
    void invocationFinished(const QString &hub, const QString &connectionId, const QString &userId,
                            const QString &invocationId, const QString &event, const QString &outcome,
                            qint64 elapsedMs);
    /// A client's upgrade refused with \a status: \a reason is what the HTTP answer's body says (the
    /// service's message), \a path the request path (never the query: it carries the token). \a userId is
    /// the token's subject when the token could be read.
    void connectionRefused(const QString &hub, int status, const QString &reason, const QString &path,
                           const QString &userId, const QString &subprotocol);
    /// One attempt to deliver an event (connect, connected, a user event, `validate`) to an event handler,
    /// in full: the URL without its query (a handler URL may carry a key), every request header (the
    /// signature and any Authorization value redacted) and body, the answer's status (0: none), headers and
    /// body, the time, the error; bodies cut at maxBodyBytes. Related to the connection's other records by
    /// `conn:<id>`; `exchangeId` (a counter) tells attempts apart.
    void upstreamRequest(const UpstreamExchange &exchange);
    /// A REST call: \a path must already be free of secrets (the query is left out). A send reports the
    /// connections it reached (\a deliveredCount >= 0) and, when none, why (\a deliveryNote).
    void httpRequest(const QString &hub, const QByteArray &method, const QString &path, int status,
                     qint64 durationMs, const QString &requestId, int deliveredCount = -1,
                     const QString &deliveryNote = {});
    /// Runs \a handle for the REST \a request with the request's id as correlation (its
    /// x-ms-client-request-id, else a new one, echoed as x-ms-request-id) and publishes the HTTP event.
    HttpResponse traceRest(const HttpRequest &request, const std::function<HttpResponse()> &handle);

    /// Bound of unsent frames per trace client (tests shrink it).
    void setMaxQueuedMessages(qsizetype max) { m_maxQueuedMessages = max; }
    /// Interval of the hub protocol's own pings (type 6); SignalR's default is 15 s.
    void setPingInterval(int ms);
    /// Trace clients connected (tests).
    int clientCount() const { return static_cast<int>(m_clients.size()); }
    /// Drops every trace socket without a close frame (tests: a network failure).
    void abortAll();

private:
    struct Client
    {
        bool handshaken = false;
        bool listening = false;
    };

    void onMessage(ws::Socket *socket, const QByteArray &payload);
    void handleHubMessage(ws::Socket *socket, Client &client, const QByteArray &json);
    void onClosed(ws::Socket *socket);
    void publish(int eventId, const QString &hub, const QString &connectionId, const QString &userId,
                 const QString &category, const QJsonObject &extra, const QStringList &values);
    void sendRecord(ws::Socket *socket, const QByteArray &json);
    /// Writes \a frame; a client at its bound is closed (1008) and the event counted as dropped.
    void send(ws::Socket *socket, const QByteArray &frame);
    void pingAll();

    std::function<QList<QByteArray>()> m_keys;
    QHash<ws::Socket *, Client> m_clients;
    int m_listeners = 0;
    quint64 m_dropped = 0;
    quint64 m_nextRequest = 1;
    quint64 m_nextUpstream = 1;
    qsizetype m_maxQueuedMessages = 10000;
    QString m_correlation;
    QTimer m_pingTimer;
};

} // namespace wps::emulator
