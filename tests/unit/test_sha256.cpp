#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "wxbatch/util/sha256.hpp"

namespace wxbatch {
namespace {

namespace fs = std::filesystem;

class Sha256File : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "wxbatch-sha-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        m_dir = pattern;
    }
    void TearDown() override { fs::remove_all(m_dir); }
    std::string write(const std::string& name, const std::string& content) const {
        const std::string p = m_dir + "/" + name;
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }
    std::string m_dir;
};

TEST(Sha256, KnownVectorsInMemory) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(Sha256File, HashesSmallAndEmptyFiles) {
    auto abc = sha256_file(write("abc.csv", "abc"));
    ASSERT_TRUE(abc);
    EXPECT_EQ(*abc, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    auto empty = sha256_file(write("empty.csv", ""));
    ASSERT_TRUE(empty);
    EXPECT_EQ(*empty, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(Sha256File, StreamsAcrossChunkBoundaries) {
    // 2.5 MiB spans three 1 MiB reads; the streamed digest must equal the one-shot digest.
    std::string big(5 * 512 * 1024, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) {
        big[i] = static_cast<char>('a' + i % 26);
    }
    auto streamed = sha256_file(write("big.csv", big));
    ASSERT_TRUE(streamed);
    EXPECT_EQ(*streamed, sha256_hex(big));
    // One million 'a' is the FIPS 180-2 long vector.
    auto million = sha256_file(write("million.csv", std::string(1000000, 'a')));
    ASSERT_TRUE(million);
    EXPECT_EQ(*million, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_F(Sha256File, MissingFileIsAnIoError) {
    auto missing = sha256_file(m_dir + "/none.csv");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::Io);
    EXPECT_EQ(missing.error().message,
              "cannot hash " + m_dir + "/none.csv: No such file or directory");
}

}  // namespace
}  // namespace wxbatch
