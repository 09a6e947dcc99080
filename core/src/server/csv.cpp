// RFC 4180 fields (see csv.hpp).
#include "heed/server/csv.hpp"

namespace heed::server {

void append_csv_field(std::string& line, std::string_view value, bool text) {
  const bool formula = text && !value.empty() &&
                       (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' || value[0] == '\t' ||
                        value[0] == '\r');
  const bool quote = formula || value.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    line.append(value);
    return;
  }
  line += '"';
  if (formula) line += '\'';
  for (char c : value) {
    if (c == '"') line += '"';
    line += c;
  }
  line += '"';
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    append_csv_field(line, fields[i]);
  }
  line += "\r\n";
  return line;
}

}  // namespace heed::server
