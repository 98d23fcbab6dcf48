#include "secrets/memorysecretstore.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::secrets {

namespace {
void wipe(QString &s)
{
    // Only the hash's own copy is wiped: callers may hold (implicitly shared) copies, which detach here.
    std::fill(s.begin(), s.end(), QChar(u'\0'));
}
} // namespace

MemorySecretStore::MemorySecretStore(QObject *parent)
    : SecretStore(parent)
{
}

MemorySecretStore::~MemorySecretStore()
{
    clear();
}

void MemorySecretStore::clear()
{
    for (auto it = m_secrets.begin(); it != m_secrets.end(); ++it)
        wipe(it.value());
    m_secrets.clear();
}

void MemorySecretStore::read(const SecretKey &key, QObject *context, SecretReadCallback done)
{
    const auto it = m_secrets.constFind(key.name());
    if (it == m_secrets.constEnd()) {
        const QString message = QCoreApplication::translate("wps::secrets::MemorySecretStore",
                                                            "No secret is stored for this profile.");
        deliver(context, [done = std::move(done), message] {
            done(SecretValue::failure({SecretErrorKind::NotFound, message}));
        });
        return;
    }
    deliver(context, [done = std::move(done), value = it.value()] { done(SecretValue(value)); });
}

void MemorySecretStore::write(const SecretKey &key, const QString &secret, QObject *context,
                              SecretDoneCallback done)
{
    auto it = m_secrets.find(key.name());
    if (it != m_secrets.end())
        wipe(it.value());
    m_secrets.insert(key.name(), secret);
    deliver(context, [done = std::move(done)] { done(SecretDone(std::monostate{})); });
}

void MemorySecretStore::remove(const SecretKey &key, QObject *context, SecretDoneCallback done)
{
    auto it = m_secrets.find(key.name());
    if (it != m_secrets.end()) {
        wipe(it.value());
        m_secrets.erase(it);
    }
    deliver(context, [done = std::move(done)] { done(SecretDone(std::monostate{})); });
}

void MemorySecretStore::probe(QObject *context, std::function<void(const SecretBackendStatus &)> done)
{
    SecretBackendStatus status;
    status.available = true;
    status.persistent = false;
    status.backend = QCoreApplication::translate("wps::secrets::MemorySecretStore", "Session only (memory)");
    deliver(context, [done = std::move(done), status] { done(status); });
}

} // namespace wps::secrets
