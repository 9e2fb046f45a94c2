#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "wxbatch/report/csv_cell.hpp"
#include "wxbatch/report/row_errors_writer.hpp"

namespace wxbatch::report {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> k_header = {"email", "displayName", "phone"};
const std::string k_header_line =
    "row_number,line_number,email,displayName,phone,error_class,http_status,message,"
    "tracking_id,attempts\n";

class RowErrorsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "wxbatch-rowerr-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        m_dir = pattern;
    }
    void TearDown() override { fs::remove_all(m_dir); }
    std::string file() const { return m_dir + "/row_errors.csv"; }
    std::string read_all() const {
        std::ifstream in(file(), std::ios::binary);
        std::ostringstream out;
        out << in.rdbuf();
        return out.str();
    }
    void write_all(const std::string& bytes) const {
        std::ofstream(file(), std::ios::binary | std::ios::trunc) << bytes;
    }
    static RowErrorRecord record(std::uint64_t row) {
        RowErrorRecord r;
        r.row_number = row;
        r.line_number = row + 1;
        r.fields = {"a" + std::to_string(row) + "@example.com", "A", "+1 555 123-4567"};
        r.error_class = "ROW_ERROR_NON_RETRYABLE";
        r.http_status = 400;
        r.message = "Invalid email";
        r.tracking_id = "ROUTER_1";
        r.attempts = 1;
        return r;
    }
    RowErrorsWriter open_ok(bool append, FileSystem& fs = real_fs()) const {
        auto w = RowErrorsWriter::open(file(), k_header, append, fs);
        EXPECT_TRUE(w) << w.error().message;
        return std::move(w).value();
    }
    std::string m_dir;
};

