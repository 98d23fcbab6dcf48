#include "emulator/upstream/eventhandlers.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator::upstream {

namespace {

bool matchesOne(QStringView pattern, const QString &eventName)
{
    if (!pattern.contains(u'*') && !pattern.contains(u'?'))
        return pattern.compare(eventName, Qt::CaseInsensitive) == 0;
    QString regex = u"^"_s;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern[i];
        if (c == u'*' && i + 1 < pattern.size() && pattern[i + 1] == u'*') {
            regex += u".*"_s;
            ++i;
        } else if (c == u'*') {
            regex += u"[^.]*"_s;
        } else if (c == u'?') {
            regex += u"[^.]"_s;
        } else {
            regex += QRegularExpression::escape(QString(c));
        }
    }
    regex += u"$"_s;
    const QRegularExpression re(regex, QRegularExpression::CaseInsensitiveOption);
    return re.match(eventName).hasMatch();
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

QUrl expandUrlTemplate(const QString &urlTemplate, const QString &hub, const QString &event)
{
    QString text = urlTemplate;
    text.replace(u"{hub}"_s, hub, Qt::CaseInsensitive);
    text.replace(u"{event}"_s, event, Qt::CaseInsensitive);
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
