#include "panels/messaging/payloadlibrary.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSettings>

#include <algorithm>
#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

namespace {
const QString kFormat = u"webpubsub-console-payloads"_s;
const QString kSettingsKey = u"messaging/payloads"_s;
const QStringList kTargets = {u"all"_s, u"user"_s, u"group"_s, u"connection"_s};
const QStringList kContents = {u"text"_s, u"json"_s, u"binary"_s};

std::unique_ptr<QSettings> openSettings(const QString &path)
{
    if (path.isEmpty())
        return std::make_unique<QSettings>();
    return std::make_unique<QSettings>(path, QSettings::IniFormat);
}
} // namespace

QJsonObject SavedPayload::toJson() const
{
    QJsonObject json{{u"name"_s, name},         {u"target"_s, target},
                     {u"targetId"_s, targetId}, {u"content"_s, content},
                     {u"body"_s, body},         {u"excluded"_s, QJsonArray::fromStringList(excluded)},
                     {u"filter"_s, filter}};
    if (ttlSeconds >= 0)
        json.insert(u"messageTtlSeconds"_s, ttlSeconds);
    return json;
}

Expected<SavedPayload, QString> SavedPayload::fromJson(const QJsonObject &json)
{
    using Result = Expected<SavedPayload, QString>;
    SavedPayload p;
    auto text = [&json](const QString &key, QString *out, bool required) -> QString {
        const QJsonValue value = json.value(key);
        if (value.isUndefined() && !required)
            return {};
        if (!value.isString())
            return QObject::tr("“%1” must be a string").arg(key);
        *out = value.toString();
        return {};
    };
    for (const auto &[key, out, required] :
         {std::tuple{u"name"_s, &p.name, true}, std::tuple{u"target"_s, &p.target, true},
          std::tuple{u"targetId"_s, &p.targetId, false}, std::tuple{u"content"_s, &p.content, true},
          std::tuple{u"body"_s, &p.body, false}, std::tuple{u"filter"_s, &p.filter, false}}) {
        if (const QString error = text(key, out, required); !error.isEmpty())
            return Result::failure(error);
    }
    if (p.name.trimmed().isEmpty())
        return Result::failure(QObject::tr("“name” is empty"));
    if (!kTargets.contains(p.target))
        return Result::failure(QObject::tr("“target” must be one of %1").arg(kTargets.join(u", "_s)));
    if (!kContents.contains(p.content))
        return Result::failure(QObject::tr("“content” must be one of %1").arg(kContents.join(u", "_s)));
    const QJsonValue excluded = json.value(u"excluded"_s);
    if (!excluded.isUndefined()) {
        if (!excluded.isArray())
            return Result::failure(QObject::tr("“excluded” must be an array of connection ids"));
        for (const QJsonValue &id : excluded.toArray()) {
            if (!id.isString())
                return Result::failure(QObject::tr("“excluded” must be an array of connection ids"));
            p.excluded << id.toString();
        }
    }
    const QJsonValue ttl = json.value(u"messageTtlSeconds"_s);
    if (!ttl.isUndefined()) {
        if (!ttl.isDouble() || ttl.toDouble() != double(ttl.toInt()) || ttl.toInt() < 0 || ttl.toInt() > 300)
            return Result::failure(QObject::tr("“messageTtlSeconds” must be a whole number from 0 to 300"));
        p.ttlSeconds = ttl.toInt();
    }
    return p;
}

PayloadLibrary::PayloadLibrary(QString settingsPath, QObject *parent)
    : QAbstractListModel(parent)
    , m_settingsPath(std::move(settingsPath))
{
    load();
}

int PayloadLibrary::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_payloads.size());
}

QVariant PayloadLibrary::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SavedPayload &p = m_payloads.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return p.name;
    case Qt::ToolTipRole:
        return tr("%1 %2 · %3 · %n character(s)", nullptr, int(p.body.size()))
            .arg(p.target, p.targetId, p.content);
    default:
        return {};
    }
}

int PayloadLibrary::indexOf(const QString &name) const
{
    for (int i = 0; i < m_payloads.size(); ++i) {
        if (m_payloads.at(i).name == name)
            return i;
    }
    return -1;
}

