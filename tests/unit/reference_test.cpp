// Complaint references: unique across a chain, readable aloud, self-checking.
#include <doctest/doctest.h>

#include <unordered_set>

#include "heed/reference.hpp"

using namespace heed;

TEST_CASE("references have the documented shape") {
  CHECK(make_reference("MCR", "K2", 0).size() == std::string("MCR-K2-2222").size() + 1);
  const auto r = make_reference("MCR", "K2", 1);
  CHECK(r.rfind("MCR-K2-2223", 0) == 0);
  CHECK(make_reference("MCR", "K2", 32 * 32 * 32 * 32).substr(7).size() == 6);  // grows past 4 digits
}

TEST_CASE("the alphabet leaves out 0, O, 1 and I") {
  for (char c : {'0', 'O', '1', 'I'}) CHECK(kReferenceAlphabet.find(c) == std::string_view::npos);
  CHECK_FALSE(is_valid_store_code("M0R"));
  CHECK_FALSE(is_valid_store_code("MOR"));
  CHECK_FALSE(is_valid_device_code("K1"));
  CHECK_FALSE(is_valid_device_code("KI"));
  CHECK_FALSE(is_valid_store_code("M"));
  CHECK_FALSE(is_valid_store_code("ABCDEFG"));
  CHECK(is_valid_store_code("MCR"));
  CHECK(is_valid_device_code("K2"));
}

TEST_CASE("references parse back as a person might type them") {
  for (std::uint64_t sequence : {0ull, 1ull, 31ull, 32ull, 1048575ull, 1048576ull, 123456789012ull}) {
    const auto text = make_reference("LDN7", "T3", sequence);
    const auto parts = parse_reference(text);
    REQUIRE(parts);
    CHECK(*parts == ReferenceParts{"LDN7", "T3", sequence});
    std::string lower = text;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(parse_reference(lower) == parts);
    CHECK(parse_reference(" " + text.substr(0, 4) + " - " + text.substr(5)) == parts);
  }
  CHECK_FALSE(parse_reference(""));
  CHECK_FALSE(parse_reference("MCR-K2"));
  CHECK_FALSE(parse_reference("MCR-K2-22-2222"));
  CHECK_FALSE(parse_reference("MCR-K2-222"));
}

TEST_CASE("the check character catches every single-character slip and neighbour swap") {
  const auto reference = make_reference("MCR", "K2", 987654);
  for (std::size_t i = 0; i < reference.size(); ++i) {
    if (reference[i] == '-') continue;
    for (char c : kReferenceAlphabet) {
      if (c == reference[i]) continue;
      std::string typo = reference;
      typo[i] = c;
      CAPTURE(typo);
      CHECK_FALSE(parse_reference(typo));
    }
    if (i + 1 < reference.size() && reference[i + 1] != '-' && reference[i] != reference[i + 1]) {
      std::string swapped = reference;
      std::swap(swapped[i], swapped[i + 1]);
      CAPTURE(swapped);
      CHECK_FALSE(parse_reference(swapped));
    }
  }
}

TEST_CASE("1,000,000 references from 100 devices are all distinct") {
  // 10 stores with 10 devices each, 10,000 complaints per device.
  const char* stores[] = {"MCR", "LDN", "BHM", "CDF", "GLA", "EDN", "LPL", "BRS", "NWC", "SWA"};
  const char* devices[] = {"K2", "K3", "K4", "T2", "T3", "T4", "A", "B", "C", "D"};
  std::unordered_set<std::string> seen;
  seen.reserve(1'000'000);
  bool readable = true;
  for (const char* store : stores)
    for (const char* device : devices)
      for (std::uint64_t sequence = 1; sequence <= 10'000; ++sequence) {
        auto reference = make_reference(store, device, sequence);
        for (char c : reference) readable &= c == '-' || kReferenceAlphabet.find(c) != std::string_view::npos;
        seen.insert(std::move(reference));
      }
  CHECK(readable);
  CHECK(seen.size() == 1'000'000);
}

TEST_CASE("a typed reference is read in any case, with spaces and dashes ignored, to its key") {
  const auto reference = make_reference("MCR", "K2", 4242);
  const std::string key = reference_key(reference);
  CHECK(key.find('-') == std::string::npos);
  CHECK(key.size() == reference.size() - 2);
  std::string lower = reference;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string spaced;  // "m c r k 2 ..." read out a character at a time
  for (char c : lower)
    if (c != '-') spaced += std::string(1, c) + " ";
  for (const std::string& typed :
       {reference, lower, spaced, key, " " + reference + " ", std::string("mcr - ") + reference.substr(4)}) {
    CAPTURE(typed);
    const auto read = read_typed_reference(typed);
    CHECK(read.status == TypedReference::ok);
    CHECK(read.key == key);
  }
}

TEST_CASE("a typed reference that is not one, or whose check character is wrong, says which") {
  const auto reference = make_reference("MCR", "K2", 4242);
  CHECK(read_typed_reference("").status == TypedReference::empty);
  CHECK(read_typed_reference("  - ").status == TypedReference::empty);
  // Wrong length: too short, or too long, for any reference.
  CHECK(read_typed_reference("MCR-K2").status == TypedReference::not_a_reference);
  CHECK(read_typed_reference(reference.substr(0, reference.size() - 3)).status == TypedReference::not_a_reference);
  CHECK(read_typed_reference(reference + "23456789ABCDEFGH").status == TypedReference::not_a_reference);
  // Characters no reference has (O, 0, I, 1, punctuation).
  CHECK(read_typed_reference("MC0-K2-22A7X").status == TypedReference::not_a_reference);
  CHECK(read_typed_reference("MCR/K2/22A7X").status == TypedReference::not_a_reference);
  CHECK(read_typed_reference(reference).key.size() > 0);
  // One character slipped: the check character catches it.
  std::string typo = reference;
  typo[8] = typo[8] == 'X' ? 'Y' : 'X';
  const auto read = read_typed_reference(typo);
  CHECK(read.status == TypedReference::wrong_check);
  CHECK(read.key.empty());
  std::string wrong_check = reference;
  wrong_check.back() = wrong_check.back() == '2' ? '3' : '2';
  CHECK(read_typed_reference(wrong_check).status == TypedReference::wrong_check);
}

TEST_CASE("the example reference the docs and error messages quote is a valid one") {
  // People copy examples: MCR-K2-22A7X is in validation's message, the API's and README.
  CHECK(parse_reference("MCR-K2-22A7X"));
  CHECK(read_typed_reference("mcr k2 22a7x").status == TypedReference::ok);
}
