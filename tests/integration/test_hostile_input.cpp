// Hostile CSV input end to end: every file of tests/fixtures/csv/corpus/ through the real
// `wxbatch validate` (and `run` where the network matters): the exit code, the message naming
// file, line and column, and the content of row_errors.csv.

#include <gtest/gtest.h>

#include <signal.h>

#include <string>
#include <thread>
#include <vector>

#include "integration/fixtures.hpp"
#include "integration/harness.hpp"
#include "wxbatch/csv/reader.hpp"
#include "wxbatch/webex/curl_transport.hpp"

namespace wxtest {
namespace {

const fs::path k_corpus = fs::path(WXBATCH_TEST_FIXTURES) / "csv" / "corpus";

// A copy of the corpus file `name` in the test's directory (messages then name the copy).
fs::path corpus_copy(const TempDir& dir, const std::string& name) {
    const fs::path to = dir / name;
    fs::copy_file(k_corpus / name, to);
    return to;
}

RunOutput validate(const TempDir& dir, const fs::path& input, const std::string& action,
                   std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"validate", "--input", input.string(),        "--action",
                                  action,     "--out",   (dir / "out").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_wxbatch(dir, args);
}

// row_errors.csv in `out`, header included, parsed with our own reader.
std::vector<std::vector<std::string>> row_errors(const fs::path& out) {
    wxbatch::csv::CsvOptions options;
    options.max_field_bytes = std::size_t{4} << 20;
    auto reader = wxbatch::csv::CsvReader::open((out / "row_errors.csv").string(), options);
    if (!reader) {
        ADD_FAILURE() << reader.error().message;
        return {};
    }
    std::vector<std::vector<std::string>> rows{reader->header()};
    while (true) {
        auto next = reader->next();
        if (!next || !next->has_value()) {
            EXPECT_TRUE(next.has_value()) << next.error().message;
            return rows;
        }
        rows.push_back((*next)->fields);
    }
}

// The displayName of the person with `email` in the simulator ("" when there is none).
std::string display_name(const Simulator& sim, const std::string& email) {
    wxbatch::webex::CurlTransport transport{wxbatch::webex::CurlTransportOptions{}};
    wxbatch::webex::HttpRequest request;
    request.url = sim.base_url() + "/people?email=" + email;
    request.headers.add("Authorization", std::string("Bearer ") + k_token);
    auto response = transport.perform(request);
    if (!response || response->status != 200) {
        ADD_FAILURE() << "GET /people?email=" << email << " failed";
        return "";
    }
    const auto items = nlohmann::json::parse(response->body).at("items");
    return items.empty() ? "" : items[0].value("displayName", "");
}

const std::vector<std::string> k_membership_errors_header{
    "row_number",  "line_number", "roomId",      "personEmail", "error_class",
    "http_status", "message",     "tracking_id", "attempts"};

TEST(HostileInput, BomAndCrlfAreAcceptedAndTheBomIsNotPartOfTheFirstHeader) {
    TempDir dir;
    Simulator sim(dir, {});
    seed_room(sim);
    fs::copy_file(k_corpus / "bom_crlf.csv", dir / "in.csv");
    RunOutput r = run_wxbatch(dir, run_args(dir, sim, "memberships.create"));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(check_exactly_once(sim.ledger(), std::string("membership:") + k_room_id + ":bom",
                                 "@example.com", 3),
              "");
}

TEST(HostileInput, LfCrlfAndBareCrLineEndsMixInOneFileWithTrueLineNumbers) {
    TempDir dir;
    RunOutput lf = validate(dir, corpus_copy(dir, "lf.csv"), "memberships.create");
    EXPECT_EQ(lf.exit_code, 0) << lf.err;
    EXPECT_NE(lf.out.find("2 rows, 0 invalid"), std::string::npos) << lf.out;

    RunOutput mixed = validate(dir, corpus_copy(dir, "mixed_eol.csv"), "memberships.create");
    ASSERT_EQ(mixed.exit_code, 3) << mixed.out << mixed.err;
    EXPECT_NE(mixed.out.find("4 rows, 1 invalid"), std::string::npos) << mixed.out;
    const auto errors = row_errors(dir / "out");
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0], k_membership_errors_header);
    EXPECT_EQ(errors[1][0], "4");  // row 4 ...
    EXPECT_EQ(errors[1][1], "5");  // ... starts on physical line 5 (a bare CR ended line 3)
    EXPECT_EQ(errors[1][3], "bad-email");
    EXPECT_EQ(errors[1][6], "personEmail 'bad-email' is not a valid email address");
}

