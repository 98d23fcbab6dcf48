#include "emulator/armapi.h"

#include "arm/armmodels.h"
#include "emulator/restapi.h"
#include "emulator/upstream/eventhandlers.h"
#include "protocol/jwt.h"
#include "protocol/names.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QUrl>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcArmApi, "wps.emulator.arm")

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator {

namespace {

constexpr auto kProvider = u"Microsoft.SignalRService";
constexpr auto kManagementAudience = u"https://management.azure.com";

const QStringList &supportedVersions()
{
    static const QStringList versions{u"2021-10-01"_s, u"2023-02-01"_s, u"2024-03-01"_s,
                                      u"2025-08-01-preview"_s};
    return versions;
}

/// `groupPresenceEvents` exists from api-version 2025-08-01-preview on: older versions neither show nor
/// read it (docs/emulator.md#group-presence-events).
bool knowsGroupPresence(const QString &apiVersion)
{
    return apiVersion >= u"2025-08-01-preview"_s;
}

HttpResponse armError(int status, const QString &code, const QString &message)
{
    HttpResponse response = HttpResponse::json(
        status, QJsonObject{{u"error"_s, QJsonObject{{u"code"_s, code}, {u"message"_s, message}}}});
    response.setHeader("x-ms-failure-cause", status >= 500 ? "service" : "gateway");
    return response;
}

HttpResponse unauthenticated(const QString &code, const QString &message)
{
    HttpResponse response = armError(401, code, message);
    response.setHeader("WWW-Authenticate",
                       "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", "
                       "error=\"invalid_token\", error_description=\"The authentication failed.\"");
    return response;
}

bool same(const QString &a, QStringView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

QJsonObject decodeClaims(QByteArrayView token)
{
    const auto claims = jwt::decodeClaimsUnverified(token);
    return claims ? *claims : QJsonObject();
}

QStringList stringOrArray(const QJsonValue &value)
{
    if (value.isString())
        return {value.toString()};
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array)
        out << item.toString();
    return out;
}

/// The ARM RBAC roles the emulator reads from the token's `roles` claim (docs/arm.md).
bool mayWrite(const QStringList &roles)
{
    for (const QString &role : roles)
        if (same(role, u"Owner") || same(role, u"Contributor") || same(role, u"Web PubSub Contributor"))
            return true;
    return false;
}

bool mayRead(const QStringList &roles)
{
    for (const QString &role : roles)
        if (same(role, u"Reader"))
            return true;
    return mayWrite(roles);
}

QString resourceId(const QString &subscription, const QString &group)
{
    return u"/subscriptions/"_s + subscription + u"/resourceGroups/"_s + group + u"/providers/"_s +
           kProvider + u"/webPubSub/"_s + ArmApi::resourceName();
}

QJsonObject subscriptionJson(const QString &id)
{
    return {{u"id"_s, QString(u"/subscriptions/"_s + id)}, {u"subscriptionId"_s, id},
            {u"displayName"_s, u"Web PubSub emulator"_s},  {u"state"_s, u"Enabled"_s},
            {u"tenantId"_s, ArmApi::subscriptionId()},     {u"authorizationSource"_s, u"RoleBased"_s}};
}

QJsonObject resourceJson(const QString &id, const QString &host, bool entra)
{
    QJsonObject properties{{u"provisioningState"_s, u"Succeeded"_s},
                           {u"hostName"_s, host},
                           {u"externalIP"_s, host.section(u':', 0, 0)},
                           {u"version"_s, u"1.0"_s},
                           {u"publicNetworkAccess"_s, u"Enabled"_s},
                           {u"disableLocalAuth"_s, false},
                           {u"disableAadAuth"_s, !entra}};
    const int colon = static_cast<int>(host.lastIndexOf(u':'));
    if (colon > 0) {
        properties.insert(u"publicPort"_s, host.mid(colon + 1).toInt());
        properties.insert(u"serverPort"_s, host.mid(colon + 1).toInt());
    }
    return {{u"id"_s, id},
            {u"name"_s, ArmApi::resourceName()},
            {u"type"_s, u"Microsoft.SignalRService/WebPubSub"_s},
            {u"location"_s, u"local"_s},
            {u"kind"_s, u"WebPubSub"_s},
            {u"sku"_s, QJsonObject{{u"name"_s, u"Free_F1"_s},
                                   {u"tier"_s, u"Free"_s},
                                   {u"size"_s, u"F1"_s},
                                   {u"capacity"_s, 1}}},
            {u"properties"_s, properties}};
}

/// The emulator's settings of a hub in the ARM model the console's client reads (core/arm/armmodels.h), so
/// the JSON of a hub resource is written in one place for both sides.
wps::arm::HubSettings armModel(const HubSettings &settings, bool withPresence)
{
    wps::arm::HubSettings model;
    model.anonymousConnect = settings.anonymousConnect;
    model.keepAliveSeconds = settings.keepAliveSeconds;
    for (const EventHandlerSettings &handler : settings.eventHandlers) {
        wps::arm::EventHandler entry;
        entry.urlTemplate = handler.urlTemplate;
        entry.userEventPattern = handler.userEventPattern;
        entry.systemEvents = handler.systemEvents;
        entry.authType = u"None"_s;
        if (withPresence && handler.groupPresenceEvents) {
            entry.groupPresenceEvents = wps::arm::GroupPresenceEvents{
                handler.groupPresenceEvents->eventNames, handler.groupPresenceEvents->groupFilters};
        }
        model.eventHandlers.append(entry);
    }
    return model;
}

QJsonObject hubJson(const QString &resource, const QString &name, const HubSettings &settings,
                    bool withPresence)
{
    QJsonObject properties = armModel(settings, withPresence).toPutBody().value(u"properties"_s).toObject();
    properties.insert(u"eventListeners"_s, QJsonArray());
    properties.insert(u"provisioningState"_s, u"Succeeded"_s);
    return {{u"id"_s, QString(resource + u"/hubs/"_s + name)},
            {u"name"_s, name},
            {u"type"_s, u"Microsoft.SignalRService/WebPubSub/hubs"_s},
            {u"properties"_s, properties}};
}

/// Reads a PUT body into \a settings; empty when valid, else why not (for a 400 InvalidRequestContent).
QString parseHubBody(const QByteArray &body, HubSettings *settings, bool withPresence)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return u"The request content is not a JSON object."_s;
    const QJsonValue propertiesValue = doc.object().value(u"properties"_s);
    if (!propertiesValue.isObject())
        return u"'properties' is required and must be an object."_s;
    const QJsonObject properties = propertiesValue.toObject();
    const QJsonValue policy = properties.value(u"anonymousConnectPolicy"_s);
    if (!policy.isUndefined() && !policy.isNull()) {
        if (!policy.isString() || (!same(policy.toString(), u"allow") && !same(policy.toString(), u"deny")))
            return u"properties.anonymousConnectPolicy must be \"allow\" or \"deny\"."_s;
        settings->anonymousConnect = same(policy.toString(), u"allow");
    }
    const QJsonValue keepAlive = properties.value(u"webSocketKeepAliveIntervalInSeconds"_s);
    if (!keepAlive.isUndefined() && !keepAlive.isNull()) {
        const double seconds = keepAlive.toDouble(-1);
        if (!keepAlive.isDouble() || seconds < 1 || seconds > 120 || seconds != static_cast<int>(seconds))
            return u"properties.webSocketKeepAliveIntervalInSeconds must be an integer from 1 to 120."_s;
        settings->keepAliveSeconds = static_cast<int>(seconds);
    }
    if (!properties.value(u"eventListeners"_s).toArray().isEmpty())
        return u"properties.eventListeners are not supported by the emulator."_s;
    const QJsonValue handlersValue = properties.value(u"eventHandlers"_s);
    if (!handlersValue.isUndefined() && !handlersValue.isNull() && !handlersValue.isArray())
        return u"properties.eventHandlers must be an array."_s;
    const QJsonArray handlers = handlersValue.toArray();
    for (qsizetype i = 0; i < handlers.size(); ++i) {
        const QString path = u"properties.eventHandlers["_s + QString::number(i) + u']';
        if (!handlers.at(i).isObject())
            return path + u" must be an object."_s;
        const QJsonObject json = handlers.at(i).toObject();
        EventHandlerSettings handler;
        handler.urlTemplate = json.value(u"urlTemplate"_s).toString();
        if (const QString why = upstream::checkUrlTemplate(handler.urlTemplate); !why.isEmpty())
            return path +
                   u".urlTemplate must be an absolute http or https URL with {event} and {hub} only in "
                   "its path or query. "_s +
                   why;
        const QJsonValue pattern = json.value(u"userEventPattern"_s);
        if (!pattern.isUndefined() && !pattern.isNull() && !pattern.isString())
            return path + u".userEventPattern must be a string."_s;
        handler.userEventPattern = pattern.toString();
        const QJsonValue events = json.value(u"systemEvents"_s);
        if (!events.isUndefined() && !events.isNull() && !events.isArray())
            return path + u".systemEvents must be an array."_s;
        const QJsonArray eventArray = events.toArray();
        for (const QJsonValue &event : eventArray) {
            const QString name = event.toString().toLower();
            if (name != u"connect" && name != u"connected" && name != u"disconnected")
                return path + u".systemEvents may hold only connect, connected and disconnected."_s;
            if (!handler.systemEvents.contains(name))
                handler.systemEvents << name;
        }
        const QString authType = json.value(u"auth"_s).toObject().value(u"type"_s).toString();
        if (!authType.isEmpty() && !same(authType, u"None") && !same(authType, u"ManagedIdentity"))
            return path + u".auth.type must be None or ManagedIdentity."_s;
        const QJsonValue presence = json.value(u"groupPresenceEvents"_s);
        if (withPresence && !presence.isUndefined() && !presence.isNull()) {
            GroupPresenceSettings presenceSettings;
            if (const QString problem =
                    parseGroupPresence(presence, path + u".groupPresenceEvents"_s, &presenceSettings);
                !problem.isEmpty())
                return problem;
            handler.groupPresenceEvents = presenceSettings;
        }
        settings->eventHandlers.append(handler);
    }
    return {};
}

} // namespace

