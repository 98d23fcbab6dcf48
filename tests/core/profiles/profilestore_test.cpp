// ProfileStore with the session-only MemorySecretStore: profiles in a temporary settings file, secrets never
// in it. The same store against a real keychain: tests/core/secrets/keychain_test.cpp.
#include "profiles/profilestore.h"
#include "secrets/memorysecretstore.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include <optional>

using namespace Qt::Literals::StringLiterals;
using namespace wps::profiles;
using wps::secrets::MemorySecretStore;
using wps::secrets::SecretErrorKind;
using wps::secrets::SecretKind;

namespace {

const QString kKey = u"c2VjcmV0LWFjY2Vzcy1rZXktZm9yLXRlc3RzLW9ubHktMTIzNDU2Nzg5MA=="_s;
const QString kClientSecret = u"client~secret~value~9f8e7d"_s;

template <typename T>
std::optional<T> waitFor(std::optional<T> &slot)
{
    EXPECT_TRUE(QTest::qWaitFor([&] { return slot.has_value(); }, 5000));
    return slot;
}

/// Every file under \a dir whose bytes contain \a secret (as UTF-8, UTF-16 or base64).
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

class ProfileStoreTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(m_dir.isValid()); }
    QString path() const { return m_dir.filePath(u"config/profiles.ini"_s); }
    std::unique_ptr<ProfileStore> open() { return std::make_unique<ProfileStore>(path(), &m_secrets); }
    QString connectionString() const
    {
        return u"Endpoint=https://contoso.webpubsub.azure.com;AccessKey="_s + kKey + u";Version=1.0;"_s;
    }
    ProfileResult import(ProfileStore &store, const QString &text, const QString &name = {})
    {
        std::optional<ProfileResult> r;
        store.importConnectionString(text, name, &m_context, [&](const ProfileResult &x) { r = x; });
        return waitFor(r).value_or(ProfileResult::failure({}));
    }

    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    QObject m_context;
};

Profile sample(const QString &name)
{
    Profile p;
    p.name = name;
    p.endpoint = QUrl(u"https://example.webpubsub.azure.com"_s);
    p.hubs = {u"chat"_s, u"notifications"_s};
    p.auth = AuthKind::EntraId;
    p.tenantId = u"72f988bf-86f1-41af-91ab-2d7cd011db47"_s;
    p.clientId = u"04b07795-8ddb-461a-bbee-02f9e1bf7b46"_s;
    return p;
}

} // namespace

TEST_F(ProfileStoreTest, HasTheBuiltInLocalEmulatorProfile)
{
    auto store = open();
    const QList<Profile> all = store->profiles();
    ASSERT_EQ(all.size(), 1);
    EXPECT_TRUE(all.first().isBuiltIn());
    EXPECT_EQ(all.first().auth, AuthKind::LocalEmulator);
    EXPECT_EQ(all.first().endpoint, QUrl(u"http://127.0.0.1:8080"_s));

    std::optional<ProfileDone> removed;
    store->remove(Profile::localEmulatorId(), &m_context, [&](const ProfileDone &r) { removed = r; });
    ASSERT_TRUE(waitFor(removed).has_value());
    ASSERT_FALSE(removed->hasValue());
    EXPECT_EQ(removed->error().kind, ProfileErrorKind::BuiltIn);

    Profile local = all.first();
    local.hubs = {u"chat"_s};
    local.auth = AuthKind::AccessKey; // the built-in one stays LocalEmulator
    ASSERT_TRUE(store->update(local).hasValue());
    store.reset();
    const Profile reread = open()->profiles().first();
    EXPECT_EQ(reread.hubs, QStringList{u"chat"_s});
    EXPECT_EQ(reread.auth, AuthKind::LocalEmulator);
}

