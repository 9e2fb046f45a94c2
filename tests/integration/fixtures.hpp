#pragma once
// Input generators and checks shared by the integration tests.

#include <string>

#include <nlohmann/json.hpp>

#include "integration/harness.hpp"

namespace wxtest {

inline constexpr const char* k_room_id = "Y2lzY29zcGFyazovL3VzL1JPT00vdGVzdC1yb29t";

// Seeds the room k_room_id in the simulator.
void seed_room(const Simulator& sim);

// roomId,personEmail with `rows` distinct users user<N>@example.com in k_room_id.
void write_membership_csv(const fs::path& path, int rows);
// email,displayName with `rows` distinct people person<N>@example.com.
void write_people_csv(const fs::path& path, int rows);

// Checks that each of the `rows` generated keys was applied exactly once and nothing else was.
// Returns a description of the first mismatches (empty when exact).
std::string check_exactly_once(const nlohmann::json& ledger, const std::string& key_prefix,
                               const std::string& key_suffix, int rows);

nlohmann::json read_json(const fs::path& path);

// Common run arguments: --input, --action, --out, --base-url, fast retries, no progress.
std::vector<std::string> run_args(const TempDir& dir, const Simulator& sim,
                                  const std::string& action,
                                  std::vector<std::string> extra = {});

}  // namespace wxtest
