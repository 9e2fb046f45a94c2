// The reader on every file of the hostile corpus in tests/fixtures/csv/corpus/: what it reads
// (header, rows with their line numbers, fields byte for byte) or the one error that stops it,
// naming file, line and column. The end-to-end behaviour is in test_hostile_input.cpp.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "wxbatch/csv/reader.hpp"

namespace wxbatch::csv {
namespace {

const std::string k_room = "Y2lzY29zcGFyazovL3VzL1JPT00vdGVzdC1yb29t";

std::string corpus(const std::string& name) {
    return std::string(WXBATCH_TEST_FIXTURES) + "/csv/corpus/" + name;
}

// What reading a whole file gives.
struct ReadOutcome {
    std::string open_error;  // "" when the header was read
    std::vector<std::string> header;
    std::vector<RowRecord> rows;
    std::string error;  // the error that ended reading, "" at a clean end
};

ReadOutcome read_all(const std::string& name, CsvOptions options = {}) {
    ReadOutcome out;
    auto reader = CsvReader::open(corpus(name), options);
    if (!reader) {
        out.open_error = reader.error().message;
        return out;
    }
    out.header = reader->header();
    for (;;) {
        auto next = reader->next();
        if (!next) {
            out.error = next.error().message;
            return out;
        }
        if (!next->has_value()) {
            return out;
        }
        out.rows.push_back(**next);
    }
}

std::vector<std::uint64_t> lines(const ReadOutcome& read) {
    std::vector<std::uint64_t> out;
    for (const auto& row : read.rows) {
        out.push_back(row.line_number);
    }
    return out;
}

using Fields = std::vector<std::string>;

TEST(CsvCorpus, BomAndCrlf) {
    const ReadOutcome r = read_all("bom_crlf.csv");
    EXPECT_EQ(r.header, (Fields{"roomId", "personEmail"}));
    ASSERT_EQ(r.rows.size(), 3u);
    EXPECT_EQ(r.rows[2].fields, (Fields{k_room, "bom3@example.com"}));
    EXPECT_EQ(lines(r), (std::vector<std::uint64_t>{2, 3, 4}));
    EXPECT_EQ(r.error, "");
}

TEST(CsvCorpus, MixedLineEnds) {
    const ReadOutcome r = read_all("mixed_eol.csv");
    ASSERT_EQ(r.rows.size(), 4u);
    EXPECT_EQ(lines(r), (std::vector<std::uint64_t>{2, 3, 4, 5}));
    EXPECT_EQ(r.rows[2].fields, (Fields{k_room, "mix3@example.com"}));
}

TEST(CsvCorpus, QuotedLineBreaksAndQuotes) {
    const ReadOutcome r = read_all("quoted_newlines.csv");
    ASSERT_EQ(r.rows.size(), 4u);
    EXPECT_EQ(r.rows[0].fields, (Fields{"ql1@example.com", "Ann\nLee"}));
    EXPECT_EQ(r.rows[1].fields, (Fields{"not-an-email", "Bob\r\nRay\nJr"}));
    EXPECT_EQ(r.rows[2].fields, (Fields{"ql3@example.com", "Cy \"the\" Dee, Esq."}));
    EXPECT_EQ(lines(r), (std::vector<std::uint64_t>{2, 4, 7, 8}));
}

TEST(CsvCorpus, UnbalancedQuote) {
    const ReadOutcome r = read_all("unbalanced_quote.csv");
    EXPECT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.error, corpus("unbalanced_quote.csv") +
                           ":3:42: unterminated quoted field (opened at line 3, column 42)");
}

TEST(CsvCorpus, FieldCountsAreLeftToTheAction) {
    const ReadOutcome r = read_all("field_count.csv");
    ASSERT_EQ(r.rows.size(), 4u);
    EXPECT_EQ(r.rows[1].fields, (Fields{k_room, "fc2@example.com", "surplus"}));
    EXPECT_EQ(r.rows[2].fields, (Fields{k_room}));
    EXPECT_EQ(r.error, "");
}

TEST(CsvCorpus, EmptyAndHeaderOnly) {
    EXPECT_EQ(read_all("empty.csv").open_error,
              corpus("empty.csv") + ": the file is empty: no header row");
    const ReadOutcome header_only = read_all("header_only.csv");
    EXPECT_EQ(header_only.open_error, "");
    EXPECT_EQ(header_only.header, (Fields{"roomId", "personEmail"}));
    EXPECT_TRUE(header_only.rows.empty());
}

TEST(CsvCorpus, DuplicateAndBlankHeaders) {
    EXPECT_EQ(read_all("duplicate_header.csv").open_error,
              corpus("duplicate_header.csv") + ":1: duplicate header 'RoomID' (columns 1 and 3)");
    EXPECT_EQ(read_all("blank_header.csv").open_error,
              corpus("blank_header.csv") + ":1: header column 2 is blank");
}

TEST(CsvCorpus, BlankLinesBeforeTheHeaderAndBetweenRows) {
    const ReadOutcome r = read_all("blank_lines.csv");
    EXPECT_EQ(r.header, (Fields{"roomId", "personEmail"}));
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(lines(r), (std::vector<std::uint64_t>{5, 8}));
}

TEST(CsvCorpus, InvalidUtf8AndLatin1NameThePositionAndTheConversion) {
    const ReadOutcome invalid = read_all("invalid_utf8.csv");
    EXPECT_EQ(invalid.rows.size(), 1u);
    EXPECT_EQ(invalid.error, corpus("invalid_utf8.csv") +
                                 ":3:45: invalid UTF-8; if the file is Latin-1, convert it: iconv "
                                 "-f latin1 -t utf-8 " +
                                 corpus("invalid_utf8.csv") + " > converted.csv");
    const ReadOutcome latin1 = read_all("latin1.csv");
    EXPECT_TRUE(latin1.rows.empty());
    EXPECT_EQ(latin1.error.rfind(corpus("latin1.csv") + ":2:20: invalid UTF-8", 0), 0u)
        << latin1.error;
}

TEST(CsvCorpus, NulBytes) {
    const ReadOutcome r = read_all("nul_bytes.csv");
    EXPECT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.error, corpus("nul_bytes.csv") +
                           ":3:44: NUL byte in the input (a UTF-16 file? convert it with iconv "
                           "-f utf-16 -t utf-8)");
}

