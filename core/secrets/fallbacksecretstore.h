#pragma once

#include "secrets/secretstore.h"

#include <QList>

#include <optional>

namespace wps::secrets {

/// The store the application uses: the system keychain when it works, session-only memory when the user
/// chose that -- and an Unavailable error otherwise. It never falls back silently: while the keychain is
/// missing and session-only was not chosen, every write fails with a message the UI can show next to an
/// "Keep for this session only" action that calls setSessionOnly(true).
///
/// The first operation probes the keychain (KeychainSecretStore::probe); later ones reuse the answer until
/// probe() is called again.
class FallbackSecretStore : public SecretStore
{
    Q_OBJECT
public:
    /// Takes ownership of neither store; both must outlive this one (make them children of it).
    FallbackSecretStore(SecretStore *keychain, SecretStore *session, QObject *parent = nullptr);
    ~FallbackSecretStore() override;

    void read(const SecretKey &key, QObject *context, SecretReadCallback done) override;
    void write(const SecretKey &key, const QString &secret, QObject *context,
               SecretDoneCallback done) override;
    void remove(const SecretKey &key, QObject *context, SecretDoneCallback done) override;
    /// Probes the keychain again and reports the effective status (session-only when chosen).
    void probe(QObject *context, std::function<void(const SecretBackendStatus &)> done) override;

    /// The user's explicit choice to keep secrets in memory for this session only.
    void setSessionOnly(bool sessionOnly);
    bool isSessionOnly() const { return m_sessionOnly; }
    /// The keychain's last probed status; empty before the first probe finished.
    std::optional<SecretBackendStatus> keychainStatus() const { return m_keychainStatus; }

Q_SIGNALS:
    /// The keychain's status changed (probed) or session-only was switched.
    void statusChanged();

private:
    void whenProbed(std::function<void()> then);
    SecretStore *target(SecretError *unavailable) const;
    SecretBackendStatus effectiveStatus() const;

    SecretStore *m_keychain;
    SecretStore *m_session;
    bool m_sessionOnly = false;
    bool m_probing = false;
    std::optional<SecretBackendStatus> m_keychainStatus;
    QList<std::function<void()>> m_waiting;
};

} // namespace wps::secrets
