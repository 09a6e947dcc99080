#include "heed/huge_pages.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>

namespace heed {

namespace {
constexpr std::string_view kTunable = "glibc.malloc.hugetlb";
constexpr const char* kModeFile = "/sys/kernel/mm/transparent_hugepage/enabled";
}  // namespace

HugePageMode parse_huge_page_mode(std::string_view sysfs_text) {
  // The kernel brackets the mode in force among all it knows.
  const auto open = sysfs_text.find('[');
  const auto close = sysfs_text.find(']', open);
  if (open == std::string_view::npos || close == std::string_view::npos) return HugePageMode::unknown;
  const std::string_view chosen = sysfs_text.substr(open + 1, close - open - 1);
  if (chosen == "always") return HugePageMode::always;
  if (chosen == "madvise") return HugePageMode::madvise;
  if (chosen == "never") return HugePageMode::never;
  return HugePageMode::unknown;
}

HugePageMode huge_page_mode() {
  std::ifstream in(kModeFile);
  if (!in) return HugePageMode::unknown;
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  return parse_huge_page_mode(text);
}

bool kernel_offers_huge_pages() {
  const HugePageMode mode = huge_page_mode();
  return mode == HugePageMode::always || mode == HugePageMode::madvise;
}

std::optional<std::string> tunables_with_malloc_huge_pages(const char* current) {
  const std::string_view tunables = current != nullptr ? current : "";
  // GLIBC_TUNABLES is name=value pairs separated by colons.
  std::size_t start = 0;
  while (start <= tunables.size()) {
    const auto end = std::min(tunables.find(':', start), tunables.size());
    const std::string_view pair = tunables.substr(start, end - start);
    if (pair.substr(0, pair.find('=')) == kTunable) return std::nullopt;
    start = end + 1;
  }
  std::string result(tunables);
  if (!result.empty()) result += ':';
  result += kTunable;
  result += "=1";
  return result;
}

bool offer_malloc_huge_pages_to_children() {
  const auto tunables = tunables_with_malloc_huge_pages(std::getenv("GLIBC_TUNABLES"));
  if (!tunables || !kernel_offers_huge_pages()) return false;
  return ::setenv("GLIBC_TUNABLES", tunables->c_str(), /*overwrite=*/1) == 0;
}

}  // namespace heed
