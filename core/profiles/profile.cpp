#include "profiles/profile.h"

#include "protocol/names.h"

#include <QCoreApplication>
#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace wps::profiles {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::profiles::Profile", text);
}

constexpr qsizetype kMaxNameLength = 200;
constexpr qsizetype kMaxHubs = 100;
const QString kFormat = u"webpubsub-console-profile"_s;

bool hasControlCharacters(QStringView text)
{
    for (QChar c : text) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format ||
            c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
            return true;
    }
    return false;
}

/// Entra tenant and client ids are GUIDs or domain names: a short, plain token.
bool plausibleId(const QString &id)
{
    if (id.size() > 256)
        return false;
    for (QChar c : id) {
        const bool ok = c.isLetterOrNumber() || c == u'-' || c == u'.' || c == u'_';
        if (!ok || c.unicode() > 0x7f)
            return false;
    }
    return true;
}

} // namespace

QString authKindName(AuthKind kind)
{
    switch (kind) {
    case AuthKind::AccessKey:
        return u"AccessKey"_s;
    case AuthKind::ConnectionString:
        return u"ConnectionString"_s;
    case AuthKind::EntraId:
        return u"EntraId"_s;
    case AuthKind::LocalEmulator:
        return u"LocalEmulator"_s;
    }
    return u"AccessKey"_s;
}

std::optional<AuthKind> authKindFromName(QStringView name)
{
    for (AuthKind kind :
         {AuthKind::AccessKey, AuthKind::ConnectionString, AuthKind::EntraId, AuthKind::LocalEmulator}) {
        if (name == authKindName(kind))
            return kind;
    }
    return std::nullopt;
}

QString Profile::localEmulatorId()
{
    return u"local-emulator"_s;
}

Profile Profile::localEmulator()
{
    Profile p;
    p.id = localEmulatorId();
    p.name = tr("Local emulator");
    p.endpoint = QUrl(u"http://127.0.0.1:8080"_s);
    p.auth = AuthKind::LocalEmulator;
    return p;
}

QString Profile::validate() const
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return tr("The profile needs a name.");
    if (name.size() > kMaxNameLength)
        return tr("The profile name is longer than %1 characters.").arg(kMaxNameLength);
    if (hasControlCharacters(name))
        return tr("The profile name contains control characters.");
    if (!endpoint.isValid() || endpoint.host().isEmpty() ||
        (endpoint.scheme() != u"http" && endpoint.scheme() != u"https"))
        return tr("The endpoint must be an http:// or https:// address.");
    if (!endpoint.userInfo().isEmpty() || endpoint.hasQuery() || endpoint.hasFragment())
        return tr("The endpoint must not contain user information, a query or a fragment.");
    if (hubs.size() > kMaxHubs)
        return tr("A profile remembers at most %1 hubs.").arg(kMaxHubs);
    for (const QString &hub : hubs) {
        const QString problem = names::checkHub(hub);
        if (!problem.isEmpty())
            return problem;
    }
    if (!plausibleId(tenantId))
        return tr("The tenant id is not a GUID or domain name.");
    if (!plausibleId(clientId))
        return tr("The client id is not a GUID.");
    return {};
}

QJsonObject Profile::toJson() const
{
    QJsonObject json;
    json.insert(u"format"_s, kFormat);
    json.insert(u"version"_s, 1);
    json.insert(u"name"_s, name);
    json.insert(u"endpoint"_s, endpoint.toString());
    json.insert(u"hubs"_s, QJsonArray::fromStringList(hubs));
    json.insert(u"auth"_s, authKindName(auth));
    if (!tenantId.isEmpty())
        json.insert(u"tenantId"_s, tenantId);
    if (!clientId.isEmpty())
        json.insert(u"clientId"_s, clientId);
    return json;
}

Expected<Profile, QString> Profile::fromJson(const QJsonObject &json)
{
    using R = Expected<Profile, QString>;
    if (json.value(u"format"_s).toString() != kFormat)
        return R::failure(tr("This is not an exported Web PubSub console profile."));
    if (json.value(u"version"_s).toInt() != 1)
        return R::failure(tr("This profile was exported by a newer version (format version %1).")
                              .arg(json.value(u"version"_s).toInt()));
    Profile p;
    p.name = json.value(u"name"_s).toString();
    p.endpoint = QUrl(json.value(u"endpoint"_s).toString(), QUrl::StrictMode);
    const QJsonValue hubs = json.value(u"hubs"_s);
    if (!hubs.isUndefined() && !hubs.isArray())
        return R::failure(tr("'hubs' must be a list of hub names."));
    for (const QJsonValue &hub : hubs.toArray()) {
        if (!hub.isString())
            return R::failure(tr("'hubs' must be a list of hub names."));
        p.hubs.append(hub.toString());
    }
    const auto auth = authKindFromName(json.value(u"auth"_s).toString());
    if (!auth)
        return R::failure(tr("'auth' must be AccessKey, ConnectionString, EntraId or LocalEmulator."));
    p.auth = *auth;
    p.tenantId = json.value(u"tenantId"_s).toString();
    p.clientId = json.value(u"clientId"_s).toString();
    const QString problem = p.validate();
    if (!problem.isEmpty())
        return R::failure(problem);
    return p;
}

} // namespace wps::profiles
