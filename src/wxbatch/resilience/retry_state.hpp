#pragma once
// The state a retry decision looks at, with Tenacity's meaning of each field.

namespace wxbatch::resilience {

struct RetryState {
    int attempt_number = 1;          // the attempt that just failed, counted from 1
    double seconds_since_start = 0;  // from the first attempt's start to now
    double upcoming_sleep = 0;       // the wait computed for this decision (0 before it is)
    double idle_for = 0;             // total seconds slept between attempts so far
};

}  // namespace wxbatch::resilience
