// MemorySecretStore, SecretKey and SecretIndex: no keychain needed (keychain tests: keychain_test.cpp).
#include "secrets/memorysecretstore.h"
#include "secrets/secretindex.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include <memory>
#include <optional>

using namespace Qt::Literals::StringLiterals;
using namespace wps::secrets;

namespace {

template <typename T>
std::optional<T> waitFor(std::optional<T> &slot)
{
    EXPECT_TRUE(QTest::qWaitFor([&] { return slot.has_value(); }, 5000));
    return slot;
}

} // namespace

TEST(SecretKey, NameIsScopedPerProfileAndKind)
{
    const SecretKey a{u"p1"_s, SecretKind::AccessKey};
    const SecretKey b{u"p1"_s, SecretKind::ClientSecret};
    const SecretKey c{u"p2"_s, SecretKind::AccessKey};
    EXPECT_EQ(a.name(), u"profile/p1/access-key"_s);
    EXPECT_NE(a.name(), b.name());
    EXPECT_NE(a.name(), c.name());
    EXPECT_EQ(SecretKey::fromName(b.name()), b);
    EXPECT_TRUE(SecretKey::fromName(u"other/p1/access-key"_s).profileId.isEmpty());
    EXPECT_TRUE(SecretKey::fromName(u"profile/p1/password"_s).profileId.isEmpty());
    EXPECT_TRUE(SecretKey::fromName(u"profile//access-key"_s).profileId.isEmpty());
}

TEST(MemorySecretStore, WrittenSecretsReadBackPerKindAndRemovalIsIdempotent)
{
    MemorySecretStore store;
    QObject context;
    const SecretKey key{u"p1"_s, SecretKind::AccessKey};

    std::optional<SecretDone> written;
    store.write(key, u"s3cr3t-value"_s, &context, [&](const SecretDone &r) { written = r; });
    EXPECT_FALSE(written.has_value()) << "callbacks never run inside the call";
    ASSERT_TRUE(waitFor(written).value_or(SecretDone::failure({})).hasValue());

    std::optional<SecretValue> read;
    store.read(key, &context, [&](const SecretValue &r) { read = r; });
    ASSERT_TRUE(waitFor(read).has_value());
    ASSERT_TRUE(read->hasValue());
    EXPECT_EQ(read->value(), u"s3cr3t-value"_s);

    std::optional<SecretValue> other;
    store.read(SecretKey{u"p1"_s, SecretKind::ClientSecret}, &context,
               [&](const SecretValue &r) { other = r; });
    ASSERT_TRUE(waitFor(other).has_value());
    ASSERT_FALSE(other->hasValue());
    EXPECT_EQ(other->error().kind, SecretErrorKind::NotFound);

    std::optional<SecretDone> removed;
    store.remove(key, &context, [&](const SecretDone &r) { removed = r; });
    ASSERT_TRUE(waitFor(removed).value_or(SecretDone::failure({})).hasValue());
    EXPECT_EQ(store.size(), 0);

    std::optional<SecretDone> removedAgain;
    store.remove(key, &context, [&](const SecretDone &r) { removedAgain = r; });
    EXPECT_TRUE(waitFor(removedAgain).value_or(SecretDone::failure({})).hasValue())
        << "removing a missing secret succeeds";
}

TEST(MemorySecretStore, NoCallbackAfterContextIsGone)
{
    MemorySecretStore store;
    auto context = std::make_unique<QObject>();
    int calls = 0;
    store.write(SecretKey{u"p"_s, SecretKind::AccessKey}, u"x"_s, context.get(),
                [&](const SecretDone &) { ++calls; });
    context.reset();
    QObject probeContext;
    std::optional<SecretBackendStatus> status;
    store.probe(&probeContext, [&](const SecretBackendStatus &s) { status = s; });
    ASSERT_TRUE(waitFor(status).has_value()); // queued after the write's answer, so that one was dropped
    EXPECT_EQ(calls, 0);
    EXPECT_TRUE(status->available);
    EXPECT_FALSE(status->persistent);
}

TEST(SecretIndex, KeepsNamesOnlyPerProfile)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(u"index.ini"_s);
    {
        QSettings settings(path, QSettings::IniFormat);
        SecretIndex index(&settings);
        index.add(SecretKey{u"a"_s, SecretKind::AccessKey});
        index.add(SecretKey{u"a"_s, SecretKind::ClientSecret});
        index.add(SecretKey{u"b"_s, SecretKind::AccessKey});
        index.add(SecretKey{u"b"_s, SecretKind::AccessKey}); // no duplicates
        index.remove(SecretKey{u"a"_s, SecretKind::ClientSecret});
    }
    QSettings settings(path, QSettings::IniFormat);
    SecretIndex index(&settings);
    EXPECT_EQ(index.keys().size(), 2);
    EXPECT_EQ(index.keysOf(u"a"_s).size(), 1);
    EXPECT_TRUE(index.contains(SecretKey{u"b"_s, SecretKind::AccessKey}));
    EXPECT_FALSE(index.contains(SecretKey{u"a"_s, SecretKind::ClientSecret}));
}
