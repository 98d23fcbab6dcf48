#include "emulator/upstream/httpresponseparser.h"

using namespace Qt::Literals::StringLiterals;

namespace wps::emulator::upstream {

namespace {

/// A chunk-size line (hex digits and extensions) longer than this is not a chunk size.
constexpr qsizetype kMaxChunkLine = 4096;

bool isTokenChar(char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

/// Field values and reason phrases: visible characters, spaces, tabs and obs-text; no other controls.
bool isFieldText(QByteArrayView text)
{
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7F)
            return false;
    }
    return true;
}

QByteArrayView trimmed(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

/// The comma-separated elements of every field named \a name, trimmed, empty ones dropped.
QList<QByteArrayView> listElements(const QList<QPair<QByteArray, QByteArray>> &headers, QByteArrayView name)
{
    QList<QByteArrayView> elements;
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        QByteArrayView rest(v);
        while (!rest.isEmpty()) {
            const qsizetype comma = rest.indexOf(',');
            const QByteArrayView element = trimmed(comma < 0 ? rest : rest.first(comma));
            if (!element.isEmpty())
                elements.append(element);
            rest = comma < 0 ? QByteArrayView() : rest.sliced(comma + 1);
        }
    }
    return elements;
}

/// A non-negative decimal of at most 18 digits (no sign, no spaces), else -1.
qint64 parseDecimal(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 18)
        return -1;
    qint64 value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

} // namespace

HttpResponseParser::HttpResponseParser(HttpResponseLimits limits)
    : m_limits(limits)
{
}

void HttpResponseParser::fail(Error error, QString detail)
{
    if (m_state == State::Failed)
        return;
    m_state = State::Failed;
    m_error = error;
    m_detail = std::move(detail);
    m_head.clear();
    m_line.clear();
    m_body.clear();
}

void HttpResponseParser::feed(QByteArrayView data)
{
    m_received += data.size();
    while (!data.isEmpty()) {
        switch (m_state) {
        case State::Head:
            feedHead(data);
            break;
        case State::Body:
            feedBody(data);
            break;
        case State::Complete:
            m_extra += data.size();
            return;
        case State::Failed:
            return;
        }
    }
}

void HttpResponseParser::feedHead(QByteArrayView &data)
{
    const qsizetype budget = m_limits.maxHeadBytes - m_headBytes - m_head.size();
    const qsizetype take = std::min(data.size(), std::max<qsizetype>(budget, 0));
    // Rescan the last two bytes kept: the blank line may start there.
    qsizetype from = std::max<qsizetype>(m_head.size() - 2, 0);
    m_head.append(data.first(take));
    qsizetype end = -1;
    for (qsizetype lf = m_head.indexOf('\n', from); lf >= 0; lf = m_head.indexOf('\n', lf + 1)) {
        if (lf + 1 < m_head.size() && m_head.at(lf + 1) == '\n') {
            end = lf + 2;
            break;
        }
        if (lf + 2 < m_head.size() && m_head.at(lf + 1) == '\r' && m_head.at(lf + 2) == '\n') {
            end = lf + 3;
            break;
        }
    }
    if (end < 0) {
        data = data.sliced(take);
        if (!data.isEmpty())
            fail(Error::HeadTooLarge);
        return;
    }
    const qsizetype unused = m_head.size() - end; // bytes of this feed after the head
    data = data.sliced(take - unused);
    m_head.truncate(end);
    m_headBytes += end;
    const QByteArray head = std::exchange(m_head, {});
    if (!parseHead(head))
        return;
    if (m_status < 200) {
        m_headers.clear(); // an interim answer (100 Continue, 103 Early Hints): the final one follows
        return;
    }
    if (!chooseFraming())
        return;
    m_state = m_framing == Framing::None ? State::Complete : State::Body;
}

