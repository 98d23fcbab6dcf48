#pragma once

// Readable gtest messages for Qt types.
#include <QByteArray>
#include <QString>
#include <QUrl>

#include <ostream>

QT_BEGIN_NAMESPACE
inline void PrintTo(const QString &s, std::ostream *os)
{
    *os << '"' << s.toStdString() << '"';
}
inline void PrintTo(const QByteArray &b, std::ostream *os)
{
    *os << '"' << b.toStdString() << '"';
}
inline void PrintTo(const QUrl &u, std::ostream *os)
{
    *os << u.toString().toStdString();
}
QT_END_NAMESPACE
