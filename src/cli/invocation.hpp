#pragma once
// argv turned into a command and its options; pure, no I/O.
#include <map>
#include <string>
#include <vector>

namespace wc::cli {

struct Invocation {
  std::string command; // spec, check, discover, read, webhooks, serve, singer (no command word)
  std::map<std::string, std::string> flags; // --config FILE → {"config": "FILE"}
  std::vector<std::string> rest;            // the arguments after the command word, verbatim
  bool help = false;
  bool version = false;
};

struct UsageError {
  std::string message;
};

// Returns the invocation, or throws UsageError.
Invocation parse_args(const std::vector<std::string> &args);
std::string usage();

} // namespace wc::cli
