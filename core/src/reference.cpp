// Complaint references: STORE-DEVICE-SEQUENCE+CHECK in a 32-symbol alphabet
// without 0, O, 1 or I. The check is Luhn mod 32 over every symbol before it.
#include "heed/reference.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>

namespace heed {
namespace {

constexpr std::size_t kBase = kReferenceAlphabet.size();
static_assert(kBase == 32);

int symbol_value(char c) {
  const auto pos = kReferenceAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

bool all_symbols(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return symbol_value(c) >= 0; });
}

// Luhn mod N: doubles every second value from the right, folds, and returns the
// symbol that brings the sum to a multiple of N.
char check_symbol(std::string_view symbols) {
  int factor = 2;
  int sum = 0;
  for (auto it = symbols.rbegin(); it != symbols.rend(); ++it) {
    if (*it == '-') continue;
    int addend = factor * symbol_value(*it);
    factor = factor == 2 ? 1 : 2;
    addend = addend / static_cast<int>(kBase) + addend % static_cast<int>(kBase);
    sum += addend;
  }
  const int remainder = sum % static_cast<int>(kBase);
  return kReferenceAlphabet[static_cast<std::size_t>((static_cast<int>(kBase) - remainder) % static_cast<int>(kBase))];
}

std::string encode_sequence(std::uint64_t value) {
  std::string digits;
  do {
    digits += kReferenceAlphabet[value % kBase];
    value /= kBase;
  } while (value > 0);
  while (digits.size() < kMinSequenceDigits) digits += kReferenceAlphabet[0];
  std::reverse(digits.begin(), digits.end());
  return digits;
}

}  // namespace

bool is_valid_store_code(std::string_view code) {
  return code.size() >= kMinStoreCode && code.size() <= kMaxStoreCode && all_symbols(code);
}

bool is_valid_device_code(std::string_view code) {
  return !code.empty() && code.size() <= kMaxDeviceCode && all_symbols(code);
}

std::string make_reference(std::string_view store_code, std::string_view device_code, std::uint64_t sequence) {
  assert(is_valid_store_code(store_code) && is_valid_device_code(device_code));
  std::string reference;
  reference.reserve(store_code.size() + device_code.size() + 16);
  reference.append(store_code).append("-").append(device_code).append("-").append(encode_sequence(sequence));
  reference += check_symbol(reference);
  return reference;
}

std::optional<ReferenceParts> parse_reference(std::string_view text) {
  std::string clean;
  for (char c : text) {
    if (c == ' ') continue;
    clean += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  const auto first = clean.find('-');
  const auto second = first == std::string::npos ? std::string::npos : clean.find('-', first + 1);
  if (second == std::string::npos || clean.find('-', second + 1) != std::string::npos) return std::nullopt;

  ReferenceParts parts;
  parts.store_code = clean.substr(0, first);
  parts.device_code = clean.substr(first + 1, second - first - 1);
  const std::string tail = clean.substr(second + 1);  // sequence digits + check symbol
  if (!is_valid_store_code(parts.store_code) || !is_valid_device_code(parts.device_code)) return std::nullopt;
  if (tail.size() < kMinSequenceDigits + 1 || tail.size() > 13 || !all_symbols(tail)) return std::nullopt;

  const std::string_view body(clean.data(), clean.size() - 1);
  if (check_symbol(body) != clean.back()) return std::nullopt;
  // The canonical spelling has no extra leading zero-symbols beyond the minimum width.
  const std::string_view digits(tail.data(), tail.size() - 1);
  if (digits.size() > kMinSequenceDigits && digits.front() == kReferenceAlphabet[0]) return std::nullopt;
  for (char c : digits) parts.sequence = parts.sequence * kBase + static_cast<std::uint64_t>(symbol_value(c));
  return parts;
}

std::string reference_key(std::string_view reference) {
  std::string key;
  key.reserve(reference.size());
  for (char c : reference) {
    if (c == '-' || std::isspace(static_cast<unsigned char>(c))) continue;
    key += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return key;
}

ReadReference read_typed_reference(std::string_view text) {
  ReadReference read;
  std::string key = reference_key(text);
  if (key.empty()) return read;
  // The shortest and longest a reference can be once its two dashes are gone.
  constexpr std::size_t kShortest = kMinStoreCode + 1 + kMinSequenceDigits + 1;
  constexpr std::size_t kLongest = kMaxStoreCode + kMaxDeviceCode + 13;  // as parse_reference allows
  read.status = TypedReference::not_a_reference;
  if (key.size() < kShortest || key.size() > kLongest || !all_symbols(key)) return read;
  // check_symbol skips dashes, so the key checks as the reference does.
  if (check_symbol(std::string_view(key).substr(0, key.size() - 1)) != key.back()) {
    read.status = TypedReference::wrong_check;
    return read;
  }
  read.status = TypedReference::ok;
  read.key = std::move(key);
  return read;
}

}  // namespace heed