QString PayloadLibrary::save(const SavedPayload &payload)
{
    if (payload.name.trimmed().isEmpty())
        return tr("Give the payload a name.");
    if (payload.body.size() > maxBodyChars)
        return tr("The body is too large to keep in the library.");
    const int existing = indexOf(payload.name);
    if (existing >= 0) {
        m_payloads[existing] = payload;
        Q_EMIT dataChanged(index(existing), index(existing));
        persist();
        return {};
    }
    if (m_payloads.size() >= maxPayloads)
        return tr("The library holds at most %1 payloads; delete some first.").arg(maxPayloads);
    const auto at = std::lower_bound(
        m_payloads.cbegin(), m_payloads.cend(), payload.name,
        [](const SavedPayload &p, const QString &name) { return p.name.localeAwareCompare(name) < 0; });
    const int row = int(at - m_payloads.cbegin());
    beginInsertRows({}, row, row);
    m_payloads.insert(row, payload);
    endInsertRows();
    persist();
    return {};
}

void PayloadLibrary::remove(int row)
{
    if (row < 0 || row >= m_payloads.size())
        return;
    beginRemoveRows({}, row, row);
    m_payloads.removeAt(row);
    endRemoveRows();
    persist();
}

QByteArray PayloadLibrary::exportJson() const
{
    QJsonArray payloads;
    for (const SavedPayload &p : m_payloads)
        payloads.append(p.toJson());
    const QJsonObject root{{u"format"_s, kFormat}, {u"version"_s, 1}, {u"payloads"_s, payloads}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Expected<int, QString> PayloadLibrary::importJson(const QByteArray &json)
{
    using Result = Expected<int, QString>;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return Result::failure(tr("Not JSON: %1 at byte %2.").arg(error.errorString()).arg(error.offset));
    const QJsonObject root = document.object();
    if (root.value(u"format"_s).toString() != kFormat)
        return Result::failure(tr("Not a payload library (format is not “%1”).").arg(kFormat));
    if (root.value(u"version"_s).toInt() != 1)
        return Result::failure(tr("Unsupported payload library version."));
    const QJsonArray array = root.value(u"payloads"_s).toArray();
    QList<SavedPayload> incoming;
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto payload = SavedPayload::fromJson(array.at(i).toObject());
        if (!payload)
            return Result::failure(tr("Payload %1: %2.").arg(i + 1).arg(payload.error()));
        if (payload->body.size() > maxBodyChars)
            return Result::failure(tr("Payload %1: the body is too large.").arg(i + 1));
        incoming << *payload;
    }
    int newNames = 0;
    for (const SavedPayload &p : incoming)
        newNames += indexOf(p.name) < 0 ? 1 : 0;
    if (m_payloads.size() + newNames > maxPayloads)
        return Result::failure(tr("The library would hold more than %1 payloads.").arg(maxPayloads));
    for (const SavedPayload &p : incoming)
        save(p);
    return int(incoming.size());
}

void PayloadLibrary::load()
{
    const auto settings = openSettings(m_settingsPath);
    const QByteArray stored = settings->value(kSettingsKey).toByteArray();
    if (stored.isEmpty())
        return;
    // A damaged entry is skipped, never fatal: the rest of the library stays usable.
    const QJsonArray array = QJsonDocument::fromJson(stored).array();
    for (const QJsonValue &value : array) {
        if (auto payload = SavedPayload::fromJson(value.toObject()); payload && indexOf(payload->name) < 0)
            m_payloads << *payload;
    }
    std::sort(m_payloads.begin(), m_payloads.end(), [](const SavedPayload &a, const SavedPayload &b) {
        return a.name.localeAwareCompare(b.name) < 0;
    });
}

void PayloadLibrary::persist() const
{
    QJsonArray array;
    for (const SavedPayload &p : m_payloads)
        array.append(p.toJson());
    const auto settings = openSettings(m_settingsPath);
    settings->setValue(kSettingsKey, QJsonDocument(array).toJson(QJsonDocument::Compact));
}

} // namespace wps::ui
