#include "protocol/cloudevents.h"

#include "protocol/jsontext.h"
#include "protocol/jwt.h"
#include "protocol/names.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>

using namespace Qt::Literals::StringLiterals;

namespace wps::cloudevents {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::cloudevents", text);
}

template <typename T>
Expected<T, QString> fail(QString message)
{
    return Expected<T, QString>::failure(std::move(message));
}

QByteArray hmacHex(const QString &connectionId, const QByteArray &key)
{
    return QMessageAuthenticationCode::hash(connectionId.toUtf8(), key, QCryptographicHash::Sha256).toHex();
}

QJsonObject toJson(const QMap<QString, QStringList> &map)
{
    QJsonObject object;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        object.insert(it.key(), QJsonArray::fromStringList(it.value()));
    return object;
}

/// Reads `{"name": ["v", ...]}`; a single string value is accepted as a one-element list.
Expected<QMap<QString, QStringList>, QString> fromJson(const QJsonValue &value, const QString &field)
{
    using R = Expected<QMap<QString, QStringList>, QString>;
    QMap<QString, QStringList> map;
    if (value.isUndefined() || value.isNull())
        return map;
    if (!value.isObject())
        return R::failure(tr("The field %1 is not an object.").arg(field));
    const QJsonObject object = value.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        QStringList values;
        if (it.value().isString()) {
            values.append(it.value().toString());
        } else if (it.value().isArray()) {
            for (const QJsonValue &v : it.value().toArray()) {
                if (!v.isString())
                    return R::failure(tr("The field %1.%2 holds a non-string value.").arg(field, it.key()));
                values.append(v.toString());
            }
        } else {
            return R::failure(tr("The field %1.%2 is not a string array.").arg(field, it.key()));
        }
        map.insert(it.key(), values);
    }
    return map;
}

/// A string array, or an error naming the field.
Expected<QStringList, QString> stringArray(const QJsonValue &value, const QString &field)
{
    if (!value.isArray())
        return fail<QStringList>(tr("The field %1 is not an array.").arg(field));
    QStringList list;
    for (const QJsonValue &v : value.toArray()) {
        if (!v.isString())
            return fail<QStringList>(tr("The field %1 holds a non-string value.").arg(field));
        list.append(v.toString());
    }
    return list;
}

QByteArray mediaType(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
}

std::optional<QByteArray> headerValue(const Headers &headers, QByteArrayView name)
{
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return std::nullopt;
}

} // namespace

QString eventName(EventKind kind, const QString &userEventName)
{
    switch (kind) {
    case EventKind::Connect:
        return u"connect"_s;
    case EventKind::Connected:
        return u"connected"_s;
    case EventKind::Disconnected:
        return u"disconnected"_s;
    case EventKind::User:
        return userEventName;
    case EventKind::GroupJoined:
        return u"joined"_s;
    case EventKind::GroupLeft:
        return u"left"_s;
    }
    return {};
}

QString eventType(EventKind kind, const QString &userEventName)
{
    const QString prefix = kind == EventKind::User ? u"azure.webpubsub.user."_s
                           : kind == EventKind::GroupJoined || kind == EventKind::GroupLeft
                               ? u"azure.webpubsub.gp."_s
                               : u"azure.webpubsub.sys."_s;
    return prefix + eventName(kind, userEventName);
}

QByteArray signature(const QString &connectionId, const QList<QByteArray> &keys)
{
    QByteArrayList entries;
    for (const QByteArray &key : keys) {
        if (!key.isEmpty())
            entries.append("sha256=" + hmacHex(connectionId, key));
    }
    return entries.join(',');
}

