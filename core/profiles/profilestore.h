#pragma once

#include "common/expected.h"
#include "profiles/profile.h"
#include "secrets/secretstore.h"

#include <QList>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>
#include <variant>

class QSettings;

namespace wps::secrets {
class SecretIndex;
}

namespace wps::profiles {

enum class ProfileErrorKind {
    Invalid,  ///< bad input: a name, endpoint, connection string or JSON document
    NotFound, ///< no profile with that id
    BuiltIn,  ///< the built-in "Local emulator" profile cannot be removed
    Secret,   ///< the SecretStore failed; see secretKind (Unavailable: offer session-only storage)
};

/// A profile operation's failure, as data for the UI (docs/style.md rule 15). Never contains a secret.
struct ProfileError
{
    ProfileErrorKind kind = ProfileErrorKind::Invalid;
    QString message;
    /// Meaningful when kind == Secret.
    secrets::SecretErrorKind secretKind = secrets::SecretErrorKind::Other;
};

using ProfileResult = Expected<Profile, ProfileError>;
using ProfileDone = Expected<std::monostate, ProfileError>;
using ProfileSecret = Expected<QString, ProfileError>;

/// Connection profiles in a settings file, with their secrets only in a SecretStore.
///
/// The settings file holds profile fields and the names of stored secrets (secrets::SecretIndex), never a
/// secret. Operations that touch secrets are asynchronous like the SecretStore (one callback each, in
/// \a context's thread, dropped when \a context dies); the others are synchronous and write the settings
/// file at once. An import stores its key first and only then saves the profile: when the keychain is
/// unavailable nothing at all is written, and the error (kind Secret, secretKind Unavailable) lets the UI
/// offer session-only storage and retry.
class ProfileStore : public QObject
{
    Q_OBJECT
public:
    /// \a settingsPath: the INI file to use (tests pass a temporary one; the app its config location).
    /// \a secrets must outlive this store.
    ProfileStore(const QString &settingsPath, secrets::SecretStore *secrets, QObject *parent = nullptr);
    ~ProfileStore() override;

    /// The built-in "Local emulator" first, then the user's profiles in the order they were added.
    QList<Profile> profiles() const;
    std::optional<Profile> profile(const QString &id) const;

    /// Saves a new profile under a new id (any id in \a profile is ignored).
    ProfileResult add(Profile profile);
    /// Saves changed fields of an existing profile (the built-in one too: its hubs, endpoint, name).
    ProfileResult update(const Profile &profile);
    /// Copies profile \a id and its secrets to a new profile named \a name (default "<name> (copy)").
    void duplicate(const QString &id, const QString &name, QObject *context,
                   std::function<void(const ProfileResult &)> done);
    /// Removes profile \a id, then its secrets. Secret failures are reported, the profile is gone anyway.
    void remove(const QString &id, QObject *context, std::function<void(const ProfileDone &)> done);

    /// Stores a secret of profile \a id and records its name in the settings.
    void setSecret(const QString &id, secrets::SecretKind kind, const QString &secret, QObject *context,
                   std::function<void(const ProfileDone &)> done);
    /// Reads a secret of profile \a id.
    void secret(const QString &id, secrets::SecretKind kind, QObject *context,
                std::function<void(const ProfileSecret &)> done);

    /// Makes a profile from connection string \a text (e.g. the clipboard's text, passed by the UI): the
    /// endpoint goes into the profile, the key into the SecretStore. \a name defaults to the endpoint host.
    void importConnectionString(const QString &text, const QString &name, QObject *context,
                                std::function<void(const ProfileResult &)> done);
    /// The same for the WEBPUBSUB_CONNECTION_STRING environment variable.
    void importFromEnvironment(const QString &name, QObject *context,
                               std::function<void(const ProfileResult &)> done);

    /// The profile as a JSON document without secrets (Profile::toJson).
    Expected<QByteArray, ProfileError> exportProfile(const QString &id) const;
    /// Adds a profile from exportProfile()'s document; it has no secret until setSecret().
    ProfileResult importProfile(const QByteArray &json);

    /// Where the settings live.
    QString settingsPath() const;
    /// Flushes the settings file to disk (QSettings writes lazily otherwise).
    void sync();

Q_SIGNALS:
    /// A profile was added, changed or removed.
    void profilesChanged();

private:
    void save(const Profile &profile);
    std::optional<Profile> load(const QString &id) const;
    QStringList order() const;
    void copySecrets(std::shared_ptr<QList<secrets::SecretKey>> pending, const QString &toId,
                     QObject *context, std::function<void(const ProfileDone &)> done);

    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<secrets::SecretIndex> m_index;
    secrets::SecretStore *m_secrets;
};

} // namespace wps::profiles
