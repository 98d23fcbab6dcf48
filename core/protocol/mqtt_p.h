#pragma once

// Internals of the MQTT codec (protocol/mqtt.h), shared by its files: mqttproperties.cpp (the property table,
// reading and writing properties), mqttdecode.cpp (packets from bytes), mqttencode.cpp (packets to bytes) and
// mqtt.cpp (names and topic rules). Not for use outside them.

#include "protocol/mqtt.h"

#include <QCoreApplication>
#include <QStringDecoder>

namespace wps::mqtt::detail {

inline QString tr(const char *text)
{
    return QCoreApplication::translate("wps::mqtt", text);
}

constexpr quint32 kMaxRemainingLength = 268435455;
constexpr qsizetype kMaxStringBytes = 65535;

/// Where a property may appear: one bit per packet type, bit 0 for the will properties of CONNECT.
constexpr quint32 bit(PacketType type)
{
    return 1u << static_cast<quint8>(type);
}
constexpr quint32 kWill = 1u;

// ---- reading -------------------------------------------------------------------------------------------

/// Reads big-endian MQTT data types from one packet; the first failure sticks.
class Reader
{
public:
    explicit Reader(QByteArrayView data)
        : m_data(data)
    {
    }
    bool ok() const { return !m_error; }
    bool atEnd() const { return m_pos >= m_data.size(); }
    qsizetype remaining() const { return m_data.size() - m_pos; }
    const DecodeError &error() const { return *m_error; }
    void fail(quint8 reason, const QString &message)
    {
        if (!m_error)
            m_error = DecodeError{reason, message};
    }
    bool need(qsizetype bytes, const char *what)
    {
        if (m_error)
            return false;
        if (remaining() < bytes) {
            fail(Reason::MalformedPacket, tr("The packet ends inside its %1.").arg(QLatin1StringView(what)));
            return false;
        }
        return true;
    }
    quint8 u8(const char *what)
    {
        if (!need(1, what))
            return 0;
        return static_cast<quint8>(m_data[m_pos++]);
    }
    quint16 u16(const char *what)
    {
        if (!need(2, what))
            return 0;
        const quint16 v = static_cast<quint16>((static_cast<quint8>(m_data[m_pos]) << 8) |
                                               static_cast<quint8>(m_data[m_pos + 1]));
        m_pos += 2;
        return v;
    }
    quint32 u32(const char *what)
    {
        if (!need(4, what))
            return 0;
        quint32 v = 0;
        for (int i = 0; i < 4; ++i)
            v = (v << 8) | static_cast<quint8>(m_data[m_pos + i]);
        m_pos += 4;
        return v;
    }
    quint32 varInt(const char *what)
    {
        quint32 value = 0;
        for (int i = 0; i < 4; ++i) {
            const quint8 byte = u8(what);
            if (!ok())
                return 0;
            value |= static_cast<quint32>(byte & 0x7F) << (7 * i);
            if ((byte & 0x80) == 0)
                return value;
        }
        fail(Reason::MalformedPacket,
             tr("A variable byte integer (%1) is longer than 4 bytes.").arg(QLatin1StringView(what)));
        return 0;
    }
    QByteArray binary(const char *what)
    {
        const quint16 length = u16(what);
        if (!need(length, what))
            return {};
        QByteArray bytes = m_data.sliced(m_pos, length).toByteArray();
        m_pos += length;
        return bytes;
    }
    QString string(const char *what)
    {
        const QByteArray bytes = binary(what);
        if (!ok())
            return {};
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        QString text = decoder(bytes);
        if (decoder.hasError()) {
            fail(Reason::MalformedPacket, tr("The %1 is not valid UTF-8.").arg(QLatin1StringView(what)));
            return {};
        }
        if (text.contains(QChar(u'\0'))) {
            fail(Reason::MalformedPacket,
                 tr("The %1 contains the character U+0000.").arg(QLatin1StringView(what)));
            return {};
        }
        return text;
    }
    QByteArrayView take(qsizetype bytes)
    {
        QByteArrayView view = m_data.sliced(m_pos, bytes);
        m_pos += bytes;
        return view;
    }
    QByteArrayView rest()
    {
        QByteArrayView view = m_data.sliced(m_pos);
        m_pos = m_data.size();
        return view;
    }

private:
    QByteArrayView m_data;
    qsizetype m_pos = 0;
    std::optional<DecodeError> m_error;
};

void readProperties(Reader &r, quint32 context, Properties &p);

// ---- writing -------------------------------------------------------------------------------------------

class Writer
{
public:
    void u8(quint8 v) { m_out.append(static_cast<char>(v)); }
    void u16(quint16 v)
    {
        u8(static_cast<quint8>(v >> 8));
        u8(static_cast<quint8>(v & 0xFF));
    }
    void u32(quint32 v)
    {
        for (int shift = 24; shift >= 0; shift -= 8)
            u8(static_cast<quint8>((v >> shift) & 0xFF));
    }
    void varInt(quint32 v)
    {
        if (v > kMaxRemainingLength) {
            fail(tr("A variable byte integer is larger than 268,435,455."));
            return;
        }
        do {
            quint8 byte = v & 0x7F;
            v >>= 7;
            if (v)
                byte |= 0x80;
            u8(byte);
        } while (v);
    }
    void binary(QByteArrayView bytes)
    {
        if (bytes.size() > kMaxStringBytes) {
            fail(tr("A string or binary field is longer than 65,535 bytes."));
            return;
        }
        u16(static_cast<quint16>(bytes.size()));
        m_out.append(bytes);
    }
    void string(const QString &text) { binary(text.toUtf8()); }
    void raw(QByteArrayView bytes) { m_out.append(bytes); }
    void fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = message;
    }
    const QString &error() const { return m_error; }
    QByteArray &bytes() { return m_out; }

private:
    QByteArray m_out;
    QString m_error;
};

void writeProperties(Writer &w, const Properties &p);

bool isEmpty(const Properties &p);

} // namespace wps::mqtt::detail