TEST(HostileInput, QuotedLineBreaksStayInTheFieldAndShiftLineNumbers) {
    TempDir dir;
    RunOutput r = validate(dir, corpus_copy(dir, "quoted_newlines.csv"), "people.create");
    ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
    const auto errors = row_errors(dir / "out");
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[1][0], "2");
    EXPECT_EQ(errors[1][1], "4");
    EXPECT_EQ(errors[1][3], "Bob\r\nRay\nJr");  // written back verbatim, quoted
    EXPECT_EQ(errors[2][0], "4");
    EXPECT_EQ(errors[2][1], "8");
}

TEST(HostileInput, AnUnbalancedQuoteStopsWithTheLineAndColumnWhereItOpened) {
    TempDir dir;
    RunOutput r = validate(dir, corpus_copy(dir, "unbalanced_quote.csv"), "memberships.create");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unbalanced_quote.csv:3:42: unterminated quoted field (opened at line "
                         "3, column 42)"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.out.find("1 rows read before the error"), std::string::npos) << r.out;
}

TEST(HostileInput, RowsWithTooManyOrTooFewFieldsAreRowErrorsAndTheRunGoesOn) {
    TempDir dir;
    Simulator sim(dir, {});
    seed_room(sim);
    fs::copy_file(k_corpus / "field_count.csv", dir / "in.csv");
    RunOutput r = run_wxbatch(dir, run_args(dir, sim, "memberships.create"));
    ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
    const auto ledger = sim.ledger();
    EXPECT_EQ(ledger.size(), 2u) << ledger.dump();
    EXPECT_EQ(ledger.value(std::string("membership:") + k_room_id + ":fc1@example.com", 0), 1);
    EXPECT_EQ(ledger.value(std::string("membership:") + k_room_id + ":fc4@example.com", 0), 1);

    const auto errors = row_errors(dir / "out");
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[0], k_membership_errors_header);
    EXPECT_EQ(errors[1][0], "2");
    EXPECT_EQ(errors[1][1], "3");
    EXPECT_EQ(errors[1][4], "ROW_ERROR_NON_RETRYABLE");
    EXPECT_EQ(errors[1][6],
              "row has 3 fields, header has 2 [extra fields beyond the header: [\"surplus\"]]");
    EXPECT_EQ(errors[2][0], "3");
    EXPECT_EQ(errors[2][1], "4");
    EXPECT_EQ(errors[2][3], "");  // the missing field is written empty, under its header
    EXPECT_EQ(errors[2][6], "row has 1 fields, header has 2");
}

TEST(HostileInput, AnEmptyFileIsRefusedAndAHeaderOnlyFileHasNothingToDo) {
    TempDir dir;
    RunOutput empty = validate(dir, corpus_copy(dir, "empty.csv"), "memberships.create");
    EXPECT_EQ(empty.exit_code, 2);
    EXPECT_NE(empty.err.find("empty.csv: the file is empty: no header row"), std::string::npos)
        << empty.err;

    RunOutput header_only =
        validate(dir, corpus_copy(dir, "header_only.csv"), "memberships.create");
    EXPECT_EQ(header_only.exit_code, 0) << header_only.err;
    EXPECT_NE(header_only.out.find("0 rows, 0 invalid"), std::string::npos) << header_only.out;
}

TEST(HostileInput, AHeaderOnlyRunCompletesWithoutSendingAMutation) {
    TempDir dir;
    Simulator sim(dir, {});
    fs::copy_file(k_corpus / "header_only.csv", dir / "in.csv");
    RunOutput r = run_wxbatch(dir, run_args(dir, sim, "memberships.create"));
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(sim.ledger().empty());
    const auto summary = read_json(dir / "out" / "run_summary.json");
    EXPECT_EQ(summary["state"], "COMPLETED");
    EXPECT_EQ(summary["totals"]["read"], 0);
}

TEST(HostileInput, DuplicateOrBlankHeaderNamesAreRefusedNamingTheColumns) {
    TempDir dir;
    RunOutput duplicate =
        validate(dir, corpus_copy(dir, "duplicate_header.csv"), "memberships.create");
    EXPECT_EQ(duplicate.exit_code, 2);
    EXPECT_NE(duplicate.err.find("duplicate_header.csv:1: duplicate header 'RoomID' (columns 1 "
                                 "and 3)"),
              std::string::npos)
        << duplicate.err;

    RunOutput blank = validate(dir, corpus_copy(dir, "blank_header.csv"), "memberships.create");
    EXPECT_EQ(blank.exit_code, 2);
    EXPECT_NE(blank.err.find("blank_header.csv:1: header column 2 is blank"), std::string::npos)
        << blank.err;
}

