#include "protocol/jsontext.h"

#include <QCoreApplication>

#include <vector>

namespace wps::jsontext {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wps::jsontext", text);
}

/// A cursor over the text; every function advances it and never reads past the end.
struct Cursor
{
    const unsigned char *begin;
    const unsigned char *p;
    const unsigned char *end;
    QString error;

    explicit Cursor(QByteArrayView bytes)
        : begin(reinterpret_cast<const unsigned char *>(bytes.data()))
        , p(begin)
        , end(begin + bytes.size())
    {
    }

    bool fail(const char *what)
    {
        if (error.isEmpty())
            error = tr("%1 at offset %2.").arg(tr(what)).arg(p - begin);
        return false;
    }
    bool atEnd() const { return p >= end; }
    void skipWhitespace()
    {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            ++p;
    }
};

/// Length of the valid UTF-8 sequence at \a p (1..4), or 0 when it is invalid.
int utf8SequenceLength(const unsigned char *p, const unsigned char *end)
{
    const unsigned char c = *p;
    if (c < 0x80)
        return 1;
    auto cont = [&](int i) { return p + i < end && (p[i] & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(1) || !cont(2))
            return 0;
        if (c == 0xE0 && p[1] < 0xA0)
            return 0; // overlong
        if (c == 0xED && p[1] >= 0xA0)
            return 0; // a UTF-16 surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3))
            return 0;
        if (c == 0xF0 && p[1] < 0x90)
            return 0; // overlong
        if (c == 0xF4 && p[1] >= 0x90)
            return 0; // above U+10FFFF
        return 4;
    }
    return 0;
}

int hexValue(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// A string at the cursor (which is on its opening quote); when \a decoded is given, its unescaped text is
/// appended to it. Escaped lone surrogates are valid JSON and are kept.
bool scanString(Cursor &c, QString *decoded)
{
    ++c.p; // the opening quote
    while (true) {
        if (c.atEnd())
            return c.fail("Unterminated string");
        const unsigned char ch = *c.p;
        if (ch == '"') {
            ++c.p;
            return true;
        }
        if (ch < 0x20)
            return c.fail("Unescaped control character in a string");
        if (ch == '\\') {
            if (c.p + 1 >= c.end)
                return c.fail("Unterminated string");
            const unsigned char e = c.p[1];
            char16_t unit = 0;
            switch (e) {
            case '"':
            case '\\':
            case '/':
                unit = e;
                break;
            case 'b':
                unit = '\b';
                break;
            case 'f':
                unit = '\f';
                break;
            case 'n':
                unit = '\n';
                break;
            case 'r':
                unit = '\r';
                break;
            case 't':
                unit = '\t';
                break;
            case 'u': {
                if (c.end - c.p < 6)
                    return c.fail("Incomplete \\u escape");
                int value = 0;
                for (int i = 2; i < 6; ++i) {
                    const int h = hexValue(c.p[i]);
                    if (h < 0)
                        return c.fail("Invalid \\u escape");
                    value = value * 16 + h;
                }
                unit = static_cast<char16_t>(value);
                c.p += 4;
                break;
            }
            default:
                return c.fail("Invalid escape in a string");
            }
            c.p += 2;
            if (decoded)
                decoded->append(QChar(unit));
            continue;
        }
        const int length = utf8SequenceLength(c.p, c.end);
        if (length == 0)
            return c.fail("Invalid UTF-8");
        if (decoded)
            decoded->append(QString::fromUtf8(reinterpret_cast<const char *>(c.p), length));
        c.p += length;
    }
}

bool scanDigits(Cursor &c)
{
    const unsigned char *start = c.p;
    while (!c.atEnd() && *c.p >= '0' && *c.p <= '9')
        ++c.p;
    return c.p != start;
}

bool scanNumber(Cursor &c)
{
    if (*c.p == '-')
        ++c.p;
    if (c.atEnd())
        return c.fail("Invalid number");
    if (*c.p == '0') {
        ++c.p;
    } else if (!scanDigits(c)) {
        return c.fail("Invalid number");
    }
    if (!c.atEnd() && *c.p == '.') {
        ++c.p;
        if (!scanDigits(c))
            return c.fail("Invalid number");
    }
    if (!c.atEnd() && (*c.p == 'e' || *c.p == 'E')) {
        ++c.p;
        if (!c.atEnd() && (*c.p == '+' || *c.p == '-'))
            ++c.p;
        if (!scanDigits(c))
            return c.fail("Invalid number");
    }
    return true;
}

bool scanLiteral(Cursor &c, QByteArrayView word)
{
    if (c.end - c.p < word.size() || QByteArrayView(c.p, word.size()) != word)
        return c.fail("Invalid value");
    c.p += word.size();
    return true;
}

/// A member name and its colon, the cursor on the name's opening quote (whitespace skipped).
bool scanMemberName(Cursor &c, QString *decoded)
{
    if (c.atEnd() || *c.p != '"')
        return c.fail("Expected a member name");
    if (!scanString(c, decoded))
        return false;
    c.skipWhitespace();
    if (c.atEnd() || *c.p != ':')
        return c.fail("Expected ':'");
    ++c.p;
    return true;
}

/// One JSON value at the cursor (leading whitespace skipped here), nested containers included. Iterative:
/// the nesting is kept in an explicit stack, so hostile depth costs no machine stack.
bool scanValue(Cursor &c)
{
    std::vector<char> stack; // '{' or '[' per open container
    while (true) {
        // A value starts here.
        c.skipWhitespace();
        if (c.atEnd())
            return c.fail("Expected a value");
        switch (*c.p) {
        case '{':
        case '[': {
            const char open = static_cast<char>(*c.p);
            if (stack.size() >= static_cast<std::size_t>(kMaxDepth))
                return c.fail("Nested too deeply");
            ++c.p;
            c.skipWhitespace();
            if (!c.atEnd() && *c.p == (open == '{' ? '}' : ']')) {
                ++c.p;
                break; // an empty container is a complete value
            }
            stack.push_back(open);
            if (open == '{') {
                if (!scanMemberName(c, nullptr))
                    return false;
            }
            continue; // the first element or member value
        }
        case '"':
            if (!scanString(c, nullptr))
                return false;
            break;
        case 't':
            if (!scanLiteral(c, "true"))
                return false;
            break;
        case 'f':
            if (!scanLiteral(c, "false"))
                return false;
            break;
        case 'n':
            if (!scanLiteral(c, "null"))
                return false;
            break;
        default:
            if (*c.p == '-' || (*c.p >= '0' && *c.p <= '9')) {
                if (!scanNumber(c))
                    return false;
                break;
            }
            return c.fail("Invalid value");
        }
        // A value ended: close containers until one continues with ','.
        while (true) {
            if (stack.empty())
                return true;
            c.skipWhitespace();
            if (c.atEnd())
                return c.fail("Unterminated array or object");
            const char top = stack.back();
            const unsigned char ch = *c.p;
            if (ch == ',') {
                ++c.p;
                if (top == '{') {
                    c.skipWhitespace();
                    if (!scanMemberName(c, nullptr))
                        return false;
                }
                break; // the next value
            }
            if ((top == '{' && ch == '}') || (top == '[' && ch == ']')) {
                ++c.p;
                stack.pop_back();
                continue;
            }
            return c.fail(top == '{' ? "Expected ',' or '}'" : "Expected ',' or ']'");
        }
    }
}

} // namespace