ArmApi::ArmApi(EmulatorConfig &config, ArmHooks hooks)
    : m_config(config)
    , m_hooks(std::move(hooks))
{
    if (m_config.entraId) {
        EntraIdSettings settings = *m_config.entraId;
        settings.audience = QString::fromUtf16(kManagementAudience);
        if (auto validator = EntraValidator::create(settings))
            m_entra = *validator;
    }
}

bool ArmApi::handles(QByteArrayView path)
{
    return path == "/subscriptions" || path.startsWith("/subscriptions/") ||
           path.startsWith("/subscriptions?");
}

QString ArmApi::subscriptionId()
{
    return u"00000000-0000-0000-0000-000000000000"_s;
}

QString ArmApi::resourceName()
{
    return u"emulator"_s;
}

QString ArmApi::resourceGroup()
{
    return u"emulator"_s;
}

HttpResponse ArmApi::handle(const HttpRequest &request, const QByteArray &fallbackHost)
{
    QByteArray hostBytes = request.header("host");
    if (hostBytes.isEmpty())
        hostBytes = fallbackHost;
    const QString host = QString::fromUtf8(hostBytes);
    QStringList segments;
    const QList<QByteArray> rawSegments = request.path.split('/');
    for (const QByteArray &raw : rawSegments)
        if (!raw.isEmpty())
            segments << decodePathSegment(raw);
    const QUrlQuery query(QString::fromUtf8(request.query));
    const QString apiVersion = query.queryItemValue(u"api-version"_s, QUrl::FullyDecoded);

    // Authentication first, as ARM does: nothing is revealed to an anonymous caller.
    if (auto refusal = authenticate(request, host, segments.size() == 1))
        return *refusal;
    if (apiVersion.isEmpty())
        return armError(400, u"MissingApiVersionParameter"_s,
                        u"The api-version query parameter (?api-version=) is required for all requests."_s);
    return route(request, segments, host, apiVersion);
}