bool verifySignature(QByteArrayView headerValue, const QString &connectionId, const QList<QByteArray> &keys)
{
    QList<QByteArray> expected;
    for (const QByteArray &key : keys) {
        if (!key.isEmpty())
            expected.append(hmacHex(connectionId, key));
    }
    bool matched = false;
    for (const QByteArray &entry : headerValue.toByteArray().split(',')) {
        const QByteArray trimmed = entry.trimmed();
        if (!trimmed.toLower().startsWith("sha256="))
            continue;
        const QByteArray hex = trimmed.mid(7).toLower();
        for (const QByteArray &candidate : expected)
            matched =
                jwt::constantTimeEquals(hex, candidate) || matched; // no early exit: constant time per entry
    }
    return matched;
}

Headers buildHeaders(const EventAttributes &event, const QList<QByteArray> &keys, const QString &origin,
                     const QByteArray &contentType)
{
    const QDateTime time = (event.time.isValid() ? event.time : QDateTime::currentDateTimeUtc()).toUTC();
    Headers headers;
    headers.append(Header("WebHook-Request-Origin", origin.toUtf8()));
    headers.append(Header("Content-Type", contentType));
    headers.append(Header("ce-specversion", "1.0"));
    headers.append(Header("ce-awpsversion", "1.0"));
    headers.append(Header("ce-type", eventType(event.kind, event.userEventName).toUtf8()));
    headers.append(
        Header("ce-source", (u"/hubs/"_s + event.hub + u"/client/"_s + event.connectionId).toUtf8()));
    headers.append(Header("ce-id", QByteArray::number(event.id)));
    headers.append(Header("ce-time", time.toString(Qt::ISODate).toUtf8()));
    const QByteArray sig = signature(event.connectionId, keys);
    if (!sig.isEmpty())
        headers.append(Header("ce-signature", sig));
    if (event.userId)
        headers.append(Header("ce-userId", event.userId->toUtf8()));
    headers.append(Header("ce-connectionId", event.connectionId.toUtf8()));
    headers.append(Header("ce-hub", event.hub.toUtf8()));
    headers.append(Header("ce-eventName", eventName(event.kind, event.userEventName).toUtf8()));
    if (!event.subprotocol.isEmpty())
        headers.append(Header("ce-subprotocol", event.subprotocol.toUtf8()));
    if (event.connectionState)
        headers.append(Header("ce-connectionState", *event.connectionState));
    if (!event.physicalConnectionId.isEmpty())
        headers.append(Header("ce-physicalConnectionId", event.physicalConnectionId.toUtf8()));
    if (!event.sessionId.isEmpty())
        headers.append(Header("ce-sessionId", event.sessionId.toUtf8()));
    return headers;
}

Expected<EventAttributes, QString> parseHeaders(const Headers &headers)
{
    using R = Expected<EventAttributes, QString>;
    EventAttributes event;
    const auto type = headerValue(headers, "ce-type");
    const auto hub = headerValue(headers, "ce-hub");
    const auto connectionId = headerValue(headers, "ce-connectionId");
    const auto id = headerValue(headers, "ce-id");
    if (!type || !hub || !connectionId || !id)
        return R::failure(
            tr("A required CloudEvents header (ce-type, ce-hub, ce-connectionId, ce-id) is missing."));
    const QString typeText = QString::fromUtf8(*type);
    if (typeText == u"azure.webpubsub.sys.connect"_s) {
        event.kind = EventKind::Connect;
    } else if (typeText == u"azure.webpubsub.sys.connected"_s) {
        event.kind = EventKind::Connected;
    } else if (typeText == u"azure.webpubsub.sys.disconnected"_s) {
        event.kind = EventKind::Disconnected;
    } else if (typeText == u"azure.webpubsub.gp.joined"_s) {
        event.kind = EventKind::GroupJoined;
    } else if (typeText == u"azure.webpubsub.gp.left"_s) {
        event.kind = EventKind::GroupLeft;
    } else if (typeText.startsWith(u"azure.webpubsub.user."_s) && typeText.size() > 21) {
        event.kind = EventKind::User;
        event.userEventName = typeText.mid(21);
    } else {
        return R::failure(tr("The ce-type header is not a Web PubSub event type."));
    }
    bool ok = false;
    event.id = id->trimmed().toULongLong(&ok);
    if (!ok)
        return R::failure(tr("The ce-id header is not a number."));
    event.hub = QString::fromUtf8(*hub);
    event.connectionId = QString::fromUtf8(*connectionId);
    if (const auto user = headerValue(headers, "ce-userId"))
        event.userId = QString::fromUtf8(*user);
    if (const auto sub = headerValue(headers, "ce-subprotocol"))
        event.subprotocol = QString::fromUtf8(*sub);
    event.connectionState = headerValue(headers, "ce-connectionState");
    if (const auto physical = headerValue(headers, "ce-physicalConnectionId"))
        event.physicalConnectionId = QString::fromUtf8(*physical);
    if (const auto session = headerValue(headers, "ce-sessionId"))
        event.sessionId = QString::fromUtf8(*session);
    if (const auto time = headerValue(headers, "ce-time"))
        event.time = QDateTime::fromString(QString::fromUtf8(*time), Qt::ISODateWithMs);
    return event;
}

