#include <boost/json/parse.hpp>

#include "commands/commands.hpp"
#include "core/embedded_files.hpp"
#include "core/error.hpp"

namespace wc::commands {

int run_spec(protocol::MessageSink &out) {
  auto text = embedded_file("spec/spec.json");
  if (!text) {
    throw system_error("spec/spec.json is not compiled into this binary");
  }
  boost::json::value spec = boost::json::parse(*text);
  out.message(boost::json::object{{"type", "SPEC"}, {"spec", std::move(spec)}});
  return 0;
}

} // namespace wc::commands
