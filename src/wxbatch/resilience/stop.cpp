#include "wxbatch/resilience/stop.hpp"

namespace wxbatch::resilience {

Stop operator|(const Stop& a, const Stop& b) {
    return Stop([a, b](const RetryState& s) { return a.should_stop(s) || b.should_stop(s); });
}

Stop operator&(const Stop& a, const Stop& b) {
    return Stop([a, b](const RetryState& s) { return a.should_stop(s) && b.should_stop(s); });
}

Stop stop_after_attempt(int attempts) {
    return Stop([attempts](const RetryState& s) { return s.attempt_number >= attempts; });
}

Stop stop_after_delay(double seconds) {
    return Stop([seconds](const RetryState& s) { return s.seconds_since_start >= seconds; });
}

Stop stop_before_delay(double seconds) {
    return Stop([seconds](const RetryState& s) {
        return s.seconds_since_start + s.upcoming_sleep >= seconds;
    });
}

Stop stop_never() {
    return Stop([](const RetryState&) { return false; });
}

}  // namespace wxbatch::resilience
