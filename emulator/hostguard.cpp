#include "emulator/hostguard.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator {

HostGuard::HostGuard(const QHostAddress &bound)
    : m_active(bound.isLoopback())
{
}

bool HostGuard::allows(const QByteArray &hostHeader) const
{
    if (!m_active)
        return true;
    const QByteArray host = hostHeader.trimmed().toLower();
    // host[:port], the host a name or a bracketed IPv6 literal.
    qsizetype nameEnd = host.size();
    if (host.startsWith('[')) {
        nameEnd = host.indexOf(']') + 1;
        if (nameEnd == 0)
            return false;
    } else if (const qsizetype colon = host.lastIndexOf(':'); colon >= 0) {
        nameEnd = colon;
    }
    const QByteArray name = host.left(nameEnd);
    const QByteArray rest = host.mid(nameEnd);
    if (!rest.isEmpty()) {
        if (rest.size() < 2 || rest.size() > 6 || rest.at(0) != ':')
            return false;
        for (qsizetype i = 1; i < rest.size(); ++i)
            if (rest.at(i) < '0' || rest.at(i) > '9')
                return false;
    }
    return name == "127.0.0.1" || name == "localhost" || name == "[::1]";
}

QString HostGuard::refusal(const QByteArray &hostHeader) const
{
    QString shown = QString::fromLatin1(hostHeader.trimmed().left(100));
    for (QChar &c : shown)
        if (c.unicode() < 0x20 || c.unicode() > 0x7E)
            c = u'?';
    return u"Host '%1' is not allowed: this emulator listens on a loopback address and answers only the host "
           "names 127.0.0.1, localhost and [::1] (a guard against DNS rebinding)."_s.arg(shown);
}

} // namespace wps::emulator
