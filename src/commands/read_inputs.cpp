#include "commands/read_inputs.hpp"

#include "relational/output.hpp"

namespace wc::commands {

ReadInputs load_read_inputs(const cli::Invocation &inv,
                            const std::function<void(const std::string &)> &warn) {
  ReadInputs in;
  in.config = load_config_file(inv.flags.at("config"));
  in.streams = catalog::parse_configured_catalog(
      parse_json_or_yaml(read_file_or_throw(inv.flags.at("catalog"), "catalog file"),
                         "catalog file"),
      warn, relational::offered_definitions(in.config));
  if (auto it = inv.flags.find("state"); it != inv.flags.end()) {
    std::string text = read_file_or_throw(it->second, "state file");
    if (text.find_first_not_of(" \t\r\n") != std::string::npos) {
      in.state = state::StateStore::parse(parse_json_or_yaml(text, "state file"), warn);
    }
  }
  return in;
}

} // namespace wc::commands
