// The streaming CSV reader against real files in a fresh temp directory per test.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "wxbatch/csv/reader.hpp"

namespace wxbatch::csv {
namespace {

using Fields = std::vector<std::string>;

class CsvReaderTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (std::filesystem::temp_directory_path() / "wxcsv-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        m_dir = pattern;
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }

    std::string write(const std::string& content, const std::string& name = "input.csv") {
        const std::string path = (m_dir / name).string();
        std::ofstream(path, std::ios::binary) << content;
        return path;
    }

    // Every record of the file, or the error message of the first failure.
    static std::vector<RowRecord> read_all(CsvReader& reader) {
        std::vector<RowRecord> records;
        for (;;) {
            auto next = reader.next();
            EXPECT_TRUE(next.has_value()) << (next ? "" : next.error().message);
            if (!next || !next->has_value()) {
                return records;
            }
            records.push_back(std::move(**next));
        }
    }

    // The message of the first error met while opening and reading `content`.
    std::string first_error(const std::string& content, CsvOptions options = {}) {
        auto reader = CsvReader::open(write(content), options);
        if (!reader) {
            return reader.error().message;
        }
        for (;;) {
            auto next = reader->next();
            if (!next) {
                return next.error().message;
            }
            if (!next->has_value()) {
                return "no error";
            }
        }
    }

    std::string path() const { return (m_dir / "input.csv").string(); }

    std::filesystem::path m_dir;
};

TEST_F(CsvReaderTest, ReadsRecordsWithRowsLinesAndOffsets) {
    auto reader = CsvReader::open(write("email,name\na@x.com,Ann\nb@x.com,Bob\n"), {});
    ASSERT_TRUE(reader.has_value()) << reader.error().message;
    EXPECT_EQ(reader->header(), (Fields{"email", "name"}));
    EXPECT_EQ(reader->header_end_offset(), 11u);
    EXPECT_EQ(reader->header_end_line(), 2u);
    const auto records = read_all(*reader);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].fields, (Fields{"a@x.com", "Ann"}));
    EXPECT_EQ(records[0].row_number, 1u);
    EXPECT_EQ(records[0].line_number, 2u);
    EXPECT_EQ(records[0].byte_offset, 11u);
    EXPECT_EQ(records[0].next_offset, 23u);
    EXPECT_EQ(records[0].next_line_number, 3u);
    EXPECT_EQ(records[1].fields, (Fields{"b@x.com", "Bob"}));
    EXPECT_EQ(records[1].row_number, 2u);
    EXPECT_EQ(records[1].line_number, 3u);
    EXPECT_EQ(records[1].byte_offset, 23u);
    EXPECT_EQ(records[1].next_offset, 35u);
}

TEST_F(CsvReaderTest, QuotedFieldsKeepDelimitersDoubledQuotesAndLineBreaks) {
    auto reader = CsvReader::open(
        write(
            "a,b,c\n\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\"\",plain,\"3\r\n4\"\nlast,1,2\n"),
        {});
    ASSERT_TRUE(reader.has_value()) << reader.error().message;
    const auto records = read_all(*reader);
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[0].fields, (Fields{"x,y", "say \"hi\"", "two\nlines"}));
    EXPECT_EQ(records[0].line_number, 2u);
    EXPECT_EQ(records[1].fields, (Fields{"", "plain", "3\r\n4"}));
    EXPECT_EQ(records[1].line_number, 4u);
    EXPECT_EQ(records[2].line_number, 6u);
    EXPECT_EQ(records[2].row_number, 3u);
}

TEST_F(CsvReaderTest, AcceptsCrlfLfAndLoneCrMixed) {
    auto reader = CsvReader::open(write("h1,h2\r\n1,2\n3,4\r5,6\r\n"), {});
    ASSERT_TRUE(reader.has_value());
    const auto records = read_all(*reader);
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[0].fields, (Fields{"1", "2"}));
    EXPECT_EQ(records[1].fields, (Fields{"3", "4"}));
    EXPECT_EQ(records[2].fields, (Fields{"5", "6"}));
    EXPECT_EQ(records[2].line_number, 4u);
    EXPECT_EQ(records[0].byte_offset, 7u);
    EXPECT_EQ(records[2].next_offset, 20u);
}

