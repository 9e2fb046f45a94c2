// `wxbatch demo` end to end on a small input: it starts wxsim, runs, prints the summary and the
// reports' paths, exits 0 (its bad rows are on purpose), and leaves no simulator listening.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "integration/harness.hpp"

namespace wxtest {
namespace {

bool something_listens_on(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return connected;
}

TEST(CliDemo, SmallDemoRunsEndToEndAndStopsItsSimulator) {
    TempDir dir;
    const fs::path out = dir / "demo";
    const RunOutput r = run_wxbatch(dir,
                                    {"demo", "--rows", "400", "--out", out.string(), "--progress",
                                     "always", "--progress-interval", "0.2"},
                                    {}, std::chrono::seconds(60));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    // Rows 200 and 400 have a malformed e-mail on purpose.
    EXPECT_NE(r.out.find("COMPLETED_WITH_ROW_ERRORS\nrows:      400 processed: "),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find(", 2 row errors\n"), std::string::npos) << r.out;
    for (const char* report : {"run_summary.json", "row_errors.csv", "checkpoint.json"}) {
        EXPECT_NE(r.out.find((out / report).string()), std::string::npos) << report;
        EXPECT_TRUE(fs::exists(out / report)) << report;
    }
    EXPECT_NE(r.err.find("progress: 100.0% 400/400 rows"), std::string::npos) << r.err;
    const int port = std::stoi(read_file(out / "wxsim.port"));
    ASSERT_GT(port, 0);
    EXPECT_FALSE(something_listens_on(port)) << "the demo left wxsim running on " << port;
}

}  // namespace
}  // namespace wxtest
