#pragma once

#include "secrets/secretstore.h"

#include <QList>

class QSettings;

namespace wps::secrets {

/// The names of the secrets we stored, kept apart from the secrets themselves (docs/style.md rule 14):
/// keychains cannot be listed portably, and removing a profile must find every secret it owns. Names only --
/// a SecretKey::name() holds a profile id and a kind, never secret material.
class SecretIndex
{
public:
    /// Uses the `secrets/known` entry of \a settings, which must outlive this index.
    explicit SecretIndex(QSettings *settings);

    QList<SecretKey> keys() const;
    QList<SecretKey> keysOf(const QString &profileId) const;
    bool contains(const SecretKey &key) const;
    void add(const SecretKey &key);
    void remove(const SecretKey &key);

private:
    QStringList names() const;
    void setNames(const QStringList &names);

    QSettings *m_settings;
};

} // namespace wps::secrets
