// load_token: --token-file (permissions, trimming), --token-command, WEBEX_ACCESS_TOKEN, none.

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wxbatch/webex/token.hpp"

namespace wxbatch::webex {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class TokenTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (std::filesystem::temp_directory_path() / "wxtok-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        m_dir = pattern;
        const char* old = std::getenv("WEBEX_ACCESS_TOKEN");
        m_saved_env = old ? std::optional<std::string>(old) : std::nullopt;
        ::unsetenv("WEBEX_ACCESS_TOKEN");
    }
    void TearDown() override {
        std::error_code ignored;
        std::filesystem::remove_all(m_dir, ignored);
        if (m_saved_env) {
            ::setenv("WEBEX_ACCESS_TOKEN", m_saved_env->c_str(), 1);
        } else {
            ::unsetenv("WEBEX_ACCESS_TOKEN");
        }
        ::unsetenv("WX_TEST_SECRET");
    }

    std::string token_file(const std::string& content, mode_t mode) {
        const std::string path = (m_dir / "token").string();
        std::ofstream(path, std::ios::trunc) << content;
        ::chmod(path.c_str(), mode);
        return path;
    }

    std::filesystem::path m_dir;
    std::optional<std::string> m_saved_env;
};

TEST_F(TokenTest, FileReadableByOthersIsRefused) {
    const std::string path = token_file("file-secret\n", 0644);
    auto token = load_token({path, std::nullopt});
    ASSERT_FALSE(token.has_value());
    EXPECT_EQ(token.error(), "token file " + path +
                                 " is accessible by group or others (mode 0644); run: chmod 600 " +
                                 path);
    EXPECT_THAT(token.error(), Not(HasSubstr("file-secret")));
    EXPECT_FALSE(load_token({token_file("file-secret\n", 0640), std::nullopt}).has_value());
    EXPECT_FALSE(load_token({token_file("file-secret\n", 0602), std::nullopt}).has_value());
}

TEST_F(TokenTest, PrivateFileIsReadAndTrimmed) {
    auto token = load_token({token_file("  file-secret \r\n\n", 0600), std::nullopt});
    ASSERT_TRUE(token.has_value()) << token.error();
    EXPECT_EQ(*token, "file-secret");
    auto read_only = load_token({token_file("ro-secret", 0400), std::nullopt});
    ASSERT_TRUE(read_only.has_value()) << read_only.error();
    EXPECT_EQ(*read_only, "ro-secret");
}

TEST_F(TokenTest, EmptyMultiLineOrMissingFileIsAnError) {
    const std::string path = token_file(" \n", 0600);
    auto empty = load_token({path, std::nullopt});
    ASSERT_FALSE(empty.has_value());
    EXPECT_EQ(empty.error(), "token file " + path + " gave an empty token");
    auto two_lines = load_token({token_file("line-one\nline-two\n", 0600), std::nullopt});
    ASSERT_FALSE(two_lines.has_value());
    EXPECT_EQ(two_lines.error(),
              "token file " + path + " gave a token with spaces or control characters inside");
    EXPECT_THAT(two_lines.error(), Not(HasSubstr("line-one")));
    auto missing = load_token({(m_dir / "nope").string(), std::nullopt});
    ASSERT_FALSE(missing.has_value());
    EXPECT_THAT(missing.error(), HasSubstr("could not be opened: No such file or directory"));
}

TEST_F(TokenTest, CommandStdoutIsTheToken) {
    auto token = load_token({std::nullopt, "printf 'cmd-secret\\n'"});
    ASSERT_TRUE(token.has_value()) << token.error();
    EXPECT_EQ(*token, "cmd-secret");
}

TEST_F(TokenTest, FailingCommandIsNamedButItsOutputIsNot) {
    ::setenv("WX_TEST_SECRET", "hidden-output", 1);
    const std::string command = "printf '%s' \"$WX_TEST_SECRET\"; exit 3";
    auto token = load_token({std::nullopt, command});
    ASSERT_FALSE(token.has_value());
    EXPECT_EQ(token.error(), "token command `" + command + "` exited with status 3");
    EXPECT_THAT(token.error(), Not(HasSubstr("hidden-output")));
    auto silent = load_token({std::nullopt, "true"});
    ASSERT_FALSE(silent.has_value());
    EXPECT_EQ(silent.error(), "token command `true` gave an empty token");
}

TEST_F(TokenTest, EnvironmentIsTheLastResort) {
    ::setenv("WEBEX_ACCESS_TOKEN", " env-secret\n", 1);
    auto token = load_token({});
    ASSERT_TRUE(token.has_value()) << token.error();
    EXPECT_EQ(*token, "env-secret");
    auto from_file = load_token({token_file("file-secret", 0600), std::nullopt});
    ASSERT_TRUE(from_file.has_value());
    EXPECT_EQ(*from_file, "file-secret");
}

TEST_F(TokenTest, NoSourceListsTheThreeWays) {
    auto token = load_token({});
    ASSERT_FALSE(token.has_value());
    EXPECT_THAT(token.error(), HasSubstr("WEBEX_ACCESS_TOKEN"));
    EXPECT_THAT(token.error(), HasSubstr("--token-file PATH"));
    EXPECT_THAT(token.error(), HasSubstr("--token-command CMD"));
}

TEST_F(TokenTest, FileAndCommandTogetherAreRefused) {
    auto token = load_token({token_file("file-secret", 0600), "printf x"});
    ASSERT_FALSE(token.has_value());
    EXPECT_EQ(token.error(), "give only one of --token-file and --token-command");
}

}  // namespace
}  // namespace wxbatch::webex
