#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>

namespace wps::emulator {

/// The DNS-rebinding guard of an emulator bound to a loopback address. A web page from another site can make
/// a browser resolve its own host name to 127.0.0.1 and then reach the emulator as that name; the browser
/// still sends the page's host name in `Host`. So, on the demo routes and the client WebSocket endpoint, a
/// loopback-bound emulator answers only requests whose `Host` is one of its own loopback names with its
/// port: `127.0.0.1:<port>`, `localhost:<port>` or `[::1]:<port>` (case-insensitive; the port may be left
/// out only when it is 80). An emulator bound to any other address allows every host (it is meant to be
/// reached by other names).
class HostGuard
{
public:
    HostGuard() = default; ///< allows everything
    HostGuard(const QHostAddress &bound, quint16 port);

    bool active() const { return !m_allowed.isEmpty(); }
    bool allows(const QByteArray &hostHeader) const;
    /// What a refused request is told (403).
    QString refusal(const QByteArray &hostHeader) const;

private:
    QList<QByteArray> m_allowed; ///< lower-case host[:port] values
    quint16 m_port = 0;
};

} // namespace wps::emulator
