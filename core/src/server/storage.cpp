// Names of the storage interface's enumerations.
#include "heed/server/storage.hpp"

#include <array>

namespace heed::server {
namespace {
constexpr std::array<std::string_view, 3> kRoleNames{"admin", "manager", "agent"};
}  // namespace

std::string_view role_name(Role role) { return kRoleNames[static_cast<std::size_t>(role)]; }

std::optional<Role> parse_role(std::string_view name) {
  for (std::size_t i = 0; i < kRoleNames.size(); ++i)
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  return std::nullopt;
}

}  // namespace heed::server
