#pragma once

#include "emulator/config.h"
#include "protocol/cloudevents.h"

#include <QString>
#include <QUrl>

#include <optional>

namespace wps::emulator::upstream {

/// True when \a eventName matches a handler's `userEventPattern` (docs/protocol.md#hub-settings,
/// docs/protocol.md#event-names-and-patterns): `*` alone matches everything, otherwise a comma list of names
/// compared case-insensitively, where `*` and `?` do not cross a `.` and `**` does (Microsoft's emulator). An
/// empty pattern matches nothing.
bool matchesUserEventPattern(const QString &pattern, const QString &eventName);

/// The first handler of \a hub that subscribes to the event (handlers are evaluated in order,
/// docs/protocol.md#hub-settings), or none. System events match the handler's `systemEvents`
/// case-insensitively; user events its pattern.
std::optional<EventHandlerSettings> resolveHandler(const HubSettings &hub, cloudevents::EventKind kind,
                                                   const QString &userEventName = {});

/// The first handler of \a hub whose `groupPresenceEvents` asks for \a kind (GroupJoined or GroupLeft) of
/// \a group (docs/emulator.md#group-presence-events): its `eventNames` hold the event's name, and its
/// `groupFilters` are empty or one of them matches the group (protocol/glob.h, case-sensitive, as wildcard
/// group roles). A handler without `groupPresenceEvents` gets none.
std::optional<EventHandlerSettings> resolvePresenceHandler(const HubSettings &hub,
                                                           cloudevents::EventKind kind, const QString &group);

/// True when some handler of \a hub would receive a presence event of \a kind for \a group.
inline bool wantsPresence(const HubSettings &hub, cloudevents::EventKind kind, const QString &group)
{
    return resolvePresenceHandler(hub, kind, group).has_value();
}

/// Empty when \a urlTemplate is acceptable as an event handler's URL: an absolute http(s) URL with a host
/// once
/// `{hub}` and `{event}` are filled in, the placeholders only in its path or query (never in the scheme,
/// user info, host, port or fragment). Otherwise what is wrong, in a sentence.
QString checkUrlTemplate(const QString &urlTemplate);

/// The handler URL for one event: `{hub}` and `{event}` (case-insensitive) replaced by the names
/// percent-encoded as a path segment. Invalid (and reported so by the caller) when the template fails
/// checkUrlTemplate() or a name is "." or "..".
QUrl expandUrlTemplate(const QString &urlTemplate, const QString &hub, const QString &event);

/// A URL safe to log and trace: no user info, and the query (which may hold a shared secret such as
/// Azure Functions' `?code=`, docs/protocol.md#handler-authentication) replaced by `?…`.
QString redactedUrl(const QUrl &url);

} // namespace wps::emulator::upstream
