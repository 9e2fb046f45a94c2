#include "wxsim/faults.hpp"

#include <cmath>
#include <vector>

#include "wxsim/ids.hpp"

namespace wxsim {

namespace {

std::string seconds_text(double seconds) {
    return std::to_string(static_cast<long long>(std::ceil(std::max(seconds, 0.0))));
}

}  // namespace

FaultEngine::FaultEngine(const Options& options)
    : m_options(options), m_random(options.seed), m_bucket(options.rate_limit) {}

double FaultEngine::draw() {
    return static_cast<double>(m_random() >> 11) * 0x1.0p-53;
}

std::string FaultEngine::retry_after_value(double seconds) const {
    switch (m_options.rate_limit.retry_after_format) {
        case RetryAfterFormat::HttpDate:
            return http_date_in(seconds);
        case RetryAfterFormat::Malformed:
            return "rand(30),add(30)";
        case RetryAfterFormat::Seconds:
            break;
    }
    return seconds_text(seconds);
}

bool FaultEngine::in_outage(std::int64_t request_number, double now) const {
    for (const auto& outage : m_options.outages) {
        if (outage.start_s >= 0 && now >= outage.start_s &&
            now < outage.start_s + outage.duration_s) {
            return true;
        }
        if (outage.start_request >= 0 && request_number >= outage.start_request &&
            request_number < outage.start_request + outage.requests) {
            return true;
        }
    }
    return false;
}

void FaultEngine::apply_rules(const std::string& method, const std::string& path,
                              Decision& decision) {
    // One draw per rule, matched or not, so the sequence does not depend on the paths.
    for (const auto& rule : m_options.faults) {
        const double u = draw();
        const bool matches = (rule.method == "*" || rule.method == method) &&
                             path.compare(0, rule.path_prefix.size(), rule.path_prefix) == 0;
        if (decision.status == 0 && matches && u < rule.probability) {
            decision.status = rule.status;
            decision.message = "Injected failure.";
            double retry_after = rule.retry_after_s;
            if (retry_after <= 0 && (rule.status == 423 || rule.status == 429)) {
                retry_after = 1;
            }
            if (retry_after > 0) {
                decision.retry_after = seconds_text(retry_after);
            }
        }
    }
}

void FaultEngine::apply_delays(Decision& decision) {
    // The same six draws for every request keep the sequence aligned whatever happens.
    const double jitter = draw();
    const double slow = draw();
    const double drop = draw();
    const double applied = draw();
    const double mode = draw();
    const double quirk = draw();
    decision.delay_ms =
        std::max(0.0, m_options.latency_mean_ms + m_options.latency_jitter_ms * (2 * jitter - 1));
    if (slow < m_options.slow_probability) {
        decision.delay_ms += m_options.slow_delay_ms;
    }
    decision.drop = decision.status == 0 && drop < m_options.drop_probability;
    if (applied < m_options.applied_then_failed_probability) {
        const FailMode fail = m_options.applied_then_failed_mode;
        const bool as_drop = fail == FailMode::Drop || (fail == FailMode::Mixed && mode < 0.5);
        decision.after_apply = as_drop ? AfterApply::Drop : AfterApply::BadGateway;
    }
    decision.calling_data_quirk = quirk < m_options.calling_data_quirk_probability;
}

Decision FaultEngine::decide(const std::string& method, const std::string& path, bool authorized,
                             double now) {
    std::lock_guard lock(m_mutex);
    Decision decision;
    decision.request_number = ++m_requests;
    if (!authorized) {
        decision.status = 401;
        decision.message =
            "The request requires a valid access token set in the Authorization request header.";
    } else if (m_options.revoke_after > 0 && decision.request_number > m_options.revoke_after) {
        decision.status = 401;
        decision.message = "The access token has been revoked.";
    } else if (in_outage(decision.request_number, now)) {
        decision.status = 503;
        decision.message = "Service Unavailable.";
    } else if (const auto wait = m_bucket.take(now)) {
        decision.status = 429;
        decision.message = "Too many requests have been sent in a given amount of time.";
        decision.retry_after = retry_after_value(
            m_options.rate_limit.retry_after_s > 0 ? m_options.rate_limit.retry_after_s : *wait);
    }
    apply_rules(method, path, decision);
    apply_delays(decision);
    return decision;
}

void FaultEngine::reset(double now) {
    std::lock_guard lock(m_mutex);
    m_requests = 0;
    m_random.seed(m_options.seed);
    m_bucket.reset(now);
}

}  // namespace wxsim