QByteArray systemEventContentType()
{
    return "application/json; charset=utf-8";
}

QByteArray contentTypeFor(messages::DataType type)
{
    switch (type) {
    case messages::DataType::Json:
        return "application/json";
    case messages::DataType::Text:
        return "text/plain";
    case messages::DataType::Binary:
        return "application/octet-stream";
    case messages::DataType::Protobuf:
        return "application/x-protobuf";
    }
    return "application/octet-stream";
}

QByteArray encodeConnectRequest(const ConnectRequest &request)
{
    QMap<QString, QStringList> query = request.query;
    QMap<QString, QStringList> headers = request.headers;
    query.removeIf(
        [](const auto &it) { return it.key().compare(u"access_token"_s, Qt::CaseInsensitive) == 0; });
    headers.removeIf(
        [](const auto &it) { return it.key().compare(u"authorization"_s, Qt::CaseInsensitive) == 0; });

    QJsonObject body;
    body.insert(u"claims"_s, toJson(request.claims));
    body.insert(u"query"_s, toJson(query));
    body.insert(u"headers"_s, toJson(headers));
    body.insert(u"subprotocols"_s, QJsonArray::fromStringList(request.subprotocols));
    if (!request.clientCertificates.isEmpty()) {
        QJsonArray certificates;
        for (const auto &certificate : request.clientCertificates)
            certificates.append(
                QJsonObject{{u"thumbprint"_s, certificate.thumbprint}, {u"content"_s, certificate.content}});
        body.insert(u"clientCertificates"_s, certificates);
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

Expected<ConnectRequest, QString> decodeConnectRequest(QByteArrayView body)
{
    using R = Expected<ConnectRequest, QString>;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return R::failure(tr("The connect body is not a JSON object."));
    const QJsonObject object = doc.object();
    ConnectRequest request;
    auto claims = fromJson(object.value(u"claims"_s), u"claims"_s);
    if (!claims)
        return R::failure(claims.error());
    auto query = fromJson(object.value(u"query"_s), u"query"_s);
    if (!query)
        return R::failure(query.error());
    auto headers = fromJson(object.value(u"headers"_s), u"headers"_s);
    if (!headers)
        return R::failure(headers.error());
    request.claims = *claims;
    request.query = *query;
    request.headers = *headers;
    const QJsonValue subprotocols = object.value(u"subprotocols"_s);
    if (!subprotocols.isUndefined() && !subprotocols.isNull()) {
        auto list = stringArray(subprotocols, u"subprotocols"_s);
        if (!list)
            return R::failure(list.error());
        request.subprotocols = *list;
    }
    for (const QJsonValue &v : object.value(u"clientCertificates"_s).toArray()) {
        const QJsonObject certificate = v.toObject();
        request.clientCertificates.append(
            {certificate.value(u"thumbprint"_s).toString(), certificate.value(u"content"_s).toString()});
    }
    return request;
}

Expected<ConnectResponse, QString> parseConnectResponse(QByteArrayView body,
                                                        const std::optional<QByteArray> &connectionState,
                                                        const QStringList &offeredSubprotocols)
{
    using R = Expected<ConnectResponse, QString>;
    ConnectResponse response;
    response.connectionState = connectionState;
    const QByteArray trimmed = body.toByteArray().trimmed();
    if (trimmed.isEmpty() || trimmed == "null")
        return response;
    if (body.size() > kMaxResponseBytes)
        return R::failure(tr("The connect response is larger than 16 MiB."));

    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return R::failure(tr("The connect response is not a JSON object."));
    const QJsonObject object = doc.object();

    const QJsonValue userId = object.value(u"userId"_s);
    if (userId.isString())
        response.userId = userId.toString();
    else if (!userId.isNull() && !userId.isUndefined())
        return R::failure(tr("The connect response's userId is not a string."));

    const QJsonValue roles = object.value(u"roles"_s);
    if (!roles.isNull() && !roles.isUndefined()) {
        auto list = stringArray(roles, u"roles"_s);
        if (!list)
            return R::failure(list.error());
        response.roles = *list;
    }

    const QJsonValue groups = object.value(u"groups"_s);
    if (!groups.isNull() && !groups.isUndefined()) {
        auto list = stringArray(groups, u"groups"_s);
        if (!list)
            return R::failure(list.error());
        for (const QString &group : std::as_const(*list)) {
            if (const QString problem = names::checkGroup(group); !problem.isEmpty())
                return R::failure(tr("The connect response names an invalid group: %1").arg(problem));
        }
        if (!list->isEmpty())
            response.groups = *list;
    }

    const QJsonValue subprotocol = object.value(u"subprotocol"_s);
    if (subprotocol.isString()) {
        const QString selected = subprotocol.toString();
        if (selected.isEmpty() || !offeredSubprotocols.contains(selected))
            return R::failure(tr("The connect response selects a subprotocol the client did not offer."));
        response.subprotocol = selected;
    } else if (!subprotocol.isNull() && !subprotocol.isUndefined()) {
        return R::failure(tr("The connect response's subprotocol is not a string."));
    }
    return response;
}

ConnectIdentity applyConnectResponse(const ConnectIdentity &token, const ConnectResponse &response)
{
    ConnectIdentity identity = token;
    if (response.userId)
        identity.userId = *response.userId;
    if (response.roles)
        identity.roles = *response.roles;
    if (response.groups && !response.groups->isEmpty())
        identity.groups = *response.groups;
    if (response.subprotocol)
        identity.subprotocol = *response.subprotocol;
    return identity;
}

Expected<UserEventReply, QString> parseUserEventResponse(int status,
                                                         const std::optional<QByteArray> &contentType,
                                                         const QByteArray &body,
                                                         const std::optional<QByteArray> &connectionState)
{
    using R = Expected<UserEventReply, QString>;
    if (status < 200 || status > 299)
        return R::failure(tr("The event handler answered with status %1.").arg(status));
    if (body.size() > kMaxResponseBytes)
        return R::failure(tr("The event handler's answer is larger than 16 MiB."));
    UserEventReply reply;
    reply.connectionState = connectionState;
    if (status == 204 || body.isEmpty())
        return reply;

    const QByteArray media = contentType ? mediaType(*contentType) : QByteArray("application/octet-stream");
    if (media == "text/plain") {
        reply.payload = messages::Payload{messages::DataType::Text, body};
    } else if (media == "application/octet-stream") {
        reply.payload = messages::Payload::binary(body);
    } else if (media == "application/json") {
        // Any single JSON value, as the wire allows; the bytes are forwarded as they are, so nothing else
        // may follow the value (it would become members of the client's message).
        if (!jsontext::checkValue(body).isEmpty())
            return R::failure(tr("The event handler's JSON answer is not valid JSON."));
        reply.payload = messages::Payload::json(body);
    } else {
        return R::failure(tr("The event handler answered with an unsupported Content-Type."));
    }
    return reply;
}

} // namespace wps::cloudevents
