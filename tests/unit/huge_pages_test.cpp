// Huge pages for malloc: the tunable's text, the kernel's mode, and a real
// launch (huge_pages_probe, doing what the heed launcher does) after which
// malloc hands out huge pages.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "heed/huge_pages.hpp"

using heed::HugePageMode;
using heed::parse_huge_page_mode;
using heed::tunables_with_malloc_huge_pages;

TEST_CASE("the kernel's transparent huge page mode is the bracketed one") {
  CHECK(parse_huge_page_mode("always [madvise] never\n") == HugePageMode::madvise);
  CHECK(parse_huge_page_mode("[always] madvise never\n") == HugePageMode::always);
  CHECK(parse_huge_page_mode("always madvise [never]\n") == HugePageMode::never);
  CHECK(parse_huge_page_mode("always madvise never\n") == HugePageMode::unknown);
  CHECK(parse_huge_page_mode("") == HugePageMode::unknown);
  CHECK(parse_huge_page_mode("[sometimes] never") == HugePageMode::unknown);
}

TEST_CASE("the hugetlb tunable is added to GLIBC_TUNABLES unless it is already decided") {
  CHECK(tunables_with_malloc_huge_pages(nullptr) == std::optional<std::string>("glibc.malloc.hugetlb=1"));
  CHECK(tunables_with_malloc_huge_pages("") == std::optional<std::string>("glibc.malloc.hugetlb=1"));
  CHECK(tunables_with_malloc_huge_pages("glibc.malloc.arena_max=2") ==
        std::optional<std::string>("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"));
  // Whoever set it, whatever to, decides.
  CHECK_FALSE(tunables_with_malloc_huge_pages("glibc.malloc.hugetlb=0"));
  CHECK_FALSE(tunables_with_malloc_huge_pages("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2"));
  // A longer name is another tunable.
  CHECK(tunables_with_malloc_huge_pages("glibc.malloc.hugetlbx=0") ==
        std::optional<std::string>("glibc.malloc.hugetlbx=0:glibc.malloc.hugetlb=1"));
}

namespace {

struct ProbeRun {
  int starts = 0;
  std::string tunables;
  long anon_huge_kib = 0;
};

ProbeRun run_probe(std::vector<std::string> args) {
  const auto run =
      heed::test::run_program(HEED_HUGE_PAGES_PROBE, std::move(args), std::filesystem::temp_directory_path());
  REQUIRE_MESSAGE(run.status == 0, run.err);
  ProbeRun probe;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    const auto equals = line.find('=');
    const std::string key = line.substr(0, equals);
    const std::string value = equals == std::string::npos ? "" : line.substr(equals + 1);
    if (key == "starts") probe.starts = std::stoi(value);
    if (key == "tunables") probe.tunables = value;
    if (key == "anon_huge_kib") probe.anon_huge_kib = std::stol(value);
  }
  REQUIRE_MESSAGE(probe.starts > 0, run.out);
  return probe;
}

// Sets an environment variable for the children of one test, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* was = std::getenv(name)) was_ = was;
    if (value != nullptr)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (was_)
      ::setenv(name_, was_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> was_;
};

}  // namespace

TEST_CASE("a launched program gets huge pages from malloc") {
  const ScopedEnv no_tunables("GLIBC_TUNABLES", nullptr);
  const ScopedEnv no_count("HEED_PROBE_STARTS", nullptr);
  const ProbeRun probe = run_probe({"--launch"});
  CHECK(probe.starts == 2);
  if (!heed::kernel_offers_huge_pages()) {
    MESSAGE("this kernel offers no transparent huge pages: none asked for");
    CHECK(probe.tunables.empty());
    return;
  }
  CHECK(probe.tunables == "glibc.malloc.hugetlb=1");
#if defined(__SANITIZE_ADDRESS__)
  MESSAGE("AddressSanitizer's allocator ignores glibc's tunables: huge pages not checked");
#else
  CHECK(probe.anon_huge_kib > 0);
#endif
}

TEST_CASE("a hugetlb tunable already given is passed on as it is") {
  const ScopedEnv given("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0");
  const ScopedEnv no_count("HEED_PROBE_STARTS", nullptr);
  const ProbeRun probe = run_probe({"--launch"});
  CHECK(probe.starts == 2);
  CHECK(probe.tunables == "glibc.malloc.hugetlb=0");
  if (heed::huge_page_mode() == HugePageMode::madvise) CHECK(probe.anon_huge_kib == 0);
}
