#include "cli/invocation.hpp"

#include <set>

namespace wc::cli {
namespace {

struct CommandSpec {
  const char *name;
  std::set<std::string> value_flags;
  std::set<std::string> bool_flags;
  std::set<std::string> required;
};

const std::vector<CommandSpec> &commands() {
  static const std::vector<CommandSpec> table{
      {"spec", {}, {}, {}},
      {"check", {"config"}, {}, {"config"}},
      {"discover", {"config"}, {}, {"config"}},
      {"read", {"config", "catalog", "state"}, {"quiet", "progress"}, {"config", "catalog"}},
  };
  return table;
}

// Singer's calling convention has no command word: TAP --config FILE [--discover | --about ...].
const CommandSpec &singer_spec() {
  static const CommandSpec spec{"singer",
                                {"config", "state", "catalog", "properties"},
                                {"discover", "about", "quiet", "progress"},
                                {}};
  return spec;
}

bool is_singer_flag(const std::string &arg) {
  std::string name = arg.rfind("--", 0) == 0 ? arg.substr(2) : "";
  name = name.substr(0, name.find('='));
  return singer_spec().value_flags.count(name) > 0 || singer_spec().bool_flags.count(name) > 0;
}

} // namespace

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
  inv.rest.assign(args.begin() + 1, args.end());
  if (first == "webhooks" || first == "serve") {
    return inv; // these parse their own flags
  }
  const CommandSpec *spec = nullptr;
  std::size_t start = 1;
  if (is_singer_flag(first)) {
    spec = &singer_spec();
    inv.command = "singer";
    inv.rest = args;
    start = 0;
  } else if (!first.empty() && first[0] == '-') {
    throw UsageError{"no command given (options come after the command)"};
  }
  for (const auto &c : commands()) {
    if (first == c.name) {
      spec = &c;
    }
  }
  if (spec == nullptr) {
    throw UsageError{"unknown command '" + first + "'"};
  }
  for (std::size_t i = start; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a == "--help" || a == "-h") {
      inv.help = true;
      continue;
    }
    if (a.rfind("--", 0) != 0) {
      throw UsageError{"unexpected argument '" + a + "'"};
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
      throw UsageError{"unknown option '--" + name + "' for " + first};
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
  if (!inv.help) {
    for (const auto &r : spec->required) {
      if (!inv.flags.count(r)) {
        throw UsageError{first + " needs --" + r + " FILE"};
      }
    }
  }
  if (inv.command == "singer" && !inv.help) {
    const auto &f = inv.flags;
    if (f.count("catalog") && f.count("properties")) {
      throw UsageError{"give --catalog or --properties, not both"};
    }
    if (f.count("discover") && f.count("about")) {
      throw UsageError{"give --discover or --about, not both"};
    }
    if (f.count("discover") && (f.count("catalog") || f.count("properties") || f.count("state"))) {
      throw UsageError{"--discover takes only --config"};
    }
    if (!f.count("about") && !f.count("config")) {
      throw UsageError{"the Singer tap needs --config FILE"};
    }
  }
  return inv;
}

} // namespace wc::cli