QString checkValue(QByteArrayView bytes)
{
    Cursor c(bytes);
    c.skipWhitespace();
    if (!scanValue(c))
        return c.error;
    c.skipWhitespace();
    if (!c.atEnd()) {
        c.fail("Unexpected text after the value");
        return c.error;
    }
    return {};
}

std::optional<QByteArrayView> memberValue(QByteArrayView object, QStringView name)
{
    Cursor c(object);
    c.skipWhitespace();
    if (c.atEnd() || *c.p != '{')
        return std::nullopt;
    ++c.p;
    c.skipWhitespace();
    std::optional<QByteArrayView> found;
    if (!c.atEnd() && *c.p == '}')
        return found;
    while (true) {
        c.skipWhitespace();
        QString key;
        if (!scanMemberName(c, &key))
            return std::nullopt;
        c.skipWhitespace();
        const unsigned char *start = c.p;
        if (!scanValue(c))
            return std::nullopt;
        if (key == name)
            found = QByteArrayView(start, c.p - start);
        c.skipWhitespace();
        if (c.atEnd())
            return std::nullopt;
        if (*c.p == '}')
            break;
        if (*c.p != ',')
            return std::nullopt;
        ++c.p;
    }
    ++c.p;
    c.skipWhitespace();
    if (!c.atEnd())
        return std::nullopt;
    return found;
}

bool isValidUtf8(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const auto *end = p + bytes.size();
    while (p < end) {
        if (*p < 0x80) {
            ++p;
            continue;
        }
        const int length = utf8SequenceLength(p, end);
        if (length == 0)
            return false;
        p += length;
    }
    return true;
}

QByteArray toUtf8KeepingSurrogates(QStringView text)
{
    if (text.isValidUtf16())
        return text.toUtf8();
    QByteArray out;
    out.reserve(text.size() * 3);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text.at(i).unicode();
        if (QChar::isHighSurrogate(u) && i + 1 < text.size() &&
            QChar::isLowSurrogate(text.at(i + 1).unicode())) {
            out += text.mid(i, 2).toUtf8();
            ++i;
        } else if (QChar::isSurrogate(u)) {
            out += static_cast<char>(0xE0 | (u >> 12));
            out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (u & 0x3F));
        } else {
            out += QStringView(&text.data()[i], 1).toUtf8();
        }
    }
    return out;
}

} // namespace wps::jsontext
