// heed: what people and services run. It gives the app (heed-app, beside it)
// huge pages for malloc, which glibc only reads when a program is executed,
// then becomes the app: same arguments, same process, the app's exit status.
// See heed/huge_pages.hpp for why a start needs them.
#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "heed/huge_pages.hpp"

namespace {

constexpr int kExitRuntime = 1;  // as heed-app's: the app could not start

// heed-app in this program's own folder; empty when that cannot be told.
std::string app_beside_this_program() {
  char self[PATH_MAX];
  const ssize_t length = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (length <= 0) return {};
  std::string path(self, static_cast<std::size_t>(length));
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1) + HEED_APP_NAME;
}

}  // namespace

int main(int /*argc*/, char** argv) {
  heed::offer_malloc_huge_pages_to_children();
  const std::string app = app_beside_this_program();
  if (app.empty()) {
    std::fprintf(stderr, "heed: cannot find %s: /proc/self/exe is unreadable\n", HEED_APP_NAME);
    return kExitRuntime;
  }
  ::execv(app.c_str(), argv);
  std::fprintf(stderr, "heed: cannot start %s: %s\n", app.c_str(), std::strerror(errno));
  return kExitRuntime;
}
