#include "arm/armmodels.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace wps::arm {

namespace {

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array)
        if (item.isString())
            out << item.toString();
    return out;
}

} // namespace

Subscription Subscription::fromJson(const QJsonObject &json)
{
    Subscription s;
    s.id = json.value(u"id"_s).toString();
    s.subscriptionId = json.value(u"subscriptionId"_s).toString();
    s.displayName = json.value(u"displayName"_s).toString();
    s.state = json.value(u"state"_s).toString();
    s.tenantId = json.value(u"tenantId"_s).toString();
    return s;
}

WebPubSubResource WebPubSubResource::fromJson(const QJsonObject &json)
{
    WebPubSubResource r;
    r.raw = json;
    r.id = json.value(u"id"_s).toString();
    r.name = json.value(u"name"_s).toString();
    r.location = json.value(u"location"_s).toString();
    r.resourceGroup = resourceGroupOf(r.id);
    const QJsonObject properties = json.value(u"properties"_s).toObject();
    r.hostName = properties.value(u"hostName"_s).toString();
    r.provisioningState = properties.value(u"provisioningState"_s).toString();
    r.disableLocalAuth = properties.value(u"disableLocalAuth"_s).toBool();
    r.skuName = json.value(u"sku"_s).toObject().value(u"name"_s).toString();
    return r;
}

EventHandler EventHandler::fromJson(const QJsonObject &json)
{
    EventHandler h;
    h.raw = json;
    h.urlTemplate = json.value(u"urlTemplate"_s).toString();
    h.userEventPattern = json.value(u"userEventPattern"_s).toString();
    h.systemEvents = stringList(json.value(u"systemEvents"_s));
    const QJsonObject auth = json.value(u"auth"_s).toObject();
    h.authType = auth.value(u"type"_s).toString();
    h.authResource = auth.value(u"managedIdentity"_s).toObject().value(u"resource"_s).toString();
    const QJsonValue presence = json.value(u"groupPresenceEvents"_s);
    if (presence.isObject()) {
        const QJsonObject object = presence.toObject();
        h.groupPresenceEvents = GroupPresenceEvents{stringList(object.value(u"eventNames"_s)),
                                                    stringList(object.value(u"groupFilters"_s))};
    }
    return h;
}

QJsonObject EventHandler::toJson() const
{
    QJsonObject json = raw;
    json.insert(u"urlTemplate"_s, urlTemplate);
    if (userEventPattern.isEmpty())
        json.remove(u"userEventPattern"_s);
    else
        json.insert(u"userEventPattern"_s, userEventPattern);
    json.insert(u"systemEvents"_s, QJsonArray::fromStringList(systemEvents));
    if (groupPresenceEvents) {
        QJsonObject presence = raw.value(u"groupPresenceEvents"_s).toObject();
        presence.insert(u"eventNames"_s, QJsonArray::fromStringList(groupPresenceEvents->eventNames));
        presence.insert(u"groupFilters"_s, QJsonArray::fromStringList(groupPresenceEvents->groupFilters));
        json.insert(u"groupPresenceEvents"_s, presence);
    } else {
        json.remove(u"groupPresenceEvents"_s);
    }
    if (!authType.isEmpty()) {
        QJsonObject auth = raw.value(u"auth"_s).toObject();
        auth.insert(u"type"_s, authType);
        if (authType.compare(u"ManagedIdentity"_s, Qt::CaseInsensitive) == 0) {
            QJsonObject identity = auth.value(u"managedIdentity"_s).toObject();
            identity.insert(u"resource"_s, authResource);
            auth.insert(u"managedIdentity"_s, identity);
        } else {
            auth.remove(u"managedIdentity"_s);
        }
        json.insert(u"auth"_s, auth);
    }
    return json;
}

HubSettings HubSettings::fromJson(const QJsonObject &json)
{
    HubSettings h;
    h.raw = json;
    h.id = json.value(u"id"_s).toString();
    h.name = json.value(u"name"_s).toString();
    const QJsonObject properties = json.value(u"properties"_s).toObject();
    h.provisioningState = properties.value(u"provisioningState"_s).toString();
    h.anonymousConnect =
        properties.value(u"anonymousConnectPolicy"_s).toString().compare(u"allow"_s, Qt::CaseInsensitive) ==
        0;
    const QJsonArray handlers = properties.value(u"eventHandlers"_s).toArray();
    for (const QJsonValue &handler : handlers)
        h.eventHandlers.append(EventHandler::fromJson(handler.toObject()));
    const QJsonValue keepAlive = properties.value(u"webSocketKeepAliveIntervalInSeconds"_s);
    if (keepAlive.isDouble())
        h.keepAliveSeconds = keepAlive.toInt();
    return h;
}

QJsonObject HubSettings::toPutBody() const
{
    QJsonObject properties = raw.value(u"properties"_s).toObject();
    properties.remove(u"provisioningState"_s);
    properties.insert(u"anonymousConnectPolicy"_s, anonymousConnect ? u"allow"_s : u"deny"_s);
    QJsonArray handlers;
    for (const EventHandler &handler : eventHandlers)
        handlers.append(handler.toJson());
    properties.insert(u"eventHandlers"_s, handlers);
    if (keepAliveSeconds)
        properties.insert(u"webSocketKeepAliveIntervalInSeconds"_s, *keepAliveSeconds);
    else
        properties.remove(u"webSocketKeepAliveIntervalInSeconds"_s);
    QJsonObject body = raw;
    for (const QString &readOnly : {u"id"_s, u"name"_s, u"type"_s, u"systemData"_s})
        body.remove(readOnly);
    body.insert(u"properties"_s, properties);
    return body;
}

AccessKeys AccessKeys::fromJson(const QJsonObject &json)
{
    AccessKeys k;
    k.primaryKey = json.value(u"primaryKey"_s).toString();
    k.secondaryKey = json.value(u"secondaryKey"_s).toString();
    k.primaryConnectionString = json.value(u"primaryConnectionString"_s).toString();
    k.secondaryConnectionString = json.value(u"secondaryConnectionString"_s).toString();
    return k;
}

QString keyTypeName(KeyType type)
{
    switch (type) {
    case KeyType::Primary:
        return u"Primary"_s;
    case KeyType::Secondary:
        return u"Secondary"_s;
    case KeyType::Salt:
        return u"Salt"_s;
    }
    return {};
}

QString resourceGroupOf(const QString &resourceId)
{
    const QStringList parts = resourceId.split(u'/', Qt::SkipEmptyParts);
    for (qsizetype i = 0; i + 1 < parts.size(); ++i)
        if (parts.at(i).compare(u"resourceGroups"_s, Qt::CaseInsensitive) == 0)
            return parts.at(i + 1);
    return {};
}

} // namespace wps::arm
