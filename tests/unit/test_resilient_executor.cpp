#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/fake_clock.hpp"
#include "wxbatch/resilience/resilient_executor.hpp"
#include "wxbatch/resilience/time_math.hpp"

namespace wxbatch::resilience {
namespace {

using webex::TransportErrorKind;
using wxbatch::testing::FakeClock;
using wxbatch::testing::FakeSleeper;
using wxbatch::testing::ScriptedRandom;

AttemptOutcome status(int code, std::optional<std::string> retry_after = std::nullopt) {
    AttemptOutcome o;
    o.http_status = code;
    o.retry_after = std::move(retry_after);
    return o;
}

AttemptOutcome transport(TransportErrorKind kind, bool maybe_sent = true) {
    AttemptOutcome o;
    o.transport = kind;
    o.request_may_have_been_sent = maybe_sent;
    return o;
}

BreakerSettings quiet_breaker() {
    BreakerSettings s;
    s.window = 100;
    s.minimum_calls = 100;
    return s;
}

// One scripted endpoint: answers in order (the last one repeats), recording when it was called.
struct Script {
    explicit Script(std::vector<AttemptOutcome> scripted) : answers(std::move(scripted)) {}
    std::vector<AttemptOutcome> answers;
    std::vector<int> numbers;
    std::vector<MonoTime> times;
};

class ResilientExecutorTest : public ::testing::Test {
  protected:
    ResilientExecutor make(RetrySettings retry = retry_profile("normal"),
                           BreakerSettings breaker = quiet_breaker(), RateLimitBudget budget = {}) {
        m_breaker.emplace(breaker);
        return ResilientExecutor(RetryPolicy(std::move(retry)), *m_breaker, m_governor, m_detector,
                                 m_clock, m_sleeper, m_random, m_stats, Duration(300), budget);
    }

    ExecutionResult run(ResilientExecutor& ex, Script& script, bool mutating = false,
                        std::int64_t row = -1) {
        auto attempt = [&](int n) {
            script.numbers.push_back(n);
            script.times.push_back(m_clock.now());
            const std::size_t i = std::min(script.numbers.size(), script.answers.size()) - 1;
            return script.answers[i];
        };
        return ex.execute(attempt, mutating, m_stop, row);
    }

    double since_start() const { return seconds_between(m_t0, m_clock.now()); }
    double at(const Script& s, std::size_t i) const { return seconds_between(m_t0, s.times[i]); }

