#pragma once

#include "emulator/config.h"
#include "protocol/cloudevents.h"
#include "protocol/messages.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <chrono>
#include <functional>
#include <optional>

namespace wps::emulator {

/// Tunables of upstream delivery. The defaults are Microsoft's emulator's (docs/protocol.md#abuse-protection,
/// docs/protocol.md#connect-event, docs/protocol.md#microsofts-emulator); tests shrink the delays and
/// timeouts instead of waiting for them.
struct UpstreamOptions
{
    /// Access keys the `ce-signature` header is computed with (primary, then secondary). Never logged.
    QList<QByteArray> accessKeys;
    /// The service host handlers see in `WebHook-Request-Origin` and must allow in the validation
    /// handshake: the emulator endpoint's host[:port], as in its connection string.
    QString origin;
    /// Per attempt of the abuse-protection validation (OPTIONS, then GET).
    std::chrono::milliseconds validationTimeout{10'000};
    /// Waits before the 2nd, 3rd, ... attempt after 408, 5xx or a network failure.
    QList<std::chrono::milliseconds> retryDelays{
        std::chrono::milliseconds(1000), std::chrono::milliseconds(3000), std::chrono::milliseconds(5000)};
    /// Budget of one event's delivery over all its attempts (validation not included).
    std::chrono::milliseconds eventTimeout{100'000};
    /// Larger answers are unusable.
    qint64 maxResponseBytes = cloudevents::kMaxResponseBytes;
};

/// The connection an event is about, as the WebSocket endpoint knows it when the event happens.
struct UpstreamConnection
{
    QString hub;
    QString connectionId;
    std::optional<QString> userId;
    QString subprotocol; ///< empty: none
    /// docs/protocol.md#connection-state; the caller stores what outcomes return
    std::optional<QByteArray> connectionState;
    /// MQTT connections only (empty otherwise): the `ce-physicalConnectionId` / `ce-sessionId` headers,
    /// and the `mqtt` object added to the connect and disconnected bodies.
    QString physicalConnectionId;
    QString sessionId;
    QJsonObject mqtt;
};

/// Why a delivery did not produce a usable answer. Lets the caller choose what the client sees.
enum class UpstreamFailure {
    None,
    BadUrl,           ///< the URL template does not expand to an absolute http(s) URL
    ValidationFailed, ///< the handler URL failed the abuse-protection handshake
    HttpStatus,       ///< the handler answered non-2xx (after retries, for 408/5xx)
    Network,          ///< connection refused, reset, DNS, TLS ...
    Timeout,          ///< no answer within the budget
    TooLarge,         ///< answer over UpstreamOptions::maxResponseBytes
    Unusable,         ///< 2xx, but the answer breaks the protocol (bad JSON, bad group name, ...)
};

/// The blocking `connect` event (docs/protocol.md#connect-event).
struct ConnectEventContext
{
    UpstreamConnection connection; ///< userId from the token, no subprotocol yet
    cloudevents::ConnectRequest request;
};

/// What the endpoint does with a connecting client.
struct ConnectOutcome
{
    enum class Result {
        NoHandler, ///< no handler subscribes to `connect`: accept with the token's identity
        Accepted,  ///< apply `response` (cloudevents::applyConnectResponse)
        Rejected,  ///< answer the upgrade request with `status` (and `body` for a handler's 4xx)
    };
    Result result = Result::NoHandler;
    cloudevents::ConnectResponse response;
    int status = 0;         ///< Rejected: the handler's non-2xx status, or 500 for every other failure
    QByteArray body;        ///< Rejected with a handler 4xx: its body, to relay
    QByteArray contentType; ///< ... and its Content-Type
    UpstreamFailure failure = UpstreamFailure::None;
    QString error; ///< for logs and traces; never holds keys or tokens
};

/// A blocking user event (docs/protocol.md#user-events): a raw client's frame (`message`) or a subprotocol
/// client's `event`.
struct UserEventContext
{
    UpstreamConnection connection;
    QString eventName; ///< `message` or the custom name
    quint64 eventId = 1;
    messages::Payload data;
};

struct UserEventOutcome
{
    enum class Result {
        NoHandler, ///< no handler matches the event
        Replied, ///< success; send `reply.payload` back if present, store `reply.connectionState` if present
        Failed,  ///< see `failure`
    };
    Result result = Result::NoHandler;
    cloudevents::UserEventReply reply;
    int status = 0; ///< the handler's last status, 0 without one
    UpstreamFailure failure = UpstreamFailure::None;
    QString error;
};

/// One HTTP request/response of upstream delivery (every attempt, validation included), for the live
/// trace and tests. URLs are redacted (no query, no user info); bodies are the bounded bytes.
struct UpstreamExchange
{
    QDateTime started;
    QString hub;
    QString connectionId; ///< empty for validation
    QString eventName;    ///< `validate` for the handshake
    QByteArray method;
    QString url;
    int attempt = 1;
    cloudevents::Headers requestHeaders;
    QByteArray requestBody;
    int status = 0; ///< 0 when no HTTP answer came
    cloudevents::Headers responseHeaders;
    QByteArray responseBody;
    QString error;
    qint64 elapsedMs = 0;
};

namespace upstream {
class Delivery;
class HttpClient;
struct AttemptResult;
} // namespace upstream

/// Delivers Web PubSub events to a hub's HTTP event handlers as CloudEvents
/// (docs/protocol.md#upstream-cloudevents), asynchronously, with the emulator's own HTTP/1.1 client
/// (upstream::HttpClient, docs/emulator.md#upstream-http-client). Each blocking
/// event reports exactly one outcome through a callback guarded by a context object (dropped if the context
/// is gone); non-blocking events are only logged. Lives on the emulator's thread; never blocks it.
class UpstreamClient : public QObject
{
    Q_OBJECT
public:
    explicit UpstreamClient(UpstreamOptions options, QObject *parent = nullptr);
    ~UpstreamClient() override;

    const UpstreamOptions &options() const { return m_options; }
    /// Applies to deliveries started afterwards.
    void setOptions(UpstreamOptions options) { m_options = std::move(options); }

    /// Sends `connect` (ce-id 0) to the first handler subscribing to it, after validating its URL once.
    void deliverConnect(const HubSettings &hub, const ConnectEventContext &event, QObject *context,
                        std::function<void(const ConnectOutcome &)> done);
    /// Sends a user event to the first handler whose pattern matches its name.
    void deliverUserEvent(const HubSettings &hub, const UserEventContext &event, QObject *context,
                          std::function<void(const UserEventOutcome &)> done);
    /// Non-blocking `connected` (body `{}`); failures are logged only.
    void deliverConnected(const HubSettings &hub, const UpstreamConnection &connection, quint64 eventId);
    /// Non-blocking `disconnected` (body `{"reason": ...}`); failures are logged only.
    void deliverDisconnected(const HubSettings &hub, const UpstreamConnection &connection, quint64 eventId,
                             const QString &reason);

    /// Non-blocking group presence event (\a kind GroupJoined or GroupLeft, body `{"group": ...}`) to the
    /// first handler whose `groupPresenceEvents` asks for it (docs/emulator.md#group-presence-events);
    /// nothing when none does. Failures are logged only.
    void deliverGroupPresence(const HubSettings &hub, const UpstreamConnection &connection, quint64 eventId,
                              cloudevents::EventKind kind, const QString &group);

    /// Forgets which handler URLs passed validation (e.g. after a configuration reload).
    void clearValidationCache();
    /// Deliveries and validations still running.
    int pendingCount() const;

Q_SIGNALS:
    /// After every HTTP attempt, successful or not.
    void exchangeFinished(const wps::emulator::UpstreamExchange &exchange);

private:
    friend class upstream::Delivery;
    struct EventRequest;
    using ValidationWaiter = std::function<void(bool ok, const QString &error)>;

    /// Runs \a callback once \a validateUrl passed validation (or with the reason it did not).
    void ensureValidated(const QUrl &validateUrl, const QString &hub, ValidationWaiter callback);
    void finishValidation(const QString &key, bool ok, const QString &error);
    /// Validates, then posts; \a done gets the final attempt's result.
    void runEvent(const EventRequest &request, std::function<void(const upstream::AttemptResult &)> done);
    void deliverNonBlocking(const HubSettings &hub, cloudevents::EventKind kind,
                            const UpstreamConnection &connection, quint64 eventId, const QByteArray &body,
                            const QString &group = {});
    /// The CloudEvents attributes of an event about \a connection.
    static cloudevents::EventAttributes eventAttributes(cloudevents::EventKind kind,
                                                        const UpstreamConnection &connection, quint64 eventId,
                                                        const QString &userEventName = {});
    /// The one place an event's request is put together: the handler and validation URLs from the
    /// handler's template, the ce-* headers with the signature, the body. None when the template does not
    /// expand to an absolute http(s) URL.
    std::optional<EventRequest> assembleEvent(const EventHandlerSettings &handler,
                                              const cloudevents::EventAttributes &attributes,
                                              const QByteArray &contentType, const QByteArray &body) const;

    UpstreamOptions m_options;
    upstream::HttpClient *m_http = nullptr;
    struct Validation
    {
        bool valid = false;
        QList<ValidationWaiter> waiters;
    };
    QHash<QString, Validation> m_validations;
};

} // namespace wps::emulator

Q_DECLARE_METATYPE(wps::emulator::UpstreamExchange)
