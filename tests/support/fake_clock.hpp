#pragma once
// Test doubles for the injected time services of util/clock.hpp: a settable clock, a sleeper
// that advances it instead of blocking, and a random source that returns scripted draws.
// All three lock a mutex, so multi-threaded tests may share them.

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

#include "wxbatch/util/clock.hpp"

namespace wxbatch::testing {

// A clock that only moves when told to. Monotonic and wall time advance together.
class FakeClock final : public Clock {
  public:
    // Starts at an arbitrary monotonic origin and at 2026-01-01T00:00:00Z on the wall.
    FakeClock()
        : m_mono(MonoTime{} + std::chrono::hours(1000)),
          m_wall(std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}) {}

    MonoTime now() const override {
        std::lock_guard lock(m_mutex);
        return m_mono;
    }
    WallTime wall_now() const override {
        std::lock_guard lock(m_mutex);
        return m_wall;
    }
    void set_now(MonoTime t) {
        std::lock_guard lock(m_mutex);
        m_mono = t;
    }
    void set_wall(WallTime t) {
        std::lock_guard lock(m_mutex);
        m_wall = t;
    }
    // Moves both clocks forward by `d` (rounded to the clock's tick).
    void advance(Duration d) {
        std::lock_guard lock(m_mutex);
        m_mono += std::chrono::round<MonoTime::duration>(d);
        m_wall += std::chrono::round<WallTime::duration>(d);
    }

  private:
    mutable std::mutex m_mutex;
    MonoTime m_mono;
    WallTime m_wall;
};

// A sleeper that advances a FakeClock by the requested duration and records every request.
class FakeSleeper final : public Sleeper {
  public:
    explicit FakeSleeper(FakeClock& clock) : m_clock(clock) {}

    void sleep_for(Duration d) override {
        {
            std::lock_guard lock(m_mutex);
            m_sleeps.push_back(d);
        }
        if (d.count() > 0) {
            m_clock.advance(d);
        }
    }
    // Every duration requested so far, in order.
    std::vector<Duration> sleeps() const {
        std::lock_guard lock(m_mutex);
        return m_sleeps;
    }
    // The sum of every requested duration, in seconds.
    double total_s() const {
        std::lock_guard lock(m_mutex);
        double total = 0;
        for (const auto& d : m_sleeps) {
            total += d.count();
        }
        return total;
    }
    std::size_t count() const {
        std::lock_guard lock(m_mutex);
        return m_sleeps.size();
    }

  private:
    FakeClock& m_clock;
    mutable std::mutex m_mutex;
    std::vector<Duration> m_sleeps;
};

// Returns lo + f * (hi - lo) for scripted fractions f, in order; once the script is used up,
// the fallback fraction (1.0 = always `hi` by default) is returned for every further draw.
class ScriptedRandom final : public Random {
  public:
    explicit ScriptedRandom(std::vector<double> fractions = {}, double fallback = 1.0)
        : m_script(fractions.begin(), fractions.end()), m_fallback(fallback) {}

    static ScriptedRandom always_hi() { return ScriptedRandom({}, 1.0); }
    static ScriptedRandom always_lo() { return ScriptedRandom({}, 0.0); }

    double uniform(double lo, double hi) override {
        std::lock_guard lock(m_mutex);
        double f = m_fallback;
        if (!m_script.empty()) {
            f = m_script.front();
            m_script.pop_front();
        }
        m_calls.emplace_back(lo, hi);
        return lo + f * (hi - lo);
    }
    // The (lo, hi) range of every draw so far.
    std::vector<std::pair<double, double>> calls() const {
        std::lock_guard lock(m_mutex);
        return m_calls;
    }

  private:
    mutable std::mutex m_mutex;
    std::deque<double> m_script;
    double m_fallback;
    std::vector<std::pair<double, double>> m_calls;
};

}  // namespace wxbatch::testing
