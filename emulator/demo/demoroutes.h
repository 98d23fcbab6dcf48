#pragma once

#include "emulator/httpserver.h"

#include <QByteArray>
#include <QList>

#include <functional>

namespace wps::emulator {

/// The emulator's demo routes (docs/demo.md): the built-in chat page `/demo/chat`, its negotiate endpoint
/// `/demo/negotiate` (what an app server would do for a browser: hand out a short-lived client URL), and an
/// upstream echo handler `/demo/echo` a hub's event handler can point at. They exist so that real-time
/// messaging can be shown with nothing but the emulator; negotiate hands tokens to anyone who can reach the
/// port, which is why the emulator only serves these routes on loopback unless told otherwise.
class DemoRoutes
{
public:
    /// \a keys returns the current access keys (primary first): tokens are signed with the first, the echo
    /// handler accepts a `ce-signature` made with any of them. A function, so regenerated keys apply.
    explicit DemoRoutes(std::function<QList<QByteArray>()> keys);

    /// True for `/demo` and paths under it.
    static bool handles(const QByteArray &path);
    /// Answers a request under /demo; \a fallbackHost (host:port) when the request has no Host header.
    HttpResponse handle(const HttpRequest &request, const QByteArray &fallbackHost) const;

private:
    HttpResponse chatPage(const HttpRequest &request) const;
    HttpResponse negotiate(const HttpRequest &request, const QByteArray &host) const;
    HttpResponse echo(const HttpRequest &request) const;

    std::function<QList<QByteArray>()> m_keys;
};

} // namespace wps::emulator
