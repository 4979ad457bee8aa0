#include "cli/invocation.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace wc::cli {
namespace {

struct CommandSpec {
  const char *name;
  std::set<std::string> value_flags; // --name VALUE or --name=VALUE
  std::set<std::string> bool_flags;  // --name
  // Checked in this order unless --help: flag and what its value is ("FILE").
  std::vector<std::pair<std::string, std::string>> required;
  // Non-empty: the command takes exactly one of these words, anywhere among its options.
  std::vector<std::string> subcommands;
  // What --help prints and usage errors show; nullptr: the program's usage().
  const char *own_usage;
};

constexpr const char *kWebhooksUsage =
    "usage: source-woocommerce webhooks register --config FILE --delivery-url URL "
    "[--topics LIST] [--json]\n"
    "       source-woocommerce webhooks list --config FILE [--json]\n"
    "       source-woocommerce webhooks delete --config FILE [--delivery-url URL]\n";

constexpr const char *kServeUsage =
    "usage: source-woocommerce serve --config FILE --listen HOST:PORT --journal PATH\n"
    "         [--retention-days N] [--tls-certificate FILE --tls-private-key FILE] [--verbose]\n";

const std::vector<CommandSpec> &commands() {
  static const std::vector<CommandSpec> table{
      {"spec", {}, {}, {}, {}, nullptr},
      {"check", {"config"}, {}, {{"config", "FILE"}}, {}, nullptr},
      {"discover", {"config"}, {}, {{"config", "FILE"}}, {}, nullptr},
      {"read",
       {"config", "catalog", "state"},
       {"quiet", "progress"},
       {{"catalog", "FILE"}, {"config", "FILE"}},
       {},
       nullptr},
      {"webhooks",
       {"config", "delivery-url", "topics"},
       {"json"},
       {{"config", "FILE"}},
       {"register", "list", "delete"},
       kWebhooksUsage},
      {"serve",
       {"config", "listen", "journal", "retention-days", "tls-certificate", "tls-private-key",
        "max-body-bytes"},
       {"verbose"},
       {{"config", "FILE"}, {"listen", "HOST:PORT"}},
       {},
       kServeUsage},
  };
  return table;
}

// Singer's calling convention has no command word: TAP --config FILE [--discover | --about ...].
const CommandSpec &singer_spec() {
  static const CommandSpec spec{"singer",
                                {"config", "state", "catalog", "properties"},
                                {"discover", "about", "quiet", "progress"},
                                {},
                                {},
                                nullptr};
  return spec;
}

// "register, list or delete"
std::string one_of(const std::vector<std::string> &words) {
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + words[i];
  }
  return text;
}

const CommandSpec *find_command(const std::string &name) {
  for (const auto &c : commands()) {
    if (name == c.name) {
      return &c;
    }
  }
  return nullptr;
}

bool is_singer_flag(const std::string &arg) {
  std::string name = arg.rfind("--", 0) == 0 ? arg.substr(2) : "";
  name = name.substr(0, name.find('='));
  return singer_spec().value_flags.count(name) > 0 || singer_spec().bool_flags.count(name) > 0;
}

void check_singer(const Invocation &inv) {
  if (inv.has("catalog") && inv.has("properties")) {
    throw UsageError{"give --catalog or --properties, not both"};
  }
  if (inv.has("discover") && inv.has("about")) {
    throw UsageError{"give --discover or --about, not both"};
  }
  if (inv.has("discover") && (inv.has("catalog") || inv.has("properties") || inv.has("state"))) {
    throw UsageError{"--discover takes only --config"};
  }
  if (!inv.has("about") && !inv.has("config")) {
    throw UsageError{"the Singer tap needs --config FILE"};
  }
}

} // namespace

