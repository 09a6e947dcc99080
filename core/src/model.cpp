// Record helpers that every record type shares, and UUIDs from libuuid.
#include "heed/model.hpp"

#include <uuid/uuid.h>

namespace heed {

const RecordHeader& header_of(const Record& record) {
  return std::visit([](const auto& r) -> const RecordHeader& { return r.header; }, record);
}

RecordHeader& header_of(Record& record) {
  return std::visit([](auto& r) -> RecordHeader& { return r.header; }, record);
}

RecordType type_of(const Record& record) { return static_cast<RecordType>(record.index()); }

bool counts_as_first_contact_resolution(const Complaint& complaint) {
  return complaint.resolved_first_contact && complaint.customer_accepted == true;
}

std::string new_uuid_v4() {
  uuid_t raw;
  uuid_generate_random(raw);
  char text[37];
  uuid_unparse_lower(raw, text);
  return text;
}

bool is_uuid_v4(std::string_view text) {
  // xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx, either case.
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  const char variant = static_cast<char>(text[19] | 0x20);
  return text[14] == '4' && (variant == '8' || variant == '9' || variant == 'a' || variant == 'b');
}

}  // namespace heed