std::optional<HttpResponse> ArmApi::authenticate(const HttpRequest &request, const QString &host,
                                                 bool listingSubscriptions) const
{
    const bool write = request.method != "GET" && request.method != "HEAD";
    const QByteArray authorization = request.header("authorization");
    if (authorization.isEmpty())
        return unauthenticated(u"AuthenticationFailed"_s,
                               u"Authentication failed. The 'Authorization' header is missing."_s);
    if (!authorization.toLower().startsWith("bearer "))
        return unauthenticated(u"AuthenticationFailed"_s,
                               u"Authentication failed. The 'Authorization' header is not in a valid "
                               u"'Bearer <token>' format."_s);
    const QByteArray token = authorization.mid(7).trimmed();
    const QJsonObject header = [&] {
        const qsizetype dot = token.indexOf('.');
        if (dot <= 0)
            return QJsonObject();
        return QJsonDocument::fromJson(
                   QByteArray::fromBase64(token.first(dot),
                                          QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))
            .object();
    }();
    if (header.value(u"alg"_s).toString() == u"HS256"_s) {
        const auto [primary, secondary] = m_hooks.keys();
        QList<QByteArray> keys{primary.toUtf8()};
        if (!secondary.isEmpty())
            keys << secondary.toUtf8();
        const auto claims = jwt::verifyHs256(token, keys);
        if (!claims)
            return unauthenticated(u"InvalidAuthenticationToken"_s,
                                   u"The access token is invalid: "_s + claims.error().message);
        const QUrl requestUrl(u"http://"_s + host + QString::fromUtf8(request.target), QUrl::TolerantMode);
        bool audienceOk = false;
        const QStringList audiences = jwt::audiences(*claims);
        for (const QString &aud : audiences)
            audienceOk = audienceOk || jwt::audienceMatches(aud, requestUrl, true);
        if (!audienceOk)
            return unauthenticated(u"InvalidAuthenticationTokenAudience"_s,
                                   u"The access token's audience does not match the request URL."_s);
    } else {
        if (!m_entra)
            return unauthenticated(u"InvalidAuthenticationToken"_s,
                                   u"Entra ID tokens are not accepted: the emulator's config has no entraId "
                                   u"section."_s);
        // 403 from the data-plane validator only means "no data-plane role": the token itself is good.
        const auto [status, why] = m_entra->validate(token, "GET");
        if (status == 401)
            return unauthenticated(u"InvalidAuthenticationToken"_s, why);
        const QJsonObject claims = decodeClaims(token);
        const QStringList roles = stringOrArray(claims.value(u"roles"_s));
        if (!listingSubscriptions && !(write ? mayWrite(roles) : mayRead(roles))) {
            const QString principal = claims.value(u"oid"_s).toString(claims.value(u"sub"_s).toString());
            const QString action =
                u"Microsoft.SignalRService/webPubSub/"_s +
                (write ? (request.method == "POST" ? u"action"_s : u"write"_s) : u"read"_s);
            qCDebug(lcArmApi) << "refused" << request.method << "with 403";
            return armError(403, u"AuthorizationFailed"_s,
                            u"The client '%1' does not have authorization to perform action '%2' over scope "
                            u"'%3' or the scope is invalid."_s.arg(
                                principal.left(64), action, QString::fromUtf8(request.path.left(300))));
        }
    }
    return std::nullopt;
}