TEST_F(ProfileStoreTest, UpdatesAreValidatedDuplicatesCopySecretsAndRemovalDeletesThem)
{
    auto store = open();
    const ProfileResult added = store->add(sample(u"Production"_s));
    ASSERT_TRUE(added.hasValue()) << added.error().message.toStdString();
    const QString id = added->id;
    EXPECT_FALSE(id.isEmpty());

    std::optional<ProfileDone> stored;
    store->setSecret(id, SecretKind::ClientSecret, kClientSecret, &m_context,
                     [&](const ProfileDone &r) { stored = r; });
    ASSERT_TRUE(waitFor(stored).value_or(ProfileDone::failure({})).hasValue());

    Profile changed = *added;
    changed.hubs.append(u"orders"_s);
    ASSERT_TRUE(store->update(changed).hasValue());
    EXPECT_EQ(store->profile(id)->hubs.size(), 3);

    Profile bad = changed;
    bad.endpoint = QUrl(u"ftp://example.com"_s);
    const ProfileResult rejected = store->update(bad);
    ASSERT_FALSE(rejected.hasValue());
    EXPECT_EQ(rejected.error().kind, ProfileErrorKind::Invalid);

    std::optional<ProfileResult> dup;
    store->duplicate(id, {}, &m_context, [&](const ProfileResult &r) { dup = r; });
    ASSERT_TRUE(waitFor(dup).has_value());
    ASSERT_TRUE(dup->hasValue()) << dup->error().message.toStdString();
    EXPECT_NE(dup->value().id, id);
    EXPECT_EQ(dup->value().name, u"Production (copy)"_s);
    EXPECT_EQ(dup->value().hubs, changed.hubs);
    EXPECT_EQ(m_secrets.size(), 2) << "the duplicate got its own copy of the client secret";

    std::optional<ProfileSecret> copied;
    store->secret(dup->value().id, SecretKind::ClientSecret, &m_context,
                  [&](const ProfileSecret &r) { copied = r; });
    ASSERT_TRUE(waitFor(copied).has_value());
    ASSERT_TRUE(copied->hasValue());
    EXPECT_EQ(copied->value(), kClientSecret);

    std::optional<ProfileDone> removed;
    store->remove(id, &m_context, [&](const ProfileDone &r) { removed = r; });
    ASSERT_TRUE(waitFor(removed).value_or(ProfileDone::failure({})).hasValue());
    EXPECT_FALSE(store->profile(id).has_value());
    EXPECT_EQ(m_secrets.size(), 1) << "removing a profile removes its secrets";
    EXPECT_EQ(store->profiles().size(), 2); // built-in + duplicate

    std::optional<ProfileSecret> gone;
    store->secret(id, SecretKind::ClientSecret, &m_context, [&](const ProfileSecret &r) { gone = r; });
    ASSERT_TRUE(waitFor(gone).has_value());
    ASSERT_FALSE(gone->hasValue());
    EXPECT_EQ(gone->error().kind, ProfileErrorKind::NotFound);
}

TEST_F(ProfileStoreTest, ImportsAConnectionStringKeyIntoTheSecretStoreOnly)
{
    auto store = open();
    const ProfileResult imported = import(*store, connectionString());
    ASSERT_TRUE(imported.hasValue()) << imported.error().message.toStdString();
    EXPECT_EQ(imported->name, u"contoso.webpubsub.azure.com"_s);
    EXPECT_EQ(imported->endpoint, QUrl(u"https://contoso.webpubsub.azure.com"_s));
    EXPECT_EQ(imported->auth, AuthKind::ConnectionString);

    std::optional<ProfileSecret> key;
    store->secret(imported->id, SecretKind::AccessKey, &m_context, [&](const ProfileSecret &r) { key = r; });
    ASSERT_TRUE(waitFor(key).has_value());
    ASSERT_TRUE(key->hasValue());
    EXPECT_EQ(key->value(), kKey);

    store->sync();
    EXPECT_TRUE(QFile::exists(path()));
    EXPECT_EQ(filesContaining(m_dir.path(), kKey), QStringList());
}

