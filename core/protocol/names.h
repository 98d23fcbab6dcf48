#pragma once

#include <QString>

namespace wps::names {

/// Validation of names as the service's REST API defines them (docs/protocol.md#paths-names-and-bodies,
/// docs/protocol.md#limits). Each returns an empty string when the name is valid, or a message saying what is
/// wrong with it.
QString checkHub(const QString &hub);
QString checkGroup(const QString &group);
QString checkUserId(const QString &userId);
QString checkConnectionId(const QString &connectionId);
/// `sendToGroup` or `joinLeaveGroup`, as the service names them.
QString checkPermission(const QString &permission);

} // namespace wps::names
