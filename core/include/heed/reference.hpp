// Complaint references a customer can quote: "MCR-K2-22A7X".
// Made on the device without a server, unique across a chain because the parts
// are unique: a store code (unique in the chain), a device code (unique in the
// store) and the device's own durable sequence number. Each part uses an alphabet
// with no 0/O or 1/I, so a reference read aloud or from a receipt is not
// misheard. The last character is a Luhn mod 32 check over the others, so a
// mistyped character or most swapped pairs are caught when staff look one up.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace heed {

// 2-9 then A-Z without I and O: 32 symbols.
inline constexpr std::string_view kReferenceAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
inline constexpr std::size_t kMinStoreCode = 2, kMaxStoreCode = 6;
inline constexpr std::size_t kMaxDeviceCode = 4;
inline constexpr std::size_t kMinSequenceDigits = 4;

struct ReferenceParts {
  std::string store_code;
  std::string device_code;
  std::uint64_t sequence = 0;
  bool operator==(const ReferenceParts&) const = default;
};

// True if `code` is 2-6 (store) or 1-4 (device) characters of the alphabet.
bool is_valid_store_code(std::string_view code);
bool is_valid_device_code(std::string_view code);

// The reference for these parts; the codes must be valid (asserted).
std::string make_reference(std::string_view store_code, std::string_view device_code, std::uint64_t sequence);

// Reads a reference as a person may type it (any case, spaces around dashes);
// nullopt if it is malformed or the check character does not match.
std::optional<ReferenceParts> parse_reference(std::string_view text);

// What staff typed into a "reference" field, read. Case, spaces and dashes are
// ignored (a reference read aloud loses its dashes), so references are matched
// by their key: upper case without dashes. Two chains' worth of codes could in
// theory share a key ("AB-C2-..." and "ABC-2-..."), so a lookup by key returns a list.
enum class TypedReference {
  ok,
  empty,            // nothing but spaces and dashes
  not_a_reference,  // a character no reference has (0, O, 1, I, punctuation) or a length none has
  wrong_check,      // the shape of one, but the check character does not match: a slip
};
struct ReadReference {
  TypedReference status = TypedReference::empty;
  std::string key;  // reference_key of what was typed; set only when ok
};
ReadReference read_typed_reference(std::string_view text);

// The key a reference is matched by: upper case, without spaces or dashes.
std::string reference_key(std::string_view reference);

}  // namespace heed