TEST_F(CsvReaderTest, SkipsBomAndBlankLinesAndReadsLastLineWithoutNewline) {
    auto reader = CsvReader::open(write("\xEF\xBB\xBF email , name\n\n\r\n1,2\n\n3,\n4,5"), {});
    ASSERT_TRUE(reader.has_value()) << reader.error().message;
    EXPECT_EQ(reader->header(), (Fields{"email", "name"}));
    EXPECT_EQ(reader->header_end_offset(), 17u);
    const auto records = read_all(*reader);
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[0].line_number, 4u);
    EXPECT_EQ(records[0].byte_offset, 20u);
    EXPECT_EQ(records[1].fields, (Fields{"3", ""}));
    EXPECT_EQ(records[1].line_number, 6u);
    EXPECT_EQ(records[2].fields, (Fields{"4", "5"}));
    EXPECT_EQ(records[2].line_number, 7u);
    EXPECT_EQ(records[2].next_offset, 31u);
}

TEST_F(CsvReaderTest, ReturnsRecordsWhoseFieldCountDiffersFromTheHeader) {
    auto reader = CsvReader::open(write("a,b\n1\n1,2,3\n"), {});
    ASSERT_TRUE(reader.has_value());
    const auto records = read_all(*reader);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].fields, (Fields{"1"}));
    EXPECT_EQ(records[1].fields, (Fields{"1", "2", "3"}));
}

TEST_F(CsvReaderTest, KeepsAQuoteInsideAnUnquotedFieldLiterally) {
    auto reader = CsvReader::open(write("a,b\n5\" screen,x\n"), {});
    ASSERT_TRUE(reader.has_value());
    const auto records = read_all(*reader);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].fields, (Fields{"5\" screen", "x"}));
}

TEST_F(CsvReaderTest, HonoursAnotherDelimiter) {
    auto reader = CsvReader::open(write("a;b\n\"1;2\";3\n"), CsvOptions{';'});
    ASSERT_TRUE(reader.has_value());
    const auto records = read_all(*reader);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].fields, (Fields{"1;2", "3"}));
}

TEST_F(CsvReaderTest, TinyBuffersGiveTheSameRecords) {
    const std::string content =
        "\xEF\xBB\xBFh1,h2\r\n\"a\r\nb\",\"c\"\"d\"\n\n\xC3\xA9t\xC3\xA9,2\r3,4\r\n";
    auto reference = CsvReader::open(write(content), {});
    ASSERT_TRUE(reference.has_value());
    const auto expected = read_all(*reference);
    ASSERT_EQ(expected.size(), 3u);
    for (const std::size_t buffer : {1u, 2u, 3u, 7u}) {
        CsvOptions options;
        options.buffer_bytes = buffer;
        auto reader = CsvReader::open(path(), options);
        ASSERT_TRUE(reader.has_value());
        const auto records = read_all(*reader);
        ASSERT_EQ(records.size(), expected.size()) << "buffer " << buffer;
        for (std::size_t i = 0; i < records.size(); ++i) {
            EXPECT_EQ(records[i].fields, expected[i].fields) << "buffer " << buffer;
            EXPECT_EQ(records[i].line_number, expected[i].line_number);
            EXPECT_EQ(records[i].byte_offset, expected[i].byte_offset);
            EXPECT_EQ(records[i].next_offset, expected[i].next_offset);
        }
    }
}

TEST_F(CsvReaderTest, SeekResumesAtARecordWithItsRowAndLine) {
    auto reader = CsvReader::open(write("a,b\n1,\"x\ny\"\n\n2,z\n3,w\n"), {});
    ASSERT_TRUE(reader.has_value());
    const auto records = read_all(*reader);
    ASSERT_EQ(records.size(), 3u);
    auto resumed = CsvReader::open(path(), {});
    ASSERT_TRUE(resumed.has_value());
    ASSERT_TRUE(
        resumed
            ->seek(records[0].next_offset, records[0].row_number + 1, records[0].next_line_number)
            .has_value());
    const auto rest = read_all(*resumed);
    ASSERT_EQ(rest.size(), 2u);
    EXPECT_EQ(rest[0].fields, records[1].fields);
    EXPECT_EQ(rest[0].row_number, 2u);
    EXPECT_EQ(rest[0].line_number, 5u);
    EXPECT_EQ(rest[0].byte_offset, records[1].byte_offset);
    EXPECT_EQ(rest[1].line_number, records[2].line_number);
    EXPECT_EQ(rest[1].row_number, 3u);
}

