#pragma once

#include "protocol/messages.h"

#include <QByteArray>
#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace wps::emulator {

/// How a message's payload is to be presented to a client (docs/protocol.md#paths-names-and-bodies,
/// docs/protocol.md#json-responses): the message model's type (json, text, binary, protobuf).
using DataType = messages::DataType;
using messages::dataTypeName;

/// Frames of one Delivery, built on first use for each kind of receiver and then shared by all receivers of
/// that kind (serialise once per send, never per member: docs/emulator.md#performance-choices).
struct DeliveryFrames
{
    QByteArray json;     ///< WebSocket frame for json.webpubsub.azure.v1
    QByteArray jsonBody; ///< the JSON message without sequenceId, for reliable receivers
    QByteArray protobuf; ///< WebSocket frame for protobuf.webpubsub.azure.v1
    QByteArray raw;      ///< WebSocket frame for raw clients
    /// WebSocket frames of the MQTT PUBLISH, by [MQTT 5.0][QoS]; a QoS 1 frame carries packet identifier 0
    /// at mqttPacketIdAt[5.0], which each receiver patches (emulator/mqttpublish.cpp).
    QByteArray mqtt[2][2];
    qsizetype mqttPacketIdAt[2] = {0, 0};
};

/// One message the emulator hands to a connection: a REST send (from the server) or a group message.
struct Delivery
{
    QByteArray data;
    DataType dataType = DataType::Text;
    QString group; ///< the target group for group sends; empty when the message is from the server
    std::optional<QString> fromUserId; ///< the publishing client's user, when it had one
    /// When a REST send's messageTtlSeconds runs out: a message not yet delivered by then is dropped
    /// (docs/emulator.md#message-ttl). nullopt means the message never expires.
    std::optional<std::chrono::steady_clock::time_point> expiresAt;
    /// A group stream's fragment or end marker (docs/emulator.md#group-streams).
    std::optional<messages::StreamInfo> stream;
    /// Filled lazily by the client endpoint; every receiver of the same Delivery object shares it.
    mutable DeliveryFrames frames;
};

/// Where a connection's messages go. The client WebSocket endpoint implements it for real sockets; tests
/// implement it to see what was delivered. Keeping it this small is what lets REST be finished before the
/// WebSocket side exists.
class ConnectionSink
{
public:
    virtual ~ConnectionSink() = default;
    /// Delivers one message; must not call back into the HubState synchronously.
    virtual void deliver(const Delivery &message) = 0;
    /// Closes the client (the hub has already forgotten the connection); \a reason is sent verbatim.
    virtual void close(const QString &reason) = 0;
    /// The connection joined (\a joined) or left \a group, once per real change: joining a group it is in,
    /// or leaving one it is not in, calls nothing. Called after the change, also for every group of a
    /// connection being removed (before the connection is forgotten). Drives the group presence events
    /// (docs/emulator.md#group-presence-events); must not call back into the HubState synchronously.
    virtual void membershipChanged(const QString & /*group*/, bool /*joined*/) {}
};

/// What the hub knows of one live client connection.
struct Connection
{
    QString id;
    std::optional<QString> userId;        ///< nullopt for a connection without a user
    std::optional<QString> protocol;      ///< negotiated subprotocol; nullopt for raw clients
    QStringList roles;                    ///< roles from the token, e.g. webpubsub.sendToGroup.room1
    QSet<QString> groups;                 ///< groups the connection is in now
    QHash<QString, QSet<QString>> grants; ///< permission (lower-case) -> groups granted through REST
    std::shared_ptr<ConnectionSink> sink;
};

/// The state of one hub: connections, their groups, users and permissions. Membership is connection
/// scoped (docs/protocol.md#operations): nothing is stored for users or groups without connections.
/// Not thread-safe: it lives on the emulator's thread.
class HubState
{
public:
    HubState() = default;
    // Not copyable: m_byId points into this object's own map (a move keeps the map's nodes, a copy would
    // not).
    HubState(const HubState &) = delete;
    HubState &operator=(const HubState &) = delete;
    HubState(HubState &&) = default;
    HubState &operator=(HubState &&) = default;

