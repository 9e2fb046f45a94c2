#pragma once
// Time, waiting and randomness as injected services. Everything that waits or draws takes
// these by reference, so tests drive them with fakes and never sleep.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

namespace wxbatch {

using Duration = std::chrono::duration<double>;  // seconds, fractional
using MonoTime = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;

// A monotonic clock for measuring waits, plus the wall clock (HTTP-dates in Retry-After).
class Clock {
public:
    virtual ~Clock() = default;
    virtual MonoTime now() const = 0;
    virtual WallTime wall_now() const = 0;
};

// Blocks the calling thread for a duration (a fake advances a fake clock instead).
class Sleeper {
public:
    virtual ~Sleeper() = default;
    virtual void sleep_for(Duration d) = 0;
};

// A source of uniform random numbers in [lo, hi].
class Random {
public:
    virtual ~Random() = default;
    virtual double uniform(double lo, double hi) = 0;
};

class SystemClock final : public Clock {
public:
    MonoTime now() const override { return std::chrono::steady_clock::now(); }
    WallTime wall_now() const override { return std::chrono::system_clock::now(); }
};

class SystemSleeper final : public Sleeper {
public:
    void sleep_for(Duration d) override;
};

// Mersenne twister behind a mutex, so one instance may be shared by workers.
class SeededRandom final : public Random {
public:
    explicit SeededRandom(std::uint64_t seed);
    double uniform(double lo, double hi) override;

private:
    std::mutex m_mutex;
    std::mt19937_64 m_engine;
};

}  // namespace wxbatch
