#include "emulator/hostguard.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator {

HostGuard::HostGuard(const QHostAddress &bound, quint16 port)
{
    m_port = port;
    if (!bound.isLoopback())
        return;
    const QByteArray suffix = ':' + QByteArray::number(port);
    for (const QByteArray &name : {"127.0.0.1"_ba, "localhost"_ba, "[::1]"_ba}) {
        m_allowed << name + suffix;
        if (port == 80)
            m_allowed << name;
    }
}

bool HostGuard::allows(const QByteArray &hostHeader) const
{
    if (m_allowed.isEmpty())
        return true;
    return m_allowed.contains(hostHeader.trimmed().toLower());
}

QString HostGuard::refusal(const QByteArray &hostHeader) const
{
    QString shown = QString::fromLatin1(hostHeader.trimmed().left(100));
    for (QChar &c : shown)
        if (c.unicode() < 0x20 || c.unicode() > 0x7E)
            c = u'?';
    return u"Host '%1' is not allowed: this emulator listens on a loopback address and answers only "
           "127.0.0.1:%2, localhost:%2 or [::1]:%2 (a guard against DNS rebinding)."_s.arg(shown)
               .arg(m_port);
}

} // namespace wps::emulator
