#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace wps::arm {

/// One entry of `GET /subscriptions`: what the Hubs panel shows to pick a subscription.
struct Subscription
{
    QString id;             ///< "/subscriptions/{subscriptionId}"
    QString subscriptionId; ///< the GUID
    QString displayName;
    QString state; ///< "Enabled", "Disabled", ...
    QString tenantId;

    static Subscription fromJson(const QJsonObject &json);
};

/// One Microsoft.SignalRService/webPubSub resource of a subscription listing.
struct WebPubSubResource
{
    QString id; ///< full ARM id; hub calls are made relative to it
    QString name;
    QString location;
    QString resourceGroup; ///< parsed from the id
    QString hostName;      ///< properties.hostName
    QString provisioningState;
    QString skuName;
    bool disableLocalAuth = false; ///< properties.disableLocalAuth: keys cannot be used for data-plane calls
    QJsonObject raw;               ///< the whole resource as ARM sent it

    static WebPubSubResource fromJson(const QJsonObject &json);
};

/// An event handler's `groupPresenceEvents` (api-version 2025-08-01-preview): which group presence events
/// (`joined`, `left`) of which groups the handler receives.
struct GroupPresenceEvents
{
    QStringList eventNames;   ///< "joined", "left"; empty: none
    QStringList groupFilters; ///< group patterns; empty: every group
    bool operator==(const GroupPresenceEvents &) const = default;
};

/// One upstream event handler of a hub (properties.eventHandlers[]).
struct EventHandler
{
    QString urlTemplate;      ///< may contain {hub} and {event}
    QString userEventPattern; ///< "*", "a,b", one name, or empty for none
    QStringList systemEvents; ///< connect, connected, disconnected
    QString authType;         ///< auth.type: "None" or "ManagedIdentity"; empty when absent
    QString authResource;     ///< auth.managedIdentity.resource
    /// Absent (null in ARM): no group presence events for this handler.
    std::optional<GroupPresenceEvents> groupPresenceEvents = {};
    /// The handler as ARM sent it: fields this tool does not know survive an edit.
    QJsonObject raw;

    static EventHandler fromJson(const QJsonObject &json);
    /// \a raw with the known fields written over it.
    QJsonObject toJson() const;
};

/// A hub setting resource (Microsoft.SignalRService/webPubSub/hubs). Mirrors the ARM JSON and keeps the
/// whole document, so a read-modify-PUT never drops fields a newer api-version added (eventListeners,
/// webSocketKeepAliveIntervalInSeconds, and whatever comes next).
struct HubSettings
{
    QString id;
    QString name;
    QString provisioningState;
    bool anonymousConnect = false; ///< properties.anonymousConnectPolicy == "allow" (case-insensitive)
    QList<EventHandler> eventHandlers;
    std::optional<int> keepAliveSeconds; ///< properties.webSocketKeepAliveIntervalInSeconds
    QJsonObject raw;                     ///< the resource as ARM sent it

    static HubSettings fromJson(const QJsonObject &json);
    /// The PUT body: \a raw's properties with the known fields written over them. Read-only fields (id,
    /// name, type, systemData, provisioningState) are left out, as ARM ignores them.
    QJsonObject toPutBody() const;
};

/// The keys of a resource (`listKeys` / `regenerateKey`). Secrets: never log or trace them.
struct AccessKeys
{
    QString primaryKey;
    QString secondaryKey;
    QString primaryConnectionString;
    QString secondaryConnectionString;

    static AccessKeys fromJson(const QJsonObject &json);
};

/// Which key `regenerateKey` replaces.
enum class KeyType { Primary, Secondary, Salt };

/// "Primary", "Secondary", "Salt": the ARM body's keyType.
QString keyTypeName(KeyType type);

/// The resource group of an ARM id ("/subscriptions/s/resourceGroups/{rg}/..."), empty when it has none.
QString resourceGroupOf(const QString &resourceId);

} // namespace wps::arm
