// heed-server: head office's server (ingest from devices, follow-up workflow,
// reports). This is its skeleton: it parses its command line and exits; the
// HTTP server arrives in a later issue.
//
// Exit status: 0 done; 2 the command line is wrong.
#include <exception>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

namespace {

int run(int argc, char** argv) {
  CLI::App cli{"Heed server: receives feedback and complaints from the stores' devices.", "heed-server"};
  cli.set_version_flag("--version", std::string("heed-server ") + HEED_VERSION);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;
  }
  std::cout << "heed-server " << HEED_VERSION << ": the HTTP server is not built yet; nothing to do.\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "heed-server: unexpected error: " << e.what() << '\n';
  }
  return 1;
}