HttpResponse ArmApi::route(const HttpRequest &request, const QStringList &segments, const QString &host,
                           const QString &apiVersion)
{
    const QByteArray &method = request.method;
    auto notFound = [] {
        return armError(404, u"InvalidResourceType"_s, u"The resource type could not be found."_s);
    };
    auto methodNotAllowed = [&] {
        return armError(405, u"MethodNotAllowed"_s,
                        u"The method '%1' is not allowed here."_s.arg(QString::fromLatin1(method.left(16))));
    };
    if (segments.isEmpty() || !same(segments.at(0), u"subscriptions"))
        return notFound();
    if (segments.size() == 1) {
        if (method != "GET")
            return methodNotAllowed();
        return HttpResponse::json(200,
                                  QJsonObject{{u"value"_s, QJsonArray{subscriptionJson(subscriptionId())}}});
    }
    const QString subscription = segments.at(1);
    if (segments.size() == 2)
        return method == "GET" ? HttpResponse::json(200, subscriptionJson(subscription)) : methodNotAllowed();

    const bool isProvider = [&](qsizetype at) {
        return segments.size() > at + 2 && same(segments.at(at), u"providers") &&
               same(segments.at(at + 1), kProvider) && same(segments.at(at + 2), u"webPubSub");
    }(segments.size() > 2 && same(segments.at(2), u"resourceGroups") ? 4 : 2);
    if (!isProvider)
        return notFound();
    if (!supportedVersions().contains(apiVersion))
        return armError(400, u"InvalidApiVersionParameter"_s,
                        u"The api-version '%1' is invalid. The supported versions are '%2'."_s.arg(
                            apiVersion.left(32), supportedVersions().join(u',')));
    const bool entra = m_entra != nullptr;

    // Listing by subscription or by resource group: the one pseudo resource.
    const bool bySubscription = segments.size() == 5 && same(segments.at(2), u"providers");
    const bool byGroup = segments.size() == 7 && same(segments.at(2), u"resourceGroups");
    if (bySubscription || byGroup) {
        if (method != "GET")
            return methodNotAllowed();
        const QString group = byGroup ? segments.at(3) : resourceGroup();
        return HttpResponse::json(
            200, QJsonObject{
                     {u"value"_s, QJsonArray{resourceJson(resourceId(subscription, group), host, entra)}}});
    }
    if (!same(segments.at(2), u"resourceGroups") || segments.size() < 8)
        return notFound();
    const QString group = segments.at(3);
    const QString id = resourceId(subscription, group);
    if (!same(segments.at(7), resourceName()))
        return armError(404, u"ResourceNotFound"_s,
                        u"The Resource 'Microsoft.SignalRService/webPubSub/%1' under resource group '%2' was "
                        u"not found."_s.arg(segments.at(7).left(64), group.left(90)));
    if (segments.size() == 8)
        return method == "GET" ? HttpResponse::json(200, resourceJson(id, host, entra)) : methodNotAllowed();
    const QString action = segments.at(8);
    if (segments.size() == 9 && same(action, u"listKeys"))
        return method == "POST" ? keysResponse(host) : methodNotAllowed();
    if (segments.size() == 9 && same(action, u"regenerateKey"))
        return method == "POST" ? regenerateKey(request, host) : methodNotAllowed();
    if (!same(action, u"hubs"))
        return notFound();
    if (segments.size() == 9) {
        if (method != "GET")
            return methodNotAllowed();
        const QUrlQuery query(QString::fromUtf8(request.query));
        const int skip = query.queryItemValue(u"$skipToken"_s).toInt();
        return listHubs(id, host, apiVersion, std::max(0, skip));
    }
    if (segments.size() == 10)
        return hubRequest(request, id, segments.at(9), host, apiVersion);
    return notFound();
}

