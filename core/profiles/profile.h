#pragma once

#include "common/expected.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace wps::profiles {

/// How a profile authenticates. The secret a kind needs (access key, client secret) is never part of the
/// profile: it lives in the SecretStore under the profile's id.
enum class AuthKind {
    AccessKey,        ///< endpoint plus an access key typed in; key in the SecretStore
    ConnectionString, ///< imported from a connection string; its key in the SecretStore
    EntraId,          ///< Entra ID (tenant/client ids here; a client secret, if any, in the SecretStore)
    LocalEmulator,    ///< the local emulator; its key comes from the running emulator, never stored
};

/// Stable names used in settings and exported JSON ("AccessKey", ...).
QString authKindName(AuthKind kind);
std::optional<AuthKind> authKindFromName(QStringView name);

/// A connection profile: where to connect and how, with no secret in it -- so a Profile can be stored in a
/// settings file, exported and logged without leaking anything.
struct Profile
{
    /// Generated (a UUID) by ProfileStore; never derived from the user's name for the profile.
    QString id;
    QString name;
    QUrl endpoint;
    /// Hub names the user worked with, most recent last.
    QStringList hubs;
    AuthKind auth = AuthKind::AccessKey;
    /// Entra ID only; ids, not secrets.
    QString tenantId;
    QString clientId;

    /// The id of the built-in "Local emulator" profile.
    static QString localEmulatorId();
    /// The built-in profile: the emulator's default address, LocalEmulator auth.
    static Profile localEmulator();
    bool isBuiltIn() const { return id == localEmulatorId(); }

    /// The exported form: `{"format": "webpubsub-console-profile", "version": 1, "name": ..., ...}`.
    /// Has no id (an import makes a new profile) and no secret (there is none to write).
    QJsonObject toJson() const;
    /// Reads toJson()'s form; the result has an empty id. The error says which field is wrong.
    static Expected<Profile, QString> fromJson(const QJsonObject &json);

    /// Empty when the profile may be saved; otherwise what is wrong (name, endpoint, hubs, ids).
    QString validate() const;

    friend bool operator==(const Profile &, const Profile &) = default;
};

} // namespace wps::profiles