    /// Adds \a connection; false when its ID is already in use. The groups it starts in are not reported
    /// to its sink's membershipChanged(): the caller announces them once the connection is open.
    bool addConnection(Connection connection);
    /// Forgets a connection (e.g. the client went away) without telling its sink.
    void removeConnection(const QString &connectionId);
    /// Forgets a connection and asks its sink to close the client with \a reason.
    void closeConnection(const QString &connectionId, const QString &reason);

    /// A resumed MQTT session (emulator/mqttconnect.cpp): the connection keeps its groups, user and REST
    /// grants and gets the new network connection's \a sink and token \a roles. False for an unknown ID.
    bool reattach(const QString &connectionId, std::shared_ptr<ConnectionSink> sink, QStringList roles);

    const Connection *connection(const QString &connectionId) const;
    /// Every connection ID, ordered (ordinal).
    QStringList connectionIds() const;
    /// The connections of \a userId, ordered.
    QStringList connectionsOfUser(const QString &userId) const;
    /// The connections in \a group, ordered; empty for an unknown group.
    QStringList connectionsInGroup(const QString &group) const;
    bool hasUser(const QString &userId) const { return m_users.contains(userId); }
    bool hasGroup(const QString &group) const { return m_groups.contains(group); }

    /// Groups one connection may be in at once (docs/emulator.md "Limits"): the service documents no limit;
    /// this one keeps a client from growing the emulator's memory by joining groups without end.
    static constexpr qsizetype kMaxGroupsPerConnection = 1000;
    /// True when \a connectionId is in kMaxGroupsPerConnection groups and \a group is not one of them.
    bool atGroupLimit(const QString &connectionId, const QString &group) const;
    /// False when the connection does not exist or is at the group limit (atGroupLimit()).
    bool addToGroup(const QString &connectionId, const QString &group);
    void removeFromGroup(const QString &connectionId, const QString &group);
    /// Leaves every group, in name order (ordinal).
    void removeFromAllGroups(const QString &connectionId);

    /// \a permission is sendToGroup or joinLeaveGroup (any case). False when the connection does not exist.
    bool grant(const QString &connectionId, const QString &permission, const QString &group);
    void revoke(const QString &connectionId, const QString &permission, const QString &group);
    /// From a REST grant or a token role: `webpubsub.<permission>`, `webpubsub.<permission>.<group>` or the
    /// wildcard form `webpubsub.<permission>s.<pattern>` (docs/protocol.md#roles).
    bool hasPermission(const QString &connectionId, const QString &permission, const QString &group) const;

    /// Hands \a message to the connection's sink; unknown connections are ignored (sends are
    /// fire-and-forget).
    void deliver(const QString &connectionId, const Delivery &message) const;

private:
    Connection *find(const QString &connectionId);

    std::map<QString, Connection> m_connections; ///< ordered, for connectionIds()
    /// The same connections by ID for lookups (a delivery finds its receiver by ID): hashing one ID costs
    /// less than the ~10 string comparisons of a lookup in the ordered map. Map nodes never move.
    QHash<QString, Connection *> m_byId;
    // Ordered sets: a send lists a group's members in ID order without sorting them each time (a sort per
    // send was 13 % of a json fan-out to 100 members, callgrind).
    QHash<QString, std::set<QString>> m_groups; ///< group -> connection IDs
    QHash<QString, std::set<QString>> m_users;  ///< user -> connection IDs
};

/// True when \a group matches a wildcard role pattern of docs/protocol.md#roles: `?` one character
/// other than '.', `*` any run without '.', `**` any run, `\\` escapes; more than five '*' never matches.
bool groupPatternMatches(const QString &pattern, const QString &group);

/// All hubs of one emulator, created on first use.
class HubRegistry
{
public:
    HubState &hub(const QString &name) { return m_hubs[name]; }
    const HubState *find(const QString &name) const;

private:
    std::map<QString, HubState> m_hubs;
};

} // namespace wps::emulator