TEST(CsvCell, QuotingAndFormulaNeutralisation) {
    EXPECT_EQ(csv_cell("plain"), "plain");
    EXPECT_EQ(csv_cell(""), "");
    EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csv_cell("=1+2"), "'=1+2");
    EXPECT_EQ(csv_cell("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(csv_cell("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
    EXPECT_EQ(csv_cell("\tx"), "'\tx");
    EXPECT_EQ(csv_cell("\rx"), "\"'\rx\"");
    EXPECT_EQ(csv_cell("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
    EXPECT_EQ(csv_cell("-2+3+cmd|x"), "'-2+3+cmd|x");
    // Plain numbers and phone numbers can call nothing: left as they are.
    EXPECT_EQ(csv_cell("-5"), "-5");
    EXPECT_EQ(csv_cell("+15551234567"), "+15551234567");
    EXPECT_EQ(csv_cell("+1 555 123-4567"), "+1 555 123-4567");
    EXPECT_EQ(csv_cell("+44 (20) 7946 0018"), "+44 (20) 7946 0018");
    EXPECT_EQ(csv_cell("-1,5"), "\"-1,5\"");
    EXPECT_EQ(csv_cell("-"), "'-");
    EXPECT_EQ(csv_cell("a=b"), "a=b");
}

TEST_F(RowErrorsTest, ExactBytes) {
    {
        RowErrorsWriter w = open_ok(false);
        ASSERT_TRUE(w.write(record(7)));
        RowErrorRecord r = record(9);
        r.fields = {"=cmd()", "Doe, \"Jo\"", "-5"};
        r.error_class = "TRANSIENT_RETRYABLE";
        r.http_status = 0;
        r.message = "timeout\r\nafter 3 attempts\nreally";
        r.tracking_id = "";
        r.attempts = 3;
        ASSERT_TRUE(w.write(r));
        ASSERT_TRUE(w.flush());
        ASSERT_TRUE(w.sync());
        EXPECT_EQ(w.records_written(), 2U);
    }
    EXPECT_EQ(read_all(),
              k_header_line +
                  "7,8,a7@example.com,A,+1 555 123-4567,ROW_ERROR_NON_RETRYABLE,400,Invalid "
                  "email,ROUTER_1,1\n"
                  "9,10,'=cmd(),\"Doe, \"\"Jo\"\"\",-5,TRANSIENT_RETRYABLE,,timeout after 3 "
                  "attempts really,,3\n");
    auto count = count_row_error_records(file());
    ASSERT_TRUE(count);
    EXPECT_EQ(*count, 2U);
}

TEST_F(RowErrorsTest, ShortRowsArePaddedAndLongRowsKeepTheirExtraValues) {
    {
        RowErrorsWriter w = open_ok(false);
        RowErrorRecord short_row = record(1);
        short_row.fields = {"x@example.com"};
        ASSERT_TRUE(w.write(short_row));
        RowErrorRecord long_row = record(2);
        long_row.fields = {"y@example.com", "Y", "1", "extra", "more,\"x\""};
        long_row.message = "row has 5 fields, header has 3";
        ASSERT_TRUE(w.write(long_row));
    }
    EXPECT_EQ(
        read_all(),
        k_header_line +
            "1,2,x@example.com,,,ROW_ERROR_NON_RETRYABLE,400,Invalid email,ROUTER_1,1\n"
            "2,3,y@example.com,Y,1,ROW_ERROR_NON_RETRYABLE,400,\"row has 5 fields, header "
            "has 3 [extra fields beyond the header: [\"\"extra\"\",\"\"more,\\\"\"x\\\"\"\"\"]]"
            "\",ROUTER_1,1\n");
}

TEST_F(RowErrorsTest, AppendDoesNotRepeatTheHeader) {
    {
        RowErrorsWriter w = open_ok(false);
        ASSERT_TRUE(w.write(record(1)));
    }
    {
        RowErrorsWriter w = open_ok(true);
        ASSERT_TRUE(w.write(record(2)));
    }
    const std::string text = read_all();
    EXPECT_EQ(text.find("row_number"), 0U);
    EXPECT_EQ(text.find("row_number", 1), std::string::npos);
    EXPECT_EQ(*count_row_error_records(file()), 2U);
}

TEST_F(RowErrorsTest, AppendToAbsentFileWritesTheHeader) {
    {
        RowErrorsWriter w = open_ok(true);
        ASSERT_TRUE(w.write(record(1)));
    }
    EXPECT_EQ(read_all().rfind(k_header_line, 0), 0U);
    EXPECT_EQ(*count_row_error_records(file()), 1U);
}

TEST_F(RowErrorsTest, AppendCutsATornLastLine) {
    const std::string line1 = row_errors_line(record(1), 3);
    write_all(k_header_line + line1 + "2,3,\"half a quoted\nfield");
    EXPECT_EQ(*count_row_error_records(file()), 1U);
    {
        RowErrorsWriter w = open_ok(true);
        ASSERT_TRUE(w.write(record(3)));
    }
    EXPECT_EQ(read_all(), k_header_line + line1 + row_errors_line(record(3), 3));
}

TEST_F(RowErrorsTest, AppendRefusesAnotherHeader) {
    write_all(
        "row_number,line_number,other,error_class,http_status,message,tracking_id,"
        "attempts\n");
    auto w = RowErrorsWriter::open(file(), k_header, true);
    ASSERT_FALSE(w);
    EXPECT_EQ(w.error().kind, ErrorKind::Permanent);
    EXPECT_EQ(w.error().message, file() +
                                     " has a different header than this run's input; move "
                                     "it away or use another --out");
}

TEST_F(RowErrorsTest, DiskFullIsAnErrorAndThePartialLineIsCutOff) {
    FaultInjectingFileSystem faulty;
    RowErrorsWriter w = open_ok(false, faulty);
    ASSERT_TRUE(w.write(record(1)));
    faulty.set_partial_writes(true);
    faulty.fail(FsOp::Write, 1, ENOSPC);
    auto failed = w.write(record(2));
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message, "cannot write to " + file() + ": No space left on device");
    ASSERT_TRUE(w.write(record(3)));
    EXPECT_EQ(read_all(),
              k_header_line + row_errors_line(record(1), 3) + row_errors_line(record(3), 3));
    faulty.fail(FsOp::Fsync, 1, EIO);
    EXPECT_EQ(w.sync().error().message, "cannot fsync " + file() + ": Input/output error");
}

TEST_F(RowErrorsTest, CountOfAbsentFileIsZero) {
    auto count = count_row_error_records(file());
    ASSERT_TRUE(count);
    EXPECT_EQ(*count, 0U);
}

}  // namespace
}  // namespace wxbatch::report
