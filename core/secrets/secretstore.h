#pragma once

#include "common/expected.h"

#include <QObject>
#include <QString>

#include <functional>
#include <variant>

namespace wps::secrets {

/// What a secret is for. Part of the key, so one profile can hold several secrets without clashes.
enum class SecretKind {
    AccessKey,    ///< a Web PubSub access key (from a connection string or typed in)
    ClientSecret, ///< an Entra ID app registration's client secret
};

/// The address of one secret: scoped per profile id and kind (docs/style.md rule 14). Profile ids are
/// generated (never user text), so a hostile profile name can never reach the keychain's key space.
struct SecretKey
{
    QString profileId;
    SecretKind kind = SecretKind::AccessKey;

    /// The keychain entry name, e.g. `profile/<id>/access-key`. Contains no secret: safe to store and log.
    QString name() const;
    /// Parses name(); an empty profileId when \a name is not one of ours.
    static SecretKey fromName(const QString &name);
    friend bool operator==(const SecretKey &, const SecretKey &) = default;
};

/// Why a secret operation failed. Messages are user-meaningful and never contain the secret.
enum class SecretErrorKind {
    NotFound,    ///< no secret stored under this key
    Unavailable, ///< no usable keychain (no backend, no session bus, locked, timed out)
    Other,       ///< the backend answered with some other failure
};

struct SecretError
{
    SecretErrorKind kind = SecretErrorKind::Other;
    /// Translated text including the backend's own message where there is one.
    QString message;
};

using SecretValue = Expected<QString, SecretError>;
using SecretDone = Expected<std::monostate, SecretError>;
using SecretReadCallback = std::function<void(const SecretValue &)>;
using SecretDoneCallback = std::function<void(const SecretDone &)>;

/// Whether a store can keep secrets right now, and how.
struct SecretBackendStatus
{
    bool available = false;  ///< reads and writes can succeed
    bool persistent = false; ///< secrets survive a restart (false for session-only storage)
    QString backend;         ///< e.g. "System keychain", "Session only (memory)"
    QString message;         ///< when unavailable: why, with the backend's message
};

/// The one interface behind which secrets live (docs/style.md rule 14). Everything is asynchronous because
/// real keychains are: each call invokes its callback exactly once, always later from the event loop (never
/// inside the call), in the thread of \a context -- unless \a context is destroyed first, then never.
/// Callers therefore never block and never run nested event loops.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~SecretStore() override;

    /// Reads the secret at \a key; NotFound when there is none.
    virtual void read(const SecretKey &key, QObject *context, SecretReadCallback done) = 0;
    /// Stores \a secret at \a key, replacing any previous value.
    virtual void write(const SecretKey &key, const QString &secret, QObject *context,
                       SecretDoneCallback done) = 0;
    /// Deletes the secret at \a key; deleting a missing secret succeeds.
    virtual void remove(const SecretKey &key, QObject *context, SecretDoneCallback done) = 0;
    /// Finds out whether the store works right now (a keychain may be missing or locked), so the UI can
    /// say "no keychain, session-only" before the user types a secret.
    virtual void probe(QObject *context, std::function<void(const SecretBackendStatus &)> done) = 0;

protected:
    /// Runs \a fn later in \a context's thread, unless \a context is gone by then.
    static void deliver(QObject *context, std::function<void()> fn);
};

} // namespace wps::secrets
