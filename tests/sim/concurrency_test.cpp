// Many clients at once: every mutation is applied exactly once and the ledger agrees with the
// store and the stats.
#include <thread>

#include "sim/sim_client.hpp"

namespace wxsim::test {
namespace {

using nlohmann::json;

class ConcurrencyTest : public SimTest {};

TEST_F(ConcurrencyTest, ParallelMembershipsAreEachAppliedOnce) {
    m_options.applied_then_failed_probability = 0.2;
    m_options.applied_then_failed_mode = FailMode::Mixed;
    start();
    seed({{"rooms", {{{"id", "R"}, {"title", "Room"}}}}});
    constexpr int k_threads = 4;
    constexpr int k_per_thread = 50;
    {
        std::vector<std::jthread> clients;
        for (int t = 0; t < k_threads; ++t) {
            clients.emplace_back([this, t] {
                SimClient client(origin(), "t1");
                for (int i = 0; i < k_per_thread; ++i) {
                    const std::string email =
                        "u" + std::to_string(t) + "_" + std::to_string(i) + "@example.com";
                    client.post("/v1/memberships", {{"roomId", "R"}, {"personEmail", email}});
                }
            });
        }
    }
    const json book = ledger();
    EXPECT_EQ(book.size(), static_cast<std::size_t>(k_threads * k_per_thread));
    for (const auto& [key, count] : book.items()) {
        EXPECT_EQ(count, 1) << key;
    }
    const json counts = stats();
    const auto listed = m_client->get("/v1/memberships?roomId=R&max=1000");
    EXPECT_EQ(listed.json().at("items").size(), static_cast<std::size_t>(k_threads * k_per_thread));
    const int answered = counts.at("by_status").value("200", 0) +
                         counts.at("by_status").value("502", 0) +
                         counts.at("by_status").value("drop", 0);
    // libcurl re-sends a request once when a reused connection closes before any answer: those
    // re-sent POSTs find the membership applied and get 409.
    EXPECT_EQ(answered, k_threads * k_per_thread) << counts.dump();
    EXPECT_EQ(counts.at("requests"), answered + counts.at("by_status").value("409", 0))
        << counts.dump();
    EXPECT_GT(counts.at("by_status").value("502", 0) + counts.at("by_status").value("drop", 0), 0);
}

}  // namespace
}  // namespace wxsim::test
