// Tests against the real system keychain through QtKeychain. Never part of the plain discovered run
// (TEST_FILTER "-Keychain*"): ctest runs them as
//   core_secrets_keychain         tests/run_with_keyring.sh ...
//   --gtest_filter=KeychainSecretStore.*:KeychainProfiles.* core_secrets_keychain_no_bus
//   DBUS_SESSION_BUS_ADDRESS unset ... --gtest_filter=KeychainNoService.*
#include "profiles/profilestore.h"
#include "secrets/fallbacksecretstore.h"
#include "secrets/keychainsecretstore.h"
#include "secrets/memorysecretstore.h"

#include <QDirIterator>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <gtest/gtest.h>

#include <optional>

using namespace Qt::Literals::StringLiterals;
using namespace wps::secrets;
using namespace wps::profiles;

namespace {

template <typename T>
std::optional<T> waitFor(std::optional<T> &slot)
{
    EXPECT_TRUE(QTest::qWaitFor([&] { return slot.has_value(); }, 20000));
    return slot;
}

QStringList filesContaining(const QString &dir, const QString &secret)
{
    const QList<QByteArray> needles = {
        secret.toUtf8(), QByteArray(reinterpret_cast<const char *>(secret.utf16()), secret.size() * 2),
        secret.toUtf8().toBase64()};
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext() && files < 10000) {
        ++files;
        QFile f(it.next());
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = f.readAll();
        for (const QByteArray &needle : needles) {
            if (bytes.contains(needle)) {
                hits.append(f.fileName());
                break;
            }
        }
    }
    return hits;
}

/// A fresh service name per test, so runs never see each other's entries.
QString testService()
{
    return u"webpubsub-console-test-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString configHome()
{
    return qEnvironmentVariable("XDG_CONFIG_HOME"); // a temporary dir (tests/support/gtest_qt_main.cpp)
}

const QString kKey = u"a2V5Y2hhaW4tdGVzdC1rZXktMDEyMzQ1Njc4OWFiY2RlZg=="_s;

QString connectionString()
{
    return u"Endpoint=https://contoso.webpubsub.azure.com;AccessKey="_s + kKey + u";Version=1.0;"_s;
}

} // namespace

TEST(KeychainSecretStore, AProbedKeychainKeepsASecretAcrossInstancesUntilRemoved)
{
    KeychainSecretStore store(testService());
    QObject context;
    std::optional<SecretBackendStatus> status;
    store.probe(&context, [&](const SecretBackendStatus &s) { status = s; });
    ASSERT_TRUE(waitFor(status).has_value());
    ASSERT_TRUE(status->available) << status->message.toStdString();
    EXPECT_TRUE(status->persistent);

    const SecretKey key{QUuid::createUuid().toString(QUuid::WithoutBraces), SecretKind::AccessKey};
    std::optional<SecretDone> written;
    store.write(key, kKey, &context, [&](const SecretDone &r) { written = r; });
    ASSERT_TRUE(waitFor(written).has_value());
    ASSERT_TRUE(written->hasValue()) << written->error().message.toStdString();

    // A second store instance (as after a restart) reads it back.
    KeychainSecretStore again(store.service());
    std::optional<SecretValue> read;
    again.read(key, &context, [&](const SecretValue &r) { read = r; });
    ASSERT_TRUE(waitFor(read).has_value());
    ASSERT_TRUE(read->hasValue()) << read->error().message.toStdString();
    EXPECT_EQ(read->value(), kKey);

    std::optional<SecretDone> removed;
    store.remove(key, &context, [&](const SecretDone &r) { removed = r; });
    ASSERT_TRUE(waitFor(removed).value_or(SecretDone::failure({})).hasValue());

    std::optional<SecretValue> missing;
    store.read(key, &context, [&](const SecretValue &r) { missing = r; });
    ASSERT_TRUE(waitFor(missing).has_value());
    ASSERT_FALSE(missing->hasValue());
    EXPECT_EQ(missing->error().kind, SecretErrorKind::NotFound);
    EXPECT_FALSE(missing->error().message.contains(kKey));

    std::optional<SecretDone> removedAgain;
    store.remove(key, &context, [&](const SecretDone &r) { removedAgain = r; });
    EXPECT_TRUE(waitFor(removedAgain).value_or(SecretDone::failure({})).hasValue());
}

