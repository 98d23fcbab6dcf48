#include "secrets/secretstore.h"

#include <QMetaObject>
#include <QPointer>

using namespace Qt::Literals::StringLiterals;

namespace wps::secrets {

namespace {
constexpr QStringView kPrefix = u"profile/";

QString kindName(SecretKind kind)
{
    switch (kind) {
    case SecretKind::AccessKey:
        return u"access-key"_s;
    case SecretKind::ClientSecret:
        return u"client-secret"_s;
    }
    return u"access-key"_s;
}
} // namespace

QString SecretKey::name() const
{
    return kPrefix + profileId + u'/' + kindName(kind);
}

SecretKey SecretKey::fromName(const QString &name)
{
    if (!name.startsWith(kPrefix))
        return {};
    const QStringView rest = QStringView(name).mid(kPrefix.size());
    const qsizetype slash = rest.lastIndexOf(u'/');
    if (slash <= 0)
        return {};
    const QStringView kind = rest.mid(slash + 1);
    for (SecretKind k : {SecretKind::AccessKey, SecretKind::ClientSecret}) {
        if (kind == kindName(k))
            return SecretKey{rest.left(slash).toString(), k};
    }
    return {};
}

SecretStore::~SecretStore() = default;

void SecretStore::deliver(QObject *context, std::function<void()> fn)
{
    Q_ASSERT(context);
    QPointer<QObject> guard(context);
    if (!guard)
        return;
    QMetaObject::invokeMethod(
        context,
        [guard, fn = std::move(fn)] {
            if (guard)
                fn();
        },
        Qt::QueuedConnection);
}

} // namespace wps::secrets
