#include "secrets/secretindex.h"

#include <QSettings>

using namespace Qt::Literals::StringLiterals;

namespace wps::secrets {

namespace {
const QString kIndexKey = u"secrets/known"_s;
}

SecretIndex::SecretIndex(QSettings *settings)
    : m_settings(settings)
{
}

QStringList SecretIndex::names() const
{
    return m_settings->value(kIndexKey).toStringList();
}

void SecretIndex::setNames(const QStringList &names)
{
    if (names.isEmpty())
        m_settings->remove(kIndexKey);
    else
        m_settings->setValue(kIndexKey, names);
}

QList<SecretKey> SecretIndex::keys() const
{
    QList<SecretKey> result;
    for (const QString &name : names()) {
        SecretKey key = SecretKey::fromName(name);
        if (!key.profileId.isEmpty())
            result.append(key);
    }
    return result;
}

QList<SecretKey> SecretIndex::keysOf(const QString &profileId) const
{
    QList<SecretKey> result;
    for (const SecretKey &key : keys()) {
        if (key.profileId == profileId)
            result.append(key);
    }
    return result;
}

bool SecretIndex::contains(const SecretKey &key) const
{
    return names().contains(key.name());
}

void SecretIndex::add(const SecretKey &key)
{
    QStringList list = names();
    if (!list.contains(key.name())) {
        list.append(key.name());
        setNames(list);
    }
}

void SecretIndex::remove(const SecretKey &key)
{
    QStringList list = names();
    if (list.removeAll(key.name()) > 0)
        setNames(list);
}

} // namespace wps::secrets