TEST(KeychainProfiles, SecretsLiveInTheKeychainNeverInConfigFiles)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString settingsPath = dir.filePath(u"config/profiles.ini"_s);
    const QString service = testService();
    QObject context;
    QString id;
    {
        KeychainSecretStore keychain(service);
        MemorySecretStore session;
        FallbackSecretStore secrets(&keychain, &session);
        ProfileStore store(settingsPath, &secrets);
        std::optional<ProfileResult> imported;
        store.importConnectionString(connectionString(), u"Contoso"_s, &context,
                                     [&](const ProfileResult &r) { imported = r; });
        ASSERT_TRUE(waitFor(imported).has_value());
        ASSERT_TRUE(imported->hasValue()) << imported->error().message.toStdString();
        id = imported->value().id;
        ASSERT_TRUE(secrets.keychainStatus().has_value());
        EXPECT_TRUE(secrets.keychainStatus()->available);
        EXPECT_FALSE(secrets.isSessionOnly());
    }
    // Persisted: a new process-like setup reads the key back from the keychain.
    KeychainSecretStore keychain(service);
    MemorySecretStore session;
    FallbackSecretStore secrets(&keychain, &session);
    ProfileStore store(settingsPath, &secrets);
    std::optional<ProfileSecret> key;
    store.secret(id, SecretKind::AccessKey, &context, [&](const ProfileSecret &r) { key = r; });
    ASSERT_TRUE(waitFor(key).has_value());
    ASSERT_TRUE(key->hasValue()) << key->error().message.toStdString();
    EXPECT_EQ(key->value(), kKey);
    EXPECT_EQ(session.size(), 0);

    store.sync();
    EXPECT_EQ(filesContaining(dir.path(), kKey), QStringList());
    EXPECT_EQ(filesContaining(configHome(), kKey), QStringList());

    std::optional<ProfileDone> removed;
    store.remove(id, &context, [&](const ProfileDone &r) { removed = r; });
    ASSERT_TRUE(waitFor(removed).value_or(ProfileDone::failure({})).hasValue());
    std::optional<SecretValue> gone;
    keychain.read(SecretKey{id, SecretKind::AccessKey}, &context, [&](const SecretValue &r) { gone = r; });
    ASSERT_TRUE(waitFor(gone).has_value());
    ASSERT_FALSE(gone->hasValue());
    EXPECT_EQ(gone->error().kind, SecretErrorKind::NotFound);
}

TEST(KeychainNoService, ProbeSaysThereIsNoKeychain)
{
    ASSERT_TRUE(qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        << "run via ctest core_secrets_keychain_no_bus";
    KeychainSecretStore store(testService());
    store.setTimeout(std::chrono::seconds(10));
    QObject context;
    std::optional<SecretBackendStatus> status;
    store.probe(&context, [&](const SecretBackendStatus &s) { status = s; });
    ASSERT_TRUE(waitFor(status).has_value());
    EXPECT_FALSE(status->available);
    EXPECT_TRUE(status->message.startsWith(u"No system keychain is available"_s))
        << status->message.toStdString();
    EXPECT_GT(status->message.size(),
              u"No system keychain is available; secrets can only be kept for this session."_s.size())
        << "the backend's own message is included";

    std::optional<SecretDone> written;
    store.write(SecretKey{u"p"_s, SecretKind::AccessKey}, kKey, &context,
                [&](const SecretDone &r) { written = r; });
    ASSERT_TRUE(waitFor(written).has_value());
    ASSERT_FALSE(written->hasValue());
    EXPECT_NE(written->error().kind, SecretErrorKind::NotFound);
    EXPECT_FALSE(written->error().message.contains(kKey));
    EXPECT_EQ(filesContaining(configHome(), kKey), QStringList())
        << "QtKeychain's plain-text fallback stays off";
}

TEST(KeychainNoService, ImportWritesNothingUntilSessionOnlyIsChosen)
{
    ASSERT_TRUE(qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        << "run via ctest core_secrets_keychain_no_bus";
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString settingsPath = dir.filePath(u"config/profiles.ini"_s);
    KeychainSecretStore keychain(testService());
    MemorySecretStore session;
    FallbackSecretStore secrets(&keychain, &session);
    ProfileStore store(settingsPath, &secrets);
    QObject context;

    std::optional<ProfileResult> refused;
    store.importConnectionString(connectionString(), u"Contoso"_s, &context,
                                 [&](const ProfileResult &r) { refused = r; });
    ASSERT_TRUE(waitFor(refused).has_value());
    ASSERT_FALSE(refused->hasValue());
    EXPECT_EQ(refused->error().kind, ProfileErrorKind::Secret);
    EXPECT_EQ(refused->error().secretKind, SecretErrorKind::Unavailable);
    EXPECT_TRUE(refused->error().message.contains(u"No system keychain"_s))
        << refused->error().message.toStdString();
    EXPECT_EQ(store.profiles().size(), 1) << "no profile without its key";
    ASSERT_TRUE(secrets.keychainStatus().has_value());
    EXPECT_FALSE(secrets.keychainStatus()->available);

    // The user's explicit choice: keep it for this session.
    secrets.setSessionOnly(true);
    std::optional<ProfileResult> imported;
    store.importConnectionString(connectionString(), u"Contoso"_s, &context,
                                 [&](const ProfileResult &r) { imported = r; });
    ASSERT_TRUE(waitFor(imported).has_value());
    ASSERT_TRUE(imported->hasValue()) << imported->error().message.toStdString();
    EXPECT_EQ(session.size(), 1);

    std::optional<ProfileSecret> key;
    store.secret(imported->value().id, SecretKind::AccessKey, &context,
                 [&](const ProfileSecret &r) { key = r; });
    ASSERT_TRUE(waitFor(key).has_value());
    ASSERT_TRUE(key->hasValue());
    EXPECT_EQ(key->value(), kKey);

    std::optional<SecretBackendStatus> status;
    secrets.probe(&context, [&](const SecretBackendStatus &s) { status = s; });
    ASSERT_TRUE(waitFor(status).has_value());
    EXPECT_TRUE(status->available);
    EXPECT_FALSE(status->persistent);
    EXPECT_FALSE(status->message.isEmpty()) << "still says why secrets are not kept";

    store.sync();
    EXPECT_EQ(filesContaining(dir.path(), kKey), QStringList());
    EXPECT_EQ(filesContaining(configHome(), kKey), QStringList());
}