TEST_F(ProfileStoreTest, RejectsABadConnectionStringWithoutEchoingTheKeyOrWriting)
{
    auto store = open();
    const ProfileResult r = import(*store, u"Endpoint=notaurl AccessKey="_s + kKey);
    ASSERT_FALSE(r.hasValue());
    EXPECT_EQ(r.error().kind, ProfileErrorKind::Invalid);
    EXPECT_FALSE(r.error().message.contains(kKey));
    EXPECT_EQ(store->profiles().size(), 1);
    EXPECT_EQ(m_secrets.size(), 0);
}

TEST_F(ProfileStoreTest, ImportsFromTheEnvironment)
{
    auto store = open();
    const QByteArray previous = qgetenv("WEBPUBSUB_CONNECTION_STRING");
    qunsetenv("WEBPUBSUB_CONNECTION_STRING");
    std::optional<ProfileResult> missing;
    store->importFromEnvironment({}, &m_context, [&](const ProfileResult &r) { missing = r; });
    ASSERT_TRUE(waitFor(missing).has_value());
    ASSERT_FALSE(missing->hasValue());
    EXPECT_TRUE(missing->error().message.contains(u"WEBPUBSUB_CONNECTION_STRING"_s));

    qputenv("WEBPUBSUB_CONNECTION_STRING", connectionString().toUtf8());
    std::optional<ProfileResult> fromEnv;
    store->importFromEnvironment(u"From env"_s, &m_context, [&](const ProfileResult &r) { fromEnv = r; });
    ASSERT_TRUE(waitFor(fromEnv).has_value());
    if (previous.isNull())
        qunsetenv("WEBPUBSUB_CONNECTION_STRING");
    else
        qputenv("WEBPUBSUB_CONNECTION_STRING", previous);
    ASSERT_TRUE(fromEnv->hasValue()) << fromEnv->error().message.toStdString();
    EXPECT_EQ(fromEnv->value().name, u"From env"_s);
    EXPECT_EQ(m_secrets.size(), 1);
}

TEST_F(ProfileStoreTest, ExportHasNoSecretAndImportRoundTrips)
{
    auto store = open();
    const ProfileResult imported = import(*store, connectionString(), u"Contoso prod"_s);
    ASSERT_TRUE(imported.hasValue());
    Profile withHubs = *imported;
    withHubs.hubs = {u"chat"_s};
    ASSERT_TRUE(store->update(withHubs).hasValue());

    const auto exported = store->exportProfile(imported->id);
    ASSERT_TRUE(exported.hasValue());
    EXPECT_FALSE(exported->contains(kKey.toUtf8()));
    EXPECT_FALSE(exported->contains(imported->id.toUtf8())) << "an export carries no id";

    const ProfileResult back = store->importProfile(*exported);
    ASSERT_TRUE(back.hasValue()) << back.error().message.toStdString();
    Profile expected = withHubs;
    expected.id = back->id;
    EXPECT_EQ(back.value(), expected);
    EXPECT_NE(back->id, imported->id);
    EXPECT_EQ(m_secrets.size(), 1) << "an imported profile has no secret until one is set";

    // A hand-made document with a key in it: the key is ignored, never stored.
    QJsonObject sneaky = QJsonDocument::fromJson(*exported).object();
    sneaky.insert(u"accessKey"_s, u"sneaky-key-123"_s);
    const ProfileResult fromSneaky = store->importProfile(QJsonDocument(sneaky).toJson());
    ASSERT_TRUE(fromSneaky.hasValue());
    store->sync();
    EXPECT_EQ(filesContaining(m_dir.path(), u"sneaky-key-123"_s), QStringList());

    for (const QByteArray &bad : {"not json"_ba, "[]"_ba, R"({"format":"other","version":1})"_ba,
                                  R"({"format":"webpubsub-console-profile","version":2})"_ba,
                                  R"({"format":"webpubsub-console-profile","version":1,"name":"x",
                                      "endpoint":"https://x.example","auth":"Password"})"_ba}) {
        const ProfileResult r = store->importProfile(bad);
        ASSERT_FALSE(r.hasValue()) << bad.constData();
        EXPECT_EQ(r.error().kind, ProfileErrorKind::Invalid);
    }
}

