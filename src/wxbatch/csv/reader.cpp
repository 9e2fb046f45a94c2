#include "wxbatch/csv/reader.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "wxbatch/csv/utf8.hpp"

namespace wxbatch::csv {
namespace {

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool is_continuation(int byte) {
    return (byte & 0xC0) == 0x80;
}

}  // namespace

CsvReader::CsvReader(ByteSource source, std::string path, CsvOptions options)
    : m_source(std::move(source)), m_path(std::move(path)), m_options(options) {}

Expected<CsvReader, Error> CsvReader::open(const std::string& path, CsvOptions options) {
    if (options.delimiter == '"' || options.delimiter == '\r' || options.delimiter == '\n' ||
        options.delimiter == '\0') {
        throw UsageError("the CSV delimiter cannot be a quote, a line break or NUL");
    }
    auto source = ByteSource::open(path, options.buffer_bytes);
    if (!source) {
        return unexpected(std::move(source).error());
    }
    CsvReader reader(std::move(source).value(), path, options);
    if (auto header = reader.read_header(); !header) {
        return unexpected(header.error());
    }
    return reader;
}

Error CsvReader::error_at(std::uint64_t line, std::uint64_t column,
                          const std::string& message) const {
    return Error{ErrorKind::Parse, m_path + ":" + std::to_string(line) + ":" +
                                       std::to_string(column) + ": " + message};
}

Expected<void, Error> CsvReader::read_header() {
    // A UTF-8 byte order mark (EF BB BF) is skipped; anything else starting with EF is data.
    static constexpr int k_bom[] = {0xEF, 0xBB, 0xBF};
    for (const int expected : k_bom) {
        auto byte = m_source.peek();
        if (!byte) {
            return unexpected(byte.error());
        }
        if (*byte != expected) {
            if (auto rewound = m_source.seek(0); !rewound) {
                return rewound;
            }
            break;
        }
        m_source.advance();
    }
    auto got = read_record();
    if (!got) {
        return unexpected(got.error());
    }
    const std::string where = m_path + ":" + std::to_string(m_record_line) + ": ";
    if (!*got) {
        return unexpected(Error{ErrorKind::Parse, m_path + ": the file is empty: no header row"});
    }
    if (m_options.delimiter != ';' && m_fields.size() == 1 &&
        m_fields[0].find(';') != std::string::npos) {
        return unexpected(
            Error{ErrorKind::Parse,
                  where + "the header looks semicolon-delimited; pass --delimiter ';'"});
    }
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        std::string name = trim(m_fields[i]);
        if (name.empty()) {
            return unexpected(Error{
                ErrorKind::Parse, where + "header column " + std::to_string(i + 1) + " is blank"});
        }
        for (std::size_t k = 0; k < m_header.size(); ++k) {
            if (lower(m_header[k]) == lower(name)) {
                return unexpected(Error{ErrorKind::Parse, where + "duplicate header '" + name +
                                                              "' (columns " +
                                                              std::to_string(k + 1) + " and " +
                                                              std::to_string(i + 1) + ")"});
            }
        }
        m_header.push_back(std::move(name));
    }
    m_header_end_offset = m_source.offset();
    m_header_end_line = m_line;
    return {};
}

Expected<std::optional<RowRecord>, Error> CsvReader::next() {
    if (m_failure) {
        return unexpected(*m_failure);
    }
    auto got = read_record();
    if (!got) {
        m_failure = got.error();
        return unexpected(got.error());
    }
    if (!*got) {
        return std::optional<RowRecord>{};
    }
    RowRecord record;
    record.row_number = m_next_row++;
    record.line_number = m_record_line;
    record.byte_offset = m_record_offset;
    record.next_offset = m_source.offset();
    record.next_line_number = m_line;
    record.fields = std::move(m_fields);
    m_fields.clear();
    return std::optional<RowRecord>(std::move(record));
}

Expected<void, Error> CsvReader::seek(std::uint64_t byte_offset, std::uint64_t row_number,
                                      std::uint64_t line_number) {
    if (byte_offset < m_header_end_offset) {
        return unexpected(Error{ErrorKind::Permanent, m_path + ": cannot seek to offset " +
                                                          std::to_string(byte_offset) +
                                                          ", before the end of the header"});
    }
    if (auto moved = m_source.seek(byte_offset); !moved) {
        return moved;
    }
    m_failure.reset();
    m_next_row = row_number;
    m_line = line_number;
    m_column = 1;
    return {};
}

Expected<int, Error> CsvReader::peek() {
    auto byte = m_source.peek();
    if (byte && *byte == 0) {
        return unexpected(error_at(m_line, m_column,
                                   "NUL byte in the input (a UTF-16 file? convert it with "
                                   "iconv -f utf-16 -t utf-8)"));
    }
    return byte;
}

void CsvReader::consume(int byte) {
    m_source.advance();
    if (!is_continuation(byte)) {
        ++m_column;
    }
}

