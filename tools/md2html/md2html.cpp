// md2html: turns the Markdown subset the user guide uses into one HTML page for the console's built-in help
// viewer (QTextBrowser renders HTML 4 and a subset of CSS). Run at build time:
//   md2html INPUT.md OUTPUT.html "Title"
// Blocks: ATX headings, paragraphs, "-"/"*" and "1." lists (continuation lines indented; deeper items become
// nested lists), pipe tables, fenced code. Inline: `code`, **bold**, *italic*, [links](url), ![images](path).
// Image paths stay relative: the build copies the pictures next to the page.
#include <QFile>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {

QString inlineHtml(const QString &text)
{
    // Code spans first, kept out of every other rule.
    QStringList codes;
    QString out;
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype open = text.indexOf(u'`', i);
        const qsizetype close = open < 0 ? -1 : text.indexOf(u'`', open + 1);
        if (open < 0 || close < 0) {
            out += text.mid(i).toHtmlEscaped();
            break;
        }
        out += text.mid(i, open - i).toHtmlEscaped();
        codes.append(u"<code>"_s + text.mid(open + 1, close - open - 1).toHtmlEscaped() + u"</code>"_s);
        out += u"\x01%1\x02"_s.arg(codes.size() - 1);
        i = close + 1;
    }
    static const QRegularExpression image(uR"(!\[([^\]]*)\]\(([^)\s]+)\))"_s);
    out.replace(image, uR"(<img src="\2" alt="\1" width="560">)"_s);
    static const QRegularExpression link(uR"(\[([^\]]+)\]\(([^)\s]+)\))"_s);
    out.replace(link, uR"(<a href="\2">\1</a>)"_s);
    static const QRegularExpression bold(uR"(\*\*([^*]+)\*\*)"_s);
    out.replace(bold, u"<b>\\1</b>"_s);
    static const QRegularExpression italic(uR"((^|[\s(])\*([^*\s][^*]*)\*)"_s);
    out.replace(italic, u"\\1<i>\\2</i>"_s);
    static const QRegularExpression code(u"\x01(\\d+)\x02"_s);
    QString result;
    qsizetype last = 0;
    for (auto it = code.globalMatch(out); it.hasNext();) {
        const auto match = it.next();
        result += out.mid(last, match.capturedStart() - last) + codes.value(match.captured(1).toInt());
        last = match.capturedEnd();
    }
    return result + out.mid(last);
}

QStringList tableCells(QString line)
{
    line = line.trimmed();
    if (line.startsWith(u'|'))
        line.remove(0, 1);
    if (line.endsWith(u'|'))
        line.chop(1);
    // A "|" inside a code span is not a cell border.
    QStringList cells;
    QString cell;
    bool inCode = false;
    for (const QChar c : std::as_const(line)) {
        if (c == u'`')
            inCode = !inCode;
        if (c == u'|' && !inCode) {
            cells.append(cell.trimmed());
            cell.clear();
        } else {
            cell += c;
        }
    }
    cells.append(cell.trimmed());
    return cells;
}