bool HttpResponseParser::parseHead(QByteArrayView head)
{
    m_headers.clear();
    bool first = true;
    while (!head.isEmpty()) {
        const qsizetype lf = head.indexOf('\n');
        QByteArrayView line = lf < 0 ? head : head.first(lf);
        head = lf < 0 ? QByteArrayView() : head.sliced(lf + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        if (first) {
            first = false;
            if (!parseStatusLine(line))
                return false;
            continue;
        }
        if (line.isEmpty())
            break; // the blank line ending the head
        if (line.front() == ' ' || line.front() == '\t') {
            fail(Error::Malformed, u"a header line is folded onto the previous one"_s);
            return false;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            fail(Error::Malformed, u"a header line has no name or no colon"_s);
            return false;
        }
        const QByteArrayView name = line.first(colon);
        for (const char c : name) {
            if (!isTokenChar(c)) {
                fail(Error::Malformed, u"a header name holds a space or a control character"_s);
                return false;
            }
        }
        const QByteArrayView value = trimmed(line.sliced(colon + 1));
        if (!isFieldText(value)) {
            fail(Error::Malformed, u"a header value holds a control character"_s);
            return false;
        }
        m_headers.append({name.toByteArray(), value.toByteArray()});
    }
    return true;
}

bool HttpResponseParser::parseStatusLine(QByteArrayView line)
{
    // HTTP/1.x SP 3DIGIT [SP reason-phrase]
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (line.size() < 12 || !line.startsWith("HTTP/1.") || !digit(line.at(7)) || line.at(8) != ' ' ||
        !digit(line.at(9)) || !digit(line.at(10)) || !digit(line.at(11)) ||
        (line.size() > 12 && line.at(12) != ' ') || !isFieldText(line.sliced(12))) {
        fail(Error::Malformed, u"the status line is not 'HTTP/1.x <status> <reason>'"_s);
        return false;
    }
    m_minorVersion = line.at(7) - '0';
    m_status = (line.at(9) - '0') * 100 + (line.at(10) - '0') * 10 + (line.at(11) - '0');
    if (m_status < 100 || m_status > 599) {
        fail(Error::Malformed, u"the status %1 is not between 100 and 599"_s.arg(m_status));
        return false;
    }
    if (m_status == 101) {
        fail(Error::Malformed, u"it switched protocols (101) without being asked to"_s);
        return false;
    }
    return true;
}

bool HttpResponseParser::chooseFraming()
{
    for (const QByteArrayView token : listElements(m_headers, "Connection")) {
        if (token.compare("close", Qt::CaseInsensitive) == 0)
            m_connectionClose = true;
        else if (token.compare("keep-alive", Qt::CaseInsensitive) == 0)
            m_connectionKeepAlive = true;
    }
    for (const QByteArrayView parameter : listElements(m_headers, "Keep-Alive")) {
        if (parameter.size() > 8 && parameter.first(8).compare("timeout=", Qt::CaseInsensitive) == 0) {
            const qint64 seconds = parseDecimal(trimmed(parameter.sliced(8)));
            if (seconds >= 0)
                m_keepAliveTimeout = static_cast<int>(std::min<qint64>(seconds, 24 * 3600));
        }
    }

    if (m_status == 204 || m_status == 304) {
        m_framing = Framing::None; // never a body, whatever the fields say
        return true;
    }
    const QList<QByteArrayView> codings = listElements(m_headers, "Transfer-Encoding");
    const QList<QByteArrayView> lengths = listElements(m_headers, "Content-Length");
    if (!codings.isEmpty()) {
        // We ask for the identity content coding; the only transfer coding an answer may use is chunked.
        if (codings.size() != 1 || codings.front().compare("chunked", Qt::CaseInsensitive) != 0) {
            fail(Error::Malformed, u"the transfer coding is not 'chunked'"_s);
            return false;
        }
        if (!lengths.isEmpty())
            m_connectionClose = true; // both framings: read as chunked, then never reuse the connection
        m_framing = Framing::Chunked;
        m_chunk = ChunkState::Size;
        return true;
    }
    if (!lengths.isEmpty()) {
        const qint64 length = parseDecimal(lengths.front());
        for (const QByteArrayView other : lengths) {
            if (length < 0 || parseDecimal(other) != length) {
                fail(Error::Malformed, u"the Content-Length is not one decimal number"_s);
                return false;
            }
        }
        if (length > m_limits.maxBodyBytes) {
            fail(Error::BodyTooLarge);
            return false;
        }
        m_framing = length == 0 ? Framing::None : Framing::Length;
        m_remaining = length;
        return true;
    }
    m_framing = Framing::Close; // the body ends when the handler closes the connection
    return true;
}

void HttpResponseParser::feedBody(QByteArrayView &data)
{
    switch (m_framing) {
    case Framing::Length: {
        const qsizetype take = static_cast<qsizetype>(std::min<qint64>(m_remaining, data.size()));
        if (!appendBody(data.first(take)))
            return;
        data = data.sliced(take);
        m_remaining -= take;
        if (m_remaining == 0)
            m_state = State::Complete;
        return;
    }
    case Framing::Close:
        if (appendBody(data))
            data = {};
        return;
    case Framing::Chunked:
        feedChunked(data);
        return;
    case Framing::None:
        m_state = State::Complete;
        return;
    }
}

bool HttpResponseParser::takeLine(QByteArrayView &data, qsizetype limit)
{
    const qsizetype lf = data.indexOf('\n');
    const QByteArrayView part = lf < 0 ? data : data.first(lf);
    if (m_line.size() + part.size() > limit + 1) { // + 1: the CR before the LF
        if (m_chunk == ChunkState::Trailer)
            fail(Error::HeadTooLarge);
        else if (m_chunk == ChunkState::DataEnd)
            fail(Error::Malformed, u"a chunk is longer than its size"_s);
        else
            fail(Error::Malformed, u"a chunk size line is too long"_s);
        return false;
    }
    m_line.append(part);
    data = lf < 0 ? QByteArrayView() : data.sliced(lf + 1);
    if (lf < 0)
        return false;
    if (m_line.endsWith('\r'))
        m_line.chop(1);
    return true;
}

void HttpResponseParser::feedChunked(QByteArrayView &data)
{
    while (!data.isEmpty() && m_state == State::Body) {
        switch (m_chunk) {
        case ChunkState::Size: {
            if (!takeLine(data, kMaxChunkLine))
                break;
            const QByteArray line = std::exchange(m_line, {});
            qsizetype digits = 0;
            qint64 size = 0;
            // At most 15 hex digits are accumulated (< 2^60, no overflow); a longer size is refused below.
            while (digits < line.size()) {
                const char c = line.at(digits);
                int value = -1;
                if (c >= '0' && c <= '9')
                    value = c - '0';
                else if (c >= 'a' && c <= 'f')
                    value = c - 'a' + 10;
                else if (c >= 'A' && c <= 'F')
                    value = c - 'A' + 10;
                if (value < 0)
                    break;
                if (digits < 15)
                    size = size * 16 + value;
                ++digits;
            }
            const QByteArrayView rest = trimmed(QByteArrayView(line).sliced(digits));
            if (digits == 0 || digits > 15 || (!rest.isEmpty() && rest.front() != ';') ||
                !isFieldText(rest)) {
                fail(Error::Malformed, u"a chunk size is not a hexadecimal number"_s);
                break;
            }
            if (size == 0) {
                m_chunk = ChunkState::Trailer;
                break;
            }
            if (m_body.size() + size > m_limits.maxBodyBytes) {
                fail(Error::BodyTooLarge);
                break;
            }
            m_remaining = size;
            m_chunk = ChunkState::Data;
            break;
        }
        case ChunkState::Data: {
            const qsizetype take = static_cast<qsizetype>(std::min<qint64>(m_remaining, data.size()));
            if (!appendBody(data.first(take)))
                break;
            data = data.sliced(take);
            m_remaining -= take;
            if (m_remaining == 0)
                m_chunk = ChunkState::DataEnd;
            break;
        }
        case ChunkState::DataEnd:
            if (!takeLine(data, 0))
                break;
            m_line.clear();
            m_chunk = ChunkState::Size;
            break;
        case ChunkState::Trailer: {
            if (!takeLine(data, std::max<qsizetype>(m_limits.maxHeadBytes - m_headBytes - 2, 0)))
                break;
            const QByteArray line = std::exchange(m_line, {});
            m_headBytes += line.size() + 2;
            if (line.isEmpty())
                m_state = State::Complete; // trailer fields are read and dropped
            break;
        }
        }
    }
}

bool HttpResponseParser::appendBody(QByteArrayView bytes)
{
    if (m_body.size() + bytes.size() > m_limits.maxBodyBytes) {
        fail(Error::BodyTooLarge);
        return false;
    }
    m_body.append(bytes);
    return true;
}

void HttpResponseParser::finish()
{
    switch (m_state) {
    case State::Head:
        if (m_head.isEmpty() && m_headBytes == 0)
            fail(Error::ClosedBeforeAnswer);
        else
            fail(Error::Truncated, u"in its headers"_s);
        return;
    case State::Body:
        if (m_framing == Framing::Close)
            m_state = State::Complete;
        else
            fail(Error::Truncated, u"in its body"_s);
        return;
    case State::Complete:
    case State::Failed:
        return;
    }
}

bool HttpResponseParser::keepAlive() const
{
    return m_state == State::Complete && m_framing != Framing::Close && m_extra == 0 && !m_connectionClose &&
           (m_minorVersion >= 1 || m_connectionKeepAlive);
}

} // namespace wps::emulator::upstream
