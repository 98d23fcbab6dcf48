#include "emulator/config.h"

#include "emulator/upstream/eventhandlers.h"
#include "protocol/glob.h"
#include "protocol/names.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator {

namespace {

using Result = Expected<EmulatorConfig, QString>;

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::emulator::EmulatorConfig", text);
}

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"a boolean"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"undefined"_s;
}

QString wrongType(const QString &path, const char *expected, const QJsonValue &value)
{
    return tr("%1 must be %2, not %3.").arg(path, QString::fromLatin1(expected), typeName(value));
}

QString unknownField(const QString &path, const QString &key, const QStringList &known)
{
    return tr("Unknown field %1 (expected one of: %2).")
        .arg(path.isEmpty() ? key : path + u'.' + key, known.join(u", "_s));
}

QString parseHandler(const QJsonValue &value, const QString &path, EventHandlerSettings *handler)
{
    if (!value.isObject())
        return wrongType(path, "an object", value);
    const QJsonObject object = value.toObject();
    static const QStringList known{u"urlTemplate"_s, u"userEventPattern"_s, u"systemEvents"_s,
                                   u"groupPresenceEvents"_s};
    for (auto it = object.begin(); it != object.end(); ++it)
        if (!known.contains(it.key()))
            return unknownField(path, it.key(), known);

    const QJsonValue url = object.value(u"urlTemplate"_s);
    if (url.isUndefined())
        return tr("%1.urlTemplate is required.").arg(path);
    if (!url.isString())
        return wrongType(path + u".urlTemplate"_s, "a string", url);
    handler->urlTemplate = url.toString();
    // Placeholders only in the path or query: an event name must never choose the host (or the port, the
    // scheme or the credentials) an event is sent to.
    if (const QString why = upstream::checkUrlTemplate(handler->urlTemplate); !why.isEmpty())
        return tr("%1.urlTemplate must be an absolute http or https URL with {event} and {hub} only in its "
                  "path or query (the template is not shown: its query may hold a secret). %2")
            .arg(path, why);

    const QJsonValue pattern = object.value(u"userEventPattern"_s);
    if (!pattern.isUndefined()) {
        if (!pattern.isString())
            return wrongType(path + u".userEventPattern"_s, "a string", pattern);
        handler->userEventPattern = pattern.toString();
    }

    const QJsonValue events = object.value(u"systemEvents"_s);
    if (!events.isUndefined()) {
        if (!events.isArray())
            return wrongType(path + u".systemEvents"_s, "an array", events);
        const QJsonArray array = events.toArray();
        static const QStringList allowed{u"connect"_s, u"connected"_s, u"disconnected"_s};
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString itemPath = path + u".systemEvents["_s + QString::number(i) + u']';
            if (!array.at(i).isString())
                return wrongType(itemPath, "a string", array.at(i));
            const QString name = array.at(i).toString();
            if (!allowed.contains(name))
                return tr("%1 must be one of connect, connected, disconnected, not '%2'.")
                    .arg(itemPath, name);
            handler->systemEvents << name;
        }
    }

    const QJsonValue presence = object.value(u"groupPresenceEvents"_s);
    if (!presence.isUndefined() && !presence.isNull()) {
        GroupPresenceSettings settings;
        if (const QString error = parseGroupPresence(presence, path + u".groupPresenceEvents"_s, &settings);
            !error.isEmpty())
            return error;
        handler->groupPresenceEvents = settings;
    }
    return {};
}

QString parseHub(const QJsonValue &value, const QString &path, HubSettings *hub)
{
    if (!value.isObject())
        return wrongType(path, "an object", value);
    const QJsonObject object = value.toObject();
    static const QStringList known{u"anonymousConnect"_s, u"eventHandlers"_s,
                                   u"webSocketKeepAliveIntervalInSeconds"_s};
    for (auto it = object.begin(); it != object.end(); ++it)
        if (!known.contains(it.key()))
            return unknownField(path, it.key(), known);

    const QJsonValue anonymous = object.value(u"anonymousConnect"_s);
    if (!anonymous.isUndefined()) {
        if (!anonymous.isBool())
            return wrongType(path + u".anonymousConnect"_s, "a boolean", anonymous);
        hub->anonymousConnect = anonymous.toBool();
    }
    const QJsonValue keepAlive = object.value(u"webSocketKeepAliveIntervalInSeconds"_s);
    if (!keepAlive.isUndefined()) {
        const double seconds = keepAlive.toDouble(-1);
        if (!keepAlive.isDouble() || !(seconds >= 1 && seconds <= 120) || seconds != std::floor(seconds))
            return tr("%1.webSocketKeepAliveIntervalInSeconds must be an integer from 1 to 120.").arg(path);
        hub->keepAliveSeconds = static_cast<int>(seconds);
    }
    const QJsonValue handlers = object.value(u"eventHandlers"_s);
    if (!handlers.isUndefined()) {
        if (!handlers.isArray())
            return wrongType(path + u".eventHandlers"_s, "an array", handlers);
        const QJsonArray array = handlers.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            EventHandlerSettings handler;
            const QString error =
                parseHandler(array.at(i), path + u".eventHandlers["_s + QString::number(i) + u']', &handler);
            if (!error.isEmpty())
                return error;
            hub->eventHandlers << handler;
        }
    }
    return {};
}

