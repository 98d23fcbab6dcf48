#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>

namespace wps::emulator {

/// The DNS-rebinding guard of an emulator bound to a loopback address. A web page from another site can make
/// a browser resolve its own host name to 127.0.0.1 and then reach the emulator under that name; the browser
/// still sends the page's host name in `Host`. So, on the demo routes and the client WebSocket endpoint, a
/// loopback-bound emulator answers only requests whose `Host` names it by a loopback name: `127.0.0.1`,
/// `localhost` or `[::1]` (case-insensitive), with any port or none. The port is not compared: a local
/// proxy or SSH tunnel forwards under its own port (the official SDK's drop tests run through one), and a
/// rebinding page cannot choose the name. An emulator bound to any other address allows every host (it is
/// meant to be reached by other names).
class HostGuard
{
public:
    HostGuard() = default; ///< allows everything
    explicit HostGuard(const QHostAddress &bound);

    bool active() const { return m_active; }
    bool allows(const QByteArray &hostHeader) const;
    /// What a refused request is told (403).
    QString refusal(const QByteArray &hostHeader) const;

private:
    bool m_active = false;
};

} // namespace wps::emulator