TEST(HostileInput, BlankLinesAreSkippedAndLineNumbersStillPointAtTheFile) {
    TempDir dir;
    RunOutput r = validate(dir, corpus_copy(dir, "blank_lines.csv"), "memberships.create");
    ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.out.find("2 rows, 1 invalid"), std::string::npos) << r.out;
    const auto errors = row_errors(dir / "out");
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[1][0], "2");
    EXPECT_EQ(errors[1][1], "8");
}

TEST(HostileInput, AOneMegabyteFieldIsSentIntactAndALongerOneIsRefusedWithItsPosition) {
    TempDir dir;
    Simulator sim(dir, {});
    const std::string big(1'000'000, 'x');
    write_file(dir / "in.csv",
               "email,displayName\nbig1@example.com," + big + "\nbig2@example.com,Small\n");
    RunOutput r = run_wxbatch(dir, run_args(dir, sim, "people.create"));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(display_name(sim, "big1@example.com"), big);
    EXPECT_EQ(display_name(sim, "big2@example.com"), "Small");

    write_file(dir / "over.csv", "email,displayName\nbig1@example.com,Small\nbig2@example.com," +
                                     std::string((std::size_t{1} << 20) + 1, 'y') + "\n");
    RunOutput over = validate(dir, dir / "over.csv", "people.create");
    EXPECT_EQ(over.exit_code, 2);
    EXPECT_NE(over.err.find("over.csv:3:18: field longer than 1048576 bytes"), std::string::npos)
        << over.err;
}

TEST(HostileInput, InvalidUtf8NamesLineAndColumnAndSaysHowToConvert) {
    TempDir dir;
    RunOutput r = validate(dir, corpus_copy(dir, "invalid_utf8.csv"), "memberships.create");
    EXPECT_EQ(r.exit_code, 2);
    const std::string path = (dir / "invalid_utf8.csv").string();
    EXPECT_NE(r.err.find(path +
                         ":3:45: invalid UTF-8; if the file is Latin-1, convert it: iconv "
                         "-f latin1 -t utf-8 " +
                         path + " > converted.csv"),
              std::string::npos)
        << r.err;
}

TEST(HostileInput, Latin1IsRefusedAndTheAdvisedConversionIsThenAccepted) {
    TempDir dir;
    RunOutput r = validate(dir, corpus_copy(dir, "latin1.csv"), "people.create");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("latin1.csv:2:20: invalid UTF-8"), std::string::npos) << r.err;

    // What `iconv -f latin1 -t utf-8` does: every byte is the code point of the same value.
    std::string utf8;
    for (const char c : read_file(dir / "latin1.csv")) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x80) {
            utf8 += c;
        } else {
            utf8 += static_cast<char>(0xC0 | (byte >> 6));
            utf8 += static_cast<char>(0x80 | (byte & 0x3F));
        }
    }
    write_file(dir / "converted.csv", utf8);
    RunOutput converted = validate(dir, dir / "converted.csv", "people.create");
    EXPECT_EQ(converted.exit_code, 0) << converted.err;
    EXPECT_NE(converted.out.find("2 rows, 0 invalid"), std::string::npos) << converted.out;
}

TEST(HostileInput, NulBytesAreRefusedWithTheirPositionAndAUtf16Hint) {
    TempDir dir;
    RunOutput r = validate(dir, corpus_copy(dir, "nul_bytes.csv"), "memberships.create");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("nul_bytes.csv:3:44: NUL byte in the input (a UTF-16 file? convert it "
                         "with iconv -f utf-16 -t utf-8)"),
              std::string::npos)
        << r.err;
}

TEST(HostileInput, ASemicolonExportIsDetectedAndAcceptedWithTheDelimiterOption) {
    TempDir dir;
    const fs::path input = dir / "semi.csv";
    fs::copy_file(fs::path(WXBATCH_TEST_FIXTURES) / "csv" / "memberships_semicolon.csv", input);
    RunOutput detected = validate(dir, input, "memberships.create");
    EXPECT_EQ(detected.exit_code, 2);
    EXPECT_NE(detected.err.find("semi.csv:1: the header looks semicolon-delimited; pass "
                                "--delimiter ';'"),
              std::string::npos)
        << detected.err;

    RunOutput accepted = validate(dir, input, "memberships.create", {"--delimiter", ";"});
    EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
    EXPECT_NE(accepted.out.find("2 rows, 0 invalid"), std::string::npos) << accepted.out;
}

TEST(HostileInput, TrailingSpacesInHeadersAndValuesAreTrimmedBeforeSending) {
    TempDir dir;
    Simulator sim(dir, {});
    seed_room(sim);
    fs::copy_file(k_corpus / "trailing_spaces.csv", dir / "in.csv");
    RunOutput r = run_wxbatch(dir, run_args(dir, sim, "memberships.create"));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(check_exactly_once(sim.ledger(), std::string("membership:") + k_room_id + ":ts",
                                 "@example.com", 2),
              "");
}