    FakeClock m_clock;
    FakeSleeper m_sleeper{m_clock};
    ScriptedRandom m_random{{}, 1.0};  // full jitter draws its upper bound
    std::optional<CircuitBreaker> m_breaker;
    RateGovernor m_governor;
    SystemicDetector m_detector;
    ResilienceStats m_stats;
    std::atomic<bool> m_stop{false};
    MonoTime m_t0 = m_clock.now();
};

TEST_F(ResilientExecutorTest, SuccessAtTheFirstAttempt) {
    auto ex = make();
    Script s{{status(200)}};
    const ExecutionResult r = run(ex, s);
    EXPECT_EQ(r.outcome, ExecOutcome::Success);
    EXPECT_EQ(r.attempts, 1);
    EXPECT_EQ(r.waited_s, 0);
    EXPECT_EQ(s.numbers, (std::vector<int>{1}));
    EXPECT_EQ(m_sleeper.count(), 0u);
    EXPECT_EQ(m_stats.attempts(), 1);
}

TEST_F(ResilientExecutorTest, RetriesWithExactBackoffThenSucceeds) {
    auto ex = make();
    Script s{{status(503), status(503), status(503), status(200)}};
    const ExecutionResult r = run(ex, s);
    EXPECT_EQ(r.outcome, ExecOutcome::Success);
    EXPECT_EQ(r.attempts, 4);
    EXPECT_EQ(r.retry_waits, (std::vector<double>{1, 2, 4}));
    EXPECT_EQ(s.numbers, (std::vector<int>{1, 2, 3, 4}));
    EXPECT_EQ(at(s, 3), 7);
    EXPECT_DOUBLE_EQ(r.waited_s, 7);
    EXPECT_EQ(m_stats.retries_total(), 3);
    EXPECT_EQ(m_stats.retries_for("503"), 3);
}

TEST_F(ResilientExecutorTest, ExhaustedAfterMaxAttempts) {
    auto ex = make();
    Script s{{status(500)}};
    const ExecutionResult r = run(ex, s);
    EXPECT_EQ(r.outcome, ExecOutcome::GiveUpExhausted);
    EXPECT_EQ(r.stop_reason, StopReason::None);
    EXPECT_EQ(r.attempts, 5);
    EXPECT_EQ(r.retry_waits, (std::vector<double>{1, 2, 4, 8}));
    EXPECT_EQ(since_start(), 15);
    EXPECT_EQ(r.last_class.cause, "500");
    EXPECT_EQ(r.last.http_status, 500);
    EXPECT_EQ(m_stats.retries_for("500"), 4);
}

TEST_F(ResilientExecutorTest, MaxTotalPerRowGivesUpEarly) {
    RetrySettings retry = retry_profile("normal");
    retry.max_total_s = 2.5;
    auto ex = make(retry);
    Script s{{transport(TransportErrorKind::Connect, false)}};
    const ExecutionResult r = run(ex, s);
    EXPECT_EQ(r.outcome, ExecOutcome::GiveUpExhausted);
    EXPECT_EQ(r.attempts, 3);  // at 0 s, 1 s, 3 s: 3 s >= 2.5 s
    EXPECT_EQ(r.retry_waits, (std::vector<double>{1, 2}));
    EXPECT_EQ(m_stats.retries_for("connect"), 2);
}

TEST_F(ResilientExecutorTest, RetryAfterOverridesTheBackoff) {
    auto ex = make();
    Script s{{status(503, "3"), status(423, "Thu, 01 Jan 2026 00:00:10 GMT"), status(200)}};
    const ExecutionResult r = run(ex, s);
    EXPECT_EQ(r.outcome, ExecOutcome::Success);
    // 3 s, then an HTTP-date 10 s after the start, read at +3 s: 7 s.
    EXPECT_EQ(r.retry_waits, (std::vector<double>{3, 7}));
    EXPECT_EQ(at(s, 2), 10);
    EXPECT_TRUE(m_random.calls().empty());
}

TEST_F(ResilientExecutorTest, MalformedRetryAfterFallsBackToBackoff) {
    auto ex = make();
    Script s{{status(503, "rand(30),add(30)"), status(503, "-5"), status(200)}};
    const ExecutionResult r = run(ex, s);
    EXPECT_EQ(r.outcome, ExecOutcome::Success);
    EXPECT_EQ(r.retry_waits, (std::vector<double>{1, 2}));
    EXPECT_FALSE(r.retry_after_problem.empty());
    EXPECT_EQ(m_stats.to_json()["retry_after"]["ignored"], 2);
}

TEST_F(ResilientExecutorTest, RateLimitPausesAndDoesNotConsumeAttempts) {
    RetrySettings retry = retry_profile("normal");
    retry.max_attempts = 2;
    auto ex = make(retry);
    Script s{{status(429, "10"), status(429, "10"), status(429, "10"), status(503), status(200)}};
    const ExecutionResult r = run(ex, s);
    EXPECT_EQ(r.outcome, ExecOutcome::Success);
    EXPECT_EQ(r.attempts, 5);
    EXPECT_EQ(s.numbers, (std::vector<int>{1, 2, 3, 4, 5}));
    EXPECT_EQ(r.rate_limit_waits, (std::vector<double>{10, 10, 10}));
    EXPECT_EQ(r.retry_waits, (std::vector<double>{1}));
    EXPECT_EQ(at(s, 1), 10);
    EXPECT_EQ(at(s, 3), 30);
    EXPECT_EQ(at(s, 4), 31);
    EXPECT_DOUBLE_EQ(r.waited_s, 31);
    EXPECT_EQ(m_stats.rate_limit_waits(), 3);
    EXPECT_DOUBLE_EQ(m_stats.rate_limit_wait_s(), 30);
    EXPECT_EQ(m_governor.counters().pauses, 3);
    EXPECT_EQ(m_stats.retries_for("429"), 0);
}

TEST_F(ResilientExecutorTest, RateLimitWithoutRetryAfterUsesBackoff) {
    auto ex = make();
    Script s{{status(429), status(429, "garbage"), status(200)}};
    const ExecutionResult r = run(ex, s);
    EXPECT_EQ(r.outcome, ExecOutcome::Success);
    EXPECT_EQ(r.rate_limit_waits, (std::vector<double>{1, 2}));
    EXPECT_EQ(at(s, 2), 3);
}

TEST_F(ResilientExecutorTest, APauseFromAnotherWorkerHoldsTheFirstSend) {
    auto ex = make();
    m_governor.on_rate_limited(m_clock.now(), Duration(4));
    Script s{{status(200)}};
    const ExecutionResult r = run(ex, s);
    EXPECT_EQ(r.outcome, ExecOutcome::Success);
    EXPECT_EQ(at(s, 0), 4);
    EXPECT_DOUBLE_EQ(r.waited_s, 4);
    EXPECT_DOUBLE_EQ(m_stats.to_json()["blocked_seconds"]["governor"].get<double>(), 4);
}

TEST_F(ResilientExecutorTest, RateLimitBudgetByCount) {
    auto ex = make(retry_profile("normal"), quiet_breaker(), RateLimitBudget{2, 900});
    Script s{{status(429, "10")}};
    const ExecutionResult r = run(ex, s);
    EXPECT_EQ(r.outcome, ExecOutcome::GiveUpExhausted);
    EXPECT_EQ(r.attempts, 3);
    EXPECT_EQ(r.rate_limit_waits, (std::vector<double>{10, 10}));
    EXPECT_TRUE(r.last_class.rate_limited);
    // The last 429 still paused everyone.
    EXPECT_EQ(m_governor.paused_until(m_clock.now()), m_clock.now() + std::chrono::seconds(10));
}

TEST_F(ResilientExecutorTest, RateLimitBudgetBySeconds) {
    auto ex = make(retry_profile("normal"), quiet_breaker(), RateLimitBudget{20, 25});
    Script s{{status(429, "10")}};
    const ExecutionResult r = run(ex, s);
    EXPECT_EQ(r.outcome, ExecOutcome::GiveUpExhausted);
    EXPECT_EQ(r.attempts, 3);  // 10 + 10 + 10 > 25
    EXPECT_EQ(r.rate_limit_waits, (std::vector<double>{10, 10}));
}

TEST_F(ResilientExecutorTest, AmbiguousMutationReturnsAtOnce) {
    auto ex = make();
    for (const AttemptOutcome& o :
         {status(504), status(502), transport(TransportErrorKind::Timeout),
          transport(TransportErrorKind::ConnectionDropped, true)}) {
        Script s{{o, status(200)}};
        const ExecutionResult r = run(ex, s, /*mutating=*/true);
        EXPECT_EQ(r.outcome, ExecOutcome::Ambiguous);
        EXPECT_EQ(r.attempts, 1);
        EXPECT_TRUE(r.last.mutating);
        EXPECT_TRUE(r.last_class.ambiguous);
    }
    EXPECT_EQ(m_sleeper.count(), 0u);
}

TEST_F(ResilientExecutorTest, SameFailuresAreRetriedForReads) {
    auto ex = make();
    Script s{{status(504), transport(TransportErrorKind::Timeout), status(200)}};
    const ExecutionResult r = run(ex, s, /*mutating=*/false);
    EXPECT_EQ(r.outcome, ExecOutcome::Success);
    EXPECT_EQ(r.attempts, 3);
}

TEST_F(ResilientExecutorTest, RowErrorIsNonRetryable) {
    auto ex = make();
    Script s{{status(409), status(200)}};
    const ExecutionResult r = run(ex, s, true);
    EXPECT_EQ(r.outcome, ExecOutcome::NonRetryable);
    EXPECT_EQ(r.attempts, 1);
    EXPECT_EQ(r.last_class.error_class, webex::ErrorClass::RowErrorNonRetryable);
}

TEST_F(ResilientExecutorTest, StopFlagBeforeSendingSendsNothing) {
    auto ex = make();
    m_stop = true;
    Script s{{status(200)}};
    const ExecutionResult r = run(ex, s);
    EXPECT_EQ(r.outcome, ExecOutcome::Stopped);
    EXPECT_EQ(r.stop_reason, StopReason::Signal);
    EXPECT_EQ(r.attempts, 0);
    EXPECT_TRUE(s.numbers.empty());
}

TEST_F(ResilientExecutorTest, StopFlagDuringABackoffEndsIt) {
    auto ex = make();
    auto attempt = [&](int) {
        m_stop = true;
        return status(503);
    };
    const ExecutionResult r = ex.execute(attempt, false, m_stop);
    EXPECT_EQ(r.outcome, ExecOutcome::Stopped);
    EXPECT_EQ(r.stop_reason, StopReason::Signal);
    EXPECT_EQ(r.attempts, 1);
    EXPECT_EQ(m_sleeper.count(), 0u);
}

BreakerSettings touchy_breaker() {
    BreakerSettings b;
    b.window = 2;
    b.minimum_calls = 2;
    b.open_s = 5;
    b.half_open_probes = 1;
    b.max_open_total_s = 0;
    return b;
}

TEST_F(ResilientExecutorTest, BreakerOpenRowsWaitThenRecover) {
    auto ex = make(retry_profile("normal"), touchy_breaker());
    Script s{{status(503), status(503), status(200)}};
    const ExecutionResult r = run(ex, s);
    // 503 at 0 s, 503 at 1 s opens the breaker until 6 s; the 2 s backoff ends at 3 s, then
    // the row waits for the probe slot at 6 s, which succeeds and closes the breaker.
    EXPECT_EQ(r.outcome, ExecOutcome::Success);
    EXPECT_EQ(r.attempts, 3);
    EXPECT_EQ(at(s, 1), 1);
    EXPECT_EQ(at(s, 2), 6);
    EXPECT_DOUBLE_EQ(r.waited_s, 6);
    EXPECT_EQ(m_breaker->state(m_clock.now()), BreakerState::Closed);
    const auto json = m_stats.to_json();
    EXPECT_EQ(json["breaker"]["opens"], 1);
    EXPECT_EQ(json["breaker"]["half_opens"], 1);
    EXPECT_EQ(json["breaker"]["closes"], 1);
    EXPECT_DOUBLE_EQ(json["breaker"]["seconds_open"].get<double>(), 5);
    EXPECT_DOUBLE_EQ(json["blocked_seconds"]["breaker"].get<double>(), 3);
}

TEST_F(ResilientExecutorTest, BreakerOpenPastPolicyStopsTheRun) {
    BreakerSettings b = touchy_breaker();
    b.max_open_cycles = 1;
    RetrySettings retry = retry_profile("normal");
    retry.max_attempts = 50;
    auto ex = make(retry, b);
    Script s{{status(503)}};
    const ExecutionResult r = run(ex, s);
    // Opens at 1 s; the probe at 6 s fails and opens it again: two consecutive cycles > 1.
    EXPECT_EQ(r.outcome, ExecOutcome::Stopped);
    EXPECT_EQ(r.stop_reason, StopReason::SystemicBreaker);
    EXPECT_EQ(r.attempts, 3);
    EXPECT_EQ(at(s, 2), 6);
}

TEST_F(ResilientExecutorTest, PersistentUnauthorizedStopsWithAuthReason) {
    auto ex = make();
    int rechecks = 0;
    ex.set_token_recheck([&] {
        ++rechecks;
        return true;
    });
    Script s{{status(401)}};
    const ExecutionResult r = run(ex, s, false, 1);
    EXPECT_EQ(r.outcome, ExecOutcome::Stopped);
    EXPECT_EQ(r.stop_reason, StopReason::SystemicAuth);
    EXPECT_EQ(rechecks, 1);
    Script next{{status(200)}};
    const ExecutionResult after = run(ex, next, false, 2);
    EXPECT_EQ(after.stop_reason, StopReason::SystemicAuth);
    EXPECT_TRUE(next.numbers.empty());
}

TEST_F(ResilientExecutorTest, UnauthorizedWithoutRecheckIsARowError) {
    auto ex = make();
    Script s{{status(401)}};
    const ExecutionResult r = run(ex, s, false, 1);
    EXPECT_EQ(r.outcome, ExecOutcome::NonRetryable);
    EXPECT_EQ(m_detector.systemic(), std::nullopt);
}

TEST_F(ResilientExecutorTest, ForbiddenOnFiveRowsStopsWithScopeReason) {
    auto ex = make();
    for (std::int64_t row = 1; row <= 4; ++row) {
        Script s{{status(403)}};
        EXPECT_EQ(run(ex, s, true, row).outcome, ExecOutcome::NonRetryable) << row;
    }
    Script fifth{{status(403)}};
    const ExecutionResult r = run(ex, fifth, true, 5);
    EXPECT_EQ(r.outcome, ExecOutcome::Stopped);
    EXPECT_EQ(r.stop_reason, StopReason::SystemicScope);
}

TEST_F(ResilientExecutorTest, TlsFailureIsAConfigurationStop) {
    auto ex = make();
    Script s{{transport(TransportErrorKind::Tls, false)}};
    const ExecutionResult r = run(ex, s);
    EXPECT_EQ(r.outcome, ExecOutcome::Stopped);
    EXPECT_EQ(r.stop_reason, StopReason::SystemicConfig);
    EXPECT_EQ(r.attempts, 1);
}

TEST_F(ResilientExecutorTest, StatsJsonShape) {
    auto ex = make();
    Script s{{status(503), transport(TransportErrorKind::Timeout), status(429, "2"), status(200)}};
    ASSERT_EQ(run(ex, s).outcome, ExecOutcome::Success);
    const auto json = m_stats.to_json();
    EXPECT_EQ(json["attempts"], 4);
    EXPECT_EQ(json["retries"]["total"], 2);
    EXPECT_EQ(json["retries"]["by_cause"]["503"], 1);
    EXPECT_EQ(json["retries"]["by_cause"]["timeout"], 1);
    EXPECT_EQ(json["rate_limit_waits"]["count"], 1);
    EXPECT_DOUBLE_EQ(json["rate_limit_waits"]["seconds"].get<double>(), 2);
    EXPECT_EQ(json["rate_limit_waits"]["pauses"], 1);
    EXPECT_STREQ(to_string(ExecOutcome::GiveUpExhausted), "give_up_exhausted");
}

// Many workers share one breaker, governor, detector and stats: the counters add up exactly.
TEST(ResilientExecutorThreads, SharedCoreCountsEveryAttempt) {
    FakeClock clock;
    SeededRandom random(7);
    CircuitBreaker breaker(quiet_breaker());
    RateGovernor governor;
    SystemicDetector detector;
    ResilienceStats stats;
    std::atomic<bool> stop{false};
    std::atomic<int> sent{0};
    std::atomic<int> successes{0};
    std::atomic<int> attempts_reported{0};
    {
        std::vector<std::jthread> workers;
        for (int w = 0; w < 4; ++w) {
            workers.emplace_back([&] {
                FakeSleeper sleeper(clock);
                ResilientExecutor ex(RetryPolicy(retry_profile("aggressive")), breaker, governor,
                                     detector, clock, sleeper, random, stats, Duration(300),
                                     RateLimitBudget{});
                for (int row = 0; row < 50; ++row) {
                    const ExecutionResult r = ex.execute(
                        [&](int n) {
                            const int k = ++sent;
                            if (k % 7 == 0) {
                                return status(429, "1");
                            }
                            return n == 1 && k % 3 == 0 ? status(503) : status(200);
                        },
                        false, stop);
                    attempts_reported += r.attempts;
                    successes += r.outcome == ExecOutcome::Success ? 1 : 0;
                }
            });
        }
    }
    EXPECT_EQ(successes.load(), 200);
    EXPECT_EQ(attempts_reported.load(), sent.load());
    EXPECT_EQ(stats.attempts(), sent.load());
    EXPECT_EQ(stats.rate_limit_waits() + stats.retries_total() + 200, sent.load());
}

// Advances the fake clock like FakeSleeper and raises the stop flag after `limit` sleeps.
class StoppingSleeper final : public Sleeper {
  public:
    StoppingSleeper(FakeClock& clock, std::atomic<bool>& stop, int limit)
        : m_inner(clock), m_stop(stop), m_limit(limit) {}
    void sleep_for(Duration d) override {
        m_inner.sleep_for(d);
        if (++m_count >= m_limit) {
            m_stop = true;
        }
    }
    int count() const { return m_count; }

