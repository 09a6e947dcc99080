// CSV for spreadsheets: RFC 4180 fields (quoted when they hold a comma, quote,
// CR or LF; quotes doubled), CRLF line ends, and a UTF-8 byte-order mark first
// so that Excel reads accents as UTF-8. Text that a spreadsheet would run as a
// formula (starting = + - @ or a tab or CR) is prefixed with an apostrophe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace heed::server {

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// One field, quoted as needed. `text` marks free text, which is formula-guarded.
void append_csv_field(std::string& line, std::string_view value, bool text = true);
// A whole line of text fields, with CRLF.
std::string csv_line(const std::vector<std::string>& fields);

}  // namespace heed::server