std::optional<std::string> Invocation::get(const std::string &flag) const {
  auto it = flags.find(flag);
  if (it == flags.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::string usage() {
  return "usage: source-woocommerce <command> [options]\n"
         "\n"
         "Airbyte protocol commands (JSON messages on stdout):\n"
         "  spec                                          print the configuration schema\n"
         "  check    --config FILE                        test the connection and permissions\n"
         "  discover --config FILE                        print the catalog of streams\n"
         "  read     --config FILE --catalog FILE [--state FILE] [--quiet | --progress]\n"
         "                                                read records\n"
         "\n"
         "Webhooks (for people; see docs/webhooks.md):\n"
         "  webhooks register --config FILE --delivery-url URL [--topics LIST] [--json]\n"
         "  webhooks list     --config FILE [--json]\n"
         "  webhooks delete   --config FILE\n"
         "  serve    --config FILE --listen HOST:PORT --journal PATH\n"
         "\n"
         "Singer tap (for Meltano and other Singer orchestrators; see docs/singer.md):\n"
         "  --config FILE --discover                      print the Singer catalog\n"
         "  --config FILE [--catalog FILE | --properties FILE] [--state FILE]   sync\n"
         "  --about                                       name, version, capabilities, settings\n"
         "\n"
         "  read and the Singer sync show live progress on stderr when it is a terminal;\n"
         "  --progress forces it on (also into a pipe), --quiet off.\n"
         "\n"
         "  --help     this text          --version  the connector's version\n"
         "The config file may be JSON or YAML.\n";
}

std::string usage(const std::string &command) {
  const CommandSpec *spec = find_command(command);
  return spec != nullptr && spec->own_usage != nullptr ? spec->own_usage : usage();
}

std::string usage_error_text(const std::string &command, const std::string &message) {
  const CommandSpec *spec = find_command(command);
  if (spec != nullptr && spec->own_usage != nullptr) {
    return command + ": " + message + "\n" + spec->own_usage;
  }
  return "source-woocommerce: " + message + "\n\n" + usage();
}

Invocation parse_args(const std::vector<std::string> &args) {
  Invocation inv;
  if (args.empty()) {
    throw UsageError{"no command given"};
  }
  const std::string &first = args[0];
  if (first == "--help" || first == "-h" || first == "help") {
    inv.help = true;
    return inv;
  }
  if (first == "--version" || first == "-V") {
    inv.version = true;
    return inv;
  }
  inv.command = first;
  const CommandSpec *spec = nullptr;
  std::size_t start = 1;
  if (is_singer_flag(first)) {
    spec = &singer_spec();
    inv.command = "singer";
    start = 0;
  } else if (!first.empty() && first[0] == '-') {
    throw UsageError{"no command given (options come after the command)"};
  } else {
    spec = find_command(first);
  }
  if (spec == nullptr) {
    throw UsageError{"unknown command '" + first + "'"};
  }
  std::vector<std::string> words; // arguments that are not options
  for (std::size_t i = start; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a == "--help" || a == "-h") {
      inv.help = true;
      continue;
    }
    if (a.rfind("--", 0) != 0) {
      if (spec->subcommands.empty()) {
        throw UsageError{"unexpected argument '" + a + "'"};
      }
      words.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::string value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    if (spec->bool_flags.count(name)) {
      inv.flags[name] = "true";
      continue;
    }
    if (!spec->value_flags.count(name)) {
      throw UsageError{"unknown option '--" + name + "' for " + inv.command};
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        throw UsageError{"option '--" + name + "' needs a value"};
      }
      value = args[++i];
    }
    if (inv.flags.count(name)) {
      throw UsageError{"option '--" + name + "' given twice"};
    }
    inv.flags[name] = value;
  }
  if (inv.help) {
    return inv;
  }
  if (!spec->subcommands.empty()) {
    if (words.size() != 1) {
      throw UsageError{"say " + one_of(spec->subcommands) + "."};
    }
    const auto &subs = spec->subcommands;
    if (std::find(subs.begin(), subs.end(), words.front()) == subs.end()) {
      throw UsageError{"unknown subcommand '" + words.front() + "'."};
    }
    inv.subcommand = words.front();
  }
  for (const auto &[flag, what] : spec->required) {
    if (!inv.has(flag)) {
      throw UsageError{inv.command + " needs --" + flag + " " + what};
    }
  }
  if (inv.command == "singer") {
    check_singer(inv);
  }
  return inv;
}

} // namespace wc::cli
