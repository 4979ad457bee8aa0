#pragma once
// argv turned into a command and its options; pure, no I/O. The one argv parser of the
// connector: every command's options, subcommands and help text are in its table
// (cli/parse_args.cpp).
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wc::cli {

struct Invocation {
  // spec, check, discover, read, webhooks, serve, singer (no command word)
  std::string command;
  std::string subcommand;                   // webhooks: register, list or delete
  std::map<std::string, std::string> flags; // --config FILE → {"config": "FILE"}; --json → "true"
  bool help = false;
  bool version = false;

  std::optional<std::string> get(const std::string &flag) const;
  bool has(const std::string &flag) const { return flags.count(flag) != 0; }
};

// A command line that cannot be run; also thrown by commands for options they check later
// (e.g. serve's --listen HOST:PORT). The front door prints it with the command's usage, exit 2.
struct UsageError {
  std::string message;
};

// Returns the invocation, or throws UsageError.
Invocation parse_args(const std::vector<std::string> &args);
// The whole program's usage text.
std::string usage();
// The usage text `command --help` prints (its own, or the whole program's).
std::string usage(const std::string &command);
// What a usage error prints on stderr for `command` ("" or unknown: the program's format).
std::string usage_error_text(const std::string &command, const std::string &message);

} // namespace wc::cli