TEST_F(ProfileStoreTest, SavedSecretsAppearInNoFileUnderTheConfigDir)
{
    {
        auto store = open();
        const ProfileResult a = import(*store, connectionString(), u"A"_s);
        ASSERT_TRUE(a.hasValue());
        const ProfileResult b = store->add(sample(u"B"_s));
        ASSERT_TRUE(b.hasValue());
        std::optional<ProfileDone> stored;
        store->setSecret(b->id, SecretKind::ClientSecret, kClientSecret, &m_context,
                         [&](const ProfileDone &r) { stored = r; });
        ASSERT_TRUE(waitFor(stored).value_or(ProfileDone::failure({})).hasValue());
        std::optional<ProfileResult> dup;
        store->duplicate(a->id, u"A2"_s, &m_context, [&](const ProfileResult &r) { dup = r; });
        ASSERT_TRUE(waitFor(dup).has_value());
    }
    EXPECT_EQ(open()->profiles().size(), 4);
    ASSERT_TRUE(QFileInfo(path()).size() > 0);
    EXPECT_EQ(filesContaining(m_dir.path(), kKey), QStringList());
    EXPECT_EQ(filesContaining(m_dir.path(), kClientSecret), QStringList());
    // The secret names are indexed in the settings, the secrets are not.
    QSettings settings(path(), QSettings::IniFormat);
    EXPECT_EQ(settings.value(u"secrets/known"_s).toStringList().size(), 3);
}

TEST_F(ProfileStoreTest, HostileNamesRoundTripAndStayValues)
{
    const QStringList hostile = {
        u"[General]"_s,
        u"profiles/order"_s,
        u"..\\..\\etc/passwd"_s,
        u"a=b;AccessKey=c"_s,
        u"\"quoted\" 'single' `back`"_s,
        u"%s%n%x %1 %%"_s,
        u"#comment ;semi"_s,
        u"Ünïcödé 名前 🚀"_s,
        u"  padded  "_s,
        QString(200, u'x'),
        u"<script>alert(1)</script>"_s,
    };
    QStringList ids;
    {
        auto store = open();
        for (const QString &name : hostile) {
            const ProfileResult r = store->add(sample(name));
            ASSERT_TRUE(r.hasValue()) << r.error().message.toStdString();
            ids.append(r->id);
        }
        for (const QString &bad : {u""_s, u"   "_s, u"line\nbreak"_s, u"tab\tname"_s, u"nul\0x"_s.left(5),
                                   QString(201, u'y'), u"bidi\u202Eoverride"_s}) {
            const ProfileResult r = store->add(sample(bad));
            EXPECT_FALSE(r.hasValue()) << "accepted a bad name";
        }
    }
    auto store = open();
    const QList<Profile> all = store->profiles();
    ASSERT_EQ(all.size(), hostile.size() + 1);
    for (qsizetype i = 0; i < hostile.size(); ++i) {
        EXPECT_EQ(all.at(i + 1).name, hostile.at(i));
        EXPECT_EQ(all.at(i + 1).id, ids.at(i));
        const auto exported = store->exportProfile(ids.at(i));
        ASSERT_TRUE(exported.hasValue());
        const ProfileResult back = store->importProfile(*exported);
        ASSERT_TRUE(back.hasValue());
        EXPECT_EQ(back->name, hostile.at(i));
    }
    // Names are values: the file's structure holds only our ids.
    QSettings settings(path(), QSettings::IniFormat);
    settings.beginGroup(u"profiles"_s);
    const QStringList groups = settings.childGroups();
    EXPECT_EQ(groups.size(), hostile.size() * 2);
    for (const QString &id : ids)
        EXPECT_TRUE(groups.contains(id));
}
