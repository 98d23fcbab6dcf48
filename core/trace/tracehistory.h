#pragma once

#include "common/expected.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace wps::trace {

class TraceStore;

/// The last trace sessions, kept as JSONL files (lossless, re-importable) in one directory, newest first;
/// older files beyond the limit are deleted when a new one is saved. Records are already redacted, so a
/// saved session holds no secret.
class TraceHistory
{
public:
    struct Entry
    {
        QString path;
        QDateTime saved;
        qint64 bytes = 0;
    };

    /// \a directory is created on the first save; \a keep is how many sessions survive (at least 1).
    explicit TraceHistory(QString directory, int keep = 5);

    /// Writes every record of \a store to a new file (trace-<UTC time>.jsonl) and prunes old ones. Returns
    /// the file's path, or an error text. An empty store is not saved (returns an empty path).
    Expected<QString, QString> save(const TraceStore &store) const;
    /// The saved sessions, newest first.
    QList<Entry> entries() const;
    QString directory() const { return m_directory; }

private:
    QString m_directory;
    int m_keep;
};

} // namespace wps::trace
