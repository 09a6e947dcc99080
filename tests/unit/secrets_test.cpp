#include <doctest/doctest.h>

#include "heed/secrets.hpp"

using namespace heed;

TEST_CASE("PINs are stored as argon2id hashes and verified against them") {
  const auto hash = hash_secret("4821");
  REQUIRE(hash);
  CHECK(hash->rfind("$argon2id$", 0) == 0);
  CHECK(hash->find("4821") == std::string::npos);
  CHECK(is_argon2id_hash(*hash));
  CHECK(verify_secret("4821", *hash));
  CHECK_FALSE(verify_secret("4822", *hash));
  CHECK_FALSE(verify_secret("", *hash));
  CHECK(hash_secret("4821") != hash);  // salted
  CHECK_FALSE(verify_secret("4821", "4821"));
  CHECK_FALSE(verify_secret("4821", "$argon2id$garbage"));
}

TEST_CASE("a staff PIN is 4-8 digits") {
  CHECK(is_valid_pin("0000"));
  CHECK(is_valid_pin("12345678"));
  CHECK_FALSE(is_valid_pin("123"));
  CHECK_FALSE(is_valid_pin("123456789"));
  CHECK_FALSE(is_valid_pin("12a4"));
}
