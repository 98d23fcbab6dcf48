#pragma once

#include "common/expected.h"
#include "emulator/entra.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace wps::emulator {

/// A handler's `groupPresenceEvents` (ARM 2025-08-01-preview, docs/emulator.md#group-presence-events):
/// which `joined` / `left` events of which groups it receives.
struct GroupPresenceSettings
{
    QStringList eventNames;   ///< subset of joined, left (lower case); empty: no presence events
    QStringList groupFilters; ///< glob patterns (protocol/glob.h) over group names; empty: every group
    bool operator==(const GroupPresenceSettings &) const = default;
};

/// One upstream event handler of a hub (docs/protocol.md#hub-settings), in the order it is evaluated.
struct EventHandlerSettings
{
    QString urlTemplate;      ///< http(s) URL; may contain {hub} and {event}
    QString userEventPattern; ///< `*`, `a,b` or one name; empty handles no user events
    QStringList systemEvents; ///< subset of connect, connected, disconnected
    /// Absent: the handler gets no group presence events.
    std::optional<GroupPresenceSettings> groupPresenceEvents = {};
};

/// Reads a `groupPresenceEvents` object (config file and ARM share it): `eventNames` (joined, left; any
/// case; null = none) and `groupFilters` (valid glob patterns; null = every group). Empty when valid, else
/// a sentence naming \a path.
QString parseGroupPresence(const QJsonValue &value, const QString &path, GroupPresenceSettings *out);
/// The JSON form parseGroupPresence() reads.
QJsonObject groupPresenceJson(const GroupPresenceSettings &settings);

/// Settings of one hub, as ARM's hub resource has them.
struct HubSettings
{
    bool anonymousConnect = false; ///< anonymousConnectPolicy "allow"
    QList<EventHandlerSettings> eventHandlers;
    /// `webSocketKeepAliveIntervalInSeconds` (1..120): the hub's server ping interval; absent uses
    /// ClientLimits (20 s unless a test shrinks it).
    std::optional<int> keepAliveSeconds;
};

/// The emulator's configuration file. Parsing is strict on purpose: a typo in a local config should be a
/// clear error naming the JSON path, not a silently ignored setting.
struct EmulatorConfig
{
    QMap<QString, HubSettings> hubs;
    /// The `entraId` section: which Entra ID tokens the REST API accepts. Absent: none (docs/entra-id.md).
    std::optional<EntraIdSettings> entraId;

    /// Parses `{"hubs": {"<hub>": {"anonymousConnect": bool, "eventHandlers": [...],
    /// "webSocketKeepAliveIntervalInSeconds": 1..120}}, "entraId": {"issuer": "..." or [...],
    /// "audience": "...", "jwks": {"keys": [...]}}}`. Unknown fields,
    /// wrong types and invalid hub names are errors naming the JSON path (e.g.
    /// hubs.chat.eventHandlers[0].urlTemplate).
    static Expected<EmulatorConfig, QString> fromJson(const QByteArray &json);
    /// Reads and parses a file; the error names the file.
    static Expected<EmulatorConfig, QString> fromFile(const QString &path);
    /// The same shape fromJson() reads.
    QByteArray toJson() const;
};

} // namespace wps::emulator