TEST_F(CsvReaderTest, RefusesToSeekIntoTheHeader) {
    auto reader = CsvReader::open(write("a,b\n1,2\n"), {});
    ASSERT_TRUE(reader.has_value());
    auto sought = reader->seek(2, 1, 1);
    ASSERT_FALSE(sought.has_value());
    EXPECT_EQ(sought.error().message,
              path() + ": cannot seek to offset 2, before the end of the header");
}

TEST_F(CsvReaderTest, UnterminatedQuoteNamesWhereItOpened) {
    const std::string content = "a,b\n1,2\n" + std::string(9, '\n') + "x,ab,\"open\n1,2\n";
    EXPECT_EQ(first_error(content),
              path() + ":12:6: unterminated quoted field (opened at line 12, column 6)");
}

TEST_F(CsvReaderTest, CharacterAfterClosingQuoteIsAnError) {
    EXPECT_EQ(first_error("a,b\n\"x\"y,2\n"),
              path() +
                  ":2:4: unexpected character after the closing quote of a field (a quote inside a "
                  "quoted field must be doubled)");
}

TEST_F(CsvReaderTest, InvalidUtf8NamesLineAndColumnAndSuggestsIconv) {
    // "caf\xE9" is Latin-1; the columns count characters, so the multi-byte e-acute is one.
    EXPECT_EQ(first_error("a,b\n\xC3\xA9t\xC3\xA9,caf\xE9\n"),
              path() + ":2:8: invalid UTF-8; if the file is Latin-1, convert it: iconv -f latin1 " +
                  "-t utf-8 " + path() + " > converted.csv");
}

TEST_F(CsvReaderTest, InvalidUtf8InsideAMultiLineFieldNamesItsOwnLine) {
    EXPECT_EQ(first_error("a,b\n1,\"ok\nbad\xFF\"\n").substr(path().size()),
              ":3:4: invalid UTF-8; if the file is Latin-1, convert it: iconv -f latin1 -t utf-8 " +
                  path() + " > converted.csv");
}

TEST_F(CsvReaderTest, OverlongAndSurrogateEncodingsAreInvalid) {
    EXPECT_NE(first_error("a\n\xC0\xAF\n").find(":2:1: invalid UTF-8"), std::string::npos);
    EXPECT_NE(first_error("a\n\xED\xA0\x80\n").find(":2:1: invalid UTF-8"), std::string::npos);
    EXPECT_NE(first_error("a\nx\xF4\x90\x80\x80\n").find(":2:2: invalid UTF-8"), std::string::npos);
}

TEST_F(CsvReaderTest, NulByteIsAnError) {
    EXPECT_EQ(first_error(std::string("a,b\n1,x\0y\n", 10)),
              path() +
                  ":2:4: NUL byte in the input (a UTF-16 file? convert it with iconv -f "
                  "utf-16 -t utf-8)");
}

TEST_F(CsvReaderTest, OversizedFieldIsAnError) {
    CsvOptions options;
    options.max_field_bytes = 4;
    EXPECT_EQ(first_error("a,b\n1234,\"12345\"\n", options),
              path() + ":2:7: field longer than 4 bytes");
}

TEST_F(CsvReaderTest, SemicolonDelimitedHeaderIsDetected) {
    EXPECT_EQ(first_error("email;name\na@x.com;Ann\n"),
              path() + ":1: the header looks semicolon-delimited; pass --delimiter ';'");
}

TEST_F(CsvReaderTest, DuplicateHeaderNamesAreAnErrorIgnoringCase) {
    EXPECT_EQ(first_error("email,name,Email \n"),
              path() + ":1: duplicate header 'Email' (columns 1 and 3)");
}

TEST_F(CsvReaderTest, BlankHeaderNameIsAnError) {
    EXPECT_EQ(first_error("\n\nemail,  ,name\n"), path() + ":3: header column 2 is blank");
}

TEST_F(CsvReaderTest, EmptyFileAndBlankOnlyFileHaveNoHeader) {
    EXPECT_EQ(first_error(""), path() + ": the file is empty: no header row");
    EXPECT_EQ(first_error("\xEF\xBB\xBF\r\n\n"), path() + ": the file is empty: no header row");
}