QString convert(const QStringList &lines, const QString &title)
{
    static const QRegularExpression heading(u"^(#{1,6})\\s+(.*)$"_s);
    static const QRegularExpression item(u"^(\\s*)([-*]|\\d+\\.)\\s+(.*)$"_s);
    static const QRegularExpression separator(u"^\\s*\\|?\\s*:?-{3,}"_s);
    QString html = u"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title>\n"
                   "<style>code { background: #eeeeee; } th { background: #dddddd; } "
                   "td, th { padding: 3px 6px; }</style></head><body>\n"_s.arg(title.toHtmlEscaped());
    QString paragraph;
    QStringList listStack; // "ul"/"ol", one per open level
    QList<int> indents;
    bool itemOpen = false;
    auto flushParagraph = [&] {
        if (paragraph.isEmpty())
            return;
        if (itemOpen)
            html += inlineHtml(paragraph) + u'\n';
        else
            html += u"<p>"_s + inlineHtml(paragraph) + u"</p>\n"_s;
        paragraph.clear();
    };
    auto closeLists = [&](int toDepth) {
        flushParagraph();
        while (listStack.size() > toDepth) {
            html += u"</li></%1>\n"_s.arg(listStack.takeLast());
            indents.removeLast();
        }
        itemOpen = !listStack.isEmpty();
    };
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QString &line = lines.at(n);
        if (line.trimmed().startsWith(u"```"_s)) {
            closeLists(0);
            html += u"<pre>"_s;
            while (++n < lines.size() && !lines.at(n).trimmed().startsWith(u"```"_s))
                html += lines.at(n).toHtmlEscaped() + u'\n';
            html += u"</pre>\n"_s;
            continue;
        }
        if (line.trimmed().isEmpty()) {
            flushParagraph();
            // A blank line ends the lists unless the next line continues them (indented or another item).
            const QString next = n + 1 < lines.size() ? lines.at(n + 1) : QString();
            if (!item.match(next).hasMatch() && !next.startsWith(u"  "_s))
                closeLists(0);
            continue;
        }
        if (const auto h = heading.match(line); h.hasMatch()) {
            closeLists(0);
            const int level = int(h.captured(1).size());
            const QString text = h.captured(2);
            QString anchor = text.toLower();
            anchor.replace(QRegularExpression(u"[^a-z0-9]+"_s), u"-"_s);
            html += u"<h%1><a name=\"%2\"></a>%3</h%1>\n"_s.arg(level).arg(anchor, inlineHtml(text));
            continue;
        }
        if (line.trimmed().startsWith(u'|') && n + 1 < lines.size() &&
            separator.match(lines.at(n + 1)).hasMatch()) {
            closeLists(0);
            html += u"<table border=\"1\" cellspacing=\"0\">\n<tr>"_s;
            for (const QString &cell : tableCells(line))
                html += u"<th>"_s + inlineHtml(cell) + u"</th>"_s;
            html += u"</tr>\n"_s;
            n += 1;
            while (n + 1 < lines.size() && lines.at(n + 1).trimmed().startsWith(u'|')) {
                ++n;
                html += u"<tr>"_s;
                for (const QString &cell : tableCells(lines.at(n)))
                    html += u"<td>"_s + inlineHtml(cell) + u"</td>"_s;
                html += u"</tr>\n"_s;
            }
            html += u"</table>\n"_s;
            continue;
        }
        if (const auto m = item.match(line); m.hasMatch()) {
            flushParagraph();
            const int indent = int(m.captured(1).size());
            const QString kind = m.captured(2).at(0).isDigit() ? u"ol"_s : u"ul"_s;
            while (!indents.isEmpty() && indent < indents.last())
                closeLists(int(listStack.size()) - 1);
            if (indents.isEmpty() || indent > indents.last()) {
                html += u"<%1>\n<li>"_s.arg(kind);
                listStack.append(kind);
                indents.append(indent);
            } else {
                html += u"</li>\n<li>"_s;
            }
            itemOpen = true;
            paragraph = m.captured(3);
            continue;
        }
        paragraph += (paragraph.isEmpty() ? QString() : u" "_s) + line.trimmed();
    }
    closeLists(0);
    html += u"</body></html>\n"_s;
    return html;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: md2html INPUT.md OUTPUT.html TITLE\n");
        return 2;
    }
    QFile in(QString::fromLocal8Bit(argv[1]));
    if (!in.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "md2html: cannot read %s\n", argv[1]);
        return 1;
    }
    const QStringList lines = QString::fromUtf8(in.readAll()).split(u'\n');
    QFile out(QString::fromLocal8Bit(argv[2]));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        std::fprintf(stderr, "md2html: cannot write %s\n", argv[2]);
        return 1;
    }
    out.write(convert(lines, QString::fromLocal8Bit(argv[3])).toUtf8());
    return out.error() == QFileDevice::NoError ? 0 : 1;
}