QString parseEntraId(const QJsonValue &value, std::optional<EntraIdSettings> *out)
{
    const QString path = u"entraId"_s;
    if (!value.isObject())
        return wrongType(path, "an object", value);
    const QJsonObject object = value.toObject();
    static const QStringList known{u"issuer"_s, u"audience"_s, u"jwks"_s, u"roleAssignments"_s};
    for (auto it = object.begin(); it != object.end(); ++it)
        if (!known.contains(it.key()))
            return unknownField(path, it.key(), known);
    EntraIdSettings settings;
    const QJsonValue issuer = object.value(u"issuer"_s);
    if (issuer.isString() && !issuer.toString().isEmpty()) {
        settings.issuers << issuer.toString();
    } else if (issuer.isArray()) {
        const QJsonArray array = issuer.toArray();
        for (const QJsonValue &item : array) {
            if (!item.isString() || item.toString().isEmpty())
                return tr("entraId.issuer must hold non-empty strings.");
            settings.issuers << item.toString();
        }
    }
    if (settings.issuers.isEmpty())
        return tr("entraId.issuer is required: a string or an array of strings.");
    const QJsonValue audience = object.value(u"audience"_s);
    if (!audience.isUndefined()) {
        if (!audience.isString() || audience.toString().isEmpty())
            return wrongType(u"entraId.audience"_s, "a non-empty string", audience);
        settings.audience = audience.toString();
    }
    const QJsonValue jwks = object.value(u"jwks"_s);
    if (!jwks.isObject())
        return wrongType(u"entraId.jwks"_s, "an object", jwks);
    settings.jwks = jwks.toObject();
    const QJsonValue assignments = object.value(u"roleAssignments"_s);
    if (!assignments.isUndefined()) {
        if (!assignments.isArray())
            return wrongType(u"entraId.roleAssignments"_s, "an array", assignments);
        const QJsonArray array = assignments.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString at = u"entraId.roleAssignments[%1]"_s.arg(i);
            if (!array.at(i).isObject())
                return wrongType(at, "an object", array.at(i));
            const QJsonObject item = array.at(i).toObject();
            static const QStringList itemKeys{u"principalId"_s, u"role"_s};
            for (auto it = item.begin(); it != item.end(); ++it)
                if (!itemKeys.contains(it.key()))
                    return unknownField(at, it.key(), itemKeys);
            const QJsonValue principal = item.value(u"principalId"_s);
            if (!principal.isString() || principal.toString().trimmed().isEmpty())
                return wrongType(at + u".principalId"_s, "a non-empty string (an object id or app id)",
                                 principal);
            const QString role = item.value(u"role"_s).toString();
            EntraIdSettings::RoleAssignment assignment{principal.toString().trimmed(), {}};
            if (role.compare(kOwnerRole, Qt::CaseInsensitive) == 0)
                assignment.role = kOwnerRole.toString();
            else if (role.compare(kReaderRole, Qt::CaseInsensitive) == 0)
                assignment.role = kReaderRole.toString();
            else
                return tr("%1.role must be \"Web PubSub Service Owner\" or \"Web PubSub Service Reader\".")
                    .arg(at);
            settings.roleAssignments << assignment;
        }
    }
    if (const auto validator = EntraValidator::create(settings); !validator)
        return validator.error();
    *out = settings;
    return {};
}

} // namespace

QString parseGroupPresence(const QJsonValue &value, const QString &path, GroupPresenceSettings *out)
{
    if (!value.isObject())
        return wrongType(path, "an object", value);
    const QJsonObject object = value.toObject();
    static const QStringList known{u"eventNames"_s, u"groupFilters"_s};
    for (auto it = object.begin(); it != object.end(); ++it)
        if (!known.contains(it.key()))
            return unknownField(path, it.key(), known);
    GroupPresenceSettings settings;
    const QJsonValue names = object.value(u"eventNames"_s);
    if (!names.isUndefined() && !names.isNull()) {
        if (!names.isArray())
            return wrongType(path + u".eventNames"_s, "an array", names);
        const QJsonArray array = names.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString itemPath = path + u".eventNames["_s + QString::number(i) + u']';
            if (!array.at(i).isString())
                return wrongType(itemPath, "a string", array.at(i));
            const QString name = array.at(i).toString().toLower();
            if (name != u"joined"_s && name != u"left"_s)
                return tr("%1 must be joined or left, not '%2'.").arg(itemPath, array.at(i).toString());
            if (!settings.eventNames.contains(name))
                settings.eventNames << name;
        }
    }
    const QJsonValue filters = object.value(u"groupFilters"_s);
    if (!filters.isUndefined() && !filters.isNull()) {
        if (!filters.isArray())
            return wrongType(path + u".groupFilters"_s, "an array", filters);
        const QJsonArray array = filters.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString itemPath = path + u".groupFilters["_s + QString::number(i) + u']';
            if (!array.at(i).isString() || array.at(i).toString().isEmpty())
                return wrongType(itemPath, "a non-empty string", array.at(i));
            const QString pattern = array.at(i).toString();
            bool valid = true;
            glob::matches(pattern, QString(), {}, &valid);
            if (!valid)
                return tr("%1 is not a valid group pattern: '\\' may only escape '\\', '*' or '?'.")
                    .arg(itemPath);
            settings.groupFilters << pattern;
        }
    }
    *out = settings;
    return {};
}

