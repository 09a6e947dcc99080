// Who a record's customer is, for history and repeat complaints: the contact's
// email and phone, normalised so that spellings of the same address or number
// match ("Ffion@Example.co.uk " and "ffion@example.co.uk"; "07700 900123" and
// "+44 7700 900123").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "heed/model.hpp"
#include "heed/server/storage.hpp"
#include "heed/validation.hpp"

namespace heed::server {

using heed::normalise_email;  // validation.hpp: trimmed and lower-cased
// E.164 for a UK number; otherwise its digits (and a leading +); nullopt when no digits.
std::optional<std::string> normalise_phone(std::string_view phone);

// The feedback's contact or the complaint's customer; nullptr when none (or for a note).
const Contact* contact_of(const Record& record);

// contact_of's email and phone, normalised; empty without a contact.
CustomerKey customer_key_of(const Record& record);

}  // namespace heed::server