TEST(CsvCorpus, TrailingSpacesAreTrimmedInTheHeaderOnly) {
    const ReadOutcome r = read_all("trailing_spaces.csv");
    EXPECT_EQ(r.header, (Fields{"roomId", "personEmail"}));
    ASSERT_EQ(r.rows.size(), 2u);
    // Values are kept as written; the action mapper trims what it sends.
    EXPECT_EQ(r.rows[0].fields, (Fields{k_room + " ", " ts1@example.com  "}));
    EXPECT_EQ(r.rows[1].fields, (Fields{"  " + k_room, "ts2@example.com\t"}));
}

TEST(CsvCorpus, FormulaLookingValuesAreReadVerbatim) {
    const ReadOutcome r = read_all("formulas.csv");
    ASSERT_EQ(r.rows.size(), 4u);
    EXPECT_EQ(r.rows[0].fields, (Fields{"fx1@example.com", "=1+1"}));
    EXPECT_EQ(r.rows[2].fields, (Fields{"=cmd|' /C calc'!A0", "+HYPERLINK(\"http://x\")"}));
}

TEST(CsvCorpus, EveryRecordSeeksBackToItself) {
    for (const char* name : {"bom_crlf.csv", "mixed_eol.csv", "quoted_newlines.csv",
                             "blank_lines.csv", "field_count.csv", "formulas.csv"}) {
        const ReadOutcome all = read_all(name);
        auto reader = CsvReader::open(corpus(name), {});
        ASSERT_TRUE(reader.has_value()) << name;
        for (auto it = all.rows.rbegin(); it != all.rows.rend(); ++it) {
            ASSERT_TRUE(reader->seek(it->byte_offset, it->row_number, it->line_number)) << name;
            auto again = reader->next();
            ASSERT_TRUE(again && again->has_value()) << name;
            EXPECT_EQ((*again)->fields, it->fields) << name << " row " << it->row_number;
            EXPECT_EQ((*again)->line_number, it->line_number) << name;
            EXPECT_EQ((*again)->next_offset, it->next_offset) << name;
        }
    }
}

TEST(CsvCorpus, APipeOrADeviceIsRefusedAtOnceWithTheReason) {
    const std::string reason =
        ": not a regular file (a pipe or a device?); the input is read more than once "
        "(checksum, resume): save it to a file first";
    EXPECT_EQ(CsvReader::open("/dev/null", {}).error().message, "/dev/null" + reason);

    // A FIFO without a writer: refused, not waited on.
    const std::filesystem::path fifo = std::filesystem::temp_directory_path() /
                                       ("wxbatch-corpus-fifo-" + std::to_string(::getpid()));
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    auto reader = CsvReader::open(fifo.string(), {});
    std::filesystem::remove(fifo);
    ASSERT_FALSE(reader.has_value());
    EXPECT_EQ(reader.error().message, fifo.string() + reason);
    EXPECT_EQ(reader.error().kind, ErrorKind::Io);
}

}  // namespace
}  // namespace wxbatch::csv
