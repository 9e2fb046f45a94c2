#include "integration/fixtures.hpp"

#include <fstream>

namespace wxtest {

void seed_room(const Simulator& sim) {
    sim.post("/_sim/seed", {{"rooms", {{{"id", k_room_id}, {"title", "integration"}}}}});
}

void write_membership_csv(const fs::path& path, int rows) {
    std::ofstream out(path, std::ios::trunc);
    out << "roomId,personEmail\n";
    for (int i = 1; i <= rows; ++i) {
        out << k_room_id << ",user" << i << "@example.com\n";
    }
}

void write_people_csv(const fs::path& path, int rows) {
    std::ofstream out(path, std::ios::trunc);
    out << "email,displayName\n";
    for (int i = 1; i <= rows; ++i) {
        out << "person" << i << "@example.com,Person " << i << "\n";
    }
}

std::string check_exactly_once(const nlohmann::json& ledger, const std::string& key_prefix,
                               const std::string& key_suffix, int rows) {
    std::string problems;
    int missing = 0;
    int duplicated = 0;
    for (int i = 1; i <= rows; ++i) {
        const std::string key = key_prefix + std::to_string(i) + key_suffix;
        const int applied = ledger.contains(key) ? ledger[key].get<int>() : 0;
        if (applied == 0) {
            ++missing;
        } else if (applied > 1) {
            ++duplicated;
        }
        if (applied != 1 && problems.size() < 400) {
            problems += key + " applied " + std::to_string(applied) + " times; ";
        }
    }
    if (ledger.size() != static_cast<std::size_t>(rows)) {
        problems += "ledger has " + std::to_string(ledger.size()) + " keys, expected " +
                    std::to_string(rows) + "; ";
    }
    if (!problems.empty()) {
        problems = std::to_string(missing) + " lost, " + std::to_string(duplicated) +
                   " duplicated: " + problems;
    }
    return problems;
}

nlohmann::json read_json(const fs::path& path) { return nlohmann::json::parse(read_file(path)); }

std::vector<std::string> run_args(const TempDir& dir, const Simulator& sim,
                                  const std::string& action, std::vector<std::string> extra) {
    std::vector<std::string> args{"run",
                                  "--input",
                                  (dir / "in.csv").string(),
                                  "--action",
                                  action,
                                  "--out",
                                  (dir / "out").string(),
                                  "--base-url",
                                  sim.base_url(),
                                  "--retry-base-delay",
                                  "0.05",
                                  "--retry-max-delay",
                                  "0.5",
                                  "--progress",
                                  "never"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

}  // namespace wxtest
