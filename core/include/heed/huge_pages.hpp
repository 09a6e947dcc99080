// Huge pages for malloc, so that the kiosk starts sooner.
//
// Starting the kiosk touches about 100 MiB of fresh memory (the GL driver and
// its LLVM, the font atlas, the frame buffers), one 4 KiB page fault at a time.
// Where a page fault is dear (a virtual machine: 20-30 µs each on the machine
// in the README's performance table) that is a third of the start. glibc's
// malloc asks the kernel for transparent huge pages (2 MiB) only when its
// `glibc.malloc.hugetlb` tunable is 1, and it reads tunables once, when a
// program is executed: so `heed` is a small launcher that sets the tunable and
// executes the app. Nothing changes for a kernel without transparent huge
// pages, or for anyone who set glibc.malloc.hugetlb themselves.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace heed {

// The kernel's transparent huge page mode, from the text of
// /sys/kernel/mm/transparent_hugepage/enabled (e.g. "always [madvise] never").
enum class HugePageMode { always, madvise, never, unknown };
HugePageMode parse_huge_page_mode(std::string_view sysfs_text);
// The running kernel's mode; unknown when it cannot be read.
HugePageMode huge_page_mode();
// Whether malloc can have huge pages here: the mode is always or madvise.
bool kernel_offers_huge_pages();

// The GLIBC_TUNABLES value that adds glibc.malloc.hugetlb=1 to `current` (null
// or empty: not set); nullopt when `current` already sets glibc.malloc.hugetlb
// to anything, which is then left as it is.
std::optional<std::string> tunables_with_malloc_huge_pages(const char* current);

// Sets GLIBC_TUNABLES in this process's environment so that the programs it
// executes get huge pages from malloc, when the kernel offers them and
// GLIBC_TUNABLES does not decide already. Returns whether it did. Call it
// before any other thread starts (setenv is not thread-safe).
bool offer_malloc_huge_pages_to_children();

}  // namespace heed