TEST(HostileInput, FormulaLookingValuesAreSentIntactAndNeutralisedInRowErrors) {
    TempDir dir;
    Simulator sim(dir, {});
    fs::copy_file(k_corpus / "formulas.csv", dir / "in.csv");
    RunOutput r = run_wxbatch(dir, run_args(dir, sim, "people.create"));
    ASSERT_EQ(r.exit_code, 3) << r.out << r.err;

    EXPECT_EQ(sim.ledger().size(), 2u) << sim.ledger().dump();
    EXPECT_EQ(display_name(sim, "fx1@example.com"), "=1+1");
    EXPECT_EQ(display_name(sim, "fx2@example.com"), "@SUM(A1:A2)");

    const auto errors = row_errors(dir / "out");
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[1][0], "3");
    EXPECT_EQ(errors[1][2], "'=cmd|' /C calc'!A0");
    EXPECT_EQ(errors[1][3], "'+HYPERLINK(\"http://x\")");
    EXPECT_EQ(errors[2][2], "-2+3");  // a plain number: nothing to neutralise
    EXPECT_EQ(errors[2][3], "-5");
}

TEST(HostileInput, AnEncodingErrorAfterTheFirstRowsIsRefusedBeforeAnythingIsSent) {
    TempDir dir;
    Simulator sim(dir, {});
    seed_room(sim);
    fs::copy_file(k_corpus / "invalid_utf8.csv", dir / "in.csv");
    RunOutput r = run_wxbatch(dir, run_args(dir, sim, "memberships.create"));
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_EQ(sim.stats()["requests"], 0);
    EXPECT_NE((r.out + r.err).find("in.csv:3:45: invalid UTF-8"), std::string::npos)
        << r.out << r.err;
    EXPECT_TRUE(sim.ledger().empty()) << sim.ledger().dump();
}

// A run of 300 memberships killed with SIGKILL once `applied` of them are in the ledger.
std::vector<std::string> killed_run(const TempDir& dir, const Simulator& sim, std::size_t applied) {
    seed_room(sim);
    write_membership_csv(dir / "in.csv", 300);
    auto args = run_args(dir, sim, "memberships.create", {"--batch-size", "100"});
    Process p = start_wxbatch(dir, args);
    for (int i = 0; i < 3000 && sim.ledger().size() < applied; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    p.signal(SIGKILL);
    EXPECT_EQ(p.wait(), 128 + SIGKILL);
    args.push_back("--resume");
    return args;
}

TEST(HostileInput, ADamagedCheckpointOrJournalIsRefusedAndATornJournalTailIsDropped) {
    TempDir dir;
    Simulator sim(dir, {}, R"({"seed": 9, "latency": {"mean_ms": 4, "jitter_ms": 2}})");
    const auto resume = killed_run(dir, sim, 150);
    const fs::path checkpoint = dir / "out" / "checkpoint.json";
    const fs::path journal = dir / "out" / "journal.wxj";
    const std::string good_checkpoint = read_file(checkpoint);
    const std::string good_journal = read_file(journal);
    ASSERT_GT(good_journal.size(), 200u);

    write_file(checkpoint, good_checkpoint.substr(0, good_checkpoint.size() / 2));
    RunOutput cut = run_wxbatch(dir, resume);
    EXPECT_EQ(cut.exit_code, 2);
    EXPECT_NE(cut.err.find("checkpoint.json is corrupt: not valid JSON"), std::string::npos)
        << cut.err;
    write_file(checkpoint, good_checkpoint);

    std::string damaged = good_journal;
    damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x5a);
    write_file(journal, damaged);
    RunOutput flipped = run_wxbatch(dir, resume);
    EXPECT_EQ(flipped.exit_code, 2);
    EXPECT_NE(flipped.err.find("journal.wxj is corrupt at byte "), std::string::npos)
        << flipped.err;
    EXPECT_EQ(sim.stats()["by_status"].value("409", 0), 0) << "nothing was resent";

    // A crash in the middle of an append leaves a torn record: dropped, and the run resumes.
    write_file(journal, good_journal + std::string("\x0d\x00\x00", 3));
    RunOutput torn = run_wxbatch(dir, resume);
    ASSERT_EQ(torn.exit_code, 0) << torn.out << torn.err;
    EXPECT_NE(torn.err.find("torn"), std::string::npos) << torn.err;
    EXPECT_EQ(check_exactly_once(sim.ledger(), std::string("membership:") + k_room_id + ":user",
                                 "@example.com", 300),
              "");
}

}  // namespace
}  // namespace wxtest
