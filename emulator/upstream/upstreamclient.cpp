#include "emulator/upstream/upstreamclient.h"

#include "emulator/upstream/delivery.h"
#include "emulator/upstream/eventhandlers.h"
#include "emulator/upstream/httpclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;

Q_LOGGING_CATEGORY(lcUpstream, "wps.emulator.upstream")

namespace wps::emulator {

namespace {

std::optional<QByteArray> findHeader(const cloudevents::Headers &headers, QByteArrayView name)
{
    std::optional<QByteArray> value;
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        // Repeated headers read as one comma list, as HTTP defines them.
        value = value ? *value + ", " + v : v;
    }
    return value;
}

/// Calls \a done only while \a context lives: the caller's connection may be gone when the answer arrives.
template <typename Outcome>
std::function<void(const Outcome &)> guarded(QObject *context, std::function<void(const Outcome &)> done)
{
    QPointer<QObject> guard(context);
    return [guard, done = std::move(done)](const Outcome &outcome) {
        if (guard && done)
            done(outcome);
    };
}

/// Reports an outcome that needs no network on the next turn of the event loop, so every outcome arrives
/// after the deliver*() call returned.
template <typename Outcome>
void reportLater(QObject *context, std::function<void(const Outcome &)> done, Outcome outcome)
{
    QTimer::singleShot(0, context, [done = std::move(done), outcome = std::move(outcome)] { done(outcome); });
}

} // namespace

using upstream::AttemptResult;
using upstream::Delivery;
using upstream::RequestSpec;

/// One event request, before validation.
struct UpstreamClient::EventRequest
{
    QUrl url;
    QUrl validateUrl;
    cloudevents::Headers headers;
    QByteArray body;
    QString hub;
    QString connectionId;
    QString eventName;
};

