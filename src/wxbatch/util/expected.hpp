#pragma once
// A small Expected<T, E> (GCC 12 has no std::expected): a value or an error, never both.
// Used at every I/O boundary (HTTP, CSV, files) so that failures are values, not exceptions.

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace wxbatch {

template <class E>
class Unexpected {
public:
    explicit Unexpected(E error) : m_error(std::move(error)) {}
    E& error() & { return m_error; }
    E&& error() && { return std::move(m_error); }

private:
    E m_error;
};

template <class E>
Unexpected<std::decay_t<E>> unexpected(E&& error) {
    return Unexpected<std::decay_t<E>>(std::forward<E>(error));
}

template <class T, class E>
class [[nodiscard]] Expected {
public:
    Expected(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    template <class G>
    Expected(Unexpected<G> error) : m_state(std::in_place_index<1>, E(std::move(error).error())) {}

    bool has_value() const { return m_state.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { assert(has_value()); return std::get<0>(m_state); }
    const T& value() const& { assert(has_value()); return std::get<0>(m_state); }
    T&& value() && { assert(has_value()); return std::get<0>(std::move(m_state)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    E& error() & { assert(!has_value()); return std::get<1>(m_state); }
    const E& error() const& { assert(!has_value()); return std::get<1>(m_state); }
    E&& error() && { assert(!has_value()); return std::get<1>(std::move(m_state)); }

private:
    std::variant<T, E> m_state;
};

// Expected<void, E>: success carries nothing.
template <class E>
class [[nodiscard]] Expected<void, E> {
public:
    Expected() = default;
    template <class G>
    Expected(Unexpected<G> error) : m_error(E(std::move(error).error())), m_failed(true) {}

    bool has_value() const { return !m_failed; }
    explicit operator bool() const { return has_value(); }
    const E& error() const& { assert(m_failed); return m_error; }
    E&& error() && { assert(m_failed); return std::move(m_error); }

private:
    E m_error{};
    bool m_failed = false;
};

}  // namespace wxbatch
