#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace wps::tokencheck {

/// A role of a client token that grants nothing, and why (with the form that was probably meant).
struct RoleProblem
{
    QString role;
    QString reason;
};

/// The roles of \a roles that grant nothing to a Web PubSub client: not a Web PubSub role, an unknown
/// permission, a literal group role whose group looks like a wildcard (`webpubsub.sendToGroup.room*` only
/// covers the group literally named `room*`: the wildcard form is `webpubsub.sendToGroups.<pattern>`), an
/// empty group or pattern, or a pattern with more than five `*`. The permission part is matched without
/// regard to case, as the service does; the group part is case-sensitive.
QList<RoleProblem> checkRoles(const QStringList &roles);

/// The hub a client audience names (`<endpoint>/client/hubs/<hub>`, also `/clients/mqtt/hubs/` and
/// `/clients/socketio/hubs/`), or empty when the audience names no hub.
QString audienceHub(const QString &audience);

/// Whether a client token with \a audiences is accepted for \a clientUrl (`ws(s)://host/client/hubs/<hub>`):
/// `ok`, or a message saying what the service will answer ("the service will answer 401: this token is for
/// hub other, not chat").
struct AudienceVerdict
{
    bool ok = false;
    QString message;
};
AudienceVerdict checkClientAudience(const QStringList &audiences, const QUrl &clientUrl);

/// The client URL a token for \a hub on \a endpoint (http(s)://host[:port]) is used with.
QUrl clientUrlFor(const QUrl &endpoint, const QString &hub);

} // namespace wps::tokencheck
