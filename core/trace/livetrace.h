#pragma once

#include "common/expected.h"
#include "trace/traceevent.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QWebSocket;

namespace wps {
class ConnectionString;
namespace service {
class Credential;
}
} // namespace wps

namespace wps::trace {

class TraceStore;

/// Live trace categories (docs/protocol.md#live-trace); a bit each.
enum class LiveTraceCategory : quint8 { Connectivity = 1, Messaging = 2, HttpRequests = 4 };
inline constexpr quint8 allLiveTraceCategories = 7;

/// Tuning of a LiveTraceClient. Tests shorten the times.
struct LiveTraceOptions
{
    /// Categories kept (a mask of LiveTraceCategory). The hub protocol has no way to ask the service for a
    /// subset, so the rest is dropped on arrival (docs/trace.md, "Live trace").
    quint8 categories = allLiveTraceCategories;
    int initialBackoffMs = 500;  ///< first reconnect delay, doubled per failed attempt
    int maxBackoffMs = 30000;    ///< cap of the reconnect delay
    int pingIntervalMs = 15000;  ///< SignalR keepalive (type 6), as the SignalR clients send it
    int serverTimeoutMs = 30000; ///< nothing heard for this long: the connection is dead, reconnect
    int tokenLifetimeSeconds = 3600;
};

/// What the service's live trace said about one REST call (its HttpRequestHandled record), found by the
/// call's request id (`x-ms-client-request-id`). deliveredCount is -1 when the service did not report one.
struct RequestReport
{
    int status = 0;
    int deliveredCount = -1;
    QString deliveryNote; ///< why nothing was delivered, when the service says
};

/// A native client of the service's Live Trace hub (`{endpoint}/livetrace`, docs/protocol.md#live-trace) --
/// the same code path for Azure and the local emulator. It speaks the SignalR JSON hub protocol over
/// QWebSocket, calls `startListeningToLogEvents`, turns every `logEvent` into a TraceEvent (Lifecycle for
/// connectivity, Frame for messaging, Http for requests; direction as the service sees it) and appends it
/// to the store. When the connection drops it reconnects by itself with a capped exponential backoff; an
/// authentication failure (401) stops it with an error instead, since retrying cannot help.
class LiveTraceClient : public QObject
{
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected, Reconnecting };
    Q_ENUM(State)

    /// Makes a fresh access token each time it connects (the key, or a credential's bearer token).
    using TokenProvider = std::function<Expected<QString, QString>()>;

    LiveTraceClient(TraceStore *store, LiveTraceOptions options = {}, QObject *parent = nullptr);
    ~LiveTraceClient() override;

    /// `ws(s)://{host}/livetrace` for a service endpoint.
    static QUrl liveTraceUrl(const QUrl &endpoint);
    /// The key-auth token: HS256 with the access key, aud = "{endpoint}/livetrace", exp = now + lifetime.
    static QString accessKeyToken(const ConnectionString &connection, int lifetimeSeconds);

    /// Connects with tokens made from the connection string's access key.
    void start(const ConnectionString &connection);
    /// Connects with bearer tokens from \a credential (Entra ID); it must outlive the client.
    void start(const QUrl &endpoint, const service::Credential *credential);
    /// The general form: \a tokens is asked for a token before every connection attempt.
    void start(const QUrl &endpoint, TokenProvider tokens);
    /// Closes the connection and stops reconnecting.
    void stop();

    State state() const { return m_state; }
    /// The last error (empty when none); never contains a token or key.
    QString lastError() const { return m_lastError; }
    /// Events received (after the category filter) since start().
    quint64 receivedCount() const { return m_received; }
    void setCategories(quint8 categories) { m_options.categories = categories; }

    /// Maps one LiveTraceLogData (docs/trace.md, "Live trace") to trace events; \a templates gives the text
    /// of known event ids (LiveTraceLogProperty objects by id). One event, except an upstream exchange (an
    /// HTTP record with direction "out"): a request row and a response row sharing the correlation
    /// `upstream:<connectionId>:<exchangeId>` (docs/trace.md). Public for tests and importers.
    static std::vector<TraceEvent> toTraceEvents(const QJsonObject &logData,
                                                 const QHash<int, QJsonObject> &templates);
    /// The last of toTraceEvents() (the response row of an upstream exchange).
    static TraceEvent toTraceEvent(const QJsonObject &logData, const QHash<int, QJsonObject> &templates);

    /// The report of the REST call with request id \a requestId, when its record arrived recently (the
    /// last 512 calls are kept).
    std::optional<RequestReport> requestReport(const QString &requestId) const;

Q_SIGNALS:
    void stateChanged(wps::trace::LiveTraceClient::State state);
    /// A failure as data: the handshake was refused, the token could not be made, the service closed.
    void errorOccurred(const QString &message);
    /// The service reported a REST call (requestReport(\a requestId) now has it).
    void requestReported(const QString &requestId, const wps::trace::RequestReport &report);

private:
    /// An upstream exchange record as its request and response rows; \a base has the common fields.
    static std::vector<TraceEvent> upstreamExchange(const TraceEvent &base, const QJsonObject &context);
    void connectNow();
    void onConnected();
    void onDisconnected();
    void onText(const QString &text);
    void handleRecord(const QByteArray &json);
    void handleLogEvent(const QJsonObject &data);
    void sendRecord(const QJsonObject &object);
    void scheduleReconnect();
    void setState(State state);
    void fail(const QString &message);

    QPointer<TraceStore> m_store;
    LiveTraceOptions m_options;
    QUrl m_url; ///< without the token
    TokenProvider m_tokens;
    QWebSocket *m_socket = nullptr;
    State m_state = State::Disconnected;
    bool m_running = false;
    bool m_handshaken = false;
    bool m_authFailed = false;
    int m_attempt = 0;
    quint64 m_received = 0;
    QString m_lastError;
    QByteArray m_buffer; ///< a record split over WebSocket messages
    QHash<int, QJsonObject> m_templates;
    QSet<int> m_asked;                       ///< event ids whose template was requested
    QHash<QString, RequestReport> m_reports; ///< by request id, bounded (m_reportOrder)
    QList<QString> m_reportOrder;
    QTimer m_retryTimer;
    QTimer m_pingTimer;
    QTimer m_watchdog;
};

} // namespace wps::trace
