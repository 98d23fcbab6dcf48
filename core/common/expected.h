#pragma once

#include <utility>
#include <variant>

namespace wps {

/// A value or an error, never both. Errors are data (docs/style.md rule 15): the caller decides how to show
/// them. A small stand-in for C++23's std::expected, which GCC 12 does not ship in C++20 mode.
template <typename T, typename E>
class Expected
{
public:
    Expected(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    {
    }
    static Expected failure(E error) { return Expected(std::in_place_index<1>, std::move(error)); }

    bool hasValue() const { return m_data.index() == 0; }
    explicit operator bool() const { return hasValue(); }

    const T &value() const & { return std::get<0>(m_data); }
    T &value() & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &std::get<0>(m_data); }

    const E &error() const & { return std::get<1>(m_data); }

private:
    template <std::size_t I, typename V>
    Expected(std::in_place_index_t<I> tag, V &&v)
        : m_data(tag, std::forward<V>(v))
    {
    }
    std::variant<T, E> m_data;
};

} // namespace wps
