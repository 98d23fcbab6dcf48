#pragma once

#include "emulator/config.h"
#include "protocol/cloudevents.h"

#include <QString>
#include <QUrl>

#include <optional>

namespace wps::emulator::upstream {

/// True when \a eventName matches a handler's `userEventPattern` (webpubsub-protocol.md §7.1, §7.2): `*`
/// alone matches everything, otherwise a comma list of names compared case-insensitively, where `*` and `?`
/// do not cross a `.` and `**` does (Microsoft's emulator). An empty pattern matches nothing.
bool matchesUserEventPattern(const QString &pattern, const QString &eventName);

/// The first handler of \a hub that subscribes to the event (handlers are evaluated in order, §7.1), or
/// none. System events match the handler's `systemEvents` case-insensitively; user events its pattern.
std::optional<EventHandlerSettings> resolveHandler(const HubSettings &hub, cloudevents::EventKind kind,
                                                   const QString &userEventName = {});

/// The handler URL for one event: `{hub}` and `{event}` replaced. Invalid (and reported so by the caller)
/// unless it is an absolute http(s) URL with a host.
QUrl expandUrlTemplate(const QString &urlTemplate, const QString &hub, const QString &event);

/// A URL safe to log and trace: no user info, and the query (which may hold a shared secret such as
/// Azure Functions' `?code=`, §6.9) replaced by `?…`.
QString redactedUrl(const QUrl &url);

} // namespace wps::emulator::upstream