UpstreamClient::UpstreamClient(UpstreamOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_http(new upstream::HttpClient({}, this))
{
    qRegisterMetaType<wps::emulator::UpstreamExchange>();
}

UpstreamClient::~UpstreamClient()
{
    // Deliveries reach into m_http and this object: end them while both still exist.
    const QObjectList kids = children();
    for (QObject *child : kids) {
        if (auto *delivery = dynamic_cast<Delivery *>(child))
            delete delivery;
    }
    delete m_http;
}

int UpstreamClient::pendingCount() const
{
    int count = 0;
    for (QObject *child : children()) {
        if (dynamic_cast<Delivery *>(child))
            ++count;
    }
    return count;
}

void UpstreamClient::clearValidationCache()
{
    m_validations.removeIf([](const auto &it) { return it.value().valid; });
}

void UpstreamClient::ensureValidated(const QUrl &validateUrl, const QString &hub, ValidationWaiter callback)
{
    const QString key = validateUrl.toString(QUrl::FullyEncoded);
    auto it = m_validations.find(key);
    if (it != m_validations.end() && it->valid) {
        callback(true, {});
        return;
    }
    if (it != m_validations.end()) {
        it->waiters.append(std::move(callback));
        return;
    }
    m_validations[key].waiters.append(std::move(callback));

    RequestSpec spec;
    spec.method = "OPTIONS";
    spec.url = validateUrl;
    spec.headers = {{"WebHook-Request-Origin", m_options.origin.toUtf8()}, {"ce-awpsversion", "1.0"}};
    spec.attemptTimeout = m_options.validationTimeout;
    spec.retryDelays = m_options.retryDelays;
    spec.maxResponseBytes = m_options.maxResponseBytes;
    spec.hub = hub;
    spec.eventName = u"validate"_s;

    const QString origin = m_options.origin;
    auto evaluate = [this, key, origin](const AttemptResult &result) {
        if (result.failure != UpstreamFailure::None) {
            finishValidation(key, false, tr("Abuse-protection validation failed: %1").arg(result.error));
            return;
        }
        const QByteArray allowed =
            findHeader(result.headers, "WebHook-Allowed-Origin").value_or(QByteArray()).trimmed();
        const bool ok =
            allowed == "*" || QString::fromUtf8(allowed).compare(origin, Qt::CaseInsensitive) == 0;
        finishValidation(
            key, ok,
            ok ? QString()
               : tr("Abuse-protection validation failed: the handler does not allow the origin %1.")
                     .arg(origin));
    };
    (new Delivery(this, spec, [this, spec, evaluate](const AttemptResult &result) {
        if (result.status != 404) {
            evaluate(result);
            return;
        }
        RequestSpec get = spec; // OPTIONS unknown to the handler: try GET, as Microsoft's emulator does
        get.method = "GET";
        (new Delivery(this, get, evaluate))->start();
    }))->start();
}

void UpstreamClient::finishValidation(const QString &key, bool ok, const QString &error)
{
    const QList<ValidationWaiter> waiters = m_validations.value(key).waiters;
    if (ok) {
        Validation &validation = m_validations[key];
        validation.valid = true;
        validation.waiters.clear();
    } else {
        m_validations.remove(key); // not cached: a handler started later is validated on the next event
        qCWarning(lcUpstream).noquote() << error;
    }
    for (const ValidationWaiter &waiter : waiters)
        waiter(ok, error);
}

void UpstreamClient::runEvent(const EventRequest &request, std::function<void(const AttemptResult &)> done)
{
    ensureValidated(request.validateUrl, request.hub,
                    [this, request, done = std::move(done)](bool ok, const QString &error) {
                        if (!ok) {
                            AttemptResult result;
                            result.failure = UpstreamFailure::ValidationFailed;
                            result.error = error;
                            done(result);
                            return;
                        }
                        RequestSpec spec;
                        spec.method = "POST";
                        spec.url = request.url;
                        spec.headers = request.headers;
                        spec.body = request.body;
                        spec.totalTimeout = m_options.eventTimeout;
                        spec.retryDelays = m_options.retryDelays;
                        spec.maxResponseBytes = m_options.maxResponseBytes;
                        spec.hub = request.hub;
                        spec.connectionId = request.connectionId;
                        spec.eventName = request.eventName;
                        (new Delivery(this, spec, done))->start();
                    });
}

cloudevents::EventAttributes UpstreamClient::eventAttributes(cloudevents::EventKind kind,
                                                             const UpstreamConnection &connection,
                                                             quint64 eventId, const QString &userEventName)
{
    cloudevents::EventAttributes attributes;
    attributes.kind = kind;
    attributes.userEventName = userEventName;
    attributes.hub = connection.hub;
    attributes.connectionId = connection.connectionId;
    attributes.userId = connection.userId;
    attributes.subprotocol = connection.subprotocol;
    attributes.connectionState = connection.connectionState;
    attributes.id = eventId;
    attributes.physicalConnectionId = connection.physicalConnectionId;
    attributes.sessionId = connection.sessionId;
    return attributes;
}

std::optional<UpstreamClient::EventRequest>
UpstreamClient::assembleEvent(const EventHandlerSettings &handler,
                              const cloudevents::EventAttributes &attributes, const QByteArray &contentType,
                              const QByteArray &body) const
{
    EventRequest request;
    request.eventName = cloudevents::eventName(attributes.kind, attributes.userEventName);
    request.url = upstream::expandUrlTemplate(handler.urlTemplate, attributes.hub, request.eventName);
    request.validateUrl = upstream::expandUrlTemplate(handler.urlTemplate, attributes.hub, u"validate"_s);
    if (request.url.isEmpty() || request.validateUrl.isEmpty())
        return std::nullopt;
    request.headers =
        cloudevents::buildHeaders(attributes, m_options.accessKeys, m_options.origin, contentType);
    request.body = body;
    request.hub = attributes.hub;
    request.connectionId = attributes.connectionId;
    return request;
}

void UpstreamClient::deliverConnect(const HubSettings &hub, const ConnectEventContext &event,
                                    QObject *context, std::function<void(const ConnectOutcome &)> done)
{
    if (!context)
        context = this;
    auto report = guarded(context, std::move(done));
    const auto handler = upstream::resolveHandler(hub, cloudevents::EventKind::Connect);
    if (!handler) {
        reportLater(context, report, ConnectOutcome{});
        return;
    }
    // The connection names no subprotocol, but for MQTT (`mqtt`); it has no state yet: ce-id 0.
    QByteArray body = cloudevents::encodeConnectRequest(event.request);
    if (!event.connection.mqtt.isEmpty()) {
        // MQTT clients: the CONNECT packet's properties join the body as its `mqtt` object.
        QJsonObject object = QJsonDocument::fromJson(body).object();
        object.insert(u"mqtt"_s, event.connection.mqtt);
        body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    }
    const auto request =
        assembleEvent(*handler, eventAttributes(cloudevents::EventKind::Connect, event.connection, 0),
                      cloudevents::systemEventContentType(), body);
    if (!request) {
        ConnectOutcome outcome;
        outcome.result = ConnectOutcome::Result::Rejected;
        outcome.status = 500;
        outcome.failure = UpstreamFailure::BadUrl;
        outcome.error = tr("The connect handler's URL template is not an absolute http(s) URL.");
        qCWarning(lcUpstream).noquote() << outcome.error;
        reportLater(context, report, std::move(outcome));
        return;
    }

    const QStringList offered = event.request.subprotocols;
    runEvent(*request, [report, offered, connectionId = request->connectionId](const AttemptResult &result) {
        ConnectOutcome outcome;
        outcome.result = ConnectOutcome::Result::Rejected;
        outcome.failure = result.failure;
        outcome.error = result.error;
        outcome.status = 500;
        if (result.failure == UpstreamFailure::None) {
            auto parsed = cloudevents::parseConnectResponse(
                result.body, findHeader(result.headers, "ce-connectionState"), offered);
            if (parsed) {
                outcome.result = ConnectOutcome::Result::Accepted;
                outcome.response = *parsed;
                outcome.status = result.status;
            } else {
                outcome.failure = UpstreamFailure::Unusable;
                outcome.error = parsed.error();
            }
        } else if (result.failure == UpstreamFailure::HttpStatus && result.status >= 400 &&
                   result.status <= 599) {
            // relayed unchanged (docs/protocol.md#connect-event, docs/protocol.md#open-question-14)
            outcome.status = result.status;
            if (result.status < 500) {
                outcome.body = result.body;
                outcome.contentType = findHeader(result.headers, "Content-Type").value_or(QByteArray());
            }
        }
        if (outcome.result == ConnectOutcome::Result::Rejected)
            qCWarning(lcUpstream).noquote()
                << "connect of" << connectionId << "rejected with" << outcome.status << "-" << outcome.error;
        report(outcome);
    });
}

void UpstreamClient::deliverUserEvent(const HubSettings &hub, const UserEventContext &event, QObject *context,
                                      std::function<void(const UserEventOutcome &)> done)
{
    if (!context)
        context = this;
    auto report = guarded(context, std::move(done));
    const auto handler = upstream::resolveHandler(hub, cloudevents::EventKind::User, event.eventName);
    if (!handler) {
        reportLater(context, report, UserEventOutcome{});
        return;
    }
    const auto request = assembleEvent(
        *handler,
        eventAttributes(cloudevents::EventKind::User, event.connection, event.eventId, event.eventName),
        cloudevents::contentTypeFor(event.data.type), event.data.bytes);
    if (!request) {
        UserEventOutcome outcome;
        outcome.result = UserEventOutcome::Result::Failed;
        outcome.failure = UpstreamFailure::BadUrl;
        outcome.error = tr("The event handler's URL template is not an absolute http(s) URL.");
        qCWarning(lcUpstream).noquote() << outcome.error;
        reportLater(context, report, std::move(outcome));
        return;
    }

    runEvent(*request, [report, connectionId = request->connectionId](const AttemptResult &result) {
        UserEventOutcome outcome;
        outcome.result = UserEventOutcome::Result::Failed;
        outcome.status = result.status;
        outcome.failure = result.failure;
        outcome.error = result.error;
        if (result.failure == UpstreamFailure::None) {
            auto parsed = cloudevents::parseUserEventResponse(
                result.status, findHeader(result.headers, "Content-Type"), result.body,
                findHeader(result.headers, "ce-connectionState"));
            if (parsed) {
                outcome.result = UserEventOutcome::Result::Replied;
                outcome.reply = *parsed;
            } else {
                outcome.failure = UpstreamFailure::Unusable;
                outcome.error = parsed.error();
            }
        }
        if (outcome.result == UserEventOutcome::Result::Failed)
            qCWarning(lcUpstream).noquote() << "user event of" << connectionId << "failed:" << outcome.error;
        report(outcome);
    });
}

void UpstreamClient::deliverConnected(const HubSettings &hub, const UpstreamConnection &connection,
                                      quint64 eventId)
{
    deliverNonBlocking(hub, cloudevents::EventKind::Connected, connection, eventId, "{}");
}

void UpstreamClient::deliverDisconnected(const HubSettings &hub, const UpstreamConnection &connection,
                                         quint64 eventId, const QString &reason)
{
    QJsonObject object{{u"reason"_s, reason}};
    if (!connection.mqtt.isEmpty())
        object.insert(u"mqtt"_s, connection.mqtt);
    const QByteArray body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    deliverNonBlocking(hub, cloudevents::EventKind::Disconnected, connection, eventId, body);
}

void UpstreamClient::deliverGroupPresence(const HubSettings &hub, const UpstreamConnection &connection,
                                          quint64 eventId, cloudevents::EventKind kind, const QString &group)
{
    const QByteArray body = QJsonDocument(QJsonObject{{u"group"_s, group}}).toJson(QJsonDocument::Compact);
    deliverNonBlocking(hub, kind, connection, eventId, body, group);
}

void UpstreamClient::deliverNonBlocking(const HubSettings &hub, cloudevents::EventKind kind,
                                        const UpstreamConnection &connection, quint64 eventId,
                                        const QByteArray &body, const QString &group)
{
    const bool presence =
        kind == cloudevents::EventKind::GroupJoined || kind == cloudevents::EventKind::GroupLeft;
    const auto handler =
        presence ? upstream::resolvePresenceHandler(hub, kind, group) : upstream::resolveHandler(hub, kind);
    if (!handler)
        return;
    const QString name = cloudevents::eventName(kind);
    const auto request = assembleEvent(*handler, eventAttributes(kind, connection, eventId),
                                       cloudevents::systemEventContentType(), body);
    if (!request) {
        qCWarning(lcUpstream).noquote()
            << "The" << name << "handler's URL template is not an absolute http(s) URL.";
        return;
    }
    runEvent(*request, [name, connectionId = connection.connectionId](const AttemptResult &result) {
        if (result.failure != UpstreamFailure::None)
            qCWarning(lcUpstream).noquote()
                << name << "of" << connectionId << "not delivered:" << result.error;
    });
}

} // namespace wps::emulator