TEST_F(CsvReaderTest, MissingFileIsAnIoError) {
    auto reader = CsvReader::open((m_dir / "absent.csv").string(), {});
    ASSERT_FALSE(reader.has_value());
    EXPECT_EQ(reader.error().kind, ErrorKind::Io);
    EXPECT_EQ(reader.error().message,
              (m_dir / "absent.csv").string() + ": cannot open: No such file or directory");
}

TEST_F(CsvReaderTest, HeaderOnlyFileHasNoRecords) {
    auto reader = CsvReader::open(write("email\n"), {});
    ASSERT_TRUE(reader.has_value());
    auto next = reader->next();
    ASSERT_TRUE(next.has_value());
    EXPECT_FALSE(next->has_value());
}

}  // namespace
}  // namespace wxbatch::csv

namespace wxbatch::csv {
namespace {

TEST_F(CsvReaderTest, AnErrorIsFinal) {
    auto reader = CsvReader::open(write("a,b\n\"x\"y,2\n3,4\n"), {});
    ASSERT_TRUE(reader.has_value());
    auto first = reader->next();
    ASSERT_FALSE(first.has_value());
    auto second = reader->next();
    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().message, first.error().message);
}

TEST_F(CsvReaderTest, ImpossibleDelimiterIsAUsageError) {
    const std::string file = write("a,b\n");
    EXPECT_THROW((void)CsvReader::open(file, CsvOptions{'"'}), UsageError);
    EXPECT_THROW((void)CsvReader::open(file, CsvOptions{'\n'}), UsageError);
}

// Deterministic random inputs over the characters that matter: whatever the buffer size the
// reader gives the same records or the same error, and seeking to any record's start gives the
// same remainder as reading on.
TEST_F(CsvReaderTest, RandomInputsAreBufferAndSeekInvariant) {
    static constexpr std::string_view k_alphabet[] = {"a",  "b",    ",",        "\"", "\"\"", "\r",
                                                      "\n", "\r\n", "\xC3\xA9", ";",  " "};
    std::uint32_t state = 12345;
    const auto random = [&state](std::uint32_t bound) {
        state = state * 1664525u + 1013904223u;
        return (state >> 8) % bound;
    };
    int with_records = 0;
    for (int round = 0; round < 150; ++round) {
        std::string content = "h1,h2\n";
        const std::uint32_t length = random(40);
        for (std::uint32_t i = 0; i < length; ++i) {
            content += k_alphabet[random(std::size(k_alphabet))];
        }
        write(content);
        std::vector<std::string> outcomes;
        std::vector<RowRecord> reference;
        for (const std::size_t buffer : {std::size_t{1}, std::size_t{5}, std::size_t{65536}}) {
            CsvOptions options;
            options.buffer_bytes = buffer;
            auto reader = CsvReader::open(path(), options);
            ASSERT_TRUE(reader.has_value()) << reader.error().message;
            std::string outcome;
            std::vector<RowRecord> records;
            for (;;) {
                auto next = reader->next();
                if (!next) {
                    outcome += "error " + next.error().message;
                    break;
                }
                if (!next->has_value()) {
                    break;
                }
                outcome += std::to_string((*next)->line_number) + "@" +
                           std::to_string((*next)->byte_offset) + ":" +
                           std::to_string((*next)->fields.size()) + ";";
                for (const auto& field : (*next)->fields) {
                    outcome += field + "|";
                }
                records.push_back(std::move(**next));
            }
            outcomes.push_back(outcome);
            reference = records;
        }
        EXPECT_EQ(outcomes[0], outcomes[1]) << content;
        EXPECT_EQ(outcomes[0], outcomes[2]) << content;
        with_records += reference.empty() ? 0 : 1;
        for (std::size_t k = 1; k < reference.size(); ++k) {
            auto resumed = CsvReader::open(path(), {});
            ASSERT_TRUE(resumed.has_value());
            const RowRecord& before = reference[k - 1];
            ASSERT_TRUE(
                resumed->seek(before.next_offset, before.row_number + 1, before.next_line_number)
                    .has_value());
            auto next = resumed->next();
            ASSERT_TRUE(next.has_value() && next->has_value()) << content;
            EXPECT_EQ((*next)->fields, reference[k].fields) << content;
            EXPECT_EQ((*next)->line_number, reference[k].line_number) << content;
            EXPECT_EQ((*next)->row_number, reference[k].row_number) << content;
        }
    }
    EXPECT_GT(with_records, 40);
}

}  // namespace
}  // namespace wxbatch::csv
