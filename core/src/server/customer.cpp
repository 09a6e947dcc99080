// Normalised customer keys (see customer.hpp).
#include "heed/server/customer.hpp"

#include "heed/validation.hpp"

namespace heed::server {

std::optional<std::string> normalise_phone(std::string_view phone) {
  if (auto uk = normalise_uk_phone(phone)) return uk;
  std::string out;
  for (char c : phone) {
    if (c >= '0' && c <= '9')
      out += c;
    else if (c == '+' && out.empty())
      out += c;
  }
  if (out.empty() || out == "+") return std::nullopt;
  return out;
}

const Contact* contact_of(const Record& record) {
  if (const auto* f = std::get_if<Feedback>(&record); f && f->contact) return &*f->contact;
  if (const auto* c = std::get_if<Complaint>(&record); c && c->customer) return &*c->customer;
  return nullptr;
}

CustomerKey customer_key_of(const Record& record) {
  const Contact* contact = contact_of(record);
  CustomerKey key;
  if (!contact) return key;
  if (contact->email) key.email = normalise_email(*contact->email);
  if (contact->phone) key.phone = normalise_phone(*contact->phone);
  return key;
}

}  // namespace heed::server