QJsonObject groupPresenceJson(const GroupPresenceSettings &settings)
{
    return {{u"eventNames"_s, QJsonArray::fromStringList(settings.eventNames)},
            {u"groupFilters"_s, QJsonArray::fromStringList(settings.groupFilters)}};
}

Expected<EmulatorConfig, QString> EmulatorConfig::fromJson(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Result::failure(tr("The configuration is not valid JSON: %1 at offset %2.")
                                   .arg(parseError.errorString())
                                   .arg(parseError.offset));
    if (!doc.isObject())
        return Result::failure(tr("The configuration must be a JSON object."));

    const QJsonObject root = doc.object();
    for (auto it = root.begin(); it != root.end(); ++it)
        if (it.key() != u"hubs" && it.key() != u"entraId")
            return Result::failure(unknownField({}, it.key(), {u"hubs"_s, u"entraId"_s}));

    EmulatorConfig config;
    if (root.contains(u"entraId"_s)) {
        if (const QString error = parseEntraId(root.value(u"entraId"_s), &config.entraId); !error.isEmpty())
            return Result::failure(error);
    }
    const QJsonValue hubs = root.value(u"hubs"_s);
    if (hubs.isUndefined())
        return config;
    if (!hubs.isObject())
        return Result::failure(wrongType(u"hubs"_s, "an object", hubs));
    const QJsonObject hubObject = hubs.toObject();
    for (auto it = hubObject.begin(); it != hubObject.end(); ++it) {
        const QString path = u"hubs."_s + it.key();
        const QString nameError = names::checkHub(it.key());
        if (!nameError.isEmpty())
            return Result::failure(tr("%1: %2").arg(path, nameError));
        HubSettings hub;
        const QString error = parseHub(it.value(), path, &hub);
        if (!error.isEmpty())
            return Result::failure(error);
        config.hubs.insert(it.key(), hub);
    }
    return config;
}

Expected<EmulatorConfig, QString> EmulatorConfig::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result::failure(
            tr("Cannot read the configuration file '%1': %2").arg(path, file.errorString()));
    auto config = fromJson(file.readAll());
    if (!config)
        return Result::failure(tr("%1: %2").arg(path, config.error()));
    return config;
}

QByteArray EmulatorConfig::toJson() const
{
    QJsonObject hubObject;
    for (auto it = hubs.cbegin(); it != hubs.cend(); ++it) {
        QJsonArray handlers;
        for (const EventHandlerSettings &handler : it->eventHandlers) {
            QJsonObject h{{u"urlTemplate"_s, handler.urlTemplate},
                          {u"systemEvents"_s, QJsonArray::fromStringList(handler.systemEvents)}};
            if (!handler.userEventPattern.isEmpty())
                h.insert(u"userEventPattern"_s, handler.userEventPattern);
            if (handler.groupPresenceEvents)
                h.insert(u"groupPresenceEvents"_s, groupPresenceJson(*handler.groupPresenceEvents));
            handlers.append(h);
        }
        QJsonObject hub{{u"anonymousConnect"_s, it->anonymousConnect}, {u"eventHandlers"_s, handlers}};
        if (it->keepAliveSeconds)
            hub.insert(u"webSocketKeepAliveIntervalInSeconds"_s, *it->keepAliveSeconds);
        hubObject.insert(it.key(), hub);
    }
    QJsonObject root{{u"hubs"_s, hubObject}};
    if (entraId) {
        root.insert(u"entraId"_s,
                    QJsonObject{{u"issuer"_s, entraId->issuers.size() == 1
                                                  ? QJsonValue(entraId->issuers.constFirst())
                                                  : QJsonValue(QJsonArray::fromStringList(entraId->issuers))},
                                {u"audience"_s, entraId->audience},
                                {u"jwks"_s, entraId->jwks}});
        if (!entraId->roleAssignments.isEmpty()) {
            QJsonArray assignments;
            for (const EntraIdSettings::RoleAssignment &a : entraId->roleAssignments)
                assignments.append(QJsonObject{{u"principalId"_s, a.principalId}, {u"role"_s, a.role}});
            QJsonObject section = root.value(u"entraId"_s).toObject();
            section.insert(u"roleAssignments"_s, assignments);
            root.insert(u"entraId"_s, section);
        }
    }
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace wps::emulator
