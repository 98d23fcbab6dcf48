#pragma once

#include "secrets/secretstore.h"

#include <chrono>

namespace wps::secrets {

/// Secrets in the operating system's keychain (Secret Service / Keychain / Credential Manager) through
/// QtKeychain, which stays an implementation detail of this .cpp (docs/style.md rule 3).
///
/// QtKeychain's own "insecure fallback" (plain text in a settings file) is never enabled: when there is no
/// keychain, operations fail with SecretErrorKind::Unavailable and the UI offers session-only storage.
/// On Linux the libsecret backend needs Qt's GLib event dispatcher in this object's thread; without it
/// (QT_NO_GLIB) every operation fails at once with Unavailable instead of hanging.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    /// \a service is the keychain service name the entries are filed under.
    explicit KeychainSecretStore(QString service = QStringLiteral("webpubsub-console"),
                                 QObject *parent = nullptr);
    ~KeychainSecretStore() override;

    void read(const SecretKey &key, QObject *context, SecretReadCallback done) override;
    void write(const SecretKey &key, const QString &secret, QObject *context,
               SecretDoneCallback done) override;
    void remove(const SecretKey &key, QObject *context, SecretDoneCallback done) override;
    /// Writes, reads back and deletes a probe entry: a locked or missing keychain fails here.
    void probe(QObject *context, std::function<void(const SecretBackendStatus &)> done) override;

    QString service() const { return m_service; }
    /// How long one keychain operation may take before it is reported Unavailable (a keychain that waits
    /// for an unlock prompt nobody can see never answers). Default 15 s; tests may shrink it.
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    std::chrono::milliseconds timeout() const { return m_timeout; }

private:
    struct Outcome;
    enum class Op { Read, Write, Remove };
    void run(Op op, const SecretKey &key, const QString &secret, QObject *context,
             std::function<void(const Outcome &)> done);

    QString m_service;
    std::chrono::milliseconds m_timeout{15000};
};

} // namespace wps::secrets
