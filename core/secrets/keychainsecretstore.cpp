#include "secrets/keychainsecretstore.h"

#include "secrets/secretslogging.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QPointer>
#include <QTimer>
#include <QUuid>
#include <qt6keychain/keychain.h>

#include <memory>

Q_LOGGING_CATEGORY(lcSecrets, "wps.core.secrets")

using namespace Qt::Literals::StringLiterals;

namespace wps::secrets {

struct KeychainSecretStore::Outcome
{
    bool ok = false;
    SecretError error;
    QString value;
};

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::secrets::KeychainSecretStore", text);
}

QString unavailableText(const QString &backendMessage)
{
    QString text = tr("No system keychain is available; secrets can only be kept for this session.");
    if (!backendMessage.isEmpty())
        text += u" ("_s + backendMessage + u')';
    return text;
}

/// Maps QtKeychain's error codes to ours. QtKeychain reports a missing session bus or a locked keyring as
/// OtherError (docs/profiles-and-secrets.md), so only probe() can tell "unavailable" from "other" for those.
SecretError toError(QKeychain::Error code, const QString &message)
{
    switch (code) {
    case QKeychain::NoError:
        break;
    case QKeychain::EntryNotFound:
        return {SecretErrorKind::NotFound, tr("No secret is stored for this profile.")};
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return {SecretErrorKind::Unavailable, unavailableText(message)};
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        return {SecretErrorKind::Other, tr("Access to the keychain was denied.") + u" ("_s + message + u')'};
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    return {SecretErrorKind::Other, tr("The keychain reported an error: %1").arg(message)};
}

/// libsecret delivers its results through GLib's main context (docs/emulator.md#performance-choices).
bool dispatcherCanServeKeychain(QThread *thread)
{
#if defined(Q_OS_LINUX)
    const QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance(thread);
    return dispatcher && dispatcher->inherits("QEventDispatcherGlib");
#else
    Q_UNUSED(thread);
    return true;
#endif
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service, QObject *parent)
    : SecretStore(parent)
    , m_service(std::move(service))
{
}

KeychainSecretStore::~KeychainSecretStore() = default;

void KeychainSecretStore::run(Op op, const SecretKey &key, const QString &secret, QObject *context,
                              std::function<void(const Outcome &)> done)
{
    Q_ASSERT(context);
    if (!dispatcherCanServeKeychain(thread())) {
        Outcome outcome;
        outcome.error = {
            SecretErrorKind::Unavailable,
            unavailableText(tr("the keychain needs the GLib event dispatcher (is QT_NO_GLIB set?)"))};
        deliver(context, [done = std::move(done), outcome] { done(outcome); });
        return;
    }

    QKeychain::Job *job = nullptr;
    switch (op) {
    case Op::Read:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Op::Write: {
        auto *write = new QKeychain::WritePasswordJob(m_service);
        write->setTextData(secret);
        job = write;
        break;
    }
    case Op::Remove:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    // No parent: a job must not be deleted while its backend call is in flight (libsecret holds a pointer to
    // it), so it deletes itself after finished() -- also when we stopped waiting or this store is gone.
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key.name());

    // One result each: whichever of finished() and the timeout comes first answers; the other is ignored.
    auto answered = std::make_shared<bool>(false);
    QPointer<QObject> guard(context);
    const QString keyName = key.name();
    auto *timer = new QTimer(job);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, answered, guard, done, keyName] {
        if (*answered)
            return;
        *answered = true;
        qCWarning(lcSecrets) << "keychain did not answer for" << keyName << "within" << m_timeout.count()
                             << "ms";
        Outcome outcome;
        outcome.error = {SecretErrorKind::Unavailable,
                         unavailableText(tr("the keychain did not answer in time; it may be locked"))};
        if (guard)
            deliver(guard, [done, outcome] { done(outcome); });
    });
    connect(job, &QKeychain::Job::finished, this,
            [op, answered, guard, done, keyName, timer](QKeychain::Job *j) {
                timer->stop();
                if (*answered)
                    return;
                *answered = true;
                Outcome outcome;
                outcome.ok = j->error() == QKeychain::NoError;
                if (op == Op::Remove && j->error() == QKeychain::EntryNotFound)
                    outcome.ok = true; // deleting a missing secret succeeds, whatever the backend
                if (outcome.ok) {
                    if (op == Op::Read)
                        outcome.value = static_cast<QKeychain::ReadPasswordJob *>(j)->textData();
                } else {
                    outcome.error = toError(j->error(), j->errorString());
                }
                qCDebug(lcSecrets) << "keychain" << keyName << "error code" << int(j->error());
                if (guard)
                    deliver(guard, [done, outcome] { done(outcome); });
            });
    timer->start(m_timeout);
    job->start();
}

void KeychainSecretStore::read(const SecretKey &key, QObject *context, SecretReadCallback done)
{
    run(Op::Read, key, {}, context, [done = std::move(done)](const Outcome &o) {
        done(o.ok ? SecretValue(o.value) : SecretValue::failure(o.error));
    });
}

void KeychainSecretStore::write(const SecretKey &key, const QString &secret, QObject *context,
                                SecretDoneCallback done)
{
    run(Op::Write, key, secret, context, [done = std::move(done)](const Outcome &o) {
        done(o.ok ? SecretDone(std::monostate{}) : SecretDone::failure(o.error));
    });
}

void KeychainSecretStore::remove(const SecretKey &key, QObject *context, SecretDoneCallback done)
{
    run(Op::Remove, key, {}, context, [done = std::move(done)](const Outcome &o) {
        done(o.ok ? SecretDone(std::monostate{}) : SecretDone::failure(o.error));
    });
}

void KeychainSecretStore::probe(QObject *context, std::function<void(const SecretBackendStatus &)> done)
{
    // write -> read back -> delete, each step started from the previous one's result.
    const SecretKey key{u"probe-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces),
                        SecretKind::AccessKey};
    const QString token = QUuid::createUuid().toString(QUuid::WithoutBraces);
    auto fail = [done](const SecretError &error) {
        SecretBackendStatus status;
        status.backend = tr("System keychain");
        status.message =
            error.kind == SecretErrorKind::Unavailable ? error.message : unavailableText(error.message);
        done(status);
    };
    QPointer<QObject> guard(context);
    run(Op::Write, key, token, this, [this, key, token, guard, done, fail](const Outcome &w) {
        if (!w.ok) {
            if (guard)
                fail(w.error);
            return;
        }
        run(Op::Read, key, {}, this, [this, key, token, guard, done, fail](const Outcome &r) {
            const bool readBack = r.ok && r.value == token;
            run(Op::Remove, key, {}, this, [guard, done, fail, readBack, r](const Outcome &) {
                if (!guard)
                    return;
                if (!readBack) {
                    fail(r.ok ? SecretError{SecretErrorKind::Other,
                                            tr("a stored secret read back differently")}
                              : r.error);
                    return;
                }
                SecretBackendStatus status;
                status.available = true;
                status.persistent = true;
                status.backend = tr("System keychain");
                done(status);
            });
        });
    });
}

} // namespace wps::secrets
