#pragma once

#include "secrets/secretstore.h"

#include <QHash>

namespace wps::secrets {

/// Session-only secrets: held in memory, never written anywhere, gone when the store is destroyed.
/// The explicit choice the UI offers when no keychain is available -- never a silent fallback.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT
public:
    explicit MemorySecretStore(QObject *parent = nullptr);
    /// Overwrites the held secrets before freeing them (best effort against memory dumps).
    ~MemorySecretStore() override;

    void read(const SecretKey &key, QObject *context, SecretReadCallback done) override;
    void write(const SecretKey &key, const QString &secret, QObject *context,
               SecretDoneCallback done) override;
    void remove(const SecretKey &key, QObject *context, SecretDoneCallback done) override;
    void probe(QObject *context, std::function<void(const SecretBackendStatus &)> done) override;

    /// How many secrets are held now (for tests and a "forget session secrets" action).
    qsizetype size() const { return m_secrets.size(); }
    /// Wipes every held secret at once.
    void clear();

private:
    QHash<QString, QString> m_secrets;
};

} // namespace wps::secrets
