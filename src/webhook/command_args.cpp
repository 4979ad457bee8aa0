#include "webhook/command_args.hpp"

#include <stdexcept>

namespace wc::webhook {

std::optional<std::string> ParsedArgs::get(const std::string &flag) const {
  auto it = values.find(flag);
  if (it == values.end()) {
    return std::nullopt;
  }
  return it->second;
}

ParsedArgs parse_args(const std::vector<std::string> &args,
                      const std::set<std::string> &value_flags,
                      const std::set<std::string> &switch_flags) {
  ParsedArgs out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a.rfind("--", 0) != 0) {
      out.positional.push_back(a);
      continue;
    }
    std::string name = a;
    std::optional<std::string> inline_value;
    if (auto eq = a.find('='); eq != std::string::npos) {
      name = a.substr(0, eq);
      inline_value = a.substr(eq + 1);
    }
    if (switch_flags.count(name) != 0 && !inline_value) {
      out.switches.insert(name);
    } else if (value_flags.count(name) != 0) {
      if (inline_value) {
        out.values[name] = *inline_value;
      } else if (i + 1 < args.size()) {
        out.values[name] = args[++i];
      } else {
        throw std::invalid_argument(name + " needs a value.");
      }
    } else {
      throw std::invalid_argument("unknown option " + name + ".");
    }
  }
  return out;
}

} // namespace wc::webhook
