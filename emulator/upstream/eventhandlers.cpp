#include "emulator/upstream/eventhandlers.h"

#include "protocol/glob.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator::upstream {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::emulator::upstream", text);
}

bool matchesOne(QStringView pattern, const QString &eventName)
{
    // `\` is an ordinary character in event patterns; names compare case-insensitively. Linear time.
    return glob::matches(pattern, eventName, glob::Syntax{false, Qt::CaseInsensitive});
}

} // namespace

bool matchesUserEventPattern(const QString &pattern, const QString &eventName)
{
    const QString trimmed = pattern.trimmed();
    if (trimmed == u"*"_s)
        return true;
    for (QStringView part : QStringView(trimmed).split(u',')) {
        part = part.trimmed();
        if (!part.isEmpty() && matchesOne(part, eventName))
            return true;
    }
    return false;
}

std::optional<EventHandlerSettings> resolveHandler(const HubSettings &hub, cloudevents::EventKind kind,
                                                   const QString &userEventName)
{
    const QString name = cloudevents::eventName(kind, userEventName);
    for (const EventHandlerSettings &handler : hub.eventHandlers) {
        const bool matches = kind == cloudevents::EventKind::User
                                 ? matchesUserEventPattern(handler.userEventPattern, name)
                                 : handler.systemEvents.contains(name, Qt::CaseInsensitive);
        if (matches)
            return handler;
    }
    return std::nullopt;
}

std::optional<EventHandlerSettings> resolvePresenceHandler(const HubSettings &hub,
                                                           cloudevents::EventKind kind, const QString &group)
{
    if (kind != cloudevents::EventKind::GroupJoined && kind != cloudevents::EventKind::GroupLeft)
        return std::nullopt;
    const QString name = cloudevents::eventName(kind);
    for (const EventHandlerSettings &handler : hub.eventHandlers) {
        const auto &presence = handler.groupPresenceEvents;
        if (!presence || !presence->eventNames.contains(name))
            continue;
        if (presence->groupFilters.isEmpty())
            return handler;
        for (const QString &filter : presence->groupFilters) {
            if (glob::matches(filter, group))
                return handler;
        }
    }
    return std::nullopt;
}

QString checkUrlTemplate(const QString &urlTemplate)
{
    // Where the authority ends: after "scheme://", at the first '/', '?' or '#'. A placeholder before that
    // point (scheme, user info, host, port) would let an event name choose where the event is sent.
    const qsizetype schemeEnd = urlTemplate.indexOf(u"://"_s);
    qsizetype authorityEnd = urlTemplate.size();
    if (schemeEnd >= 0) {
        for (qsizetype i = schemeEnd + 3; i < urlTemplate.size(); ++i) {
            const QChar c = urlTemplate.at(i);
            if (c == u'/' || c == u'?' || c == u'#') {
                authorityEnd = i;
                break;
            }
        }
    }
    const qsizetype fragment = urlTemplate.indexOf(u'#', authorityEnd);
    for (const QString &placeholder : {u"{hub}"_s, u"{event}"_s}) {
        for (qsizetype at = urlTemplate.indexOf(placeholder, 0, Qt::CaseInsensitive); at >= 0;
             at = urlTemplate.indexOf(placeholder, at + 1, Qt::CaseInsensitive)) {
            if (at < authorityEnd)
                return tr("%1 may appear only in the path or query of the URL, not in its scheme, user info, "
                          "host or port.")
                    .arg(placeholder);
            if (fragment >= 0 && at > fragment)
                return tr("%1 may appear only in the path or query of the URL, not in its fragment.")
                    .arg(placeholder);
        }
    }
    QString probe = urlTemplate;
    probe.replace(u"{hub}"_s, u"hub"_s, Qt::CaseInsensitive)
        .replace(u"{event}"_s, u"event"_s, Qt::CaseInsensitive);
    const QUrl parsed(probe, QUrl::StrictMode);
    const QString scheme = parsed.scheme().toLower();
    if (!parsed.isValid() || parsed.host().isEmpty() || (scheme != u"http"_s && scheme != u"https"_s))
        return tr("It must be an absolute http or https URL.");
    return {};
}

QUrl expandUrlTemplate(const QString &urlTemplate, const QString &hub, const QString &event)
{
    // "." and ".." would be dot segments that move the request to another path, and QUrl decodes "%2E"
    // back to "." (it is an unreserved character): such names cannot be placed in a URL at all.
    if (event == u"."_s || event == u".."_s || hub == u"."_s || hub == u".."_s)
        return {};
    if (!checkUrlTemplate(urlTemplate).isEmpty())
        return {};
    // Each value is percent-encoded as one path segment: '/', '?', '#', '%' and the like cannot change the
    // URL's structure, in the path or in the query.
    QString text = urlTemplate;
    text.replace(u"{hub}"_s, QString::fromLatin1(QUrl::toPercentEncoding(hub)), Qt::CaseInsensitive);
    text.replace(u"{event}"_s, QString::fromLatin1(QUrl::toPercentEncoding(event)), Qt::CaseInsensitive);
    QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != u"http"_s && scheme != u"https"_s))
        return {};
    return url;
}

QString redactedUrl(const QUrl &url)
{
    QString text = url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment).toString();
    if (url.hasQuery())
        text += u"?…"_s;
    return text;
}

} // namespace wps::emulator::upstream
