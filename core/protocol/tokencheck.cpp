#include "protocol/tokencheck.h"

#include "protocol/jwt.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace wps::tokencheck {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::tokencheck", text);
}

bool hasWildcard(QStringView group)
{
    for (qsizetype i = 0; i < group.size(); ++i) {
        if (group.at(i) == u'\\') {
            ++i; // an escaped character is literal
            continue;
        }
        if (group.at(i) == u'*' || group.at(i) == u'?')
            return true;
    }
    return false;
}

int starCount(QStringView pattern)
{
    int stars = 0;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        if (pattern.at(i) == u'\\')
            ++i;
        else if (pattern.at(i) == u'*')
            ++stars;
    }
    return stars;
}

const QString kPrefix = u"webpubsub."_s;

} // namespace

QList<RoleProblem> checkRoles(const QStringList &roles)
{
    QList<RoleProblem> problems;
    const QStringList permissions = {u"joinLeaveGroup"_s, u"sendToGroup"_s};
    for (const QString &role : roles) {
        if (!role.startsWith(kPrefix, Qt::CaseInsensitive)) {
            problems.append(
                {role, tr("not a Web PubSub role (roles start with webpubsub.): it grants nothing")});
            continue;
        }
        const QString rest = role.mid(kPrefix.size());
        bool known = false;
        for (const QString &permission : permissions) {
            if (rest.compare(permission, Qt::CaseInsensitive) == 0) {
                known = true; // every group
                break;
            }
            const QString literal = permission + u'.';
            const QString pattern = permission + u"s."_s;
            if (rest.startsWith(pattern, Qt::CaseInsensitive)) {
                known = true;
                const QString value = rest.mid(pattern.size());
                if (value.isEmpty())
                    problems.append({role, tr("the group pattern is empty: it grants nothing")});
                else if (starCount(value) > 5)
                    problems.append(
                        {role, tr("a group pattern may hold at most five '*': the service refuses it")});
                break;
            }
            if (rest.startsWith(literal, Qt::CaseInsensitive)) {
                known = true;
                const QString group = rest.mid(literal.size());
                if (group.isEmpty()) {
                    problems.append({role, tr("the group is empty: it grants nothing")});
                } else if (hasWildcard(group)) {
                    problems.append(
                        {role,
                         tr("a literal group role: it covers only the group named \"%1\", '*' and '?' are "
                            "not wildcards here. For a pattern use %2")
                             .arg(group, kPrefix + permission + u"s."_s + group)});
                }
                break;
            }
            if (rest.compare(permission + u's', Qt::CaseInsensitive) == 0) {
                known = true;
                problems.append({role, tr("no group pattern after %1: it grants nothing (%1.<pattern>)")
                                           .arg(kPrefix + permission + u's')});
                break;
            }
        }
        if (!known) {
            problems.append(
                {role, tr("not a role the service knows (webpubsub.joinLeaveGroup, "
                          "webpubsub.sendToGroup, with .<group> or s.<pattern>): it grants nothing")});
        }
    }
    return problems;
}

QString audienceHub(const QString &audience)
{
    const QString path = QUrl(audience).path();
    for (const QString &prefix :
         {u"/client/hubs/"_s, u"/clients/mqtt/hubs/"_s, u"/clients/socketio/hubs/"_s}) {
        const qsizetype at = path.indexOf(prefix);
        if (at < 0)
            continue;
        QString hub = path.mid(at + prefix.size());
        if (const qsizetype slash = hub.indexOf(u'/'); slash >= 0)
            hub.truncate(slash);
        return QUrl::fromPercentEncoding(hub.toUtf8());
    }
    return {};
}

QUrl clientUrlFor(const QUrl &endpoint, const QString &hub)
{
    QUrl url = endpoint;
    url.setScheme(endpoint.scheme() == u"http"_s ? u"ws"_s : u"wss"_s);
    url.setPath(u"/client/hubs/"_s + hub);
    url.setQuery(QString());
    return url;
}

AudienceVerdict checkClientAudience(const QStringList &audiences, const QUrl &clientUrl)
{
    AudienceVerdict verdict;
    const QString wantedHub = audienceHub(clientUrl.toString());
    if (audiences.isEmpty()) {
        verdict.message = tr("The token has no audience (aud): the service will answer 401.");
        return verdict;
    }
    for (const QString &audience : audiences) {
        if (jwt::audienceMatches(audience, clientUrl, false)) {
            verdict.ok = true;
            verdict.message = tr("The audience matches %1.").arg(clientUrl.toString(QUrl::RemoveQuery));
            return verdict;
        }
    }
    const QString audience = audiences.constFirst();
    const QString tokenHub = audienceHub(audience);
    const QUrl audienceUrl(audience);
    if (!tokenHub.isEmpty() && tokenHub != wantedHub &&
        audienceUrl.host().compare(clientUrl.host(), Qt::CaseInsensitive) == 0 &&
        audienceUrl.port() == clientUrl.port()) {
        verdict.message =
            tr("The service will answer 401: this token is for hub %1, not %2.").arg(tokenHub, wantedHub);
    } else if (audienceUrl.host().compare(clientUrl.host(), Qt::CaseInsensitive) != 0 ||
               audienceUrl.port() != clientUrl.port()) {
        verdict.message = tr("The service will answer 401: this token is for %1, not %2.")
                              .arg(audienceUrl.authority(), clientUrl.authority());
    } else {
        verdict.message = tr("The service will answer 401: the audience %1 does not match %2.")
                              .arg(audience, clientUrl.toString(QUrl::RemoveQuery));
    }
    return verdict;
}

} // namespace wps::tokencheck
