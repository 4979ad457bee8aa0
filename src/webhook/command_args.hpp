#pragma once
// A tiny "--flag value" / "--switch" parser for the serve and webhooks commands.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace wc::webhook {

struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values; // "--config" -> "file"
  std::set<std::string> switches;            // "--json"

  std::optional<std::string> get(const std::string &flag) const;
  bool has(const std::string &flag) const { return switches.count(flag) != 0; }
};

// value_flags take a value ("--config FILE" or "--config=FILE"); switch_flags do not. Throws
// std::invalid_argument with a message for people on an unknown flag or a missing value.
ParsedArgs parse_args(const std::vector<std::string> &args,
                      const std::set<std::string> &value_flags,
                      const std::set<std::string> &switch_flags);

} // namespace wc::webhook
