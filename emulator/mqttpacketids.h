#pragma once

#include <QtGlobal>

#include <vector>

namespace wps::emulator {

/// The set of MQTT packet identifiers (1–65535) in flight on one session: a bitset that grows with the
/// highest identifier used (identifiers are handed out in order, so a session that sent few messages keeps a
/// few words; one that wrapped around keeps 8 KiB). Marking and clearing an identifier per QoS 1 delivery
/// costs a shift and a mask instead of a hash insertion (the QSet it replaces was several percent of the
/// emulator's instructions per delivery in MQTT QoS 1 fan-out, bench/README.md "MQTT").
class PacketIdSet
{
public:
    bool contains(quint16 id) const
    {
        const std::size_t word = id >> 6;
        return word < m_words.size() && (m_words[word] >> (id & 63)) & 1u;
    }

    /// Adds \a id; false when it was there already.
    bool insert(quint16 id)
    {
        const std::size_t word = id >> 6;
        if (word >= m_words.size())
            m_words.resize(word + 1); // new words are zero; the vector grows geometrically
        const quint64 bit = quint64(1) << (id & 63);
        if (m_words[word] & bit)
            return false;
        m_words[word] |= bit;
        ++m_size;
        return true;
    }

    /// Removes \a id; false when it was not there.
    bool remove(quint16 id)
    {
        if (!contains(id))
            return false;
        m_words[id >> 6] &= ~(quint64(1) << (id & 63));
        --m_size;
        return true;
    }

    int size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    void clear()
    {
        m_words.clear();
        m_size = 0;
    }

private:
    std::vector<quint64> m_words;
    int m_size = 0;
};

} // namespace wps::emulator
