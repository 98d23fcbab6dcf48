#include "profiles/profilestore.h"

#include "protocol/connectionstring.h"
#include "secrets/secretindex.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QSettings>
#include <QUuid>

Q_LOGGING_CATEGORY(lcProfiles, "wps.core.profiles")

using namespace Qt::Literals::StringLiterals;

namespace wps::profiles {

using secrets::SecretKey;
using secrets::SecretKind;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::profiles::ProfileStore", text);
}

const QString kOrderKey = u"profiles/order"_s;

QString group(const QString &id)
{
    return u"profiles/"_s + id;
}

/// Ids are ours (UUIDs or "local-emulator"); anything else in a hand-edited file is skipped.
bool plausibleProfileId(const QString &id)
{
    if (id.isEmpty() || id.size() > 64)
        return false;
    for (QChar c : id) {
        if (!((c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-'))
            return false;
    }
    return true;
}

ProfileError invalid(const QString &message)
{
    return {ProfileErrorKind::Invalid, message, secrets::SecretErrorKind::Other};
}

ProfileError notFound()
{
    return {ProfileErrorKind::NotFound, tr("There is no such profile."), secrets::SecretErrorKind::Other};
}

ProfileError fromSecret(const secrets::SecretError &error)
{
    return {ProfileErrorKind::Secret, error.message, error.kind};
}

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace

ProfileStore::ProfileStore(const QString &settingsPath, secrets::SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(settingsPath, QSettings::IniFormat))
    , m_index(std::make_unique<secrets::SecretIndex>(m_settings.get()))
    , m_secrets(secrets)
{
    Q_ASSERT(m_secrets);
    m_settings->setValue(u"version"_s, 1);
}

ProfileStore::~ProfileStore()
{
    m_settings->sync();
}

QString ProfileStore::settingsPath() const
{
    return m_settings->fileName();
}

void ProfileStore::sync()
{
    m_settings->sync();
}

QStringList ProfileStore::order() const
{
    QStringList ids;
    for (const QString &id : m_settings->value(kOrderKey).toStringList()) {
        if (plausibleProfileId(id) && id != Profile::localEmulatorId() && !ids.contains(id))
            ids.append(id);
    }
    return ids;
}

std::optional<Profile> ProfileStore::load(const QString &id) const
{
    const bool builtIn = id == Profile::localEmulatorId();
    if (!plausibleProfileId(id) || (!builtIn && !order().contains(id)))
        return std::nullopt;
    Profile p = builtIn ? Profile::localEmulator() : Profile{};
    p.id = id;
    m_settings->beginGroup(group(id));
    const bool stored = m_settings->contains(u"name"_s);
    if (stored) {
        p.name = m_settings->value(u"name"_s).toString();
        p.endpoint = QUrl(m_settings->value(u"endpoint"_s).toString(), QUrl::StrictMode);
        p.hubs = m_settings->value(u"hubs"_s).toStringList();
        if (const auto auth = authKindFromName(m_settings->value(u"auth"_s).toString()))
            p.auth = *auth;
        p.tenantId = m_settings->value(u"tenantId"_s).toString();
        p.clientId = m_settings->value(u"clientId"_s).toString();
    }
    m_settings->endGroup();
    if (!stored && !builtIn)
        return std::nullopt;
    if (builtIn)
        p.auth = AuthKind::LocalEmulator;
    return p;
}

void ProfileStore::save(const Profile &p)
{
    m_settings->beginGroup(group(p.id));
    m_settings->setValue(u"name"_s, p.name);
    m_settings->setValue(u"endpoint"_s, p.endpoint.toString());
    if (p.hubs.isEmpty())
        m_settings->remove(u"hubs"_s);
    else
        m_settings->setValue(u"hubs"_s, p.hubs);
    m_settings->setValue(u"auth"_s, authKindName(p.auth));
    m_settings->setValue(u"tenantId"_s, p.tenantId);
    m_settings->setValue(u"clientId"_s, p.clientId);
    m_settings->endGroup();
    if (!p.isBuiltIn()) {
        QStringList ids = order();
        if (!ids.contains(p.id)) {
            ids.append(p.id);
            m_settings->setValue(kOrderKey, ids);
        }
    }
    m_settings->sync();
}

QList<Profile> ProfileStore::profiles() const
{
    QList<Profile> result;
    result.append(*load(Profile::localEmulatorId()));
    for (const QString &id : order()) {
        if (auto p = load(id))
            result.append(*p);
    }
    return result;
}

std::optional<Profile> ProfileStore::profile(const QString &id) const
{
    return load(id);
}

ProfileResult ProfileStore::add(Profile profile)
{
    profile.id = newId();
    const QString problem = profile.validate();
    if (!problem.isEmpty())
        return ProfileResult::failure(invalid(problem));
    save(profile);
    qCInfo(lcProfiles) << "added profile" << profile.id;
    Q_EMIT profilesChanged();
    return profile;
}

ProfileResult ProfileStore::update(const Profile &profile)
{
    if (!load(profile.id))
        return ProfileResult::failure(notFound());
    Profile p = profile;
    if (p.isBuiltIn())
        p.auth = AuthKind::LocalEmulator;
    const QString problem = p.validate();
    if (!problem.isEmpty())
        return ProfileResult::failure(invalid(problem));
    save(p);
    Q_EMIT profilesChanged();
    return p;
}

void ProfileStore::duplicate(const QString &id, const QString &name, QObject *context,
                             std::function<void(const ProfileResult &)> done)
{
    QPointer<QObject> guard(context);
    const std::optional<Profile> source = load(id);
    if (!source) {
        QMetaObject::invokeMethod(
            this,
            [guard, done] {
                if (guard)
                    done(ProfileResult::failure(notFound()));
            },
            Qt::QueuedConnection);
        return;
    }
    Profile copy = *source;
    copy.name = name.isEmpty() ? tr("%1 (copy)").arg(source->name) : name;
    copy.name.truncate(200); // a long source name plus " (copy)" must still be a valid name
    const ProfileResult added = add(copy);
    if (!added) {
        QMetaObject::invokeMethod(
            this,
            [guard, done, added] {
                if (guard)
                    done(added);
            },
            Qt::QueuedConnection);
        return;
    }
    auto pending = std::make_shared<QList<SecretKey>>(m_index->keysOf(id));
    const Profile result = added.value();
    copySecrets(pending, result.id, this, [guard, done, result](const ProfileDone &copied) {
        if (!guard)
            return;
        // The copy exists either way; a secret that could not be copied is reported.
        done(copied ? ProfileResult(result) : ProfileResult::failure(copied.error()));
    });
}

void ProfileStore::copySecrets(std::shared_ptr<QList<SecretKey>> pending, const QString &toId,
                               QObject *context, std::function<void(const ProfileDone &)> done)
{
    if (pending->isEmpty()) {
        QMetaObject::invokeMethod(
            context, [done] { done(ProfileDone(std::monostate{})); }, Qt::QueuedConnection);
        return;
    }
    const SecretKey from = pending->takeFirst();
    const SecretKey to{toId, from.kind};
    QPointer<QObject> guard(context);
    m_secrets->read(from, this, [this, pending, to, guard, done](const secrets::SecretValue &value) {
        if (!guard)
            return;
        if (!value) {
            if (value.error().kind == secrets::SecretErrorKind::NotFound) {
                copySecrets(pending, to.profileId, guard, done); // indexed but gone: nothing to copy
                return;
            }
            done(ProfileDone::failure(fromSecret(value.error())));
            return;
        }
        m_secrets->write(to, value.value(), this,
                         [this, pending, to, guard, done](const secrets::SecretDone &w) {
                             if (!guard)
                                 return;
                             if (!w) {
                                 done(ProfileDone::failure(fromSecret(w.error())));
                                 return;
                             }
                             m_index->add(to);
                             m_settings->sync();
                             copySecrets(pending, to.profileId, guard, done);
                         });
    });
}

void ProfileStore::remove(const QString &id, QObject *context, std::function<void(const ProfileDone &)> done)
{
    QPointer<QObject> guard(context);
    auto answer = [this, guard, done](const ProfileDone &result) {
        QMetaObject::invokeMethod(
            this,
            [guard, done, result] {
                if (guard)
                    done(result);
            },
            Qt::QueuedConnection);
    };
    if (id == Profile::localEmulatorId()) {
        answer(ProfileDone::failure({ProfileErrorKind::BuiltIn, tr("The built-in profile cannot be removed."),
                                     secrets::SecretErrorKind::Other}));
        return;
    }
    if (!load(id)) {
        answer(ProfileDone::failure(notFound()));
        return;
    }
    QStringList ids = order();
    ids.removeAll(id);
    m_settings->setValue(kOrderKey, ids);
    m_settings->remove(group(id));
    m_settings->sync();
    qCInfo(lcProfiles) << "removed profile" << id;
    Q_EMIT profilesChanged();

    const QList<SecretKey> keys = m_index->keysOf(id);
    if (keys.isEmpty()) {
        answer(ProfileDone(std::monostate{}));
        return;
    }
    struct State
    {
        qsizetype left;
        std::optional<ProfileError> firstError;
    };
    auto state = std::make_shared<State>(State{keys.size(), std::nullopt});
    for (const SecretKey &key : keys) {
        m_secrets->remove(key, this, [this, key, state, guard, done](const secrets::SecretDone &r) {
            if (r)
                m_index->remove(key);
            else if (!state->firstError)
                state->firstError = fromSecret(r.error());
            if (--state->left > 0)
                return;
            m_settings->sync();
            if (guard)
                done(state->firstError ? ProfileDone::failure(*state->firstError)
                                       : ProfileDone(std::monostate{}));
        });
    }
}

void ProfileStore::setSecret(const QString &id, SecretKind kind, const QString &secret, QObject *context,
                             std::function<void(const ProfileDone &)> done)
{
    QPointer<QObject> guard(context);
    if (!load(id)) {
        QMetaObject::invokeMethod(
            this,
            [guard, done] {
                if (guard)
                    done(ProfileDone::failure(notFound()));
            },
            Qt::QueuedConnection);
        return;
    }
    const SecretKey key{id, kind};
    m_secrets->write(key, secret, this, [this, key, guard, done](const secrets::SecretDone &r) {
        if (r) {
            m_index->add(key);
            m_settings->sync();
        }
        if (guard)
            done(r ? ProfileDone(std::monostate{}) : ProfileDone::failure(fromSecret(r.error())));
    });
}

void ProfileStore::secret(const QString &id, SecretKind kind, QObject *context,
                          std::function<void(const ProfileSecret &)> done)
{
    QPointer<QObject> guard(context);
    if (!load(id)) {
        QMetaObject::invokeMethod(
            this,
            [guard, done] {
                if (guard)
                    done(ProfileSecret::failure(notFound()));
            },
            Qt::QueuedConnection);
        return;
    }
    m_secrets->read(SecretKey{id, kind}, this, [guard, done](const secrets::SecretValue &r) {
        if (guard)
            done(r ? ProfileSecret(r.value()) : ProfileSecret::failure(fromSecret(r.error())));
    });
}

void ProfileStore::importConnectionString(const QString &text, const QString &name, QObject *context,
                                          std::function<void(const ProfileResult &)> done)
{
    QPointer<QObject> guard(context);
    auto answer = [this, guard, done](const ProfileResult &result) {
        QMetaObject::invokeMethod(
            this,
            [guard, done, result] {
                if (guard)
                    done(result);
            },
            Qt::QueuedConnection);
    };
    const auto parsed = ConnectionString::parse(text);
    if (!parsed) {
        answer(
            ProfileResult::failure(invalid(parsed.error()))); // ConnectionString's errors never echo the key
        return;
    }
    Profile p;
    p.id = newId();
    p.name = name.trimmed().isEmpty() ? parsed->endpoint().host() : name;
    p.endpoint = parsed->endpoint();
    p.auth = parsed->hasAccessKey() ? AuthKind::ConnectionString : AuthKind::EntraId;
    const QString problem = p.validate();
    if (!problem.isEmpty()) {
        answer(ProfileResult::failure(invalid(problem)));
        return;
    }
    if (!parsed->hasAccessKey()) {
        save(p);
        Q_EMIT profilesChanged();
        answer(p);
        return;
    }
    // Key first: if it cannot be kept, nothing is written at all.
    const SecretKey key{p.id, SecretKind::AccessKey};
    m_secrets->write(
        key, parsed->accessKey(), this, [this, p, key, guard, done](const secrets::SecretDone &r) {
            if (!r) {
                qCWarning(lcProfiles) << "import: the access key could not be stored:" << r.error().message;
                if (guard)
                    done(ProfileResult::failure(fromSecret(r.error())));
                return;
            }
            m_index->add(key);
            save(p);
            qCInfo(lcProfiles) << "imported profile" << p.id;
            Q_EMIT profilesChanged();
            if (guard)
                done(p);
        });
}

void ProfileStore::importFromEnvironment(const QString &name, QObject *context,
                                         std::function<void(const ProfileResult &)> done)
{
    const QString text = qEnvironmentVariable("WEBPUBSUB_CONNECTION_STRING");
    if (text.trimmed().isEmpty()) {
        QPointer<QObject> guard(context);
        const ProfileError error = invalid(tr("WEBPUBSUB_CONNECTION_STRING is not set."));
        QMetaObject::invokeMethod(
            this,
            [guard, done, error] {
                if (guard)
                    done(ProfileResult::failure(error));
            },
            Qt::QueuedConnection);
        return;
    }
    importConnectionString(text, name, context, std::move(done));
}

Expected<QByteArray, ProfileError> ProfileStore::exportProfile(const QString &id) const
{
    const std::optional<Profile> p = load(id);
    if (!p)
        return Expected<QByteArray, ProfileError>::failure(notFound());
    return QJsonDocument(p->toJson()).toJson(QJsonDocument::Indented);
}

ProfileResult ProfileStore::importProfile(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return ProfileResult::failure(invalid(tr("The profile file is not a JSON object.")));
    const auto parsed = Profile::fromJson(doc.object());
    if (!parsed)
        return ProfileResult::failure(invalid(parsed.error()));
    Profile p = parsed.value();
    if (p.auth == AuthKind::LocalEmulator && p.endpoint.host().isEmpty())
        p.endpoint = Profile::localEmulator().endpoint;
    return add(p);
}

} // namespace wps::profiles
