#include "panels/common/jsonhighlighter.h"

#include <QGuiApplication>
#include <QPalette>

namespace wps::ui {

JsonHighlighter::JsonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    setDarkBackground(QGuiApplication::palette().color(QPalette::Base).lightness() < 128);
}

void JsonHighlighter::setDarkBackground(bool dark)
{
    // Two sets with enough contrast on white and on a dark grey base.
    m_key.setForeground(dark ? QColor(0x9c, 0xdc, 0xfe) : QColor(0x04, 0x51, 0xa5));
    m_string.setForeground(dark ? QColor(0xce, 0x91, 0x78) : QColor(0xa3, 0x15, 0x15));
    m_number.setForeground(dark ? QColor(0xb5, 0xce, 0xa8) : QColor(0x09, 0x86, 0x58));
    m_literal.setForeground(dark ? QColor(0x56, 0x9c, 0xd6) : QColor(0x00, 0x00, 0xff));
    m_literal.setFontWeight(QFont::DemiBold);
    m_punctuation.setForeground(dark ? QColor(0xa0, 0xa0, 0xa0) : QColor(0x60, 0x60, 0x60));
    rehighlight();
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    // State carried across lines: 1 = inside a string that continues on the next line (JSON forbids raw
    // newlines in strings, but a user may be mid-edit).
    const qsizetype n = text.size();
    qsizetype i = 0;
    if (previousBlockState() == 1) {
        qsizetype j = 0;
        bool escaped = false;
        while (j < n && (escaped || text[j] != u'"')) {
            escaped = !escaped && text[j] == u'\\';
            ++j;
        }
        setFormat(0, int(std::min(j + 1, n)), m_string);
        if (j >= n) {
            setCurrentBlockState(1);
            return;
        }
        i = j + 1;
    }
    setCurrentBlockState(0);
    while (i < n) {
        const QChar c = text[i];
        if (c == u'"') {
            qsizetype j = i + 1;
            bool escaped = false;
            while (j < n && (escaped || text[j] != u'"')) {
                escaped = !escaped && text[j] == u'\\';
                ++j;
            }
            if (j >= n) {
                setFormat(int(i), int(n - i), m_string);
                setCurrentBlockState(1);
                return;
            }
            // A key is a string followed (after spaces) by ':'.
            qsizetype k = j + 1;
            while (k < n && text[k].isSpace())
                ++k;
            setFormat(int(i), int(j - i + 1), k < n && text[k] == u':' ? m_key : m_string);
            i = j + 1;
        } else if (c.isDigit() || c == u'-') {
            qsizetype j = i + 1;
            while (j < n && (text[j].isDigit() || text[j] == u'.' || text[j] == u'e' || text[j] == u'E' ||
                             text[j] == u'+' || text[j] == u'-'))
                ++j;
            setFormat(int(i), int(j - i), m_number);
            i = j;
        } else if (c.isLetter()) {
            qsizetype j = i + 1;
            while (j < n && text[j].isLetter())
                ++j;
            const QStringView word = QStringView(text).mid(i, j - i);
            if (word == u"true" || word == u"false" || word == u"null")
                setFormat(int(i), int(j - i), m_literal);
            i = j;
        } else {
            if (c == u'{' || c == u'}' || c == u'[' || c == u']' || c == u':' || c == u',')
                setFormat(int(i), 1, m_punctuation);
            ++i;
        }
    }
}

} // namespace wps::ui