Expected<void, Error> CsvReader::consume_newline(int byte) {
    m_source.advance();
    if (byte == '\r') {
        auto after = peek();
        if (!after) {
            return unexpected(after.error());
        }
        if (*after == '\n') {
            m_source.advance();
        }
    }
    ++m_line;
    m_column = 1;
    return {};
}

Expected<bool, Error> CsvReader::skip_blank_lines() {
    for (;;) {
        auto byte = peek();
        if (!byte) {
            return unexpected(byte.error());
        }
        if (*byte == ByteSource::k_end) {
            return false;
        }
        if (*byte != '\r' && *byte != '\n') {
            return true;
        }
        if (auto skipped = consume_newline(*byte); !skipped) {
            return unexpected(skipped.error());
        }
    }
}

Expected<void, Error> CsvReader::append(int byte) {
    if (m_field.size() >= m_options.max_field_bytes) {
        return unexpected(
            error_at(m_field_line, m_field_column,
                     "field longer than " + std::to_string(m_options.max_field_bytes) + " bytes"));
    }
    m_field.push_back(static_cast<char>(byte));
    return {};
}

Expected<void, Error> CsvReader::finish_field() {
    if (const auto bad = first_invalid_utf8(m_field)) {
        // Walk the field up to the bad byte to name its line and column.
        std::uint64_t line = m_field_line;
        std::uint64_t column = m_field_column;
        for (std::size_t i = 0; i < *bad; ++i) {
            const char c = m_field[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= m_field.size() || m_field[i + 1] != '\n'))) {
                ++line;
                column = 1;
            } else if (c != '\r' && !is_continuation(static_cast<unsigned char>(c))) {
                ++column;
            }
        }
        return unexpected(error_at(line, column,
                                   "invalid UTF-8; if the file is Latin-1, convert it: "
                                   "iconv -f latin1 -t utf-8 " +
                                       m_path + " > converted.csv"));
    }
    m_fields.push_back(std::move(m_field));
    m_field.clear();
    return {};
}

Expected<void, Error> CsvReader::append_quoted(int byte) {
    auto appended = append(byte);
    if (!appended) {
        return appended;
    }
    if (byte != '\r' && byte != '\n') {
        consume(byte);
        return {};
    }
    // A quoted line break is kept verbatim (CR, LF or CRLF) and counted once.
    m_source.advance();
    if (byte == '\r') {
        auto after = peek();
        if (!after) {
            return unexpected(after.error());
        }
        if (*after == '\n') {
            appended = append('\n');
            m_source.advance();
        }
    }
    ++m_line;
    m_column = 1;
    return appended;
}

Expected<bool, Error> CsvReader::end_field(int byte) {
    if (auto finished = finish_field(); !finished) {
        return unexpected(finished.error());
    }
    if (byte == m_options.delimiter) {
        consume(byte);
        return false;
    }
    if (byte != ByteSource::k_end) {
        if (auto ended = consume_newline(byte); !ended) {
            return unexpected(ended.error());
        }
    }
    return true;
}

Expected<bool, Error> CsvReader::read_record() {
    auto started = skip_blank_lines();
    if (!started || !*started) {
        return started;
    }
    m_record_offset = m_source.offset();
    m_record_line = m_line;
    m_fields.clear();
    m_field.clear();
    FieldState state = FieldState::Start;
    std::uint64_t quote_line = 0;
    std::uint64_t quote_column = 0;
    for (;;) {
        auto next = peek();
        if (!next) {
            return unexpected(next.error());
        }
        const int c = *next;
        if (state == FieldState::Start) {
            m_field_line = m_line;
            m_field_column = m_column;
            if (c == '"') {
                quote_line = m_line;
                quote_column = m_column;
                consume(c);
                m_field_column = m_column;
                state = FieldState::Quoted;
                continue;
            }
        }
        Expected<void, Error> step;
        if (state == FieldState::Quoted && c == ByteSource::k_end) {
            return unexpected(error_at(quote_line, quote_column,
                                       "unterminated quoted field (opened at line " +
                                           std::to_string(quote_line) + ", column " +
                                           std::to_string(quote_column) + ")"));
        } else if (state == FieldState::Quoted && c == '"') {
            consume(c);
            state = FieldState::AfterQuote;
        } else if (state == FieldState::Quoted) {
            step = append_quoted(c);
        } else if (state == FieldState::AfterQuote && c == '"') {
            step = append(c);  // a doubled quote inside a quoted field
            consume(c);
            state = FieldState::Quoted;
        } else if (c == ByteSource::k_end || c == '\r' || c == '\n' || c == m_options.delimiter) {
            auto record_ended = end_field(c);
            if (!record_ended || *record_ended) {
                return record_ended;
            }
            state = FieldState::Start;
        } else if (state == FieldState::AfterQuote) {
            return unexpected(error_at(m_line, m_column,
                                       "unexpected character after the closing quote of a field "
                                       "(a quote inside a quoted field must be doubled)"));
        } else {
            // A quote inside an unquoted field is kept literally (5" screen).
            step = append(c);
            consume(c);
            state = FieldState::Unquoted;
        }
        if (!step) {
            return unexpected(step.error());
        }
    }
}

}  // namespace wxbatch::csv
