// The heed launcher: it becomes heed-app with the same arguments, so the app's
// output and exit status are the launcher's; without heed-app beside it, it
// says so and exits 1.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "child_process.hpp"

namespace fs = std::filesystem;

namespace {
fs::path scratch_dir(const std::string& name) {
  const fs::path dir = fs::path(HEED_TEST_BINARY_DIR) / "launcher-test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}
}  // namespace

TEST_CASE("the launcher becomes heed-app: its output and exit status") {
  const fs::path scratch = scratch_dir("app");
  const auto version = heed::test::run_program(HEED_LAUNCHER_PATH, {"--version"}, scratch);
  CHECK(version.status == 0);
  CHECK(version.out.rfind("heed ", 0) == 0);

  const auto wrong = heed::test::run_program(HEED_LAUNCHER_PATH, {"--windowed", "tiny"}, scratch);
  CHECK(wrong.status == 2);
  CHECK(wrong.err.find("--windowed tiny: expected WIDTHxHEIGHT") != std::string::npos);
}

TEST_CASE("a launcher without heed-app beside it says so and exits 1") {
  const fs::path scratch = scratch_dir("alone");
  const fs::path alone = scratch / "heed";
  fs::copy_file(HEED_LAUNCHER_PATH, alone);
  const auto run = heed::test::run_program(alone.string(), {"--version"}, scratch);
  CHECK(run.status == 1);
  CHECK(run.out.empty());
  CHECK(run.err.find("heed: cannot start " + (scratch / "heed-app").string()) != std::string::npos);
}
