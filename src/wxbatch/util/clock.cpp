#include "wxbatch/util/clock.hpp"

#include <thread>

namespace wxbatch {

void SystemSleeper::sleep_for(Duration d) {
    if (d.count() > 0) {
        std::this_thread::sleep_for(d);
    }
}

SeededRandom::SeededRandom(std::uint64_t seed) : m_engine(seed) {}

double SeededRandom::uniform(double lo, double hi) {
    if (!(hi > lo)) {
        return lo;
    }
    std::lock_guard lock(m_mutex);
    return std::uniform_real_distribution<double>(lo, hi)(m_engine);
}

}  // namespace wxbatch
