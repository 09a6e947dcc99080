// Field-level validation of records against the wire format's rules, shared by
// the device (shown beside each field) and the server (sent back per record).
// Never throws; an empty list means valid.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "heed/model.hpp"
#include "heed/result.hpp"

namespace heed {

FieldErrors validate(const Record& record);
FieldErrors validate(const Feedback& feedback);
FieldErrors validate(const Complaint& complaint);
FieldErrors validate(const ComplaintUpdate& update);

// Rules the UI also checks as a person types.
bool is_valid_store_id(std::string_view store_id);
bool is_valid_email(std::string_view email);
// A UK phone number in any usual spelling ("07700 900123", "+44 7700 900123",
// "(020) 7946 0018") to E.164 ("+447700900123"); nullopt if it is not one.
std::optional<std::string> normalise_uk_phone(std::string_view phone);
// An email as a lookup key: trimmed and lower-cased; nullopt when empty. The
// server's customer index and the device's contact hashes both use it.
std::optional<std::string> normalise_email(std::string_view email);
// Unicode code points in valid UTF-8; nullopt if the bytes are not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view text);

// Limits from the wire format, for UIs that show what remains.
inline constexpr std::size_t kMaxCommentChars = 2000;
inline constexpr std::size_t kMaxDescriptionChars = 5000;
inline constexpr std::size_t kMaxNoteChars = 5000;
inline constexpr std::size_t kMaxAddressChars = 300;
inline constexpr std::size_t kMaxBestTimeChars = 100;
inline constexpr std::size_t kMaxAdjustmentNoteChars = 300;
inline constexpr int kMaxDaysSincePurchase = 36500;
inline constexpr std::size_t kMinRationaleChars = 20;

}  // namespace heed