HttpResponse ArmApi::hubRequest(const HttpRequest &request, const QString &resource, const QString &hub,
                                const QString &, const QString &apiVersion)
{
    if (const QString problem = names::checkHub(hub); !problem.isEmpty())
        return armError(400, u"InvalidResourceName"_s, problem);
    auto missing = [&] {
        return armError(404, u"ResourceNotFound"_s,
                        u"The hub setting '%1' of resource '%2' was not found."_s.arg(hub, resourceName()));
    };
    if (request.method == "GET") {
        if (!m_config.hubs.contains(hub))
            return missing();
        return HttpResponse::json(
            200, hubJson(resource, hub, m_config.hubs.value(hub), knowsGroupPresence(apiVersion)));
    }
    if (request.method == "PUT") {
        HubSettings settings;
        if (const QString problem = parseHubBody(request.body, &settings, knowsGroupPresence(apiVersion));
            !problem.isEmpty())
            return armError(400, u"InvalidRequestContent"_s, problem);
        const bool created = !m_config.hubs.contains(hub);
        m_config.hubs.insert(hub, settings); // live: the next connect and event use it
        qCInfo(lcArmApi).noquote() << (created ? "created" : "updated") << "hub settings of" << hub;
        return HttpResponse::json(created ? 201 : 200,
                                  hubJson(resource, hub, settings, knowsGroupPresence(apiVersion)));
    }
    if (request.method == "DELETE") {
        if (!m_config.hubs.remove(hub))
            return HttpResponse::empty(204);
        qCInfo(lcArmApi).noquote() << "deleted hub settings of" << hub;
        return HttpResponse::empty(200);
    }
    return armError(405, u"MethodNotAllowed"_s, u"The method is not allowed here."_s);
}

