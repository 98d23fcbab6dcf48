#include "trace/tracehistory.h"

#include "trace/tracejsonl.h"
#include "trace/tracestore.h"

#include <QDir>
#include <QFileInfo>
#include <QObject>
#include <QSaveFile>
#include <QTimeZone>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::trace {

TraceHistory::TraceHistory(QString directory, int keep)
    : m_directory(std::move(directory))
    , m_keep(std::max(1, keep))
{
}

Expected<QString, QString> TraceHistory::save(const TraceStore &store) const
{
    using Result = Expected<QString, QString>;
    if (store.count() == 0)
        return QString();
    if (!QDir().mkpath(m_directory))
        return Result::failure(QObject::tr("Cannot create %1.").arg(m_directory));
    // Millisecond UTC stamp: names sort by time and two windows closing together do not collide.
    const QString name =
        u"trace-"_s + QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd-HHmmss-zzz"_s) + u".jsonl"_s;
    const QString path = QDir(m_directory).filePath(name);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Result::failure(QObject::tr("Cannot write %1: %2").arg(path, file.errorString()));
    const auto written = exportJsonl(store, &file);
    if (!written)
        return Result::failure(written.error());
    if (!file.commit())
        return Result::failure(QObject::tr("Cannot write %1: %2").arg(path, file.errorString()));
    const QList<Entry> all = entries();
    for (qsizetype i = m_keep; i < all.size(); ++i)
        QFile::remove(all.at(i).path);
    return path;
}

QList<TraceHistory::Entry> TraceHistory::entries() const
{
    QList<Entry> out;
    const QFileInfoList files =
        QDir(m_directory).entryInfoList({u"trace-*.jsonl"_s}, QDir::Files, QDir::Name | QDir::Reversed);
    for (const QFileInfo &info : files)
        out.append(Entry{info.absoluteFilePath(), info.lastModified(), info.size()});
    return out;
}

} // namespace wps::trace
