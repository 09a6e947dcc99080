// For huge_pages_test: started with --launch it does what the heed launcher
// does (offers huge pages, then executes itself without --launch); otherwise it
// touches 64 MiB from malloc and prints three lines: starts=N (its own
// executions, counted in HEED_PROBE_STARTS), tunables=GLIBC_TUNABLES and
// anon_huge_kib=AnonHugePages.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "heed/huge_pages.hpp"

int main(int argc, char** argv) {
  const char* counted = std::getenv("HEED_PROBE_STARTS");
  const int starts = (counted != nullptr ? std::atoi(counted) : 0) + 1;
  ::setenv("HEED_PROBE_STARTS", std::to_string(starts).c_str(), 1);
  if (argc > 1 && std::strcmp(argv[1], "--launch") == 0) {
    heed::offer_malloc_huge_pages_to_children();
    char* plain[] = {argv[0], nullptr};
    ::execv("/proc/self/exe", plain);
    std::perror("probe: execv");
    return 1;
  }
  constexpr std::size_t kBytes = 64u << 20;
  auto* block = static_cast<char*>(std::malloc(kBytes));
  if (block == nullptr) return 1;
  std::memset(block, 1, kBytes);
  long anon_huge_kib = 0;
  std::ifstream smaps("/proc/self/smaps_rollup");
  for (std::string line; std::getline(smaps, line);)
    if (line.rfind("AnonHugePages:", 0) == 0) anon_huge_kib = std::atol(line.c_str() + std::strlen("AnonHugePages:"));
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  std::printf("starts=%d\ntunables=%s\nanon_huge_kib=%ld\n", starts, tunables != nullptr ? tunables : "",
              anon_huge_kib);
  std::free(block);
  return 0;
}
