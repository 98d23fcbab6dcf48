#include "emulator/hubstate.h"

#include "protocol/glob.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator {

namespace {
QStringList sorted(const QSet<QString> &set)
{
    QStringList list(set.cbegin(), set.cend());
    std::sort(list.begin(), list.end());
    return list;
}

QStringList listOf(const std::set<QString> *set)
{
    return set ? QStringList(set->cbegin(), set->cend()) : QStringList();
}
} // namespace

bool groupPatternMatches(const QString &pattern, const QString &group)
{
    // The service allows at most five '*' per pattern (a '**' counts two); a pattern with more, or with a
    // bad escape, never matches. The matcher is linear: no pattern can stall the event loop.
    if (glob::starCount(pattern) > 5)
        return false;
    return glob::matches(pattern, group);
}

bool HubState::addConnection(Connection connection)
{
    if (connection.id.isEmpty() || m_connections.count(connection.id) != 0)
        return false;
    const QString id = connection.id;
    if (connection.userId)
        m_users[*connection.userId].insert(id);
    for (const QString &group : std::as_const(connection.groups))
        m_groups[group].insert(id);
    m_byId.insert(id, &m_connections.emplace(id, std::move(connection)).first->second);
    return true;
}

bool HubState::reattach(const QString &connectionId, std::shared_ptr<ConnectionSink> sink, QStringList roles)
{
    Connection *c = find(connectionId);
    if (!c)
        return false;
    c->sink = std::move(sink);
    c->roles = std::move(roles);
    return true;
}

void HubState::removeConnection(const QString &connectionId)
{
    auto it = m_connections.find(connectionId);
    if (it == m_connections.end())
        return;
    removeFromAllGroups(connectionId);
    if (const auto &user = it->second.userId) {
        auto users = m_users.find(*user);
        if (users != m_users.end()) {
            users->erase(connectionId);
            if (users->empty())
                m_users.erase(users);
        }
    }
    m_byId.remove(connectionId);
    m_connections.erase(it);
}

void HubState::closeConnection(const QString &connectionId, const QString &reason)
{
    auto it = m_connections.find(connectionId);
    if (it == m_connections.end())
        return;
    const std::shared_ptr<ConnectionSink> sink = it->second.sink;
    removeConnection(connectionId);
    if (sink)
        sink->close(reason);
}

const Connection *HubState::connection(const QString &connectionId) const
{
    return m_byId.value(connectionId);
}

Connection *HubState::find(const QString &connectionId)
{
    return m_byId.value(connectionId);
}

QStringList HubState::connectionIds() const
{
    QStringList ids;
    ids.reserve(static_cast<qsizetype>(m_connections.size()));
    for (const auto &entry : m_connections)
        ids << entry.first;
    return ids;
}

QStringList HubState::connectionsOfUser(const QString &userId) const
{
    const auto it = m_users.constFind(userId);
    return listOf(it == m_users.cend() ? nullptr : &*it);
}

QStringList HubState::connectionsInGroup(const QString &group) const
{
    const auto it = m_groups.constFind(group);
    return listOf(it == m_groups.cend() ? nullptr : &*it);
}

bool HubState::atGroupLimit(const QString &connectionId, const QString &group) const
{
    const Connection *c = connection(connectionId);
    return c && c->groups.size() >= kMaxGroupsPerConnection && !c->groups.contains(group);
}

bool HubState::addToGroup(const QString &connectionId, const QString &group)
{
    Connection *c = find(connectionId);
    if (!c || (c->groups.size() >= kMaxGroupsPerConnection && !c->groups.contains(group)))
        return false;
    if (c->groups.contains(group))
        return true;
    c->groups.insert(group);
    m_groups[group].insert(connectionId);
    if (const std::shared_ptr<ConnectionSink> sink = c->sink)
        sink->membershipChanged(group, true);
    return true;
}

void HubState::removeFromGroup(const QString &connectionId, const QString &group)
{
    Connection *c = find(connectionId);
    if (!c || !c->groups.remove(group))
        return;
    auto it = m_groups.find(group);
    if (it != m_groups.end()) {
        it->erase(connectionId);
        if (it->empty())
            m_groups.erase(it);
    }
    if (const std::shared_ptr<ConnectionSink> sink = c->sink)
        sink->membershipChanged(group, false);
}

void HubState::removeFromAllGroups(const QString &connectionId)
{
    Connection *c = find(connectionId);
    if (!c)
        return;
    for (const QString &group : sorted(c->groups))
        removeFromGroup(connectionId, group);
}

bool HubState::grant(const QString &connectionId, const QString &permission, const QString &group)
{
    Connection *c = find(connectionId);
    if (!c)
        return false;
    c->grants[permission.toLower()].insert(group);
    return true;
}

void HubState::revoke(const QString &connectionId, const QString &permission, const QString &group)
{
    if (Connection *c = find(connectionId))
        c->grants[permission.toLower()].remove(group);
}

bool HubState::hasPermission(const QString &connectionId, const QString &permission,
                             const QString &group) const
{
    const Connection *c = connection(connectionId);
    if (!c)
        return false;
    if (c->grants.value(permission.toLower()).contains(group))
        return true;
    const QString anyGroup = u"webpubsub."_s + permission;
    const QString oneGroup = anyGroup + u'.' + group;
    const QString patternPrefix = anyGroup + u"s."_s; // webpubsub.joinLeaveGroups.<pattern>
    for (const QString &role : c->roles) {
        if (role.compare(anyGroup, Qt::CaseInsensitive) == 0)
            return true;
        // The permission part of a role is case-insensitive, the group part is not.
        if (role.size() == oneGroup.size() && role.startsWith(anyGroup + u'.', Qt::CaseInsensitive) &&
            role.endsWith(group))
            return true;
        if (role.startsWith(patternPrefix, Qt::CaseInsensitive) &&
            groupPatternMatches(role.mid(patternPrefix.size()), group))
            return true;
    }
    return false;
}

void HubState::deliver(const QString &connectionId, const Delivery &message) const
{
    const Connection *c = connection(connectionId);
    if (c && c->sink)
        c->sink->deliver(message);
}

const HubState *HubRegistry::find(const QString &name) const
{
    auto it = m_hubs.find(name);
    return it == m_hubs.end() ? nullptr : &it->second;
}

} // namespace wps::emulator
