// Normalised customer keys (see customer.hpp).
#include "heed/server/customer.hpp"

#include "heed/validation.hpp"

namespace heed::server {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::optional<std::string> normalise_email(std::string_view email) {
  while (!email.empty() && is_space(email.front())) email.remove_prefix(1);
  while (!email.empty() && is_space(email.back())) email.remove_suffix(1);
  if (email.empty()) return std::nullopt;
  std::string out(email);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

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

CustomerKey customer_key_of(const Record& record) {
  const Contact* contact = nullptr;
  if (const auto* f = std::get_if<Feedback>(&record); f && f->contact) contact = &*f->contact;
  if (const auto* c = std::get_if<Complaint>(&record); c && c->customer) contact = &*c->customer;
  CustomerKey key;
  if (!contact) return key;
  if (contact->email) key.email = normalise_email(*contact->email);
  if (contact->phone) key.phone = normalise_phone(*contact->phone);
  return key;
}

}  // namespace heed::server
