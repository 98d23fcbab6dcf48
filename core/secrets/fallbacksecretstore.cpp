#include "secrets/fallbacksecretstore.h"

#include "secrets/secretslogging.h"

#include <QCoreApplication>
#include <QPointer>

#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace wps::secrets {

FallbackSecretStore::FallbackSecretStore(SecretStore *keychain, SecretStore *session, QObject *parent)
    : SecretStore(parent)
    , m_keychain(keychain)
    , m_session(session)
{
    Q_ASSERT(m_keychain && m_session);
}

FallbackSecretStore::~FallbackSecretStore() = default;

void FallbackSecretStore::setSessionOnly(bool sessionOnly)
{
    if (m_sessionOnly == sessionOnly)
        return;
    m_sessionOnly = sessionOnly;
    qCInfo(lcSecrets) << "session-only secrets" << (sessionOnly ? "on" : "off");
    Q_EMIT statusChanged();
}

void FallbackSecretStore::whenProbed(std::function<void()> then)
{
    if (m_sessionOnly || m_keychainStatus) {
        then();
        return;
    }
    m_waiting.append(std::move(then));
    if (m_probing)
        return;
    m_probing = true;
    m_keychain->probe(this, [this](const SecretBackendStatus &status) {
        m_probing = false;
        m_keychainStatus = status;
        if (!status.available)
            qCWarning(lcSecrets) << "no usable keychain:" << status.message;
        Q_EMIT statusChanged();
        const auto waiting = std::exchange(m_waiting, {});
        for (const auto &fn : waiting)
            fn();
    });
}

SecretStore *FallbackSecretStore::target(SecretError *unavailable) const
{
    if (m_sessionOnly)
        return m_session;
    if (m_keychainStatus && m_keychainStatus->available)
        return m_keychain;
    *unavailable = {SecretErrorKind::Unavailable, m_keychainStatus ? m_keychainStatus->message : QString()};
    return nullptr;
}

void FallbackSecretStore::read(const SecretKey &key, QObject *context, SecretReadCallback done)
{
    QPointer<QObject> guard(context);
    whenProbed([this, key, guard, done = std::move(done)] {
        if (!guard)
            return;
        SecretError error;
        if (SecretStore *store = target(&error))
            store->read(key, guard, done);
        else
            deliver(guard, [done, error] { done(SecretValue::failure(error)); });
    });
}

void FallbackSecretStore::write(const SecretKey &key, const QString &secret, QObject *context,
                                SecretDoneCallback done)
{
    QPointer<QObject> guard(context);
    whenProbed([this, key, secret, guard, done = std::move(done)] {
        if (!guard)
            return;
        SecretError error;
        if (SecretStore *store = target(&error))
            store->write(key, secret, guard, done);
        else
            deliver(guard, [done, error] { done(SecretDone::failure(error)); });
    });
}

void FallbackSecretStore::remove(const SecretKey &key, QObject *context, SecretDoneCallback done)
{
    QPointer<QObject> guard(context);
    whenProbed([this, key, guard, done = std::move(done)] {
        if (!guard)
            return;
        SecretError error;
        if (SecretStore *store = target(&error))
            store->remove(key, guard, done);
        else
            deliver(guard, [done, error] { done(SecretDone::failure(error)); });
    });
}

SecretBackendStatus FallbackSecretStore::effectiveStatus() const
{
    SecretBackendStatus status = m_keychainStatus.value_or(SecretBackendStatus{});
    if (m_sessionOnly) {
        status.available = true;
        status.persistent = false;
        status.backend =
            QCoreApplication::translate("wps::secrets::FallbackSecretStore", "Session only (memory)");
        // Keep the keychain's message: the UI still says why secrets are not kept.
    }
    return status;
}

void FallbackSecretStore::probe(QObject *context, std::function<void(const SecretBackendStatus &)> done)
{
    m_keychainStatus.reset();
    const bool wasSessionOnly = m_sessionOnly;
    m_sessionOnly = false; // probe the keychain itself, then restore the user's choice
    QPointer<QObject> guard(context);
    whenProbed([this, guard, wasSessionOnly, done = std::move(done)] {
        m_sessionOnly = wasSessionOnly;
        if (guard) {
            const SecretBackendStatus status = effectiveStatus();
            deliver(guard, [done, status] { done(status); });
        }
    });
}

} // namespace wps::secrets
