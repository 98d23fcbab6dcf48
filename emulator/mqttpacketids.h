#pragma once

#include <QtGlobal>

#include <array>
#include <memory>

namespace wps::emulator {

/// The set of MQTT packet identifiers (1–65535) in flight on one session: a bitset allocated on first use
/// (8 KiB), so that marking and clearing an identifier per QoS 1 delivery costs a shift and a mask instead of
/// a hash insertion (the QSet it replaces was a tenth of the emulator's instructions per delivery in MQTT QoS
/// 1 fan-out, bench/README.md "MQTT").
class PacketIdSet
{
public:
    bool contains(quint16 id) const { return m_bits && ((*m_bits)[id >> 6] >> (id & 63)) & 1u; }

    /// Adds \a id; false when it was there already.
    bool insert(quint16 id)
    {
        if (!m_bits)
            m_bits = std::make_unique<Words>(); // zero-initialised
        quint64 &word = (*m_bits)[id >> 6];
        const quint64 bit = quint64(1) << (id & 63);
        if (word & bit)
            return false;
        word |= bit;
        ++m_size;
        return true;
    }

    /// Removes \a id; false when it was not there.
    bool remove(quint16 id)
    {
        if (!contains(id))
            return false;
        (*m_bits)[id >> 6] &= ~(quint64(1) << (id & 63));
        --m_size;
        return true;
    }

    int size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    void clear()
    {
        m_bits.reset();
        m_size = 0;
    }

private:
    using Words = std::array<quint64, 65536 / 64>;
    std::unique_ptr<Words> m_bits;
    int m_size = 0;
};

} // namespace wps::emulator
