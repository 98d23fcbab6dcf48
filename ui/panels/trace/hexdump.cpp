#include "panels/trace/hexdump.h"

#include <QObject>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace wps::ui {

QString hexDump(const QByteArray &bytes)
{
    QString out;
    const qsizetype limit = std::min<qsizetype>(bytes.size(), 64 * 1024);
    for (qsizetype offset = 0; offset < limit; offset += 16) {
        const QByteArray line = bytes.mid(offset, 16);
        QString ascii;
        for (const char c : line)
            ascii += (c >= 0x20 && c < 0x7f) ? QChar::fromLatin1(c) : u'.';
        out += u"%1  %2  %3\n"_s.arg(qlonglong(offset), 8, 16, QChar(u'0'))
                   .arg(QString::fromLatin1(line.toHex(' ')), -47)
                   .arg(ascii);
    }
    if (limit < bytes.size())
        out += QObject::tr("… %n more byte(s)", nullptr, int(bytes.size() - limit));
    return out;
}

} // namespace wps::ui