HttpResponse ArmApi::listHubs(const QString &resource, const QString &host, const QString &apiVersion,
                              int skip) const
{
    const QStringList names = m_config.hubs.keys();
    QJsonArray value;
    const int end = static_cast<int>(std::min<qsizetype>(names.size(), qsizetype(skip) + m_pageSize));
    for (int i = skip; i < end; ++i)
        value.append(
            hubJson(resource, names.at(i), m_config.hubs.value(names.at(i)), knowsGroupPresence(apiVersion)));
    QJsonObject page{{u"value"_s, value}};
    if (end < names.size()) {
        QString path;
        const QStringList parts = resource.split(u'/', Qt::SkipEmptyParts);
        for (const QString &part : parts)
            path += u'/' + QString::fromLatin1(QUrl::toPercentEncoding(part));
        page.insert(u"nextLink"_s, QString(u"http://"_s + host + path + u"/hubs?api-version="_s + apiVersion +
                                           u"&$skipToken="_s + QString::number(end)));
    }
    return HttpResponse::json(200, page);
}

HttpResponse ArmApi::regenerateKey(const HttpRequest &request, const QString &host)
{
    const QString keyType = QJsonDocument::fromJson(request.body).object().value(u"keyType"_s).toString();
    if (same(keyType, u"Primary") || same(keyType, u"Secondary")) {
        m_hooks.regenerate(same(keyType, u"Primary"));
        qCInfo(lcArmApi).noquote() << "regenerated the" << keyType.toLower() << "key";
    } else if (!same(keyType, u"Salt")) {
        return armError(400, u"InvalidRequestContent"_s, u"keyType must be Primary, Secondary or Salt."_s);
    }
    return keysResponse(host);
}

HttpResponse ArmApi::keysResponse(const QString &host) const
{
    const auto [primary, secondary] = m_hooks.keys();
    auto connection = [&](const QString &key) {
        return key.isEmpty() ? QString()
                             : u"Endpoint=http://"_s + host + u";AccessKey="_s + key + u";Version=1.0;"_s;
    };
    return HttpResponse::json(200, QJsonObject{{u"primaryKey"_s, primary},
                                               {u"secondaryKey"_s, secondary},
                                               {u"primaryConnectionString"_s, connection(primary)},
                                               {u"secondaryConnectionString"_s, connection(secondary)}});
}

} // namespace wps::emulator
