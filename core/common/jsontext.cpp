#include "common/jsontext.h"

#include <QJsonDocument>
#include <QString>

#include <algorithm>

namespace wps::jsontext {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// The index one past the string that starts at \a at (a '"'), honouring backslash escapes.
qsizetype skipString(const QByteArray &text, qsizetype at)
{
    qsizetype i = at + 1;
    while (i < text.size()) {
        const char c = text.at(i);
        if (c == '\\')
            i += 2;
        else if (c == '"')
            return i + 1;
        else
            ++i;
    }
    return text.size();
}

/// The index one past the value that starts at \a at (no leading whitespace).
qsizetype skipValue(const QByteArray &text, qsizetype at)
{
    if (at >= text.size())
        return at;
    const char first = text.at(at);
    if (first == '"')
        return skipString(text, at);
    if (first == '{' || first == '[') {
        int depth = 0;
        qsizetype i = at;
        while (i < text.size()) {
            const char c = text.at(i);
            if (c == '"') {
                i = skipString(text, i);
                continue;
            }
            if (c == '{' || c == '[')
                ++depth;
            else if ((c == '}' || c == ']') && --depth == 0)
                return i + 1;
            ++i;
        }
        return text.size();
    }
    qsizetype i = at;
    while (i < text.size() && !isSpace(text.at(i)) && text.at(i) != ',' && text.at(i) != '}' &&
           text.at(i) != ']')
        ++i;
    return i;
}

qsizetype skipSpace(const QByteArray &text, qsizetype i)
{
    while (i < text.size() && isSpace(text.at(i)))
        ++i;
    return i;
}

} // namespace

bool isJsonDocument(const QByteArray &bytes)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    return error.error == QJsonParseError::NoError && (document.isObject() || document.isArray());
}

std::optional<QByteArray> pretty(const QByteArray &json)
{
    if (!isJsonDocument(json))
        return std::nullopt;
    QByteArray out;
    out.reserve(json.size() * 2);
    int depth = 0;
    auto newline = [&out, &depth] {
        out += '\n';
        out += QByteArray(qsizetype(depth) * 4, ' ');
    };
    qsizetype i = skipSpace(json, 0);
    while (i < json.size()) {
        const char c = json.at(i);
        if (isSpace(c)) {
            ++i;
            continue;
        }
        switch (c) {
        case '"': {
            const qsizetype end = skipString(json, i);
            out += json.mid(i, end - i);
            i = end;
            continue;
        }
        case '{':
        case '[': {
            out += c;
            const qsizetype next = skipSpace(json, i + 1);
            if (next < json.size() && (json.at(next) == '}' || json.at(next) == ']')) {
                out += json.at(next); // an empty object or array stays on one line
                i = next + 1;
                continue;
            }
            ++depth;
            newline();
            i = next;
            continue;
        }
        case '}':
        case ']':
            --depth;
            newline();
            out += c;
            ++i;
            continue;
        case ',':
            out += ',';
            newline();
            i = skipSpace(json, i + 1);
            continue;
        case ':':
            out += ": ";
            i = skipSpace(json, i + 1);
            continue;
        default: {
            const qsizetype end = skipValue(json, i);
            out += json.mid(i, end - i);
            i = end;
            continue;
        }
        }
    }
    return out;
}

std::optional<QByteArray> rawMember(QByteArrayView view, QByteArrayView key)
{
    const QByteArray json = QByteArray::fromRawData(view.data(), view.size());
    qsizetype i = skipSpace(json, 0);
    if (i >= json.size() || json.at(i) != '{')
        return std::nullopt;
    i = skipSpace(json, i + 1);
    while (i < json.size() && json.at(i) == '"') {
        const qsizetype keyEnd = skipString(json, i);
        const bool match =
            keyEnd - i == key.size() + 2 && QByteArrayView(json.constData() + i + 1, key.size()) == key;
        i = skipSpace(json, keyEnd);
        if (i >= json.size() || json.at(i) != ':')
            return std::nullopt;
        i = skipSpace(json, i + 1);
        const qsizetype valueEnd = skipValue(json, i);
        if (match)
            return QByteArray(json.constData() + i, valueEnd - i); // a deep copy: \a view may go away
        i = skipSpace(json, valueEnd);
        if (i >= json.size() || json.at(i) != ',')
            return std::nullopt;
        i = skipSpace(json, i + 1);
    }
    return std::nullopt;
}

QByteArray maskMembers(const QByteArray &json, const std::function<bool(QStringView key)> &isSecret)
{
    QByteArray out;
    qsizetype copied = 0;
    qsizetype i = 0;
    while (i < json.size()) {
        if (json.at(i) != '"') {
            ++i;
            continue;
        }
        const qsizetype end = skipString(json, i);
        const qsizetype colon = skipSpace(json, end);
        if (colon >= json.size() || json.at(colon) != ':') {
            i = end; // a string value
            continue;
        }
        const QString key = QString::fromUtf8(json.mid(i + 1, std::max<qsizetype>(end - i - 2, 0)));
        const qsizetype valueAt = skipSpace(json, colon + 1);
        if (!isSecret(key) || valueAt >= json.size()) {
            i = valueAt;
            continue;
        }
        const qsizetype valueEnd = skipValue(json, valueAt);
        out += json.mid(copied, valueAt - copied);
        out += "\"***\"";
        copied = valueEnd;
        i = valueEnd;
    }
    if (copied == 0)
        return json;
    out += json.mid(copied);
    return out;
}

} // namespace wps::jsontext