  private:
    FakeSleeper m_inner;
    std::atomic<bool>& m_stop;
    int m_limit;
    int m_count = 0;
};

// A stop request is seen within one 100 ms slice of every kind of wait.
TEST(ResilientExecutorStop, EveryWaitIsInterruptible) {
    struct Case {
        const char* name;
        std::vector<AttemptOutcome> answers;
        bool pause_first;
        BreakerSettings breaker;
        int sends;
        double base_delay_s;
    };
    BreakerSettings touchy = quiet_breaker();
    touchy.window = 1;
    touchy.minimum_calls = 1;
    touchy.max_open_total_s = 0;
    const std::vector<Case> cases = {
        {"backoff", {status(503)}, false, quiet_breaker(), 1, 60},
        {"governor pause", {status(200)}, true, quiet_breaker(), 0, 60},
        {"429 pause", {status(429, "60")}, false, quiet_breaker(), 1, 60},
        {"open breaker", {status(503)}, false, touchy, 1, 0},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        FakeClock clock;
        std::atomic<bool> stop{false};
        StoppingSleeper sleeper(clock, stop, 3);
        ScriptedRandom random({}, 1.0);
        CircuitBreaker breaker(c.breaker);
        RateGovernor governor;
        SystemicDetector detector;
        ResilienceStats stats;
        RetrySettings retry = retry_profile("normal");
        retry.base_delay_s = c.base_delay_s;
        ResilientExecutor ex(RetryPolicy(retry), breaker, governor, detector, clock, sleeper,
                             random, stats, Duration(300), RateLimitBudget{});
        if (c.pause_first) {
            governor.on_rate_limited(clock.now(), Duration(60));
        }
        const MonoTime t0 = clock.now();
        int sends = 0;
        const ExecutionResult r = ex.execute(
            [&](int) {
                ++sends;
                return c.answers.front();
            },
            false, stop);
        EXPECT_EQ(r.outcome, ExecOutcome::Stopped);
        EXPECT_EQ(r.stop_reason, StopReason::Signal);
        EXPECT_EQ(sends, c.sends);
        EXPECT_EQ(sleeper.count(), 3);
        EXPECT_NEAR(seconds_between(t0, clock.now()), 0.3, 1e-9);
        EXPECT_EQ(breaker.state(clock.now()),
                  c.breaker.window == 1 ? BreakerState::Open : BreakerState::Closed);
    }
}

TEST(ResilienceStatsSnapshots, OutOfOrderSnapshotsNeverGoBackwards) {
    ResilienceStats stats;
    stats.set_breaker(BreakerCounters{2, 1, 1, 45});
    stats.set_breaker(BreakerCounters{1, 0, 0, 10});  // an older snapshot from a slower thread
    stats.set_governor(GovernorCounters{3, 1, 12.5});
    stats.set_governor(GovernorCounters{2, 0, 4});
    const auto json = stats.to_json();
    EXPECT_EQ(json["breaker"]["opens"], 2);
    EXPECT_EQ(json["breaker"]["closes"], 1);
    EXPECT_EQ(json["breaker"]["seconds_open"], 45);
    EXPECT_EQ(json["rate_limit_waits"]["pauses"], 3);
    EXPECT_EQ(json["rate_limit_waits"]["pause_seconds"], 12.5);
}

}  // namespace
}  // namespace wxbatch::resilience
